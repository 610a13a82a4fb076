using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using PeerGroupBot.Core.Scheduling;
using PeerGroupBot.Core.State;
using PeerGroupBot.Hosting;
using PeerGroupBot.Scheduling;
using PeerGroupBot.Testing;

namespace PeerGroupBot.Tests.Scheduling;

/// <summary>A delivery seen by a test timer handler: which instance ran which timer, and when.</summary>
public sealed record Delivery(string Instance, string TimerId, Instant At);

/// <summary>A timer handler of kind "test-ping" that records every delivery into a list shared by all hosts of a test.</summary>
public sealed class RecordingTimerHandler(string instance, ConcurrentQueue<Delivery> deliveries, IClock clock) : ITimerHandler
{
    public const string TimerKind = "test-ping";
    public string Kind => TimerKind;

    public Task HandleAsync(TimerDocument timer, CancellationToken cancellationToken)
    {
        deliveries.Enqueue(new Delivery(instance, timer.TimerId, clock.GetCurrentInstant()));
        return Task.CompletedTask;
    }
}

/// <summary>A lease that every instance always holds: to show that delivery markers alone prevent duplicates.</summary>
public sealed class AlwaysHeldLease(string holderId) : ILeaderLease, ILeaderLeaseFactory
{
    public string HolderId => holderId;
    public Duration Length => Duration.FromSeconds(2);
    public Task<bool> TryAcquireAsync(CancellationToken cancellationToken) => Task.FromResult(true);
    public Task<bool> RenewAsync(CancellationToken cancellationToken) => Task.FromResult(true);
    public Task ReleaseAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public ILeaderLease Create() => this;
}

/// <summary>A lease that is never released, as when the process holding it is killed.</summary>
public sealed class NeverReleasedLeaseFactory(ILeaderLeaseFactory inner) : ILeaderLeaseFactory
{
    public ILeaderLease Create() => new NeverReleased(inner.Create());

    private sealed class NeverReleased(ILeaderLease lease) : ILeaderLease
    {
        public string HolderId => lease.HolderId;
        public Duration Length => lease.Length;
        public Task<bool> TryAcquireAsync(CancellationToken cancellationToken) => lease.TryAcquireAsync(cancellationToken);
        public Task<bool> RenewAsync(CancellationToken cancellationToken) => lease.RenewAsync(cancellationToken);
        public Task ReleaseAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>One bot host (real Quartz, real clock) on a store shared with other hosts of the same test.</summary>
public sealed class SchedulingHost : IAsyncDisposable
{
    private bool _stopped;

    public string Instance { get; }
    public WebApplication App { get; }
    public CapturingLoggerProvider Logs { get; }

    private SchedulingHost(string instance, WebApplication app, CapturingLoggerProvider logs)
    {
        Instance = instance;
        App = app;
        Logs = logs;
    }

    public static async Task<SchedulingHost> StartAsync(IStateStore store, ConcurrentQueue<Delivery> deliveries, string instance, Action<IServiceCollection>? configure = null)
    {
        var logs = new CapturingLoggerProvider();
        var app = BotHost.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--environment", "Development",
            "--Playground:Enabled", "false",
            "--Scheduling:LeaseSeconds", "2",
            "--Scheduling:PollSeconds", "0.3",
            "--Scheduling:InstanceId", instance,
        ], builder =>
        {
            builder.Logging.AddProvider(logs);
            builder.Services.AddSingleton(store);
            builder.Services.AddSingleton<ITimerHandler>(sp => new RecordingTimerHandler(instance, deliveries, sp.GetRequiredService<IClock>()));
            configure?.Invoke(builder.Services);
        });
        await app.StartAsync();
        return new SchedulingHost(instance, app, logs);
    }

    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public bool IsLeader => Get<LeaderState>().IsLeader;

    /// <summary>Schedules a test timer <paramref name="fromNow"/> from now by the host's clock.</summary>
    public Task ScheduleAsync(string groupId, string timerId, TimeSpan fromNow)
        => ScheduleAsync(groupId, timerId, Get<IClock>().GetCurrentInstant() + Duration.FromTimeSpan(fromNow));

    /// <summary>Schedules a test timer due at <paramref name="due"/>.</summary>
    public Task ScheduleAsync(string groupId, string timerId, Instant due)
        => Get<ITimers>().ScheduleAsync(new TimerDocument(groupId, timerId, RecordingTimerHandler.TimerKind, due), CancellationToken.None);

    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        await App.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await App.DisposeAsync();
    }

    /// <summary>Waits until <paramref name="condition"/> holds, up to <paramref name="seconds"/>.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition, double seconds = 10)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            if (condition()) return true;
            await Task.Delay(50);
        }
        return condition();
    }
}
