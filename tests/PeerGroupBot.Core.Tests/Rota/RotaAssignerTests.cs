using PeerGroupBot.Core.Rota;

namespace PeerGroupBot.Core.Tests.Rota;

/// <summary>Worked examples of the assignment rules, each read as a small story about a group.</summary>
public class RotaAssignerTests
{
    private static PlannedSession Past(string id, params (string Role, string Member)[] holders)
        => new(id, holders.ToDictionary(h => h.Role, h => h.Member), []);

    private static PlannedSession Open(string id, params string[] roles) => new(id, new Dictionary<string, string>(), roles);

    private static HashSet<Availability> Can(string session, string role, params string[] members)
        => [.. members.Select(m => new Availability(session, role, m))];

    private static AssignmentRequest Request(IEnumerable<PlannedSession> sessions, IEnumerable<Availability> available, int window = 8, LoadCap? cap = null)
        => new([.. sessions], available.ToHashSet(), window, cap);

    [Fact]
    public void Fewest_recent_turns_wins_and_the_reason_says_so()
    {
        var request = Request(
            [Past("h1", ("facilitator", "ana")), Past("h2", ("facilitator", "ben"), ("welcomer", "ana")), Open("s1", "facilitator")],
            Can("s1", "facilitator", "ana", "ben", "cat"));

        var decision = Assert.Single(RotaAssigner.Assign(request));

        Assert.Equal("cat", decision.MemberId);
        Assert.Equal("fewest turns in the last 8 sessions (none)", decision.Reason);
    }

    [Fact]
    public void With_equal_turns_the_one_who_waited_longest_goes_first()
    {
        var request = Request(
            [Past("h1", ("welcomer", "ana")), Past("h2", ("welcomer", "ben")), Open("s1", "facilitator")],
            Can("s1", "facilitator", "ben", "ana"));

        var decision = Assert.Single(RotaAssigner.Assign(request));

        Assert.Equal("ana", decision.MemberId);
        Assert.Equal("fewest turns in the last 8 sessions (1), and longest since their last turn", decision.Reason);
    }

    [Fact]
    public void Turns_outside_the_window_only_break_ties()
    {
        // Ana had a turn three sessions ago: outside a 2-session window, so she and Ben are equal on recent turns.
        var request = Request(
            [Past("h1", ("welcomer", "ana")), Past("h2"), Past("h3"), Open("s1", "facilitator")],
            Can("s1", "facilitator", "ana", "ben"), window: 2);

        var decision = Assert.Single(RotaAssigner.Assign(request));

        Assert.Equal("ben", decision.MemberId);
        Assert.Equal("fewest turns in the last 2 sessions (none), and fewest turns overall", decision.Reason);
    }

    [Fact]
    public void Nobody_holds_a_role_two_sessions_running_unless_nobody_else_can()
    {
        // Ana has fewer turns than Ben, but she facilitated last time.
        var request = Request(
            [Past("h0", ("facilitator", "ben")), Past("h1", ("facilitator", "ana"), ("welcomer", "ben")), Open("s1", "facilitator"), Open("s2", "facilitator")],
            [.. Can("s1", "facilitator", "ana", "ben"), .. Can("s2", "facilitator", "ben")]);

        var decisions = RotaAssigner.Assign(request);

        Assert.Equal(["ben", "ben"], decisions.Select(d => d.MemberId));
        Assert.Equal("the only one left who could take it; others who could take it have this role in the session next to it", decisions[0].Reason);
        Assert.Equal("the only one who said they could take it; also has this role in the session next to it, as nobody else could take it", decisions[1].Reason);
    }

    [Fact]
    public void A_first_timer_is_paired_with_an_experienced_co_facilitator()
    {
        // Cat facilitates for the first time. Ben has facilitated before; Dee has only welcomed. Both have one turn.
        var request = Request(
            [Past("h1", ("facilitator", "ben"), ("welcomer", "dee")), Open("s1", "facilitator", "co-facilitator")],
            [.. Can("s1", "facilitator", "cat"), .. Can("s1", "co-facilitator", "dee", "ben")]);

        var decisions = RotaAssigner.Assign(request);

        Assert.Equal("cat", decisions.Single(d => d.Role == "facilitator").MemberId);
        var co = decisions.Single(d => d.Role == "co-facilitator");
        Assert.Equal("ben", co.MemberId);
        Assert.Equal("fewest turns in the last 8 sessions (1); experienced, to support someone taking a role for the first time", co.Reason);
    }

    [Fact]
    public void Pairing_never_outranks_fewer_turns()
    {
        var request = Request(
            [Past("h1", ("facilitator", "ben")), Open("s1", "facilitator", "co-facilitator")],
            [.. Can("s1", "facilitator", "cat"), .. Can("s1", "co-facilitator", "dee", "ben")]);

        var co = RotaAssigner.Assign(request).Single(d => d.Role == "co-facilitator");

        Assert.Equal("dee", co.MemberId);
        Assert.Equal("fewest turns in the last 8 sessions (none)", co.Reason);
    }

    [Fact]
    public void Empty_slots_say_why_they_are_empty()
    {
        var request = Request(
            [Open("s1", "facilitator", "welcomer", "note-taker")],
            [.. Can("s1", "facilitator", "ana"), .. Can("s1", "welcomer", "ana")]);

        var decisions = RotaAssigner.Assign(request);

        Assert.Equal("ana", decisions[0].MemberId);
        Assert.Equal((null, "everyone who could take it already has a role that session"), (decisions[1].MemberId, decisions[1].Reason));
        Assert.Equal((null, "nobody said they could take it"), (decisions[2].MemberId, decisions[2].Reason));
        Assert.All(decisions, d => Assert.False(d.BlockedByCap));
    }

    [Fact]
    public void The_cap_counts_turns_already_planned_after_the_slot()
    {
        // Ana already facilitates s2; with at most 1 facilitation in 2 sessions she can't take s1 or s3.
        var request = Request(
            [Open("s1", "facilitator"), Past("s2", ("facilitator", "ana")), Open("s3", "facilitator")],
            [.. Can("s1", "facilitator", "ana"), .. Can("s3", "facilitator", "ana")],
            cap: new LoadCap(1, 2, "facilitator"));

        var decisions = RotaAssigner.Assign(request);

        Assert.All(decisions, d => Assert.Null(d.MemberId));
        Assert.All(decisions, d => Assert.True(d.BlockedByCap));
        Assert.Equal("everyone who could take it has reached the group's limit of 1 turn as facilitator in 2 sessions", decisions[0].Reason);
    }

    [Fact]
    public void Turns_already_planned_ahead_count_when_a_slot_is_refilled()
    {
        // Refilling s1 after someone stepped back: Ana already has s2, so Ben is fairer.
        var request = Request(
            [Open("s1", "facilitator"), Past("s2", ("welcomer", "ana"))],
            Can("s1", "facilitator", "ana", "ben"));

        var decision = Assert.Single(RotaAssigner.Assign(request));

        Assert.Equal("ben", decision.MemberId);
        Assert.Equal("fewest turns in the last 8 sessions and the one planned after it (none)", decision.Reason);
    }

    [Fact]
    public void An_outgoing_holder_of_an_open_slot_is_not_counted_or_kept()
    {
        var request = Request(
            [new PlannedSession("s1", new Dictionary<string, string> { ["facilitator"] = "ana" }, ["facilitator"])],
            Can("s1", "facilitator", "ben"));

        Assert.Equal("ben", Assert.Single(RotaAssigner.Assign(request)).MemberId);
    }

    [Fact]
    public void Ties_are_broken_the_same_way_every_time_but_not_always_for_the_same_person()
    {
        var sessions = Enumerable.Range(1, 12).Select(i => Open($"s{i}", "welcomer")).ToList();
        var winners = sessions.Select(s => Assert.Single(RotaAssigner.Assign(Request([s], Can(s.Id, "welcomer", "ana", "ben")))).MemberId).ToList();
        var again = sessions.Select(s => Assert.Single(RotaAssigner.Assign(Request([s], Can(s.Id, "welcomer", "ben", "ana")))).MemberId).ToList();

        Assert.Equal(winners, again);
        Assert.Equal(2, winners.Distinct().Count());
        Assert.All(
            sessions.Select(s => Assert.Single(RotaAssigner.Assign(Request([s], Can(s.Id, "welcomer", "ana", "ben")))).Reason),
            reason => Assert.Equal("fewest turns in the last 8 sessions (none); tied with others, so chosen by a fixed order", reason));
    }

    [Fact]
    public void A_member_who_offered_two_roles_takes_the_one_only_they_can_so_no_offered_role_is_left_empty()
    {
        // Priya offered co-facilitator or note-taker; Ben offered welcomer or note-taker; only Priya can co-facilitate.
        string[] roles = ["facilitator", "co-facilitator", "welcomer", "note-taker"];
        var request = Request(
            [Open("s1", roles), Open("s2", roles)],
            [
                .. Can("s1", "facilitator", "ana"), .. Can("s1", "co-facilitator", "priya"), .. Can("s1", "welcomer", "ben"),
                .. Can("s1", "note-taker", "priya", "ben", "cat"),
                .. Can("s2", "facilitator", "cat"), .. Can("s2", "co-facilitator", "priya"), .. Can("s2", "welcomer", "ana"),
                .. Can("s2", "note-taker", "priya", "ben"),
            ]);

        var decisions = RotaAssigner.Assign(request);

        Assert.All(decisions, d => Assert.True(d.IsFilled, $"{d.SessionId} {d.Role} left empty: {d.Reason}"));
        Assert.Equal("priya", decisions.Single(d => d.SessionId == "s1" && d.Role == "co-facilitator").MemberId);
        Assert.Equal("cat", decisions.Single(d => d.SessionId == "s1" && d.Role == "note-taker").MemberId);
        Assert.Equal("priya", decisions.Single(d => d.SessionId == "s2" && d.Role == "co-facilitator").MemberId);
        Assert.Equal("ben", decisions.Single(d => d.SessionId == "s2" && d.Role == "note-taker").MemberId);
    }

    [Fact]
    public void When_two_roles_hang_on_one_member_the_role_earlier_in_the_groups_list_is_filled_and_the_reason_says_why()
    {
        // The co-facilitator is chosen last (to pair with first-timers), but comes before welcomer in the group's list.
        var request = Request([Open("s1", "co-facilitator", "welcomer")], [.. Can("s1", "welcomer", "priya"), .. Can("s1", "co-facilitator", "priya")]);

        var decisions = RotaAssigner.Assign(request);

        Assert.Equal("priya", decisions.Single(d => d.Role == "co-facilitator").MemberId);
        var welcomer = decisions.Single(d => d.Role == "welcomer");
        Assert.Null(welcomer.MemberId);
        Assert.Equal("everyone who could take it is needed for another role that session", welcomer.Reason);
    }
}
