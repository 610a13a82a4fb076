using System.Text.Json.Nodes;
using PeerGroupBot.Teams.Tests.Fakes;

namespace PeerGroupBot.Teams.Tests;

/// <summary>What members write is shown as they wrote it: never as a live link, and nothing in angle brackets is lost.</summary>
[Collection(TeamsCollection.Name)]
public class MemberTextTests(TeamsFixture fixture)
{
    private FakeBotFramework Fake => fixture.Fake;
    private TeamsBotHost Host => fixture.Host;

    private static IEnumerable<string> Texts(JsonNode? node) => node switch
    {
        JsonObject o => o.Where(p => p.Key == "text" && p.Value is JsonValue).Select(p => p.Value!.GetValue<string>()).Concat(o.SelectMany(p => Texts(p.Value))),
        JsonArray a => a.SelectMany(Texts),
        _ => [],
    };

    /// <summary>A member opens "What next?" with <paramref name="options"/> in a new team; the texts of the posted poll card.</summary>
    private async Task<List<string>> PollCardTextsAsync(string options)
    {
        var (scene, owner) = fixture.NewTeam();
        await Host.PostAsync(scene.Message(owner, "setup Tuesday Peers"));
        await Host.PostAsync(scene.Message(TeamsUser.New("Alex"), "poll new \"What next?\" " + options));
        var card = Fake.SentTo(scene.TeamId).Last(c => c.Visible.Contains("What next?", StringComparison.Ordinal)).Card!;
        return Texts(card).ToList();
    }

    [Fact]
    public async Task A_link_in_a_poll_option_is_shown_as_text_on_the_card()
    {
        var texts = await PollCardTextsAsync("[login](https://evil.example) | Boundaries");
        Assert.Contains(texts, t => t.Contains(@"\[login\](https://evil.example)", StringComparison.Ordinal));
        Assert.DoesNotContain(texts, t => t.Contains("[login](", StringComparison.Ordinal) && !t.Contains(@"\[login\](", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Backticks_in_a_poll_option_are_shown_as_typed_on_the_card()
    {
        var texts = await PollCardTextsAsync("`code` tips | ``` fences | Boundaries");
        // Adaptive Card markdown has no code spans: the member's backticks are shown as typed, not turned into bold.
        Assert.Contains(texts, t => t.Contains("1. `code` tips", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("2. ``` fences", StringComparison.Ordinal));
        Assert.DoesNotContain(texts, t => t.Contains("**code**", StringComparison.Ordinal) || t.Contains('\uE060'));
    }

    [Fact]
    public async Task Placeholders_in_help_keep_their_angle_brackets()
    {
        var (scene, owner) = fixture.NewTeam();
        await Host.PostAsync(scene.Message(owner, "setup Tuesday Peers"));

        await Host.PostAsync(scene.Message(owner, "help"));

        var help = Fake.SentTo(FakeBotFramework.PersonalConversationOf(owner.Id)).Last();
        Assert.Contains("‹topic›", help.Visible);
        Assert.DoesNotContain("&lt;", help.Visible);
        Assert.DoesNotContain("<topic>", help.Visible);
    }
}
