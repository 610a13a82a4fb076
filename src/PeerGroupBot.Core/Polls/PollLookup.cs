using PeerGroupBot.Core.Groups;

namespace PeerGroupBot.Core.Polls;

/// <summary>Answers other features (a session reminder mentions polls about to close) from the stored polls.</summary>
public sealed class PollLookup(PollStore store) : IPollLookup
{
    public async Task<IReadOnlyList<OpenPollSummary>> GetOpenPollsAsync(GroupDocument group, CancellationToken cancellationToken)
    {
        var polls = await store.ListAsync(group.Id, cancellationToken).ConfigureAwait(false);
        return polls.Where(p => p.Phase != PollPhase.Closed)
            .Select(p => new OpenPollSummary(p.Id, p.Question, p.Phase == PollPhase.Voting ? p.ClosesAt : null))
            .ToList();
    }
}
