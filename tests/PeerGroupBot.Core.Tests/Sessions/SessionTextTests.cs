using NodaTime;
using PeerGroupBot.Core.Sessions;

namespace PeerGroupBot.Core.Tests.Sessions;

/// <summary>The forgiving one-line syntax and the small date reader.</summary>
public class SessionTextTests
{
    private static readonly LocalDate Today = new(2026, 11, 2); // a Monday

    [Theory]
    [InlineData("weekly tuesday 18:30 90m \"Zoom link\"", SessionRepeat.Weekly, IsoDayOfWeek.Tuesday, 0, 18, 30, 90, "Zoom link")]
    [InlineData("every tuesday at 6:30pm for 90 minutes at the Old Library", SessionRepeat.Weekly, IsoDayOfWeek.Tuesday, 0, 18, 30, 90, "Old Library")]
    [InlineData("fortnightly thursdays 6pm 2h", SessionRepeat.Fortnightly, IsoDayOfWeek.Thursday, 0, 18, 0, 120, null)]
    [InlineData("every other wed 10.15 1h30 Room 4", SessionRepeat.Fortnightly, IsoDayOfWeek.Wednesday, 0, 10, 15, 90, "Room 4")]
    [InlineData("first tuesday 10:30 \"Room 4\"", SessionRepeat.Monthly, IsoDayOfWeek.Tuesday, 1, 10, 30, null, "Room 4")]
    [InlineData("monthly on the last friday of the month 14:00 1.5h", SessionRepeat.Monthly, IsoDayOfWeek.Friday, -1, 14, 0, 90, null)]
    [InlineData("18:30 tuesday weekly", SessionRepeat.Weekly, IsoDayOfWeek.Tuesday, 0, 18, 30, null, null)]
    [InlineData("weekly tue 6 pm 2 hours Room 4", SessionRepeat.Weekly, IsoDayOfWeek.Tuesday, 0, 18, 0, 120, "Room 4")]
    [InlineData("last sunday noon", SessionRepeat.Monthly, IsoDayOfWeek.Sunday, -1, 12, 0, null, null)]
    [InlineData("weekly monday 18:00 Midday Centre", SessionRepeat.Weekly, IsoDayOfWeek.Monday, 0, 18, 0, null, "Midday Centre")]
    public void One_line_schedules_are_read_forgivingly(string text, SessionRepeat repeat, IsoDayOfWeek day, int week, int hour, int minute, int? length, string? place)
    {
        var request = ScheduleRequest.Parse(text, Today, out var error);
        Assert.True(request is not null, error);
        Assert.Equal(repeat, request.Repeat);
        Assert.Equal(day, request.Day);
        Assert.Equal(week, request.Week);
        Assert.Equal(new LocalTime(hour, minute), request.Time);
        Assert.Equal(length, request.LengthMinutes);
        Assert.Equal(place, request.Place);
    }

    [Theory]
    [InlineData("weekly tuesday", "day and a start time")]
    [InlineData("18:30", "day and a start time")]
    [InlineData("monthly tuesday 18:30", "Which Tuesday of the month")]
    [InlineData("weekly first tuesday 18:30", "monthly pattern")]
    public void Incomplete_schedules_get_a_message_saying_what_is_missing(string text, string expected)
    {
        Assert.Null(ScheduleRequest.Parse(text, Today, out var error));
        Assert.Contains(expected, error);
    }

    [Fact]
    public void A_start_date_sets_the_fortnightly_rhythm()
    {
        var request = ScheduleRequest.Parse("fortnightly tuesday 18:30 from 2026-11-10 \"Zoom\"", Today, out var error);
        Assert.True(request is not null, error);
        Assert.Equal(new LocalDate(2026, 11, 10), request.From);
        Assert.Equal("Zoom", request.Place);
    }

    [Fact]
    public void A_start_date_with_a_time_gives_the_start_time()
    {
        var request = ScheduleRequest.Parse("fortnightly tuesday from 10 Nov 18:30", Today, out var error);
        Assert.True(request is not null, error);
        Assert.Equal(new LocalDate(2026, 11, 10), request.From);
        Assert.Equal(new LocalTime(18, 30), request.Time);
    }

    [Theory]
    [InlineData("weekly tuesday 25:00", "\"25:00\" isn't a time I understand")]
    [InlineData("weekly tuesday 18:30 from 31 nov", "November 2026 has no day 31")]
    [InlineData("weekly tuesday 18:30 from 10/11", "day/month or month/day")]
    public void Impossible_times_and_dates_in_a_schedule_say_what_is_wrong(string text, string expected)
    {
        Assert.Null(ScheduleRequest.Parse(text, Today, out var error));
        Assert.Contains(expected, error);
    }

    [Theory]
    [InlineData("2026-12-01", 2026, 12, 1, null)]
    [InlineData("2026-12-01 18:30", 2026, 12, 1, "18:30")]
    [InlineData("2026-12-01T18:30", 2026, 12, 1, "18:30")]
    [InlineData("tomorrow at 6pm", 2026, 11, 3, "18:00")]
    [InlineData("next tuesday", 2026, 11, 3, null)]
    [InlineData("friday", 2026, 11, 6, null)]
    [InlineData("monday", 2026, 11, 9, null)]
    [InlineData("29 december", 2026, 12, 29, null)]
    [InlineData("3rd jan 2027 10:00", 2027, 1, 3, "10:00")]
    [InlineData("1 november", 2027, 11, 1, null)]
    [InlineData("dec 29", 2026, 12, 29, null)]
    [InlineData("29th of December 6 pm", 2026, 12, 29, "18:00")]
    [InlineData("2026/12/01 noon", 2026, 12, 1, "12:00")]
    [InlineData("on friday 6:30p.m.", 2026, 11, 6, "18:30")]
    [InlineData("tmrw 18.00", 2026, 11, 3, "18:00")]
    public void Dates_are_read_in_iso_and_in_words(string text, int year, int month, int day, string? time)
    {
        Assert.True(SessionText.TryParseDate(text, Today, out var date, out var parsedTime, out _));
        Assert.Equal(new LocalDate(year, month, day), date);
        Assert.Equal(time, parsedTime is null ? null : SessionText.Time(parsedTime.Value));
    }

    [Theory]
    [InlineData("2026-02-30")]
    [InlineData("someday")]
    [InlineData("")]
    public void Nonsense_dates_are_refused(string text)
        => Assert.False(SessionText.TryParseDate(text, Today, out _, out _, out _));

    [Fact]
    public void The_words_after_a_date_are_kept_as_the_rest()
    {
        Assert.True(SessionText.TryParseDate("2026-12-29 bank holiday", Today, out _, out var time, out var rest));
        Assert.Null(time);
        Assert.Equal("bank holiday", rest);
    }
}
