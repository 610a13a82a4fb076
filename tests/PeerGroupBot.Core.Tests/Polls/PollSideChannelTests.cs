using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Members;
using PeerGroupBot.Core.Polls;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Polls;

/// <summary>Issue 17: side channels of anonymous polls, numbered as in the issue (attacks 2, 5 and 6).</summary>
public class PollSideChannelTests
{
    private const string ThreeTopics = "poll new \"What should we talk about next?\" Sleep | Boundaries | Holidays";

    private static string CardText(TestBot bot) => bot.Playground.LatestCardText("1");

    [Fact]
    public async Task Attack_5_live_results_move_only_after_k_different_voters_changed_never_one_vote_at_a_time()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;
        foreach (var member in new[] { Jo, PollTestKit.Voter(1), PollTestKit.Voter(2) }) await bot.SendAsync(member, "help");
        await bot.SendAsync(Alex, ThreeTopics + " anonymous live");
        Assert.True((await bot.PollAsync("1")).LiveResults);

        async Task<string> ClickAsync(Actor voter, string action) => (await bot.ClickOnCardAsync(voter, action, "1"))[0].Text;

        await ClickAsync(Sam, "poll:vote:1:1");
        var two = await ClickAsync(Priya, "poll:vote:1:2");
        Assert.DoesNotContain("%", two);
        Assert.Contains("Live results appear once 3 have voted", two);

        var first = await ClickAsync(Jo, "poll:vote:1:1"); // the third voter: the first step
        Assert.Contains("`███████░░░` 2 votes (67%)", first);

        // One more vote, a change and a withdrawal by two voters: the counts stay where they were.
        var four = await ClickAsync(Alex, "poll:vote:1:3");
        Assert.Contains("`███████░░░` 2 votes (67%)", four);
        Assert.Contains("4 members have voted so far", four);
        Assert.Contains("`███████░░░` 2 votes (67%)", await ClickAsync(Sam, "poll:vote:1:3"));
        await ClickAsync(Alex, "poll:withdraw:1");
        Assert.Contains("`███████░░░` 2 votes (67%)", await ClickAsync(Alex, "poll:vote:1:3")); // still two voters (Alex, Sam) since the step

        // A third voter changes: the next step, counting everything since.
        var second = await ClickAsync(PollTestKit.Voter(1), "poll:vote:1:2");
        Assert.DoesNotContain("2 votes (67%)", second);
        Assert.Contains("`████░░░░░░` 2 votes (40%)", second);
        Assert.Contains("5 members have voted so far", second);
        Assert.Contains("move only after 3 votes change", second);
    }

    [Fact]
    public async Task Attack_6_a_typed_vote_on_an_anonymous_poll_in_a_channel_is_refused_before_it_counts()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;
        await bot.SendAsync(Alex, ThreeTopics);
        var card = bot.Playground.PostedCard("1").Reply;
        Assert.DoesNotContain("poll vote", card.Text);
        Assert.DoesNotContain("type", card.Text, StringComparison.OrdinalIgnoreCase);

        var refused = Assert.Single(await bot.SendAsync(Sam, "poll vote 2"));
        Assert.Equal(ReplyVisibility.Private, refused.Visibility);
        Assert.Contains("not counted", refused.Text);
        Assert.Contains("buttons on the poll's card", refused.Text);
        Assert.Equal(0, await bot.BallotCountAsync("1"));
        Assert.DoesNotContain(bot.Playground.Sent, s => s.Kind != "private" && s.Reply.Text.Contains("Boundaries", StringComparison.Ordinal) && s.Reply.Text.Contains("1 member", StringComparison.Ordinal));

        // Privately, and by a Discord slash command (which others never see), a typed vote counts.
        Assert.Contains("your vote on poll #1 is in", (await bot.SendAsync(Sam, PrivateOf(Sam), "poll vote 2")).Seen(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, await bot.BallotCountAsync("1"));

        // A named poll's votes are public anyway: typing one in the channel still works.
        await bot.SendAsync(Alex, "poll new \"Named?\" A | B anonymous no");
        Assert.Contains("your vote on poll #2 is in", (await bot.SendAsync(Priya, "poll vote #2 1")).Seen(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("poll vote #2", bot.Playground.PostedCard("2").Reply.Text);
    }

    [Fact]
    public async Task Attack_6_group_cards_carry_a_private_concern_button_so_nobody_types_concern_in_the_channel()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;
        var welcome = Assert.Single(await bot.SendAsync(Fran, new Place("playground", "another-channel", IsPrivate: false), "setup Friday Group"));
        var raise = Assert.Single(welcome.Buttons, b => b.Label == "Raise a concern privately");

        var form = Assert.Single(await bot.ClickAsync(Sam, raise.ActionId, new Place("playground", "another-channel", IsPrivate: false)));
        Assert.Equal(ReplyVisibility.Private, form.Visibility);
        Assert.NotNull(form.Form);

        await bot.SendAsync(Alex, "agenda add Tea and biscuits");
        var replies = await bot.SendAsync(Fran, "agenda post");
        var agenda = replies.Concat(bot.Playground.Posts.Select(p => p.Reply)).First(r => r.Text.Contains("Tea and biscuits", StringComparison.Ordinal));
        Assert.Contains(agenda.Buttons, b => b.Label == "Raise a concern privately");
    }

    [Fact]
    public async Task Attack_2_an_erasure_does_not_recount_an_open_anonymous_poll_at_that_moment()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;
        await bot.SendAsync(Jo, "help");
        await bot.SendAsync(Alex, ThreeTopics);
        await bot.SendAsync(Alex, "poll new \"Named one\" A | B anonymous no");
        foreach (var voter in new[] { Alex, Sam, Priya, Jo }) await bot.ClickOnCardAsync(voter, "poll:vote:1:2", "1");
        await bot.ClickOnCardAsync(Priya, "poll:vote:2:1", "2");
        var before = CardText(bot);
        var updatesBefore = bot.Playground.Updates.Count();

        await bot.Get<MemberData>().EraseAsync(Priya.MemberId, CancellationToken.None);

        // The anonymous card is not touched; the named poll's card loses Priya's name, as before.
        var updated = bot.Playground.Updates.Skip(updatesBefore).ToList();
        Assert.DoesNotContain(updated, u => u.Reply.Title == "Topic poll #1");
        Assert.Contains(updated, u => u.Reply.Title == "Topic poll #2" && !u.Reply.Text.Contains("Priya", StringComparison.Ordinal));
        Assert.Equal(before, CardText(bot));
        Assert.Equal(3, await bot.BallotCountAsync("1"));

        // The next vote counts again.
        Assert.Contains("4 members have voted so far", (await bot.ClickOnCardAsync(Fran, "poll:vote:1:1", "1"))[0].Text);
    }
}
