using NodaTime;

namespace PeerGroupBot.Core.Rota;

/// <summary>
/// The glue between the stored rota and the pure <see cref="RotaAssigner"/>: turns the document into a timeline,
/// fills the chosen slots, writes the decisions back. Used when a poll closes and when someone steps back.
/// </summary>
public static class RotaPlanning
{
    /// <summary>Fills <paramref name="open"/> slots of <paramref name="rota"/> in place and returns the decisions.</summary>
    public static IReadOnlyList<SlotDecision> Fill(RotaDocument rota, IReadOnlySet<(string SessionId, string Role)> open, int window, LoadCap? cap)
    {
        if (open.Count == 0) return [];
        var steppedBack = rota.SteppedBack.ToHashSet();
        var timeline = rota.Sessions.Select(e => new PlannedSession(
            e.Session.Id,
            e.Slots.Where(s => s.MemberId is not null).GroupBy(s => s.Role).ToDictionary(g => g.Key, g => g.First().MemberId!),
            e.Slots.Where(s => open.Contains((e.Session.Id, s.Role))).Select(s => s.Role).ToList())).ToList();
        var available = rota.Sessions
            .SelectMany(e => e.Available.SelectMany(r => r.Value.Where(m => !steppedBack.Contains(m)).Select(m => new Availability(e.Session.Id, r.Key, m))))
            .ToHashSet();

        var decisions = RotaAssigner.Assign(new AssignmentRequest(timeline, available, window, cap));
        foreach (var decision in decisions)
        {
            var entry = rota.Find(decision.SessionId)!;
            var index = entry.Slots.FindIndex(s => s.Role == decision.Role);
            entry.Slots[index] = new RotaSlot(decision.Role, decision.MemberId, decision.Reason, decision.BlockedByCap);
        }
        return decisions;
    }

    /// <summary>Drops the oldest past sessions beyond <paramref name="keep"/>, and swap requests for sessions that have started.</summary>
    public static void Trim(RotaDocument rota, int keep, Instant now, DateTimeZone zone)
    {
        while (rota.Sessions.Count > Math.Max(1, keep) && !rota.Sessions[0].Session.IsUpcoming(now, zone))
            rota.Sessions.RemoveAt(0);
        rota.Swaps.RemoveAll(s => rota.Find(s.SessionId)?.Session.IsUpcoming(now, zone) != true);
        if (rota.AppliedPolls.Count > 10) rota.AppliedPolls.RemoveRange(0, rota.AppliedPolls.Count - 10);
    }
}
