using PeerGroupBot.Core.State;

namespace PeerGroupBot.Storage.Tests.Contract;

/// <summary>The store core tests use must behave like the real ones, or core tests prove nothing.</summary>
public sealed class InMemoryStoreContractTests : StateStoreContract
{
    protected override IStateStore Store { get; } = new InMemoryStateStore();
}
