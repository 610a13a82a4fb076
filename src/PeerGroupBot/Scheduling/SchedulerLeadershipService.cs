using Microsoft.Extensions.Options;
using NodaTime;
using PeerGroupBot.Core.Scheduling;
using PeerGroupBot.Core.State;
using Quartz;

namespace PeerGroupBot.Scheduling;

/// <summary>
/// Runs the Quartz scheduler only while this instance holds the leader lease. On taking the lease it derives every
/// trigger from the stored timers and starts firing; while it leads it renews the lease, applies timer changes noted
/// by other instances, resyncs now and then, and purges old delivery markers; on losing the lease it stops firing at
/// once. On a clean shutdown it releases the lease so another instance takes over without waiting for it to lapse.
/// </summary>
public sealed class SchedulerLeadershipService(
    ILeaderLeaseFactory leases,
    LeaderState leader,
    QuartzTimerTriggers triggers,
    QuartzTimerWakeup wakeup,
    ISchedulerFactory schedulers,
    Documents documents,
    IClock clock,
    IOptions<SchedulingHostOptions> options,
    ILogger<SchedulerLeadershipService> logger) : BackgroundService
{
    private ILeaderLease? _lease;
    private IScheduler? _scheduler;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        _lease = leases.Create();
        _scheduler = await schedulers.GetScheduler(stoppingToken);
        await _scheduler.AddJob(JobBuilder.Create<TimerJob>().WithIdentity(TimerJob.Key).StoreDurably().Build(), new AddJobOptions { Replace = true }, stoppingToken);
        var queue = wakeup.RunAsync(stoppingToken);

        var renewEvery = TimeSpan.FromSeconds(Math.Max(0.2, _lease.Length.TotalSeconds / 3));
        var tick = TimeSpan.FromSeconds(Math.Max(0.2, Math.Min(renewEvery.TotalSeconds, settings.PollSeconds)));
        DateTime lastRenew = DateTime.MinValue, lastPoll = DateTime.MinValue, lastResync = DateTime.MinValue, lastPurge = DateTime.MinValue;
        var leading = false;

        while (!stoppingToken.IsCancellationRequested)
        {
            var now = DateTime.UtcNow;
            try
            {
                if (!leading || now - lastRenew >= renewEvery)
                {
                    var at = clock.GetCurrentInstant();
                    var held = leading ? await _lease.RenewAsync(stoppingToken) : await _lease.TryAcquireAsync(stoppingToken);
                    if (held)
                    {
                        leader.Held(at, _lease.Length);
                        lastRenew = now;
                        if (!leading)
                        {
                            leading = true;
                            logger.LogInformation("Instance {Instance} now leads scheduled work.", _lease.HolderId);
                            await triggers.DeriveAllAsync(_scheduler, stoppingToken);
                            await wakeup.ApplyNotesAsync(_scheduler, stoppingToken);
                            lastResync = lastPoll = now;
                            await _scheduler.Start(stoppingToken);
                        }
                    }
                    else if (leading)
                    {
                        leading = false;
                        await StopLeadingAsync(stoppingToken);
                        logger.LogWarning("Instance {Instance} lost the scheduling lease; another instance runs scheduled work now.", _lease.HolderId);
                    }
                }

                if (leading && !leader.IsLeader)
                {
                    // Renewal has been failing (storage trouble) for most of the lease: stop before another can take over.
                    leading = false;
                    await StopLeadingAsync(stoppingToken);
                    logger.LogWarning("Instance {Instance} could not renew the scheduling lease in time and stopped firing.", _lease.HolderId);
                }

                if (leading && now - lastPoll >= TimeSpan.FromSeconds(settings.PollSeconds))
                {
                    await wakeup.ApplyNotesAsync(_scheduler, stoppingToken);
                    lastPoll = now;
                }
                if (leading && now - lastResync >= TimeSpan.FromMinutes(settings.ResyncMinutes))
                {
                    await triggers.DeriveAllAsync(_scheduler, stoppingToken);
                    lastResync = now;
                }
                if (leading && now - lastPurge >= TimeSpan.FromHours(settings.PurgeHours))
                {
                    var purged = await DeliveryMarkers.PurgeAsync(documents, clock.GetCurrentInstant() - Duration.FromTimeSpan(TimeSpan.FromDays(settings.DeliveryMarkerRetentionDays)), stoppingToken);
                    if (purged > 0) logger.LogInformation("Removed {Count} old delivery marker(s).", purged);
                    lastPurge = now;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // Storage trouble: keep trying; LeaderState stops firing if renewals keep failing.
                logger.LogWarning("Scheduling upkeep failed with {Error}; retrying.", ex.GetType().Name);
            }

            try { await Task.Delay(tick, stoppingToken); }
            catch (OperationCanceledException) { break; }
        }

        try { await queue; } catch (OperationCanceledException) { }
    }

    private async Task StopLeadingAsync(CancellationToken cancellationToken)
    {
        leader.Lost();
        if (_scheduler is null) return;
        await _scheduler.Standby(cancellationToken);
        await triggers.ClearAsync(_scheduler, cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        var wasLeader = leader.IsLeader;
        leader.Lost();
        if (_scheduler is not null && _scheduler.Status is not (SchedulerStatus.ShuttingDown or SchedulerStatus.Shutdown))
            await _scheduler.Shutdown(waitForJobsToComplete: true, cancellationToken);
        if (wasLeader && _lease is not null)
        {
            try
            {
                await _lease.ReleaseAsync(cancellationToken);
                logger.LogInformation("Instance {Instance} released the scheduling lease.", _lease.HolderId);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning("Releasing the scheduling lease failed with {Error}; it will lapse on its own.", ex.GetType().Name);
            }
        }
    }
}
