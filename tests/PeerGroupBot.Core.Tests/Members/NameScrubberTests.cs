using NodaTime;
using PeerGroupBot.Core.Members;
using PeerGroupBot.Core.Sessions;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Members;

/// <summary>Erasure replaces a member's whole name only, never the same letters inside other members' words.</summary>
public class NameScrubberTests
{
    [Theory]
    [InlineData("Sam facilitates; Priya welcomes", "a member facilitates; Priya welcomes")]
    [InlineData("Samaritans number on the card (from Sam)", "Samaritans number on the card (from a member)")]
    [InlineData("Thanks Sam!", "Thanks a member!")]
    [InlineData("**Sam**, then Sam's turn", "**a member**, then a member's turn")]
    [InlineData("Sam Jones leads", "a member leads")]
    [InlineData("Samuel and sam", "Samuel and sam")]
    [InlineData("", "")]
    public void Only_whole_names_are_replaced(string text, string expected)
        => Assert.Equal(expected, NameScrubber.Scrub(text, ["Sam", "Sam Jones"], "a member"));

    [Fact]
    public void Names_with_pattern_characters_are_taken_literally()
    {
        Assert.Equal("a member and J.D", NameScrubber.Scrub("J.D. (she) and J.D", ["J.D. (she)"], "a member"));
        Assert.False(NameScrubber.Mentions("JxD", ["J.D"]));
        Assert.True(NameScrubber.Mentions("with J.D", ["J.D"]));
        Assert.False(NameScrubber.Mentions("anything", []));
    }

    [Fact]
    public async Task Erasing_Sam_keeps_another_members_Samaritans_item_on_the_posted_reminder()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();
        await bot.SendAsync(Fran, "session schedule weekly thursday 18:00");
        await bot.SendAsync(Priya, "agenda add Samaritans helpline card");
        await bot.SendAsync(Sam, "agenda add Money worries");
        // The 24-hour reminder for Thursday 5 November is posted (and stored) on Wednesday evening.
        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 4, 19, 0));
        var group = await bot.GroupAsync();
        var key = SessionOccurrenceDocument.KeyFor(group.Id, "2026-11-05T18:00");
        var before = string.Join("\n", (await bot.Documents.GetValueAsync<SessionOccurrenceDocument>(key))!.Cards.Select(c => c.Body));
        Assert.Contains("Samaritans helpline card", before);
        Assert.Contains("Sam", before.Replace("Samaritans", ""));

        await bot.SendAsync(Sam, PrivateOf(Sam), "me erase");
        await bot.ClickAsync(Sam, "me:erase:confirm", PrivateOf(Sam));

        var after = string.Join("\n", (await bot.Documents.GetValueAsync<SessionOccurrenceDocument>(key))!.Cards.Select(c => c.Body));
        Assert.Contains("Samaritans helpline card", after);
        Assert.Contains("Money worries", after);
        Assert.DoesNotContain("Sam", after.Replace("Samaritans", ""));
    }
}
