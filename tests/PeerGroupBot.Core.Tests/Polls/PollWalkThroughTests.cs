using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Polls;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Polls;

/// <summary>
/// What a new group met in a walk-through: the vote a card tells you to type works when typed exactly, whichever
/// polls are open, and the settings of a one-line poll are read in any order, with an echo of what was understood.
/// </summary>
public class PollWalkThroughTests
{
    [Theory]
    [InlineData("")]
    [InlineData(" mode approval")]
    [InlineData(" ranked")]
    // Named polls: an anonymous poll's card suggests only its buttons in a channel (PollSideChannelTests).
    public async Task The_vote_a_card_suggests_is_accepted_when_typed_with_one_poll_open(string settings)
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;
        await bot.SendAsync(Fran, "poll new \"What next?\" Sleep | Boundaries | Holidays" + settings + " anonymous no");

        var hint = HintIn(bot.Playground.LatestCard("1").Reply.Text, "poll vote");
        var reply = (await bot.SendAsync(Alex, hint)).Single(r => r.Tone == ReplyTone.Success || r.Tone == ReplyTone.Warning);

        Assert.Equal(ReplyTone.Success, reply.Tone);
        Assert.Contains("your vote on poll #1 is in", reply.Text);
    }

    [Fact]
    public async Task Every_cards_suggested_vote_works_when_several_polls_are_open()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;
        await bot.SendAsync(Fran, "poll new \"Which topic?\" Sleep | Boundaries anonymous no");
        await bot.SendAsync(Fran, "poll new \"Which evening?\" Monday | Wednesday | Saturday anonymous no");
        await bot.SendAsync(Fran, "poll new \"Which snacks?\" Fruit | Biscuits | Crisps approval anonymous no");
        await bot.SendAsync(Fran, "poll new \"Which order?\" Sleep | Boundaries | Holidays ranked anonymous no");

        foreach (var (id, expected) in new[] { ("1", "Boundaries"), ("2", "Wednesday"), ("3", "Fruit and Crisps"), ("4", "Boundaries > Sleep > Holidays") })
        {
            var hint = HintIn(bot.Playground.LatestCard(id).Reply.Text, "poll vote");
            var reply = (await bot.SendAsync(Sam, hint)).Last();
            Assert.Equal(ReplyTone.Success, reply.Tone);
            Assert.Contains($"your vote on poll #{id} is in: **{expected}**", reply.Text);
        }
    }

    [Fact]
    public async Task A_leading_number_that_is_the_only_open_polls_number_names_the_poll_and_the_echo_says_so()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;
        await bot.SendAsync(Fran, "poll new \"Which order?\" Sleep | Boundaries | Holidays | Rest ranked anonymous no");
        await bot.SendAsync(Fran, "poll close #1");
        await bot.SendAsync(Fran, "poll new \"Which day?\" Monday | Wednesday | Friday approval anonymous no");

        var reply = (await bot.SendAsync(Alex, "poll vote 2 3")).Last();

        Assert.Contains("your vote on poll #2 is in: **Friday**", reply.Text);
        Assert.Contains("to include option 2 in your vote, type `poll vote #2 2 3`", reply.Text);
        var meant = (await bot.SendAsync(Alex, "poll vote #2 2 3")).Last();
        Assert.Contains("is now **Wednesday and Friday**", meant.Text);
    }

    [Fact]
    public async Task A_suggestions_card_and_the_openers_reply_name_a_start_that_works()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;
        var opened = Assert.Single(await bot.SendAsync(Fran, "poll new \"What should we talk about?\"")).Text;
        await bot.SendAsync(Alex, "poll suggest Sleep");
        await bot.SendAsync(Sam, "poll suggest Boundaries");

        var hint = HintIn(opened, "poll start");
        Assert.Equal(hint, HintIn(bot.Playground.LatestCard("1").Reply.Text, "poll start"));
        var started = Assert.Single(await bot.SendAsync(Fran, hint));

        Assert.Equal(ReplyTone.Success, started.Tone);
        Assert.Contains("Voting has started on poll #1 with 2 options", started.Text);
    }

    [Theory]
    [InlineData("\"Best day for a social?\" Monday | Wednesday | Saturday ranked anonymous no")]
    [InlineData("\"Best day for a social?\" Monday | Wednesday | Saturday anonymous no ranked")]
    [InlineData("\"Best day for a social?\" Monday | Wednesday | Saturday closes friday 18:00 ranked named")]
    [InlineData("\"Best day for a social?\" Monday | Wednesday | Saturday ranked closes friday 18:00 anonymous no")]
    [InlineData("Best day for a social? Monday | Wednesday | Saturday named mode ranked")]
    public void Settings_after_the_last_option_are_read_in_any_order(string line)
    {
        Assert.True(PollDraft.TryParseLine(line, out var draft, out var error), error);

        Assert.Equal("Best day for a social?", draft!.Question);
        Assert.Equal(["Monday", "Wednesday", "Saturday"], draft.Options);
        Assert.Equal(PollMode.Ranked, draft.Mode);
        Assert.False(draft.Anonymous);
    }

    [Theory]
    [InlineData("\"Which topic?\" Sleep | Public speaking", "Public speaking")]
    [InlineData("\"Which topic?\" Sleep | Approval", "Approval")]
    public void A_setting_word_that_is_a_whole_option_stays_an_option(string line, string last)
    {
        Assert.True(PollDraft.TryParseLine(line, out var draft, out var error), error);
        Assert.Equal(last, draft!.Options[^1]);
        Assert.Equal(PollMode.Single, draft.Mode);
        Assert.True(draft.Anonymous);
    }

    [Fact]
    public async Task Opening_a_poll_echoes_what_was_understood()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;

        var reply = Assert.Single(await bot.SendAsync(Fran, "poll new \"Best day for a social?\" Monday | Wednesday | Saturday ranked anonymous no"));

        Assert.Contains("I understood: **Best day for a social?** — 3 options: 1. Monday · 2. Wednesday · 3. Saturday; ranked (order your preferences); named votes", reply.Text);
        Assert.Equal(PollMode.Ranked, (await bot.PollAsync("1")).Mode);
    }

    /// <summary>The first `…` span in a text that starts with a command.</summary>
    internal static string HintIn(string text, string command)
    {
        var start = text.IndexOf("`" + command, StringComparison.Ordinal);
        Assert.True(start >= 0, $"No `{command}…` hint in: {text}");
        var end = text.IndexOf('`', start + 1);
        return text[(start + 1)..end];
    }
}
