using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using NodaTime;
using PeerGroupBot.Core.Scheduling;

namespace PeerGroupBot.Scheduling;

/// <summary>
/// The leader lease as an Azure Blob lease on an empty blob named after <c>Scheduling:LeaseName</c>. The storage
/// service keeps the time, so instances' clocks do not matter; a lease lasts 15–60 seconds and lapses on its own
/// when the holder dies.
/// </summary>
public sealed class BlobLeaderLease : ILeaderLease
{
    private readonly BlobClient _blob;
    private readonly BlobLeaseClient _lease;
    private bool _blobExists;

    public BlobLeaderLease(BlobContainerClient container, string leaseName, string holderId, Duration length)
    {
        _blob = container.GetBlobClient("leases/" + StoredLeaderLease.SafeName(leaseName));
        // Blob lease ids are GUIDs: derive a stable one from the holder id so a retried call is recognised as ours.
        var leaseId = new Guid(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(holderId))).ToString();
        _lease = _blob.GetBlobLeaseClient(leaseId);
        HolderId = holderId;
        Length = Duration.FromSeconds(Math.Clamp(length.TotalSeconds, 15, 60));
    }

    public string HolderId { get; }
    public Duration Length { get; }

    public async Task<bool> TryAcquireAsync(CancellationToken cancellationToken)
    {
        if (!_blobExists)
        {
            try { await _blob.UploadAsync(BinaryData.FromString(""), overwrite: false, cancellationToken).ConfigureAwait(false); }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412) { /* already there, possibly leased */ }
            _blobExists = true;
        }
        try
        {
            await _lease.AcquireAsync(Length.ToTimeSpan(), cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false; // another instance holds it
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            _blobExists = false;
            return false;
        }
    }

    public async Task<bool> RenewAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _lease.RenewAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404)
        {
            return false; // lapsed and taken, or the blob is gone
        }
    }

    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        try { await _lease.ReleaseAsync(cancellationToken: cancellationToken).ConfigureAwait(false); }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404) { /* not ours any more */ }
    }
}
