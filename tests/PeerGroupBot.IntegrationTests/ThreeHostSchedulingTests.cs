using System.Collections.Concurrent;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using PeerGroupBot.Core.Scheduling;
using PeerGroupBot.IntegrationTests.Support;
using PeerGroupBot.Scheduling;
using PeerGroupBot.Testing.Storage;

namespace PeerGroupBot.IntegrationTests;

/// <summary>A timer firing seen by the test: which host delivered which timer.</summary>
public sealed record Delivery(string Instance, string TimerId, Instant At);

/// <summary>A timer handler (kind "it-ping") that records every delivery into a list shared by all hosts of a test.</summary>
public sealed class RecordingHandler(string instance, ConcurrentQueue<Delivery> deliveries) : ITimerHandler
{
    public const string TimerKind = "it-ping";
    public string Kind => TimerKind;

    public Task HandleAsync(TimerDocument timer, CancellationToken cancellationToken)
    {
        deliveries.Enqueue(new Delivery(instance, timer.TimerId, SystemClock.Instance.GetCurrentInstant()));
        return Task.CompletedTask;
    }
}

/// <summary>
/// Issue 7's "done when": three real hosts with real Quartz and the real clock on one Azurite container. Scheduled work
/// runs on the holder of a real blob lease; every timer is delivered exactly once, including across a handover when
/// the lease holder stops.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ThreeHostSchedulingTests(AzuriteFixture azurite)
{
    private readonly ConcurrentQueue<Delivery> _deliveries = new();

    [Fact]
    public async Task Three_hosts_deliver_every_timer_exactly_once_and_a_stopped_leader_hands_over_without_a_miss_or_a_duplicate()
    {
        var container = AzuriteFixture.NewContainerName("sched");
        await using var deployment = await Deployment.StartAsync(azurite.ConnectionString, container);
        var hosts = new List<BridgeHost>();
        try
        {
            foreach (var name in (string[])["h1", "h2", "h3"])
                hosts.Add(await BridgeHost.StartAsync(deployment, name, s => s.AddSingleton<ITimerHandler>(new RecordingHandler(name, _deliveries))));
            Assert.True(await BridgeHost.EventuallyAsync(() => hosts.Count(h => h.IsLeader) == 1, 20), "one host should take the lease");
            await Task.Delay(500);
            Assert.Equal(1, hosts.Count(h => h.IsLeader));
            var leader = hosts.Single(h => h.IsLeader);

            // The lease is a real blob lease in the state container, held right now.
            var leaseBlob = new BlobContainerClient(azurite.ConnectionString, container).GetBlobClient("leases/scheduler-leader");
            var properties = (await leaseBlob.GetPropertiesAsync()).Value;
            Assert.Equal(LeaseState.Leased, properties.LeaseState);

            // Twelve timers set from every host (followers leave notes for the leader), due over the next 2-13 seconds:
            // spread widely enough that, even when setting them is slow, timers are still waiting when the leader stops.
            var now = SystemClock.Instance.GetCurrentInstant();
            var timers = new List<TimerDocument>();
            for (var i = 0; i < 12; i++)
            {
                var timer = new TimerDocument($"g{i % 4}", $"t{i}", RecordingHandler.TimerKind, now + Duration.FromMilliseconds(2000 + 1000 * i));
                timers.Add(timer);
                await hosts[i % 3].Get<ITimers>().ScheduleAsync(timer, CancellationToken.None);
            }

            // The leader stops part-way: it releases the lease, and another host takes over and delivers the rest.
            Assert.True(await BridgeHost.EventuallyAsync(() => _deliveries.Count >= 3, 10), "the first timers should fire on the leader");
            await leader.StopAsync();
            var rest = hosts.Where(h => h != leader).ToList();
            Assert.True(await BridgeHost.EventuallyAsync(() => rest.Count(h => h.IsLeader) == 1, 20), "another host should take over the lease");

            Assert.True(await BridgeHost.EventuallyAsync(() => _deliveries.Count >= timers.Count, 25),
                $"every timer should be delivered; got {_deliveries.Count}: {string.Join(", ", _deliveries.Select(d => d.TimerId))}");
            await Task.Delay(1500); // a duplicate would show up here

            Assert.Equal(timers.Select(t => t.TimerId).Order(), _deliveries.Select(d => d.TimerId).Order());
            Assert.Contains(_deliveries, d => d.Instance == leader.Instance);
            Assert.Contains(_deliveries, d => d.Instance != leader.Instance);
            foreach (var delivery in _deliveries)
            {
                var due = timers.Single(t => t.TimerId == delivery.TimerId).Due;
                Assert.True(delivery.At >= due, $"{delivery.TimerId} fired early");
                Assert.True(delivery.At - due < Duration.FromMinutes(1), $"{delivery.TimerId} fired {delivery.At - due} late"); // well inside the 30-minute grace
            }
        }
        finally
        {
            foreach (var host in hosts) await host.DisposeAsync();
        }
    }
    [Fact]
    public async Task A_leader_that_dies_without_releasing_the_lease_is_replaced_when_the_lease_lapses_and_missed_timers_go_out_late_once()
    {
        var container = AzuriteFixture.NewContainerName("crash");
        await using var deployment = await Deployment.StartAsync(azurite.ConnectionString, container);
        var hosts = new List<BridgeHost>();
        try
        {
            // h1 starts alone so it leads; its lease is never released, as when its process is killed.
            hosts.Add(await BridgeHost.StartAsync(deployment, "c1", s =>
            {
                s.AddSingleton<ITimerHandler>(new RecordingHandler("c1", _deliveries));
                s.AddSingleton<ILeaderLeaseFactory>(sp => new NeverReleasedLeaseFactory(ActivatorUtilities.CreateInstance<LeaderLeaseFactory>(sp)));
            }));
            Assert.True(await BridgeHost.EventuallyAsync(() => hosts[0].IsLeader, 20));
            foreach (var name in (string[])["c2", "c3"])
                hosts.Add(await BridgeHost.StartAsync(deployment, name, s => s.AddSingleton<ITimerHandler>(new RecordingHandler(name, _deliveries))));

            var now = SystemClock.Instance.GetCurrentInstant();
            // Due 6-12 s from now: after c1 has stopped (even on a slow machine), before its 15 s lease lapses.
            var timers = Enumerable.Range(0, 4)
                .Select(i => new TimerDocument("g1", $"k{i}", RecordingHandler.TimerKind, now + Duration.FromSeconds(6 + 2 * i))).ToList();
            foreach (var timer in timers) await hosts[1].Get<ITimers>().ScheduleAsync(timer, CancellationToken.None);
            await hosts[0].StopAsync(); // stops renewing, never releases

            // The blob lease (15 s) lapses on its own; one of the others takes over and sends what fell due meanwhile.
            Assert.True(await BridgeHost.EventuallyAsync(() => hosts.Skip(1).Count(h => h.IsLeader) == 1, 30), "another host should take over once the lease lapses");
            Assert.True(await BridgeHost.EventuallyAsync(() => _deliveries.Count >= timers.Count, 20),
                $"every timer should be delivered; got {string.Join(", ", _deliveries.Select(d => d.TimerId))}");
            await Task.Delay(1500);
            Assert.Equal(timers.Select(t => t.TimerId).Order(), _deliveries.Select(d => d.TimerId).Order());
            Assert.All(_deliveries, d => Assert.NotEqual("c1", d.Instance));
        }
        finally
        {
            foreach (var host in hosts) await host.DisposeAsync();
        }
    }
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
