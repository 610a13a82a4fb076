using CsCheck;
using NodaTime;
using NodaTime.Text;
using PeerGroupBot.Core.Time;

namespace PeerGroupBot.Core.Tests.Time;

public class WhenParserTests
{
    private static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];

    /// <summary>Monday 2 November 2026, 09:00 in London (GMT), the test kit's default start.</summary>
    private static readonly ZonedDateTime MondayMorning = new LocalDateTime(2026, 11, 2, 9, 0).InZoneStrictly(London);

    private static LocalDateTime Parse(string text, ZonedDateTime? now = null)
    {
        var ok = WhenParser.TryParse(text, now ?? MondayMorning, out var result, out var error);
        Assert.True(ok, $"\"{text}\" failed: {error}");
        Assert.Equal("", error);
        return result.LocalDateTime;
    }

    private static string Fails(string text, ZonedDateTime? now = null)
    {
        var ok = WhenParser.TryParse(text, now ?? MondayMorning, out _, out var error);
        Assert.False(ok, $"\"{text}\" should not parse");
        Assert.NotEmpty(error);
        return error;
    }

    private static LocalDateTime At(int year, int month, int day, int hour, int minute) => new(year, month, day, hour, minute);

    [Theory]
    [InlineData("in 2 days", 2026, 11, 4, 9, 0)]
    [InlineData("In 2 Days.", 2026, 11, 4, 9, 0)]
    [InlineData("in 3 hours", 2026, 11, 2, 12, 0)]
    [InlineData("in 90 minutes", 2026, 11, 2, 10, 30)]
    [InlineData("in 90 mins", 2026, 11, 2, 10, 30)]
    [InlineData("in 1.5 hours", 2026, 11, 2, 10, 30)]
    [InlineData("in an hour and a half", 2026, 11, 2, 10, 30)]
    [InlineData("in half an hour", 2026, 11, 2, 9, 30)]
    [InlineData("in 2h", 2026, 11, 2, 11, 0)]
    [InlineData("in 1 day 2 hours", 2026, 11, 3, 11, 0)]
    [InlineData("in 1 day and 2 hours", 2026, 11, 3, 11, 0)]
    [InlineData("in a week", 2026, 11, 9, 9, 0)]
    [InlineData("in two weeks", 2026, 11, 16, 9, 0)]
    [InlineData("in a fortnight", 2026, 11, 16, 9, 0)]
    [InlineData("in 1 month", 2026, 12, 2, 9, 0)]
    [InlineData("2 days from now", 2026, 11, 4, 9, 0)]
    [InlineData("3 days", 2026, 11, 5, 9, 0)]
    public void Relative_times_count_from_now(string text, int y, int mo, int d, int h, int mi)
        => Assert.Equal(At(y, mo, d, h, mi), Parse(text));

    [Theory]
    [InlineData("tomorrow 18:00", 2026, 11, 3, 18, 0)]
    [InlineData("tomorrow at 6pm", 2026, 11, 3, 18, 0)]
    [InlineData("tomorrow", 2026, 11, 3, 23, 59)]
    [InlineData("today", 2026, 11, 2, 23, 59)]
    [InlineData("tonight 8pm", 2026, 11, 2, 20, 0)]
    [InlineData("friday 18:00", 2026, 11, 6, 18, 0)]
    [InlineData("Friday, 18.00", 2026, 11, 6, 18, 0)]
    [InlineData("fri 6pm", 2026, 11, 6, 18, 0)]
    [InlineData("Fri 6 PM", 2026, 11, 6, 18, 0)]
    [InlineData("on friday at 6 p.m.", 2026, 11, 6, 18, 0)]
    [InlineData("friday 6.30pm", 2026, 11, 6, 18, 30)]
    [InlineData("friday", 2026, 11, 6, 23, 59)]
    [InlineData("this friday noon", 2026, 11, 6, 12, 0)]
    [InlineData("monday 18:00", 2026, 11, 2, 18, 0)] // later today
    [InlineData("monday 08:00", 2026, 11, 9, 8, 0)] // today's has passed, so next week
    [InlineData("next monday", 2026, 11, 9, 23, 59)]
    [InlineData("next wed 10am", 2026, 11, 4, 10, 0)]
    [InlineData("2026-12-01", 2026, 12, 1, 23, 59)]
    [InlineData("2026-12-01 18:30", 2026, 12, 1, 18, 30)]
    [InlineData("2026-12-01T18:30", 2026, 12, 1, 18, 30)]
    [InlineData("2026/12/01 18:30", 2026, 12, 1, 18, 30)]
    [InlineData("1 Dec 18:00", 2026, 12, 1, 18, 0)]
    [InlineData("1 december", 2026, 12, 1, 23, 59)]
    [InlineData("Dec 1st 6pm", 2026, 12, 1, 18, 0)]
    [InlineData("1st December 2026 at 18:00", 2026, 12, 1, 18, 0)]
    [InlineData("1 Jan", 2027, 1, 1, 23, 59)] // already behind us this year
    [InlineData("1 Nov 10:00", 2027, 11, 1, 10, 0)]
    [InlineData("2 Nov 18:00", 2026, 11, 2, 18, 0)] // today, later
    [InlineData("18:00", 2026, 11, 2, 18, 0)]
    [InlineData("08:00", 2026, 11, 3, 8, 0)] // passed today, so tomorrow
    [InlineData("noon", 2026, 11, 2, 12, 0)]
    [InlineData("12am", 2026, 11, 3, 0, 0)]
    [InlineData("12pm", 2026, 11, 2, 12, 0)]
    [InlineData("midnight", 2026, 11, 3, 0, 0)]
    [InlineData("friday midnight", 2026, 11, 7, 0, 0)] // the end of Friday
    [InlineData("2026-12-04 friday 9am", 2026, 12, 4, 9, 0)]
    public void Calendar_times_are_read_in_the_groups_zone(string text, int y, int mo, int d, int h, int mi)
        => Assert.Equal(At(y, mo, d, h, mi), Parse(text));

    [Fact]
    public void A_day_alone_takes_the_callers_time_of_day()
    {
        Assert.True(WhenParser.TryParse("tomorrow", MondayMorning, new LocalTime(9, 0), out var parsed, out var error), error);
        Assert.Equal(At(2026, 11, 3, 9, 0), parsed!.Value.LocalDateTime);
        Assert.Null(parsed.Note);
    }

    [Theory]
    [InlineData("", "Please give a time")]
    [InlineData("   ", "Please give a time")]
    [InlineData("yesterday", "couldn't read")]
    [InlineData("soonish", "in 2 days")]
    [InlineData("2026-10-01", "already passed")]
    [InlineData("today 08:00", "already passed")]
    [InlineData("2 Nov 08:30", "already passed")]
    [InlineData("01/12/2026", "day/month or month/day")]
    [InlineData("1/12", "day/month or month/day")]
    [InlineData("1.12.26", "day/month or month/day")]
    [InlineData("31 feb", "February 2027 has no day 31")]
    [InlineData("2026-13-01", "doesn't look right")]
    [InlineData("friday 6", "`6pm`")]
    [InlineData("25:00", "isn't a time")]
    [InlineData("13pm", "isn't a time")]
    [InlineData("18:75", "isn't a time")]
    [InlineData("in 20000 days", "further ahead")]
    [InlineData("in a bit", "amount of time")]
    [InlineData("2026-12-04 thursday", "4 December 2026 is a Friday, not a Thursday")]
    [InlineData("friday saturday", "two days")]
    [InlineData("tomorrow 1 dec", "two dates")]
    [InlineData("18:00 6pm", "two times")]
    [InlineData("dec", "Which day of December")]
    [InlineData("next", "Next what")]
    public void Bad_or_past_times_get_a_clear_answer(string text, string expected)
        => Assert.Contains(expected, Fails(text));

    [Fact]
    public void A_past_time_is_echoed_so_the_member_sees_what_was_understood()
        => Assert.Contains("Thursday 1 October 2026, 23:59 BST (Europe/London)", Fails("2026-10-01"));

    [Fact]
    public void Describe_names_weekday_date_time_and_zone()
    {
        var when = new LocalDateTime(2026, 11, 6, 18, 0).InZoneStrictly(London);
        Assert.Equal("Friday 6 November 2026, 18:00 GMT (Europe/London)", WhenParser.Describe(when));
        Assert.Equal("Fri 6 Nov, 18:00 GMT", WhenParser.DescribeShort(when.ToInstant(), London));
    }

    [Theory]
    [InlineData("America/New_York", "EST")]
    [InlineData("Europe/Paris", "CET")]
    [InlineData("Asia/Dubai", "UTC+04")]
    [InlineData("Asia/Kathmandu", "UTC+05:45")]
    [InlineData("America/St_Johns", "NST")]
    [InlineData("Etc/UTC", "UTC")]
    public void Zone_abbreviations_are_letters_or_a_plain_offset(string zoneId, string expected)
    {
        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        var when = Instant.FromUtc(2026, 12, 1, 12, 0).InZone(zone);
        Assert.Equal(expected, WhenParser.Abbreviation(when));
        Assert.EndsWith($"({zoneId})", WhenParser.Describe(when));
    }

    [Fact]
    public void A_time_the_clocks_skip_moves_forward_and_says_so()
    {
        // In London the clocks go forward from 01:00 to 02:00 on Sunday 28 March 2027.
        var now = new LocalDateTime(2027, 3, 20, 12, 0).InZoneStrictly(London);
        Assert.True(WhenParser.TryParse("2027-03-28 01:30", now, WhenParser.EndOfDay, out var parsed, out var error), error);
        Assert.Equal(At(2027, 3, 28, 2, 30), parsed!.Value.LocalDateTime);
        Assert.Equal(Offset.FromHours(1), parsed.Value.Offset);
        Assert.Contains("clocks go forward", parsed.Note);
        Assert.Contains("02:30 BST", WhenParser.Describe(parsed.Value));
    }

    [Fact]
    public void A_time_that_happens_twice_takes_the_first_and_says_which()
    {
        // In London the clocks go back from 02:00 BST to 01:00 GMT on Sunday 25 October 2026.
        var now = new LocalDateTime(2026, 10, 20, 12, 0).InZoneStrictly(London);
        Assert.True(WhenParser.TryParse("sunday 01:30", now, WhenParser.EndOfDay, out var parsed, out var error), error);
        Assert.Equal(At(2026, 10, 25, 1, 30), parsed!.Value.LocalDateTime);
        Assert.Equal(Offset.FromHours(1), parsed.Value.Offset);
        Assert.Contains("happens twice", parsed.Note);
        Assert.Contains("01:30 BST", WhenParser.Describe(parsed.Value));
    }

    [Fact]
    public void Days_keep_the_wall_clock_time_across_a_clock_change_but_hours_are_elapsed_time()
    {
        var now = new LocalDateTime(2027, 3, 27, 12, 0).InZoneStrictly(London); // Saturday, GMT
        Assert.Equal(At(2027, 3, 28, 12, 0), Parse("in 1 day", now)); // 23 hours later
        Assert.Equal(At(2027, 3, 28, 13, 0), Parse("in 24 hours", now));
    }

    [Fact]
    public void The_same_words_mean_the_groups_local_time_in_another_zone()
    {
        var zone = DateTimeZoneProviders.Tzdb["America/New_York"];
        var now = Instant.FromUtc(2026, 11, 2, 9, 0).InZone(zone); // 04:00 in New York
        Assert.True(WhenParser.TryParse("friday 6pm", now, out var result, out _));
        Assert.Equal(Instant.FromUtc(2026, 11, 6, 23, 0), result.ToInstant());
        Assert.Equal("Friday 6 November 2026, 18:00 EST (America/New_York)", WhenParser.Describe(result));
    }

    [Fact]
    public void Late_on_a_weekday_the_same_weekday_means_next_week()
    {
        var fridayNight = new LocalDateTime(2026, 11, 6, 23, 59, 30).InZoneStrictly(London);
        Assert.Equal(At(2026, 11, 13, 23, 59), Parse("friday", fridayNight));
    }

    [Fact]
    public void Whatever_parses_is_strictly_in_the_future_and_describes_its_zone()
    {
        string[] texts =
        [
            "in 2 days", "in 3 hours", "in 45 mins", "tomorrow 18:00", "friday 18:00", "fri 6pm", "next sun 1:30am", "sunday 01:30",
            "2027-03-28 01:30", "2026-10-25 01:30", "1 Dec 18:00", "today", "tomorrow", "18:00", "00:30", "midnight", "noon", "mar 28 2am",
        ];
        string[] zones = ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "Pacific/Chatham", "America/Sao_Paulo"];
        var instants = Gen.Long[Instant.FromUtc(2026, 1, 1, 0, 0).ToUnixTimeSeconds(), Instant.FromUtc(2028, 12, 31, 0, 0).ToUnixTimeSeconds()];
        Gen.Select(instants, Gen.OneOf(zones), Gen.OneOf(texts)).Sample((seconds, zoneId, text) =>
        {
            var now = Instant.FromUnixTimeSeconds(seconds).InZone(DateTimeZoneProviders.Tzdb[zoneId]);
            if (!WhenParser.TryParse(text, now, out var result, out var error))
                return error.Contains("already passed", StringComparison.Ordinal) || error.Contains("no day", StringComparison.Ordinal);
            return result.ToInstant() > now.ToInstant()
                && result.Zone.Id == zoneId
                && WhenParser.Describe(result).EndsWith($"({zoneId})", StringComparison.Ordinal);
        }, iter: 2000);
    }

    [Fact]
    public void Describe_round_trips_through_a_pattern_a_reader_can_check()
    {
        Assert.True(WhenParser.TryParse("1 Dec 18:00", MondayMorning, out var result, out _));
        var text = WhenParser.Describe(result);
        var datePart = text[..text.IndexOf(',')];
        var parsed = LocalDatePattern.CreateWithInvariantCulture("dddd d MMMM yyyy").Parse(datePart);
        Assert.True(parsed.Success);
        Assert.Equal(new LocalDate(2026, 12, 1), parsed.Value);
    }
}
