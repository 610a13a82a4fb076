using System.Text.RegularExpressions;
using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Outbound;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Outbound;

/// <summary>A bridged group keeps working when one platform is down, and the copy there catches up afterwards.</summary>
public class UpdateRetryTests
{
    private static readonly Actor Dee = new("discord:dee", "Dee", IsPlatformFacilitator: true);
    private static readonly Place DiscordChannel = new("discord", "d-chan", IsPrivate: false);

    private static async Task<(TestBot Bot, GroupDocument Group)> BridgedAsync()
    {
        var bot = new TestBot();
        await bot.SetupGroupAsync();
        var code = Regex.Match((await bot.SendAsync(Fran, "setup link"))[0].Text, @"\*\*([A-Z0-9]{8})\*\*").Groups[1].Value;
        await bot.SendAsync(Dee, DiscordChannel, $"setup link {code}");
        var group = await bot.GroupAsync();
        Assert.Equal(2, group.MainChannels.Count());
        return (bot, group);
    }

    private static IEnumerable<string> DiscordUpdates(TestBot bot) => bot.Discord.Updates.Select(u => u.Reply.Text);

    [Fact]
    public async Task An_update_missed_while_a_platform_is_down_is_sent_later_with_the_newest_content_once()
    {
        var (bot, group) = await BridgedAsync();
        await using var _ = bot;
        var outbound = bot.Get<IOutbound>();
        var posted = await outbound.PostToGroupAsync(group, BotReply.Say("1 member has voted so far."), CancellationToken.None);
        Assert.Equal(2, posted.Copies.Count);

        bot.Discord.Down = true;
        await outbound.UpdateAsync(posted, BotReply.Say("2 members have voted so far."), CancellationToken.None);
        await outbound.UpdateAsync(posted, BotReply.Say("3 members have voted so far."), CancellationToken.None);
        Assert.Equal(2, bot.Playground.Updates.Count()); // the working platform is not held up
        Assert.Empty(DiscordUpdates(bot));

        bot.Discord.Down = false;
        await bot.AdvanceAsync(Duration.FromSeconds(10));
        Assert.Empty(DiscordUpdates(bot));
        await bot.AdvanceAsync(Duration.FromMinutes(1));
        Assert.Equal(["3 members have voted so far."], DiscordUpdates(bot));
        await bot.AdvanceAsync(Duration.FromHours(3));
        Assert.Single(DiscordUpdates(bot));
        Assert.Contains(bot.Logs.Lines, l => l.Contains("went through on retry"));
        Assert.DoesNotContain(bot.Logs.Lines, l => l.Contains("voted so far")); // no message text in logs
    }

    [Fact]
    public async Task A_platform_still_down_at_the_first_retry_is_tried_again_later()
    {
        var (bot, group) = await BridgedAsync();
        await using var _ = bot;
        var outbound = bot.Get<IOutbound>();
        var posted = await outbound.PostToGroupAsync(group, BotReply.Say("Poll open"), CancellationToken.None);
        bot.Discord.Down = true;
        await outbound.UpdateAsync(posted, BotReply.Say("Poll closed: Sleep won"), CancellationToken.None);

        await bot.AdvanceAsync(Duration.FromSeconds(31)); // first retry, still down
        await bot.AdvanceAsync(Duration.FromSeconds(31)); // the second waits a minute
        Assert.Empty(DiscordUpdates(bot));
        bot.Discord.Down = false;
        await bot.AdvanceAsync(Duration.FromSeconds(31));
        Assert.Equal(["Poll closed: Sleep won"], DiscordUpdates(bot));
    }

    [Fact]
    public async Task A_newer_update_that_goes_through_cancels_the_queued_older_one()
    {
        var (bot, group) = await BridgedAsync();
        await using var _ = bot;
        var outbound = bot.Get<IOutbound>();
        var posted = await outbound.PostToGroupAsync(group, BotReply.Say("v1"), CancellationToken.None);
        bot.Discord.Down = true;
        await outbound.UpdateAsync(posted, BotReply.Say("v2"), CancellationToken.None);
        bot.Discord.Down = false;
        await outbound.UpdateAsync(posted, BotReply.Say("v3"), CancellationToken.None);

        await bot.AdvanceAsync(Duration.FromMinutes(5));
        Assert.Equal(["v3"], DiscordUpdates(bot)); // the stale v2 never overwrites v3
    }
}
