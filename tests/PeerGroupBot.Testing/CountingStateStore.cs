using System.Runtime.CompilerServices;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Testing;

/// <summary>Wraps a store and counts its round trips by kind, so tests can measure what an operation costs in storage calls.</summary>
public sealed class CountingStateStore(IStateStore inner) : IStateStore
{
    private long _gets, _creates, _replaces, _deletes, _lists;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _calls = new();

    /// <summary>Each call since the last <see cref="Reset"/>, as "kind key", for a failure message to show.</summary>
    public IReadOnlyList<string> Calls => [.. _calls];

    public long Gets => Interlocked.Read(ref _gets);
    public long Creates => Interlocked.Read(ref _creates);
    public long Replaces => Interlocked.Read(ref _replaces);
    public long Deletes => Interlocked.Read(ref _deletes);
    public long Lists => Interlocked.Read(ref _lists);
    public long Total => Gets + Creates + Replaces + Deletes + Lists;

    public void Reset()
    {
        Interlocked.Exchange(ref _gets, 0);
        Interlocked.Exchange(ref _creates, 0);
        Interlocked.Exchange(ref _replaces, 0);
        Interlocked.Exchange(ref _deletes, 0);
        Interlocked.Exchange(ref _lists, 0);
        _calls.Clear();
    }

    public override string ToString() => $"{Total} calls: {Gets} get, {Creates} create, {Replaces} replace, {Deletes} delete, {Lists} list ({string.Join(", ", _calls)})";

    public Task<StoredDocument?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _gets);
        _calls.Enqueue("get " + key);
        return inner.GetAsync(key, cancellationToken);
    }

    public Task<string> CreateAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _creates);
        _calls.Enqueue("create " + key);
        return inner.CreateAsync(key, content, cancellationToken);
    }

    public Task<string> ReplaceAsync(string key, ReadOnlyMemory<byte> content, string etag, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _replaces);
        _calls.Enqueue("replace " + key);
        return inner.ReplaceAsync(key, content, etag, cancellationToken);
    }

    public Task DeleteAsync(string key, string etag, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _deletes);
        _calls.Enqueue("delete " + key);
        return inner.DeleteAsync(key, etag, cancellationToken);
    }

    public async IAsyncEnumerable<string> ListKeysAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _lists);
        _calls.Enqueue("list " + prefix);
        await foreach (var key in inner.ListKeysAsync(prefix, cancellationToken).ConfigureAwait(false))
            yield return key;
    }

    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default) => inner.IsHealthyAsync(cancellationToken);
}
