using NodaTime;
using PeerGroupBot.Core.Scheduling;
using PeerGroupBot.Core.State;
using Quartz;

namespace PeerGroupBot.Scheduling;

/// <summary>
/// The one Quartz job: a trigger names a stored timer; the job reads it and hands it to the core's
/// <see cref="TimerDispatcher"/>, which claims a delivery marker first so the timer runs at most once.
/// </summary>
public sealed class TimerJob(
    Documents documents,
    TimerDispatcher dispatcher,
    LeaderState leader,
    QuartzTimerTriggers triggers,
    QuartzTimerWakeup wakeup,
    IClock clock,
    ILogger<TimerJob> logger) : IJob
{
    public static readonly JobKey Key = new("timer", "pgb");

    /// <summary>Quartz may fire a hair early by this clock; wait that out rather than reschedule.</summary>
    private static readonly Duration EarlyTolerance = Duration.FromSeconds(2);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var timerKey = context.MergedJobDataMap.TryGetValue(QuartzTimerTriggers.TimerKeyData, out var value) ? value as string : null;
        if (timerKey is null) return;
        triggers.Fired(timerKey, context.Trigger.Key);
        if (!leader.IsLeader) return; // the new leader derives this timer itself

        try
        {
            var stored = await documents.GetValueAsync<TimerDocument>(timerKey, cancellationToken).ConfigureAwait(false);
            if (stored is null) return;
            var early = stored.Due - clock.GetCurrentInstant();
            if (early > EarlyTolerance)
            {
                wakeup.Enqueue(stored.GroupId, stored.TimerId); // moved later since this trigger was made
                return;
            }
            if (early > Duration.Zero) await Task.Delay(early.ToTimeSpan(), cancellationToken).ConfigureAwait(false);
            await dispatcher.FireAsync(stored, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Ids only: the exception message could carry member text from a handler.
            logger.LogError("Running timer {TimerKey} failed with {Error}.", timerKey, ex.GetType().FullName);
        }
    }
}
