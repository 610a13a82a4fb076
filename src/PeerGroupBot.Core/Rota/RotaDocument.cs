using NodaTime;

namespace PeerGroupBot.Core.Rota;

/// <summary>
/// One role in one session: who holds it (nobody yet when <see cref="MemberId"/> is null) and why.
/// <see cref="BlockedByCap"/> marks a slot left empty only by the group's load cap, for a facilitator to decide.
/// </summary>
public sealed record RotaSlot(string Role, string? MemberId, string Reason, bool BlockedByCap = false);

/// <summary>
/// A session on the rota with its slots, and who said they could take each role (kept so a slot can be passed on
/// fairly later, when someone steps back).
/// </summary>
public sealed record RotaEntry(RotaSession Session, List<RotaSlot> Slots, Dictionary<string, List<string>> Available)
{
    public RotaSlot? SlotOf(string memberId) => Slots.FirstOrDefault(s => s.MemberId == memberId);
}

/// <summary>A member asked another to take over their slot; waiting for the answer.</summary>
public sealed record SwapRequest(string Id, string SessionId, string Role, string FromMemberId, string ToMemberId, Instant At);

/// <summary>
/// The group's rota: past sessions (for fairness and stats) and upcoming ones, who has stepped back, open swap
/// requests. Stored at <c>groups/{groupId}/rota/rota</c>; every change is a conditional read-modify-write.
/// </summary>
public sealed record RotaDocument
{
    /// <summary>In date order.</summary>
    public List<RotaEntry> Sessions { get; init; } = [];

    /// <summary>Members who paused their turns (<c>rota stepback</c>); never given a slot until they return.</summary>
    public List<string> SteppedBack { get; init; } = [];

    public List<SwapRequest> Swaps { get; init; } = [];

    /// <summary>Polls whose results are already on the rota, so a poll closed twice (command and deadline) applies once.</summary>
    public List<string> AppliedPolls { get; init; } = [];

    /// <summary>Display names by member id, for members who answered a poll or hold a slot.</summary>
    public Dictionary<string, string> Names { get; init; } = [];

    public string NameOf(string memberId) => Names.GetValueOrDefault(memberId) ?? "a member";

    public RotaEntry? Find(string sessionId) => Sessions.FirstOrDefault(s => s.Session.Id == sessionId);

    public IEnumerable<RotaEntry> Upcoming(Instant now, DateTimeZone zone) => Sessions.Where(s => s.Session.IsUpcoming(now, zone));

    public static string KeyFor(string groupId) => $"groups/{groupId}/rota/rota";
}
