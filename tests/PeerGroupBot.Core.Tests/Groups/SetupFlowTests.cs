using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Groups;

public class SetupFlowTests
{
    [Fact]
    public async Task A_facilitator_starts_a_group_in_a_channel_and_is_listed()
    {
        await using var bot = new TestBot();
        var replies = await bot.SendAsync(Fran, "setup Tuesday Peers");

        var welcome = Assert.Single(replies);
        Assert.True(welcome.Visibility == ReplyVisibility.Channel, welcome.Text + string.Join("\n", bot.Logs.Lines));
        Assert.Equal(ReplyVisibility.Channel, welcome.Visibility);
        Assert.Contains("Tuesday Peers", welcome.Title);
        var group = await bot.GroupAsync();
        Assert.Equal("Tuesday Peers", group.Name);
        Assert.Equal("Europe/London", group.TimeZone);
        Assert.Contains(group.Facilitators, f => f.MemberId == Fran.MemberId);
        Assert.Single(group.MainChannels);
    }

    [Fact]
    public async Task A_member_cannot_start_or_change_a_group()
    {
        await using var bot = new TestBot();
        var refused = Assert.Single(await bot.SendAsync(Alex, "setup"));
        Assert.Contains("Only", refused.Text);
        await Assert.ThrowsAsync<InvalidOperationException>(() => bot.GroupAsync());

        await bot.SetupGroupAsync();
        var rename = Assert.Single(await bot.SendAsync(Alex, "setup name Hijacked"));
        Assert.Contains("Only facilitators", rename.Text);
        Assert.Equal("Tuesday Peers", (await bot.GroupAsync()).Name);
    }

    [Fact]
    public async Task Time_zone_is_checked_and_suggestions_are_offered()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();

        var bad = Assert.Single(await bot.SendAsync(Fran, "setup timezone London"));
        Assert.Contains("Europe/London", bad.Text);
        var good = Assert.Single(await bot.SendAsync(Fran, "setup timezone america/new_york"));
        Assert.Contains("America/New_York", good.Text);
        Assert.Equal("America/New_York", (await bot.GroupAsync()).TimeZone);
    }

    [Fact]
    public async Task A_listed_facilitator_gains_facilitator_commands()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();
        await bot.SendAsync(Fran, "setup facilitator add @Sam", new Mention(Sam.MemberId, Sam.DisplayName));

        var reply = Assert.Single(await bot.SendAsync(Sam, "setup name Sam's group"));
        Assert.Equal(ReplyTone.Success, reply.Tone);
        Assert.Equal("Sam's group", (await bot.GroupAsync()).Name);
    }

    [Fact]
    public async Task A_link_code_joins_a_second_channel_once_and_announces_it()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();
        var discordChannel = new Place("discord", "111", IsPrivate: false);
        var discordFacilitator = new Actor("discord:42", "Dee", IsPlatformFacilitator: true);

        var codeReply = Assert.Single(await bot.SendAsync(Fran, "setup link"));
        var code = System.Text.RegularExpressions.Regex.Match(codeReply.Text, @"\*\*([A-Z0-9]{8})\*\*").Groups[1].Value;
        var joined = Assert.Single(await bot.SendAsync(discordFacilitator, discordChannel, $"setup link {code}"));
        Assert.Contains("now part of", joined.Text);

        var group = await bot.GroupAsync(discordChannel);
        Assert.Equal((await bot.GroupAsync()).Id, group.Id);
        Assert.Equal(2, group.MainChannels.Count());
        Assert.Contains(bot.Playground.Posts, p => p.Reply.Text.Contains("Discord channel has joined"));

        var other = new Place("discord", "222", IsPrivate: false);
        var reused = Assert.Single(await bot.SendAsync(discordFacilitator, other, $"setup link {code}"));
        Assert.Contains("isn't valid", reused.Text);
    }

    [Fact]
    public async Task Link_codes_expire_after_fifteen_minutes()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();
        var codeReply = Assert.Single(await bot.SendAsync(Fran, "setup concerns"));
        var code = System.Text.RegularExpressions.Regex.Match(codeReply.Text, @"\*\*([A-Z0-9]{8})\*\*").Groups[1].Value;
        bot.Clock.Advance(NodaTime.Duration.FromMinutes(16));

        var reply = Assert.Single(await bot.SendAsync(Fran, StaffChannel, $"setup concerns {code}"));
        Assert.Contains("isn't valid", reply.Text);
        Assert.Empty((await bot.GroupAsync()).ConcernChannels);
    }
}
