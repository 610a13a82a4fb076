using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace PeerGroupBot.Core.State;

/// <summary>An in-process store that honours ETags exactly as the real stores do. For tests and the playground.</summary>
public sealed class InMemoryStateStore : IStateStore
{
    private readonly ConcurrentDictionary<string, StoredDocument> _documents = new(StringComparer.Ordinal);
    private long _version;

    /// <summary>When set, every call throws <see cref="StateUnavailableException"/> (to test outages).</summary>
    public bool Unavailable { get; set; }

    public IReadOnlyCollection<StoredDocument> Snapshot() => _documents.Values.ToArray();

    public Task<StoredDocument?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        Check(key);
        return Task.FromResult(_documents.TryGetValue(key, out var doc) ? doc : null);
    }

    public Task<string> CreateAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        Check(key);
        var doc = new StoredDocument(key, content.ToArray(), NextETag());
        if (!_documents.TryAdd(key, doc)) throw new StateConflictException(key);
        return Task.FromResult(doc.ETag);
    }

    public Task<string> ReplaceAsync(string key, ReadOnlyMemory<byte> content, string etag, CancellationToken cancellationToken = default)
    {
        Check(key);
        if (!_documents.TryGetValue(key, out var current) || current.ETag != etag) throw new StateConflictException(key);
        var doc = new StoredDocument(key, content.ToArray(), NextETag());
        if (!_documents.TryUpdate(key, doc, current)) throw new StateConflictException(key);
        return Task.FromResult(doc.ETag);
    }

    public Task DeleteAsync(string key, string etag, CancellationToken cancellationToken = default)
    {
        Check(key);
        if (!_documents.TryGetValue(key, out var current) || current.ETag != etag) throw new StateConflictException(key);
        if (!_documents.TryRemove(new KeyValuePair<string, StoredDocument>(key, current))) throw new StateConflictException(key);
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<string> ListKeysAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (Unavailable) throw new StateUnavailableException("The in-memory store is marked unavailable.");
        StateKeys.ValidatePrefix(prefix);
        foreach (var key in _documents.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return key;
        }
        await Task.CompletedTask;
    }

    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default) => Task.FromResult(!Unavailable);

    private void Check(string key)
    {
        if (Unavailable) throw new StateUnavailableException("The in-memory store is marked unavailable.");
        StateKeys.Validate(key);
    }

    private string NextETag() => $"\"{Interlocked.Increment(ref _version)}\"";
}
