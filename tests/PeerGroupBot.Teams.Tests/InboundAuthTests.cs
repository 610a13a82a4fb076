using System.Net;
using System.Security.Cryptography;
using System.Text;
using PeerGroupBot.Teams.Tests.Fakes;

namespace PeerGroupBot.Teams.Tests;

/// <summary>
/// The messaging endpoint accepts only tokens the Bot Connector would send (signed by an endorsed key from the
/// OpenID metadata, right issuer, audience, lifetime and serviceUrl); everything else is a 401 that leaves storage
/// and the connector untouched.
/// </summary>
[Collection(TeamsCollection.Name)]
public class InboundAuthTests(TeamsFixture fixture)
{
    private FakeBotFramework Fake => fixture.Fake;
    private TeamsBotHost Host => fixture.Host;

    [Fact]
    public async Task A_token_signed_by_the_published_key_is_accepted_and_the_message_answered()
    {
        var (scene, _) = fixture.NewTeam();
        var alex = TeamsUser.New("Alex");

        var response = await Host.PostAsync(scene.Message(alex, "help"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var help = Assert.Single(Fake.SentTo(FakeBotFramework.PersonalConversationOf(alex.Id)));
        Assert.Contains("isn't linked to a group yet", help.Visible);
        Assert.Equal("Bearer " + FakeBotFramework.AccessToken, help.Authorization);
    }

    public static TheoryData<string> ForgedTokens => new()
    {
        "missing", "wrong key", "unknown key id", "key not endorsed for msteams", "wrong issuer", "wrong audience", "expired", "not yet valid",
        "alg none", "serviceUrl mismatch", "not a jwt", "basic auth", "activity from another channel",
    };

    [Theory]
    [MemberData(nameof(ForgedTokens))]
    public async Task A_forged_or_wrong_token_gets_401_and_nothing_is_processed_or_stored(string forgery)
    {
        var (scene, owner) = fixture.NewTeam();
        var activity = scene.Message(owner, "setup Forged Group");
        var serviceUrl = scene.ServiceUrl;
        using var otherKey = RSA.Create(2048);
        string? token = forgery switch
        {
            "missing" => null,
            "wrong key" => Fake.CreateToken(TeamsBotHost.AppId, serviceUrl, key: otherKey),
            "unknown key id" => Fake.CreateToken(TeamsBotHost.AppId, serviceUrl, key: otherKey, keyId: "someone-elses-key"),
            "key not endorsed for msteams" => Fake.CreateToken(TeamsBotHost.AppId, serviceUrl, key: Fake.WebChatKey, keyId: FakeBotFramework.WebChatKeyId),
            "wrong issuer" => Fake.CreateToken(TeamsBotHost.AppId, serviceUrl, issuer: "https://sts.windows.net/attacker/"),
            "wrong audience" => Fake.CreateToken(Guid.NewGuid().ToString(), serviceUrl),
            "expired" => Fake.CreateToken(TeamsBotHost.AppId, serviceUrl, notBefore: DateTime.UtcNow.AddHours(-2), expires: DateTime.UtcNow.AddMinutes(-10)),
            "not yet valid" => Fake.CreateToken(TeamsBotHost.AppId, serviceUrl, notBefore: DateTime.UtcNow.AddMinutes(20), expires: DateTime.UtcNow.AddHours(1)),
            "alg none" => FakeBotFramework.CreateUnsignedToken(TeamsBotHost.AppId, serviceUrl),
            "serviceUrl mismatch" => Fake.CreateToken(TeamsBotHost.AppId, "https://smba.trafficmanager.net/emea/"),
            "not a jwt" => "definitely-not-a-token",
            "basic auth" => null,
            "activity from another channel" => Fake.CreateToken(TeamsBotHost.AppId, serviceUrl),
            _ => throw new ArgumentOutOfRangeException(nameof(forgery)),
        };
        if (forgery == "activity from another channel") activity["channelId"] = "webchat";
        var storedBefore = Host.Store.Snapshot().Count(d => !d.Key.StartsWith("scheduling/", StringComparison.Ordinal));
        Fake.Clear();

        HttpResponseMessage response;
        if (forgery == "basic auth")
        {
            using var client = Host.CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/teams/messages") { Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(TeamsBotHost.AppId + ":test-secret")));
            response = await client.SendAsync(request);
        }
        else
        {
            response = await Host.PostAsync(activity, token);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(storedBefore, Host.Store.Snapshot().Count(d => !d.Key.StartsWith("scheduling/", StringComparison.Ordinal))); // the scheduler keeps its lease on its own clock
        Assert.Empty(Fake.ConnectorCalls);
    }

    [Fact]
    public async Task Malformed_json_is_a_400_not_a_500_and_an_oversized_body_is_refused()
    {
        var (scene, owner) = fixture.NewTeam();
        using var client = Host.CreateClient();
        var token = Fake.CreateToken(TeamsBotHost.AppId, scene.ServiceUrl);

        foreach (var body in new[] { "{\"type\": \"message\", ", "[1,2,3]", "\"just a string\"", "{\"type\": 42}", "{}" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/teams/messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new("Bearer", token);
            var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{body} -> {(int)response.StatusCode}");
        }

        var huge = scene.Message(owner, "agenda add " + new string('x', 300_000));
        var tooBig = await Host.PostAsync(huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
    }
}
