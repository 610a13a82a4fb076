using System.Text.RegularExpressions;
using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Polls;
using PeerGroupBot.Core.Scheduling;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Polls;

public class PollFlowTests
{
    private const string ThreeTopics = "poll new \"What should we talk about next?\" Sleep | Boundaries | Holidays";

    [Fact]
    public async Task Opening_a_poll_in_one_line_posts_the_card_and_echoes_the_closing_time()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;

        var reply = Assert.Single(await bot.SendAsync(Alex, ThreeTopics + " closes friday 18:00"));

        Assert.Equal(ReplyVisibility.Private, reply.Visibility);
        Assert.Equal(ReplyTone.Success, reply.Tone);
        Assert.Contains("Poll #1 is open", reply.Text);
        Assert.Contains("Friday 6 November 2026, 18:00 GMT (Europe/London)", reply.Text);

        var card = Assert.Single(bot.Playground.Posts).Reply;
        Assert.Equal("Topic poll #1", card.Title);
        Assert.Contains("What should we talk about next?", card.Text);
        Assert.Contains("closes Friday 6 November 2026, 18:00 GMT (Europe/London)", card.Text);
        Assert.Equal(["1. Sleep", "2. Boundaries", "3. Holidays", "Withdraw my vote"], card.Buttons.Select(b => b.Label));
        Assert.All(card.Buttons, b => Assert.True(b.ActionId.Length <= 100));

        var poll = await bot.PollAsync("1");
        Assert.Equal(PollPhase.Voting, poll.Phase);
        Assert.Single(poll.Card.Copies);
        var timer = await bot.Documents.GetValueAsync<TimerDocument>(TimerDocument.KeyFor(poll.GroupId, PollCloser.TimerId("1")));
        Assert.Equal(poll.ClosesAt, timer!.Due);
        Assert.Equal(PollCloser.TimerKind, timer.Kind);
    }

    [Fact]
    public async Task Poll_new_alone_shows_a_form_and_submitting_it_opens_the_poll()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;

        var formReply = Assert.Single(await bot.SendAsync(Sam, "poll new"));
        var form = formReply.Form!;
        Assert.Equal("poll:new", form.ActionId);
        Assert.Equal(["question", "options", "mode", "anonymous", "closes"], form.Fields.Select(f => f.Id));
        Assert.All(form.Fields, f => Assert.True(f.Label.Length <= 45, f.Label)); // Discord modal label limit

        var opened = Assert.Single(await bot.SubmitAsync(Sam, form.ActionId, new Dictionary<string, string>
        {
            ["question"] = "Which topics for spring?",
            ["options"] = "Sleep\nBoundaries\nHolidays\nHobbies",
            ["mode"] = "ranked",
            ["anonymous"] = "yes",
            ["closes"] = "in 3 days",
        }));
        Assert.Contains("Thursday 5 November 2026, 09:00 GMT", opened.Text);
        var card = Assert.Single(bot.Playground.Posts).Reply;
        Assert.Contains("Ranked", card.Text);
        Assert.Contains(card.Buttons, b => b.Label == "Rank my choices");
    }

    [Fact]
    public async Task A_form_with_a_problem_says_what_and_offers_the_form_again()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;

        var reply = Assert.Single(await bot.SubmitAsync(Sam, "poll:new", new Dictionary<string, string> { ["question"] = "Q?", ["options"] = "Only one" }));

        Assert.Equal(ReplyTone.Warning, reply.Tone);
        Assert.Contains("at least 2 options", reply.Text);
        Assert.Equal("poll:form", Assert.Single(reply.Buttons).ActionId);
        Assert.NotNull(Assert.Single(await bot.ClickAsync(Sam, "poll:form")).Form);
        Assert.Empty(bot.Playground.Posts);
    }

    [Fact]
    public async Task When_the_group_says_so_only_facilitators_open_polls()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;
        await bot.SendAsync(Fran, "setup polls facilitators");

        var refused = Assert.Single(await bot.SendAsync(Alex, ThreeTopics));
        Assert.Contains("only facilitators open topic polls", refused.Text);
        Assert.Contains("only facilitators", Assert.Single(await bot.SendAsync(Alex, "poll new")).Text);
        Assert.DoesNotContain(bot.Playground.Posts, p => p.Reply.Title?.StartsWith("Topic poll") == true);

        Assert.Contains("Poll #1 is open", Assert.Single(await bot.SendAsync(Fran, ThreeTopics)).Text);
    }

    [Theory]
    [InlineData("poll new \"Q?\" A | B closes 2026-10-01", "already passed")]
    [InlineData("poll new \"Q?\" A | B closes 1/12", "day/month")]
    [InlineData("poll new \"Q?\" A | B closes 2030-01-01", "up to 365 days")]
    [InlineData("poll new \"Q?\" A", "at least 2 options")]
    [InlineData("poll new \"Q?\" A | a ", "are the same")]
    public async Task Bad_polls_get_a_clear_message_and_nothing_is_opened(string command, string expected)
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;

        var reply = Assert.Single(await bot.SendAsync(Alex, command));

        Assert.Equal(ReplyTone.Warning, reply.Tone);
        Assert.Contains(expected, reply.Text);
        Assert.Contains("Nothing was opened", reply.Text);
        Assert.Empty(bot.Playground.Posts);
        Assert.DoesNotContain(await bot.DumpStoreAsync(), d => d.Key.Contains("/polls/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Limits_on_length_and_count_are_stated()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;

        Assert.Contains("up to 300", Assert.Single(await bot.SendAsync(Alex, $"poll new \"{new string('q', 301)}\" A | B")).Text);
        Assert.Contains("up to 100", Assert.Single(await bot.SendAsync(Alex, $"poll new \"Q?\" A | {new string('b', 101)}")).Text);
        Assert.Contains("up to 20", Assert.Single(await bot.SendAsync(Alex, "poll new \"Q?\" " + string.Join(" | ", Enumerable.Range(1, 21).Select(i => $"T{i}")))).Text);

        Assert.Contains("Poll #1 is open", Assert.Single(await bot.SendAsync(Alex, "poll new \"Q?\" " + string.Join(" | ", Enumerable.Range(1, 20).Select(i => $"T{i}")))).Text);
        var card = bot.Playground.PostedCard("1").Reply;
        var select = Assert.Single(card.Selects); // 20 options: a select, not 20 buttons
        Assert.Equal(20, select.Options.Count);
        Assert.Equal(1, select.MaxValues);
        Assert.Equal(["Withdraw my vote"], card.Buttons.Select(b => b.Label));
    }

    [Fact]
    public async Task A_click_votes_replaces_the_clicked_card_and_confirms_privately()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;
        await bot.SendAsync(Alex, ThreeTopics);

        var replies = await bot.ClickOnCardAsync(Sam, "poll:vote:1:2", "1");

        Assert.Equal(2, replies.Count);
        Assert.True(replies[0].UpdatesSource);
        Assert.Equal(ReplyVisibility.Channel, replies[0].Visibility);
        Assert.Contains("1 member has voted so far", replies[0].Text);
        Assert.Equal(ReplyVisibility.Private, replies[1].Visibility);
        Assert.Contains("your vote on poll #1 is in: **Boundaries**", replies[1].Text);
        Assert.Empty(bot.Playground.Updates); // the only copy was the clicked one
    }

    [Fact]
    public async Task In_a_bridged_group_a_vote_updates_every_other_copy_but_not_the_clicked_one()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;
        var discordChannel = new Place("discord", "555", IsPrivate: false);
        var dee = new Actor("discord:42", "Dee", IsPlatformFacilitator: true);
        var code = Regex.Match(Assert.Single(await bot.SendAsync(Fran, "setup link")).Text, @"\*\*([A-Z0-9]{8})\*\*").Groups[1].Value;
        await bot.SendAsync(dee, discordChannel, $"setup link {code}");
        await bot.SendAsync(Alex, ThreeTopics);

        var discordCard = Assert.Single(bot.Discord.Posts, p => p.Reply.Title == "Topic poll #1");
        var replies = await bot.ClickAsync(dee, "poll:vote:1:3", discordChannel, sourceMessageId: discordCard.MessageId);

        Assert.True(replies[0].UpdatesSource);
        Assert.Empty(bot.Discord.Updates);
        var playgroundUpdate = Assert.Single(bot.Playground.Updates);
        Assert.Equal(bot.Playground.PostedCard("1").MessageId, playgroundUpdate.MessageId);
        Assert.Contains("1 member has voted so far", playgroundUpdate.Reply.Text);

        // A typed vote has no card to replace: every copy is updated.
        await bot.SendAsync(Sam, PrivateOf(Sam), "poll vote 1");
        Assert.Single(bot.Discord.Updates);
        Assert.Equal(2, bot.Playground.Updates.Count());
    }

    [Fact]
    public async Task Changing_and_withdrawing_a_vote_moves_and_removes_it()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;
        await bot.SendAsync(Alex, ThreeTopics + " anonymous no");

        await bot.ClickOnCardAsync(Sam, "poll:vote:1:1", "1");
        await bot.ClickOnCardAsync(Priya, "poll:vote:1:1", "1");
        var changed = await bot.ClickOnCardAsync(Sam, "poll:vote:1:2", "1");

        Assert.Contains("now **Boundaries** (it was Sleep)", changed[1].Text);
        Assert.Matches(@"\*\*1\. Sleep\*\*\n`█{5}░{5}` 1 vote \(50%\) — Priya", changed[0].Text);
        Assert.Matches(@"\*\*2\. Boundaries\*\*\n`█{5}░{5}` 1 vote \(50%\) — Sam", changed[0].Text);

        var withdrawn = await bot.ClickOnCardAsync(Sam, "poll:withdraw:1", "1");
        Assert.Contains("withdrawn", withdrawn[1].Text);
        Assert.Contains("1 member has voted so far", withdrawn[0].Text);
        Assert.DoesNotContain("Sam", withdrawn[0].Text);
        Assert.Equal(1, await bot.BallotCountAsync("1"));

        var again = Assert.Single(await bot.ClickOnCardAsync(Sam, "poll:withdraw:1", "1"));
        Assert.Contains("nothing to withdraw", again.Text);
    }

    [Fact]
    public async Task A_double_click_counts_once()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;
        await bot.SendAsync(Alex, ThreeTopics);

        await bot.ClickOnCardAsync(Sam, "poll:vote:1:1", "1");
        var second = await bot.ClickOnCardAsync(Sam, "poll:vote:1:1", "1");

        Assert.Contains("already voted **Sleep**", second[1].Text);
        Assert.Contains("1 member has voted so far", second[0].Text);
        Assert.Equal(1, await bot.BallotCountAsync("1"));
    }

    [Fact]
    public async Task Approval_votes_come_from_a_select_and_count_every_choice()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;
        await bot.SendAsync(Alex, ThreeTopics + " mode approval anonymous no");
        var select = Assert.Single(bot.Playground.PostedCard("1").Reply.Selects);
        Assert.Equal(3, select.MaxValues);

        await bot.ClickOnCardAsync(Sam, select.ActionId, "1", ["1", "3"]);
        var replies = await bot.ClickOnCardAsync(Priya, select.ActionId, "1", ["3"]);

        Assert.Contains("`██████████` 2 approvals (100%) — Priya, Sam", replies[0].Text);
        Assert.Contains("`█████░░░░░` 1 approval (50%) — Sam", replies[0].Text);
        Assert.Contains("Sleep and Holidays", (await bot.ClickOnCardAsync(Sam, select.ActionId, "1", ["1", "3"]))[1].Text);
    }

    [Fact]
    public async Task Typed_votes_work_in_every_mode_and_bad_numbers_are_explained()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;
        await bot.SendAsync(Alex, ThreeTopics);
        await bot.SendAsync(Alex, "poll new \"Approve?\" A | B | C mode approval");
        await bot.SendAsync(Alex, "poll new \"Rank?\" A | B | C mode ranked");

        Assert.Contains("There are 3 polls this could mean: #1 What should we talk about next?; #2 Approve?; #3 Rank?", Assert.Single(await bot.SendAsync(Sam, PrivateOf(Sam), "poll vote 2")).Text);
        Assert.Contains("**Boundaries**", (await bot.SendAsync(Sam, PrivateOf(Sam), "poll vote #1 2")).Seen());
        Assert.Contains("**A and C**", (await bot.SendAsync(Sam, PrivateOf(Sam), "poll vote #2 1, 3")).Seen());
        Assert.Contains("**C > A**", (await bot.SendAsync(Sam, PrivateOf(Sam), "poll vote 3 3 > 1")).Seen());

        Assert.Contains("has no option 7", Assert.Single(await bot.SendAsync(Sam, PrivateOf(Sam), "poll vote #1 7")).Text);
        Assert.Contains("single choice, so pick one", Assert.Single(await bot.SendAsync(Sam, PrivateOf(Sam), "poll vote #1 1 2")).Text);
        Assert.Contains("only once", Assert.Single(await bot.SendAsync(Sam, PrivateOf(Sam), "poll vote #3 1 1")).Text);
        Assert.Contains("option numbers", Assert.Single(await bot.SendAsync(Sam, PrivateOf(Sam), "poll vote #1 sleep")).Text);
    }

    [Fact]
    public async Task Voting_on_an_unknown_or_closed_poll_gets_a_clear_answer()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;
        await bot.SendAsync(Alex, ThreeTopics);

        Assert.Contains("can't find poll #9", Assert.Single(await bot.ClickAsync(Sam, "poll:vote:9:1")).Text);
        Assert.Contains("can't find poll #x", Assert.Single(await bot.ClickAsync(Sam, "poll:vote:x:1")).Text);
        Assert.Contains("has no option 4", Assert.Single(await bot.ClickOnCardAsync(Sam, "poll:vote:1:4", "1")).Text);

        await bot.SendAsync(Alex, "poll close");
        var late = Assert.Single(await bot.ClickOnCardAsync(Sam, "poll:vote:1:1", "1"));
        Assert.Contains("Poll #1 has closed", late.Text);
        Assert.Contains("poll results #1", late.Text);
        Assert.Contains("No poll is open for voting", Assert.Single(await bot.SendAsync(Sam, PrivateOf(Sam), "poll vote 1")).Text);
    }

    [Fact]
    public async Task Ranked_voting_walks_a_member_through_private_steps()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;
        await bot.SendAsync(Alex, ThreeTopics + " mode ranked");

        var start = Assert.Single(await bot.ClickOnCardAsync(Sam, "poll:rank:1", "1"));
        Assert.Equal(ReplyVisibility.Private, start.Visibility);
        Assert.False(start.UpdatesSource); // a new private message, not a replacement of the card
        var firstSelect = Assert.Single(start.Selects);
        Assert.Equal("Your 1st choice", firstSelect.Placeholder);
        Assert.Equal(3, firstSelect.Options.Count);

        var step = Assert.Single(await bot.ClickAsync(Sam, firstSelect.ActionId, selected: ["3"]));
        Assert.True(step.UpdatesSource);
        Assert.Contains("1. Holidays", step.Text);
        var secondSelect = Assert.Single(step.Selects);
        Assert.Equal(["1. Sleep", "2. Boundaries"], secondSelect.Options.Select(o => o.Label));

        step = Assert.Single(await bot.ClickAsync(Sam, secondSelect.ActionId, selected: ["1"]));
        Assert.Contains("2. Sleep", step.Text);
        var submit = Assert.Single(step.Buttons, b => b.Label == "Submit my ranking");

        var done = Assert.Single(await bot.ClickAsync(Sam, submit.ActionId));
        Assert.True(done.UpdatesSource);
        Assert.Contains("**Holidays > Sleep**", done.Text);
        Assert.Contains("1 member has voted so far", bot.Playground.Updates.Last().Reply.Text); // the card itself, updated

        var again = Assert.Single(await bot.ClickOnCardAsync(Sam, "poll:rank:1", "1"));
        Assert.Contains("Your ranking now: Holidays > Sleep", again.Text);
    }

    [Fact]
    public async Task The_deadline_closes_the_poll_posts_results_marks_the_card_closed_and_puts_the_winner_on_the_agenda()
    {
        var (bot, agenda) = await PollTestKit.StartAsync();
        await using var _ = bot;
        await bot.SendAsync(Alex, ThreeTopics + " closes in 2 days");
        await bot.ClickOnCardAsync(Sam, "poll:vote:1:1", "1");
        await bot.ClickOnCardAsync(Priya, "poll:vote:1:1", "1");
        await bot.ClickOnCardAsync(Fran, "poll:vote:1:2", "1");
        await bot.ClickOnCardAsync(Alex, "poll:vote:1:1", "1");

        Assert.Equal(1, await bot.AdvanceAsync(Duration.FromDays(2) - Duration.FromMinutes(1))); // only the non-voters' nudge, a day before
        Assert.DoesNotContain(bot.Playground.Posts, p => p.Reply.Title == "Topic poll #1 has closed");
        Assert.Equal(1, await bot.AdvanceAsync(Duration.FromMinutes(1)));

        var results = bot.Playground.ResultsPost("1").Reply;
        Assert.Contains("**Winner: Sleep**", results.Text);
        Assert.Contains("`████████░░` 3 votes (75%)", results.Text);
        Assert.Contains("`███░░░░░░░` 1 vote (25%)", results.Text);
        Assert.Contains("4 members voted", results.Text);
        Assert.Contains("**Sleep** goes onto the agenda for the next session", results.Text);
        Assert.Empty(results.Buttons);

        var closedCard = bot.Playground.Updates.Last(u => u.MessageId == bot.Playground.PostedCard("1").MessageId).Reply;
        Assert.Equal("Topic poll #1 (closed)", closedCard.Title);
        Assert.Contains("closed Wednesday 4 November 2026, 09:00 GMT", closedCard.Text);
        Assert.Empty(closedCard.Buttons);
        Assert.Empty(closedCard.Selects);

        Assert.Equal([(agenda.Added[0].GroupId, "Sleep", "1")], agenda.Added);
        Assert.Equal(0, await bot.BallotCountAsync("1"));
        Assert.Equal(PollPhase.Closed, (await bot.PollAsync("1")).Phase);
        Assert.Empty(await bot.Get<IPollLookup>().GetOpenPollsAsync(await bot.GroupAsync(), CancellationToken.None));

        Assert.Contains("**Winner: Sleep**", Assert.Single(await bot.SendAsync(Sam, "poll results")).Text);
        Assert.Equal(0, await bot.AdvanceAsync(Duration.FromDays(7)));
        Assert.Single(bot.Playground.Posts, p => p.Reply.Title == "Topic poll #1 has closed");
    }

    [Fact]
    public async Task A_poll_whose_deadline_was_missed_closes_when_someone_next_touches_it()
    {
        var (bot, agenda) = await PollTestKit.StartAsync();
        await using var _ = bot;
        await bot.SendAsync(Alex, ThreeTopics + " closes in 1 hour");
        await bot.ClickOnCardAsync(Sam, "poll:vote:1:1", "1");

        bot.Clock.Advance(Duration.FromHours(5)); // no instance was running at the deadline
        await bot.Get<TimerDispatcher>().FireDueAsync(CancellationToken.None); // beyond the misfire grace: skipped
        Assert.DoesNotContain(bot.Playground.Posts, p => p.Reply.Title == "Topic poll #1 has closed");

        var late = Assert.Single(await bot.ClickOnCardAsync(Priya, "poll:vote:1:2", "1"));
        Assert.Contains("closed on Monday 2 November 2026, 10:00 GMT", late.Text);
        Assert.Contains("Not enough votes to show results anonymously", bot.Playground.ResultsPost("1").Reply.Text);
        Assert.Empty(agenda.Added); // one voter: a winner would be their vote
    }

    [Fact]
    public async Task Only_the_opener_or_a_facilitator_closes_a_poll()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;
        await bot.SendAsync(Alex, ThreeTopics);
        await bot.SendAsync(Alex, "poll new \"Second?\" A | B");

        Assert.Contains("Only the member who opened poll #1", Assert.Single(await bot.SendAsync(Sam, "poll close #1")).Text);
        Assert.Contains("There are 2 polls this could mean", Assert.Single(await bot.SendAsync(Alex, "poll close")).Text);
        Assert.Contains("Poll #1 is closed", Assert.Single(await bot.SendAsync(Alex, "poll close 1")).Text);
        Assert.Contains("Poll #2 is closed", Assert.Single(await bot.SendAsync(Fran, "poll close")).Text);
        Assert.Contains("No votes were cast", bot.Playground.ResultsPost("2").Reply.Text);
        Assert.Contains("had already closed", Assert.Single(await bot.SendAsync(Fran, "poll close #2")).Text);
    }

    [Fact]
    public async Task A_tie_is_reported_and_a_facilitator_breaks_it_with_a_button()
    {
        var (bot, agenda) = await PollTestKit.StartAsync();
        await using var _ = bot;
        await bot.SendAsync(Alex, ThreeTopics);
        await bot.ClickOnCardAsync(Sam, "poll:vote:1:1", "1");
        await bot.ClickOnCardAsync(Priya, "poll:vote:1:2", "1");
        await bot.ClickOnCardAsync(Alex, "poll:vote:1:1", "1");
        await bot.ClickOnCardAsync(Jo, "poll:vote:1:2", "1");
        await bot.SendAsync(Fran, "poll close");

        var post = bot.Playground.ResultsPost("1");
        Assert.Contains("**It's a tie** between Sleep and Boundaries", post.Reply.Text);
        Assert.DoesNotContain("agenda", post.Reply.Text);
        Assert.Empty(agenda.Added);
        Assert.Equal(["Choose Sleep", "Choose Boundaries", "Keep both"], post.Reply.Buttons.Select(b => b.Label));

        var member = Assert.Single(await bot.ClickAsync(Sam, post.Reply.Buttons[1].ActionId, sourceMessageId: post.MessageId));
        Assert.Contains("Only a facilitator", member.Text);

        var settled = await bot.ClickAsync(Fran, post.Reply.Buttons[1].ActionId, sourceMessageId: post.MessageId);
        Assert.True(settled[0].UpdatesSource);
        Assert.Contains("Fran (facilitator) broke the tie: **Boundaries**", settled[0].Text);
        Assert.Empty(settled[0].Buttons);
        Assert.Contains(bot.Playground.Posts, p => p.Reply.Text.Contains("Fran (facilitator) settled the tie in poll #1: **Boundaries** goes onto the agenda"));
        Assert.Equal("Boundaries", Assert.Single(agenda.Added).Topic);

        var twice = Assert.Single(await bot.ClickAsync(Fran, post.Reply.Buttons[0].ActionId, sourceMessageId: post.MessageId));
        Assert.Contains("already been settled", twice.Text);
        Assert.Single(agenda.Added);
    }

    [Fact]
    public async Task Keeping_all_tied_topics_puts_each_on_the_agenda()
    {
        var (bot, agenda) = await PollTestKit.StartAsync();
        await using var _ = bot;
        await bot.SendAsync(Alex, ThreeTopics + " mode approval");
        foreach (var voter in new[] { Sam, Priya, Alex })
            await bot.ClickOnCardAsync(voter, "poll:vote:1", "1", ["1", "3"]);
        await bot.SendAsync(Alex, "poll close");
        var post = bot.Playground.ResultsPost("1");

        await bot.ClickAsync(Fran, post.Reply.Buttons.Single(b => b.Label == "Keep both").ActionId, sourceMessageId: post.MessageId);

        Assert.Equal(["Sleep", "Holidays"], agenda.Added.Select(a => a.Topic));
    }

    [Fact]
    public async Task Ranked_results_show_every_round_and_why_each_option_went_out()
    {
        var (bot, agenda) = await PollTestKit.StartAsync();
        await using var _ = bot;
        await bot.SendAsync(Alex, ThreeTopics + " mode ranked");
        var votes = new (Actor Voter, string Ranking)[]
        {
            (Alex, "1"), (Sam, "1"), (Priya, "2 3"), (Jo, "3 2"), (PollTestKit.Voter(1), "2"),
        };
        await bot.SendAsync(Jo, "help"); // seen in the group, so a private vote finds it
        await bot.SendAsync(PollTestKit.Voter(1), "help");
        // An anonymous poll's votes are typed privately: typed in the channel they would be read by everyone.
        foreach (var (voter, ranking) in votes) await bot.SendAsync(voter, PrivateOf(voter), $"poll vote {ranking}");
        await bot.SendAsync(Alex, "poll close");

        var text = bot.Playground.ResultsPost("1").Reply.Text;
        Assert.Contains("Round 1: Sleep 2 (40%) · Boundaries 2 (40%) · Holidays 1 (20%)", text);
        Assert.Contains("Holidays has the fewest, so it is out.", text);
        Assert.Contains("Round 2: Boundaries 3 (60%) · Sleep 2 (40%)", text);
        Assert.Contains("Boundaries has more than half of the 5 ballots still counting, so it wins.", text);
        Assert.Contains("Final round:\n`██████░░░░` Boundaries 3 (60%)\n`████░░░░░░` Sleep 2 (40%)", text.ReplaceLineEndings("\n"));
        Assert.Contains("**Winner: Boundaries**", text);
        Assert.Equal("Boundaries", Assert.Single(agenda.Added).Topic);
    }

    [Fact]
    public async Task Suggestions_are_collected_without_duplicates_tidied_by_facilitators_then_voted_on()
    {
        var (bot, agenda) = await PollTestKit.StartAsync();
        await using var _ = bot;

        var opened = Assert.Single(await bot.SendAsync(Alex, "poll new What should we talk about in December? closes in 3 days"));
        Assert.Contains("open for suggestions", opened.Text);
        var card = bot.Playground.PostedCard("1").Reply;
        Assert.Equal("Topic poll #1: suggestions", card.Title);
        Assert.Equal(["Suggest a topic", "Start voting"], card.Buttons.Select(b => b.Label));
        Assert.Contains("hasn't started", Assert.Single(await bot.SendAsync(Sam, PrivateOf(Sam), "poll vote #1 1")).Text);

        Assert.Contains("as suggestion 1", Assert.Single(await bot.SendAsync(Sam, "poll suggest Sleep")).Text);
        var duplicate = Assert.Single(await bot.SendAsync(Priya, "poll suggest  SLEEP "));
        Assert.Contains("\"Sleep\" is already on the list", duplicate.Text);
        Assert.Contains("Thanks for suggesting it", duplicate.Text);
        await bot.SendAsync(Priya, "poll suggest 3 ways to relax");
        await bot.SendAsync(Alex, "poll suggest Christmas");
        await bot.SendAsync(Jo, "poll suggest Christmas stress");

        var suggestForm = Assert.Single(await bot.ClickOnCardAsync(Sam, card.Buttons[0].ActionId, "1")).Form!;
        Assert.Contains("as suggestion 5", Assert.Single(await bot.SubmitAsync(Sam, suggestForm.ActionId, new Dictionary<string, string> { ["topic"] = "Boundaries" })).Text);
        Assert.Contains("5. Boundaries", bot.Playground.Updates.Last().Reply.Text);

        Assert.Contains("Only facilitators", Assert.Single(await bot.SendAsync(Sam, "poll remove 2")).Text);
        Assert.Contains("Merged suggestion 4", Assert.Single(await bot.SendAsync(Fran, "poll merge 4 into 3 as Christmas and its stresses")).Text);
        Assert.Contains("Removed suggestion 2 (\"3 ways to relax\")", Assert.Single(await bot.SendAsync(Fran, "poll remove 2")).Text);
        Assert.Contains("no suggestion 9", Assert.Single(await bot.SendAsync(Fran, "poll remove 9")).Text);

        Assert.Contains("Only the member who opened poll #1", Assert.Single(await bot.SendAsync(Sam, "poll start")).Text);
        var started = Assert.Single(await bot.SendAsync(Alex, "poll start"));
        Assert.Contains("Voting has started on poll #1 with 3 options", started.Text);
        Assert.Contains("Thursday 5 November 2026, 09:00 GMT", started.Text);

        var votingCard = bot.Playground.PostedCard("1");
        Assert.Equal("Topic poll #1", votingCard.Reply.Title);
        Assert.Equal(["1. Sleep", "2. Christmas and its stresses", "3. Boundaries", "Withdraw my vote"], votingCard.Reply.Buttons.Select(b => b.Label));
        Assert.Contains(bot.Playground.Updates, u => u.Reply.Text.Contains("voting has started in a newer message"));
        Assert.Contains("isn't collecting suggestions", (await bot.SendAsync(Jo, "poll suggest #1 Hobbies")).Seen());
        Assert.Contains("No poll is collecting", Assert.Single(await bot.SendAsync(Jo, "poll suggest Hobbies")).Text);

        foreach (var voter in new[] { Sam, Priya, Jo })
            await bot.ClickOnCardAsync(voter, "poll:vote:1:3", "1");
        await bot.AdvanceAsync(Duration.FromDays(3));
        Assert.Equal("Boundaries", Assert.Single(agenda.Added).Topic);
    }

    [Fact]
    public async Task A_vote_needs_two_suggestions_and_a_closing_time_still_ahead()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;
        await bot.SendAsync(Alex, "poll new Ideas for spring? closes in 1 hour");
        await bot.SendAsync(Sam, "poll suggest Gardening");

        Assert.Contains("1 suggestion so far; a vote needs at least 2", Assert.Single(await bot.SendAsync(Alex, "poll start")).Text);
        await bot.SendAsync(Sam, "poll suggest Walking");
        bot.Clock.Advance(Duration.FromHours(2));
        Assert.Contains("has passed", Assert.Single(await bot.SendAsync(Alex, "poll start")).Text);
        Assert.Contains("closes **Tuesday 3 November 2026, 18:00 GMT", Assert.Single(await bot.SendAsync(Alex, "poll start closes tomorrow 18:00")).Text);
        Assert.Equal(PollPhase.Voting, (await bot.PollAsync("1")).Phase);
    }

    [Fact]
    public async Task A_poll_holds_at_most_twenty_suggestions()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;
        await bot.SendAsync(Alex, "poll new Ideas?");
        for (var i = 1; i <= 20; i++) await bot.SendAsync(Sam, $"poll suggest Topic {i}");

        var full = Assert.Single(await bot.SendAsync(Sam, "poll suggest One more"));

        Assert.Contains("already has 20 suggestions", full.Text);
        Assert.Contains("merge or remove", full.Text);
        Assert.Contains("up to 100 characters", Assert.Single(await bot.SendAsync(Sam, "poll suggest " + new string('x', 101))).Text);
    }

    [Fact]
    public async Task Poll_list_and_results_say_what_is_open_and_how_it_stands()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;
        Assert.Contains("No polls are open", Assert.Single(await bot.SendAsync(Sam, "poll list")).Text);
        Assert.Contains("hasn't had a poll", Assert.Single(await bot.SendAsync(Sam, "poll results")).Text);

        await bot.SendAsync(Alex, ThreeTopics + " closes friday 18:00");
        await bot.SendAsync(Alex, "poll new Ideas?");
        var list = Assert.Single(await bot.SendAsync(Sam, "poll"));
        Assert.Contains("**#1** What should we talk about next? — voting, closes Fri 6 Nov, 18:00 GMT", list.Text);
        Assert.Contains("**#2** Ideas? — collecting suggestions, 0 so far", list.Text);

        Assert.Contains("2 open polls", Assert.Single(await bot.SendAsync(Sam, "poll results")).Text);
        var standing = Assert.Single(await bot.SendAsync(Sam, "poll results 1"));
        Assert.Equal("Topic poll #1 so far", standing.Title);
        Assert.Equal(ReplyVisibility.Private, standing.Visibility);
        Assert.Empty(standing.Buttons);
        Assert.Contains("can't find poll #7", Assert.Single(await bot.SendAsync(Sam, "poll results 7")).Text);

        var open = await bot.Get<IPollLookup>().GetOpenPollsAsync(await bot.GroupAsync(), CancellationToken.None);
        Assert.Equal(["1", "2"], open.Select(p => p.PollId));
        Assert.Equal(Instant.FromUtc(2026, 11, 6, 18, 0), open[0].ClosesAt);
        Assert.Null(open[1].ClosesAt);
    }

    [Fact]
    public async Task Help_lists_the_poll_commands()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;
        var member = Assert.Single(await bot.SendAsync(Sam, "help poll")).Text;
        Assert.Contains("poll new \"Question?\" A | B | C closes friday 18:00 mode approval", member);
        Assert.Contains("poll vote", member);
        Assert.DoesNotContain("poll merge", member);
        Assert.Contains("poll merge", Assert.Single(await bot.SendAsync(Fran, "help poll")).Text);
        Assert.Contains("isn't something I know", Assert.Single(await bot.SendAsync(Sam, "poll frobnicate")).Text);
    }
}
