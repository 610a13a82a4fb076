using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NodaTime;
using PeerGroupBot.Core.Scheduling;
using PeerGroupBot.Core.State;
using Quartz;
using SchedulingOptions = PeerGroupBot.Core.Scheduling.SchedulingOptions;

namespace PeerGroupBot.Scheduling;

/// <summary>Makes the lease this instance competes for. The seam between the folder/in-memory store and Azure Blob.</summary>
public interface ILeaderLeaseFactory
{
    ILeaderLease Create();
}

/// <summary>
/// A blob lease when the storage registration provides a <see cref="BlobContainerClient"/> (the state container),
/// otherwise a lease document in the state store (folder or in-memory).
/// </summary>
public sealed class LeaderLeaseFactory(
    IServiceProvider services,
    IOptions<SchedulingOptions> core,
    IOptions<SchedulingHostOptions> host) : ILeaderLeaseFactory
{
    public ILeaderLease Create()
    {
        var length = Duration.FromTimeSpan(TimeSpan.FromSeconds(host.Value.LeaseSeconds));
        var holder = host.Value.InstanceId!;
        var container = services.GetService<BlobContainerClient>();
        return container is not null
            ? new BlobLeaderLease(container, core.Value.LeaseName, holder, length)
            : new StoredLeaderLease(services.GetRequiredService<Documents>(), services.GetRequiredService<IClock>(), core.Value.LeaseName, holder, length);
    }
}

public static class SchedulingRegistration
{
    /// <summary>
    /// Quartz-backed timers with leader election: the core's timers become Quartz triggers on whichever instance holds
    /// the lease named <c>Scheduling:LeaseName</c>. Call after (or before) <c>AddPeerGroupBotCore</c>.
    /// </summary>
    public static IServiceCollection AddPeerGroupBotScheduling(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(SchedulingOptions.Section);
        services.AddOptions<SchedulingOptions>().Bind(section);
        services.AddOptions<SchedulingHostOptions>().Bind(section).PostConfigure(o =>
        {
            if (string.IsNullOrWhiteSpace(o.InstanceId))
                o.InstanceId = $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..8]}".ToLowerInvariant();
        });

        services.TryAddSingleton<LeaderState>();
        services.TryAddSingleton<QuartzTimerTriggers>();
        services.TryAddSingleton<QuartzTimerWakeup>();
        services.RemoveAll<ITimerWakeup>();
        services.AddSingleton<ITimerWakeup>(sp => sp.GetRequiredService<QuartzTimerWakeup>());
        services.TryAddSingleton<ILeaderLeaseFactory, LeaderLeaseFactory>();
        services.AddTransient<TimerJob>();

        // Each host gets its own scheduler name, so several hosts can share one process (tests) without clashing.
        var schedulerName = "PeerGroupBot-" + Guid.NewGuid().ToString("N")[..8];
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o =>
            {
                o.InstanceName = schedulerName;
                o.InstanceId = schedulerName;
            });
            q.UseInMemoryStore(o => o.MisfireThreshold = TimeSpan.FromSeconds(5));
        });
        services.AddHostedService<SchedulerLeadershipService>();
        return services;
    }
}
