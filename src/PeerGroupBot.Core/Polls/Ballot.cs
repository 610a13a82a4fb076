namespace PeerGroupBot.Core.Polls;

/// <summary>
/// One member's vote on one poll. Stored at <c>groups/{groupId}/ballots/{pollId}/{voterKey}</c>, where the voter key
/// is a keyed hash of the member id made with a purpose unique to that poll: the member can change their vote, a
/// double click writes the same document twice, and the ballots of two polls cannot be linked to each other.
/// An anonymous ballot holds the choices only: no id, no name, no time. All ballots are deleted when the poll closes.
/// </summary>
public sealed record Ballot
{
    /// <summary>Option ids: one (single), any number (approval), or in order of preference (ranked).</summary>
    public List<int> Choices { get; init; } = [];

    /// <summary>Open (named) polls only: the name shown next to the choice.</summary>
    public string? DisplayName { get; init; }

    public bool SameAs(Ballot other) => Choices.SequenceEqual(other.Choices) && DisplayName == other.DisplayName;
}
