using System.Runtime.CompilerServices;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Testing;

/// <summary>
/// Wraps a store and makes every call take a little while, like a real network store, so concurrent operations truly
/// interleave between their read and their conditional write (an in-memory store answers before anyone else can run).
/// </summary>
public sealed class LatencyStateStore(IStateStore inner, TimeSpan latency) : IStateStore
{
    public async Task<StoredDocument?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        await Task.Delay(latency, cancellationToken).ConfigureAwait(false);
        return await inner.GetAsync(key, cancellationToken).ConfigureAwait(false);
    }

    public async Task<string> CreateAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        await Task.Delay(latency, cancellationToken).ConfigureAwait(false);
        return await inner.CreateAsync(key, content, cancellationToken).ConfigureAwait(false);
    }

    public async Task<string> ReplaceAsync(string key, ReadOnlyMemory<byte> content, string etag, CancellationToken cancellationToken = default)
    {
        await Task.Delay(latency, cancellationToken).ConfigureAwait(false);
        return await inner.ReplaceAsync(key, content, etag, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(string key, string etag, CancellationToken cancellationToken = default)
    {
        await Task.Delay(latency, cancellationToken).ConfigureAwait(false);
        await inner.DeleteAsync(key, etag, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<string> ListKeysAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Delay(latency, cancellationToken).ConfigureAwait(false);
        await foreach (var key in inner.ListKeysAsync(prefix, cancellationToken).ConfigureAwait(false))
            yield return key;
    }

    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default) => inner.IsHealthyAsync(cancellationToken);
}
