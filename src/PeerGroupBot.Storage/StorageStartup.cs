using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Storage;

/// <summary>
/// Creates the folder or blob container when the host starts, so the first member's command does not pay for it.
/// Storage that is unreachable at start does not stop the bot: it is logged, <c>/healthz</c> reports it through
/// <see cref="IStateStore.IsHealthyAsync"/>, commands answer "try again shortly", and the store tries again on
/// first use.
/// </summary>
public sealed class StorageStartup(IStateStore store, ILogger<StorageStartup> logger) : IHostedService
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (store is not IStateStoreProvisioning provisioning) return;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await provisioning.EnsureReadyAsync(timeout.Token).ConfigureAwait(false);
            logger.LogInformation("State is stored in {StoreKind} at {Location}", store.GetType().Name, provisioning.Location);
        }
        catch (StateUnavailableException ex)
        {
            logger.LogError(ex, "State storage at {Location} is not reachable at start; it will be tried again on first use", provisioning.Location);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError("State storage at {Location} did not answer within {Seconds} seconds at start; it will be tried again on first use",
                provisioning.Location, Timeout.TotalSeconds);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
