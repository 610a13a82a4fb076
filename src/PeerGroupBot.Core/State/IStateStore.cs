namespace PeerGroupBot.Core.State;

/// <summary>
/// A raw stored document: its bytes and the ETag that a conditional write must present.
/// </summary>
public sealed record StoredDocument(string Key, ReadOnlyMemory<byte> Content, string ETag);

/// <summary>
/// The persistence port. Every piece of state is a small document addressed by a key such as
/// <c>groups/{groupId}/polls/{pollId}</c>; every write is conditional so a lost race is detected,
/// never silently overwritten. Implementations: <see cref="InMemoryStateStore"/> (tests),
/// the folder store (embedded default) and the Azure Blob store.
/// </summary>
public interface IStateStore
{
    /// <summary>Reads a document, or null when it does not exist.</summary>
    Task<StoredDocument?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Creates a document only if absent (If-None-Match: *). Returns the new ETag.</summary>
    /// <exception cref="StateConflictException">The document already exists.</exception>
    Task<string> CreateAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>Replaces a document only if its ETag still matches (If-Match). Returns the new ETag.</summary>
    /// <exception cref="StateConflictException">The document changed or was deleted since it was read.</exception>
    Task<string> ReplaceAsync(string key, ReadOnlyMemory<byte> content, string etag, CancellationToken cancellationToken = default);

    /// <summary>Deletes a document only if its ETag still matches. Deleting a missing document is a conflict.</summary>
    /// <exception cref="StateConflictException">The document changed or is gone.</exception>
    Task DeleteAsync(string key, string etag, CancellationToken cancellationToken = default);

    /// <summary>Lists the keys that start with <paramref name="prefix"/>, in ordinal order.</summary>
    IAsyncEnumerable<string> ListKeysAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>A cheap round trip that tells whether the store is reachable (for /healthz).</summary>
    Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default);
}
