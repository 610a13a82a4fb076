using NodaTime;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Core.Scheduling;

/// <summary>
/// A one-shot timer owned by a group: a poll deadline, a session reminder, a concern re-nudge.
/// Stored at <c>timers/{groupId}/{timerId}</c>; the runtime scheduler (Quartz in the host) is derived from these.
/// </summary>
public sealed record TimerDocument(string GroupId, string TimerId, string Kind, Instant Due, string? Payload = null)
{
    public string Key => KeyFor(GroupId, TimerId);
    public static string KeyFor(string groupId, string timerId) => $"timers/{groupId}/{timerId}";
}

/// <summary>The scheduling port the flows use. Scheduling the same timer id again moves it.</summary>
public interface ITimers
{
    Task ScheduleAsync(TimerDocument timer, CancellationToken cancellationToken);
    Task CancelAsync(string groupId, string timerId, CancellationToken cancellationToken);
}

/// <summary>Runs when a timer of its <see cref="Kind"/> falls due. Registered by each feature.</summary>
public interface ITimerHandler
{
    string Kind { get; }
    Task HandleAsync(TimerDocument timer, CancellationToken cancellationToken);
}

/// <summary>
/// Optionally implemented by an <see cref="ITimerHandler"/> that must hear about a timer skipped for being later than
/// the grace window: a chain of reminders schedules its next link, a held message is still delivered.
/// </summary>
public interface IMissedTimerHandler
{
    Task MissedAsync(TimerDocument timer, CancellationToken cancellationToken);
}

/// <summary>Told when stored timers change, so the runtime scheduler can follow. The default does nothing.</summary>
public interface ITimerWakeup
{
    void Scheduled(TimerDocument timer);
    void Cancelled(string groupId, string timerId);
}

public sealed class NoTimerWakeup : ITimerWakeup
{
    public void Scheduled(TimerDocument timer) { }
    public void Cancelled(string groupId, string timerId) { }
}

/// <summary>Persists timers as documents, then tells the runtime scheduler.</summary>
public sealed class StoredTimers(Documents documents, ITimerWakeup wakeup) : ITimers
{
    public async Task ScheduleAsync(TimerDocument timer, CancellationToken cancellationToken)
    {
        await documents.UpdateAsync<TimerDocument>(timer.Key, current => current == timer ? null : timer, cancellationToken).ConfigureAwait(false);
        wakeup.Scheduled(timer);
    }

    public async Task CancelAsync(string groupId, string timerId, CancellationToken cancellationToken)
    {
        await documents.DeleteAsync(TimerDocument.KeyFor(groupId, timerId), cancellationToken).ConfigureAwait(false);
        wakeup.Cancelled(groupId, timerId);
    }
}
