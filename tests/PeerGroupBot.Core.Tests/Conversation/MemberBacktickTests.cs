using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Tests.Checkouts;
using PeerGroupBot.Core.Tests.Concerns;
using PeerGroupBot.Core.Tests.Rota;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Conversation;

/// <summary>
/// A member's backticks are marked wherever their text enters a reply (concerns, facilitators' replies, group names,
/// places, display names on the rota, check-out lines), so Discord shows them escaped and never opens a code span.
/// </summary>
public class MemberBacktickTests
{
    private const string Typed = "`x` and ```";
    private const string OnDiscord = @"\`x\` and \`\`\`";

    /// <summary>What a member sees on Discord (<see cref="MarkdownText.Neutralise"/>): their backticks escaped, the bot's code kept.</summary>
    private static void ShownAsTyped(string replyText)
    {
        Assert.DoesNotContain(Typed, replyText);
        Assert.Contains(MarkdownText.Member(Typed), replyText);
        Assert.Contains(OnDiscord, MarkdownText.Neutralise(replyText));
        Assert.Contains(Typed, MarkdownText.Literal(replyText));
    }

    [Fact]
    public async Task Concern_text_a_facilitators_reply_and_the_members_answer_keep_their_backticks()
    {
        await using var bot = ConcernKit.NewBot();
        await bot.SetupWithConcernsChannelAsync();
        await bot.RaiseAsync(Sam, $"The handout said {Typed} and nobody explained it.");
        await bot.PassDelayAsync();
        ShownAsTyped(bot.CardOf(1).Reply.Text);
        ShownAsTyped(Assert.Single(await bot.SendAsync(Fran, "concern list")).Text);

        var form = await bot.ClickCardAsync(Fran, 1, "Reply");
        await bot.SubmitAsync(Fran, form.Form!.ActionId, new Dictionary<string, string> { ["text"] = $"We'll fix {Typed} next week." }, StaffChannel);
        var toSam = bot.Playground.PrivatesTo(Sam.MemberId).Last().Reply;
        ShownAsTyped(toSam.Text);
        ShownAsTyped(bot.CurrentCard(1).Text);

        var answerForm = Assert.Single(await bot.ClickAsync(Sam, toSam.Button("Answer").ActionId, PrivateOf(Sam)));
        await bot.SubmitAsync(Sam, answerForm.Form!.ActionId, new Dictionary<string, string> { ["text"] = $"Thanks, {Typed} again." }, PrivateOf(Sam));
        await bot.PassDelayAsync();
        ShownAsTyped(Assert.Single(bot.StaffPosts(), p => p.Reply.Text.Contains("again.")).Reply.Text);
    }

    [Fact]
    public async Task A_group_name_with_backticks_is_marked_in_the_concern_confirmation()
    {
        await using var bot = ConcernKit.NewBot();
        await bot.SendAsync(Fran, $"setup Circle {Typed}");
        await bot.SendAsync(Sam, "help");
        var confirm = Assert.Single(await bot.RaiseAsync(Sam, "The room was too cold."));
        Assert.Contains("Your concern for **", confirm.Text);
        ShownAsTyped(confirm.Text);
    }

    [Fact]
    public async Task A_sessions_place_keeps_its_backticks_in_the_list_and_the_next_session_card()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();
        await bot.SubmitAsync(Fran, "session:schedule", new Dictionary<string, string>
        {
            ["repeat"] = "weekly", ["day"] = "thursday", ["time"] = "6pm", ["length"] = "2h", ["place"] = $"Room {Typed}",
        });
        ShownAsTyped(Assert.Single(await bot.SendAsync(Alex, "session list")).Text);
        ShownAsTyped(Assert.Single(await bot.SendAsync(Alex, "session next")).Text);
    }

    [Fact]
    public async Task Check_out_lines_keep_their_backticks_for_facilitators()
    {
        var (bot, _, groupId) = await CheckoutKit.TuesdayGroupAsync();
        await using var _ = bot;
        foreach (var who in new[] { Alex, Sam, Priya }) await CheckoutKit.GoingAsync(bot, who);
        await bot.RunUntilAsync(CheckoutKit.FirstEnd);
        await CheckoutKit.AnswerAsync(bot, Alex, groupId, CheckoutKit.FirstTuesdayKey, [5, 4, 3, 2], $"more {Typed} please");
        await CheckoutKit.AnswerAsync(bot, Sam, groupId, CheckoutKit.FirstTuesdayKey, [4, 4, 4, 4], "fine");
        await CheckoutKit.AnswerAsync(bot, Priya, groupId, CheckoutKit.FirstTuesdayKey, [3, 3, 3, 3], "good");
        await bot.RunUntilAsync(CheckoutKit.FirstEnd + NodaTime.Duration.FromHours(48));
        ShownAsTyped(Assert.Single(await bot.SendAsync(Fran, "record checkout comments")).Text);
    }

    [Fact]
    public async Task A_display_name_with_backticks_is_marked_on_the_rota_board_and_its_stats()
    {
        var bee = new Actor("playground:bee", $"Bee {Typed}");
        await using var bot = RotaTestKit.WithThursdaySessions();
        await bot.SetupGroupAsync();
        await bot.SendAsync(bee, "help");
        await bot.SendAsync(Fran, "rota poll 1");
        await RotaTestKit.MarkAsync(bot, bee, RotaTestKit.PollId(bot), 0, "facilitator");
        await bot.SendAsync(Fran, "rota close");

        var board = Assert.Single(await bot.SendAsync(Alex, "rota")).Text;
        Assert.Contains($"**Bee {MarkdownText.Member(Typed)}**", board);
        ShownAsTyped(board);
        Assert.Contains("`rota swap <number> @member`", MarkdownText.Neutralise(board)); // the bot's own code span stays code
        ShownAsTyped(Assert.Single(await bot.SendAsync(Alex, "rota stats")).Text);
    }

    [Fact]
    public async Task A_poll_suggestion_with_backticks_is_marked_in_the_thanks_and_the_duplicate_notice()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();
        await bot.SendAsync(Alex, "poll new What should we talk about in December?");

        var thanks = Assert.Single(await bot.SendAsync(Sam, $"poll suggest Tips {Typed}")).Text;
        Assert.Contains("as suggestion 1", thanks);
        ShownAsTyped(thanks);
        ShownAsTyped(Assert.Single(await bot.SendAsync(Priya, $"poll suggest Tips {Typed}")).Text);
    }
}
