using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using PeerGroupBot.Core.State;
using PeerGroupBot.Core.Telemetry;

namespace PeerGroupBot.Core.Scheduling;

public sealed class SchedulingOptions
{
    public const string Section = "Scheduling";

    /// <summary>A timer missed while no instance ran is still delivered this late; later than that it is skipped with a log line.</summary>
    public int MisfireGraceMinutes { get; set; } = 30;

    /// <summary>The blob lease that decides which instance runs scheduled work.</summary>
    public string LeaseName { get; set; } = "scheduler-leader";
}

/// <summary>A delivery marker: created with If-None-Match:* before a timer's work runs, so it runs at most once.</summary>
public sealed record DeliveryMarker(string TimerId, Instant Due, Instant DeliveredAt);

/// <summary>
/// Fires due timers: claims each with a marker document (create-if-absent), runs its handler, removes the timer.
/// Safe when two instances both think they lead: only one claim succeeds.
/// </summary>
public sealed class TimerDispatcher(
    Documents documents,
    IEnumerable<ITimerHandler> handlers,
    IClock clock,
    IOptions<SchedulingOptions> options,
    ILogger<TimerDispatcher> logger)
{
    private readonly Dictionary<string, ITimerHandler> _handlers = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);

    public static string MarkerKey(TimerDocument timer) => $"deliveries/{timer.GroupId}/{timer.TimerId}-{timer.Due.ToUnixTimeMilliseconds()}";

    /// <summary>Fires one timer if it is still stored as given. Returns true when this call delivered it.</summary>
    public async Task<bool> FireAsync(TimerDocument timer, CancellationToken cancellationToken)
    {
        var stored = await documents.GetAsync<TimerDocument>(timer.Key, cancellationToken).ConfigureAwait(false);
        if (stored is null || stored.Value.Due != timer.Due) return false; // cancelled or moved since it was scheduled
        var now = clock.GetCurrentInstant();
        if (now < timer.Due) return false;

        var late = now - timer.Due;
        var kindTag = _handlers.ContainsKey(timer.Kind) ? timer.Kind : "other"; // kinds are the handlers' own words
        using var span = BotTelemetry.Source.StartActivity("timer");
        span?.SetTag("peergroupbot.timer.kind", kindTag);
        var claimed = await documents.TryCreateAsync(MarkerKey(timer), new DeliveryMarker(timer.TimerId, timer.Due, now), cancellationToken).ConfigureAwait(false);
        var outcome = "duplicate"; // another instance (or an earlier try) delivered it: it goes out once
        if (claimed)
        {
            if (late > Duration.FromMinutes(options.Value.MisfireGraceMinutes))
            {
                outcome = "missed";
                logger.LogWarning("Timer {Kind} for group {GroupId} was {Minutes:F0} minutes late, beyond the grace window; skipped.",
                    timer.Kind, timer.GroupId, late.TotalMinutes);
                if (_handlers.GetValueOrDefault(timer.Kind) is IMissedTimerHandler missed)
                    await missed.MissedAsync(timer, cancellationToken).ConfigureAwait(false);
            }
            else if (_handlers.TryGetValue(timer.Kind, out var handler))
            {
                outcome = "delivered";
                await handler.HandleAsync(timer, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                outcome = "unhandled";
                logger.LogWarning("No handler for timer kind {Kind}; skipped.", timer.Kind);
            }
        }
        BotTelemetry.TimersFired.Add(1, new KeyValuePair<string, object?>("kind", kindTag), new KeyValuePair<string, object?>("outcome", outcome));

        // Remove the timer unless a handler rescheduled it (a different due time means a new occurrence).
        var after = await documents.GetAsync<TimerDocument>(timer.Key, cancellationToken).ConfigureAwait(false);
        if (after is not null && after.Value.Due == timer.Due)
        {
            try { await documents.Store.DeleteAsync(timer.Key, after.ETag, cancellationToken).ConfigureAwait(false); }
            catch (StateConflictException) { /* moved or removed meanwhile: nothing to do */ }
        }
        return claimed;
    }

    /// <summary>Fires every stored timer due by now (used at start-up catch-up and by tests with a fake clock).</summary>
    public async Task<int> FireDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var due = new List<TimerDocument>();
        await foreach (var timer in documents.ListAsync<TimerDocument>("timers/", cancellationToken: cancellationToken).ConfigureAwait(false))
            if (timer.Value.Due <= now) due.Add(timer.Value);
        var fired = 0;
        foreach (var timer in due.OrderBy(t => t.Due))
            if (await FireAsync(timer, cancellationToken).ConfigureAwait(false)) fired++;
        return fired;
    }
}
