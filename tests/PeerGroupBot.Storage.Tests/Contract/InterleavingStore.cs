using PeerGroupBot.Core.State;

namespace PeerGroupBot.Storage.Tests.Contract;

/// <summary>
/// Passes every call to the store under test, but pauses briefly after each read so that parallel
/// read-modify-write loops really interleave (a fast local store would otherwise run them one after another),
/// and counts the conflicts the store reported, so a race test can show it raced.
/// </summary>
internal sealed class InterleavingStore(IStateStore inner) : IStateStore
{
    private int _conflicts;

    public int Conflicts => Volatile.Read(ref _conflicts);

    public async Task<StoredDocument?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var document = await inner.GetAsync(key, cancellationToken);
        await Task.Delay(Random.Shared.Next(0, 3), cancellationToken);
        return document;
    }

    public Task<string> CreateAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
        => Counting(() => inner.CreateAsync(key, content, cancellationToken));

    public Task<string> ReplaceAsync(string key, ReadOnlyMemory<byte> content, string etag, CancellationToken cancellationToken = default)
        => Counting(() => inner.ReplaceAsync(key, content, etag, cancellationToken));

    public Task DeleteAsync(string key, string etag, CancellationToken cancellationToken = default)
        => Counting(async () => { await inner.DeleteAsync(key, etag, cancellationToken); return ""; });

    public IAsyncEnumerable<string> ListKeysAsync(string prefix, CancellationToken cancellationToken = default)
        => inner.ListKeysAsync(prefix, cancellationToken);

    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default) => inner.IsHealthyAsync(cancellationToken);

    private async Task<string> Counting(Func<Task<string>> write)
    {
        try
        {
            return await write();
        }
        catch (StateConflictException)
        {
            Interlocked.Increment(ref _conflicts);
            throw;
        }
    }
}
