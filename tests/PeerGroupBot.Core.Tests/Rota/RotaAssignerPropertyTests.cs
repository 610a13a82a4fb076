using CsCheck;
using PeerGroupBot.Core.Rota;

namespace PeerGroupBot.Core.Tests.Rota;

/// <summary>Properties of the assignment algorithm over many generated groups, availabilities and histories.</summary>
public class RotaAssignerPropertyTests
{
    private static readonly string[] AllRoles = ["facilitator", "co-facilitator", "welcomer", "note-taker", "tea", "timekeeper", "greeter", "scribe"];

    /// <summary>A generated group: members m0..mN, roles, past sessions with holders, sessions to fill, who is available.</summary>
    public sealed record Problem(int Members, string[] Roles, int History, int ToFill, int Window, HashSet<Availability> Available, Dictionary<string, string>[] PastHolders, LoadCap? Cap)
    {
        public string[] MemberIds => Enumerable.Range(0, Members).Select(i => $"m{i}").ToArray();

        public AssignmentRequest Request(IEnumerable<Availability>? available = null) => new(
            [
                .. Enumerable.Range(0, History).Select(i => new PlannedSession($"h{i}", PastHolders[i], [])),
                .. Enumerable.Range(0, ToFill).Select(i => new PlannedSession($"s{i}", new Dictionary<string, string>(), Roles)),
            ],
            (available ?? Available).ToHashSet(),
            Window,
            Cap);

        public override string ToString()
            => $"members={Members} roles=[{string.Join(",", Roles)}] history={History} toFill={ToFill} window={Window} cap={Cap} available={Available.Count}";
    }

    private static Gen<Problem> Problems(bool everyoneAvailable, bool withHistory, bool withCap) =>
        Gen.Select(Gen.Int[1, 8], Gen.Int[1, 8], Gen.Int[1, 12], Gen.Int[1, 10], Gen.Bool.Array[12 * 8 * 8], Gen.Int[0, 8].Array[4 * 8], Gen.Int[0, 4], Gen.Select(Gen.Int[1, 3], Gen.Int[2, 6], Gen.Bool))
            .Select(t =>
            {
                var (members, roleCount, toFill, window, bits, past, historyCount, (capTurns, capWindow, capOneRole)) = t;
                var roles = AllRoles[..roleCount];
                var history = withHistory ? historyCount : 0;
                var available = new HashSet<Availability>();
                for (var s = 0; s < toFill; s++)
                    for (var r = 0; r < roleCount; r++)
                        for (var m = 0; m < members; m++)
                            if (everyoneAvailable || bits[(s * 8 + r) * 8 + m]) available.Add(new($"s{s}", roles[r], $"m{m}"));
                var pastHolders = Enumerable.Range(0, 4).Select(h =>
                {
                    var holders = new Dictionary<string, string>();
                    for (var r = 0; r < roleCount; r++)
                    {
                        var m = past[h * 8 + r];
                        if (m < members && !holders.ContainsValue($"m{m}")) holders[roles[r]] = $"m{m}";
                    }
                    return holders;
                }).ToArray();
                LoadCap? cap = withCap ? new LoadCap(capTurns, Math.Max(capWindow, capTurns + 1), capOneRole ? roles[0] : null) : null;
                return new Problem(members, roles, history, toFill, window, available, pastHolders, cap);
            });

    private static Dictionary<string, int> TurnsPerMember(Problem problem, IReadOnlyList<SlotDecision> decisions)
    {
        var turns = problem.MemberIds.ToDictionary(m => m, _ => 0);
        foreach (var d in decisions.Where(d => d.IsFilled)) turns[d.MemberId!]++;
        return turns;
    }

    [Fact]
    public void Never_assigns_a_member_to_a_slot_they_did_not_mark_available()
    {
        Problems(everyoneAvailable: false, withHistory: true, withCap: false).Sample(problem =>
        {
            foreach (var d in RotaAssigner.Assign(problem.Request()).Where(d => d.IsFilled))
                Assert.Contains(new Availability(d.SessionId, d.Role, d.MemberId!), problem.Available);
        }, iter: 2000);
    }

    [Fact]
    public void Every_open_slot_gets_exactly_one_decision_with_a_reason_and_nobody_holds_two_roles_in_a_session()
    {
        Problems(everyoneAvailable: false, withHistory: true, withCap: true).Sample(problem =>
        {
            var decisions = RotaAssigner.Assign(problem.Request());
            Assert.Equal(problem.ToFill * problem.Roles.Length, decisions.Count);
            Assert.All(decisions, d => Assert.False(string.IsNullOrWhiteSpace(d.Reason)));
            foreach (var session in decisions.GroupBy(d => d.SessionId))
            {
                Assert.Equal(problem.Roles.Order(), session.Select(d => d.Role).Order());
                var holders = session.Where(d => d.IsFilled).Select(d => d.MemberId).ToList();
                Assert.Equal(holders.Count, holders.Distinct().Count());
            }
        }, iter: 2000);
    }

    [Fact]
    public void When_everyone_is_always_available_the_spread_of_turns_is_at_most_one()
    {
        Problems(everyoneAvailable: true, withHistory: false, withCap: false).Sample(problem =>
        {
            var decisions = RotaAssigner.Assign(problem.Request());
            var turns = TurnsPerMember(problem, decisions).Values;
            Assert.True(turns.Max() - turns.Min() <= 1, $"turns {string.Join(",", turns)}");
            // Every slot is filled when there are enough people for every role.
            if (problem.Members >= problem.Roles.Length) Assert.All(decisions, d => Assert.True(d.IsFilled));
        }, iter: 2000);
    }

    [Fact]
    public void The_same_input_gives_the_same_rota_whatever_order_availability_was_given_in()
    {
        Gen.Select(Problems(everyoneAvailable: false, withHistory: true, withCap: true), Gen.Int[0, int.MaxValue]).Sample((problem, seed) =>
        {
            var first = RotaAssigner.Assign(problem.Request());
            // A shuffle decided by the generated seed alone, so a failure reproduces from CsCheck's seed: never
            // HashCode.Combine or string hashes, which .NET randomises per process.
            var random = new Random(seed);
            var shuffled = problem.Available
                .OrderBy(a => a.SessionId, StringComparer.Ordinal).ThenBy(a => a.Role, StringComparer.Ordinal).ThenBy(a => a.MemberId, StringComparer.Ordinal)
                .Select(a => (Key: random.Next(), Availability: a)).OrderBy(p => p.Key).Select(p => p.Availability).ToList();
            var second = RotaAssigner.Assign(problem.Request(shuffled));
            Assert.Equal(first, second);
        }, iter: 2000);
    }

    [Fact]
    public void The_load_cap_is_never_exceeded_in_any_window()
    {
        Problems(everyoneAvailable: false, withHistory: false, withCap: true).Sample(problem =>
        {
            var cap = problem.Cap!;
            var decisions = RotaAssigner.Assign(problem.Request());
            var sessions = Enumerable.Range(0, problem.ToFill).Select(i => $"s{i}").ToList();
            foreach (var member in problem.MemberIds)
            {
                for (var start = 0; start < sessions.Count; start++)
                {
                    var window = sessions.Skip(start).Take(cap.WindowSessions).ToHashSet();
                    var turns = decisions.Count(d => d.MemberId == member && window.Contains(d.SessionId) && cap.Counts(d.Role));
                    Assert.True(turns <= cap.MaxTurns, $"{member} has {turns} turns from session {start}");
                }
            }
        }, iter: 2000);
    }

    [Fact]
    public void With_more_members_than_roles_and_everyone_available_nobody_holds_a_role_two_sessions_running()
    {
        Problems(everyoneAvailable: true, withHistory: false, withCap: false).Where(p => p.Members > p.Roles.Length).Sample(problem =>
        {
            var byRole = RotaAssigner.Assign(problem.Request()).GroupBy(d => d.Role);
            foreach (var role in byRole)
            {
                var holders = role.OrderBy(d => int.Parse(d.SessionId[1..])).Select(d => d.MemberId).ToList();
                for (var i = 1; i < holders.Count; i++) Assert.NotEqual(holders[i - 1], holders[i]);
            }
        }, iter: 2000);
    }
}
