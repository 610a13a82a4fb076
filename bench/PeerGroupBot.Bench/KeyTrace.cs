using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Bench;

/// <summary>
/// Records which keys the bot touches while <see cref="Enabled"/>, to explain a storage-calls-per-request number.
/// Keys are shown with group ids and member keys (hashes) shortened to their kind; no content is recorded.
/// </summary>
public sealed class KeyTrace(IStateStore inner) : IStateStore
{
    private readonly ConcurrentQueue<string> _calls = new();

    public bool Enabled { get; set; }

    public IReadOnlyList<string> Calls => [.. _calls];

    public void Clear() => _calls.Clear();

    private void Note(string op, string key)
    {
        if (Enabled) _calls.Enqueue($"{op} {key}");
    }

    public Task<StoredDocument?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        Note("get", key);
        return inner.GetAsync(key, cancellationToken);
    }

    public Task<string> CreateAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        Note("create", key);
        return inner.CreateAsync(key, content, cancellationToken);
    }

    public Task<string> ReplaceAsync(string key, ReadOnlyMemory<byte> content, string etag, CancellationToken cancellationToken = default)
    {
        Note("replace", key);
        return inner.ReplaceAsync(key, content, etag, cancellationToken);
    }

    public Task DeleteAsync(string key, string etag, CancellationToken cancellationToken = default)
    {
        Note("delete", key);
        return inner.DeleteAsync(key, etag, cancellationToken);
    }

    public async IAsyncEnumerable<string> ListKeysAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Note("list", prefix);
        await foreach (var key in inner.ListKeysAsync(prefix, cancellationToken).ConfigureAwait(false))
            yield return key;
    }

    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default) => inner.IsHealthyAsync(cancellationToken);
}
