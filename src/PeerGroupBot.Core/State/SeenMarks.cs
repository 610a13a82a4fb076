using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace PeerGroupBot.Core.State;

/// <summary>That something was accepted. Stored at <c>{prefix}{hash}</c>; it holds no time, and neither does its name.</summary>
public sealed record SeenMark;

/// <summary>
/// "Handle this id once", across every instance: the shared state store is the one place they all see, so the first
/// instance to create the mark (If-None-Match: *) wins and every later arrival of the same id is told it was seen. One
/// create is the whole check. A mark is named by the id alone, so a repeat of an id always meets its mark however
/// the clock has moved; it is swept once a sweeper has seen it for at least <see cref="Window"/> (the sweeper keeps
/// in memory when it first listed each mark, so neither the mark nor its name needs a time). Adapters use it for
/// platform re-deliveries (Teams) and replays of signed requests (Discord).
/// </summary>
public abstract class SeenMarks(Documents documents, string prefix, TimeProvider time, ILogger logger)
{
    private const int MaxHeldHere = 50_000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _firstListed = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _here = new(StringComparer.Ordinal);

    /// <summary>How long a mark must at least be remembered.</summary>
    protected abstract TimeSpan Window { get; }

    /// <summary>The time on the host's clock.</summary>
    protected DateTimeOffset Now => time.GetUtcNow();

    private string Key(string id) => prefix + id;

    /// <summary>A short, key-safe hash of the parts that identify one delivery.</summary>
    public static string HashOf(params string[] parts)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", parts))))[..40];

    /// <summary>True the first time an id is seen; false for a repeat. One create-if-absent call.</summary>
    public Task<bool> TryBeginAsync(string id, CancellationToken cancellationToken)
        => documents.TryCreateAsync(Key(id), new SeenMark(), cancellationToken);

    /// <summary>
    /// The same check kept in this instance's memory for <see cref="Window"/>, for an input whose repeat changes nothing
    /// (a vote click: "set my vote to X"; see <c>ConversationRouter.RepeatIsHarmless</c>), so it costs no storage call. A
    /// repeat that reaches another instance is handled again, which stores nothing new (or, for a replay, at most sets the
    /// member's ballot back to a choice that member made within the window).
    /// </summary>
    public bool TryBeginHere(string id)
    {
        var now = Now;
        if (_here.Count >= MaxHeldHere)
            foreach (var (key, at) in _here)
                if (now - at >= Window) _here.TryRemove(key, out _);
        if (_here.TryGetValue(id, out var seen) && now - seen < Window) return false;
        _here[id] = now;
        return true;
    }

    /// <summary>Forgets an id whose processing failed, so the platform's retry is processed.</summary>
    public async Task ForgetAsync(string id, CancellationToken cancellationToken)
    {
        _here.TryRemove(id, out _);
        await documents.DeleteAsync(Key(id), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes the marks this sweeper listed at least <see cref="Window"/> ago (so every mark lives at least that long,
    /// and at most about two sweeps longer). Any instance may run it; deletes are conditional. The first sweep after a
    /// start only notes what it finds.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        var listed = new HashSet<string>(StringComparer.Ordinal);
        var stale = new List<string>();
        await foreach (var key in documents.Store.ListKeysAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            listed.Add(key);
            var first = _firstListed.GetOrAdd(key, now);
            if (now - first >= Window) stale.Add(key);
        }
        foreach (var key in _firstListed.Keys)
            if (!listed.Contains(key)) _firstListed.TryRemove(key, out _);
        var deleted = 0;
        foreach (var key in stale)
        {
            if (await documents.DeleteAsync(key, cancellationToken).ConfigureAwait(false)) deleted++;
            _firstListed.TryRemove(key, out _);
        }
        if (deleted > 0) logger.LogDebug("Deleted {Count} old marks under {Prefix}.", deleted, prefix);
        return deleted;
    }
}
