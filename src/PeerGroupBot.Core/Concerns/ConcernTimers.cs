using System.Globalization;
using NodaTime;
using PeerGroupBot.Core.Scheduling;

namespace PeerGroupBot.Core.Concerns;

/// <summary>
/// The concern timers. Each timer's payload is a concern number, never anything about the member.
/// </summary>
public static class ConcernTimers
{
    /// <summary>A concern's random delay has passed: share it with the facilitators.</summary>
    public const string Post = "concern-post";
    /// <summary>Not acknowledged in time: re-nudge the facilitators.</summary>
    public const string Nudge = "concern-nudge";
    /// <summary>A member's answer's random delay has passed: share it.</summary>
    public const string Relay = "concern-relay";
    /// <summary>The retention period has ended: delete the concern (or, while open, its reply route).</summary>
    public const string Retention = "concern-retention";
    /// <summary>A new UTC day has begun: delete the daily-limit counters of earlier days (and sweep the group's retention).</summary>
    public const string LimitsPurge = "concern-limits-purge";

    public static string PostId(int number) => $"{Post}-{number}";
    public static string NudgeId(int number) => $"{Nudge}-{number}";
    public static string RelayId(int number) => $"{Relay}-{number}";
    public static string RetentionId(int number) => $"{Retention}-{number}";
    public const string LimitsPurgeId = LimitsPurge;

    public static string Payload(int number) => number.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Runs one kind of concern timer; one instance is registered per kind.</summary>
public sealed class ConcernTimerHandler(string kind, ConcernDesk desk, DailyLimit limit, IClock clock) : ITimerHandler
{
    public string Kind => kind;

    public async Task HandleAsync(TimerDocument timer, CancellationToken cancellationToken)
    {
        if (kind == ConcernTimers.LimitsPurge)
        {
            await limit.PurgeBeforeTodayAsync(clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false);
            await desk.SweepAsync(timer.GroupId, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (!int.TryParse(timer.Payload, NumberStyles.None, CultureInfo.InvariantCulture, out var number)) return;
        var work = kind switch
        {
            ConcernTimers.Post => desk.PostAsync(timer.GroupId, number, cancellationToken),
            ConcernTimers.Nudge => desk.NudgeAsync(timer.GroupId, number, cancellationToken),
            ConcernTimers.Relay => desk.RelayAsync(timer.GroupId, number, cancellationToken),
            ConcernTimers.Retention => desk.RetainAsync(timer.GroupId, number, cancellationToken),
            _ => Task.CompletedTask,
        };
        await work.ConfigureAwait(false);
    }
}
