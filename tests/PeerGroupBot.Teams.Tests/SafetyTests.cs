using System.Net;
using System.Text.Json.Nodes;
using PeerGroupBot.Teams.Tests.Fakes;

namespace PeerGroupBot.Teams.Tests;

/// <summary>
/// The risk check over real HTTP in Teams: words that suggest risk, in personal chat or an @mention in a channel, get
/// the crisis contacts in the member's personal chat at once, and nothing reaches the channel.
/// </summary>
[Collection(TeamsCollection.Name)]
public class SafetyTests(TeamsFixture fixture)
{
    private FakeBotFramework Fake => fixture.Fake;
    private TeamsBotHost Host => fixture.Host;

    private static JsonObject ActionStartingWith(JsonObject card, string prefix)
        => card["body"]!.AsArray().OfType<JsonObject>()
            .Where(e => e["type"]?.GetValue<string>() == "ActionSet")
            .SelectMany(e => e["actions"]!.AsArray().OfType<JsonObject>())
            .First(a => a["verb"]?.GetValue<string>().StartsWith(prefix, StringComparison.Ordinal) == true);

    private async Task<(Scene Scene, TeamsUser Owner)> GroupAsync()
    {
        var (scene, owner) = fixture.NewTeam();
        Assert.Equal(HttpStatusCode.OK, (await Host.PostAsync(scene.Message(owner, "setup Tuesday Peers"))).StatusCode);
        return (scene, owner);
    }

    [Theory]
    [InlineData("I feel suicidal")]
    [InlineData("i want to die")]
    [InlineData("i dont want to be here anymore and ive been thinking about ending it")]
    public async Task Free_text_in_personal_chat_that_suggests_risk_gets_crisis_contacts_there(string text)
    {
        var (scene, _) = await GroupAsync();
        var alex = TeamsUser.New("Alex");
        Fake.Clear();

        Assert.Equal(HttpStatusCode.OK, (await Host.PostAsync(scene.Personal(alex, text))).StatusCode);

        var personal = FakeBotFramework.PersonalConversationOf(alex.Id);
        var crisis = Assert.Single(Fake.SentTo(personal));
        Assert.Contains("Samaritans", crisis.Visible);
        Assert.Contains("116 123", crisis.Visible);
        Assert.Contains("not a clinician", crisis.Visible);
        Assert.DoesNotContain("don't know the command", crisis.Visible);
        Assert.Contains("concern:held:", ActionStartingWith(crisis.Card!, "concern:held:")["verb"]!.GetValue<string>());
        Assert.Empty(Fake.SentTo(scene.TeamId));
    }

    [Fact]
    public async Task An_agenda_item_at_risk_typed_in_the_channel_is_held_contacts_arrive_privately_and_add_as_written_adds_it()
    {
        var (scene, _) = await GroupAsync();
        var alex = TeamsUser.New("Alex");
        Fake.Clear();

        Assert.Equal(HttpStatusCode.OK, (await Host.PostAsync(scene.Message(alex, "agenda add I can't go on like this"))).StatusCode);

        var personal = FakeBotFramework.PersonalConversationOf(alex.Id);
        var crisis = Assert.Single(Fake.SentTo(personal));
        Assert.Contains("116 123", crisis.Visible);
        Assert.Contains("Add it as written", crisis.Visible);
        // The channel hears nothing: not the item, not the contacts, not even a "replied privately" note with the words.
        Assert.All(Fake.SentTo(scene.TeamId), m => Assert.DoesNotContain("go on like this", m.Visible));
        Assert.All(Fake.SentTo(scene.TeamId), m => Assert.DoesNotContain("116 123", m.Visible));

        var add = ActionStartingWith(crisis.Card!, "safety:add:");
        var clicked = await Host.PostForInvokeResponseAsync(scene.Execute(alex, add, "msg-crisis", personal: true));
        Assert.NotNull(clicked);
        Assert.Contains(Fake.SentTo(personal), m => m.Visible.Contains("as you wrote it"));

        Fake.Clear();
        await Host.PostAsync(scene.Personal(alex, "agenda"));
        Assert.Contains(Fake.SentTo(personal), m => m.Visible.Contains("I can't go on like this"));
    }

    [Theory]
    [InlineData("help me please")]
    [InlineData("I")]
    public async Task Help_me_gets_help_and_a_sentence_gets_a_kind_answer_in_personal_chat(string text)
    {
        var (scene, _) = await GroupAsync();
        var alex = TeamsUser.New("Alex");
        await Host.PostAsync(scene.Message(alex, "help"));
        Fake.Clear();

        await Host.PostAsync(scene.Personal(alex, text));
        var answer = Assert.Single(Fake.SentTo(FakeBotFramework.PersonalConversationOf(alex.Id)));
        Assert.DoesNotContain("don't know the command", answer.Visible);
        Assert.Contains("concern support", answer.Visible);
    }
}
