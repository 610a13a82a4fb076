using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using PeerGroupBot.Teams.Tests.Fakes;

namespace PeerGroupBot.Teams.Tests;

/// <summary>
/// With no app id (local testing, like the Bot Framework Emulator) requests need no token but must come from this
/// machine, and the start-up log says plainly that authentication is off.
/// </summary>
public class LocalModeTests : IAsyncLifetime
{
    private FakeBotFramework _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeBotFramework.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private static readonly Dictionary<string, string?> NoAuth = new() { ["Teams:AppId"] = "", ["Teams:AppPassword"] = "" };

    [Fact]
    public async Task Without_an_app_id_loopback_requests_are_accepted_without_a_token_and_the_log_says_auth_is_off()
    {
        await using var host = new TeamsBotHost(_fake, settings: NoAuth);
        host.StartServer();
        var scene = new Scene(_fake);

        var response = await host.PostAsync(scene.Message(TeamsUser.New("Alex"), "tally"), token: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(_fake.SentTo(scene.TeamId));
        Assert.Equal("", sent.Authorization); // no secret, so no token on outbound calls either
        Assert.Contains(host.Logs.Lines, l => l.Contains("Teams authentication is OFF", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_an_app_id_a_request_from_another_machine_is_refused()
    {
        await using var host = new TeamsBotHost(_fake, settings: NoAuth, kestrel: false,
            services: s => s.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(new PretendRemoteCaller()));
        var scene = new Scene(_fake);
        using var client = host.CreateClient();

        var response = await client.PostAsync("/api/teams/messages",
            new StringContent(scene.Message(TeamsUser.New("Mallory"), "setup").ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_fake.Calls);
        Assert.DoesNotContain(host.Store.Snapshot(), d => d.Key.StartsWith("teams/", StringComparison.Ordinal) || d.Key.StartsWith("channels/", StringComparison.Ordinal));
    }

    /// <summary>Makes every request look as if it came from a documentation-range address (no traffic leaves the test server).</summary>
    private sealed class PretendRemoteCaller : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.7");
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
