using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace PeerGroupBot.Core.State;

/// <summary>That something was accepted. Stored at <c>{prefix}{time bucket}/{hash}</c>; it holds no time (the bucket is all a repeat check needs).</summary>
public sealed record SeenMark;

/// <summary>
/// "Handle this id once", across every instance: the shared state store is the one place they all see, so the first
/// instance to create the mark (If-None-Match: *) wins and every later arrival of the same id is told it was seen.
/// Marks live in time buckets so old ones are cheap to find and delete; a lookup checks the current and previous
/// bucket, so a repeat is caught for at least <see cref="Window"/>. Adapters use it for platform re-deliveries (Teams)
/// and replays of signed requests (Discord).
/// </summary>
public abstract class SeenMarks(Documents documents, string prefix, TimeProvider time, ILogger logger)
{
    /// <summary>How long a mark must at least be remembered.</summary>
    protected abstract TimeSpan Window { get; }

    private long BucketOf(DateTimeOffset at) => at.ToUnixTimeSeconds() / (long)Math.Max(60, Window.TotalSeconds);

    private string Key(long bucket, string id) => prefix + bucket.ToString(CultureInfo.InvariantCulture) + "/" + id;

    /// <summary>A short, key-safe hash of the parts that identify one delivery.</summary>
    public static string HashOf(params string[] parts)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", parts))))[..40];

    /// <summary>True the first time an id is seen; false for a repeat.</summary>
    public async Task<bool> TryBeginAsync(string id, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var bucket = BucketOf(now);
        if (!await documents.TryCreateAsync(Key(bucket, id), new SeenMark(), cancellationToken).ConfigureAwait(false)) return false;
        return await documents.Store.GetAsync(Key(bucket - 1, id), cancellationToken).ConfigureAwait(false) is null;
    }

    /// <summary>Forgets an id whose processing failed, so the platform's retry is processed.</summary>
    public async Task ForgetAsync(string id, CancellationToken cancellationToken)
        => await documents.DeleteAsync(Key(BucketOf(time.GetUtcNow()), id), cancellationToken).ConfigureAwait(false);

    /// <summary>Deletes marks older than two buckets. Any instance may run it; deletes are conditional.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var oldest = BucketOf(time.GetUtcNow()) - 1;
        var deleted = 0;
        var stale = new List<string>();
        await foreach (var key in documents.Store.ListKeysAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            var bucketText = key[prefix.Length..].Split('/')[0];
            if (long.TryParse(bucketText, NumberStyles.None, CultureInfo.InvariantCulture, out var bucket) && bucket < oldest) stale.Add(key);
        }
        foreach (var key in stale)
        {
            if (await documents.DeleteAsync(key, cancellationToken).ConfigureAwait(false)) deleted++;
        }
        if (deleted > 0) logger.LogDebug("Deleted {Count} old marks under {Prefix}.", deleted, prefix);
        return deleted;
    }
}
