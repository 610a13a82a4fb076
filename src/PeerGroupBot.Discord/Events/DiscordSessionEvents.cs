using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Sessions;
using PeerGroupBot.Core.State;
using PeerGroupBot.Core.Time;
using PeerGroupBot.Discord.Rendering;
using PeerGroupBot.Discord.Rest;

namespace PeerGroupBot.Discord.Events;

/// <summary>
/// Each upcoming session of a group with a Discord channel becomes a guild scheduled event in that channel's server, so
/// it shows in the Events tab where members can mark themselves "Interested". Sessions are external events (a place,
/// not a voice channel). The next <c>Discord:ScheduledEventsAhead</c> sessions have events; each sync (every schedule
/// change and every reminder) creates the missing ones, moves changed ones, cancels cancelled or dropped ones, and makes
/// a new event for a restored session (Discord cannot un-cancel). All of it goes through the REST client and its rate
/// limits. Without the Manage Events permission Discord answers 403 (code 50013): the group's channel in that server
/// is told once what to grant, and nothing is retried until the next sync.
/// </summary>
public sealed class DiscordSessionEvents(
    DiscordRestClient rest,
    DiscordMessenger messenger,
    Documents documents,
    IOptions<DiscordOptions> options,
    ILogger<DiscordSessionEvents> logger) : ISessionEvents
{
    public const string NoPlace = "See the group's channel";

    public const string PermissionNotice =
        "I can't put this group's sessions in the server's **Events** tab: I don't have the **Manage Events** permission here. "
        + "A server admin can give it to me in *Server Settings → Roles* (my role), or invite me again with it. "
        + "Nothing else changes: reminders and `/session next` work as before, and the events appear at the next schedule change or reminder.";

    private static readonly InstantPattern Iso = InstantPattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss'Z'");

    private bool Enabled => options.Value.ScheduledEvents && !string.IsNullOrWhiteSpace(options.Value.BotToken);

    private static List<string> DiscordChannels(GroupDocument group)
        => group.MainChannels.Where(c => c.Platform == DiscordMessenger.PlatformName).Select(c => c.ChannelId).ToList();

    public async Task SyncAsync(GroupDocument group, SessionSchedule schedule, Instant now, CancellationToken cancellationToken)
    {
        if (!Enabled) return;
        var key = DiscordEventsDocument.KeyFor(group.Id);
        var channels = DiscordChannels(group);
        var stored = await documents.GetValueAsync<DiscordEventsDocument>(key, cancellationToken).ConfigureAwait(false);
        if (channels.Count == 0 && stored is null) return;
        stored ??= new DiscordEventsDocument();

        var guildOf = stored.ChannelGuilds.Where(kv => channels.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);
        foreach (var channel in channels.Where(c => !guildOf.ContainsKey(c)))
        {
            var guild = await TryAsync(() => rest.GetChannelGuildAsync(channel, cancellationToken), group, "finding a channel's server").ConfigureAwait(false);
            if (guild.Ok && guild.Value is { } guildId) guildOf[channel] = guildId;
        }

        var planned = SessionRecurrence.After(schedule, group.Zone, now).ToList();
        var window = planned.Take(Math.Max(0, options.Value.ScheduledEventsAhead)).ToList();
        var guilds = new Dictionary<string, DiscordGuildEvents>();
        foreach (var guildId in guildOf.Values.Distinct())
        {
            var current = stored.Guilds.GetValueOrDefault(guildId) ?? new DiscordGuildEvents();
            var inGuild = guildOf.Where(kv => kv.Value == guildId).Select(kv => kv.Key).ToList();
            guilds[guildId] = await SyncGuildAsync(group, guildId, inGuild, current, planned, window, now, cancellationToken).ConfigureAwait(false);
        }
        // A server no longer linked keeps nothing of the group's: its remaining events are cancelled.
        foreach (var (guildId, gone) in stored.Guilds.Where(g => !guilds.ContainsKey(g.Key)))
        {
            foreach (var (id, scheduled) in gone.Events.Where(e => !e.Value.Canceled && !HasStarted(e.Key, group, now)))
                await TryAsync(() => CancelAsync(guildId, scheduled, cancellationToken), group, "cancelling an event").ConfigureAwait(false);
        }

        var next = new DiscordEventsDocument { ChannelGuilds = guildOf, Guilds = guilds };
        if (JsonSerializer.Serialize(next, Documents.JsonOptions) != JsonSerializer.Serialize(stored, Documents.JsonOptions))
            await documents.UpdateAsync<DiscordEventsDocument>(key, _ => next, cancellationToken).ConfigureAwait(false);
    }

    public async Task<int?> InterestedAsync(GroupDocument group, string occurrenceId, CancellationToken cancellationToken)
    {
        if (!Enabled || DiscordChannels(group).Count == 0) return null;
        var stored = await documents.GetValueAsync<DiscordEventsDocument>(DiscordEventsDocument.KeyFor(group.Id), cancellationToken).ConfigureAwait(false);
        if (stored is null) return null;
        int? total = null;
        foreach (var (guildId, guild) in stored.Guilds)
        {
            if (!guild.Events.TryGetValue(occurrenceId, out var scheduled) || scheduled.Canceled) continue;
            var count = await TryAsync(() => rest.GetScheduledEventUserCountAsync(guildId, scheduled.EventId, cancellationToken), group, "reading an event's interested count").ConfigureAwait(false);
            if (count.Ok && count.Value is { } n) total = (total ?? 0) + n;
        }
        return total;
    }

    private async Task<DiscordGuildEvents> SyncGuildAsync(
        GroupDocument group, string guildId, IReadOnlyList<string> channels, DiscordGuildEvents current,
        IReadOnlyList<PlannedSession> planned, IReadOnlyList<PlannedSession> window, Instant now, CancellationToken cancellationToken)
    {
        var events = new Dictionary<string, DiscordEvent>(current.Events);
        // Events of sessions the schedule no longer has (it moved to another time) are moved rather than replaced,
        // so whoever marked them "Interested" stays so.
        var spare = new Queue<KeyValuePair<string, DiscordEvent>>(current.Events
            .Where(e => !e.Value.Canceled && !planned.Any(s => s.Id == e.Key) && !HasStarted(e.Key, group, now))
            .OrderBy(e => e.Key, StringComparer.Ordinal));
        try
        {
            foreach (var session in window)
            {
                events.TryGetValue(session.Id, out var existing);
                if (session.Cancelled)
                {
                    if (existing is { Canceled: false } && await TryAsync(() => CancelAsync(guildId, existing, cancellationToken), group, "cancelling an event", permissionsMatter: true).ConfigureAwait(false) is { Ok: true })
                        events[session.Id] = existing with { Canceled = true };
                    continue;
                }
                var payload = Payload(group, session);
                var fingerprint = Fingerprint(payload);
                if (existing is { Canceled: false } && existing.Fingerprint == fingerprint) continue;
                if (existing is { Canceled: false })
                {
                    var moved = await TryAsync(() => ModifyAsync(guildId, existing.EventId, payload, cancellationToken), group, "changing an event", permissionsMatter: true).ConfigureAwait(false);
                    if (!moved.Ok) continue;
                    if (moved.Value) { events[session.Id] = existing with { Fingerprint = fingerprint }; continue; }
                    // Somebody deleted it in Discord: it is made again below.
                }
                if (spare.TryDequeue(out var reuse))
                {
                    var moved = await TryAsync(() => ModifyAsync(guildId, reuse.Value.EventId, payload, cancellationToken), group, "moving an event", permissionsMatter: true).ConfigureAwait(false);
                    if (!moved.Ok) continue;
                    events.Remove(reuse.Key);
                    if (moved.Value) { events[session.Id] = new DiscordEvent(reuse.Value.EventId, fingerprint); continue; }
                }
                var created = await TryAsync(() => rest.CreateScheduledEventAsync(guildId, payload, cancellationToken), group, "creating an event", permissionsMatter: true).ConfigureAwait(false);
                if (created.Ok) events[session.Id] = new DiscordEvent(created.Value!, fingerprint);
            }

            // Events of sessions that are over or no longer planned; a session beyond the window keeps its event.
            foreach (var (id, scheduled) in events.ToList())
            {
                if (window.Any(s => s.Id == id)) continue;
                if (planned.Any(s => s.Id == id && !s.Cancelled) && !scheduled.Canceled) continue;
                if (!scheduled.Canceled && !HasStarted(id, group, now)
                    && await TryAsync(() => CancelAsync(guildId, scheduled, cancellationToken), group, "cancelling an event", permissionsMatter: true).ConfigureAwait(false) is { Ok: false })
                    continue;
                events.Remove(id);
            }
        }
        catch (MissingPermissionException)
        {
            if (!current.PermissionNoticeSent) await NoticeAsync(group, channels, cancellationToken).ConfigureAwait(false);
            return new DiscordGuildEvents { Events = events, PermissionNoticeSent = true };
        }
        return new DiscordGuildEvents { Events = events };
    }

    /// <summary>True when changed; false when the event no longer exists in Discord.</summary>
    private async Task<bool> ModifyAsync(string guildId, string eventId, ScheduledEventPayload payload, CancellationToken cancellationToken)
    {
        try
        {
            await rest.ModifyScheduledEventAsync(guildId, eventId, payload, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DiscordApiException ex) when (ex.Status == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Cancels an event; one somebody already deleted in Discord counts as cancelled.</summary>
    private async Task<bool> CancelAsync(string guildId, DiscordEvent scheduled, CancellationToken cancellationToken)
    {
        await ModifyAsync(guildId, scheduled.EventId, new ScheduledEventPayload { Status = ScheduledEventPayload.Canceled }, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task NoticeAsync(GroupDocument group, IReadOnlyList<string> channels, CancellationToken cancellationToken)
    {
        var notice = new BotReply { Title = $"{group.Name}: sessions in the Events tab", Text = PermissionNotice, Tone = ReplyTone.Warning };
        foreach (var channel in channels)
            await TryAsync(() => messenger.PostAsync(channel, notice, cancellationToken), group, "posting the permission notice").ConfigureAwait(false);
    }

    /// <summary>The event for a session: its group's name, start and end, and place (what Discord's 100-character limits allow).</summary>
    public static ScheduledEventPayload Payload(GroupDocument group, PlannedSession session) => new()
    {
        Name = DiscordLimits.Fit($"{group.Name} session", DiscordLimits.EventName),
        Description = DiscordLimits.Fit(
            $"{TimeMarks.Strip(SessionText.When(session, group.Zone))} ({group.TimeZone} time)."
            + (session.Place is { Length: > DiscordLimits.EventLocation } place ? $" Where: {place}" : "")
            + " Say whether you're coming with /session next.", DiscordLimits.EventDescription),
        PrivacyLevel = ScheduledEventPayload.GuildOnly,
        EntityType = ScheduledEventPayload.External,
        ScheduledStartTime = Iso.Format(session.Start),
        ScheduledEndTime = Iso.Format(session.End),
        EntityMetadata = new ScheduledEventMetadata
        {
            Location = DiscordLimits.Fit(string.IsNullOrWhiteSpace(session.Place) ? NoPlace : session.Place.Trim(), DiscordLimits.EventLocation),
        },
    };

    private static string Fingerprint(ScheduledEventPayload payload)
        => Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(payload, DiscordJson.Options)))[..16];

    private static bool HasStarted(string occurrenceId, GroupDocument group, Instant now)
        => !OccurrenceIds.TryParse(occurrenceId, out var local) || SessionRecurrence.ToInstant(local, group.Zone) <= now;

    private sealed class MissingPermissionException : Exception;

    private readonly record struct Attempt<T>(bool Ok, T? Value);

    /// <summary>
    /// Runs one call; a Discord failure is logged (route and status only) and reported as not done. With
    /// <paramref name="permissionsMatter"/>, a missing permission stops the whole server's sync.
    /// </summary>
    private async Task<Attempt<T>> TryAsync<T>(Func<Task<T>> call, GroupDocument group, string what, bool permissionsMatter = false)
    {
        try
        {
            return new Attempt<T>(true, await call().ConfigureAwait(false));
        }
        catch (DiscordApiException ex) when (permissionsMatter && ex.Status == HttpStatusCode.Forbidden && ex.Code == DiscordApiException.MissingPermissions)
        {
            logger.LogInformation("Discord refused {What} for group {GroupId}: the bot lacks Manage Events.", what, group.Id);
            throw new MissingPermissionException();
        }
        catch (Exception ex) when (ex is DiscordApiException or DiscordRateLimitedException or HttpRequestException)
        {
            logger.LogWarning("Discord failed {What} for group {GroupId}: {Error}", what, group.Id, ex.Message);
            return new Attempt<T>(false, default);
        }
    }
}
