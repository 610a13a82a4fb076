using PeerGroupBot.Core.Polls;

namespace PeerGroupBot.Core.Tests.Polls;

public class PollTallyTests
{
    private const int A = 1, B = 2, C = 3, D = 4;

    private static PollDocument Poll(PollMode mode, int options = 3, bool anonymous = true) => new()
    {
        Id = "1",
        GroupId = "g1",
        Question = "What next?",
        Options = Enumerable.Range(1, options).Select(i => new PollOption(i, ((char)('A' + i - 1)).ToString())).ToList(),
        Mode = mode,
        Anonymous = anonymous,
        Phase = PollPhase.Voting,
        OpenerKey = "k",
    };

    private static IEnumerable<Ballot> Ballots(params (int Count, int[] Choices)[] groups)
        => groups.SelectMany(g => Enumerable.Range(0, g.Count).Select(_ => new Ballot { Choices = [.. g.Choices] }));

    private static int Votes(IEnumerable<OptionTally> counts, int option) => counts.Single(c => c.OptionId == option).Votes;

    [Fact]
    public void Single_choice_counts_each_ballot_once_and_the_most_votes_wins()
    {
        var result = PollTally.Count(Poll(PollMode.Single), Ballots((2, [A]), (1, [B]), (1, [C])), 3);
        Assert.Equal(4, result.Voters);
        Assert.Equal([2, 1, 1], result.Counts.Select(c => c.Votes));
        Assert.Equal([A], result.Leaders);
        Assert.Equal([A], result.Winners());
        Assert.False(result.IsTie());
    }

    [Fact]
    public void Single_choice_ties_are_reported_as_ties_with_no_winner_until_settled()
    {
        var result = PollTally.Count(Poll(PollMode.Single), Ballots((2, [A]), (2, [C]), (1, [B])), 3);
        Assert.True(result.IsTie());
        Assert.Equal([A, C], result.Leaders);
        Assert.Empty(result.Winners());
        Assert.Equal([C], (result with { TieBrokenTo = [C] }).Winners());
    }

    [Fact]
    public void Approval_counts_every_approval_and_the_most_approved_wins()
    {
        var result = PollTally.Count(Poll(PollMode.Approval), Ballots((1, [A, B]), (1, [B]), (1, [B, C]), (1, [A])), 3);
        Assert.Equal(4, result.Voters);
        Assert.Equal(2, Votes(result.Counts, A));
        Assert.Equal(3, Votes(result.Counts, B));
        Assert.Equal(1, Votes(result.Counts, C));
        Assert.Equal([B], result.Leaders);
    }

    [Fact]
    public void Approval_ties_are_ties()
    {
        var result = PollTally.Count(Poll(PollMode.Approval), Ballots((1, [A, B]), (1, [A, B, C])), 3);
        Assert.Equal([A, B], result.Leaders);
    }

    [Theory]
    [InlineData(PollMode.Single)]
    [InlineData(PollMode.Approval)]
    [InlineData(PollMode.Ranked)]
    public void No_ballots_means_no_winner_and_no_tie(PollMode mode)
    {
        var result = PollTally.Count(Poll(mode), [], 3);
        Assert.Equal(0, result.Voters);
        Assert.Empty(result.Leaders);
        Assert.Empty(result.Winners());
        Assert.False(result.IsTie());
    }

    [Fact]
    public void Choices_of_unknown_options_and_repeats_are_ignored_and_a_single_ballot_keeps_its_first()
    {
        var poll = Poll(PollMode.Single);
        var result = PollTally.Count(poll, [new Ballot { Choices = [9, B, B] }, new Ballot { Choices = [C, A] }, new Ballot { Choices = [42] }], 3);
        Assert.Equal(2, result.Voters); // the ballot naming only a missing option counts for nothing
        Assert.Equal([0, 1, 1], result.Counts.Select(c => c.Votes));
    }

    [Fact]
    public void Ranked_with_a_first_round_majority_needs_one_round()
    {
        var result = PollTally.Count(Poll(PollMode.Ranked), Ballots((3, [A, B]), (2, [B, A])), 3);
        var round = Assert.Single(result.Rounds);
        Assert.Empty(round.Eliminated);
        Assert.Equal([A], result.Leaders);
    }

    [Fact]
    public void Ranked_runoff_transfers_the_last_options_ballots_and_can_overturn_the_first_round_leader()
    {
        // A leads on first preferences, but C's supporters prefer B.
        var result = PollTally.Count(Poll(PollMode.Ranked), Ballots((4, [A]), (3, [B, C]), (2, [C, B])), 3);

        Assert.Equal(2, result.Rounds.Count);
        Assert.Equal([4, 3, 2], result.Rounds[0].Counts.Select(c => c.Votes));
        Assert.Equal([C], result.Rounds[0].Eliminated);
        Assert.Null(result.Rounds[0].TiedAtBottom);
        Assert.Equal(4, Votes(result.Rounds[1].Counts, A));
        Assert.Equal(5, Votes(result.Rounds[1].Counts, B));
        Assert.Equal([B], result.Leaders);
        Assert.Equal([4, 3, 2], result.Counts.Select(c => c.Votes)); // first preferences
    }

    [Fact]
    public void Ranked_ballots_with_no_choice_left_are_exhausted_and_the_majority_is_of_ballots_still_counting()
    {
        var result = PollTally.Count(Poll(PollMode.Ranked), Ballots((4, [A]), (3, [B]), (2, [C])), 3);
        Assert.Equal(2, result.Rounds.Count);
        Assert.Equal(2, result.Rounds[1].Exhausted);
        Assert.Equal(7, result.Rounds[1].Active());
        Assert.Equal([A], result.Leaders); // 4 of 7
    }

    [Fact]
    public void Ranked_final_round_with_equal_counts_is_a_tie()
    {
        var result = PollTally.Count(Poll(PollMode.Ranked), Ballots((2, [A]), (2, [B]), (1, [C])), 3);
        Assert.Equal([C], result.Rounds[0].Eliminated);
        Assert.Empty(result.Rounds[^1].Eliminated);
        Assert.Equal([A, B], result.Leaders);
        Assert.True(result.IsTie());
    }

    [Fact]
    public void A_tie_for_fewest_is_decided_by_the_most_recent_earlier_round_that_separates_them()
    {
        var result = PollTally.Count(Poll(PollMode.Ranked, options: 4),
            Ballots((7, [A]), (4, [B]), (3, [C, B]), (1, [D, C, B]), (1, [D])), 3);

        Assert.Equal(3, result.Rounds.Count);
        Assert.Equal([D], result.Rounds[0].Eliminated);
        var second = result.Rounds[1];
        Assert.Equal([B, C], second.TiedAtBottom);
        Assert.Equal([C], second.Eliminated); // C had 3 to B's 4 in round 1
        Assert.Equal(1, second.DecidedByRound);
        Assert.Equal(8, Votes(result.Rounds[2].Counts, B));
        Assert.Equal([B], result.Leaders);
    }

    [Fact]
    public void A_tie_for_fewest_that_no_round_separates_sends_all_of_them_out_together()
    {
        var result = PollTally.Count(Poll(PollMode.Ranked), Ballots((3, [A]), (2, [B, A]), (2, [C])), 3);

        var first = result.Rounds[0];
        Assert.Equal([B, C], first.TiedAtBottom);
        Assert.Equal([B, C], first.Eliminated);
        Assert.Null(first.DecidedByRound);
        Assert.Equal(5, Votes(result.Rounds[1].Counts, A));
        Assert.Equal([A], result.Leaders);
    }

    [Fact]
    public void Counting_is_deterministic_whatever_order_the_ballots_arrive_in()
    {
        var ballots = Ballots((7, [A]), (4, [B]), (3, [C, B]), (1, [D, C, B]), (1, [D])).ToList();
        var poll = Poll(PollMode.Ranked, options: 4);
        var expected = PollTally.Count(poll, ballots, 3);
        for (var seed = 0; seed < 20; seed++)
        {
            var random = new Random(seed);
            var shuffled = ballots.OrderBy(_ => random.Next()).ToList();
            var again = PollTally.Count(poll, shuffled, 3);
            Assert.Equal(expected.Leaders, again.Leaders);
            Assert.Equal(expected.Rounds.Select(r => string.Join(",", r.Eliminated)), again.Rounds.Select(r => string.Join(",", r.Eliminated)));
        }
    }

    [Fact]
    public void Open_polls_record_names_and_anonymous_polls_none()
    {
        var named = new[] { new Ballot { Choices = [A], DisplayName = "Sam" }, new Ballot { Choices = [B], DisplayName = "Alex" } };
        Assert.Equal(["Alex", "Sam"], PollTally.Count(Poll(PollMode.Single, anonymous: false), named, 3).Named.Select(n => n.Name));
        Assert.Empty(PollTally.Count(Poll(PollMode.Single, anonymous: true), named, 3).Named);
    }

    [Fact]
    public void Withholding_keeps_only_the_number_of_voters_never_a_winner()
    {
        var poll = Poll(PollMode.Single);
        var full = PollTally.Count(poll, Ballots((2, [A])), 3);
        Assert.True(PollTally.MustWithhold(poll, full.Voters, 3));
        Assert.False(PollTally.MustWithhold(poll with { Anonymous = false }, full.Voters, 3));
        Assert.Equal([A], full.Leaders); // both agreed: a "chosen" option would tell each how the other voted

        var withheld = PollTally.Withhold(full);
        Assert.True(withheld.CountsHidden);
        Assert.Equal(2, withheld.Voters);
        Assert.Empty(withheld.Counts);
        Assert.Empty(withheld.Leaders);
        Assert.Empty(withheld.Winners());
    }
}
