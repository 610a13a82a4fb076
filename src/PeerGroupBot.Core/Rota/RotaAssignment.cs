namespace PeerGroupBot.Core.Rota;

/// <summary>
/// A group's limit on how often one member is asked to serve (issue 13: small groups whose members are unwell at
/// times must not lean on the same two people). At most <see cref="MaxTurns"/> turns in any
/// <see cref="WindowSessions"/> sessions running; for one role only when <see cref="Role"/> is set.
/// </summary>
public sealed record LoadCap(int MaxTurns, int WindowSessions, string? Role = null)
{
    public bool Counts(string role) => Role is null || Role == role;

    public string Describe() => Role is null
        ? $"{MaxTurns} {Turns(MaxTurns)} in {WindowSessions} sessions"
        : $"{MaxTurns} {Turns(MaxTurns)} as {Role} in {WindowSessions} sessions";

    private static string Turns(int n) => n == 1 ? "turn" : "turns";
}

/// <summary>
/// One session on the assigner's timeline, in date order. <see cref="Holders"/> are the slots already decided
/// (past sessions, slots nobody is changing); <see cref="OpenRoles"/> are the slots to fill now, in role order.
/// </summary>
public sealed record PlannedSession(string Id, IReadOnlyDictionary<string, string> Holders, IReadOnlyList<string> OpenRoles);

/// <summary>A member said they could take <see cref="Role"/> in session <see cref="SessionId"/>.</summary>
public sealed record Availability(string SessionId, string Role, string MemberId);

/// <summary>Everything the assigner looks at. Nothing else (no clock, no randomness) affects the result.</summary>
/// <param name="Sessions">The whole timeline in date order: recent history, sessions to fill, sessions already planned.</param>
/// <param name="Available">Who can take which slot. A member absent here for a slot is never put in it.</param>
/// <param name="RecentWindow">How many sessions either side count as "recent" when comparing turns.</param>
/// <param name="Cap">The group's load cap, if it set one.</param>
public sealed record AssignmentRequest(
    IReadOnlyList<PlannedSession> Sessions,
    IReadOnlySet<Availability> Available,
    int RecentWindow,
    LoadCap? Cap = null);

/// <summary>The outcome for one open slot: who got it (or nobody) and why, in words a member can read.</summary>
public sealed record SlotDecision(string SessionId, string Role, string? MemberId, string Reason)
{
    public bool IsFilled => MemberId is not null;

    /// <summary>True when the slot stayed empty only because of the group's load cap, so a facilitator should decide.</summary>
    public bool BlockedByCap { get; init; }
}
