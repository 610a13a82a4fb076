using System.Net;
using System.Text.Json.Nodes;
using NodaTime;
using PeerGroupBot.Core.Checkouts;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Sessions;
using PeerGroupBot.Teams.Tests.Fakes;

namespace PeerGroupBot.Teams.Tests;

/// <summary>
/// The anonymous check-out end to end on Teams: the member who said Going gets it in their personal chat, the form is an
/// Adaptive Card of 1-5 choice sets, it counts once, and nothing stored or logged ties the answer to them.
/// </summary>
[Collection(TeamsCollection.Name)]
public class CheckoutTeamsTests(TeamsFixture fixture)
{
    private FakeBotFramework Fake => fixture.Fake;
    private TeamsBotHost Host => fixture.Host;

    private static JsonObject Action(JsonObject card, string verbStart)
        => card["body"]!.AsArray().OfType<JsonObject>()
            .Where(e => e["type"]?.GetValue<string>() == "ActionSet")
            .SelectMany(e => e["actions"]!.AsArray().OfType<JsonObject>())
            .First(a => a["verb"]?.GetValue<string>().StartsWith(verbStart, StringComparison.Ordinal) == true);

    [Fact]
    public async Task A_member_who_said_going_checks_out_in_their_personal_chat_once_and_anonymously()
    {
        var (scene, owner) = fixture.NewTeam();
        var alex = TeamsUser.New("Alex");
        Assert.Equal(HttpStatusCode.OK, (await Host.PostAsync(scene.Message(owner, "setup Tuesday Peers"))).StatusCode);
        await Host.PostAsync(scene.Message(alex, "help")); // a team member, so the bot may message Alex privately
        var directory = Host.Get<GroupDirectory>();
        var group = (await directory.GetGroupAsync((await directory.FindChannelAsync(new ChannelRef("teams", scene.ChannelId), CancellationToken.None))!.GroupId, CancellationToken.None))!;

        // A session that started ten minutes ago, and Alex said Going on its reminder card.
        var now = Host.Get<IClock>().GetCurrentInstant().InZone(group.Zone).LocalDateTime;
        var start = now.Date.At(new LocalTime(now.Hour, now.Minute)).PlusMinutes(-10);
        await Host.Get<SessionCalendar>().UpdateScheduleAsync(group.Id, s => s with { OneOffs = [new OneOffSession(start, 120, null)] }, CancellationToken.None);
        var key = OccurrenceIds.ToKey(OccurrenceIds.Of(start));
        var personal = FakeBotFramework.PersonalConversationOf(alex.Id);
        var reminder = Teams.Outbound.CardRenderer.Card(SessionCards.Card("Session starts now", "", null, OccurrenceIds.Of(start), group.Id));
        var going = Action(reminder, SessionCards.RsvpActionId(OccurrenceIds.Of(start), RsvpChoice.Going));
        var answered = await Host.PostForInvokeResponseAsync(scene.Execute(alex, going, "msg-reminder"));
        // The confirmation rides in the card Alex gets back, not in a message of its own.
        Assert.Contains("You're down as **going**", answered["value"]!.ToJsonString().Replace("\\u0027", "'"), StringComparison.Ordinal);
        await FakeBotFramework.WaitUntilAsync(() => Fake.Updates.Count > 0, "the reminder card update");

        Fake.Clear();
        await Host.PostAsync(scene.Message(owner, "session end"));
        Assert.Contains("sent it privately to 1 member", Fake.SentTo(FakeBotFramework.PersonalConversationOf(owner.Id)).Last().Visible);
        var invitation = Assert.Single(Fake.SentTo(personal));
        Assert.Contains("Check-out: Tuesday Peers", invitation.Visible);
        var channelPost = Assert.Single(Fake.SentTo(scene.TeamId), c => c.Visible.Contains("how did the session go?", StringComparison.Ordinal));
        Assert.Equal(CheckoutCards.OpenActionId(group.Id, key), Action(channelPost.Card!, "checkout:open:")["verb"]!.GetValue<string>());

        // The button opens the form in the personal chat: four 1-5 choice sets and a line.
        var before = Fake.SentTo(personal).Count;
        await Host.PostForInvokeResponseAsync(scene.Execute(alex, Action(invitation.Card!, "checkout:open:"), invitation.ResponseId ?? "msg-invite", personal: true));
        await FakeBotFramework.WaitUntilAsync(() => Fake.SentTo(personal).Count > before, "the check-out form"); // answers follow the invoke
        var form = Fake.SentTo(personal).Last().Card!;
        var inputs = form["body"]!.AsArray().OfType<JsonObject>().Where(e => e["type"]?.GetValue<string>()?.StartsWith("Input.", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(["Input.ChoiceSet", "Input.ChoiceSet", "Input.ChoiceSet", "Input.ChoiceSet", "Input.Text"], inputs.Select(i => i["type"]!.GetValue<string>()));
        Assert.Equal("I felt listened to", inputs[0]["label"]!.GetValue<string>());
        Assert.Equal(["5", "4", "3", "2", "1"], inputs[0]["choices"]!.AsArray().Select(c => c!["value"]!.GetValue<string>()));

        var submit = Action(form, "checkout:answer:");
        var answers = new JsonObject { ["q1"] = "5", ["q2"] = "4", ["q3"] = "", ["q4"] = "2", ["comment"] = "lanternword the room was cold" };
        before = Fake.SentTo(personal).Count;
        await Host.PostForInvokeResponseAsync(scene.Execute(alex, submit, "msg-form", answers, personal: true));
        await FakeBotFramework.WaitUntilAsync(() => Fake.SentTo(personal).Count > before, "the check-out's thanks");
        Assert.Contains("Check-out sent anonymously", Fake.SentTo(personal).Last().Visible);
        before = Fake.SentTo(personal).Count;
        await Host.PostForInvokeResponseAsync(scene.Execute(alex, submit, "msg-form", new JsonObject { ["q1"] = "1" }, personal: true));
        await FakeBotFramework.WaitUntilAsync(() => Fake.SentTo(personal).Count > before, "the answer to a second check-out");
        Assert.Contains("already checked out", Fake.SentTo(personal).Last().Visible);

        var box = (await Host.Get<CheckoutBoxes>().GetAsync(group.Id, key, CancellationToken.None))!;
        Assert.Equal(1, box.Answers);
        Assert.Equal([[0, 0, 0, 0, 1], [0, 0, 0, 1, 0], [0, 0, 0, 0, 0], [0, 1, 0, 0, 0]], box.Counts);

        // Nothing stored or logged ties it to Alex: no id, AAD id, name or member key in the box; the line is in the box alone.
        var memberKey = directory.MemberKey(alex.MemberId);
        await foreach (var docKey in Host.Store.ListKeysAsync(""))
        {
            var text = System.Text.Encoding.UTF8.GetString((await Host.Store.GetAsync(docKey))!.Content.Span);
            if (docKey == CheckoutBox.KeyFor(group.Id, key))
            {
                Assert.DoesNotContain(alex.Id, text);
                Assert.DoesNotContain(alex.AadObjectId, text);
                Assert.DoesNotContain("Alex", text, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(memberKey, text);
            }
            else
            {
                Assert.DoesNotContain("lanternword", text);
            }
        }
        Assert.DoesNotContain(Host.Logs.Lines, l => l.Contains("lanternword", StringComparison.Ordinal) || l.Contains(memberKey, StringComparison.Ordinal));
    }
}
