using NodaTime;

namespace PeerGroupBot.Core.State;

/// <summary>
/// This instance's copies of documents it changes often (a poll's ballot box, a group's agenda): each as this instance
/// last wrote or read it, with its ETag, so a change can go straight to the conditional write instead of reading first.
/// A copy is only ever a guess that the write's ETag checks. When someone else changed the document since, the write
/// fails, the change is worked out again from a fresh read, and the document is read before every write for the next
/// time to live (it is being changed elsewhere too, so guessing would cost a lost write each time). So an old copy can
/// cost a call, never a change. Nothing is answered from a copy alone: a change that finds nothing to do on a copy is
/// checked against storage before "nothing to do" is believed. On this instance, changes to one document take turns,
/// so changes arriving together queue instead of losing races to each other.
/// </summary>
public sealed class DocumentCopies<T>(Documents documents, IClock clock, Duration timeToLive, int capacity = 2_000) where T : class
{
    private readonly ExpiringCache<string, Versioned<T>> _copies = new(clock, timeToLive, capacity);
    private readonly ExpiringCache<string, bool> _sharedRecently = new(clock, timeToLive, capacity);
    private readonly SemaphoreSlim[] _turns = [.. Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>The copy to write from, unless there is none or the document was changed elsewhere recently.</summary>
    public bool TryGet(string key, out Versioned<T> copy)
    {
        copy = null!;
        return !_sharedRecently.TryGet(key, out _) && _copies.TryGet(key, out copy);
    }

    /// <summary>Keeps what was just read or written (nothing is kept for an absent document).</summary>
    public void Keep(string key, Versioned<T>? copy)
    {
        if (copy is null) _copies.Remove(key);
        else _copies.Set(key, copy);
    }

    public void Forget(string key) => _copies.Remove(key);

    /// <summary>A write from the copy lost: the document changed under it, so it is read before writing for a while.</summary>
    public void LostFromCopy(string key)
    {
        _copies.Remove(key);
        _sharedRecently.Set(key, true);
    }

    /// <summary>Reads the document from storage and keeps it.</summary>
    public async Task<Versioned<T>?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        var current = await documents.GetAsync<T>(key, cancellationToken).ConfigureAwait(false);
        Keep(key, current);
        return current;
    }

    /// <summary>Runs <paramref name="work"/> when no other change to <paramref name="key"/> on this instance is running (striped: unrelated keys may share a turn).</summary>
    public async Task<TResult> InTurnAsync<TResult>(string key, Func<Task<TResult>> work, CancellationToken cancellationToken)
    {
        var turn = _turns[(int)((uint)StringComparer.Ordinal.GetHashCode(key) % (uint)_turns.Length)];
        await turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await work().ConfigureAwait(false);
        }
        finally
        {
            turn.Release();
        }
    }

    /// <summary>
    /// <see cref="Documents.UpdateAsync{T}(string, Func{T, T}, int, CancellationToken)"/> from the copy when there is one:
    /// one conditional write when the copy is current. <paramref name="mutate"/> may run more than once, so it must
    /// only compute. Returns the value stored when the call ends.
    /// </summary>
    public Task<T?> UpdateAsync(string key, Func<T?, T?> mutate, int maxAttempts, CancellationToken cancellationToken)
        => InTurnAsync(key, async () =>
        {
            var fromStorageOnly = false;
            for (var attempt = 1; ; attempt++)
            {
                Versioned<T>? copy = null;
                var fromCopy = !fromStorageOnly && TryGet(key, out copy);
                var current = fromCopy ? copy : await ReadAsync(key, cancellationToken).ConfigureAwait(false);
                var next = mutate(current?.Value);
                if (next is null)
                {
                    if (!fromCopy) return current?.Value;
                    fromStorageOnly = true; // nothing to do on the copy: ask storage before believing it
                    continue;
                }
                try
                {
                    var etag = current is null
                        ? await documents.Store.CreateAsync(key, Documents.Serialize(next), cancellationToken).ConfigureAwait(false)
                        : await documents.Store.ReplaceAsync(key, Documents.Serialize(next), current.ETag, cancellationToken).ConfigureAwait(false);
                    Keep(key, new Versioned<T>(next, etag));
                    return next;
                }
                catch (StateConflictException) when (attempt < maxAttempts)
                {
                    if (fromCopy)
                    {
                        LostFromCopy(key);
                        fromStorageOnly = true;
                        continue;
                    }
                    Forget(key);
                    await Task.Delay(Documents.Backoff(attempt), cancellationToken).ConfigureAwait(false);
                }
                catch (StateConflictException)
                {
                    Forget(key);
                    throw new StateContentionException(key, attempt);
                }
                catch
                {
                    Forget(key);
                    throw;
                }
            }
        }, cancellationToken);
}
