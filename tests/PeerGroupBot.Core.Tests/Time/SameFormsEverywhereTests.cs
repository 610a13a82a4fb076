using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Tests.Polls;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Time;

/// <summary>
/// The forms one command used to accept and another didn't, typed as members would: `poll new … closes 18.00`,
/// `session add Dec 12 6 pm`, `rota poll 1 Dec 18:00, Dec 8 6pm`, and "1/12" refused the same way by all three.
/// The fake clock starts Monday 2 November 2026, 09:00 UK time.
/// </summary>
public class SameFormsEverywhereTests
{
    private const string Poll = "poll new \"What next?\" Sleep | Boundaries";

    [Theory]
    [InlineData("18.00", "Monday 2 November 2026, 18:00 GMT (Europe/London)")]
    [InlineData("Dec 12 6 pm", "Saturday 12 December 2026, 18:00 GMT (Europe/London)")]
    [InlineData("12th of december noon", "Saturday 12 December 2026, 12:00 GMT (Europe/London)")]
    [InlineData("fridays 6:30pm", "Friday 6 November 2026, 18:30 GMT (Europe/London)")]
    public async Task A_poll_closes_at_a_time_written_in_any_of_the_shared_forms(string closes, string echoed)
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;

        var reply = Assert.Single(await bot.SendAsync(Alex, $"{Poll} closes {closes}"));

        Assert.Equal(ReplyTone.Success, reply.Tone);
        Assert.Contains(echoed, reply.Text);
    }

    [Theory]
    [InlineData("12 Dec 6pm", "Saturday 12 December, 18:00–20:00 GMT")]
    [InlineData("Dec 12 6 pm", "Saturday 12 December, 18:00–20:00 GMT")]
    [InlineData("2026/12/12 at noon", "Saturday 12 December, 12:00–14:00 GMT")]
    [InlineData("tmrw 18.00", "Tuesday 3 November, 18:00–20:00 GMT")]
    [InlineData("on 12th of december 6:30 p.m.", "Saturday 12 December, 18:30–20:30 GMT")]
    public async Task A_session_is_added_at_a_time_written_in_any_of_the_shared_forms(string when, string expected)
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();
        bot.Playground.Clear();

        var reply = Assert.Single(await bot.SendAsync(Fran, $"session add {when} \"Room 4\""));

        Assert.Equal(ReplyTone.Success, reply.Tone);
        Assert.Contains($"Extra session: **{expected}** (Europe/London time), at Room 4.", Assert.Single(bot.Playground.Posts).Reply.Text);
    }

    [Fact]
    public async Task A_session_can_be_cancelled_by_a_date_written_month_first()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();
        await bot.SendAsync(Fran, "session schedule weekly tuesday 18:30");

        var reply = Assert.Single(await bot.SendAsync(Fran, "session cancel Dec 8 bank holiday"));

        Assert.Equal(ReplyTone.Success, reply.Tone);
        Assert.Contains("The session on **Tuesday 8 December, 18:30–20:30 GMT** is cancelled: bank holiday", bot.Playground.Posts.Last().Reply.Text);
    }

    [Fact]
    public async Task A_rota_poll_takes_dates_and_times_in_the_shared_forms()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();
        bot.Playground.Clear();

        var reply = Assert.Single(await bot.SendAsync(Fran, "rota poll 8 Dec 6pm, Dec 1 18.00, 2026/12/15"));

        Assert.Equal(ReplyTone.Success, reply.Tone);
        var card = bot.Playground.Posts.Last().Reply.Text;
        var first = card.IndexOf("Tue 1 Dec, 18:00", StringComparison.Ordinal);
        var second = card.IndexOf("Tue 8 Dec, 18:00", StringComparison.Ordinal);
        var third = card.IndexOf("Tue 15 Dec", StringComparison.Ordinal);
        Assert.True(first >= 0 && first < second && second < third, card);
    }

    [Theory]
    [InlineData("poll", Poll + " closes 1/12")]
    [InlineData("session add", "session add 1/12 18:00")]
    [InlineData("session cancel", "session cancel 1/12")]
    [InlineData("session schedule", "session schedule fortnightly tuesday 18:30 from 1/12")]
    [InlineData("rota poll", "rota poll 1/12 18:00")]
    public async Task Day_first_or_month_first_numbers_are_refused_the_same_way_everywhere(string command, string typed)
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;
        bot.Playground.Clear();

        var reply = Assert.Single(await bot.SendAsync(command == "poll" ? Alex : Fran, typed));

        Assert.Equal(ReplyTone.Warning, reply.Tone);
        Assert.Contains("I can't tell whether \"1/12\" is day/month or month/day. Please write the month as a word (`1 Dec`) or use `2026-12-01`.", reply.Text);
        Assert.Empty(bot.Playground.Posts);
    }
}
