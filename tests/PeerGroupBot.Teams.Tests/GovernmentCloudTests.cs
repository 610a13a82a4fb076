using System.Net;
using PeerGroupBot.Teams.Tests.Fakes;

namespace PeerGroupBot.Teams.Tests;

/// <summary>In a US Government cloud the connector token's scope and tenant are the Government ones, from settings.</summary>
public class GovernmentCloudTests : IAsyncLifetime
{
    private FakeBotFramework _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeBotFramework.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task Connector_tokens_are_asked_for_with_the_configured_scope_and_tenant()
    {
        await using var host = new TeamsBotHost(_fake, settings: new()
        {
            ["Teams:ConnectorScope"] = "https://api.botframework.us/.default",
            ["Teams:BotFrameworkTenant"] = "MicrosoftServices.onmicrosoft.us",
        });
        host.StartServer();
        var (scene, owner) = (new Scene(_fake), TeamsUser.New("Olu"));

        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync(scene.Message(owner, "tally"))).StatusCode);

        Assert.Contains(_fake.TokenScopes, s => s.Contains("https://api.botframework.us/.default", StringComparison.Ordinal));
        Assert.DoesNotContain(_fake.TokenScopes, s => s.Contains("api.botframework.com", StringComparison.Ordinal));
        Assert.Contains(_fake.Calls, c => string.Equals(c.Path, "MicrosoftServices.onmicrosoft.us/oauth2/v2.0/token", StringComparison.OrdinalIgnoreCase));
        Assert.Single(_fake.SentTo(scene.TeamId));
    }
}
