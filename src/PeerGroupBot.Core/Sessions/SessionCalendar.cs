using NodaTime;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Core.Sessions;

/// <summary>
/// Reads and changes a group's <see cref="SessionSchedule"/> and answers "when is the next session" for the other
/// features (rota, agenda, polls) through <see cref="ISessionCalendar"/>.
/// </summary>
public sealed class SessionCalendar(Documents documents, IClock clock) : ISessionCalendar
{
    /// <summary>
    /// How long "which session is next" (for the agenda and the rota) may answer from a schedule read earlier; this
    /// instance's own schedule changes replace it at once. Reminders and the session commands always read it fresh.
    /// </summary>
    public static readonly Duration NextSessionCacheTtl = Duration.FromSeconds(30);

    private readonly ExpiringCache<string, SessionSchedule> _schedules = new(clock, NextSessionCacheTtl);

    public async Task<SessionSchedule> GetScheduleAsync(string groupId, CancellationToken cancellationToken)
    {
        var schedule = await documents.GetValueAsync<SessionSchedule>(SessionSchedule.KeyFor(groupId), cancellationToken).ConfigureAwait(false) ?? new SessionSchedule();
        _schedules.Set(groupId, schedule);
        return schedule;
    }

    /// <summary>Read-modify-write of the schedule; <paramref name="mutate"/> gets an empty schedule when none is stored and returns null to change nothing.</summary>
    public async Task<SessionSchedule> UpdateScheduleAsync(string groupId, Func<SessionSchedule, SessionSchedule?> mutate, CancellationToken cancellationToken)
    {
        _schedules.Remove(groupId);
        var schedule = await documents.UpdateAsync<SessionSchedule>(SessionSchedule.KeyFor(groupId), current => mutate(current ?? new SessionSchedule()), cancellationToken).ConfigureAwait(false)
            ?? new SessionSchedule();
        _schedules.Set(groupId, schedule);
        return schedule;
    }

    private async Task<SessionSchedule> ScheduleForNextAsync(string groupId, CancellationToken cancellationToken)
        => _schedules.TryGet(groupId, out var cached) ? cached : await GetScheduleAsync(groupId, cancellationToken).ConfigureAwait(false);

    public async Task<SessionOccurrence> GetNextAsync(GroupDocument group, Instant after, CancellationToken cancellationToken)
    {
        var schedule = await ScheduleForNextAsync(group.Id, cancellationToken).ConfigureAwait(false);
        return SessionRecurrence.Upcoming(schedule, group.Zone, after).FirstOrDefault()?.ToOccurrence() ?? SessionOccurrence.Undated;
    }

    public async Task<IReadOnlyList<SessionOccurrence>> GetUpcomingAsync(GroupDocument group, Instant after, int count, CancellationToken cancellationToken)
    {
        var schedule = await ScheduleForNextAsync(group.Id, cancellationToken).ConfigureAwait(false);
        return SessionRecurrence.Upcoming(schedule, group.Zone, after).Take(Math.Max(0, count)).Select(s => s.ToOccurrence()).ToList();
    }

    /// <summary>The planned session with this id (cancelled or not), if the schedule still has it and it has not ended.</summary>
    public static PlannedSession? Find(SessionSchedule schedule, DateTimeZone zone, string occurrenceId, Instant now)
    {
        if (!OccurrenceIds.TryParse(occurrenceId, out var local)) return null;
        var start = SessionRecurrence.ToInstant(local, zone);
        // Look from just before it starts, so a session in progress is still found.
        return SessionRecurrence.After(schedule, zone, start - Duration.FromMinutes(1))
            .TakeWhile(s => s.Start <= start)
            .FirstOrDefault(s => s.Id == OccurrenceIds.Of(local) && s.End > now);
    }
}
