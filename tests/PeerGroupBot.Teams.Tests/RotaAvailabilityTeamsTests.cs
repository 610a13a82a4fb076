using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using NodaTime;
using PeerGroupBot.Teams.Tests.Fakes;

namespace PeerGroupBot.Teams.Tests;

/// <summary>
/// The rota availability card in Teams: one Adaptive Card in the member's personal chat with every date as an
/// <c>Input.ChoiceSet</c> and one <c>Action.Execute</c> that sends them all; every date's ticks are stored, and the card
/// comes back (and opens again) with them ticked.
/// </summary>
[Collection(TeamsCollection.Name)]
public class RotaAvailabilityTeamsTests(TeamsFixture fixture)
{
    private FakeBotFramework Fake => fixture.Fake;
    private TeamsBotHost Host => fixture.Host;

    private static IEnumerable<JsonObject> Actions(JsonObject card)
        => card["body"]!.AsArray().OfType<JsonObject>()
            .Where(e => e["type"]?.GetValue<string>() == "ActionSet")
            .SelectMany(e => e["actions"]!.AsArray().OfType<JsonObject>());

    private static List<JsonObject> ChoiceSets(JsonObject card)
        => [.. card["body"]!.AsArray().OfType<JsonObject>().Where(e => e["type"]?.GetValue<string>() == "Input.ChoiceSet")];

    /// <summary>
    /// What Teams sends with an action whose inputs are associated: every input of the card with its current value (what
    /// the member changed, else what it was given), an empty one left out.
    /// </summary>
    private static JsonObject InputsAsTeamsSendsThem(JsonObject card, Dictionary<string, string> changed)
    {
        var inputs = new JsonObject();
        foreach (var input in ChoiceSets(card))
        {
            var id = input["id"]!.GetValue<string>();
            var value = changed.TryGetValue(id, out var set) ? set : input["value"]?.GetValue<string>() ?? "";
            if (value.Length > 0) inputs[id] = value;
        }
        return inputs;
    }

    private static string Date(DateTime day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>"Thu 5 Nov, 18:00 GMT": the date at 18:00 with London's abbreviation that evening (GMT or BST).</summary>
    private static string Label(DateTime day) => day.ToString("ddd d MMM", CultureInfo.InvariantCulture) + ", 18:00 "
        + LocalDate.FromDateTime(day).At(new LocalTime(18, 0)).InZoneLeniently(DateTimeZoneProviders.Tzdb["Europe/London"]).GetZoneInterval().Name;

    [Fact]
    public async Task One_save_on_the_card_stores_the_ticks_on_every_date()
    {
        var (scene, owner) = fixture.NewTeam();
        var alex = TeamsUser.New("Alex");
        Assert.Equal(HttpStatusCode.OK, (await Host.PostAsync(scene.Message(owner, "setup Rota Peers"))).StatusCode);
        var today = DateTime.UtcNow.Date;
        var days = new[] { today.AddDays(14), today.AddDays(21), today.AddDays(28) };
        await Host.PostAsync(scene.Message(owner, "rota poll " + string.Join(" ", days.Select(d => Date(d) + " 18:00"))));
        var pollCard = Fake.SentTo(scene.TeamId).Last(c => c.Visible.Contains("Rota poll: who can help", StringComparison.Ordinal));
        var mark = Actions(pollCard.Card!).Single(a => a["title"]!.GetValue<string>() == "Mark my availability");

        // The card opens in Alex's personal chat: every date, no button per date, one "Save my availability".
        var opened = await Host.PostForInvokeResponseAsync(scene.Execute(alex, mark, "msg-rota-poll"));
        Assert.Equal("I'm answering in our private chat.", opened["value"]!.GetValue<string>());
        var personal = FakeBotFramework.PersonalConversationOf(alex.Id);
        await FakeBotFramework.WaitUntilAsync(() => Fake.SentTo(personal).Count > 0);
        var card = Fake.SentTo(personal).Last().Card!;
        var inputs = ChoiceSets(card);
        Assert.Equal(3, inputs.Count);
        Assert.All(inputs, i => Assert.True(i["isMultiSelect"]!.GetValue<bool>()));
        Assert.Equal(days.Select(d => $"{Label(d)}: roles you could take"), inputs.Select(i => i["label"]!.GetValue<string>()));
        Assert.DoesNotContain(Actions(card), a => a["title"]!.GetValue<string>() == "Save my choices");
        var save = Assert.Single(Actions(card), a => a["title"]!.GetValue<string>() == "Save my availability");
        Assert.Equal("Action.Execute", save["type"]!.GetValue<string>());
        Assert.Equal("auto", save["associatedInputs"]!.GetValue<string>());

        // Alex ticks roles on the first and third dates and presses Save once.
        var ticks = InputsAsTeamsSendsThem(card, new() { ["pgb_select_0"] = "0,2", ["pgb_select_2"] = "3" });
        var saved = await Host.PostForInvokeResponseAsync(scene.Execute(alex, save, "msg-availability", ticks, personal: true));

        Assert.Equal("application/vnd.microsoft.card.adaptive", saved["type"]!.GetValue<string>());
        var refreshed = saved["value"]!.AsObject();
        var text = refreshed.ToJsonString().Replace("\\u0027", "'");
        Assert.Contains("Saved: roles on 2 dates.", text);
        Assert.Contains($"{Label(days[0])}: facilitator, welcomer", text);
        Assert.Contains($"{Label(days[1])}: not this time", text);
        Assert.Contains($"{Label(days[2])}: note-taker", text);
        Assert.Equal(["0,2", null, "3"], ChoiceSets(refreshed).Select(i => i["value"]?.GetValue<string>()));

        // The channel's poll card counts the answers (never who), and opening the card again shows the ticks.
        await FakeBotFramework.WaitUntilAsync(() => Fake.Updates.Any(u => u.Visible.Contains("1 person has answered", StringComparison.Ordinal)));
        var channelCard = Fake.Updates.Last(u => u.Visible.Contains("1 person has answered", StringComparison.Ordinal)).Visible;
        Assert.Contains($"{Label(days[0])}: 1 available", channelCard);
        Assert.Contains($"{Label(days[1])}: 0 available", channelCard);
        Assert.Contains($"{Label(days[2])}: 1 available", channelCard);
        Assert.DoesNotContain("Alex", channelCard);

        var before = Fake.SentTo(personal).Count;
        await Host.PostForInvokeResponseAsync(scene.Execute(alex, mark, "msg-rota-poll"));
        await FakeBotFramework.WaitUntilAsync(() => Fake.SentTo(personal).Count > before);
        Assert.Equal(["0,2", null, "3"], ChoiceSets(Fake.SentTo(personal).Last().Card!).Select(i => i["value"]?.GetValue<string>()));
    }
}
