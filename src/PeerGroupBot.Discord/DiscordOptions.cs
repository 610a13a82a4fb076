namespace PeerGroupBot.Discord;

/// <summary>
/// Settings under <c>Discord:</c>. The public key is what lets the bot trust an interaction; the bot token and
/// application id are what let it speak first (reminders, poll results, DMs) and register its slash commands.
/// Nothing here is needed for the rest of the bot to run: without a public key every interaction is refused.
/// </summary>
public sealed class DiscordOptions
{
    public const string Section = "Discord";

    /// <summary>The application's public key (hex, from the Developer Portal's General Information page).</summary>
    public string? PublicKey { get; set; }

    /// <summary>The bot token (Bot page). A secret: keep it in user secrets or the environment, never in a file in the repo.</summary>
    public string? BotToken { get; set; }

    /// <summary>The application id (General Information page); interaction follow-ups and command registration use it.</summary>
    public string? ApplicationId { get; set; }

    /// <summary>Discord's REST API root. Tests point it at a local fake.</summary>
    public string ApiBaseUrl { get; set; } = "https://discord.com/api/v10";

    /// <summary>Role ids whose holders are facilitators, on top of members with the Manage Server permission.</summary>
    public List<string> FacilitatorRoleIds { get; set; } = [];

    /// <summary>How long the core may take before the adapter defers its first response (Discord allows 3 seconds in all).</summary>
    public TimeSpan DeferAfter { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How old (or how far in the future) a signed timestamp may be before the request is refused as a replay.</summary>
    public TimeSpan TimestampTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The largest interaction body read; bigger requests are refused before any parsing.</summary>
    public int MaxRequestBodyBytes { get; set; } = 256 * 1024;

    /// <summary>The URL in the User-Agent Discord requires: <c>DiscordBot (url, version)</c>.</summary>
    public string UserAgentUrl { get; set; } = "https://github.com/peergroupbot/peergroupbot";

    /// <summary>How long one REST attempt may take before it counts as a timeout (a file upload gets a second more per MiB).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest the REST client waits for a rate limit to reset before giving up on a request.</summary>
    public TimeSpan MaxRateLimitWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Requests per second allowed under Discord's global limit (webhook and interaction calls are exempt).</summary>
    public int GlobalRequestsPerSecond { get; set; } = 50;

    /// <summary>Mirror each group's upcoming sessions as scheduled events in the server's Events tab (needs the bot's Manage Events permission).</summary>
    public bool ScheduledEvents { get; set; } = true;

    /// <summary>How many upcoming sessions have a scheduled event at a time (the next ones are added as sessions pass).</summary>
    public int ScheduledEventsAhead { get; set; } = 4;
}
