using Azure.Storage.Blobs;

namespace PeerGroupBot.Storage;

/// <summary>
/// Where the bot keeps its state, bound from the <c>Storage</c> configuration section. The default (a local
/// folder) needs no setting at all, so a fresh clone runs; <c>AzureBlob</c> is for hosted and multi-instance
/// deployments, where every instance must see the same documents.
/// </summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary><see cref="StorageProviders.Folder"/> (default) or <see cref="StorageProviders.AzureBlob"/>.</summary>
    public string Provider { get; set; } = StorageProviders.Folder;

    /// <summary>The folder of the folder store, relative to the working directory unless absolute.</summary>
    public string FolderPath { get; set; } = "./data";

    /// <summary>An Azure Storage connection string (or <c>UseDevelopmentStorage=true</c> for a local Azurite). A secret: never logged.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The blob container that holds every document; created at start when missing.</summary>
    public string Container { get; set; } = "peergroupbot";

    /// <summary>
    /// Not bound from configuration: lets a test or a host adjust the Azure SDK client of the blob store
    /// (retry settings, or a pipeline policy that injects faults) before the client is built.
    /// </summary>
    public Action<BlobClientOptions>? ConfigureBlobClient { get; set; }

    internal bool IsAzureBlob => string.Equals(Provider, StorageProviders.AzureBlob, StringComparison.OrdinalIgnoreCase);

    internal bool IsFolder => string.Equals(Provider, StorageProviders.Folder, StringComparison.OrdinalIgnoreCase);
}

/// <summary>The names accepted by <c>Storage:Provider</c>.</summary>
public static class StorageProviders
{
    public const string Folder = "Folder";
    public const string AzureBlob = "AzureBlob";
}
