using System.Collections.Concurrent;
using NodaTime;

namespace PeerGroupBot.Core.State;

/// <summary>
/// A small in-process cache of values read from storage. Entries are trusted for a fixed time on the bot's clock
/// (so tests with a fake clock see them expire) and the cache never holds more than <c>capacity</c> entries: when
/// it is full, expired entries are dropped first and, if that is not enough, everything is (every value can be read
/// again from storage, so forgetting is always safe).
/// </summary>
public sealed class ExpiringCache<TKey, TValue>(IClock clock, Duration timeToLive, int capacity = ExpiringCache.DefaultCapacity)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, (TValue Value, Instant At)> _entries = new();

    public int Count => _entries.Count;

    /// <summary>The cached value, when there is one younger than the time to live.</summary>
    public bool TryGet(TKey key, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry) && clock.GetCurrentInstant() - entry.At < timeToLive)
        {
            value = entry.Value;
            return true;
        }
        value = default!;
        return false;
    }

    public void Set(TKey key, TValue value)
    {
        var now = clock.GetCurrentInstant();
        if (_entries.Count >= capacity && !_entries.ContainsKey(key)) MakeRoom(now);
        _entries[key] = (value, now);
    }

    public void Remove(TKey key) => _entries.TryRemove(key, out _);

    private void MakeRoom(Instant now)
    {
        foreach (var (key, entry) in _entries)
            if (now - entry.At >= timeToLive) _entries.TryRemove(key, out _);
        if (_entries.Count >= capacity) _entries.Clear();
    }
}

/// <summary>Defaults for <see cref="ExpiringCache{TKey, TValue}"/>.</summary>
public static class ExpiringCache
{
    /// <summary>Enough for every member of a few hundred groups; a few MiB at most.</summary>
    public const int DefaultCapacity = 20_000;
}
