using System.Globalization;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Text;
using PeerGroupBot.Core.Security;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Core.Record;

/// <summary>
/// The decisions log, stored as small month documents (<c>groups/{groupId}/record/{yyyy-MM}</c>): a busy group writes
/// a few dozen entries a month, so one document per month stays small and a report reads only the months it covers.
/// Writing the record never fails the action that triggered it: a failure is logged (ids only) and the action goes on.
/// </summary>
public sealed class DecisionLog(Documents documents, KeyRing keys, ILogger<DecisionLog> logger)
{
    private static readonly YearMonthPattern MonthPattern = YearMonthPattern.CreateWithInvariantCulture("uuuu-MM");

    public static string Prefix(string groupId) => $"groups/{groupId}/record/";

    public static string MonthKey(string groupId, YearMonth month) => Prefix(groupId) + MonthPattern.Format(month);

    public static YearMonth MonthOf(Instant at) => at.InUtc().Date.ToYearMonth();

    /// <summary>The keyed hash that stands for a member in this group's record (never the member key).</summary>
    public string HolderKey(string groupId, string memberId) => keys.Hash($"record-holder:{groupId}", memberId);

    /// <summary>Adds an entry, or replaces the entry with the same id (a re-posted agenda, a cancel after "held").</summary>
    public async Task AppendAsync(string groupId, RecordEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            await documents.UpdateAsync<RecordMonth>(MonthKey(groupId, MonthOf(entry.At)), current =>
            {
                var entries = current?.Entries ?? [];
                var index = entries.FindIndex(e => e.Id == entry.Id);
                if (index >= 0 && entries[index] == entry) return null;
                var updated = new List<RecordEntry>(entries);
                if (index >= 0) updated[index] = entry; else updated.Add(entry);
                return new RecordMonth { Entries = [.. updated.OrderBy(e => e.At)] };
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is StateConflictException or StateContentionException or StateCorruptException or StateUnavailableException or IOException)
        {
            logger.LogError("Could not append record entry {EntryId} for group {GroupId}: {Error}.", entry.Id, groupId, ex.GetType().Name);
        }
    }

    /// <summary>Changes one entry wherever it is (a concern's published outcome). False when there is no such entry.</summary>
    public async Task<bool> UpdateEntryAsync(string groupId, string entryId, Func<RecordEntry, RecordEntry> change, CancellationToken cancellationToken)
    {
        foreach (var (key, _) in await MonthsAsync(groupId, cancellationToken).ConfigureAwait(false))
        {
            var found = false;
            await documents.UpdateAsync<RecordMonth>(key, current =>
            {
                var index = current?.Entries.FindIndex(e => e.Id == entryId) ?? -1;
                found = index >= 0;
                if (!found) return null;
                var entries = new List<RecordEntry>(current!.Entries);
                entries[index] = change(entries[index]);
                return current with { Entries = entries };
            }, cancellationToken).ConfigureAwait(false);
            if (found) return true;
        }
        return false;
    }

    /// <summary>Removes one entry wherever it is (the rota of a session that was then cancelled). False when there is none.</summary>
    public async Task<bool> RemoveEntryAsync(string groupId, string entryId, CancellationToken cancellationToken)
    {
        foreach (var (key, _) in await MonthsAsync(groupId, cancellationToken).ConfigureAwait(false))
        {
            var found = false;
            await documents.UpdateAsync<RecordMonth>(key, current =>
            {
                found = current?.Entries.Any(e => e.Id == entryId) == true;
                return found ? current! with { Entries = [.. current.Entries.Where(e => e.Id != entryId)] } : null;
            }, cancellationToken).ConfigureAwait(false);
            if (found) return true;
        }
        return false;
    }

    /// <summary>The entries from <paramref name="from"/> (inclusive) to <paramref name="until"/> (exclusive), oldest first.</summary>
    public async Task<IReadOnlyList<RecordEntry>> ReadAsync(string groupId, Instant from, Instant until, CancellationToken cancellationToken)
    {
        var found = new List<RecordEntry>();
        await foreach (var month in documents.ListAsync<RecordMonth>(Prefix(groupId), cancellationToken: cancellationToken).ConfigureAwait(false))
            found.AddRange(month.Value.Entries.Where(e => e.At >= from && e.At < until));
        return [.. found.OrderBy(e => e.At)];
    }

    /// <summary>Every month key of the group's record, oldest first.</summary>
    public async Task<IReadOnlyList<(string Key, YearMonth Month)>> MonthsAsync(string groupId, CancellationToken cancellationToken)
    {
        var months = new List<(string, YearMonth)>();
        var prefix = Prefix(groupId);
        await foreach (var key in documents.Store.ListKeysAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            var parsed = MonthPattern.Parse(key[prefix.Length..]);
            if (parsed.Success) months.Add((key, parsed.Value));
        }
        return months;
    }

    /// <summary>
    /// Erasure: the member's rota turns stay (they still count as turns) but show "a member" and carry a random key
    /// no longer derived from them. Returns how many turns were changed.
    /// </summary>
    public Task<int> AnonymiseAsync(string groupId, string memberId, CancellationToken cancellationToken)
    {
        var replacement = "erased-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        return RewriteHolderAsync(groupId, memberId, h => h with { Name = "a member", HolderKey = replacement }, cancellationToken);
    }

    /// <summary>Linking or unlinking accounts: the turns recorded under one member id move to another. Returns how many.</summary>
    public Task<int> RekeyAsync(string groupId, string fromMemberId, string toMemberId, CancellationToken cancellationToken)
    {
        var replacement = HolderKey(groupId, toMemberId);
        return RewriteHolderAsync(groupId, fromMemberId, h => h with { HolderKey = replacement }, cancellationToken);
    }

    private async Task<int> RewriteHolderAsync(string groupId, string memberId, Func<RecordHolder, RecordHolder> rewrite, CancellationToken cancellationToken)
    {
        var holder = HolderKey(groupId, memberId);
        var changed = 0;
        foreach (var (key, _) in await MonthsAsync(groupId, cancellationToken).ConfigureAwait(false))
        {
            var inMonth = 0;
            await documents.UpdateAsync<RecordMonth>(key, current =>
            {
                if (current is null || !current.Entries.Any(e => e.Holders.Any(h => h.HolderKey == holder))) return null;
                inMonth = current.Entries.Sum(e => e.Holders.Count(h => h.HolderKey == holder));
                return current with
                {
                    Entries = [.. current.Entries.Select(e => e with
                    {
                        Holders = [.. e.Holders.Select(h => h.HolderKey == holder ? rewrite(h) : h)],
                    })],
                };
            }, cancellationToken).ConfigureAwait(false);
            changed += inMonth;
        }
        return changed;
    }

    /// <summary>Retention: deletes whole months that ended before <paramref name="cutoff"/>. Returns how many.</summary>
    public async Task<int> DeleteBeforeAsync(string groupId, Instant cutoff, CancellationToken cancellationToken)
    {
        var deleted = 0;
        foreach (var (key, month) in await MonthsAsync(groupId, cancellationToken).ConfigureAwait(false))
        {
            var end = month.OnDayOfMonth(1).PlusMonths(1).AtStartOfDayInZone(DateTimeZone.Utc).ToInstant();
            if (end <= cutoff && await documents.DeleteAsync(key, cancellationToken).ConfigureAwait(false)) deleted++;
        }
        return deleted;
    }

}
