using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Rota;
using PeerGroupBot.Core.Polls;
using PeerGroupBot.Core.Scheduling;
using PeerGroupBot.Core.Sessions;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Sessions;

/// <summary>Reminders as the group sees them: when they arrive, what they say, RSVPs, and private nudges to rota holders.</summary>
public class SessionReminderTests
{
    private const string Tuesday = "2026-11-03T18:30";

    private static async Task<(TestBot Bot, FakeFeatures Features)> GroupWithTuesdaySessionsAsync()
    {
        var features = new FakeFeatures();
        var bot = new TestBot(configure: features.Register);
        await bot.SetupGroupAsync();
        await bot.SendAsync(Fran, "session schedule weekly tuesday 18:30 90m \"Zoom link\"");
        bot.Playground.Clear();
        return (bot, features);
    }

    /// <summary>Nothing is posted a second before <paramref name="at"/>, and one post arrives at it.</summary>
    internal static async Task<SentMessage> AssertPostedAtAsync(TestBot bot, Instant at)
    {
        var before = bot.Playground.Posts.Count();
        await bot.RunUntilAsync(at - Duration.FromSeconds(1));
        Assert.True(before == bot.Playground.Posts.Count(), $"Something was posted before {at}.");
        await bot.RunUntilAsync(at);
        Assert.True(before + 1 == bot.Playground.Posts.Count(), $"Expected one post at {at}, found {bot.Playground.Posts.Count() - before}.");
        return bot.Playground.Posts.Last();
    }

    [Fact]
    public async Task Reminders_come_24_hours_and_1_hour_before_with_agenda_rota_and_closing_polls()
    {
        var (bot, features) = await GroupWithTuesdaySessionsAsync();
        await using var _ = bot;
        features.Agenda[Tuesday] = ["1. Welcome and check-in — Alex", "2. Sleep and routines — from topic poll"];
        features.Rota[Tuesday] = [new RotaHolder("Facilitator", Alex.MemberId, "Alex"), new RotaHolder("Welcomer", Sam.MemberId, "Sam")];
        features.Polls.Add(new OpenPollSummary("p1", "Topic for December?", Instant.FromUtc(2026, 11, 3, 12, 0)));
        features.Polls.Add(new OpenPollSummary("p2", "A poll closing later", Instant.FromUtc(2026, 11, 20, 12, 0)));
        features.Polls.Add(new OpenPollSummary("p3", "A poll with no deadline", null));

        var dayBefore = (await AssertPostedAtAsync(bot, Instant.FromUtc(2026, 11, 2, 18, 30))).Reply;
        Assert.Equal("Tuesday Peers: session tomorrow at 18:30 GMT", dayBefore.Title);
        Assert.Contains("**When:** Tuesday 3 November, 18:30–20:00 GMT (Europe/London time)", dayBefore.Text);
        Assert.Contains("**Where:** Zoom link", dayBefore.Text);
        Assert.Contains("**Agenda:**\n1. Welcome and check-in — Alex\n2. Sleep and routines — from topic poll\n", dayBefore.Text.Replace("\r", ""));
        Assert.DoesNotContain("- 1.", dayBefore.Text); // a bullet before a number showed as "•  1."
        Assert.Contains("**On the rota:** Facilitator: Alex, Welcomer: Sam", dayBefore.Text);
        Assert.Contains("- Topic for December? (closes Tuesday 3 November at 12:00)", dayBefore.Text);
        Assert.DoesNotContain("closing later", dayBefore.Text);
        Assert.DoesNotContain("no deadline", dayBefore.Text);
        Assert.Contains("0 going · 0 maybe · 0 not going", dayBefore.Text);
        Assert.Equal(["Going", "Maybe", "Not going", "Raise a concern privately"], dayBefore.Buttons.Select(b => b.Label));

        // Rota holders are nudged privately, once, with the first reminder.
        Assert.Contains("**Facilitator**", Assert.Single(bot.Playground.PrivatesTo(Alex.MemberId)).Reply.Text);
        Assert.Contains("**Welcomer**", Assert.Single(bot.Playground.PrivatesTo(Sam.MemberId)).Reply.Text);
        Assert.Empty(bot.Playground.PrivatesTo(Priya.MemberId));

        var hourBefore = (await AssertPostedAtAsync(bot, Instant.FromUtc(2026, 11, 3, 17, 30))).Reply;
        Assert.Equal("Tuesday Peers: session starts in 1 hour", hourBefore.Title);
        Assert.Single(bot.Playground.PrivatesTo(Alex.MemberId));

        // Logs name groups and counts, never what was said or who.
        Assert.DoesNotContain(bot.Logs.Lines, l => l.Contains("Zoom link") || l.Contains("Alex") || l.Contains("sleep", StringComparison.OrdinalIgnoreCase));

        // And the chain goes on to next week.
        var timer = await bot.Documents.GetValueAsync<TimerDocument>(TimerDocument.KeyFor((await bot.GroupAsync()).Id, SessionReminders.TimerId));
        Assert.Equal(Instant.FromUtc(2026, 11, 9, 18, 30), timer!.Due);
    }

    [Fact]
    public async Task An_empty_agenda_and_rota_say_how_to_fill_them()
    {
        var (bot, _) = await GroupWithTuesdaySessionsAsync();
        await using var _ = bot;
        var card = (await AssertPostedAtAsync(bot, Instant.FromUtc(2026, 11, 2, 18, 30))).Reply;
        Assert.Contains("**Agenda:** nothing yet. Add an item with `agenda add …`.", card.Text);
        Assert.Contains("**On the rota:** nobody yet.", card.Text);
    }

    [Fact]
    public async Task Rsvp_buttons_count_answers_update_every_copy_and_store_no_member_ids()
    {
        var features = new FakeFeatures();
        await using var bot = new TestBot(configure: features.Register);
        await bot.SetupGroupAsync();
        // A bridged group: the same group also meets in a Discord channel.
        var code = System.Text.RegularExpressions.Regex.Match(Assert.Single(await bot.SendAsync(Fran, "setup link")).Text, @"\*\*([A-Z0-9]{8})\*\*").Groups[1].Value;
        await bot.SendAsync(new Actor("discord:42", "Dee", IsPlatformFacilitator: true), new Place("discord", "111", false), $"setup link {code}");
        await bot.SendAsync(Fran, "session schedule weekly tuesday 18:30 90m \"Zoom link\"");
        bot.Playground.Clear();
        bot.Discord.Clear();

        var card = await AssertPostedAtAsync(bot, Instant.FromUtc(2026, 11, 2, 18, 30));
        Assert.Single(bot.Discord.Posts);
        var going = card.Reply.Buttons.Single(b => b.Label == "Going").ActionId;
        var maybe = card.Reply.Buttons.Single(b => b.Label == "Maybe").ActionId;
        var notGoing = card.Reply.Buttons.Single(b => b.Label == "Not going").ActionId;

        var alex = await bot.ClickAsync(Alex, going, sourceMessageId: card.MessageId);
        Assert.Equal(2, alex.Count);
        Assert.True(alex[0].UpdatesSource);
        Assert.Contains("1 going · 0 maybe · 0 not going", alex[0].Text);
        Assert.Contains("**When:** Tuesday 3 November", alex[0].Text);
        Assert.Equal(ReplyVisibility.Private, alex[1].Visibility);
        Assert.Contains("You're down as **going**", alex[1].Text);

        await bot.ClickAsync(Sam, maybe, sourceMessageId: card.MessageId);
        await bot.ClickAsync(Priya, going, sourceMessageId: card.MessageId);
        var changed = await bot.ClickAsync(Priya, notGoing, sourceMessageId: card.MessageId);
        Assert.Contains("1 going · 1 maybe · 1 not going", changed[0].Text);
        var again = await bot.ClickAsync(Priya, notGoing, sourceMessageId: card.MessageId);
        Assert.Contains("1 going · 1 maybe · 1 not going", again[0].Text);

        // The Discord copy follows every change; the clicked playground copy is replaced by the reply instead.
        Assert.Contains("1 going · 1 maybe · 1 not going", bot.Discord.Updates.Last().Reply.Text);
        Assert.Empty(bot.Playground.Updates);

        // `session next` shows the same counts.
        Assert.Contains("1 going · 1 maybe · 1 not going", Assert.Single(await bot.SendAsync(Jo, "session next")).Text);

        var stored = string.Join("\n", (await bot.DumpStoreAsync()).Where(d => d.Key.Contains("/sessions/")).Select(d => d.Text));
        Assert.DoesNotContain("playground:", stored);
        Assert.DoesNotContain("Priya", stored);
    }

    [Fact]
    public async Task Rsvp_on_a_cancelled_or_finished_session_is_refused_kindly()
    {
        var (bot, _) = await GroupWithTuesdaySessionsAsync();
        await using var _ = bot;
        var going = SessionCards.RsvpActionId(Tuesday, RsvpChoice.Going);
        await bot.SendAsync(Fran, "session cancel 2026-11-03");
        Assert.Contains("was cancelled", Assert.Single(await bot.ClickAsync(Alex, going)).Text);

        var nextWeek = SessionCards.RsvpActionId("2026-11-10T18:30", RsvpChoice.Going);
        bot.Clock.Reset(Instant.FromUtc(2026, 11, 10, 21, 0));
        Assert.Contains("has finished", Assert.Single(await bot.ClickAsync(Alex, nextWeek)).Text);
        Assert.Contains("couldn't read that button", Assert.Single(await bot.ClickAsync(Alex, "session:rsvp:nonsense:going")).Text);
    }

    [Fact]
    public async Task Facilitators_choose_reminder_times_and_can_turn_them_off()
    {
        var (bot, _) = await GroupWithTuesdaySessionsAsync();
        await using var _ = bot;

        Assert.Contains("24 hours and 1 hour before", Assert.Single(await bot.SendAsync(Alex, "session reminders")).Text);
        Assert.Contains("Only facilitators", Assert.Single(await bot.SendAsync(Alex, "session reminders 1h")).Text);
        Assert.Contains("between 10 minutes and 14 days", Assert.Single(await bot.SendAsync(Fran, "session reminders 20d")).Text);
        Assert.Contains("Up to 3", Assert.Single(await bot.SendAsync(Fran, "session reminders 1d 2h 1h 30m")).Text);

        var set = Assert.Single(await bot.SendAsync(Fran, "session reminders 2d, 30m"));
        Assert.Contains("2 days and 30 minutes before", set.Text);
        // Two days before the 3 November session has passed, so the first is 30 minutes before it.
        Assert.Equal("Tuesday Peers: session starts in 30 minutes", (await AssertPostedAtAsync(bot, Instant.FromUtc(2026, 11, 3, 18, 0))).Reply.Title);
        Assert.Equal("Tuesday Peers: session on Tuesday 10 November at 18:30 GMT", (await AssertPostedAtAsync(bot, Instant.FromUtc(2026, 11, 8, 18, 30))).Reply.Title);

        Assert.Contains("off", Assert.Single(await bot.SendAsync(Fran, "session reminders off")).Text);
        var count = bot.Playground.Posts.Count();
        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 30, 0, 0));
        Assert.Equal(count, bot.Playground.Posts.Count());
    }

    [Fact]
    public async Task A_cancelled_session_gets_no_reminders_and_the_next_one_does()
    {
        var (bot, _) = await GroupWithTuesdaySessionsAsync();
        await using var _ = bot;
        await bot.SendAsync(Fran, "session cancel 2026-11-03");
        bot.Playground.Clear();

        var first = await AssertPostedAtAsync(bot, Instant.FromUtc(2026, 11, 9, 18, 30));
        Assert.Equal("Tuesday Peers: session tomorrow at 18:30 GMT", first.Reply.Title);
        Assert.Contains("Tuesday 10 November", first.Reply.Text);
    }

    [Fact]
    public async Task A_reminder_missed_beyond_the_grace_window_is_skipped_and_the_chain_goes_on()
    {
        var (bot, _) = await GroupWithTuesdaySessionsAsync();
        await using var _ = bot;

        // Nothing ran from before the 24-hour reminder until 2½ hours after it.
        await bot.AdvanceAsync(Instant.FromUtc(2026, 11, 2, 21, 0) - bot.Clock.GetCurrentInstant());
        Assert.Empty(bot.Playground.Posts);
        Assert.Contains(bot.Logs.Lines, l => l.Contains("beyond the grace window"));

        var late = await AssertPostedAtAsync(bot, Instant.FromUtc(2026, 11, 3, 17, 30));
        Assert.Equal("Tuesday Peers: session starts in 1 hour", late.Reply.Title);
    }

    [Fact]
    public async Task A_reminder_missed_within_the_grace_window_is_sent_late()
    {
        var (bot, _) = await GroupWithTuesdaySessionsAsync();
        await using var _ = bot;
        await bot.AdvanceAsync(Instant.FromUtc(2026, 11, 2, 18, 50) - bot.Clock.GetCurrentInstant());
        Assert.Equal("Tuesday Peers: session tomorrow at 18:30 GMT", Assert.Single(bot.Playground.Posts).Reply.Title);
    }

    [Fact]
    public async Task Each_reminder_is_delivered_once_even_when_fired_twice()
    {
        var (bot, _) = await GroupWithTuesdaySessionsAsync();
        await using var _ = bot;
        var timer = (await bot.Documents.GetValueAsync<TimerDocument>(TimerDocument.KeyFor((await bot.GroupAsync()).Id, SessionReminders.TimerId)))!;
        bot.Clock.Reset(timer.Due);
        var dispatcher = bot.Get<TimerDispatcher>();
        var results = await Task.WhenAll(dispatcher.FireAsync(timer, CancellationToken.None), dispatcher.FireAsync(timer, CancellationToken.None));
        Assert.Single(results, r => r);
        Assert.Single(bot.Playground.Posts);
    }
}
