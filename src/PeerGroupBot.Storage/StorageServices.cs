using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PeerGroupBot.Core.State;
using PeerGroupBot.Storage.Blob;
using PeerGroupBot.Storage.Folder;

namespace PeerGroupBot.Storage;

public static class StorageServices
{
    /// <summary>
    /// Registers <see cref="StorageOptions"/> (section <c>Storage</c>, validated when the host starts), the chosen
    /// <see cref="IStateStore"/> as a singleton, and <see cref="StorageStartup"/>, which creates the folder or
    /// container at start. Call it once from the host.
    /// </summary>
    public static IServiceCollection AddPeerGroupBotStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.AddSingleton<IStateStore>(sp => CreateStore(
            sp.GetRequiredService<IOptions<StorageOptions>>().Value,
            sp.GetService<ILoggerFactory>()));
        services.AddHostedService<StorageStartup>();

        // The blob store's container is also where the scheduler's leader lease lives (a real blob lease).
        var configured = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>();
        if (configured?.IsAzureBlob == true)
            services.TryAddSingleton(sp => CreateContainerClient(sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        return services;
    }

    /// <summary>A client for the state container, configured like the store's own (same retries and policies).</summary>
    public static BlobContainerClient CreateContainerClient(StorageOptions options)
    {
        var clientOptions = BlobStateStore.CreateDefaultClientOptions();
        options.ConfigureBlobClient?.Invoke(clientOptions);
        return new BlobContainerClient(options.ConnectionString, options.Container, clientOptions);
    }

    /// <summary>Builds the store that <paramref name="options"/> names (they must be valid).</summary>
    public static IStateStore CreateStore(StorageOptions options, ILoggerFactory? loggerFactory = null)
    {
        if (options.IsAzureBlob)
        {
            var clientOptions = BlobStateStore.CreateDefaultClientOptions();
            options.ConfigureBlobClient?.Invoke(clientOptions);
            return new BlobStateStore(options.ConnectionString!, options.Container, clientOptions, loggerFactory?.CreateLogger<BlobStateStore>());
        }
        return new FolderStateStore(options.FolderPath, loggerFactory?.CreateLogger<FolderStateStore>());
    }
}
