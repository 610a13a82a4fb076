namespace PeerGroupBot.Core.Rota;

/// <summary>Host-wide rota defaults, bound from the "Rota" configuration section. Groups change roles and caps with commands.</summary>
public sealed class RotaOptions
{
    public const string Section = "Rota";

    /// <summary>How many upcoming sessions <c>rota poll</c> asks about when no number is given.</summary>
    public int DefaultPollSessions { get; set; } = 4;

    /// <summary>How long a rota poll stays open (it also closes an hour before its first session).</summary>
    public int PollOpenHours { get; set; } = 72;

    /// <summary>The "recent window": how many sessions count when comparing members' turns, and what <c>rota stats</c> shows.</summary>
    public int RecentWindowSessions { get; set; } = 8;

    /// <summary>How many sessions of history the rota keeps (for fairness and stats); older ones are dropped.</summary>
    public int KeepSessions { get; set; } = 52;
}
