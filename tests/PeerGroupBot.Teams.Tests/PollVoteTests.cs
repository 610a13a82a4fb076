using System.Net;
using System.Text.Json.Nodes;
using PeerGroupBot.Teams.Tests.Fakes;

namespace PeerGroupBot.Teams.Tests;

/// <summary>
/// A topic poll voted on in Teams, using only what a member types and clicks.
/// </summary>
[Collection(TeamsCollection.Name)]
public class PollVoteTests(TeamsFixture fixture)
{
    private FakeBotFramework Fake => fixture.Fake;
    private TeamsBotHost Host => fixture.Host;

    [Fact]
    public async Task A_vote_by_action_execute_returns_the_refreshed_poll_card_and_updates_it_for_everyone()
    {
        var (scene, owner) = fixture.NewTeam();
        var alex = TeamsUser.New("Alex");
        var sam = TeamsUser.New("Sam");
        Assert.Equal(HttpStatusCode.OK, (await Host.PostAsync(scene.Message(owner, "setup Tuesday Peers"))).StatusCode);
        await Host.PostAsync(scene.Message(alex, "poll new \"What should we talk about next?\" Sleep | Boundaries | Holidays"));

        var posted = Fake.SentTo(scene.TeamId).Last(c => c.Visible.Contains("Topic poll #1", StringComparison.Ordinal));
        Assert.Equal($"v3/conversations/{scene.TeamId}/activities", posted.Path); // posted proactively to the channel
        var vote = posted.Card!["body"]!.AsArray().OfType<JsonObject>()
            .Where(e => e["type"]?.GetValue<string>() == "ActionSet")
            .SelectMany(e => e["actions"]!.AsArray().OfType<JsonObject>())
            .First(a => a["verb"]?.GetValue<string>() == "poll:vote:1:2");
        Fake.Clear();

        var response = await Host.PostForInvokeResponseAsync(scene.Execute(sam, vote, posted.ResponseId!));

        Assert.Equal("application/vnd.microsoft.card.adaptive", response["type"]!.GetValue<string>());
        Assert.Contains("1 member has voted so far", response["value"]!.ToJsonString());
        // Sam sees their own choice in the card they get back, and only there: the card everyone sees does not name it.
        Assert.Contains("your vote on poll #1 is in: **Boundaries**", response["value"]!.ToJsonString());
        await FakeBotFramework.WaitUntilAsync(() => Fake.Updates.Count > 0);
        var update = Assert.Single(Fake.Updates);
        Assert.EndsWith($"/activities/{posted.ResponseId}", update.Path);
        Assert.Contains("1 member has voted so far", update.Visible);
        Assert.DoesNotContain("your vote on poll #1 is in", update.Visible, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(PeerGroupBot.Teams.Inbound.TeamsTurn.ClickerNoteLabel, update.Visible);

        // A second vote (Alex) goes out the same way; by its update, no private message has gone to either voter.
        await Host.PostForInvokeResponseAsync(scene.Execute(alex, vote, posted.ResponseId!));
        await FakeBotFramework.WaitUntilAsync(() => Fake.Updates.Count > 1);
        Assert.Empty(Fake.SentTo(FakeBotFramework.PersonalConversationOf(sam.Id)));
        Assert.Empty(Fake.SentTo(FakeBotFramework.PersonalConversationOf(alex.Id)));
    }
}
