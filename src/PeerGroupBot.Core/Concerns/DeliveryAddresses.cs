using Microsoft.Extensions.Logging;
using PeerGroupBot.Core.Security;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Core.Concerns;

/// <summary>
/// Keeps the only way back from a concern to the member who raised it: their member id sealed with AES-GCM under the
/// concerns key, bound (as associated data) to one concern of one group so a sealed address cannot be moved to
/// another concern. Stored apart from the concern (<see cref="ConcernDelivery"/>) and deleted on resolution.
/// The opened id is used in memory to send a message and is never logged or stored anywhere else.
/// </summary>
public sealed class DeliveryAddresses(Documents documents, ConcernKeyProvider keys, ILogger<DeliveryAddresses> logger)
{
    public async Task SealAsync(string groupId, int number, string memberId, CancellationToken cancellationToken)
    {
        var key = await keys.GetKeyAsync(cancellationToken).ConfigureAwait(false);
        var sealedAddress = Sealing.Seal(key, Bind(groupId, number), memberId);
        await documents.UpdateAsync<ConcernDelivery>(ConcernDelivery.KeyFor(groupId, number), _ => new ConcernDelivery(sealedAddress), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The member id, or null when there is no address (no replies, resolved, expired) or it cannot be opened.</summary>
    public async Task<string?> OpenAsync(string groupId, int number, CancellationToken cancellationToken)
    {
        var stored = await documents.GetValueAsync<ConcernDelivery>(ConcernDelivery.KeyFor(groupId, number), cancellationToken).ConfigureAwait(false);
        if (stored is null) return null;
        var key = await keys.GetKeyAsync(cancellationToken).ConfigureAwait(false);
        var opened = Sealing.Open(key, Bind(groupId, number), stored.Sealed);
        if (opened is null)
            logger.LogWarning("The delivery address of concern {Number} in group {GroupId} could not be opened (was the concerns key changed?).", number, groupId);
        return opened;
    }

    public async Task<bool> ExistsAsync(string groupId, int number, CancellationToken cancellationToken)
        => await documents.Store.GetAsync(ConcernDelivery.KeyFor(groupId, number), cancellationToken).ConfigureAwait(false) is not null;

    public Task<bool> DeleteAsync(string groupId, int number, CancellationToken cancellationToken)
        => documents.DeleteAsync(ConcernDelivery.KeyFor(groupId, number), cancellationToken);

    private static string Bind(string groupId, int number) => $"concern-delivery/{groupId}/{number}";
}
