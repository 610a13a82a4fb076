using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using NodaTime;
using PeerGroupBot.Core.Security;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Core.Concerns;

/// <summary>How many concerns one (hashed) member raised on one UTC day. Stored at <c>concern-limits/{date}/{hash}</c>.</summary>
public sealed record ConcernCount(int Count);

/// <summary>The random key of one UTC day's counters, made by the first concern of the day. Stored at <c>concern-limits/{date}/key</c>.</summary>
public sealed record ConcernDayKey(string Key);

/// <summary>
/// The abuse limit: at most <see cref="ConcernsOptions.MaxPerMemberPerDay"/> concerns per member per UTC day. A
/// member is counted under a keyed HMAC whose key is a random key made for the day mixed with the key ring, so
/// neither <c>Security:PseudonymKey</c> alone nor the stored day key alone can tell whose counter is whose, and a
/// counter cannot be joined with yesterday's or with any other pseudonym of the member. The day key lives in the
/// day's folder and is deleted with the day's counters just after midnight; after that nobody, whatever keys they
/// hold, can test a member id against that day.
/// </summary>
public sealed class DailyLimit(Documents documents, KeyRing keys, IOptions<ConcernsOptions> options)
{
    public const string Folder = "concern-limits/";
    private const string DayKeyName = "key";

    private readonly ConcurrentDictionary<string, string> _dayKeys = new(StringComparer.Ordinal);

    public async Task<bool> HasRoomAsync(string memberId, Instant now, CancellationToken cancellationToken)
    {
        var key = await KeyAsync(memberId, now, create: false, cancellationToken).ConfigureAwait(false);
        if (key is null) return true;
        var count = await documents.GetValueAsync<ConcernCount>(key, cancellationToken).ConfigureAwait(false);
        return (count?.Count ?? 0) < options.Value.MaxPerMemberPerDay;
    }

    /// <summary>Counts one more concern if there is room today; false (and nothing written) when the limit is reached.</summary>
    public async Task<bool> TryCountAsync(string memberId, Instant now, CancellationToken cancellationToken)
    {
        var max = options.Value.MaxPerMemberPerDay;
        var counted = false;
        var key = await KeyAsync(memberId, now, create: true, cancellationToken).ConfigureAwait(false);
        await documents.UpdateAsync<ConcernCount>(key!, current =>
        {
            counted = (current?.Count ?? 0) < max;
            return counted ? new ConcernCount((current?.Count ?? 0) + 1) : null;
        }, cancellationToken).ConfigureAwait(false);
        return counted;
    }

    /// <summary>Erasure: deletes the member's counter for today (earlier days' counters are already gone).</summary>
    public async Task<bool> ForgetAsync(string memberId, Instant now, CancellationToken cancellationToken)
    {
        var key = await KeyAsync(memberId, now, create: false, cancellationToken).ConfigureAwait(false);
        return key is not null && await documents.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Export: the member's count today, or null when they have none.</summary>
    public async Task<int?> CountTodayAsync(string memberId, Instant now, CancellationToken cancellationToken)
    {
        var key = await KeyAsync(memberId, now, create: false, cancellationToken).ConfigureAwait(false);
        return key is null ? null : (await documents.GetValueAsync<ConcernCount>(key, cancellationToken).ConfigureAwait(false))?.Count;
    }

    /// <summary>Deletes the counters and the day keys of every day before today (UTC). Returns how many documents were deleted.</summary>
    public async Task<int> PurgeBeforeTodayAsync(Instant now, CancellationToken cancellationToken)
    {
        var today = Folder + Day(now) + "/";
        var old = new List<string>();
        await foreach (var key in documents.Store.ListKeysAsync(Folder, cancellationToken).ConfigureAwait(false))
            if (string.CompareOrdinal(key, today) < 0) old.Add(key);
        foreach (var key in old) await documents.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        foreach (var day in _dayKeys.Keys.Where(d => string.CompareOrdinal(Folder + d + "/", today) < 0).ToList())
            _dayKeys.TryRemove(day, out _);
        return old.Count;
    }

    /// <summary>When the counters of the day containing <paramref name="now"/> become old: just after the next UTC midnight.</summary>
    public static Instant NextPurge(Instant now) => now.InUtc().Date.PlusDays(1).AtMidnight().InUtc().ToInstant() + Duration.FromMinutes(5);

    /// <summary>The member's counter for the day; null when the day has no key yet and <paramref name="create"/> is false.</summary>
    private async Task<string?> KeyAsync(string memberId, Instant now, bool create, CancellationToken cancellationToken)
    {
        var day = Day(now);
        var dayKey = await DayKeyAsync(day, create, cancellationToken).ConfigureAwait(false);
        return dayKey is null ? null : $"{Folder}{day}/{keys.Hash($"concern-limit/{day}/{dayKey}", memberId)}";
    }

    private async Task<string?> DayKeyAsync(string day, bool create, CancellationToken cancellationToken)
    {
        if (_dayKeys.TryGetValue(day, out var known)) return known;
        var name = $"{Folder}{day}/{DayKeyName}";
        var stored = await documents.GetValueAsync<ConcernDayKey>(name, cancellationToken).ConfigureAwait(false);
        if (stored is null && create)
        {
            var fresh = new ConcernDayKey(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            stored = await documents.TryCreateAsync(name, fresh, cancellationToken).ConfigureAwait(false)
                ? fresh
                : await documents.GetValueAsync<ConcernDayKey>(name, cancellationToken).ConfigureAwait(false);
        }
        if (stored is null) return null;
        _dayKeys[day] = stored.Key;
        return stored.Key;
    }

    private static string Day(Instant now) => now.InUtc().Date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);
}
