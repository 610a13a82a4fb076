using System.Text.RegularExpressions;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Testing;
using static PeerGroupBot.Core.Tests.Rota.RotaTestKit;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Conversation;

/// <summary>
/// Every command a card or message tells a member to type works when typed exactly as shown. A walk-through of a
/// group's first weeks collects each `…` hint the bot printed (in answers, channel posts and private messages); each
/// is then typed, in a group replayed to that same point, and must not be met with "I don't know that" or a misreading.
/// </summary>
public partial class TypedHintTests
{
    /// <summary>What the bot says when it didn't understand, or read something other than what the hint meant.</summary>
    private static readonly string[] Misunderstood =
    [
        "isn't something I know", "I don't know", "I can't find", "has no option", "can appear only once", "is single choice",
        "Vote with option numbers", "I couldn't", "isn't one of", "Which suggestion?", "Say which", "couldn't tell", "I'm not sure what",
        "About the closing time",
    ];

    [Fact]
    public async Task Every_hint_the_walk_through_prints_does_what_it_says_when_typed()
    {
        var (_, seen) = await WalkThroughAsync();
        var flows = new TestBot().Router.Flows.Select(f => f.Name).Append("help").ToHashSet();
        var hints = seen.SelectMany(Hints).Where(h => flows.Contains(h.Split(' ')[0])).Distinct().ToList();
        Assert.True(hints.Count >= 25, $"The walk-through should print plenty of hints, but printed only {hints.Count}: {string.Join(" · ", hints)}");

        var failures = new List<string>();
        foreach (var hint in hints)
        {
            var (bot, _) = await WalkThroughAsync();
            await using var _bot = bot;
            var answer = await bot.SendAsync(Fran, hint);
            var text = string.Join("\n", answer.Select(r => r.Text));
            if (Misunderstood.FirstOrDefault(text.Contains) is { } why) failures.Add($"`{hint}` → \"{why}\": {text}");
        }
        Assert.Empty(failures);
    }

    /// <summary>A facilitator and four members: a schedule, every kind of poll, a rota poll answered and closed, an agenda.</summary>
    private static async Task<(TestBot Bot, List<string> Seen)> WalkThroughAsync()
    {
        var bot = WithThursdaySessions();
        var seen = new List<string>();
        async Task Say(Actor who, string text, Place? place = null)
            => seen.AddRange((await bot.SendAsync(who, place ?? Channel, text)).Select(r => r.Text));

        await bot.SetupGroupAsync();
        await Say(Jo, "help");
        foreach (var topic in new[] { "", " poll", " rota", " agenda", " session", " concern", " me", " record", " setup" })
        {
            await Say(Fran, "help" + topic);
            await Say(Alex, "help" + topic);
        }
        await Say(Fran, "session schedule weekly thursday 18:00 90m \"Room 4\"");
        await Say(Fran, "poll new \"What should we talk about?\"");
        await Say(Alex, "poll suggest Sleep");
        await Say(Sam, "poll suggest Boundaries");
        await Say(Fran, "poll new \"Which evening?\" Monday | Wednesday | Saturday");
        await Say(Fran, "poll new \"Which snacks?\" Fruit | Biscuits | Crisps approval");
        await Say(Fran, "poll new \"Best day for a social?\" Monday | Wednesday | Saturday ranked anonymous no closes friday 18:00");
        await Say(Alex, "poll vote 9");
        await Say(Alex, "poll list");
        await Say(Fran, "rota poll 2");
        var rotaPoll = PollId(bot);
        await MarkAsync(bot, Alex, rotaPoll, 0, "facilitator");
        await MarkAsync(bot, Priya, rotaPoll, 0, "co-facilitator", "note-taker");
        await MarkAsync(bot, Sam, rotaPoll, 1, "welcomer");
        await Say(Fran, "rota close");
        await Say(Alex, "rota");
        await Say(Sam, "rota stats");
        await Say(Alex, "agenda add Sleep and screens 15m");
        await Say(Alex, "agenda");
        await Say(Sam, "session next");
        await Say(Sam, "session list");
        await Say(Priya, "me");
        await Say(Priya, "concern hours");
        await Say(Fran, "record");
        seen.AddRange(bot.Playground.Sent.Select(s => s.Reply.Text));
        return (bot, seen);
    }

    /// <summary>The `…` spans of a text that can be typed as they stand: no placeholders, choices or mentions.</summary>
    private static IEnumerable<string> Hints(string text)
        => Code().Matches(text).Select(m => m.Groups[1].Value.Trim())
            .Where(h => h.Length > 0 && h.IndexOfAny(['<', '>', '[', ']', '|', '…', '@']) < 0 && !h.Contains("...", StringComparison.Ordinal));

    [GeneratedRegex("`([^`\n]+)`")]
    private static partial Regex Code();
}
