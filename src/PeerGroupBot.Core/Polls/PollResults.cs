using Microsoft.Extensions.Options;
using PeerGroupBot.Core.Groups;

namespace PeerGroupBot.Core.Polls;

/// <summary>
/// Counts a poll's ballots as they stand, applying the group's anonymity threshold before anything can be shown:
/// below it, only the number of voters leaves this class (and for that, listing the ballot keys is enough).
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
        var keys = await store.ListBallotKeysAsync(group.Id, poll.Id, cancellationToken).ConfigureAwait(false);
        if (PollTally.MustWithhold(poll, keys.Count, k)) return new PollResult { Voters = keys.Count, MinVoters = k, CountsHidden = true };
        var result = PollTally.Count(poll, await store.ReadBallotsAsync(keys, cancellationToken).ConfigureAwait(false), k);
        return PollTally.MustWithhold(poll, result.Voters, k) ? PollTally.Withhold(result, keepSingleWinner: false) : result;
    }

    /// <summary>The final result to freeze at close: below the threshold only a single winner survives, and no counts are kept.</summary>
    public async Task<PollResult> FinalAsync(GroupDocument group, PollDocument poll, CancellationToken cancellationToken)
    {
        var k = MinVoters(group);
        var keys = await store.ListBallotKeysAsync(group.Id, poll.Id, cancellationToken).ConfigureAwait(false);
        var result = PollTally.Count(poll, await store.ReadBallotsAsync(keys, cancellationToken).ConfigureAwait(false), k);
        return PollTally.MustWithhold(poll, result.Voters, k) ? PollTally.Withhold(result, keepSingleWinner: true) : result;
    }
}
