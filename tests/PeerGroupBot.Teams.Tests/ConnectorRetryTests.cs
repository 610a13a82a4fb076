using System.Net;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Outbound;
using PeerGroupBot.Teams.Tests.Fakes;

namespace PeerGroupBot.Teams.Tests;

/// <summary>
/// Retrying is not free: a 429 is always retried after Retry-After (Teams did nothing with the request), a PUT is
/// retried on a 5xx, but a POST that sends a message is not, because a retry after a 5xx has delivered the same
/// message several times to Teams users.
/// </summary>
[Collection(TeamsCollection.Name)]
public class ConnectorRetryTests(TeamsFixture fixture)
{
    private FakeBotFramework Fake => fixture.Fake;
    private TeamsBotHost Host => fixture.Host;

    [Fact]
    public async Task A_429_is_retried_after_the_retry_after_delay_and_the_message_arrives_once()
    {
        var (scene, owner) = fixture.NewTeam();
        Fake.Clear();
        Fake.FailNext("POST", scene.TeamId, 429, retryAfterSeconds: 1);

        var response = await Host.PostAsync(scene.Message(owner, "tally"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var attempts = Fake.SentTo(scene.TeamId);
        Assert.Equal(2, attempts.Count);
        Assert.Equal(attempts[0].Path, attempts[1].Path);
        Assert.True(attempts[1].At - attempts[0].At >= TimeSpan.FromMilliseconds(900), $"retried after {(attempts[1].At - attempts[0].At).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task A_5xx_on_sending_a_message_is_not_retried_but_logged_without_the_contents()
    {
        var (scene, owner) = fixture.NewTeam();
        Fake.Clear();
        Fake.FailNext("POST", scene.TeamId, 502);

        var response = await Host.PostAsync(scene.Message(owner, "tally"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(Fake.SentTo(scene.TeamId));
        Assert.Contains(Host.Logs.Lines, l => l.Contains("Bot Connector send answered 502", StringComparison.Ordinal));
        Assert.DoesNotContain(Host.Logs.Lines, l => l.Contains("Clicked", StringComparison.Ordinal) || l.Contains("Tally", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_5xx_on_updating_a_card_is_retried()
    {
        var (scene, owner) = fixture.NewTeam();
        await Host.PostAsync(scene.Message(owner, "setup Retry Group"));
        var directory = Host.Get<PeerGroupBot.Core.Groups.GroupDirectory>();
        var group = (await directory.GetGroupAsync((await directory.FindChannelAsync(new ChannelRef("teams", scene.TeamId), default))!.GroupId, default))!;
        var outbound = Host.Get<IOutbound>();
        var posted = await outbound.PostToGroupAsync(group, BotReply.Say("Agenda for Tuesday"), default);
        Fake.Clear();
        Fake.FailNext("PUT", scene.TeamId, 503);

        await outbound.UpdateAsync(posted, BotReply.Say("Agenda for Tuesday (updated)"), default);

        Assert.Equal(2, Fake.Updates.Count);
        Assert.All(Fake.Updates, u => Assert.Contains("(updated)", u.Visible));
    }
}
