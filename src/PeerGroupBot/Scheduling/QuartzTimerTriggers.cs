using System.Collections.Concurrent;
using PeerGroupBot.Core.Scheduling;
using PeerGroupBot.Core.State;
using Quartz;

namespace PeerGroupBot.Scheduling;

/// <summary>
/// Keeps one Quartz trigger per stored timer document on the leader, always derived from the document: a trigger's
/// name is the timer's key plus its due time, so a moved timer gets a fresh trigger and the old one is removed.
/// </summary>
public sealed class QuartzTimerTriggers(Documents documents, ILogger<QuartzTimerTriggers> logger)
{
    public const string TriggerGroup = "pgb-timers";
    public const string TimerKeyData = "timerKey";

    private readonly ConcurrentDictionary<string, TriggerKey> _byTimer = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public int Count => _byTimer.Count;

    /// <summary>Reads the timer document at <paramref name="timerKey"/> and makes the trigger match it (or removes it).</summary>
    public async Task SyncAsync(IScheduler scheduler, string timerKey, CancellationToken cancellationToken)
    {
        var timer = await documents.GetValueAsync<TimerDocument>(timerKey, cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ApplyAsync(scheduler, timerKey, timer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Drops every trigger and derives them all again from the stored timers.</summary>
    public async Task DeriveAllAsync(IScheduler scheduler, CancellationToken cancellationToken)
    {
        var timers = new List<TimerDocument>();
        await foreach (var timer in documents.ListAsync<TimerDocument>("timers/",
            ex => logger.LogError("Stored timer {Key} could not be read; it was left untouched.", ex.Key), cancellationToken).ConfigureAwait(false))
            timers.Add(timer.Value);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stored = timers.Select(t => t.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in _byTimer.Keys.Where(k => !stored.Contains(k)).ToList())
                await ApplyAsync(scheduler, gone, null, cancellationToken).ConfigureAwait(false);
            foreach (var timer in timers)
                await ApplyAsync(scheduler, timer.Key, timer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
        logger.LogInformation("Derived {Count} timer trigger(s) from storage.", timers.Count);
    }

    /// <summary>Removes every trigger (when this instance stops leading).</summary>
    public async Task ClearAsync(IScheduler scheduler, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var key in _byTimer.Keys.ToList())
                await ApplyAsync(scheduler, key, null, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ApplyAsync(IScheduler scheduler, string timerKey, TimerDocument? timer, CancellationToken cancellationToken)
    {
        _byTimer.TryGetValue(timerKey, out var existing);
        if (timer is null)
        {
            if (existing is not null)
            {
                await scheduler.UnscheduleJob(existing, cancellationToken).ConfigureAwait(false);
                _byTimer.TryRemove(timerKey, out _);
            }
            return;
        }

        var wanted = new TriggerKey($"{timerKey}@{timer.Due.ToUnixTimeMilliseconds()}", TriggerGroup);
        if (wanted == existing && await scheduler.Exists(wanted, cancellationToken).ConfigureAwait(false)) return;
        var trigger = TriggerBuilder.Create(TimeProvider.System)
            .WithIdentity(wanted)
            .ForJob(TimerJob.Key)
            .UsingJobData(TimerKeyData, timerKey)
            .StartAt(timer.Due.ToDateTimeOffset())
            .WithSchedule(SimpleScheduleBuilder.Create().WithRepeatCount(0).WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();
        // A late timer still fires: the dispatcher decides between "late but within grace" and "skipped".
        await scheduler.ScheduleTrigger(trigger, TriggerConflict.Replace, cancellationToken).ConfigureAwait(false);
        _byTimer[timerKey] = wanted;
        if (existing is not null && existing != wanted)
            await scheduler.UnscheduleJob(existing, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forgets a trigger Quartz has finished with (one-shot triggers are removed after they fire).</summary>
    public void Fired(string timerKey, TriggerKey trigger)
    {
        if (_byTimer.TryGetValue(timerKey, out var current) && current == trigger)
            _byTimer.TryRemove(new KeyValuePair<string, TriggerKey>(timerKey, current));
    }
}
