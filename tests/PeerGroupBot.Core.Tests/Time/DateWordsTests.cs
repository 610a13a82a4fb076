using NodaTime;
using PeerGroupBot.Core.Rota;
using PeerGroupBot.Core.Sessions;
using PeerGroupBot.Core.Time;

namespace PeerGroupBot.Core.Tests.Time;

/// <summary>
/// The shared date and time words, and the promise they make: poll closing times (<see cref="WhenParser"/>),
/// sessions (<see cref="SessionText"/>, <see cref="ScheduleRequest"/>) and rota poll dates (<see cref="RotaDates"/>)
/// read the same text the same way, and refuse the same text with the same words.
/// </summary>
public class DateWordsTests
{
    private static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];

    /// <summary>Monday 2 November 2026, 09:00 in London, the test kit's default start.</summary>
    private static readonly ZonedDateTime Now = new LocalDateTime(2026, 11, 2, 9, 0).InZoneStrictly(London);

    private static LocalDate Today => Now.Date;

    [Theory]
    [InlineData("12 Dec 6pm", 2026, 12, 12, 18, 0)]
    [InlineData("Dec 12 6pm", 2026, 12, 12, 18, 0)]
    [InlineData("dec 12 6 pm", 2026, 12, 12, 18, 0)]
    [InlineData("12th of December 18:00", 2026, 12, 12, 18, 0)]
    [InlineData("12 december 18.00", 2026, 12, 12, 18, 0)]
    [InlineData("12 decem at 6:30pm", 2026, 12, 12, 18, 30)]
    [InlineData("12 Dec 2026 noon", 2026, 12, 12, 12, 0)]
    [InlineData("2026-12-12 6:30 p.m.", 2026, 12, 12, 18, 30)]
    [InlineData("2026/12/12 18:30", 2026, 12, 12, 18, 30)]
    [InlineData("2026-12-12T18:30", 2026, 12, 12, 18, 30)]
    [InlineData("1 Jan 10am", 2027, 1, 1, 10, 0)] // already behind us this year
    public void Every_command_reads_a_date_and_time_the_same_way(string text, int y, int mo, int d, int h, int mi)
    {
        var expected = new LocalDateTime(y, mo, d, h, mi);

        Assert.True(WhenParser.TryParse(text, Now, out var closes, out var pollError), $"poll: {pollError}");
        Assert.Equal(expected, closes.LocalDateTime);

        Assert.True(SessionText.TryParseDate(text, Today, out var date, out var time, out var rest, out var sessionError), $"session: {sessionError}");
        Assert.Equal(expected, date.At(time!.Value));
        Assert.Equal("", rest);

        var (sessions, problem) = RotaDates.ParseSessions(text, Now);
        Assert.True(problem is null, $"rota: {problem}");
        var session = Assert.Single(sessions!);
        Assert.Equal(expected, session.Date.At(session.Time!.Value));
    }

    [Theory]
    [InlineData("1/12 18:00", "I can't tell whether \"1/12\" is day/month or month/day")]
    [InlineData("01/12/2026", "is day/month or month/day")]
    [InlineData("1.12.26", "is day/month or month/day")]
    [InlineData("12-01 6pm", "is day/month or month/day")]
    [InlineData("31 feb 18:00", "February 2027 has no day 31")]
    [InlineData("2026-13-01 18:00", "That date doesn't look right")]
    [InlineData("dec 18:00", "Which day of December?")]
    [InlineData("12 dec 25:00", "\"25:00\" isn't a time I understand")]
    [InlineData("12 dec 13pm", "\"13pm\" isn't a time I understand")]
    public void Every_command_refuses_the_same_text_with_the_same_words(string text, string expected)
    {
        Assert.False(WhenParser.TryParse(text, Now, out _, out var pollError));
        Assert.Contains(expected, pollError);

        Assert.False(SessionText.TryParseDate(text, Today, out _, out _, out _, out var sessionError));
        Assert.Equal(pollError, sessionError);

        var (sessions, problem) = RotaDates.ParseSessions(text, Now);
        Assert.Null(sessions);
        Assert.Equal(pollError, problem);
    }

    [Theory]
    [InlineData("18:00", 18, 0)]
    [InlineData("18.00", 18, 0)]
    [InlineData("6pm", 18, 0)]
    [InlineData("6PM", 18, 0)]
    [InlineData("6:30pm", 18, 30)]
    [InlineData("6.30pm", 18, 30)]
    [InlineData("6 pm", 18, 0)]
    [InlineData("6p.m.", 18, 0)]
    [InlineData("10 am", 10, 0)]
    [InlineData("12am", 0, 0)]
    [InlineData("12pm", 12, 0)]
    [InlineData("noon", 12, 0)]
    [InlineData("midday", 12, 0)]
    public void Every_command_reads_a_time_of_day_the_same_way(string text, int hour, int minute)
    {
        var expected = new LocalTime(hour, minute);
        Assert.True(DateWords.TryParseTime(text, out var time));
        Assert.Equal(expected, time);

        // A poll closing on a Friday, a weekly session on Fridays, a form's start time.
        Assert.True(WhenParser.TryParse("friday " + text, Now, out var closes, out var error), error);
        Assert.Equal(new LocalDate(2026, 11, 6).At(expected), closes.LocalDateTime);
        var schedule = ScheduleRequest.Parse("weekly friday " + text + " 90m", Today, out error);
        Assert.True(schedule is not null, error);
        Assert.Equal(expected, schedule.Time);
        Assert.Equal(90, schedule.LengthMinutes);
        Assert.True(SessionText.TryParseTime(text, out var formTime));
        Assert.Equal(expected, formTime);
    }

    [Theory]
    [InlineData("18")]
    [InlineData("6")]
    [InlineData("24:00")]
    [InlineData("18:60")]
    [InlineData("0pm")]
    [InlineData("6 o")]
    [InlineData("")]
    public void Hours_alone_and_impossible_times_are_not_times(string text)
    {
        Assert.False(DateWords.TryParseTime(text, out _));
        Assert.False(SessionText.TryParseTime(text, out _));
        Assert.Null(ScheduleRequest.Parse("weekly friday " + text, Today, out _));
    }

    [Fact]
    public void An_hour_alone_gets_asked_for_am_or_pm_in_a_poll_and_is_not_a_start_time_in_a_schedule()
    {
        Assert.False(WhenParser.TryParse("friday 6", Now, out _, out var error));
        Assert.Contains("`6pm`", error);
        Assert.Null(ScheduleRequest.Parse("weekly friday 6", Today, out error));
        Assert.Contains("day and a start time", error);
    }

    [Fact]
    public void A_length_like_1h30_stays_a_length_in_sessions_while_18h30_is_a_closing_time()
    {
        var schedule = ScheduleRequest.Parse("weekly friday 18:00 1h30", Today, out var error);
        Assert.True(schedule is not null, error);
        Assert.Equal(new LocalTime(18, 0), schedule.Time);
        Assert.Equal(90, schedule.LengthMinutes);

        Assert.True(WhenParser.TryParse("friday 18h30", Now, out var closes, out error), error);
        Assert.Equal(new LocalDateTime(2026, 11, 6, 18, 30), closes.LocalDateTime);
    }

    [Theory]
    [InlineData("friday", IsoDayOfWeek.Friday)]
    [InlineData("Fri", IsoDayOfWeek.Friday)]
    [InlineData("fridays", IsoDayOfWeek.Friday)]
    [InlineData("tues", IsoDayOfWeek.Tuesday)]
    [InlineData("weds", IsoDayOfWeek.Wednesday)]
    [InlineData("thurs,", IsoDayOfWeek.Thursday)]
    [InlineData("sun", IsoDayOfWeek.Sunday)]
    public void Every_command_reads_a_weekday_the_same_way(string text, IsoDayOfWeek expected)
    {
        Assert.Equal(expected, DateWords.Weekday(text));
        Assert.True(SessionText.TryParseDay(text, out var day));
        Assert.Equal(expected, day);
        Assert.True(WhenParser.TryParse(text + " 18:00", Now, out var closes, out var error), error);
        Assert.Equal(expected, closes.DayOfWeek);
        Assert.True(SessionText.TryParseDate(text + " 18:00", Today, out var date, out _, out _));
        Assert.Equal(expected, date.DayOfWeek);
    }

    [Theory]
    [InlineData("dec", 12)]
    [InlineData("Dec.", 12)]
    [InlineData("decem", 12)]
    [InlineData("December", 12)]
    [InlineData("sept", 9)]
    [InlineData("may", 5)]
    [InlineData("jun", 6)]
    [InlineData("jul", 7)]
    [InlineData("de", null)]
    [InlineData("decembers", null)]
    [InlineData("fri", null)]
    public void Months_are_names_or_the_start_of_one(string text, int? expected)
        => Assert.Equal(expected, DateWords.Month(text));

    [Fact]
    public void Reading_a_date_moves_past_the_words_it_used_and_leaves_the_rest()
    {
        string[] words = ["29th", "of", "Dec", "2027", "bank", "holiday"];
        var index = 0;
        Assert.Equal(WordsRead.Read, DateWords.ReadDate(words, ref index, Today, out var date, out var time, out var error));
        Assert.Equal("", error);
        Assert.Equal(new LocalDate(2027, 12, 29), date);
        Assert.Null(time);
        Assert.Equal(4, index);

        Assert.Equal(WordsRead.None, DateWords.ReadDate(words, ref index, Today, out _, out _, out _));
        Assert.Equal(4, index);
    }
}
