using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Polls;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Polls;

/// <summary>Issue 13: anonymity that holds in a group of five.</summary>
public class PollAnonymityTests
{
    private const string ThreeTopics = "poll new \"What should we talk about next?\" Sleep | Boundaries | Holidays";

    [Fact]
    public async Task An_anonymous_poll_shows_only_how_many_voted_until_it_closes()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;
        await bot.SendAsync(Jo, "help");
        await bot.SendAsync(Alex, ThreeTopics);

        await bot.ClickOnCardAsync(Sam, "poll:vote:1:1", "1");
        var two = (await bot.ClickOnCardAsync(Priya, "poll:vote:1:2", "1"))[0].Text;
        Assert.Contains("2 members have voted so far. Results are shown when the poll closes, if at least 3 have voted", two);
        Assert.DoesNotContain("%", two);
        Assert.DoesNotContain("█", two);
        Assert.DoesNotContain("vote (", two);

        // Reaching k changes nothing while the poll is open: the card would otherwise move by one with every vote.
        var three = (await bot.ClickOnCardAsync(Jo, "poll:vote:1:1", "1"))[0].Text;
        var four = (await bot.ClickOnCardAsync(Alex, "poll:vote:1:3", "1"))[0].Text;
        foreach (var card in new[] { three, four })
        {
            Assert.DoesNotContain("%", card);
            Assert.DoesNotContain("█", card);
        }
        Assert.Contains("4 members have voted so far.", four);
        var standing = Assert.Single(await bot.SendAsync(Sam, "poll results")).Text;
        Assert.DoesNotContain("%", standing);
        Assert.Contains("4 members have voted so far", standing);

        await bot.SendAsync(Alex, "poll close");
        var results = bot.Playground.ResultsPost("1").Reply.Text;
        Assert.Contains("**Winner: Sleep**", results);
        Assert.Contains("2 votes (50%)", results);
        Assert.DoesNotContain("Sam", results);
    }

    [Fact]
    public async Task Closing_below_k_shows_no_winner_and_stores_no_counts_even_when_everyone_agreed()
    {
        var (bot, agenda) = await PollTestKit.StartAsync();
        await using var _ = bot;
        await bot.SendAsync(Alex, ThreeTopics);
        await bot.ClickOnCardAsync(Sam, "poll:vote:1:2", "1");
        await bot.ClickOnCardAsync(Priya, "poll:vote:1:2", "1");

        await bot.SendAsync(Alex, "poll close");

        // Two voters who agreed: "Chosen: Boundaries" would tell each of them how the other voted.
        var text = bot.Playground.ResultsPost("1").Reply.Text;
        Assert.Contains("Not enough votes to show results anonymously: 2 members voted", text);
        Assert.Contains("A facilitator decides what goes onto the agenda", text);
        Assert.DoesNotContain("Chosen", text);
        Assert.DoesNotContain("Boundaries", text);
        Assert.DoesNotContain("Boundaries", bot.Playground.LatestCardText("1"));
        Assert.Empty(agenda.Added);

        var result = (await bot.PollAsync("1")).Result!;
        Assert.True(result.CountsHidden);
        Assert.Empty(result.Counts);
        Assert.Empty(result.Rounds);
        Assert.Empty(result.Leaders);
        Assert.Equal(2, result.Voters);
    }

    [Fact]
    public async Task Closing_with_one_voter_shows_no_winner()
    {
        var (bot, agenda) = await PollTestKit.StartAsync();
        await using var _ = bot;
        await bot.SendAsync(Alex, ThreeTopics);
        await bot.ClickOnCardAsync(Sam, "poll:vote:1:2", "1");
        await bot.SendAsync(Alex, "poll close");

        var text = bot.Playground.ResultsPost("1").Reply.Text;
        Assert.Contains("Not enough votes to show results anonymously: 1 member voted", text);
        Assert.DoesNotContain("Boundaries", text);
        Assert.Empty(agenda.Added);
    }

    [Fact]
    public async Task Closing_below_k_without_a_single_winner_says_there_are_not_enough_votes()
    {
        var (bot, agenda) = await PollTestKit.StartAsync();
        await using var _ = bot;
        await bot.SendAsync(Alex, ThreeTopics);
        await bot.ClickOnCardAsync(Sam, "poll:vote:1:1", "1");
        await bot.ClickOnCardAsync(Priya, "poll:vote:1:2", "1");

        await bot.SendAsync(Alex, "poll close");

        var post = bot.Playground.ResultsPost("1").Reply;
        Assert.Contains("Not enough votes to show results anonymously", post.Text);
        Assert.DoesNotContain("Sleep", post.Text);
        Assert.DoesNotContain("Boundaries", post.Text);
        Assert.Empty(post.Buttons); // no tie-break buttons that would reveal the tied options
        Assert.Empty(agenda.Added);
    }

    [Fact]
    public async Task A_ranked_anonymous_poll_below_k_shows_no_rounds()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;
        await bot.SendAsync(Alex, ThreeTopics + " mode ranked");
        await bot.SendAsync(Sam, PrivateOf(Sam), "poll vote 1 2");
        await bot.SendAsync(Priya, PrivateOf(Priya), "poll vote 2 1");
        var live = bot.Playground.Updates.Last().Reply.Text;
        Assert.DoesNotContain("Round", live);

        await bot.SendAsync(Alex, "poll close");
        Assert.DoesNotContain("Round", bot.Playground.ResultsPost("1").Reply.Text);
    }

    [Fact]
    public async Task No_member_id_or_name_is_stored_or_logged_beside_an_anonymous_choice()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;
        var voters = new[] { Alex, Sam, Priya, Jo, Fran };
        await bot.SendAsync(Jo, "help");
        await bot.SendAsync(Alex, ThreeTopics);
        await bot.SendAsync(Alex, "poll new \"Rank these\" Sleep | Boundaries | Holidays mode ranked");
        await bot.SendAsync(Alex, "poll new \"Approve these\" Sleep | Boundaries | Holidays mode approval");
        foreach (var voter in voters)
        {
            await bot.SendAsync(voter, PrivateOf(voter), "poll vote #1 2");
            await bot.SendAsync(voter, PrivateOf(voter), "poll vote #2 3 1");
            await bot.SendAsync(voter, PrivateOf(voter), "poll vote #3 1 2");
        }

        await AssertNothingIdentifiesAsync(bot, voters);
        await bot.SendAsync(Alex, "poll close #1");
        await bot.SendAsync(Alex, "poll close #2");
        await AssertNothingIdentifiesAsync(bot, voters);

        // The same member's ballots in two polls have unrelated keys, so they cannot be linked.
        var store = bot.Get<PollStore>();
        var group = await bot.GroupAsync();
        var boxes = (await bot.DumpStoreAsync()).Where(d => d.Key.Contains("/ballots/", StringComparison.Ordinal)).ToList();
        // Closed polls keep no ballots: what stays of their boxes is sealed and empty, so a late vote is refused.
        foreach (var closed in new[] { "1", "2" })
        {
            var box = await store.GetBallotsAsync(group.Id, closed, CancellationToken.None);
            Assert.True(box.Sealed);
            Assert.Empty(box.Ballots);
            Assert.Null(box.Shown);
        }
        Assert.Equal(3, boxes.Count);
        Assert.Equal(voters.Length, (await store.GetBallotsAsync(group.Id, "3", CancellationToken.None)).Ballots.Count);
        Assert.NotEqual(store.VoterKey(group.Id, "1", Sam.MemberId), store.VoterKey(group.Id, "3", Sam.MemberId));
    }

    private static async Task AssertNothingIdentifiesAsync(TestBot bot, Actor[] voters)
    {
        var pollDocuments = (await bot.DumpStoreAsync())
            .Where(d => d.Key.Contains("/polls/", StringComparison.Ordinal) || d.Key.Contains("/ballots/", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(pollDocuments);
        foreach (var (key, text) in pollDocuments)
        {
            foreach (var voter in voters)
            {
                Assert.DoesNotContain(voter.MemberId, text);
                Assert.DoesNotContain(MemberIds.PlatformUserIdOf(voter.MemberId), text.Replace(key, ""), StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(voter.DisplayName, text);
            }
        }
        foreach (var line in bot.Logs.Lines)
        {
            foreach (var voter in voters)
            {
                Assert.DoesNotContain(voter.MemberId, line);
                Assert.DoesNotContain(voter.DisplayName, line);
            }
            Assert.DoesNotContain("Boundaries", line);
        }
    }

    [Fact]
    public async Task An_open_poll_shows_who_chose_what_but_still_stores_no_member_id()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;
        await bot.SendAsync(Alex, ThreeTopics + " anonymous no");

        var card = (await bot.ClickOnCardAsync(Sam, "poll:vote:1:3", "1"))[0];

        Assert.Contains("named votes", card.Text);
        Assert.Contains("1 vote (100%) — Sam", card.Text); // open polls show counts and names from the first vote
        var stored = (await bot.DumpStoreAsync()).Where(d => d.Key.Contains("/ballots/", StringComparison.Ordinal)).ToList();
        Assert.Contains("Sam", Assert.Single(stored).Text);
        Assert.DoesNotContain(Sam.MemberId, stored[0].Text);
    }

    [Fact]
    public async Task Facilitators_set_k_for_the_group_never_below_2_and_not_below_3_once_votes_exist()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;

        Assert.Contains("once 3 members have voted", Assert.Single(await bot.SendAsync(Sam, "poll minvoters")).Text);
        Assert.Contains("Only facilitators", Assert.Single(await bot.SendAsync(Sam, "poll minvoters 2")).Text);
        Assert.Contains("from 2 to 50", Assert.Single(await bot.SendAsync(Fran, "poll minvoters lots")).Text);
        Assert.Contains("from 2 to 50", Assert.Single(await bot.SendAsync(Fran, "poll minvoters 1")).Text);
        var lowered = Assert.Single(await bot.SendAsync(Fran, "poll minvoters 2"));
        Assert.Contains("once 2 members have voted", lowered.Text);
        Assert.Contains("may be able to work out", lowered.Text);
        Assert.Equal(2, (await bot.GroupAsync()).MinVotersBeforeResults);
        await bot.SendAsync(Fran, "poll minvoters 4");

        await bot.SendAsync(Alex, ThreeTopics);
        await bot.ClickOnCardAsync(Sam, "poll:vote:1:1", "1");
        var refused = Assert.Single(await bot.SendAsync(Fran, "poll minvoters 2"));
        Assert.Equal(ReplyTone.Warning, refused.Tone);
        Assert.Contains("can't go below 3", refused.Text);
        Assert.Equal(4, (await bot.GroupAsync()).MinVotersBeforeResults);
        Assert.Equal(ReplyTone.Success, Assert.Single(await bot.SendAsync(Fran, "poll minvoters 3")).Tone);

        await bot.SendAsync(Fran, "poll minvoters 5");
        var raised = (await bot.ClickOnCardAsync(Priya, "poll:vote:1:2", "1"))[0].Text;
        Assert.Contains("if at least 5 have voted", raised);
        Assert.DoesNotContain("%", raised);
    }
}
