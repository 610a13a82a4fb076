using NodaTime;
using PeerGroupBot.Core.Concerns;

namespace PeerGroupBot.Core.Tests.Concerns;

public class ReadingHoursAndRiskTests
{
    private static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];

    [Theory]
    [InlineData("weekdays 09:00-17:00", "weekdays 09:00–17:00")]
    [InlineData("Weekdays 9 - 17", "weekdays 09:00–17:00")]
    [InlineData("mon-thu 10-16:30", "Mon, Tue, Wed, Thu 10:00–16:30")]
    [InlineData("mon,wed,fri 9:30 to 12", "Mon, Wed, Fri 09:30–12:00")]
    [InlineData("every day 9-21", "every day 09:00–21:00")]
    [InlineData("sat-sun 10-12", "weekends 10:00–12:00")]
    [InlineData("fri-mon 10-12", "Mon, Fri, Sat, Sun 10:00–12:00")]
    public void Reading_hours_are_parsed_and_described(string input, string described)
    {
        var hours = ReadingHours.TryParse(input, out var error);
        Assert.True(hours is not null, error);
        Assert.Equal(described, hours.Describe());
    }

    [Theory]
    [InlineData("9-17", "days and the times")]
    [InlineData("someday 9-17", "didn't understand the days")]
    [InlineData("t 9-17", "didn't understand the days")]
    [InlineData("weekdays 17-9", "start time needs to be before")]
    [InlineData("weekdays 25:00-26:00", "didn't understand the times")]
    public void Bad_reading_hours_are_explained(string input, string expected)
    {
        Assert.Null(ReadingHours.TryParse(input, out var error));
        Assert.Contains(expected, error);
    }

    [Fact]
    public void The_next_opening_is_found_in_the_group_zone()
    {
        var hours = ReadingHours.TryParse("weekdays 09:00-17:00", out _)!;
        // Summer time: 08:30 UTC is 09:30 in London, within hours.
        Assert.Null(hours.NextOpening(Instant.FromUtc(2026, 7, 1, 8, 30), London));
        // Wednesday 07:00 London: later the same morning.
        Assert.Equal(new LocalDateTime(2026, 7, 1, 9, 0), hours.NextOpening(Instant.FromUtc(2026, 7, 1, 6, 0), London)!.Value.LocalDateTime);
        // Friday 17:00 London: Monday.
        Assert.Equal(new LocalDateTime(2026, 7, 6, 9, 0), hours.NextOpening(Instant.FromUtc(2026, 7, 3, 16, 0), London)!.Value.LocalDateTime);
    }

    [Theory]
    [InlineData("I don’t want to be alive anymore", true)]
    [InlineData("Thinking about SUICIDE lately.", true)]
    [InlineData("I've been self-harming", true)]
    [InlineData("I cant go on", true)]
    [InlineData("The biscuits were stale and the room was cold.", false)]
    [InlineData("We talked about a suicide prevention training.", false)]
    [InlineData("Suicidal again today.", true)]
    [InlineData("the overdoses of caffeine", false)]
    public void Risk_phrases_match_whole_words_ignoring_case_and_punctuation(string text, bool expected)
        => Assert.Equal(expected, RiskDetector.SuggestsRisk(text, RiskDetector.DefaultPhrases));

    [Fact]
    public void Extra_phrases_add_to_the_defaults_and_configured_phrases_replace_them()
    {
        var options = new ConcernsOptions { ExtraRiskPhrases = ["feel hopeless"] };
        Assert.False(RiskDetector.SuggestsRisk("I feel hopeless", RiskDetector.DefaultPhrases));
        Assert.True(RiskDetector.SuggestsRisk("I FEEL   hopeless!", options.EffectiveRiskPhrases));
        Assert.True(RiskDetector.SuggestsRisk("suicidal", options.EffectiveRiskPhrases));
        var replaced = new ConcernsOptions { RiskPhrases = ["hopeless"] };
        Assert.DoesNotContain("suicidal", replaced.EffectiveRiskPhrases);
        Assert.True(RiskDetector.SuggestsRisk("I feel hopeless", replaced.EffectiveRiskPhrases));
        // The built-in families of phrasings stay on whatever the list: a group can add, never switch safety off.
        Assert.True(RiskDetector.SuggestsRisk("i want to die", replaced.EffectiveRiskPhrases));
    }
}
