using PeerGroupBot.Core.State;
using PeerGroupBot.Storage.Folder;

namespace PeerGroupBot.Storage.Tests.Contract;

public sealed class FolderStoreContractTests : StateStoreContract, IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("pgb-folder-");

    public FolderStoreContractTests() => Store = new FolderStateStore(_root.FullName);

    protected override IStateStore Store { get; }

    public void Dispose() => _root.Delete(recursive: true);
}
