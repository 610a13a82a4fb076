using System.Net;
using System.Text.Json.Nodes;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Outbound;
using PeerGroupBot.Teams.Tests.Fakes;

namespace PeerGroupBot.Teams.Tests;

/// <summary>Members using the bot in Teams, end to end: real HTTP in, the fake Bot Connector recording what they would see.</summary>
[Collection(TeamsCollection.Name)]
public class TeamsConversationTests(TeamsFixture fixture)
{
    private FakeBotFramework Fake => fixture.Fake;
    private TeamsBotHost Host => fixture.Host;

    private Task<GroupDocument?> GroupOfAsync(string channelId) => Host.GroupOfAsync(channelId);

    private static JsonObject FirstAction(JsonObject card, string verb)
        => card["body"]!.AsArray().OfType<JsonObject>()
            .Where(e => e["type"]?.GetValue<string>() == "ActionSet")
            .SelectMany(e => e["actions"]!.AsArray().OfType<JsonObject>())
            .First(a => a["verb"]?.GetValue<string>() == verb);

    private async Task<GroupDocument> SetUpAsync(Scene scene, TeamsUser owner, string name = "Tuesday Peers")
    {
        var response = await Host.PostAsync(scene.Message(owner, "setup " + name));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await GroupOfAsync(scene.ChannelId) ?? throw new InvalidOperationException("setup did not create a group: " + string.Join("\n", Host.Logs.Lines.TakeLast(10)));
    }

    [Fact]
    public async Task A_team_owner_sets_up_a_group_and_a_member_gets_help_in_their_personal_chat()
    {
        var (scene, owner) = fixture.NewTeam();
        var alex = TeamsUser.New("Alex");
        Fake.Clear();

        var setup = scene.Message(owner, "setup Tuesday Peers");
        Assert.Equal(HttpStatusCode.OK, (await Host.PostAsync(setup)).StatusCode);

        var welcome = Assert.Single(Fake.SentTo(scene.TeamId));
        Assert.Equal($"v3/conversations/{scene.TeamId}/activities/{setup["id"]}", welcome.Path); // answered in the thread
        Assert.Contains("Welcome, Tuesday Peers!", welcome.Visible);
        Assert.Equal("1.5", welcome.Card!["version"]!.GetValue<string>());
        var edit = FirstAction(welcome.Card, "setup:edit");
        Assert.Equal("Action.Execute", edit["type"]!.GetValue<string>());
        var group = await GroupOfAsync(scene.TeamId);
        Assert.Equal("Tuesday Peers", group!.Name);
        Assert.Contains(group.Facilitators, f => f.MemberId == owner.MemberId);

        Assert.Equal(HttpStatusCode.OK, (await Host.PostAsync(scene.Message(alex, "help"))).StatusCode);
        var created = Assert.Single(Fake.CreatedConversations);
        Assert.Equal(alex.Id, created.Body!["members"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(scene.TenantId, created.Body!["tenantId"]!.GetValue<string>());
        var help = Assert.Single(Fake.SentTo(FakeBotFramework.PersonalConversationOf(alex.Id)));
        Assert.Contains("Here's what you can do in **Tuesday Peers**", help.Visible);
        Assert.DoesNotContain("setup name", help.Visible); // facilitator commands are not shown to members
        Assert.Single(Fake.SentTo(scene.TeamId)); // nothing extra in the channel
    }

    [Fact]
    public async Task A_member_who_is_not_a_team_owner_cannot_set_up_a_group()
    {
        var (scene, _) = fixture.NewTeam();
        var alex = TeamsUser.New("Alex");

        await Host.PostAsync(scene.Message(alex, "setup Hijack"));

        Assert.Null(await GroupOfAsync(scene.TeamId));
        var refusal = Assert.Single(Fake.SentTo(FakeBotFramework.PersonalConversationOf(alex.Id)));
        Assert.Contains("Only a team owner can set up a group here", refusal.Visible);
    }

    [Fact]
    public async Task Clicking_a_card_button_returns_the_refreshed_card_and_updates_it_for_everyone()
    {
        var (scene, owner) = fixture.NewTeam();
        var sam = TeamsUser.New("Sam");
        await Host.PostAsync(scene.Message(owner, "tally"));
        var posted = Fake.SentTo(scene.TeamId).Last();
        var button = FirstAction(posted.Card!, "tally:add");
        const string cardId = "msg-card-tally";
        Fake.Clear();

        var response = await Host.PostForInvokeResponseAsync(scene.Execute(sam, button, cardId));

        Assert.Equal(200, response["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.card.adaptive", response["type"]!.GetValue<string>());
        var refreshed = response["value"]!.AsObject();
        Assert.Contains("Clicked **1** time.", refreshed.ToJsonString().Replace("\\u0027", "'"));
        Assert.Equal("tally:add", FirstAction(refreshed, "tally:add")["verb"]!.GetValue<string>());
        // The clicker's own note rides in the card they get back; the card everyone sees does not carry it.
        Assert.Contains("your click counted", refreshed.ToJsonString().Replace("\\u0027", "'"));
        await FakeBotFramework.WaitUntilAsync(() => Fake.Updates.Count > 0);
        var update = Assert.Single(Fake.Updates);
        Assert.Equal($"v3/conversations/{scene.TeamId};messageid={cardId}/activities/{cardId}", update.Path);
        Assert.Contains("Clicked **1** time.", update.Visible);
        Assert.DoesNotContain("your click counted", update.Visible);

        var second = await Host.PostForInvokeResponseAsync(scene.Execute(owner, button, cardId));
        Assert.Contains("Clicked **2** times.", second["value"]!.ToJsonString());
        await FakeBotFramework.WaitUntilAsync(() => Fake.Updates.Count > 1);
        // No message of its own in anyone's personal chat.
        Assert.Empty(Fake.SentTo(FakeBotFramework.PersonalConversationOf(sam.Id)));
        Assert.Empty(Fake.SentTo(FakeBotFramework.PersonalConversationOf(owner.Id)));
    }

    [Fact]
    public async Task When_a_members_service_url_changes_the_next_private_message_goes_to_the_new_one()
    {
        var (scene, owner) = fixture.NewTeam();
        await SetUpAsync(scene, owner);
        var sam = TeamsUser.New("Sam");
        var personal = FakeBotFramework.PersonalConversationOf(sam.Id);
        await Host.PostAsync(scene.Message(sam, "help"));
        await FakeBotFramework.WaitUntilAsync(() => Fake.SentTo(personal).Count > 0, "help in Sam's personal chat");
        Assert.All(Fake.SentTo(personal), m => Assert.Equal(FakeBotFramework.DefaultRegion, m.Region));
        Fake.Clear();

        // Teams now serves the tenant from another regional service URL.
        var moved = scene.Message(sam, "help");
        moved["serviceUrl"] = Fake.ServiceUrlIn("emea");
        Assert.Equal(HttpStatusCode.OK, (await Host.PostAsync(moved)).StatusCode);
        await FakeBotFramework.WaitUntilAsync(() => Fake.SentTo(personal).Count > 0, "help in Sam's personal chat after the move");

        var sent = Assert.Single(Fake.SentTo(personal));
        Assert.Equal("connector-emea", sent.Region);
        Assert.Contains("help", sent.Visible, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Fake.ConnectorCalls, c => c.Region == FakeBotFramework.DefaultRegion && c.Path.Contains(personal, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_settings_form_opens_privately_from_a_card_and_saves_from_the_personal_chat()
    {
        var (scene, owner) = fixture.NewTeam();
        await SetUpAsync(scene, owner);
        var edit = FirstAction(Fake.SentTo(scene.TeamId).Last().Card!, "setup:edit");

        var clicked = await Host.PostForInvokeResponseAsync(scene.Execute(owner, edit, "msg-setup-card"));

        Assert.Equal("application/vnd.microsoft.activity.message", clicked["type"]!.GetValue<string>());
        Assert.Equal("I'm answering in our private chat.", clicked["value"]!.GetValue<string>());
        var personal = FakeBotFramework.PersonalConversationOf(owner.Id);
        await FakeBotFramework.WaitUntilAsync(() => Fake.SentTo(personal).Count > 0);
        var form = Assert.Single(Fake.SentTo(personal)).Card!;
        var nameInput = form["body"]!.AsArray().OfType<JsonObject>().Single(e => e["id"]?.GetValue<string>() == "name");
        Assert.Equal("Input.Text", nameInput["type"]!.GetValue<string>());
        Assert.Equal("Tuesday Peers", nameInput["value"]!.GetValue<string>());

        var submit = FirstAction(form, "setup:edit");
        var saved = await Host.PostForInvokeResponseAsync(scene.Execute(owner, submit, "msg-form", new JsonObject { ["name"] = "Thursday Peers", ["timezone"] = "europe/paris" }, personal: true));

        // The submitted form is replaced (the click's answer and the message itself), so it cannot be sent again.
        Assert.Equal("application/vnd.microsoft.card.adaptive", saved["type"]!.GetValue<string>());
        Assert.Contains("can't be sent again", saved["value"]!.ToJsonString().Replace("\\u0027", "'"));
        await FakeBotFramework.WaitUntilAsync(() => Fake.SentTo(personal).Count > 1 && Fake.Updates.Any(u => u.Path.EndsWith("/activities/msg-form", StringComparison.Ordinal)));
        Assert.Contains("Saved. The group is **Thursday Peers**, in time zone **Europe/Paris**.", Fake.SentTo(personal).Last().Visible);
        Assert.DoesNotContain(Fake.Updates.Single(u => u.Path.EndsWith("/activities/msg-form", StringComparison.Ordinal)).Card!.ToJsonString(), "Input.Text");
        var group = await GroupOfAsync(scene.TeamId);
        Assert.Equal("Thursday Peers", group!.Name);
        Assert.Equal("Europe/Paris", group.TimeZone);
    }

    [Fact]
    public async Task Mentioning_a_member_names_them_to_the_core()
    {
        var (scene, owner) = fixture.NewTeam();
        var sam = TeamsUser.New("Sam");
        await SetUpAsync(scene, owner);

        await Host.PostAsync(scene.Message(owner, $"setup facilitator add <at>{sam.Name}</at>", mentionBot: true, sam));

        var group = await GroupOfAsync(scene.TeamId);
        Assert.Contains(group!.Facilitators, f => f.MemberId == sam.MemberId && f.DisplayName == "Sam");
        Assert.DoesNotContain(group.Facilitators, f => f.MemberId == TeamsBotHost.BotId || f.MemberId == "teams:" + TeamsBotHost.BotId);
    }

    [Fact]
    public async Task The_core_posts_proactively_to_a_teams_channel_even_after_a_restart()
    {
        var (scene, owner) = fixture.NewTeam();
        var group = await SetUpAsync(scene, owner);
        Fake.Clear();

        var posted = await Host.Get<IOutbound>().PostToGroupAsync(group, new BotReply { Title = "Reminder", Text = "Session tomorrow at **18:00**." }, CancellationToken.None);

        var copy = Assert.Single(posted.Copies);
        Assert.Equal(("teams", scene.TeamId), (copy.Platform, copy.ChannelId));
        Assert.StartsWith("msg-", copy.MessageId); // the id the connector gave the new post
        var sent = Assert.Single(Fake.SentTo(scene.TeamId));
        Assert.Equal($"v3/conversations/{scene.TeamId}/activities", sent.Path); // a new post, not a reply
        Assert.Contains("Session tomorrow at **18:00**.", sent.Visible);

        await using var restarted = new TeamsBotHost(Fake, Host.Store);
        restarted.StartServer();
        Fake.Clear();
        await restarted.Get<IOutbound>().PostToGroupAsync(group, BotReply.Say("Poll closes in an hour."), CancellationToken.None);
        await restarted.Get<IOutbound>().UpdateAsync(posted, BotReply.Say("Reminder (updated)"), CancellationToken.None);

        Assert.Contains("Poll closes in an hour.", Assert.Single(Fake.SentTo(scene.TeamId)).Visible);
        var update = Assert.Single(Fake.Updates);
        Assert.Equal($"v3/conversations/{scene.TeamId}/activities/{copy.MessageId}", update.Path);
    }

    [Fact]
    public async Task A_private_message_creates_the_one_to_one_chat_once_and_reuses_it()
    {
        var (scene, owner) = fixture.NewTeam();
        var priya = TeamsUser.New("Priya");
        var jo = TeamsUser.New("Jo");
        await SetUpAsync(scene, owner);
        Fake.Unreachable[jo.Id] = true;
        await Host.PostAsync(scene.Message(priya, "tally"));
        await Host.PostAsync(scene.Message(jo, "hi"));
        // Jo's answer was private but Teams refused the 1:1 chat: the channel hears that, without the contents.
        var note = Fake.SentTo(scene.TeamId).Last();
        Assert.Contains("Jo, what you asked for is private", note.Visible);
        Assert.Contains("I couldn't send you a private message", note.Visible);
        Assert.DoesNotContain("don't know the command", note.Visible);
        Fake.Clear();
        var outbound = Host.Get<IOutbound>();

        Assert.True(await outbound.SendPrivateAsync(priya.MemberId, BotReply.Private("A facilitator replied to your concern."), CancellationToken.None));
        Assert.True(await outbound.SendPrivateAsync(priya.MemberId, BotReply.Private("Your rota turn is next week."), CancellationToken.None));
        Assert.False(await outbound.SendPrivateAsync(jo.MemberId, BotReply.Private("Hello"), CancellationToken.None));
        Assert.False(await outbound.SendPrivateAsync("teams:29:never-seen", BotReply.Private("Hello"), CancellationToken.None));

        var created = Assert.Single(Fake.CreatedConversations, c => c.Body!["members"]![0]!["id"]!.GetValue<string>() == priya.Id);
        Assert.Equal(TeamsBotHost.BotId, created.Body!["bot"]!["id"]!.GetValue<string>());
        var sent = Fake.SentTo(FakeBotFramework.PersonalConversationOf(priya.Id));
        Assert.Equal(2, sent.Count);
        Assert.Contains("A facilitator replied", sent[0].Visible);
        Assert.Empty(Fake.SentTo(FakeBotFramework.PersonalConversationOf(jo.Id)));
    }

    [Fact]
    public async Task A_redelivered_activity_is_processed_once()
    {
        var (scene, owner) = fixture.NewTeam();
        var activity = scene.Message(owner, "tally");
        Fake.Clear();

        var first = await Host.PostAsync(activity);
        var again = await Host.PostAsync(activity);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Single(Fake.SentTo(scene.TeamId));
    }

    [Fact]
    public async Task The_bot_says_hello_when_added_to_a_team_and_the_installer_counts_as_owner_when_graph_cannot_be_asked()
    {
        var scene = new Scene(Fake);
        var installer = TeamsUser.New("Ife");
        var other = TeamsUser.New("Kai");
        Fake.GraphForbidden[scene.AadGroupId] = true;

        await Host.PostAsync(scene.BotAdded(installer));

        var hello = Assert.Single(Fake.SentTo(scene.TeamId));
        Assert.Equal($"v3/conversations/{scene.TeamId}/activities", hello.Path);
        Assert.Contains("@PeerGroupBot setup", hello.Visible);

        await Host.PostAsync(scene.Message(other, "setup Not Mine"));
        Assert.Null(await GroupOfAsync(scene.TeamId));
        await Host.PostAsync(scene.Message(installer, "setup Ife's Group"));
        Assert.Equal("Ife's Group", (await GroupOfAsync(scene.TeamId))?.Name);
    }

    [Fact]
    public async Task In_a_group_chat_any_full_member_may_start_a_group_but_guests_may_not()
    {
        var scene = new Scene(Fake, "groupChat");
        var guest = TeamsUser.New("Guest");
        var member = TeamsUser.New("Mo");
        var later = TeamsUser.New("Lee");
        Fake.Roles[guest.Id] = "guest";

        await Host.PostAsync(scene.Message(guest, "setup Chat Group", mentionBot: false));
        Assert.Null(await GroupOfAsync(scene.ChatId));

        await Host.PostAsync(scene.Message(member, "setup Chat Group", mentionBot: false));
        Assert.Equal("Chat Group", (await GroupOfAsync(scene.ChatId))?.Name);
        Assert.Contains("Welcome, Chat Group!", Fake.SentTo(scene.ChatId).Last().Visible);

        // Once the chat is a group, its listed facilitators decide.
        await Host.PostAsync(scene.Message(later, "setup name Taken Over", mentionBot: false));
        Assert.Equal("Chat Group", (await GroupOfAsync(scene.ChatId))?.Name);
    }

    [Fact]
    public async Task Connector_tokens_come_from_msal_once_and_are_reused()
    {
        var (scene, owner) = fixture.NewTeam();
        await Host.PostAsync(scene.Message(owner, "tally"));
        var asked = Fake.TokenScopes.Count(s => s.Contains("https://api.botframework.com/.default", StringComparison.Ordinal));
        await Host.PostAsync(scene.Message(owner, "tally"));
        await Host.PostAsync(scene.Message(owner, "help"));

        Assert.InRange(asked, 1, 2); // once per host started in this collection (one test restarts the host)
        Assert.Equal(asked, Fake.TokenScopes.Count(s => s.Contains("https://api.botframework.com/.default", StringComparison.Ordinal)));
        Assert.All(Fake.ConnectorCalls, c => Assert.Equal("Bearer " + FakeBotFramework.AccessToken, c.Authorization));
    }
}
