using NodaTime;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Sessions;

/// <summary>Reminders arrive at the right moments across clock changes, end to end through the flow and the timers.</summary>
public class SessionDaylightSavingTests
{
    [Fact]
    public async Task London_march_change_keeps_sessions_at_18_30_local()
    {
        await using var bot = new TestBot(start: Instant.FromUtc(2027, 3, 20, 9, 0)); // Saturday, GMT
        await bot.SetupGroupAsync();
        await bot.SendAsync(Fran, "session schedule weekly sunday 18:30");
        bot.Playground.Clear();

        await SessionReminderTests.AssertPostedAtAsync(bot, Instant.FromUtc(2027, 3, 20, 18, 30)); // Sat 18:30 GMT
        await SessionReminderTests.AssertPostedAtAsync(bot, Instant.FromUtc(2027, 3, 21, 17, 30)); // Sun 17:30 GMT
        var dayBefore = await SessionReminderTests.AssertPostedAtAsync(bot, Instant.FromUtc(2027, 3, 27, 18, 30)); // Sat 18:30 GMT
        Assert.Contains("Sunday 28 March, 18:30–20:30 BST", dayBefore.Reply.Text); // the session is after the change, though the reminder is before it
        await SessionReminderTests.AssertPostedAtAsync(bot, Instant.FromUtc(2027, 3, 28, 16, 30)); // Sun 17:30 BST
    }

    [Fact]
    public async Task London_october_change_keeps_sessions_at_18_30_local()
    {
        await using var bot = new TestBot(start: Instant.FromUtc(2026, 10, 17, 9, 0)); // Saturday, BST
        await bot.SetupGroupAsync();
        await bot.SendAsync(Fran, "session schedule weekly sunday 18:30");
        bot.Playground.Clear();

        await SessionReminderTests.AssertPostedAtAsync(bot, Instant.FromUtc(2026, 10, 17, 17, 30)); // Sat 18:30 BST
        await SessionReminderTests.AssertPostedAtAsync(bot, Instant.FromUtc(2026, 10, 18, 16, 30)); // Sun 17:30 BST
        await SessionReminderTests.AssertPostedAtAsync(bot, Instant.FromUtc(2026, 10, 24, 17, 30)); // Sat 18:30 BST
        var hourBefore = await SessionReminderTests.AssertPostedAtAsync(bot, Instant.FromUtc(2026, 10, 25, 17, 30)); // Sun 17:30 GMT
        Assert.Equal("Tuesday Peers: session starts in 1 hour", hourBefore.Reply.Title);
    }

    [Fact]
    public async Task New_York_group_follows_its_own_march_change()
    {
        await using var bot = new TestBot(start: Instant.FromUtc(2027, 3, 6, 12, 0));
        await bot.SetupGroupAsync(timeZone: "America/New_York");
        await bot.SendAsync(Fran, "session schedule weekly tuesday 6pm");
        bot.Playground.Clear();

        var first = await SessionReminderTests.AssertPostedAtAsync(bot, Instant.FromUtc(2027, 3, 8, 23, 0)); // Mon 18:00 EST
        Assert.Contains("Tuesday 9 March, 18:00–20:00 EST (America/New_York time)", first.Reply.Text);
        Assert.EndsWith("session tomorrow at 18:00 EST", first.Reply.Title);
        await SessionReminderTests.AssertPostedAtAsync(bot, Instant.FromUtc(2027, 3, 9, 22, 0)); // Tue 17:00 EST
        var afterChange = await SessionReminderTests.AssertPostedAtAsync(bot, Instant.FromUtc(2027, 3, 15, 22, 0)); // Mon 18:00 EDT
        Assert.Contains("Tuesday 16 March, 18:00–20:00 EDT (America/New_York time)", afterChange.Reply.Text);
        Assert.EndsWith("session tomorrow at 18:00 EDT", afterChange.Reply.Title);
        await SessionReminderTests.AssertPostedAtAsync(bot, Instant.FromUtc(2027, 3, 16, 21, 0)); // Tue 17:00 EDT
    }

    [Fact]
    public async Task Sydney_group_follows_the_southern_april_change()
    {
        await using var bot = new TestBot(start: Instant.FromUtc(2027, 3, 27, 0, 0));
        await bot.SetupGroupAsync(timeZone: "Australia/Sydney");
        await bot.SendAsync(Fran, "session schedule weekly monday 10:00");
        await bot.SendAsync(Fran, "session reminders 1h");
        bot.Playground.Clear();

        await SessionReminderTests.AssertPostedAtAsync(bot, Instant.FromUtc(2027, 3, 28, 22, 0)); // Mon 29 Mar 09:00 AEDT
        await SessionReminderTests.AssertPostedAtAsync(bot, Instant.FromUtc(2027, 4, 4, 23, 0)); // Mon 5 Apr 09:00 AEST
    }
}
