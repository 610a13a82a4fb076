using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Rota;
using PeerGroupBot.Testing;
using static PeerGroupBot.Core.Tests.Rota.RotaTestKit;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Rota;

public class RotaFlowTests
{
    private const string FirstSession = "2026-11-05T18:00";
    private const string SecondSession = "2026-11-12T18:00";

    /// <summary>Two Thursdays, everyone answered so that each pick is plain to see (see the comments per member).</summary>
    private static async Task<(TestBot Bot, string PollId)> PollAndAnswerAsync()
    {
        var bot = WithThursdaySessions();
        await bot.SetupGroupAsync();
        await bot.SendAsync(Fran, "rota poll 2");
        var poll = PollId(bot);
        await MarkAsync(bot, Alex, poll, 0, "facilitator");
        await MarkAsync(bot, Alex, poll, 1, "facilitator", "welcomer");
        await MarkAsync(bot, Sam, poll, 0, "co-facilitator");
        await MarkAsync(bot, Sam, poll, 1, "facilitator");
        await MarkAsync(bot, Priya, poll, 0, "welcomer");
        await MarkAsync(bot, Priya, poll, 1, "co-facilitator", "note-taker");
        await MarkAsync(bot, Fran, poll, 0, "note-taker");
        return (bot, poll);
    }

    [Fact]
    public async Task A_facilitator_posts_a_poll_for_the_next_scheduled_sessions()
    {
        await using var bot = WithThursdaySessions();
        await bot.SetupGroupAsync();

        var reply = Assert.Single(await bot.SendAsync(Fran, "rota poll 3"));

        Assert.Equal(ReplyVisibility.Private, reply.Visibility);
        Assert.Contains("3 sessions", reply.Text);
        Assert.Contains("Thu 5 Nov, 09:00 GMT", reply.Text); // 72 hours after Monday 09:00
        var card = bot.Playground.Posts.Last().Reply;
        Assert.Contains("Thu 5 Nov, 18:00 GMT: 0 available", card.Text);
        Assert.Contains("Thu 19 Nov, 18:00 GMT", card.Text);
        Assert.DoesNotContain("26 Nov", card.Text);
        Assert.Contains("facilitator, co-facilitator, welcomer, note-taker", card.Text);
        Assert.Equal("Mark my availability", Assert.Single(card.Buttons).Label);
    }

    [Fact]
    public async Task Marking_availability_replies_privately_and_updates_the_posted_card()
    {
        await using var bot = WithThursdaySessions();
        await bot.SetupGroupAsync();
        await bot.SendAsync(Fran, "rota poll 2");
        var poll = PollId(bot);

        var page = Assert.Single(await bot.ClickAsync(Alex, $"rota:avail:{poll}"));
        Assert.Equal(ReplyVisibility.Private, page.Visibility);
        Assert.False(page.UpdatesSource);
        Assert.Equal(2, page.Selects.Count);
        Assert.All(page.Selects, s => Assert.Equal(Roles, s.Options.Select(o => o.Label)));
        Assert.All(page.Selects, s => Assert.Equal(0, s.MinValues));

        var saved = Assert.Single(await MarkAsync(bot, Alex, poll, 1, "welcomer", "note-taker"));
        Assert.True(saved.UpdatesSource);
        Assert.Equal(ReplyVisibility.Private, saved.Visibility);
        Assert.Contains("Saved: Thu 12 Nov, 18:00 GMT, welcomer, note-taker.", saved.Text);
        Assert.Contains("- Thu 5 Nov, 18:00 GMT: not this time", saved.Text);
        Assert.Equal(["welcomer", "note-taker"], saved.Selects[1].Options.Where(o => o.Selected).Select(o => o.Label));

        var update = bot.Playground.Updates.Last().Reply;
        Assert.Contains("Thu 12 Nov, 18:00 GMT: 1 available", update.Text);
        Assert.Contains("1 person has answered", update.Text);
        Assert.DoesNotContain("Alex", update.Text);
    }

    [Fact]
    public async Task Closing_assigns_only_available_members_and_says_why()
    {
        var (bot, _) = await PollAndAnswerAsync();
        await using var _bot = bot;

        var closed = Assert.Single(await bot.SendAsync(Fran, "rota close"));
        Assert.Contains("7 of 8 slots filled", closed.Text);

        var board = bot.Playground.Posts.Last().Reply;
        Assert.Equal("The rota is ready", board.Title);
        Assert.Contains("Thank you to the 4 people who answered", board.Text);
        Assert.Contains("- facilitator: **Alex** (the only one who said they could take it)", board.Text);
        // Alex could facilitate both weeks, but is the only one who offered to welcome in week two, so Sam facilitates.
        Assert.Contains("- facilitator: **Sam** (the only one left who could take it; others who could take it are needed for another role that session)", board.Text);
        // Priya was the only one for co-facilitator and note-taker in week two: she can't do both, and co-facilitator
        // comes first in the group's roles, so she co-facilitates (though note-taker is chosen first).
        Assert.Contains("- note-taker: *nobody yet* (everyone who could take it is needed for another role that session)", board.Text);
        Assert.Contains("- co-facilitator: **Priya** (the only one who said they could take it)", board.Text);
        Assert.Contains("1 slot needs someone", board.Text);
        Assert.Equal("closed", bot.Playground.Updates.Last().Reply.Title!.Split('(', ')')[1]);

        Assert.Equal(
            ["facilitator=Alex", "co-facilitator=Sam", "welcomer=Priya", "note-taker=Fran (facilitator)"],
            (await HoldersAsync(bot, FirstSession)).Select(h => $"{h.Role}={h.DisplayName}"));
        Assert.Equal(["facilitator=Sam", "co-facilitator=Priya", "welcomer=Alex"], (await HoldersAsync(bot, SecondSession)).Select(h => $"{h.Role}={h.DisplayName}"));
    }

    [Fact]
    public async Task Poll_then_swap_then_step_back_then_return()
    {
        var (bot, _) = await PollAndAnswerAsync();
        await using var _bot = bot;
        await bot.SendAsync(Fran, "rota close");

        // Alex holds the facilitator slot in week 1 and welcomer in week 2, so must say which.
        var which = Assert.Single(await bot.SendAsync(Alex, "rota swap @Fran", Mention(Fran)));
        Assert.Contains("more than one date", which.Text);
        Assert.Contains("1. Thu 5 Nov, 18:00 GMT (facilitator); 2. Thu 12 Nov, 18:00 GMT (welcomer)", which.Text);

        // Swap: Alex asks Fran to take week 2; Fran is asked privately and accepts.
        var asked = Assert.Single(await bot.SendAsync(Alex, "rota swap 2 @Fran (facilitator)", Mention(Fran)));
        Assert.Contains("asked Fran (facilitator) privately", asked.Text);
        var request = Assert.Single(bot.Playground.PrivatesTo(Fran.MemberId)).Reply;
        Assert.Contains("Alex asks if you could take their **welcomer** slot", request.Text);
        Assert.Equal(["I'll take it", "Not this time"], request.Buttons.Select(b => b.Label));
        var accepted = Assert.Single(await bot.ClickAsync(Fran, request.Buttons[0].ActionId, PrivateOf(Fran)));
        Assert.True(accepted.UpdatesSource);
        Assert.Contains("You're now the **welcomer** on **Thu 12 Nov, 18:00 GMT**", accepted.Text);
        Assert.Contains("**Fran (facilitator)** is now the welcomer on Thu 12 Nov, 18:00 GMT, taking over from Alex.", bot.Playground.Posts.Last().Reply.Text);
        Assert.Contains(bot.Playground.PrivatesTo(Alex.MemberId), p => p.Reply.Text.Contains("has taken your **welcomer** slot"));
        Assert.Contains((await HoldersAsync(bot, SecondSession)), h => h.Role == "welcomer" && h.MemberId == Fran.MemberId);

        // Step back: Sam's two slots are passed on fairly; the group hears only that slots moved.
        var postsBefore = bot.Playground.Posts.Count();
        var stepped = Assert.Single(await bot.SendAsync(Sam, "rota stepback"));
        Assert.Equal(ReplyVisibility.Private, stepped.Visibility);
        Assert.Contains("No reason needed", stepped.Text);
        // One slot found a taker; nobody else had offered to co-facilitate in week 1, and the reply says so plainly.
        Assert.Contains("1 of your upcoming slots has been passed on; nobody else had said they could take the other 1, so I've asked the group who can.", stepped.Text);
        Assert.Contains("Your name wasn't mentioned", stepped.Text);
        var moved = Assert.Single(bot.Playground.Posts.Skip(postsBefore)).Reply;
        Assert.Equal("Rota update", moved.Title);
        Assert.Contains("- co-facilitator, Thu 5 Nov, 18:00 GMT: open — could you take it?", moved.Text);
        Assert.Equal("I can be co-facilitator, Thu 5 Nov, 18:00 GMT", Assert.Single(moved.Buttons).Label);
        Assert.Contains("- facilitator, Thu 12 Nov, 18:00 GMT: now **Alex**", moved.Text);
        Assert.DoesNotContain("Sam", moved.Text);
        Assert.DoesNotContain("step", moved.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(bot.Playground.PrivatesTo(Alex.MemberId), p => p.Reply.Text.Contains("passed on to you: you're now the **facilitator**"));
        var week2 = (await RotaAsync(bot)).Find(SecondSession)!;
        Assert.Equal("also has this role in the session next to it, as nobody else could take it",
            week2.Slots.Single(s => s.Role == "facilitator").Reason.Split("; ")[1]);
        Assert.DoesNotContain(await HoldersAsync(bot, FirstSession), h => h.MemberId == Sam.MemberId);

        Assert.Contains("already stepped back", Assert.Single(await bot.SendAsync(Sam, "rota stepback")).Text);

        // The open slot is taken from the group's post: a stepped-back member or one with a role that session can't.
        var take = moved.Buttons[0].ActionId;
        Assert.Contains("You've stepped back", Assert.Single(await bot.ClickAsync(Sam, take)).Text);
        Assert.Contains("You're already the facilitator on Thu 5 Nov, 18:00 GMT", Assert.Single(await bot.ClickAsync(Alex, take)).Text);
        await bot.SendAsync(Jo, "help"); // Jo joins the group
        var took = Assert.Single(await bot.ClickAsync(Jo, take));
        Assert.Contains("You're now the **co-facilitator** on **Thu 5 Nov, 18:00 GMT**", took.Text);
        Assert.Contains("**Jo** is now the co-facilitator on Thu 5 Nov, 18:00 GMT.", bot.Playground.Posts.Last().Reply.Text);
        Assert.Contains(await HoldersAsync(bot, FirstSession), h => h.Role == "co-facilitator" && h.MemberId == Jo.MemberId);
        Assert.Contains("Someone has already taken", Assert.Single(await bot.ClickAsync(Priya, take)).Text);

        // Return: Sam can be given slots again from the next poll.
        var back = Assert.Single(await bot.SendAsync(Sam, "rota return"));
        Assert.Contains("Welcome back", back.Text);
        Assert.DoesNotContain(Sam.MemberId, (await RotaAsync(bot)).SteppedBack);
        Assert.Contains("not stepped back", Assert.Single(await bot.SendAsync(Sam, "rota return")).Text);
    }

    [Fact]
    public async Task A_declined_swap_leaves_the_slot_and_tells_the_asker_kindly()
    {
        var (bot, _) = await PollAndAnswerAsync();
        await using var _bot = bot;
        await bot.SendAsync(Fran, "rota close");

        await bot.SendAsync(Priya, "rota swap 1 @Alex", Mention(Alex)); // Alex already has a role in week 1
        Assert.Empty(bot.Playground.PrivatesTo(Alex.MemberId));
        await bot.SendAsync(Priya, "rota swap 2 @Fran", Mention(Fran));
        var request = Assert.Single(bot.Playground.PrivatesTo(Fran.MemberId)).Reply;

        var wrongPerson = Assert.Single(await bot.ClickAsync(Sam, request.Buttons[0].ActionId));
        Assert.Contains("only they can answer", wrongPerson.Text);

        var declined = Assert.Single(await bot.ClickAsync(Fran, request.Buttons[1].ActionId, PrivateOf(Fran)));
        Assert.Contains("I've let Priya know", declined.Text);
        Assert.Contains(bot.Playground.PrivatesTo(Priya.MemberId), p => p.Reply.Text.Contains("can't take your **co-facilitator** slot on **Thu 12 Nov, 18:00 GMT** this time, and that's fine"));
        Assert.Contains(await HoldersAsync(bot, SecondSession), h => h.Role == "co-facilitator" && h.MemberId == Priya.MemberId);

        var again = Assert.Single(await bot.ClickAsync(Fran, request.Buttons[0].ActionId, PrivateOf(Fran)));
        Assert.Contains("already been answered", again.Text);
        Assert.Contains(await HoldersAsync(bot, SecondSession), h => h.Role == "co-facilitator" && h.MemberId == Priya.MemberId);
    }

    [Fact]
    public async Task Swaps_that_are_not_yours_or_with_non_members_are_refused()
    {
        var (bot, _) = await PollAndAnswerAsync();
        await using var _bot = bot;
        await bot.SendAsync(Fran, "rota close");

        var notMember = Assert.Single(await bot.SendAsync(Sam, "rota swap 1 @Jo", Mention(Jo)));
        Assert.Contains("Jo isn't a member of this group", notMember.Text);

        var notYours = Assert.Single(await bot.SendAsync(Priya, "rota swap 3 @Sam", Mention(Sam)));
        Assert.Contains("can't find an upcoming session \"3\"", notYours.Text);

        await bot.SendAsync(Fran, "rota set 2 welcomer nobody");
        var otherSlot = Assert.Single(await bot.SendAsync(Alex, "rota swap 2 @Sam", Mention(Sam)));
        Assert.Contains("That slot isn't yours: you don't have a role on Thu 12 Nov, 18:00 GMT", otherSlot.Text);

        await bot.SendAsync(Jo, "help"); // Jo joins the group, but holds no slot
        var noSlot = Assert.Single(await bot.SendAsync(Jo, "rota swap 1 @Sam", Mention(Sam)));
        Assert.Contains("You don't have a slot", noSlot.Text);

        var self = Assert.Single(await bot.SendAsync(Alex, "rota swap 1 @Alex", Mention(Alex)));
        Assert.Contains("That's you", self.Text);
        var nobody = Assert.Single(await bot.SendAsync(Alex, "rota swap 1"));
        Assert.Contains("Name the one member", nobody.Text);

        Assert.DoesNotContain(bot.Playground.Privates, p => p.Reply.Title == "Could you take a rota slot?");
    }

    [Fact]
    public async Task Members_cannot_use_facilitator_commands()
    {
        var (bot, poll) = await PollAndAnswerAsync();
        await using var _bot = bot;
        var before = await bot.DumpStoreAsync();

        foreach (var command in new[] { "rota poll", "rota close", "rota set 1 facilitator @Sam", "rota roles tea, cake", "rota cap 1 in 4" })
        {
            var reply = Assert.Single(await bot.SendAsync(Alex, command, Mention(Sam)));
            Assert.StartsWith("Only facilitators can", reply.Text);
            Assert.Equal(ReplyVisibility.Private, reply.Visibility);
        }
        var form = Assert.Single(await bot.SubmitAsync(Alex, "rota:dates", new Dictionary<string, string> { ["dates"] = "2026-12-01" }));
        Assert.StartsWith("Only facilitators can", form.Text);

        Assert.Equal(before, await bot.DumpStoreAsync());
        Assert.Contains("facilitator, co-facilitator", Assert.Single(await bot.SendAsync(Alex, "rota roles")).Text);
    }

    [Fact]
    public async Task A_facilitator_can_override_any_slot_and_both_people_are_told()
    {
        var (bot, _) = await PollAndAnswerAsync();
        await using var _bot = bot;
        await bot.SendAsync(Fran, "rota close");

        var done = Assert.Single(await bot.SendAsync(Fran, "rota set 2 co-facilitator @Fran", Mention(Fran)));
        Assert.Contains("**Fran (facilitator)** is now the co-facilitator on Thu 12 Nov, 18:00 GMT.", done.Text);

        var set = Assert.Single(await bot.SendAsync(Fran, "rota set 1 Facilitator @Priya", Mention(Priya)));
        Assert.Contains("Priya is already the welcomer", set.Text);

        Assert.Contains("Done.", Assert.Single(await bot.SendAsync(Fran, "rota set 1 welc nobody")).Text);
        Assert.Contains("Done.", Assert.Single(await bot.SendAsync(Fran, "rota set 2026-11-05 facilitator @Priya", Mention(Priya))).Text);
        Assert.Contains(await HoldersAsync(bot, FirstSession), h => h.Role == "facilitator" && h.MemberId == Priya.MemberId);
        Assert.Contains(bot.Playground.PrivatesTo(Priya.MemberId), p => p.Reply.Text.Contains("has put you down as the **facilitator**"));
        Assert.Contains(bot.Playground.PrivatesTo(Alex.MemberId), p => p.Reply.Text.Contains("no longer the **facilitator**"));
        Assert.Equal("chosen by a facilitator", (await RotaAsync(bot)).Find(FirstSession)!.Slots[0].Reason);

        Assert.Contains("Which role?", Assert.Single(await bot.SendAsync(Fran, "rota set 1 juggler @Sam", Mention(Sam))).Text);
        Assert.Contains("isn't a member", Assert.Single(await bot.SendAsync(Fran, "rota set 1 welcomer @Jo", Mention(Jo))).Text);
    }

    [Fact]
    public async Task The_poll_closes_itself_at_its_deadline_and_once_only()
    {
        var (bot, _) = await PollAndAnswerAsync();
        await using var _bot = bot;

        await bot.AdvanceAsync(Duration.FromHours(71));
        Assert.DoesNotContain(bot.Playground.Posts, p => p.Reply.Title == "The rota is ready");
        await bot.AdvanceAsync(Duration.FromHours(1)); // Thu 5 Nov 09:00, 72 hours after the poll opened

        Assert.Single(bot.Playground.Posts, p => p.Reply.Title == "The rota is ready");
        Assert.Equal("Rota poll (closed)", bot.Playground.Updates.Last().Reply.Title);
        Assert.Equal(4, (await HoldersAsync(bot, FirstSession)).Count);
        Assert.Contains("no open rota poll", Assert.Single(await bot.SendAsync(Fran, "rota close")).Text);
        var late = Assert.Single(await MarkAsync(bot, Sam, PollId(bot), 0, "welcomer"));
        Assert.Contains("has closed", late.Text);
        Assert.Single(bot.Playground.Posts, p => p.Reply.Title == "The rota is ready");
    }

    [Fact]
    public async Task Without_a_schedule_the_facilitator_is_asked_for_dates()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();

        var form = Assert.Single(await bot.SendAsync(Fran, "rota poll"));
        Assert.NotNull(form.Form);
        Assert.Equal("rota:dates", form.Form!.ActionId);

        var bad = Assert.Single(await bot.SubmitAsync(Fran, "rota:dates", new Dictionary<string, string> { ["dates"] = "next tuesday" }));
        Assert.Contains("couldn't read \"next\" as a date", bad.Text);
        var past = Assert.Single(await bot.SendAsync(Fran, "rota poll 2026-10-01"));
        Assert.Contains("already passed", past.Text);
        var tooMany = Assert.Single(await bot.SendAsync(Fran, "rota poll " + string.Join(' ', Enumerable.Range(1, 13).Select(d => $"2026-12-{d:00}"))));
        Assert.Contains("up to 12 sessions", tooMany.Text);

        var ok = Assert.Single(await bot.SubmitAsync(Fran, "rota:dates", new Dictionary<string, string> { ["dates"] = "2026-12-08 18:30, 2026-12-01" }));
        Assert.Equal(ReplyTone.Success, ok.Tone);
        var card = bot.Playground.Posts.Last().Reply.Text;
        Assert.True(card.IndexOf("Tue 1 Dec:", StringComparison.Ordinal) < card.IndexOf("Tue 8 Dec, 18:30 GMT", StringComparison.Ordinal), card);

        var poll = PollId(bot);
        await AnyRoleEveryDateAsync(bot, Alex, poll);
        await bot.SendAsync(Fran, "rota close");
        // A session known only by date answers for any time that day, e.g. when the sessions feature later asks.
        Assert.Contains(await HoldersAsync(bot, "2026-12-01T19:00"), h => h.MemberId == Alex.MemberId);
        Assert.Contains(await HoldersAsync(bot, "2026-12-08T18:30"), h => h.MemberId == Alex.MemberId);
        Assert.Contains(await HoldersAsync(bot, "next"), h => h.MemberId == Alex.MemberId);

        var again = Assert.Single(await bot.SendAsync(Fran, "rota poll 2026-12-01"));
        Assert.Contains("already on the rota", again.Text);
    }

    [Fact]
    public async Task Only_one_poll_is_open_at_a_time_and_limits_are_explained()
    {
        await using var bot = WithThursdaySessions();
        await bot.SetupGroupAsync();
        Assert.Contains("1 to 12 sessions", Assert.Single(await bot.SendAsync(Fran, "rota poll 13")).Text);
        await bot.SendAsync(Fran, "rota poll 12");
        Assert.Contains("already open", Assert.Single(await bot.SendAsync(Fran, "rota poll 2")).Text);
        Assert.Single(bot.Playground.Posts, p => p.Reply.Title!.StartsWith("Rota poll", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Roles_can_be_changed_within_limits_and_the_next_poll_uses_them()
    {
        await using var bot = WithThursdaySessions();
        await bot.SetupGroupAsync();

        Assert.Contains("up to 8 roles", Assert.Single(await bot.SendAsync(Fran, "rota roles a, b, c, d, e, f, g, h, i")).Text);
        Assert.Contains("listed twice", Assert.Single(await bot.SendAsync(Fran, "rota roles tea, Tea")).Text);
        Assert.Contains("isn't one", Assert.Single(await bot.SendAsync(Fran, "rota roles tea:time")).Text);
        var set = Assert.Single(await bot.SendAsync(Fran, "rota roles Facilitator, Tea  maker"));
        Assert.Contains("**facilitator, tea maker**", set.Text);
        Assert.Contains("can't be paired", set.Text);

        await bot.SendAsync(Fran, "rota poll 1");
        var page = Assert.Single(await bot.ClickAsync(Sam, $"rota:avail:{PollId(bot)}"));
        Assert.Equal(["facilitator", "tea maker"], page.Selects.Single().Options.Select(o => o.Label));

        Assert.Contains("**facilitator, co-facilitator, welcomer, note-taker**", Assert.Single(await bot.SendAsync(Fran, "rota roles reset")).Text);
    }

    [Fact]
    public async Task The_load_cap_leaves_a_slot_empty_and_says_so()
    {
        await using var bot = WithThursdaySessions();
        await bot.SetupGroupAsync();
        Assert.Contains("fewer turns than sessions", Assert.Single(await bot.SendAsync(Fran, "rota cap 3 in 3")).Text);
        Assert.Contains("isn't one of the rota's roles", Assert.Single(await bot.SendAsync(Fran, "rota cap 1 in 3 juggler")).Text);
        var capped = Assert.Single(await bot.SendAsync(Fran, "rota cap 1 in 3 facilitator"));
        Assert.Contains("nobody will be given more than 1 turn as facilitator in 3 sessions", capped.Text);

        await bot.SendAsync(Fran, "rota poll 3");
        var poll = PollId(bot);
        for (var session = 0; session < 3; session++) await MarkAsync(bot, Alex, poll, session, "facilitator");
        var closed = Assert.Single(await bot.SendAsync(Fran, "rota close"));

        Assert.Contains("load cap left 2 slots empty", closed.Text);
        var board = bot.Playground.Posts.Last().Reply.Text;
        Assert.Contains("- facilitator: *nobody yet* (everyone who could take it has reached the group's limit of 1 turn as facilitator in 3 sessions)", board);
        Assert.Contains("The group's limit of 1 turn as facilitator in 3 sessions left 2 slots empty, so a facilitator can decide.", board);
        Assert.Single(bot.Playground.Posts.Last().Reply.Text.Split("**Alex**")[1..]);

        Assert.Contains("1 turn as facilitator in 3 sessions", Assert.Single(await bot.SendAsync(Sam, "rota cap")).Text);
        Assert.Contains("off", Assert.Single(await bot.SendAsync(Fran, "rota cap off")).Text);
    }

    [Fact]
    public async Task Stats_show_turns_per_member_and_how_even_they_are()
    {
        await using var bot = WithThursdaySessions();
        await bot.SetupGroupAsync();
        Assert.Contains("nothing on the rota yet", Assert.Single(await bot.SendAsync(Sam, "rota stats")).Text);

        await bot.SendAsync(Fran, "rota poll 3");
        var poll = PollId(bot);
        for (var session = 0; session < 3; session++) await MarkAsync(bot, Alex, poll, session, "facilitator", "welcomer");
        await bot.SendAsync(Fran, "rota close");

        var stats = Assert.Single(await bot.SendAsync(Sam, "rota stats"));
        Assert.Equal(ReplyVisibility.Private, stats.Visibility); // asked for, so private; a facilitator can post it
        Assert.Equal(ReplyVisibility.Channel, Assert.Single(await bot.SendAsync(Fran, "rota stats post")).Visibility);
        Assert.Contains("- Alex: 3", stats.Text);
        Assert.Contains("- Sam: 0", stats.Text);
        Assert.Contains("Not yet even: the spread is 3 (from 0 to 3 turns)", stats.Text);
        Assert.Contains("3 people have had the fewest", stats.Text);
    }

    [Fact]
    public async Task A_bridged_group_gets_the_poll_on_every_platform_and_every_copy_is_updated()
    {
        await using var bot = WithThursdaySessions();
        await bot.SetupGroupAsync();
        var codeReply = Assert.Single(await bot.SendAsync(Fran, "setup link"));
        var code = System.Text.RegularExpressions.Regex.Match(codeReply.Text, @"\*\*([A-Z0-9]{8})\*\*").Groups[1].Value;
        var discordChannel = new Place("discord", "111", IsPrivate: false);
        var dee = new Actor("discord:42", "Dee", IsPlatformFacilitator: true);
        await bot.SendAsync(dee, discordChannel, $"setup link {code}");

        await bot.SendAsync(Fran, "rota poll 2");
        var discordCard = Assert.Single(bot.Discord.Posts, p => p.Reply.Title!.StartsWith("Rota poll", StringComparison.Ordinal));
        var poll = PollId(bot);
        Assert.EndsWith(poll, discordCard.Reply.Buttons[0].ActionId);

        var member = new Actor("discord:77", "Kai");
        await bot.ClickAsync(member, $"rota:mark:{poll}:0", discordChannel, selected: ["1"]);
        Assert.Contains("Thu 5 Nov, 18:00 GMT: 1 available", bot.Discord.Updates.Last().Reply.Text);
        Assert.Contains("Thu 5 Nov, 18:00 GMT: 1 available", bot.Playground.Updates.Last().Reply.Text);

        await bot.SendAsync(dee, discordChannel, "rota close");
        Assert.Contains("co-facilitator: **Kai**", bot.Discord.Posts.Last().Reply.Text);
        Assert.Contains("co-facilitator: **Kai**", bot.Playground.Posts.Last().Reply.Text);
        Assert.Equal("Rota poll (closed)", bot.Discord.Updates.Last().Reply.Title);
    }

    [Fact]
    public async Task Poll_messages_fit_discord_component_limits_even_at_12_sessions_and_8_roles()
    {
        await using var bot = WithThursdaySessions();
        await bot.SetupGroupAsync();
        var roles = Enumerable.Range(1, 8).Select(i => $"a rather long role name no {i}").ToList();
        await bot.SendAsync(Fran, "rota roles " + string.Join(", ", roles));
        var discord = await LinkDiscordAsync(bot);
        await bot.SendAsync(Fran, "rota poll 12");
        var poll = PollId(bot);

        var kai = new Actor("discord:77", "Kai");
        var replies = new List<BotReply> { bot.Playground.Posts.Last().Reply };
        var page = Assert.Single(await bot.ClickAsync(kai, $"rota:avail:{poll}", discord));
        var seen = new HashSet<string>();
        while (true)
        {
            replies.Add(page);
            foreach (var select in page.Selects) seen.Add(select.ActionId);
            var later = page.Buttons.FirstOrDefault(b => b.Label.StartsWith("Later", StringComparison.Ordinal));
            if (later is null) break;
            page = Assert.Single(await bot.ClickAsync(kai, later.ActionId, discord));
        }
        replies.Add(Assert.Single(await bot.ClickAsync(kai, $"rota:all:{poll}:2", discord)));

        Assert.Equal(12, seen.Count);
        foreach (var reply in replies)
        {
            Assert.True(reply.Selects.Count + (reply.Buttons.Count + 4) / 5 <= 5, "at most 5 component rows");
            Assert.All(reply.Selects, s => Assert.InRange(s.Options.Count, 1, 25));
            Assert.All(reply.Selects, s => Assert.True(s.Placeholder.Length <= 150));
            Assert.All(reply.Selects.Select(s => s.ActionId).Concat(reply.Buttons.Select(b => b.ActionId)), id => Assert.True(id.Length <= 100, id));
            Assert.All(reply.Selects.SelectMany(s => s.Options), o => Assert.True(o.Label.Length <= 100));
        }
        Assert.Equal(12, bot.Playground.Updates.Last().Reply.Text.Split('\n').Count(l => l.EndsWith(": 1 available", StringComparison.Ordinal)));
        Assert.Contains("Saved: any role, every date", replies[^1].Text);
    }

    [Fact]
    public async Task Logs_hold_no_member_names_or_what_was_typed()
    {
        var (bot, _) = await PollAndAnswerAsync();
        await using var _bot = bot;
        await bot.SendAsync(Fran, "rota close");
        await bot.SendAsync(Alex, "rota swap 2 @Fran", Mention(Fran));
        await bot.SendAsync(Sam, "rota stepback");

        Assert.NotEmpty(bot.Logs.Lines);
        foreach (var line in bot.Logs.Lines)
        {
            foreach (var name in new[] { "Alex", "Sam", "Priya", "Fran", "playground:" })
                Assert.DoesNotContain(name, line);
        }
    }

    [Fact]
    public async Task A_member_who_stepped_back_is_not_given_slots_by_later_polls_until_they_return()
    {
        await using var bot = WithThursdaySessions();
        await bot.SetupGroupAsync();
        Assert.Contains("didn't have any upcoming slots", Assert.Single(await bot.SendAsync(Sam, "rota stepback")).Text);

        await bot.SendAsync(Fran, "rota poll 1");
        var poll = PollId(bot);
        var page = Assert.Single(await AnyRoleEveryDateAsync(bot, Sam, poll));
        Assert.Contains("You've stepped back from the rota", page.Text);
        Assert.Contains("- Thu 5 Nov, 18:00 GMT: any role", page.Text);
        await bot.SendAsync(Fran, "rota close");
        Assert.Empty(await HoldersAsync(bot, FirstSession));

        var back = Assert.Single(await bot.SendAsync(Sam, "rota return"));
        Assert.Contains("included from the next rota poll", back.Text);
        await bot.SendAsync(Fran, "rota poll 1");
        await AnyRoleEveryDateAsync(bot, Sam, PollId(bot));
        await bot.SendAsync(Fran, "rota close");
        Assert.Contains(await HoldersAsync(bot, SecondSession), h => h.MemberId == Sam.MemberId);
    }

    [Fact]
    public async Task A_swap_request_goes_to_the_channel_when_the_member_cannot_be_messaged_privately()
    {
        var (bot, _) = await PollAndAnswerAsync();
        await using var _bot = bot;
        await bot.SendAsync(Fran, "rota close");
        bot.Playground.Unreachable.Add(Fran.MemberId);

        var reply = Assert.Single(await bot.SendAsync(Priya, "rota swap 2 @Fran", Mention(Fran)));

        Assert.Contains("couldn't message Fran (facilitator) privately", reply.Text);
        var asked = bot.Playground.Posts.Last().Reply;
        Assert.Equal("Fran (facilitator), could you take a rota slot?", asked.Title);
        Assert.Contains("only they can answer", Assert.Single(await bot.ClickAsync(Sam, asked.Buttons[0].ActionId)).Text);
        Assert.Contains("You're now the **co-facilitator**", Assert.Single(await bot.ClickAsync(Fran, asked.Buttons[0].ActionId)).Text);
        Assert.Contains(await HoldersAsync(bot, SecondSession), h => h.Role == "co-facilitator" && h.MemberId == Fran.MemberId);
    }

    [Fact]
    public async Task Rota_show_answers_privately_a_facilitator_posts_it_and_one_session_can_be_shown_with_reasons()
    {
        var (bot, _) = await PollAndAnswerAsync();
        await using var _bot = bot;
        var duringPoll = Assert.Single(await bot.SendAsync(Sam, "rota"));
        Assert.Contains("nothing on the rota yet", duringPoll.Text);
        Assert.Contains("A rota poll is open until Thu 5 Nov, 09:00 GMT", duringPoll.Text);

        await bot.SendAsync(Fran, "rota close");
        var group = await bot.GroupAsync();
        Assert.Null(await bot.Documents.GetValueAsync<PeerGroupBot.Core.Scheduling.TimerDocument>(PeerGroupBot.Core.Scheduling.TimerDocument.KeyFor(group.Id, RotaPolls.TimerId)));

        var board = Assert.Single(await bot.SendAsync(Sam, "rota show"));
        Assert.Equal(ReplyVisibility.Private, board.Visibility);
        var posted = Assert.Single(await bot.SendAsync(Fran, "rota post"));
        Assert.Equal(ReplyVisibility.Channel, posted.Visibility);
        Assert.Equal(board.Text, posted.Text);
        Assert.Equal(ReplyVisibility.Channel, Assert.Single(await bot.SendAsync(Fran, "rota show 2 post")).Visibility);
        var memberPost = Assert.Single(await bot.SendAsync(Sam, "rota post"));
        Assert.Equal(ReplyVisibility.Private, memberPost.Visibility);
        Assert.StartsWith("Only facilitators post this to the group, so here is your own copy.", memberPost.Text);
        var fromPrivate = Assert.Single(await bot.SendAsync(Fran, PrivateOf(Fran), "rota post"));
        Assert.Equal(ReplyVisibility.Private, fromPrivate.Visibility);
        Assert.StartsWith("To show this to everyone, type the same command in the group's channel", fromPrivate.Text);
        Assert.Contains("**1. Thu 5 Nov, 18:00 GMT**", board.Text);
        Assert.Contains("**2. Thu 12 Nov, 18:00 GMT**", board.Text);
        Assert.DoesNotContain("rota poll is open", board.Text);

        var one = Assert.Single(await bot.SendAsync(Sam, "rota show 2"));
        Assert.Equal(ReplyVisibility.Private, one.Visibility);
        Assert.Contains("- welcomer: **Alex** (the only one who said they could take it)", one.Text);
        Assert.DoesNotContain("Thu 5 Nov", one.Text);
        Assert.Contains("no upcoming session \"9\"", Assert.Single(await bot.SendAsync(Sam, "rota show 9")).Text);

        // Once the first session has started it drops off the upcoming rota, and numbers move up.
        bot.Clock.Advance(Duration.FromDays(4));
        Assert.StartsWith("**1. Thu 12 Nov, 18:00 GMT**", Assert.Single(await bot.SendAsync(Sam, "rota show")).Text);
    }
}
