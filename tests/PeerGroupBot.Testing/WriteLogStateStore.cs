using System.Collections.Concurrent;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Testing;

/// <summary>
/// Wraps a store and records every write (create, replace, delete) in order, so privacy tests can see which documents
/// an action touched at that moment: what a storage reader watching write times would learn.
/// </summary>
public sealed class WriteLogStateStore(IStateStore inner) : IStateStore
{
    private readonly ConcurrentQueue<string> _writes = new();

    /// <summary>The keys written since the last <see cref="Clear"/>, in order.</summary>
    public IReadOnlyList<string> Writes => _writes.ToList();

    public void Clear() => _writes.Clear();

    public Task<StoredDocument?> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

    public Task<string> CreateAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        _writes.Enqueue(key);
        return inner.CreateAsync(key, content, cancellationToken);
    }

    public Task<string> ReplaceAsync(string key, ReadOnlyMemory<byte> content, string etag, CancellationToken cancellationToken = default)
    {
        _writes.Enqueue(key);
        return inner.ReplaceAsync(key, content, etag, cancellationToken);
    }

    public Task DeleteAsync(string key, string etag, CancellationToken cancellationToken = default)
    {
        _writes.Enqueue(key);
        return inner.DeleteAsync(key, etag, cancellationToken);
    }

    public IAsyncEnumerable<string> ListKeysAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListKeysAsync(prefix, cancellationToken);

    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default) => inner.IsHealthyAsync(cancellationToken);
}
