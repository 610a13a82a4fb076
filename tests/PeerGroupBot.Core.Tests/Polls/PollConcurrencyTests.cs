using System.Diagnostics;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Polls;
using PeerGroupBot.Core.State;
using PeerGroupBot.Testing;
using Xunit.Abstractions;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Polls;

public class PollConcurrencyTests(ITestOutputHelper output)
{
    /// <summary>80 / 60 / 40 / 20 of 200.</summary>
    private static int ChoiceOf(int voter) => (voter % 10) switch
    {
        < 4 => 1,
        < 7 => 2,
        < 9 => 3,
        _ => 4,
    };

    [Fact]
    public async Task Two_hundred_members_voting_at_once_end_with_an_exact_tally()
    {
        // Every storage call takes a millisecond, so votes really overlap between their reads and writes.
        var (bot, _) = await PollTestKit.StartAsync(new LatencyStateStore(new InMemoryStateStore(), TimeSpan.FromMilliseconds(1)));
        await using var _ = bot;
        await bot.SendAsync(Alex, "poll new \"Which topic?\" Sleep | Boundaries | Holidays | Hobbies");
        var voters = Enumerable.Range(0, 200).Select(PollTestKit.Voter).ToList();
        foreach (var voter in voters) await bot.SendAsync(voter, "help"); // seen in the channel, as members are

        var clock = Stopwatch.StartNew();
        // Every voter clicks at once, and every fifth one double-clicks.
        var clicks = voters.Select((voter, i) => (voter, i))
            .Concat(voters.Select((voter, i) => (voter, i)).Where(v => v.i % 5 == 0))
            .Select(v => Task.Run(() => bot.ClickOnCardAsync(v.voter, $"poll:vote:1:{ChoiceOf(v.i)}", "1")));
        var replies = await Task.WhenAll(clicks);
        output.WriteLine($"240 concurrent clicks took {clock.ElapsedMilliseconds} ms");

        Assert.All(replies, r => Assert.DoesNotContain(r, reply => reply.Tone == ReplyTone.Warning));
        Assert.Equal(200, await bot.BallotCountAsync("1"));

        await bot.SendAsync(Alex, "poll close");
        var result = (await bot.PollAsync("1")).Result!;
        Assert.Equal(200, result.Voters);
        Assert.Equal([80, 60, 40, 20], result.Counts.Select(c => c.Votes));
        Assert.Contains("80 votes (40%)", bot.Playground.ResultsPost("1").Reply.Text);
    }

    [Fact]
    public async Task Two_hundred_members_changing_their_votes_at_once_end_with_an_exact_tally()
    {
        var (bot, _) = await PollTestKit.StartAsync(new LatencyStateStore(new InMemoryStateStore(), TimeSpan.FromMilliseconds(1)));
        await using var _ = bot;
        await bot.SendAsync(Alex, "poll new \"Which topics?\" Sleep | Boundaries | Holidays | Hobbies mode ranked anonymous no"); // named, so votes may be typed in the channel
        var voters = Enumerable.Range(0, 200).Select(PollTestKit.Voter).ToList();

        await Task.WhenAll(voters.Select(v => Task.Run(() => bot.SendAsync(v, "poll vote 4 3"))));
        // Now everyone changes at once: first preference per ChoiceOf, then withdraw for one in ten.
        await Task.WhenAll(voters.Select((v, i) => Task.Run(async () =>
        {
            await bot.SendAsync(v, $"poll vote {ChoiceOf(i)}");
            if (i % 10 == 9) await bot.SendAsync(v, "poll withdraw");
        })));

        await bot.SendAsync(Alex, "poll close");
        var result = (await bot.PollAsync("1")).Result!;
        Assert.Equal(180, result.Voters);
        Assert.Equal([80, 60, 40, 0], result.Rounds[0].Counts.Select(c => c.Votes));
    }

    [Fact]
    public async Task A_vote_costs_the_same_few_storage_calls_however_many_have_voted()
    {
        var store = new CountingStateStore(new InMemoryStateStore());
        var (bot, _) = await PollTestKit.StartAsync(store);
        await using var _ = bot;
        await bot.SendAsync(Alex, "poll new \"Which topic?\" Sleep | Boundaries | Holidays");
        async Task<string> ChangeOfVoteAfterAsync(int voters)
        {
            for (var i = 0; i < voters; i++)
            {
                await bot.SendAsync(PollTestKit.Voter(i), "help");
                await bot.ClickOnCardAsync(PollTestKit.Voter(i), "poll:vote:1:1", "1");
            }
            store.Reset();
            var replies = await bot.ClickOnCardAsync(PollTestKit.Voter(3), "poll:vote:1:2", "1"); // a change of vote by a member seen before
            Assert.Contains(replies, r => r.Text.Contains("is now **Boundaries**", StringComparison.Ordinal));
            return store.ToString();
        }

        var withTen = await ChangeOfVoteAfterAsync(10);
        output.WriteLine($"A vote with 10 ballots stored: {withTen}");
        // Channel index, group, poll and ballot box from memory; the box replaced (its ETag checked); the card drawn
        // from the box written. No listing, and nothing read per ballot.
        Assert.Equal(1, store.Replaces);
        Assert.Equal(0, store.Creates);
        Assert.Equal(0, store.Lists);
        Assert.Equal(1, store.Total);
        Assert.Equal(withTen, await ChangeOfVoteAfterAsync(40));

        // A first vote on a new poll creates its ballot box.
        await bot.SendAsync(Alex, "poll new \"Another?\" A | B");
        store.Reset();
        await bot.ClickOnCardAsync(Sam, "poll:vote:2:1", "2");
        output.WriteLine($"A first vote on a new anonymous poll: {store}");
        Assert.Equal(1, store.Creates);
        Assert.Equal(3, store.Total); // no box yet: the poll itself is read to be sure it is open
        Assert.Equal(2, store.Gets);
    }
}
