using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;

namespace PeerGroupBot.Core.State;

/// <summary>A typed document with the ETag it was read at.</summary>
public sealed record Versioned<T>(T Value, string ETag);

/// <summary>
/// Typed JSON on top of <see cref="IStateStore"/>: read, create, and the read-modify-write loop
/// (<see cref="UpdateAsync{T}"/>) that every flow uses. A lost race is retried from a fresh read with
/// jittered back-off, a bounded number of times, never overwritten.
/// </summary>
public sealed class Documents(IStateStore store)
{
    public const int MaxAttempts = 12;

    public static readonly JsonSerializerOptions JsonOptions = CreateJsonOptions();

    /// <summary>The store, measured: every call counts in the storage metrics with its latency and outcome.</summary>
    public IStateStore Store { get; } = new MeasuredStateStore(store);

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = false,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);
        return options;
    }

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, JsonOptions);

    public static T Deserialize<T>(StoredDocument document)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(document.Content.Span, JsonOptions)
                ?? throw new StateCorruptException(document.Key);
        }
        catch (JsonException ex)
        {
            throw new StateCorruptException(document.Key, ex);
        }
    }

    public async Task<Versioned<T>?> GetAsync<T>(string key, CancellationToken cancellationToken = default)
    {
        var doc = await Store.GetAsync(key, cancellationToken).ConfigureAwait(false);
        return doc is null ? null : new Versioned<T>(Deserialize<T>(doc), doc.ETag);
    }

    public async Task<T?> GetValueAsync<T>(string key, CancellationToken cancellationToken = default) where T : class
        => (await GetAsync<T>(key, cancellationToken).ConfigureAwait(false))?.Value;

    /// <summary>Creates the document if absent. Returns false (and writes nothing) when it already exists.</summary>
    public async Task<bool> TryCreateAsync<T>(string key, T value, CancellationToken cancellationToken = default)
    {
        try
        {
            await Store.CreateAsync(key, Serialize(value), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StateConflictException)
        {
            return false;
        }
    }

    /// <summary>
    /// Read-modify-write with optimistic concurrency. <paramref name="mutate"/> gets the current value
    /// (null when absent) and returns the new value, or null to write nothing. It may run several times
    /// (once per attempt), so it must not have side effects beyond its return value and local captures
    /// it resets on every call. Returns the value that is stored when the call ends.
    /// </summary>
    public Task<T?> UpdateAsync<T>(string key, Func<T?, T?> mutate, CancellationToken cancellationToken = default)
        where T : class
        => UpdateAsync(key, mutate, MaxAttempts, cancellationToken);

    /// <inheritdoc cref="UpdateAsync{T}(string, Func{T, T}, CancellationToken)"/>
    /// <param name="maxAttempts">How many lost races to retry before giving up with <see cref="StateContentionException"/>;
    /// more than <see cref="MaxAttempts"/> for a document many members write at once (a poll's ballot box).</param>
    public async Task<T?> UpdateAsync<T>(string key, Func<T?, T?> mutate, int maxAttempts, CancellationToken cancellationToken = default)
        where T : class
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await GetAsync<T>(key, cancellationToken).ConfigureAwait(false);
            var next = mutate(current?.Value);
            if (next is null) return current?.Value;
            try
            {
                if (current is null)
                    await Store.CreateAsync(key, Serialize(next), cancellationToken).ConfigureAwait(false);
                else
                    await Store.ReplaceAsync(key, Serialize(next), current.ETag, cancellationToken).ConfigureAwait(false);
                return next;
            }
            catch (StateConflictException) when (attempt < maxAttempts)
            {
                await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
            }
            catch (StateConflictException)
            {
                throw new StateContentionException(key, attempt);
            }
        }
    }

    /// <summary>Deletes a document whatever its version; returns false when it was already gone.</summary>
    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await Store.GetAsync(key, cancellationToken).ConfigureAwait(false);
            if (current is null) return false;
            try
            {
                await Store.DeleteAsync(key, current.ETag, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (StateConflictException) when (attempt < MaxAttempts)
            {
                await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads every document under a prefix. A document that fails to parse is skipped and reported through <paramref name="onCorrupt"/>.</summary>
    public async IAsyncEnumerable<Versioned<T>> ListAsync<T>(
        string prefix,
        Action<StateCorruptException>? onCorrupt = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var key in Store.ListKeysAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            Versioned<T>? item;
            try
            {
                item = await GetAsync<T>(key, cancellationToken).ConfigureAwait(false);
            }
            catch (StateCorruptException ex) when (onCorrupt is not null)
            {
                onCorrupt(ex);
                continue;
            }
            if (item is not null) yield return item;
        }
    }

    /// <summary>
    /// How long to wait before attempt <paramref name="attempt"/> + 1 after a lost race. Full jitter, doubling from 10 ms
    /// up to 1 s: with 50 writers on one blob (a few ms per round trip) the window must grow to several hundred ms
    /// before they stop colliding; a 250 ms cap ran out of attempts.
    /// </summary>
    public static TimeSpan Backoff(int attempt)
    {
        var ceilingMs = Math.Min(5 * (1 << Math.Min(attempt, 8)), 1000);
        return TimeSpan.FromMilliseconds(Random.Shared.Next(1, ceilingMs + 1));
    }
}
