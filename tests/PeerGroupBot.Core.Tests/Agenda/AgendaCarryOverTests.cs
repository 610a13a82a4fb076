using NodaTime;
using PeerGroupBot.Core.Agenda;
using PeerGroupBot.Core.Sessions;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Agenda;

public class AgendaCarryOverTests
{
    [Fact]
    public async Task Unfinished_items_carry_over_when_the_session_ends_and_done_ones_leave()
    {
        var calendar = new FakeSessionCalendar().Weekly("Europe/London", AgendaBots.FirstSession, 3, Duration.FromHours(2));
        await using var bot = await AgendaBots.StartAsync(calendar);
        await bot.SendAsync(Alex, "agenda add Check-in 15m");
        await bot.SendAsync(Sam, "agenda add Sleep 30m");
        await bot.SendAsync(Priya, "agenda add Budget");
        await bot.SendAsync(Fran, "agenda post");

        // Thursday 5 November, 19:00 in London: the session is running and keeps its agenda.
        await bot.AdvanceAsync(Instant.FromUtc(2026, 11, 5, 19, 0) - bot.Clock.GetCurrentInstant());
        await bot.SendAsync(Fran, "agenda done 1");
        var during = await bot.TextAsync(Alex, "agenda");
        Assert.Contains("Thursday 5 November", during);
        Assert.Contains("1. ✓ Check-in (15 min) — Alex · done", during);
        Assert.DoesNotContain("carried over", during);

        // 20:30: it ended at 20:00, so the agenda belongs to the next Thursday.
        await bot.AdvanceAsync(Duration.FromMinutes(90));
        var after = await bot.TextAsync(Alex, "agenda");
        Assert.Contains("Thursday 12 November", after);
        Assert.Contains("1. Sleep (30 min) — Sam · carried over", after);
        Assert.Contains("2. Budget — Priya · carried over", after);
        Assert.DoesNotContain("Check-in", after);

        await bot.SendAsync(Alex, "agenda add Walk 20m");
        Assert.Contains("3. Walk (20 min) — Alex\n", await bot.TextAsync(Alex, "agenda") + "\n");

        // A new session's agenda is a new message, not an edit of last week's.
        await bot.SendAsync(Fran, "agenda post");
        Assert.Equal(2, bot.Playground.Posts.Count());
        Assert.Empty(bot.Playground.Updates);
        Assert.Contains("Thursday 12 November", bot.Playground.Posts.Last().Reply.Title);
    }

    [Fact]
    public async Task An_agenda_nobody_looked_at_for_weeks_moves_to_the_next_session_still_to_come()
    {
        var calendar = new FakeSessionCalendar().Weekly("Europe/London", AgendaBots.FirstSession, 4, Duration.FromHours(2));
        await using var bot = await AgendaBots.StartAsync(calendar);
        await bot.SendAsync(Alex, "agenda add Check-in");

        await bot.AdvanceAsync(Duration.FromDays(15));
        var list = await bot.TextAsync(Alex, "agenda");
        Assert.Contains("Thursday 19 November", list);
        Assert.Contains("1. Check-in — Alex · carried over", list);
    }

    [Fact]
    public async Task When_a_schedule_arrives_or_changes_before_the_session_items_follow_it_without_a_carried_over_mark()
    {
        var calendar = new FakeSessionCalendar();
        await using var bot = await AgendaBots.StartAsync(calendar);
        await bot.SendAsync(Alex, "agenda add Check-in");
        Assert.Contains("no date set yet", await bot.TextAsync(Alex, "agenda"));

        calendar.Occurrences.Add(FakeSessionCalendar.At("Europe/London", AgendaBots.FirstSession, Duration.FromHours(2)));
        var dated = await bot.TextAsync(Alex, "agenda");
        Assert.Contains("Thursday 5 November 2026, 18:00–20:00", dated);
        Assert.Contains("1. Check-in — Alex", dated);
        Assert.DoesNotContain("carried over", dated);

        calendar.Occurrences.Clear();
        calendar.Occurrences.Add(FakeSessionCalendar.At("Europe/London", AgendaBots.FirstSession.PlusDays(1), Duration.FromHours(1)));
        var moved = await bot.TextAsync(Alex, "agenda");
        Assert.Contains("Friday 6 November 2026, 18:00–19:00", moved);
        Assert.DoesNotContain("carried over", moved);
    }

    [Fact]
    public async Task Reminders_get_the_lines_of_the_session_they_are_for()
    {
        var calendar = new FakeSessionCalendar().Weekly("Europe/London", AgendaBots.FirstSession, 3, Duration.FromHours(2));
        await using var bot = await AgendaBots.StartAsync(calendar);
        await bot.SendAsync(Alex, "agenda add Check-in 15m");
        await bot.SendAsync(Sam, PrivateOf(Sam), "agenda add anon Something hard");
        var feed = bot.Get<IAgendaFeed>();
        var group = await bot.GroupAsync();
        var first = calendar.Occurrences[0].Id;
        var second = calendar.Occurrences[1].Id;

        var lines = await feed.GetLinesAsync(group, first, CancellationToken.None);
        Assert.Equal(["1. Check-in (15 min) — Alex", "2. Something hard — a member"], lines);

        // During the first session a reminder for the second one shows what would carry over.
        bot.Clock.Reset(calendar.Occurrences[0].Start!.Value + Duration.FromMinutes(30));
        await bot.SendAsync(Fran, "agenda done 1");
        Assert.Equal(["1. Something hard — a member · carried over"], await feed.GetLinesAsync(group, second, CancellationToken.None));
        Assert.Empty(await feed.GetLinesAsync(group, "2026-10-29T18:00", CancellationToken.None));
        Assert.Empty(await feed.GetLinesAsync(group, SessionOccurrence.UndatedId, CancellationToken.None));
    }
}
