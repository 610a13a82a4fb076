using System.Globalization;
using NodaTime;
using PeerGroupBot.Core.Outbound;

namespace PeerGroupBot.Core.Concerns;

public enum ConcernStatus
{
    /// <summary>Raised, waiting for its random delay before the facilitators see it.</summary>
    Pending,
    New,
    Acknowledged,
    Resolved,
}

public enum ConcernAuthor { Facilitators, Member }

/// <summary>
/// One message of the anonymous conversation about a concern. <see cref="SharedAt"/> is when the other side was shown
/// it; a member's answer waiting for its random delay has none, so no stored time marks the moment they wrote.
/// </summary>
public sealed record ConcernMessage(ConcernAuthor From, string Text, Instant? SharedAt = null);

/// <summary>
/// An anonymous concern, stored at <c>groups/{groupId}/concerns/items/{number}</c>. It holds what the member chose to
/// say and the triage state, and nothing that maps back to them: no platform id, no name, no member key, and no time
/// of raising (only when the facilitators were shown it). The way back to the member, when they allowed replies, is
/// a separate encrypted <see cref="ConcernDelivery"/> document.
/// </summary>
public sealed record ConcernDocument
{
    public required string GroupId { get; init; }
    public required int Number { get; init; }
    public required string Text { get; init; }
    public string? Category { get; init; }
    public ConcernStatus Status { get; init; } = ConcernStatus.Pending;
    public bool Urgent { get; init; }
    /// <summary>The member allowed replies. Whether a reply can still be delivered depends on the delivery document existing.</summary>
    public bool RepliesAllowed { get; init; }
    /// <summary>The delivery address was removed before resolution because the retention period ran out.</summary>
    public bool ReplyRouteExpired { get; init; }
    public Instant? PostedAt { get; init; }
    public Instant? AcknowledgedAt { get; init; }
    /// <summary>Display name of the facilitator who acknowledged (facilitators are not anonymous to each other).</summary>
    public string? AcknowledgedBy { get; init; }
    public Instant? ResolvedAt { get; init; }
    public string? ResolvedBy { get; init; }
    public List<ConcernMessage> Thread { get; init; } = [];
    /// <summary>Where the facilitators' card was posted, so it can be updated in place.</summary>
    public PostedMessage? Card { get; init; }
    public int Nudges { get; init; }

    public bool IsOpen => Status is ConcernStatus.New or ConcernStatus.Acknowledged;

    /// <summary>
    /// The document with every time cut to the whole minute: stored times are what facilitators need (when it arrived,
    /// was acknowledged, resolved), never precise enough to be matched to a member's other traces.
    /// </summary>
    public ConcernDocument InWholeMinutes() => this with
    {
        PostedAt = WholeMinute(PostedAt),
        AcknowledgedAt = WholeMinute(AcknowledgedAt),
        ResolvedAt = WholeMinute(ResolvedAt),
        Thread = [.. Thread.Select(m => m with { SharedAt = WholeMinute(m.SharedAt) })],
    };

    public static Instant? WholeMinute(Instant? at)
        => at is { } t ? Instant.FromUnixTimeTicks(t.ToUnixTimeTicks() / NodaConstants.TicksPerMinute * NodaConstants.TicksPerMinute) : null;

    public static string Folder(string groupId) => $"groups/{groupId}/concerns/items/";

    public static string KeyFor(string groupId, int number) => Folder(groupId) + number.ToString("D6", CultureInfo.InvariantCulture);
}

/// <summary>
/// The encrypted way back to a member who allowed replies: their member id sealed with AES-GCM
/// (<see cref="DeliveryAddresses"/>). Stored apart from the concern at <c>groups/{groupId}/concerns/delivery/{number}</c>
/// and deleted when the concern is resolved or its retention ends. A member who chose "no replies" never has one.
/// </summary>
public sealed record ConcernDelivery(string Sealed)
{
    public static string KeyFor(string groupId, int number) => $"groups/{groupId}/concerns/delivery/{number.ToString("D6", CultureInfo.InvariantCulture)}";
}
