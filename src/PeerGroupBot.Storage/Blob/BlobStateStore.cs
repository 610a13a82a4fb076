using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Core;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Storage.Blob;

/// <summary>
/// Documents as block blobs in one container (blob name = key), for hosted and multi-instance deployments.
/// Every write is a conditional request: <c>If-None-Match: *</c> to create, <c>If-Match</c> to replace or delete,
/// so a lost race surfaces as <see cref="StateConflictException"/> and is retried from a fresh read by
/// <see cref="Documents"/>, never overwritten.
/// <para>
/// The Azure SDK resends a request after a timeout or a 5xx. When the first attempt had in fact been applied, the
/// resend is refused (409/412) as if someone else had won, and a naive caller would apply its change twice. So
/// every write carries a new write id in the blob's metadata (<see cref="WriteHistory"/>); a refused resend, or a
/// write that failed after being sent, re-reads the metadata and reports success when it finds its own id.
/// </para>
/// Transport failures, timeouts and 5xx answers become <see cref="StateUnavailableException"/>, whose message names
/// the key and the status but never the document.
/// </summary>
public sealed class BlobStateStore : IStateStore, IStateStoreProvisioning
{
    private static readonly TimeSpan HealthTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ConfirmTimeout = TimeSpan.FromSeconds(5);
    private const int MaxKnownVersions = 10_000;

    private readonly BlobContainerClient _container;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _provisioning = new(1, 1);
    private readonly ConcurrentDictionary<string, KnownVersion> _known = new(StringComparer.Ordinal);
    private volatile bool _ready;

    /// <param name="connectionString">An Azure Storage connection string (or <c>UseDevelopmentStorage=true</c>).</param>
    /// <param name="containerName">The container; created on first use when missing.</param>
    /// <param name="clientOptions">
    /// SDK options, e.g. with a fault-injecting pipeline policy in tests; <see cref="CreateDefaultClientOptions"/>
    /// when null. The store adds its own per-retry policy to them, so give each store its own instance.
    /// </param>
    /// <param name="logger">Logs ids and statuses only.</param>
    public BlobStateStore(string connectionString, string containerName, BlobClientOptions? clientOptions = null, ILogger<BlobStateStore>? logger = null)
    {
        clientOptions ??= CreateDefaultClientOptions();
        clientOptions.AddPolicy(new AttemptCounter.Policy(), HttpPipelinePosition.PerRetry);
        _container = new BlobContainerClient(connectionString, containerName, clientOptions);
        _logger = logger ?? NullLogger<BlobStateStore>.Instance;
        Location = new UriBuilder(_container.Uri) { Query = "" }.Uri.ToString();
    }

    /// <summary>
    /// Retries suited to a chat bot: a few quick retries and a 10 second network timeout, so a member hears
    /// "try again shortly" within seconds instead of the SDK default of minutes.
    /// </summary>
    public static BlobClientOptions CreateDefaultClientOptions()
    {
        var options = new BlobClientOptions();
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        return options;
    }

    /// <summary>The container's address, without any credential.</summary>
    public string Location { get; }

    public async Task EnsureReadyAsync(CancellationToken cancellationToken = default)
    {
        if (_ready) return;
        await _provisioning.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_ready) return;
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            _ready = true;
        }
        catch (Exception ex) when (IsFailure(ex, cancellationToken))
        {
            throw new StateUnavailableException($"The blob container '{_container.Name}' could not be reached or created ({Describe(ex)}).", ex);
        }
        finally
        {
            _provisioning.Release();
        }
    }

    public async Task<StoredDocument?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        StateKeys.Validate(key);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var result = (await _container.GetBlobClient(key).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value;
            var etag = Remember(key, result.Details.ETag, WriteHistory.Of(result.Details.Metadata));
            return new StoredDocument(key, result.Content.ToMemory(), etag);
        }
        catch (RequestFailedException ex) when (IsBlobNotFound(ex))
        {
            _known.TryRemove(key, out _);
            return null;
        }
        catch (Exception ex) when (IsFailure(ex, cancellationToken))
        {
            throw Unavailable("read", key, ex);
        }
    }

    public Task<string> CreateAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        StateKeys.Validate(key);
        return WriteAsync(key, content, previousHistory: null, new BlobRequestConditions { IfNoneMatch = ETag.All }, cancellationToken);
    }

    public Task<string> ReplaceAsync(string key, ReadOnlyMemory<byte> content, string etag, CancellationToken cancellationToken = default)
    {
        StateKeys.Validate(key);
        // The history travels from the version we read; a version we never saw starts a new history.
        var previous = _known.TryGetValue(key, out var known) && known.ETag == etag ? known.History : null;
        return WriteAsync(key, content, previous, new BlobRequestConditions { IfMatch = new ETag(etag) }, cancellationToken);
    }

    public async Task DeleteAsync(string key, string etag, CancellationToken cancellationToken = default)
    {
        StateKeys.Validate(key);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var blob = _container.GetBlobClient(key);
        var attempts = new AttemptCounter();
        try
        {
            using (attempts.Track())
                await blob.DeleteAsync(DeleteSnapshotsOption.None, new BlobRequestConditions { IfMatch = new ETag(etag) }, cancellationToken).ConfigureAwait(false);
            _known.TryRemove(key, out _);
        }
        catch (RequestFailedException ex) when (IsConflict(ex) || IsBlobNotFound(ex))
        {
            // A resend refused because the blob is gone: our first attempt most likely deleted it. Either way the
            // version we meant to delete is gone and nothing else took its place, which is what the caller wanted.
            if (attempts.WasRetried && !await ExistsAsync(blob, cancellationToken).ConfigureAwait(false))
            {
                _known.TryRemove(key, out _);
                return;
            }
            throw new StateConflictException(key);
        }
        catch (Exception ex) when (IsFailure(ex, cancellationToken))
        {
            throw Unavailable("delete", key, ex);
        }
    }

    public async IAsyncEnumerable<string> ListKeysAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StateKeys.ValidatePrefix(prefix);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var options = new GetBlobsOptions { Prefix = prefix.Length == 0 ? null : prefix };
        // Blob listings come in name order (ordinal for our ASCII keys), page by page.
        var pages = _container.GetBlobsAsync(options, cancellationToken).AsPages().GetAsyncEnumerator(cancellationToken);
        await using (pages.ConfigureAwait(false))
        {
            while (true)
            {
                Page<BlobItem> page;
                try
                {
                    if (!await pages.MoveNextAsync().ConfigureAwait(false)) yield break;
                    page = pages.Current;
                }
                catch (Exception ex) when (IsFailure(ex, cancellationToken))
                {
                    throw Unavailable("list", prefix, ex);
                }
                foreach (var item in page.Values)
                {
                    // Blobs that other tools put in the container are not documents.
                    if (StateKeys.IsValid(item.Name)) yield return item.Name;
                }
            }
        }
    }

    /// <summary>Creates the container if needed, then reads its properties: one cheap round trip once running.</summary>
    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(HealthTimeout);
        try
        {
            await EnsureReadyAsync(timeout.Token).ConfigureAwait(false);
            await _container.GetPropertiesAsync(cancellationToken: timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is StateUnavailableException || IsFailure(ex, cancellationToken))
        {
            if (ex is RequestFailedException { Status: 404 }) _ready = false;
            _logger.LogWarning("Blob storage {Location} is not healthy ({Reason})", Location, Describe(ex));
            return false;
        }
    }

    private async Task<string> WriteAsync(string key, ReadOnlyMemory<byte> content, string? previousHistory, BlobRequestConditions conditions, CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var blob = _container.GetBlobClient(key);
        var writeId = WriteHistory.NewWriteId();
        var history = WriteHistory.Append(previousHistory, writeId);
        var options = new BlobUploadOptions
        {
            Conditions = conditions,
            Metadata = new Dictionary<string, string> { [WriteHistory.MetadataName] = history },
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
        };
        var attempts = new AttemptCounter();
        try
        {
            Response<BlobContentInfo> response;
            using (attempts.Track())
                response = await blob.UploadAsync(BinaryData.FromBytes(content), options, cancellationToken).ConfigureAwait(false);
            return Remember(key, response.Value.ETag, history);
        }
        catch (RequestFailedException ex) when (IsConflict(ex) || (conditions.IfMatch is not null && IsBlobNotFound(ex)))
        {
            // Refused on the first attempt: a real conflict. Refused on a resend: maybe our own earlier success.
            if (!attempts.WasRetried) throw new StateConflictException(key);
            return await ConfirmOwnWriteAsync(blob, key, writeId, cancellationToken).ConfigureAwait(false)
                ?? throw new StateConflictException(key);
        }
        catch (Exception ex) when (IsFailure(ex, cancellationToken))
        {
            // Every attempt failed, but one may have been applied before its answer was lost: look before saying
            // "nothing was written", so that the caller's retry does not apply the change a second time.
            if (attempts.Count > 0)
            {
                string? confirmed = null;
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    timeout.CancelAfter(ConfirmTimeout);
                    confirmed = await ConfirmOwnWriteAsync(blob, key, writeId, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception confirmFailure) when (IsFailure(confirmFailure, cancellationToken))
                {
                    // Still unreachable: report the original failure.
                }
                if (confirmed is not null) return confirmed;
            }
            throw Unavailable("write", key, ex);
        }
    }

    /// <summary>
    /// The ETag to report when the blob's history holds <paramref name="writeId"/>, or null when it does not.
    /// If our version has since been replaced, an ETag that matches nothing is reported: a later conditional
    /// write with it then conflicts, as it must, instead of overwriting the newer version.
    /// </summary>
    private async Task<string?> ConfirmOwnWriteAsync(BlobClient blob, string key, string writeId, CancellationToken cancellationToken)
    {
        BlobProperties properties;
        try
        {
            properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException ex) when (IsBlobNotFound(ex))
        {
            return null;
        }
        var history = WriteHistory.Of(properties.Metadata);
        var ids = WriteHistory.Parse(history);
        var position = ids.LastIndexOf(writeId);
        if (position < 0) return null;
        _logger.LogInformation("A resent write of {Key} was refused, but the first attempt had succeeded", key);
        return position == ids.Count - 1
            ? Remember(key, properties.ETag, history)
            : $"\"superseded-{writeId}\"";
    }

    private static async Task<bool> ExistsAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            return (await blob.ExistsAsync(cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (Exception ex) when (IsFailure(ex, cancellationToken))
        {
            return true; // unknown: do not claim the delete
        }
    }

    private string Remember(string key, ETag etag, string? history)
    {
        if (_known.Count >= MaxKnownVersions) _known.Clear();
        var value = etag.ToString();
        _known[key] = new KnownVersion(value, history);
        return value;
    }

    private static bool IsConflict(RequestFailedException ex)
        => ex.Status == 412 || (ex.Status == 409 && ex.ErrorCode is null or "BlobAlreadyExists");

    private static bool IsBlobNotFound(RequestFailedException ex)
        => ex.Status == 404 && ex.ErrorCode != "ContainerNotFound";

    /// <summary>Storage failures, as opposed to bugs or a cancellation the caller asked for.</summary>
    private static bool IsFailure(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested, // the SDK's network timeout
        RequestFailedException or AggregateException or IOException or HttpRequestException or TimeoutException => true,
        _ => false,
    };

    private StateUnavailableException Unavailable(string operation, string key, Exception ex)
    {
        if (ex is RequestFailedException { ErrorCode: "ContainerNotFound" })
            _ready = false; // recreate on next use (e.g. an emulator restarted without persistence)
        return new StateUnavailableException($"Blob storage failed to {operation} '{key}' ({Describe(ex)}).", ex);
    }

    private static string Describe(Exception ex) => ex switch
    {
        RequestFailedException { Status: 0 } => "unreachable",
        RequestFailedException rfe => $"status {rfe.Status} {rfe.ErrorCode}".TrimEnd(),
        AggregateException => "unreachable after retries",
        OperationCanceledException => "timed out",
        _ => ex.GetType().Name,
    };

    private sealed record KnownVersion(string ETag, string? History);
}
