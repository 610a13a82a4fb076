using NodaTime;
using PeerGroupBot.Core.Checkouts;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Rota;
using PeerGroupBot.Testing;
using static PeerGroupBot.Core.Tests.Checkouts.CheckoutKit;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Checkouts;

/// <summary>The check-out as members and facilitators meet it: who is asked, when, how often, and what they can change.</summary>
public class CheckoutFlowTests
{
    [Fact]
    public async Task At_the_scheduled_end_members_who_said_going_or_held_a_role_get_one_private_checkout()
    {
        var (bot, features, groupId) = await TuesdayGroupAsync();
        await using var _ = bot;
        await GoingAsync(bot, Alex);
        await bot.ClickAsync(Priya, PeerGroupBot.Core.Sessions.SessionCards.RsvpActionId(FirstTuesday, PeerGroupBot.Core.Sessions.RsvpChoice.NotGoing));
        features.Rota[FirstTuesday] = [new RotaHolder("Facilitator", Sam.MemberId, "Sam"), new RotaHolder("Welcomer", Alex.MemberId, "Alex")];

        await bot.RunUntilAsync(FirstEnd - Duration.FromSeconds(1));
        Assert.Empty(Invitations(bot, Alex));
        Assert.Empty(ChannelInvitations(bot));

        await bot.RunUntilAsync(FirstEnd);
        var alex = Assert.Single(Invitations(bot, Alex)).Reply;
        Assert.Single(Invitations(bot, Sam));
        Assert.Empty(Invitations(bot, Priya));
        Assert.Empty(Invitations(bot, Jo));
        Assert.Equal(ReplyVisibility.Private, alex.Visibility);
        Assert.Contains("Tue 3 Nov, 18:30", alex.Text);
        Assert.Contains("optional", alex.Text);
        Assert.Contains("at least 3 members", alex.Text);
        Assert.Contains("Open until Thursday 5 November at 20:00", alex.Text);
        var button = Assert.Single(alex.Buttons);
        Assert.Equal($"checkout:open:{groupId}:{FirstTuesdayKey}", button.ActionId);

        // A scheduled end posts nothing in the channel (only `session end` does).
        Assert.Empty(ChannelInvitations(bot));

        // The button opens the form: the four default questions on a 1-5 scale, each optional, and a line (5 fields, a Discord modal's limit).
        var form = Assert.Single(await bot.ClickAsync(Priya, button.ActionId, PrivateOf(Priya))).Form!;
        Assert.Equal(["I felt listened to", "Members, not staff, shaped today's session", "I'd feel able to raise a concern", "I felt safe to be myself here", "Anything else? (optional)"],
            form.Fields.Select(f => f.Label));
        Assert.All(form.Fields.Take(4), f => Assert.Equal(["5", "4", "3", "2", "1"], f.Choices!.Select(c => c.Value)));
        Assert.All(form.Fields, f => Assert.False(f.Required));

        // The chain moves on to next week's end.
        var timer = await bot.Documents.GetValueAsync<PeerGroupBot.Core.Scheduling.TimerDocument>(PeerGroupBot.Core.Scheduling.TimerDocument.KeyFor(groupId, CheckoutOpener.ChainTimerId));
        Assert.Equal(Instant.FromUtc(2026, 11, 10, 20, 0), timer!.Due);
    }

    [Fact]
    public async Task Quiet_hours_hold_the_invitation_and_me_nudges_off_or_the_group_switch_stop_it()
    {
        var (bot, features, groupId) = await TuesdayGroupAsync();
        await using var _ = bot;
        await bot.SendAsync(Alex, PrivateOf(Alex), "me quiet 19:00-09:00");
        await bot.SendAsync(Sam, PrivateOf(Sam), "me nudges off");
        foreach (var who in new[] { Alex, Sam, Priya }) await GoingAsync(bot, who);

        await bot.RunUntilAsync(FirstEnd);
        Assert.Empty(Invitations(bot, Alex));
        Assert.Empty(Invitations(bot, Sam));
        Assert.Single(Invitations(bot, Priya));

        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 4, 9, 0));
        Assert.Single(Invitations(bot, Alex));
        Assert.Empty(Invitations(bot, Sam));

        // Off for the group: nothing after the next session, neither privately nor in the channel.
        var off = Assert.Single(await bot.SendAsync(Fran, "record checkout off"));
        Assert.Contains("Check-outs are off", off.Text);
        Assert.Contains("for facilitators", Assert.Single(await bot.SendAsync(Alex, "record checkout on")).Text);
        await GoingAsync(bot, Priya, "2026-11-10T18:30");
        bot.Playground.Clear();
        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 10, 21, 0));
        Assert.Empty(Invitations(bot, Priya));
        Assert.Empty(ChannelInvitations(bot));
        Assert.Null(await BoxAsync(bot, groupId, "2026-11-10t18-30"));
    }

    [Fact]
    public async Task Session_end_opens_it_at_once_even_without_a_schedule_and_only_once()
    {
        var (bot, _, groupId) = await TuesdayGroupAsync(schedule: false);
        await using var __ = bot;
        Assert.Contains("Only facilitators", Assert.Single(await bot.SendAsync(Alex, "session end")).Text);

        var ended = Assert.Single(await bot.SendAsync(Fran, "session end"));
        Assert.Equal(ReplyTone.Success, ended.Tone);
        Assert.Contains("0 members", ended.Text);
        var posted = Assert.Single(ChannelInvitations(bot)).Reply;
        Assert.Equal(ReplyVisibility.Channel, posted.Visibility);
        Assert.Contains("If you were there", posted.Text);
        var button = Assert.Single(posted.Buttons);
        var key = button.ActionId.Split(':')[3];
        Assert.Equal("2026-11-02t09-00", key); // Monday 2 November 09:00 UK time, when it was ended

        Assert.Contains("already open", Assert.Single(await bot.SendAsync(Fran, "session end")).Text);
        Assert.Single(ChannelInvitations(bot));

        // Typed `checkout` in the channel opens the same form.
        Assert.Equal(CheckoutCards.AnswerActionId(groupId, key), Assert.Single(await bot.SendAsync(Sam, "checkout")).Form!.ActionId);
    }

    [Fact]
    public async Task Session_end_during_a_scheduled_session_opens_its_checkout_early_and_the_scheduled_end_adds_nothing()
    {
        var (bot, _, groupId) = await TuesdayGroupAsync();
        await using var __ = bot;
        await GoingAsync(bot, Alex);
        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 3, 19, 40));
        var ended = Assert.Single(await bot.SendAsync(Fran, "session end"));
        Assert.Contains("1 member", ended.Text);
        Assert.Single(Invitations(bot, Alex));
        Assert.NotNull(await BoxAsync(bot, groupId));

        await bot.RunUntilAsync(FirstEnd + Duration.FromMinutes(5));
        Assert.Single(Invitations(bot, Alex));
        Assert.Single(ChannelInvitations(bot));
    }

    [Fact]
    public async Task Each_member_is_counted_once_and_answers_close_after_48_hours()
    {
        var (bot, _, groupId) = await TuesdayGroupAsync();
        await using var _ = bot;
        await bot.RunUntilAsync(FirstEnd);

        var sent = await AnswerAsync(bot, Alex, groupId, FirstTuesdayKey, [4, 3, null, 5]);
        Assert.Equal("Check-out sent anonymously", Assert.Single(sent).Title);
        Assert.Contains("already checked out", Assert.Single(await AnswerAsync(bot, Alex, groupId, FirstTuesdayKey, [1, 1, 1, 1])).Text);
        Assert.Contains("already checked out", Assert.Single(await bot.ClickAsync(Alex, CheckoutCards.OpenActionId(groupId, FirstTuesdayKey), PrivateOf(Alex))).Text);

        var box = (await BoxAsync(bot, groupId))!;
        Assert.Equal(1, box.Answers);
        Assert.Equal([[0, 0, 0, 1, 0], [0, 0, 1, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 1]], box.Counts);

        // Bad input is refused without keeping anything.
        Assert.Equal(ReplyTone.Warning, Assert.Single(await AnswerAsync(bot, Sam, groupId, FirstTuesdayKey, [6, 3])).Tone);
        Assert.Equal(ReplyTone.Warning, Assert.Single(await AnswerAsync(bot, Sam, groupId, FirstTuesdayKey, [3], new string('x', 501))).Tone);
        Assert.Contains("left everything blank", Assert.Single(await AnswerAsync(bot, Sam, groupId, FirstTuesdayKey, [null, null, null, null], "  ")).Text);
        Assert.Equal(1, (await BoxAsync(bot, groupId))!.Answers);
        Assert.Contains("couldn't match", Assert.Single(await bot.SubmitAsync(Sam, "checkout:answer:nosuchgroup:2026-11-03t18-30", new Dictionary<string, string>(), PrivateOf(Sam))).Text);
        Assert.Contains("finished", Assert.Single(await bot.ClickAsync(Sam, $"checkout:open:{groupId}:../../x", PrivateOf(Sam))).Text);

        await bot.RunUntilAsync(FirstEnd + Duration.FromHours(48) - Duration.FromSeconds(1));
        Assert.Equal("Check-out sent anonymously", Assert.Single(await AnswerAsync(bot, Sam, groupId, FirstTuesdayKey, [5])).Title);
        await bot.RunUntilAsync(FirstEnd + Duration.FromHours(48));
        Assert.Contains("has closed", Assert.Single(await AnswerAsync(bot, Priya, groupId, FirstTuesdayKey, [5])).Text);
        Assert.Contains("has closed", Assert.Single(await bot.ClickAsync(Priya, CheckoutCards.OpenActionId(groupId, FirstTuesdayKey), PrivateOf(Priya))).Text);
        var closed = (await BoxAsync(bot, groupId))!;
        Assert.True(closed.Closed);
        Assert.Equal(2, closed.Answers);
        Assert.Empty(closed.Answered);
    }

    [Fact]
    public async Task A_risk_phrase_in_the_line_gets_crisis_contacts_at_once_and_the_offer_of_a_concern()
    {
        var (bot, _, groupId) = await TuesdayGroupAsync();
        await using var _ = bot;
        await bot.RunUntilAsync(FirstEnd);
        var replies = await AnswerAsync(bot, Alex, groupId, FirstTuesdayKey, [2, 2, 2, 2], "Honestly some days I want to end it all");
        // The router's safety check holds the check-out and answers with the crisis contacts; nothing is counted yet.
        var support = Assert.Single(replies);
        Assert.Equal(ReplyTone.Urgent, support.Tone);
        Assert.Equal(ReplyVisibility.Private, support.Visibility);
        Assert.Contains("116 123", support.Text);
        Assert.Contains("not a clinician", support.Text);
        Assert.Contains(support.Buttons, b => b.ActionId.StartsWith("concern:held:", StringComparison.Ordinal));
        Assert.Contains(support.Buttons, b => b.ActionId == "concern:support");
        Assert.Equal(0, (await BoxAsync(bot, groupId))!.Answers);

        // Sending it as written counts it, once.
        var add = support.Buttons.Single(b => b.Label == "Add it as written");
        Assert.Equal("Check-out sent anonymously", (await bot.ClickAsync(Alex, add.ActionId, PrivateOf(Alex))).Last().Title);
        Assert.Equal(1, (await BoxAsync(bot, groupId))!.Answers);

        // A line without risk words gets no signposting.
        Assert.Single(await AnswerAsync(bot, Sam, groupId, FirstTuesdayKey, [4], "Nice to see everyone"));
    }

    [Fact]
    public async Task Facilitators_change_the_questions_within_limits_and_later_checkouts_use_them()
    {
        var (bot, _, groupId) = await TuesdayGroupAsync();
        await using var _ = bot;
        Assert.Contains("for facilitators", Assert.Single(await bot.SendAsync(Alex, "record checkout questions A b c | d e f")).Text);

        var shown = Assert.Single(await bot.SendAsync(Fran, "record checkout"));
        Assert.Contains("- I felt listened to", shown.Text);
        Assert.Contains("the defaults", shown.Text);

        Assert.Contains("1 to 4 questions", Assert.Single(await bot.SendAsync(Fran, "record checkout questions a1 | b22 | c33 | d44 | e55")).Text);
        Assert.Contains("3 to 45 characters", Assert.Single(await bot.SendAsync(Fran, "record checkout questions " + new string('q', 46))).Text);
        Assert.Contains("3 to 45 characters", Assert.Single(await bot.SendAsync(Fran, "record checkout questions ok | no")).Text);
        Assert.Contains("the same", Assert.Single(await bot.SendAsync(Fran, "record checkout questions We chose | we chose")).Text);
        Assert.Contains("isn't something I know", Assert.Single(await bot.SendAsync(Fran, "record checkout sometimes")).Text);

        var saved = Assert.Single(await bot.SendAsync(Fran, "record checkout questions I was heard | We chose the topics | I'd come back"));
        Assert.Equal(ReplyTone.Success, saved.Tone);
        Assert.Contains("- We chose the topics", saved.Text);

        await bot.RunUntilAsync(FirstEnd);
        var form = Assert.Single(await bot.ClickAsync(Sam, CheckoutCards.OpenActionId(groupId, FirstTuesdayKey), PrivateOf(Sam))).Form!;
        Assert.Equal(["I was heard", "We chose the topics", "I'd come back", "Anything else? (optional)"], form.Fields.Select(f => f.Label));

        // A change now applies from the next check-out; this one keeps its questions.
        await bot.SendAsync(Fran, "record checkout questions default");
        Assert.Equal(3, (await BoxAsync(bot, groupId))!.Questions.Count);
        Assert.Contains("the defaults", Assert.Single(await bot.SendAsync(Fran, "record checkout")).Text);
    }
}
