using NodaTime;
using PeerGroupBot.Testing;
using static PeerGroupBot.Core.Tests.Rota.RotaTestKit;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Safety;

/// <summary>
/// Rota messages sent privately to a member who did not just act (a swap request, the answer to theirs, a slot passed
/// on to them) wait for that member's quiet hours; the channel's rota updates and the acting member's own replies
/// do not. The clock starts Monday 2 November 2026, 09:00 GMT; sessions are on Thursdays at 18:00.
/// </summary>
public class RotaNoticesWaitForQuietHoursTests
{
    [Fact]
    public async Task Swap_requests_answers_and_passed_on_slots_wait_for_quiet_hours_and_the_channel_does_not()
    {
        await using var bot = WithThursdaySessions();
        await bot.SetupGroupAsync();
        await bot.SendAsync(Fran, "rota poll 2");
        var poll = PollId(bot);
        await MarkAsync(bot, Alex, poll, 0, "facilitator");
        await MarkAsync(bot, Alex, poll, 1, "facilitator", "welcomer");
        await MarkAsync(bot, Sam, poll, 0, "co-facilitator");
        await MarkAsync(bot, Sam, poll, 1, "facilitator");
        await MarkAsync(bot, Priya, poll, 0, "welcomer");
        await MarkAsync(bot, Priya, poll, 1, "co-facilitator", "note-taker");
        await MarkAsync(bot, Fran, poll, 0, "note-taker");
        await bot.SendAsync(Fran, "rota close");
        await bot.SendAsync(Fran, "me quiet 09:00-12:00");

        // Alex asks Fran, who is in quiet hours: Alex hears the usual answer (nothing about Fran's hours); Fran hears at 12:00.
        var asked = Assert.Single(await bot.SendAsync(Alex, "rota swap 2 @Fran (facilitator)", Mention(Fran)));
        Assert.Equal("I've asked Fran (facilitator) privately. The slot stays yours until they accept; I'll let you know their answer.", asked.Text);
        Assert.Empty(bot.Playground.PrivatesTo(Fran.MemberId));
        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 2, 11, 59));
        Assert.Empty(bot.Playground.PrivatesTo(Fran.MemberId));
        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 2, 12, 0));
        var request = Assert.Single(bot.Playground.PrivatesTo(Fran.MemberId)).Reply;
        Assert.Contains("Alex asks if you could take their **welcomer** slot", request.Text);

        // Now Alex is resting. Fran accepts: the channel hears at once, Alex's private note waits until 14:00.
        await bot.SendAsync(Alex, "me quiet 12:00-14:00");
        await bot.ClickAsync(Fran, request.Buttons[0].ActionId, PrivateOf(Fran));
        Assert.Contains("**Fran (facilitator)** is now the welcomer on Thu 12 Nov, 18:00 GMT, taking over from Alex.", bot.Playground.Posts.Last().Reply.Text);
        Assert.Empty(bot.Playground.PrivatesTo(Alex.MemberId));

        // Sam steps back; Sam's week-2 facilitator slot passes to Alex, whose notice also waits.
        var stepped = Assert.Single(await bot.SendAsync(Sam, "rota stepback"));
        Assert.Contains("No reason needed", stepped.Text);
        Assert.Contains("now **Alex**", bot.Playground.Posts.Last().Reply.Text);
        Assert.Empty(bot.Playground.PrivatesTo(Alex.MemberId));

        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 2, 14, 0));
        var toAlex = bot.Playground.PrivatesTo(Alex.MemberId).Select(p => p.Reply.Text).ToList();
        Assert.Equal(2, toAlex.Count);
        Assert.Contains(toAlex, t => t.Contains("has taken your **welcomer** slot"));
        Assert.Contains(toAlex, t => t.Contains("passed on to you: you're now the **facilitator**"));
    }

    [Fact]
    public async Task A_member_with_nudges_off_is_not_sent_slot_notices_but_still_gets_a_swap_request()
    {
        await using var bot = WithThursdaySessions();
        await bot.SetupGroupAsync();
        await bot.SendAsync(Fran, "rota poll 1");
        var poll = PollId(bot);
        await MarkAsync(bot, Alex, poll, 0, "facilitator");
        await MarkAsync(bot, Priya, poll, 0, "welcomer");
        await bot.SendAsync(Fran, "rota close");
        await bot.SendAsync(Jo, "me nudges off");

        await bot.SendAsync(Fran, "rota set 1 note-taker @Jo", Mention(Jo));
        Assert.Contains("**Jo** is now the note-taker", bot.Playground.Posts.Last().Reply.Text); // the channel still says so
        Assert.Empty(bot.Playground.PrivatesTo(Jo.MemberId));

        // A swap request from a peer is not a reminder: it reaches a member with nudges off.
        await bot.SendAsync(Sam, "me nudges off");
        Assert.Contains("asked Sam privately", Assert.Single(await bot.SendAsync(Alex, "rota swap 1 @Sam", Mention(Sam))).Text);
        Assert.Contains("Alex asks if you could take their **facilitator** slot", Assert.Single(bot.Playground.PrivatesTo(Sam.MemberId)).Reply.Text);
    }
}
