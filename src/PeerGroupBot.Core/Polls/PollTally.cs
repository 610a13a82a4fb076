namespace PeerGroupBot.Core.Polls;

/// <summary>
/// Counts ballots. Pure and deterministic: the same ballots always give the same result, ties are reported as ties
/// (a facilitator breaks them in the open), and nothing is decided at random.
/// </summary>
public static class PollTally
{
    /// <summary>Counts every ballot (ballots naming options that no longer exist are cleaned, empty ones ignored).</summary>
    public static PollResult Count(PollDocument poll, IEnumerable<Ballot> ballots, int minVoters)
    {
        var valid = ballots.Select(b => Clean(poll, b)).Where(b => b.Choices.Count > 0).ToList();
        var result = poll.Mode == PollMode.Ranked ? Runoff(poll, valid) : Plurality(poll, valid);
        return result with
        {
            Voters = valid.Count,
            MinVoters = minVoters,
            Named = poll.Anonymous
                ? []
                : valid.Where(b => b.DisplayName is not null).Select(b => new NamedBallot(b.DisplayName!, b.Choices))
                    .OrderBy(n => n.Name, StringComparer.OrdinalIgnoreCase).ToList(),
        };
    }

    /// <summary>
    /// Whether an anonymous poll must hold its counts back: fewer voters than the group's threshold could let members
    /// work out how each other voted. Open polls show everything.
    /// </summary>
    public static bool MustWithhold(PollDocument poll, int voters, int minVoters) => poll.Anonymous && voters < minVoters;

    /// <summary>
    /// Strips everything but the number of voters (no counts, no winner). Used before a below-threshold result is
    /// shown or stored.
    /// </summary>
    public static PollResult Withhold(PollResult result) => new()
    {
        Voters = result.Voters,
        MinVoters = result.MinVoters,
        CountsHidden = true,
    };

    /// <summary>Keeps only choices of existing options, once each; a single-choice ballot keeps its first.</summary>
    public static Ballot Clean(PollDocument poll, Ballot ballot)
    {
        var known = poll.Options.Select(o => o.Id).ToHashSet();
        var choices = ballot.Choices.Where(known.Contains).Distinct().ToList();
        if (poll.Mode == PollMode.Single && choices.Count > 1) choices = [choices[0]];
        return ballot with { Choices = choices };
    }

    private static PollResult Plurality(PollDocument poll, List<Ballot> ballots)
    {
        var counts = poll.Options.Select(o => new OptionTally(o.Id, ballots.Count(b => b.Choices.Contains(o.Id)))).ToList();
        return new PollResult { Counts = counts, Leaders = Leaders(counts) };
    }

    private static List<int> Leaders(List<OptionTally> counts)
    {
        var top = counts.Count == 0 ? 0 : counts.Max(c => c.Votes);
        return top == 0 ? [] : counts.Where(c => c.Votes == top).Select(c => c.OptionId).ToList();
    }

    /// <summary>
    /// Instant runoff. Each round every ballot counts for its highest-ranked option still in the race. An option with
    /// more than half of the ballots still counting wins. Otherwise the option with the fewest goes out; when several
    /// tie for fewest, the most recent earlier round in which they differ decides, and if none does they all go out
    /// together. If every option left has the same count, that is a tie.
    /// </summary>
    private static PollResult Runoff(PollDocument poll, List<Ballot> ballots)
    {
        var continuing = poll.Options.Select(o => o.Id).ToList();
        var rounds = new List<RunoffRound>();
        List<int> leaders = [];
        while (continuing.Count > 0)
        {
            var counts = continuing.ToDictionary(id => id, _ => 0);
            var exhausted = 0;
            foreach (var ballot in ballots)
            {
                var first = ballot.Choices.FirstOrDefault(counts.ContainsKey); // option ids start at 1
                if (first == 0) exhausted++;
                else counts[first]++;
            }
            var tallies = continuing.Select(id => new OptionTally(id, counts[id])).ToList();
            var active = tallies.Sum(t => t.Votes);
            if (active == 0)
            {
                rounds.Add(new RunoffRound(tallies, exhausted, []));
                break;
            }
            var top = tallies.Max(t => t.Votes);
            var atTop = tallies.Where(t => t.Votes == top).Select(t => t.OptionId).ToList();
            if (top * 2 > active || atTop.Count == continuing.Count)
            {
                rounds.Add(new RunoffRound(tallies, exhausted, []));
                leaders = atTop;
                break;
            }
            var low = tallies.Min(t => t.Votes);
            var atBottom = tallies.Where(t => t.Votes == low).Select(t => t.OptionId).ToList();
            var (eliminated, decidedBy) = atBottom.Count == 1 ? (atBottom, (int?)null) : SeparateByEarlierRounds(atBottom, rounds);
            rounds.Add(new RunoffRound(tallies, exhausted, eliminated, atBottom.Count > 1 ? atBottom : null, decidedBy));
            continuing.RemoveAll(eliminated.Contains);
        }
        return new PollResult
        {
            Counts = rounds.Count > 0 ? rounds[0].Counts : [],
            Rounds = rounds,
            Leaders = leaders,
        };
    }

    /// <summary>
    /// Among options tied for fewest, looks back round by round (most recent first) and keeps those with the fewest
    /// votes whenever that narrows them down. Returns who goes out and the round that last separated them.
    /// </summary>
    private static (List<int> Out, int? Round) SeparateByEarlierRounds(List<int> tied, List<RunoffRound> earlier)
    {
        var candidates = tied;
        int? decidedBy = null;
        for (var r = earlier.Count - 1; r >= 0 && candidates.Count > 1; r--)
        {
            var round = earlier[r];
            var votes = candidates.ToDictionary(id => id, id => round.Counts.First(c => c.OptionId == id).Votes);
            var fewest = votes.Values.Min();
            var lowest = candidates.Where(id => votes[id] == fewest).ToList();
            if (lowest.Count < candidates.Count)
            {
                candidates = lowest;
                decidedBy = r + 1;
            }
        }
        return (candidates, decidedBy);
    }
}
