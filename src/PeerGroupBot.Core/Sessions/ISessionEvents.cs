using NodaTime;
using PeerGroupBot.Core.Groups;

namespace PeerGroupBot.Core.Sessions;

/// <summary>
/// A platform's own calendar of the group's sessions (Discord's scheduled events, the server's Events tab). The
/// reminder chain calls <see cref="SyncAsync"/> whenever it is recomputed (every schedule change, every reminder), so
/// the platform's events follow the schedule: created, moved, cancelled and put back with it. Failures stay inside the
/// implementation: the schedule never depends on a platform being reachable.
/// </summary>
public interface ISessionEvents
{
    /// <summary>Brings the platform's events for <paramref name="group"/> in line with <paramref name="schedule"/> as of <paramref name="now"/>.</summary>
    Task SyncAsync(GroupDocument group, SessionSchedule schedule, Instant now, CancellationToken cancellationToken);

    /// <summary>How many people marked the session's event "Interested" on the platform; null when unknown (no event there, or the platform could not be asked).</summary>
    Task<int?> InterestedAsync(GroupDocument group, string occurrenceId, CancellationToken cancellationToken);
}

/// <summary>Used when no platform mirrors sessions: nothing to sync, nobody "Interested".</summary>
public sealed class NoSessionEvents : ISessionEvents
{
    public Task SyncAsync(GroupDocument group, SessionSchedule schedule, Instant now, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<int?> InterestedAsync(GroupDocument group, string occurrenceId, CancellationToken cancellationToken) => Task.FromResult<int?>(null);
}
