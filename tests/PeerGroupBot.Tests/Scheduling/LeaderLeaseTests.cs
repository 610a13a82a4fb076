using NodaTime;
using NodaTime.Testing;
using PeerGroupBot.Core.Scheduling;
using PeerGroupBot.Core.State;
using PeerGroupBot.Scheduling;

namespace PeerGroupBot.Tests.Scheduling;

/// <summary>The lease kept as a document in the state store, and the delivery-marker purge, on a fake clock.</summary>
public sealed class LeaderLeaseTests
{
    private readonly InMemoryStateStore _store = new();
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 11, 2, 9, 0));

    private StoredLeaderLease Lease(string holder) => new(new Documents(_store), _clock, "Scheduler Leader", holder, Duration.FromSeconds(30));

    [Fact]
    public async Task One_holder_at_a_time_and_a_lapsed_lease_can_be_taken_over()
    {
        var a = Lease("a");
        var b = Lease("b");
        Assert.Equal("scheduling/leases/scheduler-leader", a.Key);

        Assert.True(await a.TryAcquireAsync(CancellationToken.None));
        Assert.False(await b.TryAcquireAsync(CancellationToken.None));
        Assert.False(await b.RenewAsync(CancellationToken.None));

        _clock.Advance(Duration.FromSeconds(20));
        Assert.True(await a.RenewAsync(CancellationToken.None));
        _clock.Advance(Duration.FromSeconds(20));
        Assert.False(await b.TryAcquireAsync(CancellationToken.None)); // renewed 20 s ago, so still held

        _clock.Advance(Duration.FromSeconds(11)); // a stopped renewing
        Assert.True(await b.TryAcquireAsync(CancellationToken.None));
        Assert.False(await a.RenewAsync(CancellationToken.None));

        await a.ReleaseAsync(CancellationToken.None); // not a's any more: nothing happens
        Assert.False(await a.TryAcquireAsync(CancellationToken.None));
        await b.ReleaseAsync(CancellationToken.None);
        Assert.True(await a.TryAcquireAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Two_instances_racing_for_a_free_lease_cannot_both_win()
    {
        for (var round = 0; round < 20; round++)
        {
            var store = new InMemoryStateStore();
            var leases = Enumerable.Range(0, 4).Select(i => new StoredLeaderLease(new Documents(store), _clock, "race", $"i{i}", Duration.FromSeconds(30))).ToList();
            var won = await Task.WhenAll(leases.Select(l => Task.Run(() => l.TryAcquireAsync(CancellationToken.None))));
            Assert.Equal(1, won.Count(w => w));
        }
    }

    [Fact]
    public async Task Old_delivery_markers_are_purged_and_recent_ones_kept()
    {
        var documents = new Documents(_store);
        var now = _clock.GetCurrentInstant();
        var old = new TimerDocument("g1", "session-reminder", "session-reminder", now - Duration.FromDays(8));
        var recent = new TimerDocument("g1", "session-reminder", "session-reminder", now - Duration.FromDays(1));
        await documents.TryCreateAsync(TimerDispatcher.MarkerKey(old), new DeliveryMarker(old.TimerId, old.Due, old.Due));
        await documents.TryCreateAsync(TimerDispatcher.MarkerKey(recent), new DeliveryMarker(recent.TimerId, recent.Due, recent.Due));

        Assert.Equal(1, await DeliveryMarkers.PurgeAsync(documents, now - Duration.FromDays(7), CancellationToken.None));
        Assert.Null(await _store.GetAsync(TimerDispatcher.MarkerKey(old)));
        Assert.NotNull(await _store.GetAsync(TimerDispatcher.MarkerKey(recent)));
    }
}
