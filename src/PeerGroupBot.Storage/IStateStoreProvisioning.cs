namespace PeerGroupBot.Storage;

/// <summary>
/// A store that needs something to exist before the first document is written (a folder, a blob container).
/// <see cref="StorageStartup"/> calls it at start; the stores also call it on first use, so a store that was
/// unreachable at start recovers by itself.
/// </summary>
public interface IStateStoreProvisioning
{
    /// <summary>Where the documents live, for logs (never a secret).</summary>
    string Location { get; }

    /// <summary>Creates the folder or container when missing.</summary>
    /// <exception cref="Core.State.StateUnavailableException">The storage cannot be reached or written.</exception>
    Task EnsureReadyAsync(CancellationToken cancellationToken = default);
}
