using System.Text.RegularExpressions;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Concerns;

/// <summary>
/// A group bridged across two platforms has one concerns destination: concerns raised on either platform reach it,
/// and a facilitator's reply goes back to the reporter on the platform they used.
/// </summary>
public class BridgedConcernTests
{
    private static readonly Actor Dee = new("discord:dee", "Dee", IsPlatformFacilitator: true);
    private static readonly Actor Kai = new("discord:kai", "Kai");
    private static readonly Place DiscordChannel = new("discord", "d-chan", IsPrivate: false);

    [Fact]
    public async Task Concerns_from_both_platforms_reach_the_one_concerns_channel_and_replies_go_back_on_the_reporters_platform()
    {
        await using var bot = ConcernKit.NewBot();
        await bot.SetupWithConcernsChannelAsync();
        var code = Regex.Match(Assert.Single(await bot.SendAsync(Fran, "setup link")).Text, @"\*\*([A-Z0-9]{8})\*\*").Groups[1].Value;
        await bot.SendAsync(Dee, DiscordChannel, $"setup link {code}");
        await bot.SendAsync(Kai, DiscordChannel, "help"); // Kai is seen in the group's Discord channel

        Assert.Contains("sent anonymously", Assert.Single(await bot.RaiseAsync(Kai, "The Discord voice room kept cutting out during shares.")).Title);
        Assert.Contains("sent anonymously", Assert.Single(await bot.RaiseAsync(Sam, "The room was too cold.")).Title);
        await bot.PassDelayAsync();

        // One destination: both cards in the facilitators' concerns channel, nothing in either group channel.
        Assert.Contains("voice room kept cutting out", bot.CardOf(1).Reply.Text);
        Assert.Contains("too cold", bot.CardOf(2).Reply.Text);
        Assert.DoesNotContain(bot.Discord.Posts, p => p.Reply.Text.Contains("cutting out") || p.Reply.Text.Contains("too cold"));
        Assert.DoesNotContain(bot.Playground.Posts, p => p.Target != StaffChannel.ChannelId && (p.Reply.Text.Contains("cutting out") || p.Reply.Text.Contains("too cold")));
        Assert.DoesNotContain("Kai", bot.CardOf(1).Reply.Text);

        // The reply to the Discord reporter goes to them privately on Discord, not anywhere on the other platform.
        var form = await bot.ClickCardAsync(Fran, 1, "Reply");
        await bot.SubmitAsync(Fran, form.Form!.ActionId, new Dictionary<string, string> { ["text"] = "Sorry about that; we'll test the room first next time." }, StaffChannel);
        var toKai = Assert.Single(bot.Discord.PrivatesTo(Kai.MemberId), m => m.Reply.Text.Contains("test the room first"));
        Assert.Equal("Reply from the facilitators about your concern #1", toKai.Reply.Title);
        Assert.DoesNotContain(bot.Playground.Privates, m => m.Reply.Text.Contains("test the room first"));
        Assert.DoesNotContain(bot.Teams.Sent, m => m.Reply.Text.Contains("test the room first"));
    }
}
