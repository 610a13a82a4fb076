using System.Text.RegularExpressions;
using NodaTime;
using PeerGroupBot.Core.Concerns;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Members;
using PeerGroupBot.Core.Security;
using PeerGroupBot.Core.State;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Concerns;

/// <summary>
/// Issue 17: the side channels an attacker would try (a facilitator watching, a member, a storage reader), each
/// numbered as in the issue. Every test searches what an attacker could see: stored documents and which were written
/// at the moment of a raise, logs, and every message sent.
/// </summary>
public class ConcernSideChannelTests
{
    private static async Task<BotReply> ReplyToAsync(TestBot bot, int number, string text)
    {
        var form = await bot.ClickCardAsync(Fran, number, "Reply");
        return Assert.Single(await bot.SubmitAsync(Fran, form.Form!.ActionId, new Dictionary<string, string> { ["text"] = text }, StaffChannel));
    }

    [Fact]
    public async Task Attack_1_a_held_reply_keeps_no_release_time_that_matches_the_reporters_quiet_hours()
    {
        // Monday 2 November 2026, 23:00 GMT: Jo's quiet hours (00:00–07:15) start within the hour.
        await using var bot = ConcernKit.NewBot(start: Instant.FromUtc(2026, 11, 2, 23, 0));
        var group = await bot.SetupWithConcernsChannelAsync();
        await bot.SendAsync(Jo, "help");
        await bot.SendAsync(Jo, PrivateOf(Jo), "me quiet 00:00-07:15");
        await bot.RaiseAsync(Jo, "The breaks are too short.", replies: true);
        await bot.PassDelayAsync();
        bot.Clock.Reset(Instant.FromUtc(2026, 11, 3, 1, 0));

        await ReplyToAsync(bot, 1, "Thank you, we'll lengthen them.");

        var dump = await bot.DumpStoreAsync();
        var held = Assert.Single(dump, d => d.Key.StartsWith($"groups/{group.Id}/nudges/", StringComparison.Ordinal));
        Assert.DoesNotContain("releaseAt", held.Text, StringComparison.OrdinalIgnoreCase);
        // Nothing stored holds 07:15 as a time of day except Jo's own preferences: the release timer is due on the next
        // whole hour. (07:15 after an hour, "23:07:15", is minutes and seconds: the random delay before a concern is posted.)
        var quietEnd = new Regex(@"(?<!\d:)07:15");
        Assert.Contains(dump, d => d.Key.StartsWith("preferences/", StringComparison.Ordinal) && quietEnd.IsMatch(d.Text));
        Assert.DoesNotContain(dump, d => !d.Key.StartsWith("preferences/", StringComparison.Ordinal) && (quietEnd.IsMatch(d.Text) || quietEnd.IsMatch(d.Key)));
        var timer = Assert.Single(dump, d => d.Key.StartsWith("timers/", StringComparison.Ordinal) && d.Text.Contains(PrivateNudges.TimerKind, StringComparison.Ordinal));
        Assert.Contains("2026-11-03T08:00:00Z", timer.Text);

        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 3, 7, 59));
        Assert.DoesNotContain(bot.Playground.PrivatesTo(Jo.MemberId), p => p.Reply.Title?.StartsWith("Reply from", StringComparison.Ordinal) == true);
        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 3, 8, 0));
        Assert.Contains("lengthen", Assert.Single(bot.Playground.PrivatesTo(Jo.MemberId), p => p.Reply.Title?.StartsWith("Reply from", StringComparison.Ordinal) == true).Reply.Text);
    }

    [Fact]
    public async Task Attack_2_an_erasure_changes_no_concern_card_and_a_later_reply_gets_the_usual_answer()
    {
        await using var bot = ConcernKit.NewBot();
        await bot.SetupWithConcernsChannelAsync();
        await bot.RaiseAsync(Priya, "Someone keeps talking over others.", replies: true);
        await bot.RaiseAsync(Sam, "The room is cold.", replies: true);
        await bot.PassDelayAsync();
        var before = bot.CurrentCard(1);
        var sentBefore = bot.Playground.Sent.Count;

        await bot.SendAsync(Priya, PrivateOf(Priya), "me erase");
        var confirm = Assert.Single(await bot.SendAsync(Priya, PrivateOf(Priya), "me erase"), r => r.Buttons.Count > 0 || r.Text.Length > 0);
        foreach (var button in confirm.Buttons.Where(b => b.ActionId.Contains("erase", StringComparison.Ordinal)).Take(1))
            await bot.ClickAsync(Priya, button.ActionId, PrivateOf(Priya));
        Assert.Null(await bot.Store.GetAsync(ConcernDelivery.KeyFor((await bot.GroupAsync()).Id, 1)));

        // Nothing the facilitators see changed at that moment.
        Assert.DoesNotContain(bot.Playground.Sent.Skip(sentBefore), s => s.Target == StaffChannel.ChannelId || s.Reply.Title?.StartsWith("Concern #", StringComparison.Ordinal) == true);
        Assert.Equal(before.Text, bot.CurrentCard(1).Text);
        Assert.Contains(bot.CurrentCard(1).Buttons, b => b.Label == "Reply");

        // A reply afterwards gets the same answer as one to a member who can be reached.
        var toPriya = await ReplyToAsync(bot, 1, "Thank you for raising this.");
        var toSam = await ReplyToAsync(bot, 2, "Thank you for raising this.");
        Assert.Equal(toSam.Text.Replace("#2", "#1"), toPriya.Text);
        Assert.Equal(toSam.Tone, toPriya.Tone);
    }

    [Fact]
    public async Task Attack_4_raising_a_concern_writes_nothing_about_the_member_and_only_coarse_times()
    {
        var store = new WriteLogStateStore(new InMemoryStateStore());
        await using var bot = ConcernKit.NewBot(store: store, start: Instant.FromUtc(2026, 11, 2, 9, 0) + Duration.FromMilliseconds(12_345));
        var group = await bot.SetupWithConcernsChannelAsync();
        var discordChannel = new Place("discord", "5550001", IsPrivate: false);
        var code = Regex.Match(Assert.Single(await bot.SendAsync(Fran, "setup link")).Text, @"\*\*([A-Z0-9]{8})\*\*").Groups[1].Value;
        await bot.SendAsync(new Actor("discord:42", "Dee", IsPlatformFacilitator: true), discordChannel, $"setup link {code}");
        var morgan = new Actor("discord:777000111", "Morgan");
        await bot.SendAsync(morgan, discordChannel, "help");
        bot.Clock.Advance(Duration.FromHours(5) + Duration.FromMilliseconds(777));
        var memberKey = bot.Directory.MemberKey(morgan.MemberId);

        // Morgan raises one privately, one from the group channel (the Discord modal), one by the form button on a card.
        store.Clear();
        await bot.RaiseAsync(morgan, "The meeting room has no step-free access.", replies: true);
        await bot.RaiseAsync(morgan, "I'd like quieter breaks.", replies: true, place: discordChannel);
        var written = store.Writes;
        Assert.NotEmpty(written);
        Assert.DoesNotContain(written, k => k.Contains(memberKey, StringComparison.Ordinal));
        Assert.DoesNotContain(written, k => k.StartsWith($"groups/{group.Id}/members/", StringComparison.Ordinal) || k.StartsWith("members/", StringComparison.Ordinal)
            || k.StartsWith("teams/", StringComparison.Ordinal) || k.StartsWith("preferences/", StringComparison.Ordinal));

        // The daily counter is named under a random key of the day: the pseudonym key alone can't test a member id.
        var day = bot.Clock.GetCurrentInstant().InUtc().Date.ToString("uuuu-MM-dd", null);
        var counter = Assert.Single(written.Distinct(), k => k.StartsWith(DailyLimit.Folder + day + "/", StringComparison.Ordinal) && !k.EndsWith("/key", StringComparison.Ordinal));
        Assert.NotEqual($"{DailyLimit.Folder}{day}/{bot.Get<KeyRing>().Hash($"concern-limit/{day}", morgan.MemberId)}", counter);
        Assert.Contains(written, k => k == $"{DailyLimit.Folder}{day}/key");

        // The roster says only the day Morgan was seen; the concerns carry whole minutes at most.
        await bot.PassDelayAsync();
        var dump = await bot.DumpStoreAsync();
        var roster = Assert.Single(dump, d => d.Key == GroupDirectory.MemberDocKey(group.Id, memberKey)).Text;
        Assert.Matches("\"lastSeen\":\"2026-11-02T00:00:00Z\"", roster);
        foreach (var concern in dump.Where(d => d.Key.StartsWith(ConcernDocument.Folder(group.Id), StringComparison.Ordinal)))
        {
            Assert.Contains("\"postedAt\"", concern.Text);
            foreach (Match time in Regex.Matches(concern.Text, "\"\\d{4}-\\d\\d-\\d\\dT[^\"]+\""))
                Assert.Matches("T\\d\\d:\\d\\d:00Z\"$", time.Value);
        }

        // A day later the day's key is gone with its counters.
        await bot.RunUntilAsync(bot.Clock.GetCurrentInstant() + Duration.FromDays(1));
        Assert.DoesNotContain(await bot.DumpStoreAsync(), d => d.Key.StartsWith(DailyLimit.Folder + day, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Attack_7_the_facilitator_sees_one_outcome_whether_the_reply_is_delivered_or_not()
    {
        await using var bot = ConcernKit.NewBot();
        await bot.SetupWithConcernsChannelAsync();
        await bot.RaiseAsync(Sam, "One.", replies: true);
        await bot.RaiseAsync(Alex, "Two.", replies: true);
        await bot.RaiseAsync(Priya, "Three.", replies: true);
        await bot.PassDelayAsync();
        bot.Playground.Unreachable.Add(Alex.MemberId);
        await bot.SendAsync(Priya, PrivateOf(Priya), "me quiet 00:00-23:59");

        var delivered = await ReplyToAsync(bot, 1, "Hello");
        var refused = await ReplyToAsync(bot, 2, "Hello");
        var held = await ReplyToAsync(bot, 3, "Hello");

        Assert.Equal(delivered.Text.Replace("#1", "#2"), refused.Text);
        Assert.Equal(delivered.Text.Replace("#1", "#3"), held.Text);
        Assert.All(new[] { delivered, refused, held }, r => Assert.Equal(ReplyTone.Success, r.Tone));
        Assert.Equal(3, bot.StaffPosts().Count(p => ConcernKit.IsCard(p.Reply, 1) || ConcernKit.IsCard(p.Reply, 2) || ConcernKit.IsCard(p.Reply, 3)));
        Assert.Equal(bot.CurrentCard(1).Buttons.Select(b => b.Label), bot.CurrentCard(2).Buttons.Select(b => b.Label));
    }

    [Fact]
    public async Task Attack_8_erasure_reaches_lead_and_facilitator_listings_in_every_group_and_export_names_them()
    {
        await using var bot = ConcernKit.NewBot();
        await bot.SetupWithConcernsChannelAsync();
        // A second group whose channel Priya never spoke in: she is listed there by a facilitator only.
        var other = new Place("playground", "other-channel", IsPrivate: false);
        await bot.SendAsync(Fran, other, "setup Thursday Carers");
        var otherGroup = await bot.GroupAsync(other);
        foreach (var command in new[] { "concern lead add @Priya", "setup facilitator add @Priya" })
            await bot.Router.HandleAsync(new BotInput { Actor = Fran, Place = other, Kind = InputKind.Message, Text = command, Mentions = [new Mention(Priya.MemberId, Priya.DisplayName)] }, CancellationToken.None);
        await bot.SendAsync(Fran, "concern lead add @Priya", new Mention(Priya.MemberId, Priya.DisplayName));
        Assert.True((await bot.Get<ConcernDesk>().SettingsAsync(otherGroup.Id, CancellationToken.None)).IsLead(Priya.MemberId));
        Assert.True((await bot.GroupAsync(other)).IsListedFacilitator(Priya.MemberId));
        await bot.RaiseAsync(Priya, "Something I saw.", replies: true);

        var export = await bot.Get<MemberData>().ExportAsync(Priya.MemberId, CancellationToken.None);
        Assert.Contains(export.Groups, g => g.GroupId == otherGroup.Id && g.SafeguardingLead && g.ListedFacilitator);
        Assert.Equal(1, export.ConcernsCountedToday);
        Assert.Equal(1, export.ConcernReplyRoutes);
        var text = MemberExportText.Export(export).Text;
        Assert.Contains("listed as a safeguarding lead", text);
        Assert.Contains("today's limit on concerns", text);
        Assert.Contains("1 sealed way back to you", text);

        var summary = await bot.Get<MemberData>().EraseAsync(Priya.MemberId, CancellationToken.None);
        Assert.Contains("safeguarding-lead listing (in every group)", MemberExportText.Erased(summary).Text);

        foreach (var group in new[] { await bot.GroupAsync(), await bot.GroupAsync(other) })
        {
            Assert.False((await bot.Get<ConcernDesk>().SettingsAsync(group.Id, CancellationToken.None)).IsLead(Priya.MemberId));
            Assert.False(group.IsListedFacilitator(Priya.MemberId));
        }
        Assert.DoesNotContain(await bot.DumpStoreAsync(), d => d.Text.Contains(Priya.MemberId, StringComparison.Ordinal));

        // An urgent concern afterwards alerts nobody by Priya's account.
        bot.Playground.Clear();
        await bot.RaiseAsync(Sam, "I want to end my life.", replies: false);
        Assert.Empty(bot.Playground.PrivatesTo(Priya.MemberId));
    }
}
