namespace PeerGroupBot.Core.Polls;

/// <summary>Votes (or approvals, or ballots in a runoff round) for one option.</summary>
public sealed record OptionTally(int OptionId, int Votes);

/// <summary>
/// One instant-runoff round: the count of every option still in the race, how many ballots had no option left,
/// and which options went out after it. When several tied for fewest, <paramref name="TiedAtBottom"/> names them and
/// <paramref name="DecidedByRound"/> says which earlier round separated them (null: none did, so all went out) —
/// every step can be explained in words, and nothing is left to chance.
/// </summary>
public sealed record RunoffRound(List<OptionTally> Counts, int Exhausted, List<int> Eliminated, List<int>? TiedAtBottom = null, int? DecidedByRound = null)
{
    public int Active() => Counts.Sum(c => c.Votes);
}

/// <summary>A named voter's choices, for open (non-anonymous) polls only.</summary>
public sealed record NamedBallot(string Name, List<int> Choices);

/// <summary>
/// The outcome of a poll, computed live while it is open and frozen into the poll document when it closes.
/// When <see cref="CountsHidden"/> is set (an anonymous poll with fewer voters than the group's threshold) the counts
/// are not merely hidden from view: they are not stored at all.
/// </summary>
public sealed record PollResult
{
    public int Voters { get; init; }

    /// <summary>Single and approval: every option's count. Ranked: first preferences (round 1).</summary>
    public List<OptionTally> Counts { get; init; } = [];

    /// <summary>Ranked polls: every runoff round in order.</summary>
    public List<RunoffRound> Rounds { get; init; } = [];

    /// <summary>The options in first place: one is a winner, several are a tie, none means no votes.</summary>
    public List<int> Leaders { get; init; } = [];

    /// <summary>Anonymous and below the threshold: only <see cref="Voters"/> and, at close, a single winner are kept.</summary>
    public bool CountsHidden { get; init; }

    /// <summary>The threshold that applied (for the message "counts show once 3 have voted").</summary>
    public int MinVoters { get; init; }

    /// <summary>
    /// Live results of an anonymous poll: the counts are the last step's (<see cref="Voters"/> ballots then) and
    /// <see cref="VotersNow"/> is how many have voted now. Null for every other result.
    /// </summary>
    public int? VotersNow { get; init; }

    /// <summary>Open polls only: who chose what.</summary>
    public List<NamedBallot> Named { get; init; } = [];

    /// <summary>After a facilitator broke a tie: the option(s) they chose among the leaders.</summary>
    public List<int>? TieBrokenTo { get; init; }

    /// <summary>The facilitator who broke the tie (a facilitator's decision is shown, not a vote).</summary>
    public string? TieBrokenBy { get; init; }

    public bool IsTie() => Leaders.Count > 1;

    public bool TieSettled() => TieBrokenTo is not null;

    /// <summary>What goes onto the agenda: the winner, the options a facilitator chose in a tie, or nothing yet.</summary>
    public IReadOnlyList<int> Winners() => TieBrokenTo ?? (Leaders.Count == 1 ? Leaders : []);
}
