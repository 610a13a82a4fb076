using Microsoft.Extensions.Options;
using PeerGroupBot.Core.Groups;

namespace PeerGroupBot.Core.Polls;

/// <summary>
/// Counts a poll's ballots as they stand, applying the group's anonymity threshold before anything can be shown:
/// below it, only the number of voters leaves this class. An open anonymous poll shows no counts at all unless its
/// opener chose live results, and then only the counts of the last step (taken once k voters have changed their
/// ballot since the one before), so no single vote, change or withdrawal can be read off the card.
/// </summary>
public sealed class PollResults(PollStore store, IOptions<PollOptions> options)
{
    /// <summary>The lowest threshold anyone may set: with one voter, a result is that voter's ballot.</summary>
    public const int LowestMinVoters = 2;

    /// <summary>The lowest threshold once an anonymous poll has votes (lowering it then could reveal them).</summary>
    public const int LowestMinVotersWhileVoting = 3;

    /// <summary>The anonymity threshold k for a group: its own setting, or the configured default.</summary>
    public int MinVoters(GroupDocument group) => Math.Max(LowestMinVoters, group.MinVotersBeforeResults ?? options.Value.MinVotersBeforeResults);

    /// <summary>The live result of an open poll, safe to show in the channel.</summary>
    public async Task<PollResult> LiveAsync(GroupDocument group, PollDocument poll, CancellationToken cancellationToken)
        => poll.Phase == PollPhase.Suggesting
            ? new PollResult { MinVoters = MinVoters(group), CountsHidden = poll.Anonymous }
            : Live(group, poll, await store.GetBallotsAsync(group.Id, poll.Id, cancellationToken).ConfigureAwait(false));

    /// <summary>The live result drawn from a ballot box already in hand (the one a vote just wrote).</summary>
    public PollResult Live(GroupDocument group, PollDocument poll, BallotBox box)
    {
        var k = MinVoters(group);
        if (poll.Phase == PollPhase.Suggesting) return new PollResult { MinVoters = k, CountsHidden = poll.Anonymous };
        if (!poll.Anonymous) return PollTally.Count(poll, [.. box.Ballots.Values], k);
        if (!poll.LiveResults || box.Shown is null || box.Shown.Count < k)
            return new PollResult { Voters = box.Ballots.Count, MinVoters = k, CountsHidden = true };
        var shown = PollTally.Count(poll, box.Shown.Select(choices => new Ballot { Choices = choices }), k);
        return PollTally.MustWithhold(poll, shown.Voters, k)
            ? new PollResult { Voters = box.Ballots.Count, MinVoters = k, CountsHidden = true }
            : shown with { VotersNow = box.Ballots.Count };
    }

    /// <summary>
    /// What a vote on an anonymous poll with live results passes to the ballot box write: the card's next step is taken
    /// in that same write once k voters have changed since the last one. Null for every other poll.
    /// </summary>
    public int? StepOf(GroupDocument group, PollDocument poll) => poll.Anonymous && poll.LiveResults ? MinVoters(group) : null;

    /// <summary>
    /// The final result to freeze at close. Below the threshold an anonymous poll keeps only how many voted: no winner
    /// and no counts (with two voters a "chosen" option would tell each how the other voted).
    /// </summary>
    public PollResult Final(GroupDocument group, PollDocument poll, BallotBox sealedBox)
    {
        var k = MinVoters(group);
        var ballots = sealedBox.Ballots;
        var result = PollTally.Count(poll, [.. ballots.Values], k);
        return PollTally.MustWithhold(poll, result.Voters, k) ? PollTally.Withhold(result) : result;
    }
}
