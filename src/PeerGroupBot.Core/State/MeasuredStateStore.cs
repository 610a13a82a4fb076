using System.Runtime.CompilerServices;
using PeerGroupBot.Core.Telemetry;

namespace PeerGroupBot.Core.State;

/// <summary>
/// Wraps a store so each call is counted and timed (<see cref="BotTelemetry.StorageCalls"/>, a "storage.*" span) with
/// its operation and outcome: ok, not_found, conflict, unavailable, corrupt or error. Keys are never recorded: they
/// hold group ids and keyed hashes of members.
/// </summary>
public sealed class MeasuredStateStore(IStateStore inner) : IStateStore
{
    public async Task<StoredDocument?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        using var measured = BotTelemetry.Storage("read");
        try
        {
            var found = await inner.GetAsync(key, cancellationToken).ConfigureAwait(false);
            measured.Done(found is null ? "not_found" : "ok");
            return found;
        }
        catch (Exception ex) { measured.Done(Outcome(ex)); throw; }
    }

    public Task<string> CreateAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
        => MeasureAsync("create", () => inner.CreateAsync(key, content, cancellationToken));

    public Task<string> ReplaceAsync(string key, ReadOnlyMemory<byte> content, string etag, CancellationToken cancellationToken = default)
        => MeasureAsync("replace", () => inner.ReplaceAsync(key, content, etag, cancellationToken));

    public Task DeleteAsync(string key, string etag, CancellationToken cancellationToken = default)
        => MeasureAsync("delete", async () => { await inner.DeleteAsync(key, etag, cancellationToken).ConfigureAwait(false); return ""; });

    public async IAsyncEnumerable<string> ListKeysAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var measured = BotTelemetry.Storage("list");
        await using var keys = inner.ListKeysAsync(prefix, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            bool more;
            try { more = await keys.MoveNextAsync().ConfigureAwait(false); }
            catch (Exception ex) { measured.Done(Outcome(ex)); throw; }
            if (!more) break;
            yield return keys.Current;
        }
        measured.Done("ok");
    }

    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default) => inner.IsHealthyAsync(cancellationToken);

    private static async Task<T> MeasureAsync<T>(string operation, Func<Task<T>> call)
    {
        using var measured = BotTelemetry.Storage(operation);
        try
        {
            var result = await call().ConfigureAwait(false);
            measured.Done("ok");
            return result;
        }
        catch (Exception ex) { measured.Done(Outcome(ex)); throw; }
    }

    private static string Outcome(Exception ex) => ex switch
    {
        StateConflictException => "conflict",
        StateUnavailableException => "unavailable",
        StateCorruptException => "corrupt",
        OperationCanceledException => "cancelled",
        _ => "error",
    };
}
