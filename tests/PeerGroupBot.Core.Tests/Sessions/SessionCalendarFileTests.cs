using System.Text;
using Ical.Net;
using Ical.Net.DataTypes;
using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Sessions;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Sessions;

/// <summary><c>session calendar</c>: the .ics file a member adds to their own calendar, read back with Ical.Net as a calendar app would.</summary>
public class SessionCalendarFileTests
{
    private static async Task<(BotReply Reply, Calendar Calendar, string Text)> CalendarAsync(TestBot bot, Actor actor)
    {
        var reply = Assert.Single(await bot.SendAsync(actor, "session calendar"));
        var file = Assert.Single(reply.Attachments);
        Assert.Equal("sessions.ics", file.FileName);
        Assert.Equal("text/calendar", file.MediaType);
        var text = Encoding.UTF8.GetString(file.Content);
        return (reply, Calendar.Load(text)!, text);
    }

    /// <summary>Every start the calendar app would show from <paramref name="from"/> up to <paramref name="until"/>, as instants.</summary>
    private static List<Instant> Starts(Calendar calendar, Instant from, Instant until)
        => calendar.GetOccurrences(new CalDateTime(from.ToDateTimeUtc(), "UTC"))
            .Select(o => Instant.FromDateTimeUtc(o.Period.StartTime.AsUtc))
            .TakeWhile(i => i <= until)
            .ToList();

    [Fact]
    public async Task Weekly_sessions_come_as_one_repeating_event_in_the_group_zone_with_cancelled_dates_left_out_and_extras_added()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();
        await bot.SendAsync(Fran, "session schedule weekly tuesday 18:30 90m \"Room 4\"");
        await bot.SendAsync(Fran, "session cancel 2026-11-10 bank holiday");
        await bot.SendAsync(Fran, "session add 2026-11-13 10:00 1h \"Library\"");

        var (reply, calendar, text) = await CalendarAsync(bot, Alex);
        Assert.Equal(ReplyVisibility.Private, reply.Visibility);
        Assert.Contains("Tuesday Peers", reply.Text);
        Assert.Contains("session calendar", reply.Text);

        var regular = Assert.Single(calendar.Events, e => e.RecurrenceRule is not null);
        Assert.Equal("Tuesday Peers session", regular.Summary);
        Assert.Equal("Room 4", regular.Location);
        Assert.Equal("Europe/London", regular.DtStart!.TzId);
        Assert.Equal(new DateTime(2026, 11, 3, 18, 30, 0), regular.DtStart.Value);
        Assert.Equal(FrequencyType.Weekly, regular.RecurrenceRule!.Frequency);
        Assert.Equal(1, regular.RecurrenceRule.Interval);
        Assert.Equal(DayOfWeek.Tuesday, Assert.Single(regular.RecurrenceRule.ByDay).DayOfWeek);
        Assert.Contains("EXDATE;TZID=Europe/London:20261110T183000", text);
        Assert.Contains("BEGIN:VTIMEZONE", text);

        var extra = Assert.Single(calendar.Events, e => e.RecurrenceRule is null);
        Assert.Equal("Library", extra.Location);

        // What a calendar app shows is exactly what the bot plans: 3 Nov, (not 10 Nov), 13 Nov extra, 17 Nov, 24 Nov.
        var now = bot.Clock.GetCurrentInstant();
        var until = Instant.FromUtc(2026, 11, 30, 0, 0);
        var schedule = await bot.Get<SessionCalendar>().GetScheduleAsync((await bot.GroupAsync()).Id, CancellationToken.None);
        var planned = SessionRecurrence.Upcoming(schedule, (await bot.GroupAsync()).Zone, now).TakeWhile(s => s.Start <= until).Select(s => s.Start).ToList();
        Assert.Equal(
            [Instant.FromUtc(2026, 11, 3, 18, 30), Instant.FromUtc(2026, 11, 13, 10, 0), Instant.FromUtc(2026, 11, 17, 18, 30), Instant.FromUtc(2026, 11, 24, 18, 30)],
            planned);
        Assert.Equal(planned, Starts(calendar, now, until));

        // No member's name is in the file: only the schedule.
        Assert.DoesNotContain("Alex", text);
        Assert.DoesNotContain("Fran", text);
    }

    [Fact]
    public async Task Sessions_keep_their_local_time_across_the_spring_clock_change()
    {
        await using var bot = new TestBot(start: Instant.FromUtc(2027, 3, 15, 9, 0));
        await bot.SetupGroupAsync();
        await bot.SendAsync(Fran, "session schedule fortnightly sunday 18:30");

        var (_, calendar, _) = await CalendarAsync(bot, Alex);
        var regular = Assert.Single(calendar.Events);
        Assert.Equal(2, regular.RecurrenceRule!.Interval);
        Assert.Equal(
            [Instant.FromUtc(2027, 3, 21, 18, 30), Instant.FromUtc(2027, 4, 4, 17, 30), Instant.FromUtc(2027, 4, 18, 17, 30)],
            Starts(calendar, bot.Clock.GetCurrentInstant(), Instant.FromUtc(2027, 4, 20, 0, 0)));
    }

    [Fact]
    public async Task Monthly_last_friday_becomes_a_monthly_rule_on_the_last_friday()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync(timeZone: "America/New_York");
        await bot.SendAsync(Fran, "session schedule last friday 14:00");

        var (_, calendar, text) = await CalendarAsync(bot, Alex);
        var rule = Assert.Single(calendar.Events).RecurrenceRule!;
        Assert.Equal(FrequencyType.Monthly, rule.Frequency);
        Assert.Equal(-1, Assert.Single(rule.ByDay).Offset);
        Assert.Contains("TZID=America/New_York", text);
        Assert.Equal(
            [Instant.FromUtc(2026, 11, 27, 19, 0), Instant.FromUtc(2026, 12, 25, 19, 0), Instant.FromUtc(2027, 1, 29, 19, 0)],
            Starts(calendar, bot.Clock.GetCurrentInstant(), Instant.FromUtc(2027, 2, 1, 0, 0)));
    }

    [Fact]
    public async Task Without_sessions_there_is_no_file_and_the_member_is_told_why()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();

        var reply = Assert.Single(await bot.SendAsync(Alex, "session calendar"));
        Assert.Empty(reply.Attachments);
        Assert.Contains("No sessions are planned yet", reply.Text);
    }
}
