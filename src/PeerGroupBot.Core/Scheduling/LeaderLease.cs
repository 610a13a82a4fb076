using NodaTime;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Core.Scheduling;

/// <summary>
/// Who runs scheduled work when several instances share one store: the holder of a named lease that expires unless
/// renewed. An instance that dies stops renewing and another takes over when the lease lapses. Delivery markers
/// keep a timer from running twice in the moments when two instances both believe they hold it.
/// </summary>
public interface ILeaderLease
{
    /// <summary>This instance's name in the lease.</summary>
    string HolderId { get; }

    /// <summary>How long the lease lasts without renewal.</summary>
    Duration Length { get; }

    /// <summary>Takes the lease if nobody holds it or the holder let it lapse. False when another instance holds it.</summary>
    Task<bool> TryAcquireAsync(CancellationToken cancellationToken);

    /// <summary>Extends the lease this instance holds. False when it was lost (taken over after it lapsed).</summary>
    Task<bool> RenewAsync(CancellationToken cancellationToken);

    /// <summary>Gives the lease up so another instance can take over at once (on a clean shutdown).</summary>
    Task ReleaseAsync(CancellationToken cancellationToken);
}

/// <summary>The stored form of a <see cref="StoredLeaderLease"/>: who holds it and until when.</summary>
public sealed record LeaseDocument(string HolderId, Instant ExpiresAt);

/// <summary>
/// A lease kept as a document in the state store (on the folder store, a file), changed only with conditional writes:
/// taking a lapsed lease replaces the exact version that was read, so two instances cannot both take it. Expiry is
/// judged by each instance's clock, so clocks must roughly agree (seconds, not minutes); the Azure Blob lease does
/// not have that limit.
/// </summary>
public sealed class StoredLeaderLease(Documents documents, IClock clock, string leaseName, string holderId, Duration length) : ILeaderLease
{
    public string HolderId => holderId;
    public Duration Length => length;

    public string Key { get; } = "scheduling/leases/" + SafeName(leaseName);

    public async Task<bool> TryAcquireAsync(CancellationToken cancellationToken)
    {
        var current = await documents.GetAsync<LeaseDocument>(Key, cancellationToken).ConfigureAwait(false);
        var now = clock.GetCurrentInstant();
        var mine = new LeaseDocument(holderId, now + length);
        if (current is null)
            return await documents.TryCreateAsync(Key, mine, cancellationToken).ConfigureAwait(false) || await IsStoredAsync(mine, cancellationToken).ConfigureAwait(false);
        if (current.Value.HolderId != holderId && current.Value.ExpiresAt > now) return false;
        return await ReplaceAsync(current.ETag, mine, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> RenewAsync(CancellationToken cancellationToken)
    {
        var current = await documents.GetAsync<LeaseDocument>(Key, cancellationToken).ConfigureAwait(false);
        if (current is null || current.Value.HolderId != holderId) return false;
        return await ReplaceAsync(current.ETag, new LeaseDocument(holderId, clock.GetCurrentInstant() + length), cancellationToken).ConfigureAwait(false);
    }

    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        var current = await documents.GetAsync<LeaseDocument>(Key, cancellationToken).ConfigureAwait(false);
        if (current is null || current.Value.HolderId != holderId) return;
        try { await documents.Store.DeleteAsync(Key, current.ETag, cancellationToken).ConfigureAwait(false); }
        catch (StateConflictException) { /* taken over meanwhile: nothing of ours to release */ }
    }

    private async Task<bool> ReplaceAsync(string etag, LeaseDocument lease, CancellationToken cancellationToken)
    {
        try
        {
            await documents.Store.ReplaceAsync(Key, Documents.Serialize(lease), etag, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StateConflictException)
        {
            // A retried write that had in fact succeeded also answers "conflict": look before concluding we lost.
            return await IsStoredAsync(lease, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> IsStoredAsync(LeaseDocument lease, CancellationToken cancellationToken)
        => (await documents.GetValueAsync<LeaseDocument>(Key, cancellationToken).ConfigureAwait(false)) == lease;

    /// <summary>A lease name as one key segment: lower-case letters, digits, '-', '_' and '.'.</summary>
    public static string SafeName(string name)
    {
        var safe = new string(name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray()).Trim('.', '-');
        return safe.Length == 0 ? "scheduler-leader" : safe;
    }
}
