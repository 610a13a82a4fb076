namespace PeerGroupBot.Teams.Tests.Fakes;

/// <summary>One fake Bot Framework and one bot host shared by the tests of a collection (they run one at a time).</summary>
public sealed class TeamsFixture : IAsyncLifetime
{
    public FakeBotFramework Fake { get; private set; } = null!;
    public TeamsBotHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Fake = await FakeBotFramework.StartAsync();
        Host = new TeamsBotHost(Fake);
        Host.StartServer();
        // Development generates the pseudonym key into storage on first use; do it now so tests see only their own writes.
        Host.Get<PeerGroupBot.Core.Security.KeyRing>();
    }

    /// <summary>A new team whose owner Graph knows about.</summary>
    public (Scene Scene, TeamsUser Owner) NewTeam()
    {
        var scene = new Scene(Fake);
        var owner = TeamsUser.New("Olu");
        Fake.TeamOwners[scene.AadGroupId] = [owner.AadObjectId];
        return (scene, owner);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Fake.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class TeamsCollection : ICollectionFixture<TeamsFixture>
{
    public const string Name = "teams host";
}
