using NodaTime;
using PeerGroupBot.Core.Sessions;

namespace PeerGroupBot.Core.Tests.Sessions;

/// <summary>The date maths, in wall-clock terms and across daylight saving changes in three zones.</summary>
public class SessionRecurrenceTests
{
    private static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];
    private static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];
    private static readonly DateTimeZone Sydney = DateTimeZoneProviders.Tzdb["Australia/Sydney"];

    private static SessionSchedule Weekly(IsoDayOfWeek day, int hour, int minute, LocalDate from, SessionRepeat repeat = SessionRepeat.Weekly, int week = 0)
        => new() { Rule = new SessionRule { Repeat = repeat, Day = day, Week = week, Time = new LocalTime(hour, minute), LengthMinutes = 90, From = from } };

    [Fact]
    public void Weekly_fortnightly_and_monthly_rules_give_the_expected_dates()
    {
        var from = new LocalDate(2026, 11, 2);
        var weekly = SessionRecurrence.Dates(Weekly(IsoDayOfWeek.Tuesday, 18, 30, from).Rule!, from).Take(3);
        Assert.Equal([new LocalDate(2026, 11, 3), new LocalDate(2026, 11, 10), new LocalDate(2026, 11, 17)], weekly);

        var fortnightly = Weekly(IsoDayOfWeek.Thursday, 18, 0, from, SessionRepeat.Fortnightly).Rule!;
        Assert.Equal([new LocalDate(2026, 11, 5), new LocalDate(2026, 11, 19), new LocalDate(2026, 12, 3)], SessionRecurrence.Dates(fortnightly, from).Take(3));
        // Asked from a later date, the rhythm still follows the rule's start.
        Assert.Equal(new LocalDate(2026, 11, 19), SessionRecurrence.Dates(fortnightly, new LocalDate(2026, 11, 10)).First());

        var firstTuesday = Weekly(IsoDayOfWeek.Tuesday, 10, 30, from, SessionRepeat.Monthly, 1).Rule!;
        Assert.Equal([new LocalDate(2026, 11, 3), new LocalDate(2026, 12, 1), new LocalDate(2027, 1, 5)], SessionRecurrence.Dates(firstTuesday, from).Take(3));

        var lastFriday = Weekly(IsoDayOfWeek.Friday, 14, 0, from, SessionRepeat.Monthly, -1).Rule!;
        Assert.Equal([new LocalDate(2026, 11, 27), new LocalDate(2026, 12, 25), new LocalDate(2027, 1, 29)], SessionRecurrence.Dates(lastFriday, from).Take(3));

        var fourthMonday = Weekly(IsoDayOfWeek.Monday, 14, 0, from, SessionRepeat.Monthly, 4).Rule!;
        Assert.Equal([new LocalDate(2026, 11, 23), new LocalDate(2026, 12, 28)], SessionRecurrence.Dates(fourthMonday, from).Take(2));
    }

    [Fact]
    public void London_sessions_keep_their_local_time_across_the_march_change_and_day_reminders_keep_the_clock_time()
    {
        var schedule = Weekly(IsoDayOfWeek.Sunday, 18, 30, new LocalDate(2027, 3, 20));
        var sessions = SessionRecurrence.Upcoming(schedule, London, Instant.FromUtc(2027, 3, 20, 0, 0)).Take(2).ToList();
        Assert.Equal(Instant.FromUtc(2027, 3, 21, 18, 30), sessions[0].Start); // GMT
        Assert.Equal(Instant.FromUtc(2027, 3, 28, 17, 30), sessions[1].Start); // BST: clocks went forward that morning
        Assert.Equal("2027-03-28T18:30", sessions[1].Id);

        // "24h" before is the day before at the same local time, 23 real hours before this session; "1h" is elapsed time.
        Assert.Equal(Instant.FromUtc(2027, 3, 27, 18, 30), SessionRecurrence.ReminderDue(sessions[1], 24 * 60, London));
        Assert.Equal(Instant.FromUtc(2027, 3, 28, 16, 30), SessionRecurrence.ReminderDue(sessions[1], 60, London));
    }

    [Fact]
    public void London_sessions_keep_their_local_time_across_the_october_change()
    {
        var schedule = Weekly(IsoDayOfWeek.Sunday, 18, 30, new LocalDate(2026, 10, 17));
        var sessions = SessionRecurrence.Upcoming(schedule, London, Instant.FromUtc(2026, 10, 17, 0, 0)).Take(2).ToList();
        Assert.Equal(Instant.FromUtc(2026, 10, 18, 17, 30), sessions[0].Start); // BST
        Assert.Equal(Instant.FromUtc(2026, 10, 25, 18, 30), sessions[1].Start); // GMT: clocks went back that morning
        Assert.Equal(Instant.FromUtc(2026, 10, 24, 17, 30), SessionRecurrence.ReminderDue(sessions[1], 24 * 60, London)); // 25 real hours
    }

    [Fact]
    public void A_start_in_the_spring_gap_moves_forward_and_a_repeated_hour_takes_the_first()
    {
        var gap = Weekly(IsoDayOfWeek.Sunday, 1, 30, new LocalDate(2027, 3, 27));
        var inGap = SessionRecurrence.Upcoming(gap, London, Instant.FromUtc(2027, 3, 27, 0, 0)).First();
        Assert.Equal(Instant.FromUtc(2027, 3, 28, 1, 30), inGap.Start); // 02:30 BST, the first moment after the gap
        Assert.Equal("2027-03-28T01:30", inGap.Id);

        var twice = Weekly(IsoDayOfWeek.Sunday, 1, 30, new LocalDate(2026, 10, 24));
        var repeated = SessionRecurrence.Upcoming(twice, London, Instant.FromUtc(2026, 10, 24, 0, 0)).First();
        Assert.Equal(Instant.FromUtc(2026, 10, 25, 0, 30), repeated.Start); // 01:30 BST, the first of the two
    }

    [Fact]
    public void New_York_sessions_follow_the_american_change_two_weeks_before_the_uk()
    {
        var schedule = Weekly(IsoDayOfWeek.Tuesday, 18, 0, new LocalDate(2027, 3, 6));
        var sessions = SessionRecurrence.Upcoming(schedule, NewYork, Instant.FromUtc(2027, 3, 6, 0, 0)).Take(2).ToList();
        Assert.Equal(Instant.FromUtc(2027, 3, 9, 23, 0), sessions[0].Start); // EST, UTC-5
        Assert.Equal(Instant.FromUtc(2027, 3, 16, 22, 0), sessions[1].Start); // EDT, UTC-4
    }

    [Fact]
    public void Sydney_monthly_sessions_follow_the_southern_autumn_change()
    {
        var schedule = Weekly(IsoDayOfWeek.Monday, 10, 0, new LocalDate(2027, 2, 20), SessionRepeat.Monthly, 1);
        var sessions = SessionRecurrence.Upcoming(schedule, Sydney, Instant.FromUtc(2027, 2, 20, 0, 0)).Take(2).ToList();
        Assert.Equal(Instant.FromUtc(2027, 2, 28, 23, 0), sessions[0].Start); // Monday 1 March 10:00 AEDT, UTC+11
        Assert.Equal(Instant.FromUtc(2027, 4, 5, 0, 0), sessions[1].Start); // Monday 5 April 10:00 AEST, UTC+10
    }

    [Fact]
    public void Cancelled_sessions_are_listed_but_not_upcoming_and_one_offs_are_merged_in_order()
    {
        var schedule = Weekly(IsoDayOfWeek.Tuesday, 18, 30, new LocalDate(2026, 11, 2)) with
        {
            Cancelled = new() { ["2026-11-10T18:30"] = "bank holiday" },
            OneOffs = [new OneOffSession(new LocalDateTime(2026, 11, 12, 19, 0), 60, "Library")],
        };
        var after = Instant.FromUtc(2026, 11, 2, 9, 0);
        Assert.Equal(["2026-11-03T18:30", "2026-11-10T18:30", "2026-11-12T19:00", "2026-11-17T18:30"],
            SessionRecurrence.After(schedule, London, after).Take(4).Select(s => s.Id));
        Assert.Equal(["2026-11-03T18:30", "2026-11-12T19:00", "2026-11-17T18:30"],
            SessionRecurrence.Upcoming(schedule, London, after).Take(3).Select(s => s.Id));
        var reminders = SessionRecurrence.RemindersAfter(schedule, London, after).Take(3).Select(r => (r.Session.Id, r.OffsetMinutes)).ToList();
        Assert.Equal([("2026-11-03T18:30", 1440), ("2026-11-03T18:30", 60), ("2026-11-12T19:00", 1440)], reminders);
    }
}
