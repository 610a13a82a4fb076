using NodaTime;
using PeerGroupBot.Core.Groups;

namespace PeerGroupBot.Core.Polls;

public sealed record OpenPollSummary(string PollId, string Question, Instant? ClosesAt);

/// <summary>What other features ask of polls: which topic polls are open (a reminder mentions those about to close).</summary>
public interface IPollLookup
{
    Task<IReadOnlyList<OpenPollSummary>> GetOpenPollsAsync(GroupDocument group, CancellationToken cancellationToken);
}

public sealed class NoPollLookup : IPollLookup
{
    public Task<IReadOnlyList<OpenPollSummary>> GetOpenPollsAsync(GroupDocument group, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<OpenPollSummary>>([]);
}
