using NodaTime;
using NodaTime.Testing;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Core.Tests.State;

public class ExpiringCacheTests
{
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 12, 1, 9, 0));

    [Fact]
    public void A_value_is_served_until_its_time_to_live_has_passed()
    {
        var cache = new ExpiringCache<string, string?>(_clock, Duration.FromSeconds(30));
        cache.Set("channel", null); // "no group here" is worth caching too
        Assert.True(cache.TryGet("channel", out var value));
        Assert.Null(value);

        _clock.Advance(Duration.FromSeconds(29));
        Assert.True(cache.TryGet("channel", out _));
        _clock.Advance(Duration.FromSeconds(1));
        Assert.False(cache.TryGet("channel", out _));

        cache.Set("channel", "group-1");
        cache.Remove("channel");
        Assert.False(cache.TryGet("channel", out _));
    }

    [Fact]
    public void It_never_grows_past_its_capacity_and_drops_expired_entries_first()
    {
        var cache = new ExpiringCache<int, int>(_clock, Duration.FromMinutes(2), capacity: 100);
        for (var i = 0; i < 60; i++) cache.Set(i, i);
        _clock.Advance(Duration.FromMinutes(3));
        for (var i = 60; i < 100; i++) cache.Set(i, i);
        Assert.Equal(100, cache.Count);

        cache.Set(100, 100); // full: the 60 expired entries make room, the 40 fresh ones stay
        Assert.Equal(41, cache.Count);
        Assert.True(cache.TryGet(99, out var kept));
        Assert.Equal(99, kept);

        for (var i = 101; i < 1_000; i++) cache.Set(i, i); // nothing expired: the cache starts again rather than grow
        Assert.InRange(cache.Count, 1, 100);
        Assert.True(cache.TryGet(999, out _));
    }
}
