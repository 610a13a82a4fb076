namespace PeerGroupBot.Discord.Events;

/// <summary>The scheduled event made for one session in one server; a cancelled one stays cancelled (Discord cannot undo that).</summary>
public sealed record DiscordEvent(string EventId, string Fingerprint, bool Canceled = false);

/// <summary>A group's events in one Discord server, by occurrence id ("2026-12-03T18:00").</summary>
public sealed record DiscordGuildEvents
{
    public Dictionary<string, DiscordEvent> Events { get; init; } = [];

    /// <summary>The group was told the bot lacks Manage Events here; cleared once events can be made again.</summary>
    public bool PermissionNoticeSent { get; init; }
}

/// <summary>
/// Which Discord scheduled events mirror a group's sessions: the server of each linked channel and, per server, the
/// event of each upcoming session. Stored at <c>groups/{groupId}/sessions/discord-events</c>; it holds ids of Discord
/// servers, channels and events only, nothing about members.
/// </summary>
public sealed record DiscordEventsDocument
{
    /// <summary>Channel id to the id of the server (guild) it is in, learned once per channel.</summary>
    public Dictionary<string, string> ChannelGuilds { get; init; } = [];

    public Dictionary<string, DiscordGuildEvents> Guilds { get; init; } = [];

    public static string KeyFor(string groupId) => $"groups/{groupId}/sessions/discord-events";
}
