using PeerGroupBot.Testing.Storage;

namespace PeerGroupBot.Storage.Tests;

/// <summary>Tests against one in-memory Azurite, each with its own container. Tests in it run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}

/// <summary>Tests that restart Azurite and expect their data back.</summary>
[CollectionDefinition(Name)]
public sealed class PersistentAzuriteCollection : ICollectionFixture<PersistentAzuriteFixture>
{
    public const string Name = "Azurite on disk";
}
