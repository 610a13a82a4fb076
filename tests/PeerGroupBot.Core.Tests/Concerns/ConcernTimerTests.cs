using NodaTime;
using PeerGroupBot.Core.Concerns;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Concerns;

public class ConcernTimerTests
{
    private static bool IsNudge(SentMessage message, int number)
        => message.Reply.Title?.StartsWith($"Concern #{number} (anonymous)", StringComparison.Ordinal) == true
           && message.Reply.Title.EndsWith("still needs acknowledging", StringComparison.Ordinal);

    [Fact]
    public async Task An_unacknowledged_concern_re_nudges_the_facilitators_until_acknowledged()
    {
        await using var bot = ConcernKit.NewBot();
        await bot.SetupWithConcernsChannelAsync();
        await bot.RaiseAsync(Sam, "Nobody answered my email.");
        await bot.PassDelayAsync();

        await bot.AdvanceAsync(Duration.FromHours(23));
        Assert.DoesNotContain(bot.StaffPosts(), p => IsNudge(p, 1));
        await bot.AdvanceAsync(Duration.FromHours(1));
        var nudge = Assert.Single(bot.StaffPosts(), p => IsNudge(p, 1));
        Assert.Contains("hasn't been acknowledged", nudge.Reply.Text);
        Assert.DoesNotContain("Nobody answered my email", nudge.Reply.Text);

        await bot.AdvanceAsync(Duration.FromHours(24));
        Assert.Equal(2, bot.StaffPosts().Count(p => IsNudge(p, 1)));

        var acknowledged = Assert.Single(await bot.ClickAsync(Fran, nudge.Reply.Button("Acknowledge").ActionId, StaffChannel, sourceMessageId: nudge.MessageId));
        Assert.Equal(ReplyVisibility.Private, acknowledged.Visibility);
        Assert.Contains("acknowledged", acknowledged.Text);
        Assert.Contains("acknowledged by", bot.CurrentCard(1).Text);
        await bot.AdvanceAsync(Duration.FromHours(24));
        await bot.AdvanceAsync(Duration.FromHours(24));
        Assert.Equal(2, bot.StaffPosts().Count(p => IsNudge(p, 1)));
    }

    [Fact]
    public async Task An_unacknowledged_urgent_concern_re_nudges_within_the_hour_and_alerts_the_lead()
    {
        await using var bot = ConcernKit.NewBot();
        await bot.SetupWithConcernsChannelAsync();
        await bot.SendAsync(Fran, "concern lead add @Priya", new Mention(Priya.MemberId, Priya.DisplayName));
        await bot.RaiseAsync(Sam, "Someone in the group said they are not safe at home.");
        Assert.Single(bot.Playground.PrivatesTo(Priya.MemberId));

        await bot.AdvanceAsync(Duration.FromMinutes(59));
        Assert.DoesNotContain(bot.StaffPosts(), p => IsNudge(p, 1));
        await bot.AdvanceAsync(Duration.FromMinutes(1));
        Assert.Equal(ReplyTone.Urgent, Assert.Single(bot.StaffPosts(), p => IsNudge(p, 1)).Reply.Tone);
        Assert.Equal(2, bot.Playground.PrivatesTo(Priya.MemberId).Count());
    }

    [Fact]
    public async Task The_lead_can_acknowledge_from_the_private_alert()
    {
        await using var bot = ConcernKit.NewBot();
        await bot.SetupWithConcernsChannelAsync();
        await bot.SendAsync(Fran, "concern lead add @Priya", new Mention(Priya.MemberId, Priya.DisplayName));
        await bot.RaiseAsync(Sam, "I might overdose tonight.");
        var alert = Assert.Single(bot.Playground.PrivatesTo(Priya.MemberId));

        var acknowledged = Assert.Single(await bot.ClickAsync(Priya, alert.Reply.Button("Acknowledge").ActionId, PrivateOf(Priya)));
        Assert.Contains("acknowledged by Priya", acknowledged.Text);
        Assert.Contains("acknowledged by Priya", bot.CurrentCard(1).Text);

        await bot.SendAsync(Fran, "concern lead remove @Priya", new Mention(Priya.MemberId, Priya.DisplayName));
        Assert.Contains("No safeguarding leads", Assert.Single(await bot.SendAsync(Fran, "concern lead")).Text);
    }

    [Fact]
    public async Task A_resolved_concern_is_deleted_after_the_retention_period_and_its_card_blanked()
    {
        await using var bot = ConcernKit.NewBot(o => o.RetentionDays = 30);
        var group = await bot.SetupWithConcernsChannelAsync();
        await bot.RaiseAsync(Sam, "A concern with a short life.");
        await bot.PassDelayAsync();
        await bot.ClickCardAsync(Fran, 1, "Resolve");
        var desk = bot.Get<ConcernDesk>();

        await bot.AdvanceAsync(Duration.FromDays(30) - Duration.FromMinutes(1));
        Assert.NotNull(await desk.GetAsync(group.Id, 1, CancellationToken.None));
        await bot.AdvanceAsync(Duration.FromMinutes(1));

        Assert.Null(await desk.GetAsync(group.Id, 1, CancellationToken.None));
        var card = bot.CardOf(1);
        var blanked = bot.Playground.Updates.Last(u => u.MessageId == card.MessageId).Reply;
        Assert.Equal("Concern #1 (deleted)", blanked.Title);
        Assert.DoesNotContain("short life", blanked.Text);
        Assert.DoesNotContain(await bot.DumpStoreAsync(), d => d.Text.Contains("short life") || d.Key.StartsWith($"groups/{group.Id}/concerns/items/", StringComparison.Ordinal)
            || d.Key.StartsWith($"groups/{group.Id}/concerns/delivery/", StringComparison.Ordinal)
            || d.Key.StartsWith($"timers/{group.Id}/concern-retention-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_open_concern_loses_its_reply_route_at_the_end_of_retention()
    {
        await using var bot = ConcernKit.NewBot(o => o.RetentionDays = 10);
        var group = await bot.SetupWithConcernsChannelAsync();
        await bot.RaiseAsync(Sam, "Still open after all this time.");
        await bot.PassDelayAsync();
        await bot.ClickCardAsync(Fran, 1, "Acknowledge");
        var posted = (await bot.Get<ConcernDesk>().GetAsync(group.Id, 1, CancellationToken.None))!.PostedAt!.Value;
        await bot.AdvanceAsync(posted + Duration.FromDays(10) - bot.Clock.GetCurrentInstant());

        Assert.Null(await bot.Store.GetAsync(ConcernDelivery.KeyFor(group.Id, 1)));
        Assert.Contains(bot.StaffPosts(), p => p.Reply.Title == "Concern #1 (anonymous): replies closed");
        var card = bot.CurrentCard(1);
        Assert.DoesNotContain(card.Buttons, b => b.Label == "Reply");
        Assert.Contains("closed: the route back to the member was deleted", card.Text);
        Assert.NotNull(await bot.Get<ConcernDesk>().GetAsync(group.Id, 1, CancellationToken.None));
    }

    [Fact]
    public async Task A_missed_post_timer_is_caught_up_by_the_nudge()
    {
        await using var bot = ConcernKit.NewBot();
        await bot.SetupWithConcernsChannelAsync();
        await bot.RaiseAsync(Sam, "Posted late rather than never.");

        // No instance ran for a day: the post timer is beyond the scheduler's grace window and is skipped.
        await bot.AdvanceAsync(Duration.FromHours(24));
        Assert.Empty(bot.StaffPosts());
        await bot.AdvanceAsync(Duration.FromMinutes(10));
        Assert.Contains("Posted late", bot.CardOf(1).Reply.Text);
        Assert.Contains(bot.StaffPosts(), p => IsNudge(p, 1));
    }

    [Fact]
    public async Task A_retention_timer_missed_while_no_instance_ran_is_caught_up_by_the_sweep()
    {
        await using var bot = ConcernKit.NewBot(o => o.RetentionDays = 30);
        var group = await bot.SetupWithConcernsChannelAsync();
        await bot.RaiseAsync(Sam, "Resolved long ago.");
        await bot.PassDelayAsync();
        await bot.ClickCardAsync(Fran, 1, "Resolve");

        await bot.AdvanceAsync(Duration.FromDays(31)); // far beyond the scheduler's grace window: the timer is skipped
        Assert.NotNull(await bot.Get<ConcernDesk>().GetAsync(group.Id, 1, CancellationToken.None));

        var list = Assert.Single(await bot.SendAsync(Fran, StaffChannel, "concern list"));
        Assert.Contains("no open concerns", list.Text);
        Assert.Null(await bot.Get<ConcernDesk>().GetAsync(group.Id, 1, CancellationToken.None));
    }
}
