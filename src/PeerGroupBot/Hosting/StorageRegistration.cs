using PeerGroupBot.Core.State;

namespace PeerGroupBot.Hosting;

public static class StorageRegistration
{
    /// <summary>Interim: an in-memory store until the storage project (folder and Azure Blob stores) lands.</summary>
    public static IServiceCollection AddPeerGroupBotStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IStateStore, InMemoryStateStore>();
        return services;
    }
}
