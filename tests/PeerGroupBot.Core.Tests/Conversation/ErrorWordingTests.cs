using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Time;
using PeerGroupBot.Testing;
using static PeerGroupBot.Core.Tests.Rota.RotaTestKit;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Conversation;

/// <summary>An error names what was wrong: the member nobody knows, the day that isn't one.</summary>
public class ErrorWordingTests
{
    [Theory]
    [InlineData("rota swap 1 @Joe")]
    [InlineData("rota set 1 welcomer @Joe")]
    [InlineData("setup facilitator add @Joe")]
    [InlineData("concern lead add @Joe")]
    public async Task A_mention_of_nobody_in_the_group_names_who_was_not_found(string command)
    {
        await using var bot = WithThursdaySessions();
        await bot.SetupGroupAsync();
        await bot.SendAsync(Fran, "rota poll 1");
        await AnyRoleEveryDateAsync(bot, Alex, PollId(bot));
        await bot.SendAsync(Fran, "rota close");
        var who = command.StartsWith("rota swap", StringComparison.Ordinal) ? Alex : Fran;

        var reply = Assert.Single(await bot.SendAsync(who, command));

        Assert.Equal(ReplyTone.Warning, reply.Tone);
        Assert.StartsWith("I don't know a member called Joe in this group.", reply.Text);
    }

    [Fact]
    public async Task A_mention_the_platform_recognised_is_not_taken_for_an_unknown_name()
    {
        await using var bot = WithThursdaySessions();
        await bot.SetupGroupAsync();

        var reply = Assert.Single(await bot.SendAsync(Fran, "setup facilitator add @Sam", Mention(Sam)));

        Assert.DoesNotContain("I don't know a member", reply.Text);
        Assert.Contains("Sam", reply.Text);
    }

    [Theory]
    [InlineData("session schedule weekly tusday 18:30", "I don't know the day \"tusday\" — did you mean Tuesday?")]
    [InlineData("session schedule weekly wendesday 6pm", "I don't know the day \"wendesday\" — did you mean Wednesday?")]
    [InlineData("poll new \"Which?\" A | B closes thrusday 18:00", "I don't know the day \"thrusday\" — did you mean Thursday?")]
    [InlineData("poll new \"Which?\" A | B closes decmber 3", "I don't know the month \"decmber\" — did you mean December?")]
    public async Task A_misspelt_day_or_month_is_named_with_the_likely_one(string command, string expected)
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();

        var reply = Assert.Single(await bot.SendAsync(Fran, command));

        Assert.Contains(expected, reply.Text);
    }

    [Theory]
    [InlineData("tuesday")]
    [InlineData("tues")]
    [InlineData("room")]
    [InlineData("zoom")]
    [InlineData("monthly")]
    public void Real_days_and_ordinary_words_are_no_near_miss(string word)
        => Assert.Null(DateWords.NearMiss(word));
}
