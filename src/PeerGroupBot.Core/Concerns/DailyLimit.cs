using System.Globalization;
using Microsoft.Extensions.Options;
using NodaTime;
using PeerGroupBot.Core.Security;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Core.Concerns;

/// <summary>How many concerns one (hashed) member raised on one UTC day. Stored at <c>concern-limits/{date}/{hash}</c>.</summary>
public sealed record ConcernCount(int Count);

/// <summary>
/// The abuse limit: at most <see cref="ConcernsOptions.MaxPerMemberPerDay"/> concerns per member per UTC day. A
/// member is counted under a keyed HMAC whose key changes every day (the date is part of the purpose), so a counter
/// cannot be joined with yesterday's or with any other pseudonym of the member. Counters of past days are deleted.
/// </summary>
public sealed class DailyLimit(Documents documents, KeyRing keys, IOptions<ConcernsOptions> options)
{
    public const string Folder = "concern-limits/";

    public async Task<bool> HasRoomAsync(string memberId, Instant now, CancellationToken cancellationToken)
    {
        var count = await documents.GetValueAsync<ConcernCount>(Key(memberId, now), cancellationToken).ConfigureAwait(false);
        return (count?.Count ?? 0) < options.Value.MaxPerMemberPerDay;
    }

    /// <summary>Counts one more concern if there is room today; false (and nothing written) when the limit is reached.</summary>
    public async Task<bool> TryCountAsync(string memberId, Instant now, CancellationToken cancellationToken)
    {
        var max = options.Value.MaxPerMemberPerDay;
        var counted = false;
        await documents.UpdateAsync<ConcernCount>(Key(memberId, now), current =>
        {
            counted = (current?.Count ?? 0) < max;
            return counted ? new ConcernCount((current?.Count ?? 0) + 1) : null;
        }, cancellationToken).ConfigureAwait(false);
        return counted;
    }

    /// <summary>Erasure: deletes the member's counter for today (earlier days' counters are already gone).</summary>
    public Task<bool> ForgetAsync(string memberId, Instant now, CancellationToken cancellationToken)
        => documents.DeleteAsync(Key(memberId, now), cancellationToken);

    /// <summary>Deletes the counters of every day before today (UTC). Returns how many were deleted.</summary>
    public async Task<int> PurgeBeforeTodayAsync(Instant now, CancellationToken cancellationToken)
    {
        var today = Folder + Day(now) + "/";
        var old = new List<string>();
        await foreach (var key in documents.Store.ListKeysAsync(Folder, cancellationToken).ConfigureAwait(false))
            if (string.CompareOrdinal(key, today) < 0) old.Add(key);
        foreach (var key in old) await documents.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        return old.Count;
    }

    /// <summary>When the counters of the day containing <paramref name="now"/> become old: just after the next UTC midnight.</summary>
    public static Instant NextPurge(Instant now) => now.InUtc().Date.PlusDays(1).AtMidnight().InUtc().ToInstant() + Duration.FromMinutes(5);

    private string Key(string memberId, Instant now)
    {
        var day = Day(now);
        return $"{Folder}{day}/{keys.Hash($"concern-limit/{day}", memberId)}";
    }

    private static string Day(Instant now) => now.InUtc().Date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);
}
