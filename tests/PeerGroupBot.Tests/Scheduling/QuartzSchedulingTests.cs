using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using PeerGroupBot.Core.Scheduling;
using PeerGroupBot.Core.State;
using PeerGroupBot.Scheduling;

namespace PeerGroupBot.Tests.Scheduling;

/// <summary>
/// The real host with Quartz and the real clock: timers fire through Quartz, are rebuilt from storage at start, run
/// once across instances, and move to another instance when the leader stops. Delays are a second or two.
/// </summary>
public sealed class QuartzSchedulingTests
{
    private readonly InMemoryStateStore _store = new();
    private readonly ConcurrentQueue<Delivery> _deliveries = new();
    private static Instant Now => SystemClock.Instance.GetCurrentInstant();

    [Fact]
    public async Task A_timer_scheduled_through_ITimers_fires_through_Quartz_on_time_and_once()
    {
        await using var host = await SchedulingHost.StartAsync(_store, _deliveries, "solo");
        Assert.True(await SchedulingHost.EventuallyAsync(() => host.IsLeader), "the only instance should take the lease");

        var due = Now + Duration.FromSeconds(1.5);
        await host.Get<ITimers>().ScheduleAsync(new TimerDocument("g1", "ping", RecordingTimerHandler.TimerKind, due), CancellationToken.None);
        Assert.True(await SchedulingHost.EventuallyAsync(() => !_deliveries.IsEmpty), "the timer should fire");

        var delivery = Assert.Single(_deliveries);
        Assert.Equal("ping", delivery.TimerId);
        Assert.True(delivery.At >= due, $"fired early: {delivery.At} before {due}");
        Assert.True(delivery.At - due < Duration.FromSeconds(2), $"fired late: {delivery.At - due}");
        Assert.Null(await _store.GetAsync(TimerDocument.KeyFor("g1", "ping")));
        Assert.NotNull(await _store.GetAsync(TimerDispatcher.MarkerKey(new TimerDocument("g1", "ping", RecordingTimerHandler.TimerKind, due))));

        await Task.Delay(1000);
        Assert.Single(_deliveries);
    }

    [Fact]
    public async Task A_cancelled_or_moved_timer_follows_its_stored_document()
    {
        await using var host = await SchedulingHost.StartAsync(_store, _deliveries, "solo");
        Assert.True(await SchedulingHost.EventuallyAsync(() => host.IsLeader));

        // Both are first due in 3 s, long enough for a slow machine to cancel one and move the other before then;
        // the moved one is due 2 s after that, so by the time it fires the cancelled one (and the moved one's first
        // trigger) would have fired too.
        var first = Now + Duration.FromSeconds(3);
        await host.ScheduleAsync("g1", "cancelled", first);
        await host.ScheduleAsync("g1", "moved", first);
        await host.Get<ITimers>().CancelAsync("g1", "cancelled", CancellationToken.None);
        var movedTo = first + Duration.FromSeconds(2);
        await host.Get<ITimers>().ScheduleAsync(new TimerDocument("g1", "moved", RecordingTimerHandler.TimerKind, movedTo), CancellationToken.None);
        Assert.True(Now < first, "the cancel and the move should happen before the first due time");

        Assert.True(await SchedulingHost.EventuallyAsync(() => !_deliveries.IsEmpty, 15));
        await Task.Delay(800);
        var delivery = Assert.Single(_deliveries);
        Assert.Equal("moved", delivery.TimerId);
        Assert.True(delivery.At >= movedTo);
    }

    [Fact]
    public async Task Triggers_are_rebuilt_from_stored_timers_at_start_with_the_grace_window_applied()
    {
        var documents = new Documents(_store);
        await documents.TryCreateAsync(TimerDocument.KeyFor("g1", "soon"), new TimerDocument("g1", "soon", RecordingTimerHandler.TimerKind, Now + Duration.FromSeconds(1)));
        await documents.TryCreateAsync(TimerDocument.KeyFor("g1", "missed-recently"), new TimerDocument("g1", "missed-recently", RecordingTimerHandler.TimerKind, Now - Duration.FromMinutes(5)));
        await documents.TryCreateAsync(TimerDocument.KeyFor("g2", "missed-long-ago"), new TimerDocument("g2", "missed-long-ago", RecordingTimerHandler.TimerKind, Now - Duration.FromHours(2)));

        await using var host = await SchedulingHost.StartAsync(_store, _deliveries, "restarted");
        Assert.True(await SchedulingHost.EventuallyAsync(() => _deliveries.Count >= 2));
        await Task.Delay(500);

        Assert.Equal(["missed-recently", "soon"], _deliveries.Select(d => d.TimerId).Order());
        Assert.Contains(host.Logs.Lines, l => l.Contains("beyond the grace window"));
        Assert.Empty(await ListAsync("timers/"));
    }

    [Fact]
    public async Task Two_instances_elect_one_leader_and_a_timer_set_on_the_other_fires_once()
    {
        await using var a = await SchedulingHost.StartAsync(_store, _deliveries, "a");
        await using var b = await SchedulingHost.StartAsync(_store, _deliveries, "b");
        Assert.True(await SchedulingHost.EventuallyAsync(() => a.IsLeader || b.IsLeader));
        await Task.Delay(500);
        Assert.False(a.IsLeader && b.IsLeader);
        var follower = a.IsLeader ? b : a;
        var leader = a.IsLeader ? a : b;

        // Set on the follower: it leaves a note that the leader picks up.
        await follower.ScheduleAsync("g1", "from-follower", TimeSpan.FromSeconds(1.5));
        Assert.True(await SchedulingHost.EventuallyAsync(() => !_deliveries.IsEmpty));
        await Task.Delay(1000);
        var delivery = Assert.Single(_deliveries);
        Assert.Equal(leader.Instance, delivery.Instance);
        Assert.Empty(await ListAsync(QuartzTimerWakeup.NotesPrefix));
    }

    [Fact]
    public async Task Two_instances_that_both_believe_they_lead_still_deliver_each_timer_once()
    {
        var documents = new Documents(_store);
        var due = Now + Duration.FromSeconds(2);
        for (var i = 0; i < 5; i++)
            await documents.TryCreateAsync(TimerDocument.KeyFor("g1", $"t{i}"), new TimerDocument("g1", $"t{i}", RecordingTimerHandler.TimerKind, due));

        void BothLead(IServiceCollection services, string name)
        {
            services.RemoveAll<ILeaderLeaseFactory>();
            services.AddSingleton<ILeaderLeaseFactory>(new AlwaysHeldLease(name));
        }
        await using var a = await SchedulingHost.StartAsync(_store, _deliveries, "a", s => BothLead(s, "a"));
        await using var b = await SchedulingHost.StartAsync(_store, _deliveries, "b", s => BothLead(s, "b"));
        Assert.True(await SchedulingHost.EventuallyAsync(() => a.IsLeader && b.IsLeader));

        Assert.True(await SchedulingHost.EventuallyAsync(() => _deliveries.Count >= 5));
        await Task.Delay(1000);
        Assert.Equal(5, _deliveries.Count);
        Assert.Equal(5, _deliveries.Select(d => d.TimerId).Distinct().Count());
    }

    [Fact]
    public async Task When_the_leader_stops_cleanly_another_instance_takes_over_at_once()
    {
        await using var a = await SchedulingHost.StartAsync(_store, _deliveries, "a");
        Assert.True(await SchedulingHost.EventuallyAsync(() => a.IsLeader));
        await using var b = await SchedulingHost.StartAsync(_store, _deliveries, "b");

        await b.ScheduleAsync("g1", "after-handover", TimeSpan.FromSeconds(4)); // after a has had time to stop, even on a slow machine
        await a.StopAsync();
        Assert.True(await SchedulingHost.EventuallyAsync(() => b.IsLeader, 2), "the lease was released, so b should take it within a renewal");

        Assert.True(await SchedulingHost.EventuallyAsync(() => !_deliveries.IsEmpty));
        await Task.Delay(500);
        Assert.Equal("b", Assert.Single(_deliveries).Instance);
    }

    [Fact]
    public async Task When_the_leader_dies_without_releasing_another_takes_over_after_the_lease_lapses()
    {
        await using var a = await SchedulingHost.StartAsync(_store, _deliveries, "a",
            s => s.AddSingleton<ILeaderLeaseFactory>(sp => new NeverReleasedLeaseFactory(ActivatorUtilities.CreateInstance<LeaderLeaseFactory>(sp))));
        Assert.True(await SchedulingHost.EventuallyAsync(() => a.IsLeader));
        await using var b = await SchedulingHost.StartAsync(_store, _deliveries, "b");
        await Task.Delay(600);
        Assert.False(b.IsLeader);

        await a.ScheduleAsync("g1", "during-takeover", TimeSpan.FromSeconds(3));
        var stoppedAt = Now;
        await a.StopAsync(); // stops renewing and never releases: like a killed process

        Assert.True(await SchedulingHost.EventuallyAsync(() => b.IsLeader, 6));
        var tookOver = Now - stoppedAt;
        Assert.True(tookOver < Duration.FromSeconds(4), $"takeover took {tookOver}");

        Assert.True(await SchedulingHost.EventuallyAsync(() => !_deliveries.IsEmpty));
        await Task.Delay(500);
        Assert.Equal("b", Assert.Single(_deliveries).Instance);
    }

    private async Task<List<string>> ListAsync(string prefix)
    {
        var keys = new List<string>();
        await foreach (var key in _store.ListKeysAsync(prefix)) keys.Add(key);
        return keys;
    }
}
