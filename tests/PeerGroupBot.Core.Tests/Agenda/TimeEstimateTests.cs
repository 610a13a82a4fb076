using PeerGroupBot.Core.Agenda;

namespace PeerGroupBot.Core.Tests.Agenda;

public class TimeEstimateTests
{
    [Theory]
    [InlineData("Check-in round 15m", "Check-in round", 15)]
    [InlineData("Check-in round ~15 min", "Check-in round", 15)]
    [InlineData("Check-in round - 15 mins", "Check-in round", 15)]
    [InlineData("Check-in round, 15 minutes", "Check-in round", 15)]
    [InlineData("Check-in round (15 min)", "Check-in round", 15)]
    [InlineData("Check-in round [~20m]", "Check-in round", 20)]
    [InlineData("Check-in round ~15", "Check-in round", 15)]
    [InlineData("Check-in round for 10 minutes", "Check-in round", 10)]
    [InlineData("Check-in round about 1h", "Check-in round", 60)]
    [InlineData("Budget 1h30", "Budget", 90)]
    [InlineData("Budget 1 h 30 min", "Budget", 90)]
    [InlineData("Budget 1.5 hours", "Budget", 90)]
    [InlineData("Budget 2 HOURS", "Budget", 120)]
    [InlineData("I feel talked over 20 min", "I feel talked over", 20)]
    [InlineData("Chapter 15", "Chapter 15", null)]
    [InlineData("Longer than 30 minutes", "Longer than 30 minutes", null)]
    [InlineData("Going from 60 to 90 minutes", "Going from 60 to 90 minutes", null)]
    [InlineData("Ideas for 10 minute walks", "Ideas for 10 minute walks", null)]
    [InlineData("The 15m rule", "The 15m rule", null)]
    [InlineData("Meet in room 15", "Meet in room 15", null)]
    [InlineData("Feelings (and how to name them)", "Feelings (and how to name them)", null)]
    [InlineData("Timing30m", "Timing30m", null)]
    public void Trailing_estimates_are_read_and_other_numbers_left_alone(string input, string text, int? minutes)
    {
        var result = TimeEstimate.Split(input);
        Assert.Null(result.Problem);
        Assert.Equal(text, result.Text);
        Assert.Equal(minutes, result.Minutes);
    }

    [Theory]
    [InlineData("Long walk 5h", "up to 4 h")]
    [InlineData("Quick one 0m", "at least 1 minute")]
    public void Out_of_range_estimates_are_explained(string input, string problem)
        => Assert.Contains(problem, TimeEstimate.Split(input).Problem);

    [Theory]
    [InlineData("15", 15)]
    [InlineData(" 15 min ", 15)]
    [InlineData("1h", 60)]
    [InlineData("~45", 45)]
    [InlineData("", null)]
    public void Form_fields_take_bare_minutes_or_a_duration(string input, int? minutes)
    {
        var result = TimeEstimate.ParseField(input);
        Assert.Null(result.Problem);
        Assert.Equal(minutes, result.Minutes);
    }

    [Fact]
    public void Nonsense_in_the_form_field_is_refused() => Assert.NotNull(TimeEstimate.ParseField("soon").Problem);

    [Theory]
    [InlineData(5, "5 min")]
    [InlineData(60, "1 h")]
    [InlineData(95, "1 h 35 min")]
    public void Minutes_are_shown_simply(int minutes, string shown) => Assert.Equal(shown, TimeEstimate.Format(minutes));
}
