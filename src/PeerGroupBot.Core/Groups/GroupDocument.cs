using NodaTime;
using PeerGroupBot.Core.Conversation;

namespace PeerGroupBot.Core.Groups;

public enum ChannelPurpose
{
    /// <summary>Where the group meets: polls, agendas and reminders are posted here (every main channel of a bridged group).</summary>
    Main,
    /// <summary>A private facilitators' channel where anonymous concerns are triaged.</summary>
    Concerns,
}

public sealed record ChannelLink(ChannelRef Channel, ChannelPurpose Purpose);

public sealed record Facilitator(string MemberId, string DisplayName);

/// <summary>
/// A group: the unit that owns polls, rota, agenda, sessions and concerns. It is not a channel: it links one or
/// more channels, possibly on different platforms. Stored at <c>groups/{id}/group</c>.
/// </summary>
public sealed record GroupDocument
{
    public required string Id { get; init; }
    public string Name { get; init; } = "Our group";
    /// <summary>IANA time zone id, e.g. "Europe/London".</summary>
    public string TimeZone { get; init; } = "Europe/London";
    public string Language { get; init; } = "en-GB";
    public Instant CreatedAt { get; init; }
    public List<ChannelLink> Channels { get; init; } = [];
    /// <summary>Facilitators named with <c>setup facilitator add</c>, on top of those the platform names.</summary>
    public List<Facilitator> Facilitators { get; init; } = [];
    /// <summary>When true, only facilitators may open topic polls.</summary>
    public bool PollsFacilitatorsOnly { get; init; }
    /// <summary>
    /// An anonymous poll shows no counts until at least this many members have voted: in a group of five, "1 vote
    /// for A" with two voters tells each of them how the other voted. Null means the configured default
    /// (<c>Polls:MinVotersBeforeResults</c>, 3). Set with <c>poll minvoters</c>.
    /// </summary>
    public int? MinVotersBeforeResults { get; init; }

    public IEnumerable<ChannelRef> MainChannels => Channels.Where(c => c.Purpose == ChannelPurpose.Main).Select(c => c.Channel);
    public IEnumerable<ChannelRef> ConcernChannels => Channels.Where(c => c.Purpose == ChannelPurpose.Concerns).Select(c => c.Channel);

    public DateTimeZone Zone => ZoneOf(TimeZone);

    /// <summary>The zone an IANA id names, or Europe/London when it names none.</summary>
    public static DateTimeZone ZoneOf(string? timeZone) => (timeZone is null ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZone)) ?? DateTimeZoneProviders.Tzdb["Europe/London"];

    public bool IsListedFacilitator(string memberId) => Facilitators.Any(f => f.MemberId == memberId);

    public static string KeyFor(string groupId) => $"groups/{groupId}/group";
}
