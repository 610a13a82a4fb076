using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Members;
using PeerGroupBot.Core.Rota;
using PeerGroupBot.Core.Tests.Sessions;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Members;

/// <summary>`me` settings, and private nudges that wait for quiet hours to end. The clock starts Monday 2 November 2026, 09:00 UK time (GMT).</summary>
public class QuietHoursAndNudgesTests
{
    private static Task<NudgeResult> NudgeAsync(TestBot bot, string groupId, Actor to, string text, NudgeKind kind = NudgeKind.RotaReminder, bool urgent = false)
        => bot.Get<INudges>().SendAsync(groupId, to.MemberId, BotReply.Private(text), kind, urgent, CancellationToken.None);

    [Fact]
    public async Task Members_set_and_see_their_own_quiet_hours_time_zone_and_nudges()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();

        var quiet = Assert.Single(await bot.SendAsync(Alex, "me quiet 22:00-08:00"));
        Assert.Equal(ReplyTone.Success, quiet.Tone);
        Assert.Equal(ReplyVisibility.Private, quiet.Visibility);
        Assert.Contains("22:00–08:00", quiet.Text);
        Assert.Contains("urgent safety messages are not held", quiet.Text);

        Assert.Contains("Australia/Sydney", Assert.Single(await bot.SendAsync(Alex, TestBot.PrivateOf(Alex), "me timezone australia/sydney")).Text);
        Assert.Equal(ReplyTone.Success, Assert.Single(await bot.SendAsync(Alex, "me nudges on")).Tone);

        var shown = Assert.Single(await bot.SendAsync(Alex, "me")).Text;
        Assert.Contains("**Quiet hours:** 22:00–08:00 (Australia/Sydney)", shown);
        Assert.Contains("**Private nudges:** on", shown);

        // Settings belong to Alex only.
        Assert.Contains("**Quiet hours:** none", Assert.Single(await bot.SendAsync(Sam, "me")).Text);

        Assert.Equal(ReplyTone.Warning, Assert.Single(await bot.SendAsync(Alex, "me quiet late")).Tone);
        Assert.Equal(ReplyTone.Warning, Assert.Single(await bot.SendAsync(Alex, "me quiet 22:00-22:00")).Tone);
        Assert.Contains("don't know the time zone", Assert.Single(await bot.SendAsync(Alex, "me timezone Mars/Olympus")).Text);
        Assert.Contains("me nudges on", Assert.Single(await bot.SendAsync(Alex, "me nudges maybe")).Text);
        Assert.Contains("**Quiet hours:** 22:00–08:00", Assert.Single(await bot.SendAsync(Alex, "me")).Text);

        Assert.Contains("Quiet hours are off", Assert.Single(await bot.SendAsync(Alex, "me quiet off")).Text);
        Assert.Contains("Europe/London", Assert.Single(await bot.SendAsync(Alex, "me timezone group")).Text);

        // Nothing stored under a member's id or name.
        var stored = await bot.DumpStoreAsync();
        Assert.DoesNotContain(stored.Where(d => d.Key.StartsWith("preferences/")), d => d.Key.Contains("alex") || d.Text.Contains("alex", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_nudge_in_quiet_hours_waits_until_they_end_and_is_stored_sealed()
    {
        await using var bot = new TestBot(start: Instant.FromUtc(2026, 11, 2, 23, 0)); // 23:00 GMT
        var group = await bot.SetupGroupAsync();
        await bot.SendAsync(Alex, "me quiet 22:00-08:00");

        var result = await NudgeAsync(bot, group.Id, Alex, "You're facilitating tomorrow, thank you!");
        Assert.Equal(NudgeOutcome.Held, result.Outcome);
        Assert.Equal(Instant.FromUtc(2026, 11, 3, 8, 0), result.ReleaseAt);
        Assert.Empty(bot.Playground.PrivatesTo(Alex.MemberId));

        // While held, nothing stored names Alex or holds the words.
        var held = (await bot.DumpStoreAsync()).Where(d => d.Key.Contains("/nudges/")).ToList();
        Assert.Single(held);
        Assert.DoesNotContain("playground:alex", held[0].Text);
        Assert.DoesNotContain("facilitating", held[0].Text);

        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 3, 7, 59, 59));
        Assert.Empty(bot.Playground.PrivatesTo(Alex.MemberId));
        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 3, 8, 0));
        Assert.Contains("facilitating tomorrow", Assert.Single(bot.Playground.PrivatesTo(Alex.MemberId)).Reply.Text);
        Assert.DoesNotContain(await bot.DumpStoreAsync(), d => d.Key.Contains("/nudges/"));

        // Outside quiet hours it goes at once.
        Assert.Equal(NudgeOutcome.Sent, (await NudgeAsync(bot, group.Id, Alex, "Daytime")).Outcome);
        Assert.Equal(2, bot.Playground.PrivatesTo(Alex.MemberId).Count());
    }

    [Fact]
    public async Task Erasing_a_member_deletes_only_their_held_messages()
    {
        await using var bot = new TestBot(start: Instant.FromUtc(2026, 11, 2, 23, 0));
        var group = await bot.SetupGroupAsync();
        await bot.SendAsync(Alex, "me quiet 22:00-08:00");
        await bot.SendAsync(Sam, "me quiet 22:00-08:00");
        await NudgeAsync(bot, group.Id, Alex, "For Alex, one");
        await NudgeAsync(bot, group.Id, Alex, "For Alex, two");
        await NudgeAsync(bot, group.Id, Sam, "For Sam");

        Assert.Equal(2, await bot.Get<PrivateNudges>().EraseMemberAsync(Alex.MemberId, CancellationToken.None));
        Assert.Single(await bot.DumpStoreAsync(), d => d.Key.Contains("/nudges/", StringComparison.Ordinal));
        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 3, 8, 0));
        Assert.Empty(bot.Playground.PrivatesTo(Alex.MemberId));
        Assert.Equal("For Sam", Assert.Single(bot.Playground.PrivatesTo(Sam.MemberId)).Reply.Text);
    }

    [Fact]
    public async Task An_urgent_message_is_never_held_and_ignores_the_nudge_setting()
    {
        await using var bot = new TestBot(start: Instant.FromUtc(2026, 11, 2, 23, 0));
        var group = await bot.SetupGroupAsync();
        await bot.SendAsync(Alex, "me quiet 22:00-08:00");
        await bot.SendAsync(Alex, "me nudges off");

        var result = await NudgeAsync(bot, group.Id, Alex, "If you are in danger now, call 999.", NudgeKind.Reply, urgent: true);
        Assert.Equal(NudgeOutcome.Sent, result.Outcome);
        Assert.Contains("999", Assert.Single(bot.Playground.PrivatesTo(Alex.MemberId)).Reply.Text);
        Assert.DoesNotContain(await bot.DumpStoreAsync(), d => d.Key.Contains("/nudges/"));
    }

    [Fact]
    public async Task Quiet_hours_follow_the_members_own_time_zone()
    {
        await using var bot = new TestBot(start: Instant.FromUtc(2026, 11, 2, 12, 0)); // noon in London, 23:00 in Sydney
        var group = await bot.SetupGroupAsync();
        await bot.SendAsync(Sam, "me quiet 22:00-08:00");
        Assert.Equal(NudgeOutcome.Sent, (await NudgeAsync(bot, group.Id, Sam, "noon in London")).Outcome);

        await bot.SendAsync(Sam, "me timezone Australia/Sydney");
        var held = await NudgeAsync(bot, group.Id, Sam, "night in Sydney");
        Assert.Equal(NudgeOutcome.Held, held.Outcome);
        Assert.Equal(Instant.FromUtc(2026, 11, 2, 21, 0), held.ReleaseAt); // 08:00 AEDT
        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 2, 21, 0));
        Assert.Contains("night in Sydney", bot.Playground.PrivatesTo(Sam.MemberId).Last().Reply.Text);
    }

    [Fact]
    public async Task Changing_quiet_hours_while_a_nudge_waits_moves_its_release()
    {
        await using var bot = new TestBot(start: Instant.FromUtc(2026, 11, 2, 23, 0));
        var group = await bot.SetupGroupAsync();
        await bot.SendAsync(Alex, "me quiet 22:00-08:00");
        await NudgeAsync(bot, group.Id, Alex, "Held for a lie-in");

        await bot.SendAsync(Alex, "me quiet 22:00-10:00");
        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 3, 9, 59));
        Assert.Empty(bot.Playground.PrivatesTo(Alex.MemberId));
        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 3, 10, 0));
        Assert.Single(bot.Playground.PrivatesTo(Alex.MemberId));
    }

    [Fact]
    public async Task Nudges_are_opt_in_except_rota_reminders_and_replies_always_arrive()
    {
        await using var bot = new TestBot();
        var group = await bot.SetupGroupAsync();

        Assert.Equal(NudgeOutcome.OptedOut, (await NudgeAsync(bot, group.Id, Priya, "Poll closes soon", NudgeKind.PollNudge)).Outcome);
        Assert.Equal(NudgeOutcome.Sent, (await NudgeAsync(bot, group.Id, Priya, "Rota", NudgeKind.RotaReminder)).Outcome);
        await bot.SendAsync(Priya, "me nudges on");
        Assert.Equal(NudgeOutcome.Sent, (await NudgeAsync(bot, group.Id, Priya, "Poll closes soon", NudgeKind.PollNudge)).Outcome);
        await bot.SendAsync(Priya, "me nudges off");
        Assert.Equal(NudgeOutcome.OptedOut, (await NudgeAsync(bot, group.Id, Priya, "Rota", NudgeKind.RotaReminder)).Outcome);
        Assert.Equal(NudgeOutcome.Sent, (await NudgeAsync(bot, group.Id, Priya, "A facilitator replied", NudgeKind.Reply)).Outcome);
        Assert.Equal(["Rota", "Poll closes soon", "A facilitator replied"], bot.Playground.PrivatesTo(Priya.MemberId).Select(p => p.Reply.Text));

        bot.Playground.Unreachable.Add(Jo.MemberId);
        Assert.Equal(NudgeOutcome.Unreachable, (await NudgeAsync(bot, group.Id, Jo, "Rota")).Outcome);
    }

    [Fact]
    public async Task A_rota_holders_session_nudge_waits_for_their_quiet_hours()
    {
        var features = new FakeFeatures();
        await using var bot = new TestBot(start: Instant.FromUtc(2026, 11, 2, 9, 0), configure: features.Register);
        await bot.SetupGroupAsync();
        await bot.SendAsync(Fran, "session schedule weekly tuesday 18:30");
        await bot.SendAsync(Fran, "session reminders 12h 1h"); // the first reminder comes Tuesday 06:30
        features.Rota["2026-11-03T18:30"] = [new RotaHolder("Note-taker", Alex.MemberId, "Alex"), new RotaHolder("Welcomer", Sam.MemberId, "Sam")];
        await bot.SendAsync(Alex, "me quiet 22:00-08:00");
        await bot.SendAsync(Sam, "me nudges off");

        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 3, 6, 30));
        Assert.Equal("Tuesday Peers: session today at 18:30 GMT", bot.Playground.Posts.Last().Reply.Title);
        Assert.Empty(bot.Playground.PrivatesTo(Alex.MemberId));
        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 3, 8, 0));
        Assert.Contains("**Note-taker**", Assert.Single(bot.Playground.PrivatesTo(Alex.MemberId)).Reply.Text);
        Assert.Empty(bot.Playground.PrivatesTo(Sam.MemberId));
    }

    [Fact]
    public void Quiet_hours_that_cross_midnight_and_those_that_do_not()
    {
        Assert.True(QuietHours.Contains(new LocalTime(22, 0), new LocalTime(8, 0), new LocalTime(23, 30)));
        Assert.True(QuietHours.Contains(new LocalTime(22, 0), new LocalTime(8, 0), new LocalTime(7, 59)));
        Assert.False(QuietHours.Contains(new LocalTime(22, 0), new LocalTime(8, 0), new LocalTime(8, 0)));
        Assert.True(QuietHours.Contains(new LocalTime(13, 0), new LocalTime(14, 0), new LocalTime(13, 0)));
        Assert.False(QuietHours.Contains(new LocalTime(13, 0), new LocalTime(14, 0), new LocalTime(12, 59)));
    }
}
