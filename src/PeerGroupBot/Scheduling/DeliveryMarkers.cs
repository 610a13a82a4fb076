using System.Globalization;
using NodaTime;
using PeerGroupBot.Core.Scheduling;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Scheduling;

/// <summary>
/// Delivery markers (<c>deliveries/{groupId}/{timerId}-{due ms}</c>) only matter while a timer could still fire, so
/// old ones are removed on a slow schedule. The due time is read from the key, so a purge costs one listing.
/// </summary>
public static class DeliveryMarkers
{
    public static async Task<int> PurgeAsync(Documents documents, Instant olderThan, CancellationToken cancellationToken)
    {
        var old = new List<string>();
        await foreach (var key in documents.Store.ListKeysAsync("deliveries/", cancellationToken).ConfigureAwait(false))
        {
            var dash = key.LastIndexOf('-');
            if (dash > 0 && long.TryParse(key[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var dueMs))
            {
                if (Instant.FromUnixTimeMilliseconds(dueMs) < olderThan) old.Add(key);
                continue;
            }
            var marker = await documents.GetValueAsync<DeliveryMarker>(key, cancellationToken).ConfigureAwait(false);
            if (marker is not null && marker.DeliveredAt < olderThan) old.Add(key);
        }
        foreach (var key in old)
            await documents.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        return old.Count;
    }
}
