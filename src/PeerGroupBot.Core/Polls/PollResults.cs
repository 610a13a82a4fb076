using Microsoft.Extensions.Options;
using PeerGroupBot.Core.Groups;

namespace PeerGroupBot.Core.Polls;

/// <summary>
/// Counts a poll's ballots as they stand, applying the group's anonymity threshold before anything can be shown:
/// below it, only the number of voters leaves this class.
/// </summary>
public sealed class PollResults(PollStore store, IOptions<PollOptions> options)
{
    /// <summary>The anonymity threshold k for a group: its own setting, or the configured default.</summary>
    public int MinVoters(GroupDocument group) => Math.Max(1, group.MinVotersBeforeResults ?? options.Value.MinVotersBeforeResults);

    /// <summary>The live result of an open poll, safe to show in the channel.</summary>
    public async Task<PollResult> LiveAsync(GroupDocument group, PollDocument poll, CancellationToken cancellationToken)
    {
        var k = MinVoters(group);
        if (poll.Phase == PollPhase.Suggesting) return new PollResult { MinVoters = k, CountsHidden = poll.Anonymous };
        var ballots = (await store.GetBallotsAsync(group.Id, poll.Id, cancellationToken).ConfigureAwait(false)).Ballots;
        if (PollTally.MustWithhold(poll, ballots.Count, k)) return new PollResult { Voters = ballots.Count, MinVoters = k, CountsHidden = true };
        var result = PollTally.Count(poll, [.. ballots.Values], k);
        return PollTally.MustWithhold(poll, result.Voters, k) ? PollTally.Withhold(result, keepSingleWinner: false) : result;
    }

    /// <summary>The final result to freeze at close: below the threshold only a single winner survives, and no counts are kept.</summary>
    public async Task<PollResult> FinalAsync(GroupDocument group, PollDocument poll, CancellationToken cancellationToken)
    {
        var k = MinVoters(group);
        var ballots = (await store.GetBallotsAsync(group.Id, poll.Id, cancellationToken).ConfigureAwait(false)).Ballots;
        var result = PollTally.Count(poll, [.. ballots.Values], k);
        return PollTally.MustWithhold(poll, result.Voters, k) ? PollTally.Withhold(result, keepSingleWinner: true) : result;
    }
}
