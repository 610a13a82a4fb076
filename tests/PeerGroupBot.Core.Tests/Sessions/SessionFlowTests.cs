using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Scheduling;
using PeerGroupBot.Core.Sessions;
using PeerGroupBot.Core.Time;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Sessions;

/// <summary>Setting, seeing and changing sessions, as members and facilitators would. The fake clock starts Monday 2 November 2026, 09:00 UK time.</summary>
public class SessionFlowTests
{
    private static async Task<TimerDocument?> ReminderTimerAsync(TestBot bot)
        => await bot.Documents.GetValueAsync<TimerDocument>(TimerDocument.KeyFor((await bot.GroupAsync()).Id, SessionReminders.TimerId));

    [Fact]
    public async Task A_facilitator_schedules_weekly_sessions_in_one_line_and_the_group_is_told()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();
        bot.Playground.Clear();

        var reply = Assert.Single(await bot.SendAsync(Fran, "session schedule weekly tuesday 18:30 90m \"Zoom link\""));
        Assert.Equal(ReplyTone.Success, reply.Tone);
        Assert.Equal(ReplyVisibility.Private, reply.Visibility);

        var announcement = Assert.Single(bot.Playground.Posts);
        Assert.Equal(Channel.ChannelId, announcement.Target);
        Assert.Contains("every Tuesday, 18:30–20:00 (Europe/London time, 90 minutes), at Zoom link", announcement.Reply.Text);
        Assert.Contains("Tuesday 3 November, 18:30–20:00 GMT", announcement.Reply.Text);
        Assert.Contains("24 hours and 1 hour before", announcement.Reply.Text);

        var next = Assert.Single(await bot.SendAsync(Alex, "session next"));
        Assert.Contains("Tuesday 3 November", next.Title);
        Assert.Contains("**When:** Tuesday 3 November, 18:30–20:00 GMT (Europe/London time)", next.Text);
        Assert.Contains("**Where:** Zoom link", next.Text);
        Assert.Contains("0 going · 0 maybe · 0 not going", next.Text);
        Assert.Equal(["Going", "Maybe", "Not going", "Raise a concern privately"], next.Buttons.Select(b => b.Label));

        // The first reminder is stored as a timer: 24 hours before, Monday 2 November 18:30 GMT.
        Assert.Equal(Instant.FromUtc(2026, 11, 2, 18, 30), (await ReminderTimerAsync(bot))!.Due);
    }

    [Fact]
    public async Task Schedule_with_no_arguments_offers_a_form_and_the_form_saves_a_fortnightly_schedule()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();

        var formReply = Assert.Single(await bot.SendAsync(Fran, "session schedule"));
        Assert.NotNull(formReply.Form);
        Assert.Equal("session:schedule", formReply.Form.ActionId);
        Assert.Equal(["repeat", "day", "time", "length", "place"], formReply.Form.Fields.Select(f => f.Id));
        Assert.Contains(formReply.Form.Fields[0].Choices!, c => c.Value == "monthly-last");

        var saved = Assert.Single(await bot.SubmitAsync(Fran, "session:schedule", new Dictionary<string, string>
        {
            ["repeat"] = "fortnightly", ["day"] = "thursday", ["time"] = "6pm", ["length"] = "2h", ["place"] = "Community centre, room 2",
        }));
        Assert.Equal(ReplyTone.Success, saved.Tone);

        var list = Assert.Single(await bot.SendAsync(Alex, "session list"));
        Assert.Contains("every other Thursday, 18:00–20:00 (Europe/London time, 2 hours), at Community centre, room 2", list.Text);
        Assert.Contains("- Thursday 5 November, 18:00–20:00 GMT", list.Text);
        Assert.Contains("- Thursday 19 November, 18:00–20:00 GMT", list.Text);
        Assert.DoesNotContain("12 November", list.Text);
        Assert.Empty(list.Buttons); // members don't get "Change schedule"

        // The form opens again pre-filled with what is stored.
        var again = Assert.Single(await bot.ClickAsync(Fran, "session:schedule"));
        Assert.Equal("fortnightly", again.Form!.Fields.Single(f => f.Id == "repeat").Value);
        Assert.Equal("18:00", again.Form.Fields.Single(f => f.Id == "time").Value);
    }

    [Fact]
    public async Task A_bad_form_gets_a_clear_message_and_changes_nothing()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();
        var reply = Assert.Single(await bot.SubmitAsync(Fran, "session:schedule", new Dictionary<string, string>
        {
            ["repeat"] = "weekly", ["day"] = "tuesday", ["time"] = "teatime", ["length"] = "", ["place"] = "",
        }));
        Assert.Equal(ReplyTone.Warning, reply.Tone);
        Assert.Contains("start time", reply.Text);
        Assert.Contains("Nothing was changed", reply.Text);
        Assert.Contains("No sessions are planned yet", Assert.Single(await bot.SendAsync(Alex, "session next")).Text);
    }

    [Fact]
    public async Task Monthly_schedules_on_the_nth_or_last_weekday_are_listed_correctly()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();

        await bot.SendAsync(Fran, "session schedule first tuesday 10:30 2h \"Room 4\"");
        var first = Assert.Single(await bot.SendAsync(Alex, "session list")).Text;
        Assert.Contains("the first Tuesday of each month, 10:30–12:30 (Europe/London time, 2 hours), at Room 4", first);
        Assert.Contains("- Tuesday 3 November, 10:30–12:30 GMT · Room 4", first);
        Assert.Contains("- Tuesday 1 December, 10:30–12:30 GMT · Room 4", first);
        Assert.Contains("- Tuesday 5 January, 10:30–12:30 GMT · Room 4", first);

        // Changing only the pattern keeps the length and place.
        await bot.SendAsync(Fran, "session schedule last friday 14:00");
        var last = Assert.Single(await bot.SendAsync(Alex, "session list")).Text;
        Assert.Contains("the last Friday of each month, 14:00–16:00 (Europe/London time, 2 hours), at Room 4", last);
        Assert.Contains("- Friday 27 November", last);
        Assert.Contains("- Friday 25 December", last);
    }

    [Fact]
    public async Task Members_cannot_change_sessions_and_unclear_input_says_what_to_type()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();

        foreach (var command in new[] { "session schedule weekly tuesday 18:30", "session add 2026-12-01 18:30", "session cancel 2026-11-03", "session reminders 2h" })
        {
            var refused = Assert.Single(await bot.SendAsync(Alex, command));
            Assert.Contains("Only facilitators", refused.Text);
        }
        Assert.Empty(await bot.DumpStoreAsync().ContinueWith(t => t.Result.Where(d => d.Key.Contains("/sessions/")).ToList()));

        var missing = Assert.Single(await bot.SendAsync(Fran, "session schedule tuesday"));
        Assert.Equal(ReplyTone.Warning, missing.Tone);
        Assert.Contains("session schedule weekly tuesday 18:30", missing.Text);

        var longPlace = Assert.Single(await bot.SendAsync(Fran, $"session schedule tuesday 18:30 \"{new string('x', 300)}\""));
        Assert.Contains("up to 200 characters", longPlace.Text);

        var unknown = Assert.Single(await bot.SendAsync(Alex, "session dance"));
        Assert.Contains("help session", unknown.Text);

        var help = Assert.Single(await bot.SendAsync(Fran, "help session"));
        Assert.Contains("session schedule weekly tuesday 18:30 90m", help.Text);
    }

    [Fact]
    public async Task A_one_off_session_is_added_announced_and_listed()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();
        await bot.SendAsync(Fran, "session schedule weekly tuesday 18:30 90m \"Zoom link\"");
        bot.Playground.Clear();

        var added = Assert.Single(await bot.SendAsync(Fran, "session add 2026-11-12 19:00 1h \"Library\""));
        Assert.Equal(ReplyTone.Success, added.Tone);
        Assert.Contains("Extra session: **Thursday 12 November, 19:00–20:00 GMT** (Europe/London time), at Library.", Assert.Single(bot.Playground.Posts).Reply.Text);

        var list = Assert.Single(await bot.SendAsync(Alex, "session list")).Text;
        Assert.Contains("- Thursday 12 November, 19:00–20:00 GMT · Library *(extra session)*", list);

        // No time given: the usual time, length and place.
        await bot.SendAsync(Fran, "session add 24 december");
        Assert.Contains("- Thursday 24 December, 18:30–20:00 GMT · Zoom link *(extra session)*", await AllAsync(bot));

        Assert.Contains("already passed", Assert.Single(await bot.SendAsync(Fran, "session add 2026-11-01 18:30")).Text);
        Assert.Contains("already a session", Assert.Single(await bot.SendAsync(Fran, "session add 2026-11-10 18:30")).Text);
        Assert.Contains("Give the date", Assert.Single(await bot.SendAsync(Fran, "session add whenever")).Text);
    }

    [Fact]
    public async Task A_session_that_overlaps_another_is_not_added_until_confirmed()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();
        await bot.SendAsync(Fran, "session schedule weekly tuesday 18:30 90m \"Zoom link\"");
        bot.Playground.Clear();

        var warned = Assert.Single(await bot.SendAsync(Fran, "session add 22 Dec 6pm"));

        Assert.Equal(ReplyTone.Warning, warned.Tone);
        Assert.Contains("That would overlap the session on **Tuesday 22 December, 18:30–20:00 GMT** (Europe/London time), so I haven't added it.", warned.Text);
        Assert.Contains("type `session add 22 Dec 6pm anyway`", warned.Text);
        Assert.Contains("`session cancel 2026-12-22` first", warned.Text);
        Assert.Empty(bot.Playground.Posts);
        Assert.DoesNotContain("extra session", await AllAsync(bot));

        var confirmed = Assert.Single(await bot.SendAsync(Fran, "session add 22 Dec 6pm anyway"));
        Assert.Equal(ReplyTone.Success, confirmed.Tone);
        Assert.Contains("- Tuesday 22 December, 18:00–19:30 GMT · Zoom link *(extra session)*", await AllAsync(bot));

        // A session that ends as the regular one starts does not overlap it.
        Assert.Equal(ReplyTone.Success, Assert.Single(await bot.SendAsync(Fran, "session add 2026-12-15 17:00 90m")).Tone);
    }

    private static async Task<string> AllAsync(TestBot bot)
    {
        var group = await bot.GroupAsync();
        var schedule = await bot.Get<SessionCalendar>().GetScheduleAsync(group.Id, CancellationToken.None);
        return string.Join("\n", SessionRecurrence.After(schedule, group.Zone, bot.Clock.GetCurrentInstant()).Take(12).Select(s => "- " + TimeMarks.Strip(SessionCards.Line(s, group.Zone))));
    }

    [Fact]
    public async Task Cancelling_a_date_tells_the_group_skips_it_and_restore_puts_it_back()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();
        await bot.SendAsync(Fran, "session schedule weekly tuesday 18:30 90m \"Zoom link\"");
        bot.Playground.Clear();

        var cancelled = Assert.Single(await bot.SendAsync(Fran, "session cancel next tuesday room unavailable"));
        Assert.Equal(ReplyTone.Success, cancelled.Tone);
        var notice = Assert.Single(bot.Playground.Posts).Reply;
        Assert.Contains("The session on **Tuesday 3 November, 18:30–20:00 GMT** is cancelled: room unavailable", notice.Text);
        Assert.Contains("The next session is **Tuesday 10 November, 18:30–20:00 GMT**.", notice.Text);

        Assert.Contains("Tuesday 10 November", Assert.Single(await bot.SendAsync(Alex, "session next")).Title);
        Assert.Contains("Tuesday 3 November, 18:30–20:00 GMT · Zoom link — **cancelled** (room unavailable)", Assert.Single(await bot.SendAsync(Alex, "session list")).Text);
        // The first reminder now belongs to the 10 November session.
        Assert.Equal(Instant.FromUtc(2026, 11, 9, 18, 30), (await ReminderTimerAsync(bot))!.Due);

        Assert.Contains("no session planned on Wednesday 4 November", Assert.Single(await bot.SendAsync(Fran, "session cancel 2026-11-04")).Text);

        bot.Playground.Clear();
        var restored = Assert.Single(await bot.SendAsync(Fran, "session restore 2026-11-03"));
        Assert.Equal(ReplyTone.Success, restored.Tone);
        Assert.Contains("is back on", Assert.Single(bot.Playground.Posts).Reply.Text);
        Assert.Contains("Tuesday 3 November", Assert.Single(await bot.SendAsync(Alex, "session next")).Title);
        Assert.Equal(Instant.FromUtc(2026, 11, 2, 18, 30), (await ReminderTimerAsync(bot))!.Due);
    }

    [Fact]
    public async Task Stopping_the_schedule_removes_the_reminder_timer()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();
        await bot.SendAsync(Fran, "session schedule weekly tuesday 18:30");
        Assert.NotNull(await ReminderTimerAsync(bot));

        Assert.Equal(ReplyTone.Success, Assert.Single(await bot.SendAsync(Fran, "session schedule off")).Tone);
        Assert.Null(await ReminderTimerAsync(bot));
        Assert.Contains("No sessions are planned yet", Assert.Single(await bot.SendAsync(Alex, "session next")).Text);
    }

    [Fact]
    public async Task The_calendar_answers_other_features_with_occurrence_ids()
    {
        await using var bot = new TestBot();
        var group = await bot.SetupGroupAsync();
        var calendar = bot.Get<ISessionCalendar>();
        Assert.True((await calendar.GetNextAsync(group, bot.Clock.GetCurrentInstant(), CancellationToken.None)).IsUndated);

        await bot.SendAsync(Fran, "session schedule weekly tuesday 18:30 90m");
        var next = await calendar.GetNextAsync(group, bot.Clock.GetCurrentInstant(), CancellationToken.None);
        Assert.Equal("2026-11-03T18:30", next.Id);
        Assert.Equal(Duration.FromMinutes(90), next.Length);
        var upcoming = await calendar.GetUpcomingAsync(group, bot.Clock.GetCurrentInstant(), 3, CancellationToken.None);
        Assert.Equal(["2026-11-03T18:30", "2026-11-10T18:30", "2026-11-17T18:30"], upcoming.Select(o => o.Id));
    }
}
