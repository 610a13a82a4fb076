using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PeerGroupBot.Core.Security;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Teams.Inbound;

/// <summary>
/// That an activity was accepted. Stored at <c>teams/seen/{time bucket}/{keyed hash}</c>; it holds no time (the bucket,
/// as long as the dedupe window, is all the dedupe needs).
/// </summary>
public sealed record DeliveryMark;

/// <summary>
/// Teams re-delivers an activity when our answer was slow or lost; the same id must be processed once. The shared
/// state store is the one place every instance sees, so the first instance to create the mark (If-None-Match: *) wins.
/// Marks live in time buckets so old ones are cheap to find and delete; a lookup checks the current and previous
/// bucket, so a re-delivery is caught for at least <see cref="TeamsOptions.DedupeWindow"/>. A mark is named by a keyed
/// hash of conversation and activity id, so nobody without <c>Security:PseudonymKey</c> can tell whose chat an
/// activity came from (a plain hash could be recomputed from the conversation ids in the member references).
/// </summary>
public sealed class DeliveryLog(Documents documents, KeyRing keys, IOptions<TeamsOptions> options, TimeProvider time, ILogger<DeliveryLog> logger)
{
    public const string Prefix = "teams/seen/";

    private long BucketOf(DateTimeOffset at) => at.ToUnixTimeSeconds() / (long)Math.Max(60, options.Value.DedupeWindow.TotalSeconds);

    private static string Key(long bucket, string id) => Prefix + bucket.ToString(CultureInfo.InvariantCulture) + "/" + id;

    public string IdOf(string conversationId, string activityId) => keys.Hash("teams-delivery", conversationId + "\n" + activityId);

    /// <summary>True the first time an activity is seen; false for a re-delivery.</summary>
    public async Task<bool> TryBeginAsync(string id, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var bucket = BucketOf(now);
        if (!await documents.TryCreateAsync(Key(bucket, id), new DeliveryMark(), cancellationToken).ConfigureAwait(false)) return false;
        return await documents.Store.GetAsync(Key(bucket - 1, id), cancellationToken).ConfigureAwait(false) is null;
    }

    /// <summary>Forgets an activity whose processing failed, so Teams' retry is processed.</summary>
    public async Task ForgetAsync(string id, CancellationToken cancellationToken)
        => await documents.DeleteAsync(Key(BucketOf(time.GetUtcNow()), id), cancellationToken).ConfigureAwait(false);

    /// <summary>Deletes marks older than two buckets. Any instance may run it; deletes are conditional.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var oldest = BucketOf(time.GetUtcNow()) - 1;
        var deleted = 0;
        var stale = new List<string>();
        await foreach (var key in documents.Store.ListKeysAsync(Prefix, cancellationToken).ConfigureAwait(false))
        {
            var bucketText = key[Prefix.Length..].Split('/')[0];
            if (long.TryParse(bucketText, NumberStyles.None, CultureInfo.InvariantCulture, out var bucket) && bucket < oldest) stale.Add(key);
        }
        foreach (var key in stale)
        {
            if (await documents.DeleteAsync(key, cancellationToken).ConfigureAwait(false)) deleted++;
        }
        if (deleted > 0) logger.LogDebug("Deleted {Count} old delivery marks.", deleted);
        return deleted;
    }
}
