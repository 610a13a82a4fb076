using NodaTime;
using PeerGroupBot.Core.Outbound;

namespace PeerGroupBot.Core.Polls;

/// <summary>How members vote.</summary>
public enum PollMode
{
    /// <summary>One choice each; most votes wins.</summary>
    Single,
    /// <summary>Pick every option you would be happy with; most approvals wins.</summary>
    Approval,
    /// <summary>Order your preferences; counted by instant runoff.</summary>
    Ranked,
}

/// <summary>Where a poll is in its life.</summary>
public enum PollPhase
{
    /// <summary>Members suggest topics; nobody votes yet. The opener or a facilitator starts the vote.</summary>
    Suggesting,
    Voting,
    /// <summary>The result is frozen in <see cref="PollDocument.Result"/> and the ballots are gone.</summary>
    Closed,
}

/// <summary>One option. Ids are stable while a poll is open, so buttons and typed votes keep meaning the same thing.</summary>
public sealed record PollOption(int Id, string Text);

/// <summary>
/// A topic poll: question, options, settings and, once closed, its frozen result. Stored at
/// <c>groups/{groupId}/polls/{id}</c>; the id is the poll's number in the group ("3"), which members type.
/// Votes are not here: each voter has a <see cref="Ballot"/> document of their own, so hundreds of members
/// voting at once never fight over this document. It holds no member id: the opener is a keyed hash.
/// </summary>
public sealed record PollDocument
{
    public required string Id { get; init; }
    public required string GroupId { get; init; }
    public required string Question { get; init; }
    public List<PollOption> Options { get; init; } = [];
    public int NextOptionId { get; init; } = 1;
    public PollMode Mode { get; init; }
    public bool Anonymous { get; init; } = true;

    /// <summary>
    /// Anonymous polls only: the opener chose live results, which the card shows in steps of at least k changed votes.
    /// Off by default: an anonymous poll's card shows only how many have voted until it closes.
    /// </summary>
    public bool LiveResults { get; init; }
    public PollPhase Phase { get; init; }

    /// <summary>Keyed hash of the opener's member id for this poll (so the opener may start and close it).</summary>
    public required string OpenerKey { get; init; }

    public Instant OpenedAt { get; init; }
    public Instant? VotingOpenedAt { get; init; }

    /// <summary>When voting closes on its own; null means it stays open until someone closes it.</summary>
    public Instant? ClosesAt { get; init; }

    public Instant? ClosedAt { get; init; }

    /// <summary>When members who had not voted were nudged (once per poll); who they were is not kept.</summary>
    public Instant? NonVotersNudgedAt { get; init; }

    /// <summary>The poll card in every linked channel, updated after each vote.</summary>
    public PostedMessage Card { get; init; } = PostedMessage.None;

    /// <summary>The results message posted at close (it carries the tie-break buttons).</summary>
    public PostedMessage ResultsMessage { get; init; } = PostedMessage.None;

    /// <summary>The frozen result, set once when the poll closes.</summary>
    public PollResult? Result { get; init; }

    public PollOption? Option(int id) => Options.FirstOrDefault(o => o.Id == id);

    public string OptionText(int id) => Option(id)?.Text ?? $"option {id}";

    public static string KeyFor(string groupId, string pollId) => $"groups/{groupId}/polls/{pollId}";
}
