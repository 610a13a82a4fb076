using NodaTime;
using PeerGroupBot.Core.Tests.Polls;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Safety;

/// <summary>
/// "Nudge non-voters before a topic poll closes, privately and once, without telling anyone else who has not voted."
/// The clock starts Monday 2 November 2026, 09:00 UK time (GMT, so local time is UTC).
/// </summary>
public class PollNudgeTests
{
    private const string Nudged = "Topic poll #1 closes soon";

    [Fact]
    public async Task Members_who_want_nudges_and_have_not_voted_are_nudged_privately_once_a_day_before_close()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _bot = bot;
        await bot.SendAsync(Sam, "me nudges on");
        await bot.SendAsync(Priya, "me nudges on");
        await bot.SendAsync(Jo, "me nudges on");
        await bot.SendAsync(Jo, "me quiet 08:00-10:00");
        await bot.SendAsync(Alex, "poll new \"What next?\" Sleep | Boundaries | Holidays closes in 2 days"); // Wednesday 09:00
        await bot.SendAsync(Sam, PrivateOf(Sam), "poll vote 1");
        var postsBefore = bot.Playground.Posts.Count() + bot.Playground.Updates.Count();

        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 3, 8, 59));
        Assert.Empty(bot.Playground.Privates);

        // Tuesday 09:00: Priya (nudges on, no vote) is nudged; Sam voted; Alex and Fran never asked for poll nudges;
        // Jo is in quiet hours until 10:00.
        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 3, 9, 0));
        var nudge = Assert.Single(bot.Playground.Privates);
        Assert.Equal(Priya.MemberId, nudge.Target);
        Assert.Equal(Nudged, nudge.Reply.Title);
        Assert.Contains("**What next?** in **Tuesday Peers** closes **Wed 4 Nov, 09:00 GMT**, and I don't have a vote from you yet", nudge.Reply.Text);
        Assert.Contains("1. Sleep", nudge.Reply.Text);
        Assert.Contains("`poll vote #1 <number>`", nudge.Reply.Text);
        Assert.Contains("Only you got this message", nudge.Reply.Text);
        foreach (var name in new[] { "Sam", "Alex", "Jo", "Fran" })
            Assert.DoesNotContain(name, nudge.Reply.Text);

        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 3, 10, 0));
        Assert.Equal(Nudged, Assert.Single(bot.Playground.PrivatesTo(Jo.MemberId)).Reply.Title);

        // Nothing in the channel said who had not voted, and nobody is nudged twice before or after the close.
        Assert.Equal(postsBefore, bot.Playground.Posts.Count() + bot.Playground.Updates.Count());
        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 5, 9, 0));
        Assert.Single(bot.Playground.Posts, p => p.Reply.Title == "Topic poll #1 has closed");
        Assert.Equal(2, bot.Playground.Privates.Count());
        Assert.DoesNotContain(bot.Playground.Posts.Concat(bot.Playground.Updates), p => p.Reply.Text.Contains("haven't voted") || p.Reply.Text.Contains("don't have a vote"));
        foreach (var member in new[] { Sam, Priya, Jo, Alex, Fran })
            Assert.DoesNotContain(bot.Logs.Lines, l => l.Contains(member.MemberId) || l.Contains(member.DisplayName));
    }

    [Fact]
    public async Task A_short_vote_is_nudged_half_way_and_a_nudge_quiet_hours_would_hold_past_the_close_is_dropped()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _bot = bot;
        await bot.SendAsync(Sam, "me nudges on");
        await bot.SendAsync(Priya, "me nudges on");
        await bot.SendAsync(Priya, "me quiet 10:00-20:00");
        await bot.SendAsync(Alex, "poll new \"Quick one?\" Tea | Coffee closes in 3 hours"); // 12:00; nudge at 10:30

        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 2, 10, 29));
        Assert.Empty(bot.Playground.Privates);
        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 2, 10, 30));
        Assert.Equal("Topic poll #1 closes soon", Assert.Single(bot.Playground.PrivatesTo(Sam.MemberId)).Reply.Title);

        // Priya's quiet hours end after the poll closes: a "closes soon" at 20:00 would be no use, so it is not kept.
        Assert.DoesNotContain(await bot.DumpStoreAsync(), d => d.Key.Contains("/nudges/", StringComparison.Ordinal));
        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 2, 21, 0));
        Assert.Empty(bot.Playground.PrivatesTo(Priya.MemberId));
        Assert.Single(bot.Playground.Privates);
    }

    [Fact]
    public async Task Closing_by_hand_before_the_nudge_cancels_it_and_a_poll_without_a_closing_time_nudges_nobody()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _bot = bot;
        await bot.SendAsync(Sam, "me nudges on");
        await bot.SendAsync(Alex, "poll new \"Closed early?\" Tea | Coffee closes in 2 days");
        await bot.SendAsync(Alex, "poll new \"No deadline?\" Tea | Coffee");
        await bot.SendAsync(Alex, "poll close #1");

        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 9, 9, 0));
        Assert.Empty(bot.Playground.Privates);
    }
}
