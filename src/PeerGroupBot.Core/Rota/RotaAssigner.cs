using System.Globalization;
using System.Text;

namespace PeerGroupBot.Core.Rota;

/// <summary>
/// Decides who takes each open rota slot. Pure and deterministic: the same request always gives the same rota,
/// whatever order its sets were built in, so a member can trust it and a test can pin it down.
///
/// The rules, in order, for one slot:
/// <list type="number">
/// <item>Only members who said they could take that role in that session (never anyone else).</item>
/// <item>Nobody gets two roles in one session.</item>
/// <item>The group's load cap, when set, is never exceeded; a slot the cap leaves empty says so.</item>
/// <item>Nobody holds the same role two sessions running, unless nobody else can.</item>
/// <item>Fewest turns in the recent window first.</item>
/// <item>Then fewest turns on the whole timeline (a turn just outside the window still counts here).</item>
/// <item>For the co-facilitator of a session where someone takes a role for the first time: experienced members
///       (who have facilitated or co-facilitated before) come first among those with equally few turns. Fairness
///       stays first, so pairing never makes the spread of turns worse.</item>
/// <item>Then whoever has waited longest since their last turn (never having had one counts as longest).</item>
/// <item>Then a fixed tie-break: a hash of session, role and member, so ties do not always favour the same person.</item>
/// </list>
/// Sessions are filled in date order; within a session the co-facilitator is chosen last, so it can be paired
/// with a first-timer chosen for another role. Within a session, as many roles as the offers allow are filled, and
/// where not all can be, the roles earlier in the group's list come first: someone who offered "co-facilitator or
/// note-taker" is not made note-taker when only they can co-facilitate. Each member is then chosen by the rules above
/// among those whose taking the role leaves the session's other roles fillable.
/// </summary>
public static class RotaAssigner
{
    public const string Facilitator = "facilitator";
    public const string CoFacilitator = "co-facilitator";

    public static IReadOnlyList<SlotDecision> Assign(AssignmentRequest request)
    {
        var run = new Run(request);
        return run.FillAll();
    }

    /// <summary>One member's standing for one slot, compared in the order of the rules above.</summary>
    private sealed record Candidate(string MemberId, int Turns, bool Experienced, int AllTurns, int LastTurn, ulong TieBreak);

    private sealed class Run
    {
        private readonly IReadOnlyList<PlannedSession> _sessions;
        private readonly List<Dictionary<string, string>> _holders;
        private readonly Dictionary<(string SessionId, string Role), List<string>> _available;
        private readonly int _window;
        private readonly LoadCap? _cap;

        public Run(AssignmentRequest request)
        {
            _sessions = request.Sessions;
            _window = Math.Max(1, request.RecentWindow);
            _cap = request.Cap;
            // Open slots start empty everywhere before anything is filled, so an outgoing holder counts nowhere.
            _holders = _sessions
                .Select(s => s.Holders.Where(h => !s.OpenRoles.Contains(h.Key)).ToDictionary(h => h.Key, h => h.Value, StringComparer.Ordinal))
                .ToList();
            _available = request.Available
                .GroupBy(a => (a.SessionId, a.Role))
                .ToDictionary(g => g.Key, g => g.Select(a => a.MemberId).Distinct().Order(StringComparer.Ordinal).ToList());
        }

        public IReadOnlyList<SlotDecision> FillAll()
        {
            var decisions = new List<SlotDecision>();
            for (var s = 0; s < _sessions.Count; s++)
            {
                var fillable = FillableRoles(s);
                var pending = FillOrder(_sessions[s].OpenRoles).ToList();
                while (pending.Count > 0)
                {
                    var role = pending[0];
                    pending.RemoveAt(0);
                    var decision = Decide(s, role, fillable.Contains(role), pending.Where(fillable.Contains).ToList());
                    if (decision.MemberId is not null) _holders[s][role] = decision.MemberId;
                    decisions.Add(decision);
                }
            }
            return decisions;
        }

        private static IEnumerable<string> FillOrder(IReadOnlyList<string> roles)
            => roles.Distinct().Where(r => r != CoFacilitator).Concat(roles.Contains(CoFacilitator) ? [CoFacilitator] : []);

        /// <summary>
        /// The open roles of session <paramref name="s"/> that will be filled: in the group's role order, each role
        /// that can be filled together with those already chosen (the greedy way to the best set a matching allows).
        /// </summary>
        private HashSet<string> FillableRoles(int s)
        {
            var chosen = new List<string>();
            var taken = _holders[s].Values.ToHashSet(StringComparer.Ordinal);
            foreach (var role in _sessions[s].OpenRoles.Distinct())
                if (MostFilled(s, [.. chosen, role], taken) == chosen.Count + 1) chosen.Add(role);
            return [.. chosen];
        }

        private SlotDecision Decide(int s, string role, bool fillable, IReadOnlyList<string> laterRoles)
        {
            var session = _sessions[s];
            var available = _available.GetValueOrDefault((session.Id, role)) ?? [];
            if (available.Count == 0)
                return new SlotDecision(session.Id, role, null, "nobody said they could take it");

            var free = available.Where(m => !_holders[s].ContainsValue(m)).ToList();
            if (free.Count == 0)
                return new SlotDecision(session.Id, role, null, "everyone who could take it already has a role that session");

            var withinCap = free.Where(m => FitsCap(m, s, role)).ToList();
            if (withinCap.Count == 0)
                return new SlotDecision(session.Id, role, null, $"everyone who could take it has reached the group's limit of {_cap!.Describe()}") { BlockedByCap = true };

            // Only those whose taking this role still lets the session's other roles to be filled all be filled.
            var taken = _holders[s].Values.ToHashSet(StringComparer.Ordinal);
            var keepsOthersFilled = fillable
                ? withinCap.Where(m => MostFilled(s, laterRoles, new HashSet<string>(taken, StringComparer.Ordinal) { m }) == laterRoles.Count).ToList()
                : [];
            if (keepsOthersFilled.Count == 0)
                return new SlotDecision(session.Id, role, null, "everyone who could take it is needed for another role that session");

            var notRepeating = keepsOthersFilled.Where(m => !HoldsRoleNextTo(m, s, role)).ToList();
            var repeats = notRepeating.Count == 0;
            var pool = repeats ? keepsOthersFilled : notRepeating;

            var pairing = role == CoFacilitator && HasFirstTimer(s);
            var ranked = Rank(pool, s, role, pairing);
            var best = ranked[0];
            var reason = Explain(ranked, pairing, available.Count, WindowLabel(s));
            if (repeats) reason += "; also has this role in the session next to it, as nobody else could take it";
            else if (Rank(keepsOthersFilled, s, role, pairing)[0].MemberId != best.MemberId) reason += "; others who could take it have this role in the session next to it";
            if (Rank(withinCap, s, role, pairing)[0].MemberId != Rank(keepsOthersFilled, s, role, pairing)[0].MemberId)
                reason += "; others who could take it are needed for another role that session";
            return new SlotDecision(session.Id, role, best.MemberId, reason);
        }

        /// <summary>
        /// How many of <paramref name="roles"/> in session <paramref name="s"/> can be filled at once by members who offered
        /// them, are within the cap and are not in <paramref name="taken"/>: a largest matching, by augmenting paths.
        /// </summary>
        private int MostFilled(int s, IReadOnlyList<string> roles, IReadOnlySet<string> taken)
        {
            var session = _sessions[s];
            var eligible = roles.Select(r => (_available.GetValueOrDefault((session.Id, r)) ?? [])
                .Where(m => !taken.Contains(m) && FitsCap(m, s, r)).ToList()).ToList();
            var holderOf = new Dictionary<string, int>(StringComparer.Ordinal);
            var filled = 0;
            for (var r = 0; r < roles.Count; r++)
                if (Augment(r, eligible, holderOf, [])) filled++;
            return filled;
        }

        private static bool Augment(int role, List<List<string>> eligible, Dictionary<string, int> holderOf, HashSet<string> seen)
        {
            foreach (var member in eligible[role])
            {
                if (!seen.Add(member)) continue;
                if (!holderOf.TryGetValue(member, out var other) || Augment(other, eligible, holderOf, seen))
                {
                    holderOf[member] = role;
                    return true;
                }
            }
            return false;
        }

        private List<Candidate> Rank(IEnumerable<string> members, int s, string role, bool pairing)
            => members
                .Select(m => new Candidate(m, Turns(m, s), IsExperienced(m, s), AllTurns(m), LastTurn(m, s), TieBreak(_sessions[s].Id, role, m)))
                .OrderBy(c => c.Turns)
                .ThenBy(c => c.AllTurns)
                .ThenBy(c => pairing && !c.Experienced)
                .ThenBy(c => c.LastTurn)
                .ThenBy(c => c.TieBreak)
                .ThenBy(c => c.MemberId, StringComparer.Ordinal)
                .ToList();

        private static string Explain(List<Candidate> ranked, bool pairing, int availableCount, string window)
        {
            var best = ranked[0];
            var turns = $"fewest turns {window} ({(best.Turns == 0 ? "none" : best.Turns.ToString(CultureInfo.InvariantCulture))})";
            string why;
            if (ranked.Count == 1)
                why = availableCount == 1 ? "the only one who said they could take it" : "the only one left who could take it";
            else if (best.Turns < ranked[1].Turns || (pairing && best.Experienced && !ranked[1].Experienced && best.AllTurns == ranked[1].AllTurns))
                why = turns;
            else if (best.AllTurns < ranked[1].AllTurns)
                why = $"{turns}, and fewest turns overall";
            else if (best.LastTurn < ranked[1].LastTurn)
                why = best.LastTurn < 0 ? $"{turns}, and hasn't had a turn yet" : $"{turns}, and longest since their last turn";
            else
                why = $"{turns}; tied with others, so chosen by a fixed order";
            return pairing && best.Experienced ? why + "; experienced, to support someone taking a role for the first time" : why;
        }

        /// <summary>Turns in the <see cref="_window"/> sessions before <paramref name="s"/>, and in those already planned after it.</summary>
        private int Turns(string member, int s)
        {
            var count = 0;
            for (var i = Math.Max(0, s - _window); i <= Math.Min(_sessions.Count - 1, s + _window); i++)
                if (i != s) count += _holders[i].Values.Count(m => m == member);
            return count;
        }

        private string WindowLabel(int s)
        {
            var ahead = 0;
            for (var i = s + 1; i <= Math.Min(_sessions.Count - 1, s + _window); i++)
                if (_holders[i].Count > 0) ahead++;
            var last = _window == 1 ? "in the last session" : $"in the last {_window} sessions";
            return ahead == 0 ? last : $"{last} and the {(ahead == 1 ? "one" : ahead.ToString(CultureInfo.InvariantCulture))} planned after it";
        }

        /// <summary>Turns anywhere on the timeline: breaks ties the window cannot see (a turn just before it began).</summary>
        private int AllTurns(string member) => _holders.Sum(h => h.Values.Count(m => m == member));

        /// <summary>The index of the member's most recent turn before <paramref name="s"/>; -1 when they have had none.</summary>
        private int LastTurn(string member, int s)
        {
            for (var i = s - 1; i >= 0; i--)
                if (_holders[i].ContainsValue(member)) return i;
            return -1;
        }

        private bool IsExperienced(string member, int s)
        {
            for (var i = 0; i < s; i++)
            {
                if (_holders[i].GetValueOrDefault(Facilitator) == member || _holders[i].GetValueOrDefault(CoFacilitator) == member)
                    return true;
            }
            return false;
        }

        /// <summary>Someone in session <paramref name="s"/> holds a role (other than co-facilitator) they never held before.</summary>
        private bool HasFirstTimer(int s)
        {
            foreach (var (role, member) in _holders[s])
            {
                if (role == CoFacilitator) continue;
                var before = false;
                for (var i = 0; i < s && !before; i++)
                    before = _holders[i].GetValueOrDefault(role) == member;
                if (!before) return true;
            }
            return false;
        }

        private bool HoldsRoleNextTo(string member, int s, string role)
            => (s > 0 && _holders[s - 1].GetValueOrDefault(role) == member)
            || (s + 1 < _sessions.Count && _holders[s + 1].GetValueOrDefault(role) == member);

        /// <summary>Whether one more turn at <paramref name="s"/> keeps every window of the cap's length that contains it within the cap.</summary>
        private bool FitsCap(string member, int s, string role)
        {
            if (_cap is null || !_cap.Counts(role)) return true;
            var length = Math.Max(1, _cap.WindowSessions);
            for (var start = Math.Max(0, s - length + 1); start <= s; start++)
            {
                var turns = 1;
                for (var i = start; i < Math.Min(_sessions.Count, start + length); i++)
                    if (i != s) turns += _holders[i].Count(h => h.Value == member && _cap.Counts(h.Key));
                if (turns > _cap.MaxTurns) return false;
            }
            return true;
        }

        /// <summary>FNV-1a: stable across processes and machines, unlike <see cref="string.GetHashCode()"/>.</summary>
        private static ulong TieBreak(string sessionId, string role, string member)
        {
            var hash = 14695981039346656037UL;
            foreach (var b in Encoding.UTF8.GetBytes($"{sessionId}\n{role}\n{member}"))
            {
                hash ^= b;
                hash *= 1099511628211UL;
            }
            return hash;
        }
    }
}
