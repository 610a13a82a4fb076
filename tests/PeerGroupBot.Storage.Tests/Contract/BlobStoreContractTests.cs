using PeerGroupBot.Core.State;
using PeerGroupBot.Storage.Blob;
using PeerGroupBot.Testing.Storage;

namespace PeerGroupBot.Storage.Tests.Contract;

[Collection(AzuriteCollection.Name)]
public sealed class BlobStoreContractTests(AzuriteFixture azurite) : StateStoreContract
{
    protected override IStateStore Store { get; } = new BlobStateStore(azurite.ConnectionString, AzuriteFixture.NewContainerName());
}
