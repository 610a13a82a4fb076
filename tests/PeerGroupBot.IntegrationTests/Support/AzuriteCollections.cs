using PeerGroupBot.Testing.Storage;

namespace PeerGroupBot.IntegrationTests.Support;

/// <summary>Tests that share one in-memory Azurite; each uses its own container.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "azurite";
}

/// <summary>Tests that stop and restart Azurite, so its data must survive on disk.</summary>
[CollectionDefinition(Name)]
public sealed class PersistentAzuriteCollection : ICollectionFixture<PersistentAzuriteFixture>
{
    public const string Name = "persistent azurite";
}
