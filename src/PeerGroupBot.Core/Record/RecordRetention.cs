using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using PeerGroupBot.Core.Polls;
using PeerGroupBot.Core.Scheduling;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Core.Record;

/// <summary>Defaults for how long a group's history is kept (section <c>Record</c>); a group may set its own.</summary>
public sealed class RecordOptions
{
    public const string Section = "Record";

    /// <summary>Days a closed topic poll (question, options, result) is kept after it closed.</summary>
    public int ClosedPollDays { get; set; } = 365;

    /// <summary>Days the record keeps the item texts of a posted agenda (the counts stay as long as the record).</summary>
    public int AgendaDays { get; set; } = 365;

    /// <summary>Days the decisions log is kept; whole months older than this are deleted.</summary>
    public int RecordDays { get; set; } = 730;
}

/// <summary>A group's own retention periods, set with <c>record keep</c>; null means the configured default. Stored at <c>groups/{groupId}/retention</c>.</summary>
public sealed record RetentionSettings
{
    public int? ClosedPollDays { get; init; }
    public int? AgendaDays { get; init; }
    public int? RecordDays { get; init; }

    public static string KeyFor(string groupId) => $"groups/{groupId}/retention";
}

/// <summary>
/// Applies a group's retention once a week, at 03:00 UTC (timer kind "record-retention"): deletes closed polls and record months
/// past their time, and strips item texts from old agenda entries. The timer is started by the first record entry.
/// </summary>
public sealed class RecordRetention(
    Documents documents,
    DecisionLog log,
    PollStore polls,
    ITimers timers,
    IClock clock,
    IOptions<RecordOptions> options,
    ILogger<RecordRetention> logger) : ITimerHandler, IMissedTimerHandler
{
    public const string TimerKind = "record-retention";
    public const string TimerId = "record-retention";

    public string Kind => TimerKind;

    public RecordOptions Defaults => options.Value;

    public async Task<RetentionSettings> SettingsAsync(string groupId, CancellationToken cancellationToken)
        => await documents.GetValueAsync<RetentionSettings>(RetentionSettings.KeyFor(groupId), cancellationToken).ConfigureAwait(false) ?? new RetentionSettings();

    public Task<RetentionSettings?> UpdateSettingsAsync(string groupId, Func<RetentionSettings, RetentionSettings> change, CancellationToken cancellationToken)
        => documents.UpdateAsync<RetentionSettings>(RetentionSettings.KeyFor(groupId), current =>
        {
            var before = current ?? new RetentionSettings();
            var after = change(before);
            return after == before && current is not null ? null : after;
        }, cancellationToken);

    /// <summary>Starts the daily chain for a group that has none yet.</summary>
    public async Task EnsureScheduledAsync(string groupId, CancellationToken cancellationToken)
    {
        if (await documents.Store.GetAsync(TimerDocument.KeyFor(groupId, TimerId), cancellationToken).ConfigureAwait(false) is null)
            await timers.ScheduleAsync(new TimerDocument(groupId, TimerId, TimerKind, NextRun(clock.GetCurrentInstant())), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The first 03:00 UTC at least a week after <paramref name="now"/>. Retention periods are counted in days and
    /// are long, so a weekly sweep at a quiet hour is enough; history may outlive its period by up to a week.
    /// </summary>
    public static Instant NextRun(Instant now)
    {
        var after = now + Duration.FromDays(7);
        var run = after.InUtc().Date.At(new LocalTime(3, 0)).InUtc().ToInstant();
        return run >= after ? run : run + Duration.FromDays(1);
    }

    public async Task HandleAsync(TimerDocument timer, CancellationToken cancellationToken)
    {
        await ApplyAsync(timer.GroupId, cancellationToken).ConfigureAwait(false);
        await timers.ScheduleAsync(timer with { Due = NextRun(clock.GetCurrentInstant()) }, cancellationToken).ConfigureAwait(false);
    }

    public Task MissedAsync(TimerDocument timer, CancellationToken cancellationToken) => HandleAsync(timer, cancellationToken);

    /// <summary>Applies the group's retention now. Returns what was removed, for the log and for tests.</summary>
    public async Task<(int Polls, int AgendaEntries, int Months)> ApplyAsync(string groupId, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var settings = await SettingsAsync(groupId, cancellationToken).ConfigureAwait(false);
        var pollCutoff = now - Duration.FromDays(settings.ClosedPollDays ?? Defaults.ClosedPollDays);
        var agendaCutoff = now - Duration.FromDays(settings.AgendaDays ?? Defaults.AgendaDays);
        var recordCutoff = now - Duration.FromDays(settings.RecordDays ?? Defaults.RecordDays);

        var pollsDeleted = 0;
        foreach (var poll in await polls.ListAsync(groupId, cancellationToken).ConfigureAwait(false))
        {
            if (poll.Phase == PollPhase.Closed && poll.ClosedAt is { } closed && closed <= pollCutoff
                && await documents.DeleteAsync(PollDocument.KeyFor(groupId, poll.Id), cancellationToken).ConfigureAwait(false))
                pollsDeleted++;
        }

        var months = await log.DeleteBeforeAsync(groupId, recordCutoff, cancellationToken).ConfigureAwait(false);

        var agendas = 0;
        foreach (var (key, _) in await log.MonthsAsync(groupId, cancellationToken).ConfigureAwait(false))
        {
            var inMonth = 0;
            await documents.UpdateAsync<RecordMonth>(key, current =>
            {
                inMonth = current?.Entries.Count(e => Stale(e, agendaCutoff)) ?? 0;
                return inMonth == 0 ? null : current! with
                {
                    Entries = [.. current.Entries.Select(e => Stale(e, agendaCutoff) ? e with { Outcome = null } : e)],
                };
            }, cancellationToken).ConfigureAwait(false);
            agendas += inMonth;
        }
        if (pollsDeleted + agendas + months > 0)
            logger.LogInformation("Retention for group {GroupId}: {Polls} closed poll(s), {Agendas} agenda text(s), {Months} record month(s) removed.",
                groupId, pollsDeleted, agendas, months);
        return (pollsDeleted, agendas, months);
    }

    private static bool Stale(RecordEntry entry, Instant cutoff) => entry.Kind == RecordKind.Agenda && entry.Outcome is not null && entry.At <= cutoff;
}
