using System.Net;
using System.Text.Json.Nodes;
using PeerGroupBot.Teams.Tests.Fakes;
using PeerGroupBot.Teams.Inbound;

namespace PeerGroupBot.Teams.Tests;

/// <summary>
/// Teams as it really behaves, where it differs from a connector that always says yes: 412 and 429 under load, a
/// click answered before Azure Bot Service gives up, cards that must change on every device, and private chats a bot
/// may only start with members who installed the app.
/// </summary>
[Collection(TeamsCollection.Name)]
public class TeamsBehaviourTests(TeamsFixture fixture)
{
    private FakeBotFramework Fake => fixture.Fake;
    private TeamsBotHost Host => fixture.Host;

    private static JsonObject Button(RecordedCall posted, string verb)
        => posted.Card!["body"]!.AsArray().OfType<JsonObject>()
            .Where(e => e["type"]?.GetValue<string>() == "ActionSet")
            .SelectMany(e => e["actions"]!.AsArray().OfType<JsonObject>())
            .First(a => a["verb"]?.GetValue<string>() == verb);

    [Fact]
    public async Task A_412_on_card_updates_is_retried_so_the_card_ends_with_every_click()
    {
        var (scene, owner) = fixture.NewTeam();
        await Host.PostAsync(scene.Message(owner, "tally"));
        var button = Button(Fake.SentTo(scene.TeamId).Last(), "tally:add");
        const string cardId = "msg-card-busy";
        Fake.Clear();
        Fake.FailEvery(2, "PUT", "/activities/" + cardId, 412); // several writers on one conversation
        try
        {
            var members = Enumerable.Range(0, 3).Select(i => TeamsUser.New("Member" + i)).ToList();
            foreach (var member in members) await Host.PostForInvokeResponseAsync(scene.Execute(member, button, cardId));

            // Each click's thank-you rides in its own invoke card; the updates alone reach the connector.
            // An update overtaken while it waited behind a retried one is dropped, so 2 or 3 land; never an older after a newer.
            List<RecordedCall> Applied() => Fake.Updates.Where(u => u.Path.EndsWith(cardId, StringComparison.Ordinal) && !Fake.Refused.Contains(u)).ToList();
            await FakeBotFramework.WaitUntilAsync(() => Host.Get<TurnFollowUps>().Running == 0 && Applied().Any(u => u.Visible.Contains("Clicked **3** times.", StringComparison.Ordinal)), "every card update");
            Assert.NotEmpty(Fake.Refused);
            Assert.Contains("Clicked **3** times.", Applied()[^1].Visible);
            var counts = Applied().Select(u => int.Parse(System.Text.RegularExpressions.Regex.Match(u.Visible, @"Clicked \*\*(\d+)\*\*").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(counts.Order(), counts);
            Assert.All(members, m => Assert.Empty(Fake.SentTo(FakeBotFramework.PersonalConversationOf(m.Id))));
        }
        finally
        {
            Fake.StopFailing();
        }
    }

    [Fact]
    public async Task A_412_on_a_reply_is_retried_and_the_reply_arrives_once()
    {
        var (scene, owner) = fixture.NewTeam();
        Fake.Clear();
        Fake.FailNext("POST", scene.TeamId, 412);

        Assert.Equal(HttpStatusCode.OK, (await Host.PostAsync(scene.Message(owner, "tally"))).StatusCode);

        var attempts = Fake.SentTo(scene.TeamId);
        Assert.Equal(2, attempts.Count); // the refused one and the one that went through
        Assert.Contains("Tally", attempts[1].Visible);
    }

    [Fact]
    public async Task A_click_in_the_personal_chat_also_updates_the_message_itself()
    {
        var (scene, _) = fixture.NewTeam();
        var alex = TeamsUser.New("Alex");
        var personal = FakeBotFramework.PersonalConversationOf(alex.Id);
        await Host.PostAsync(scene.Personal(alex, "tally"));
        var button = Button(Fake.SentTo(personal).Last(), "tally:add");
        Fake.Clear();

        var response = await Host.PostForInvokeResponseAsync(scene.Execute(alex, button, "msg-personal-card", personal: true));

        Assert.Contains("Clicked **1** time.", response["value"]!.ToJsonString());
        await FakeBotFramework.WaitUntilAsync(() => Fake.Updates.Count > 0, "the PUT over the personal card");
        var update = Assert.Single(Fake.Updates);
        Assert.Equal($"v3/conversations/{personal}/activities/msg-personal-card", update.Path);
        Assert.Contains("Clicked **1** time.", update.Visible); // another device shows the new card, not the old buttons
    }

    [Fact]
    public async Task A_click_is_answered_with_the_clickers_note_before_the_card_update_goes_out()
    {
        var (scene, owner) = fixture.NewTeam();
        var sam = TeamsUser.New("Sam");
        await Host.PostAsync(scene.Message(owner, "tally"));
        var button = Button(Fake.SentTo(scene.TeamId).Last(), "tally:add");
        const string cardId = "msg-card-slow";
        Fake.Clear();
        var slowUpdate = Fake.Hold("PUT", "/activities/" + cardId); // the connector takes its time

        var response = await Host.PostForInvokeResponseAsync(scene.Execute(sam, button, cardId));

        Assert.Contains("Clicked **1** time.", response["value"]!.ToJsonString());
        Assert.Contains("your click counted", response["value"]!.ToJsonString().Replace("\\u0027", "'")); // the note is in the answer itself
        slowUpdate.SetResult();
        await FakeBotFramework.WaitUntilAsync(() => Fake.Updates.Count == 1, "the card update");
        var update = Assert.Single(Fake.Updates);
        Assert.Contains("Clicked **1** time.", update.Visible);
        Assert.DoesNotContain("your click counted", update.Visible);
        Assert.Empty(Fake.SentTo(FakeBotFramework.PersonalConversationOf(sam.Id)));
    }

    [Fact]
    public async Task Settings_arrive_one_line_per_paragraph_because_teams_joins_single_lines()
    {
        var (scene, owner) = fixture.NewTeam();
        await Host.PostAsync(scene.Message(owner, "setup Tuesday Peers"));
        var personal = FakeBotFramework.PersonalConversationOf(owner.Id);

        await Host.PostAsync(scene.Personal(owner, "me"));

        var text = Fake.SentTo(personal).Last().Text!;
        Assert.Contains("**Your settings**\n\n**Quiet hours:**", text);
        Assert.Contains(")\n\n**Time zone:**", text);
        Assert.Contains("\n\n**Private nudges:**", text);
        Assert.DoesNotContain("\n**Time zone:**", text.Replace("\n\n**Time zone:**", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task In_a_group_chat_a_member_who_never_installed_the_app_is_told_how_to_open_the_bots_chat_without_the_contents()
    {
        var scene = new Scene(Fake, "groupChat");
        var mo = TeamsUser.New("Mo");
        await Host.PostAsync(scene.Message(mo, "setup Chat Group", mentionBot: false));
        Fake.Clear();

        await Host.PostAsync(scene.Message(mo, "help", mentionBot: false));

        Assert.Empty(Fake.SentTo(FakeBotFramework.PersonalConversationOf(mo.Id)));
        var refused = Assert.Single(Fake.CreatedConversations);
        Assert.Equal(mo.Id, refused.Body!["members"]![0]!["id"]!.GetValue<string>());
        var note = Assert.Single(Fake.SentTo(scene.ChatId));
        Assert.Contains("what you asked for is private, so I won't show it here", note.Visible);
        Assert.Contains($"https://teams.microsoft.com/l/chat/0/0?users={TeamsBotHost.BotId}", note.Visible);
        Assert.DoesNotContain("Here's what you can do", note.Visible);

        // Once Mo has opened the bot's chat, private answers arrive there.
        await Host.PostAsync(scene.Personal(mo, "hello"));
        Fake.Clear();
        await Host.PostAsync(scene.Message(mo, "help", mentionBot: false));
        Assert.Contains("Here's what you can do", Assert.Single(Fake.SentTo(FakeBotFramework.PersonalConversationOf(mo.Id))).Visible);
        Assert.Empty(Fake.SentTo(scene.ChatId));
    }
}
