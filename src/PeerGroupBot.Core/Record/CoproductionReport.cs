using System.Globalization;
using System.Text;
using NodaTime;
using PeerGroupBot.Core.Rota;

namespace PeerGroupBot.Core.Record;

/// <summary>Turns per member in leading roles (facilitator, co-facilitator) over the period.</summary>
public sealed record LeadTurns(string Name, int Turns);

/// <summary>
/// The co-production figures for a period, computed from the decisions log alone, so the numbers a steering group
/// sees can be checked by hand against <c>record</c>.
/// </summary>
public sealed record CoproductionReport
{
    public required string GroupName { get; init; }
    public required LocalDate From { get; init; }
    /// <summary>Inclusive last day.</summary>
    public required LocalDate To { get; init; }

    public int MemberItems { get; init; }
    public int FacilitatorItems { get; init; }
    public int PollItems { get; init; }
    public List<LeadTurns> Leads { get; init; } = [];
    public int Polls { get; init; }
    public int Voters { get; init; }
    public int Eligible { get; init; }
    public int Concerns { get; init; }
    public int ConcernsInTime { get; init; }
    public int SessionsHeld { get; init; }
    public int SessionsCancelled { get; init; }

    /// <summary>Check-outs with enough answers to show (their entries carry counts), oldest first.</summary>
    public List<RecordEntry> Checkouts { get; init; } = [];

    /// <summary>Check-outs that closed with fewer than k answers: counted, never shown.</summary>
    public int CheckoutsTooFew { get; init; }

    public int CheckoutAnswers => Checkouts.Sum(c => c.Answered ?? 0);

    /// <summary>Each question asked in the period, with every shown answer to it added up (questions matched by their words).</summary>
    public List<CheckoutScores> CheckoutTotals => [.. Checkouts.SelectMany(c => c.Scores)
        .GroupBy(s => s.Question, StringComparer.Ordinal)
        .Select(g => new CheckoutScores(g.Key, [.. Enumerable.Range(0, 5).Select(i => g.Sum(s => s.Counts.ElementAtOrDefault(i)))]))];

    /// <summary>A question's median session by session: the trend.</summary>
    public IEnumerable<(string Session, double? Median)> Trend(string question)
        => Checkouts.Select(c => (c.Title, c.Scores.FirstOrDefault(s => s.Question == question)?.Median)).Where(t => t.Median is not null);

    /// <summary>Agenda items that came from members: named, anonymous, and topic poll winners (members chose them).</summary>
    public int MemberProposed => MemberItems + PollItems;
    public int AgendaItems => MemberItems + FacilitatorItems + PollItems;
    public int LeadTurnsTotal => Leads.Sum(l => l.Turns);

    /// <summary>Fewest turns divided by most among members who led: 1 when everyone led equally, near 0 when one member did nearly all.</summary>
    public double? Evenness => Leads.Count == 0 ? null : (double)Leads.Min(l => l.Turns) / Leads.Max(l => l.Turns);

    public static CoproductionReport Compute(string groupName, LocalDate from, LocalDate to, IReadOnlyList<RecordEntry> entries)
    {
        var agendas = entries.Where(e => e.Kind == RecordKind.Agenda).ToList();
        var polls = entries.Where(e => e.Kind == RecordKind.Poll).ToList();
        var concerns = entries.Where(e => e.Kind == RecordKind.Concern).ToList();
        var sessions = entries.Where(e => e.Kind == RecordKind.Session).ToList();
        var leads = entries.Where(e => e.Kind == RecordKind.Rota)
            .SelectMany(e => e.Holders.Where(h => h.Role is RotaAssigner.Facilitator or RotaAssigner.CoFacilitator))
            .GroupBy(h => h.HolderKey)
            .Select(g => new LeadTurns(g.Last().Name, g.Count()))
            .OrderByDescending(l => l.Turns).ThenBy(l => l.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return new CoproductionReport
        {
            GroupName = groupName,
            From = from,
            To = to,
            MemberItems = agendas.Sum(a => a.MemberItems ?? 0),
            FacilitatorItems = agendas.Sum(a => a.FacilitatorItems ?? 0),
            PollItems = agendas.Sum(a => a.PollItems ?? 0),
            Leads = leads,
            Polls = polls.Count,
            Voters = polls.Sum(p => p.Voters ?? 0),
            Eligible = polls.Sum(p => p.Eligible ?? 0),
            Concerns = concerns.Count,
            ConcernsInTime = concerns.Count(c => c.AcknowledgedInTime == true),
            SessionsHeld = sessions.Count(s => s.Held == true),
            SessionsCancelled = sessions.Count(s => s.Held == false),
            Checkouts = [.. entries.Where(e => e.Kind == RecordKind.Checkout && e.Scores.Count > 0)],
            CheckoutsTooFew = entries.Count(e => e.Kind == RecordKind.Checkout && e.Scores.Count == 0 && e.Answered > 0),
        };
    }

    public string Period => $"{Day(From)} – {Day(To)}";

    /// <summary>The title drawn on <see cref="Png"/>: "Peers  1 Nov 2026 – 30 Nov 2026", human dates as members read them (the CSV keeps ISO).</summary>
    public string ChartTitle => $"{GroupName}  {Period}";

    /// <summary>The title drawn on <see cref="CheckoutPng"/>.</summary>
    public string CheckoutChartTitle => $"Check-outs  {Period}";

    public string Text()
    {
        var text = new StringBuilder();
        text.AppendLine($"- **Agenda items proposed by members:** {Percent(MemberProposed, AgendaItems)} ({MemberProposed} of {AgendaItems}; {PollItems} from topic polls, {FacilitatorItems} from facilitators)");
        text.AppendLine(Leads.Count == 0
            ? "- **Facilitation:** no rota turns recorded"
            : $"- **Facilitation:** {Leads.Count} {(Leads.Count == 1 ? "member" : "members")} led {LeadTurnsTotal} {(LeadTurnsTotal == 1 ? "time" : "times")}: "
              + string.Join(", ", Leads.Select(l => $"{l.Name} {l.Turns}"))
              + $" (evenness {Percent(Evenness)}: fewest ÷ most turns)");
        text.AppendLine($"- **Poll turnout:** {Percent(Voters, Eligible)} ({Voters} of {Eligible} possible {(Eligible == 1 ? "vote" : "votes")}: {Polls} {(Polls == 1 ? "poll" : "polls")}, each counted against the members the group had when it closed)");
        text.AppendLine($"- **Concerns acknowledged within the target time:** {ConcernsInTime} of {Concerns} ({Percent(ConcernsInTime, Concerns)})");
        text.Append($"- **Sessions:** {SessionsHeld} held, {SessionsCancelled} cancelled");
        text.Append(CheckoutText());
        return text.ToString();
    }

    /// <summary>How members felt, from the anonymous check-outs: per question the median over the period and session by session.</summary>
    private string CheckoutText()
    {
        var tooFew = CheckoutsTooFew == 0 ? "" : $"; {CheckoutsTooFew} {(CheckoutsTooFew == 1 ? "check-out" : "check-outs")} had too few answers to show anything";
        if (Checkouts.Count == 0)
            return $"\n- **How members felt (anonymous check-outs):** no check-out with enough answers to show anonymously{tooFew}";
        var text = new StringBuilder($"\n- **How members felt (anonymous check-outs, medians out of 5):** {CheckoutAnswers} {(CheckoutAnswers == 1 ? "answer" : "answers")} after {Checkouts.Count} {(Checkouts.Count == 1 ? "session" : "sessions")}{tooFew}");
        foreach (var question in CheckoutTotals)
            text.Append($"\n- *{question.Question}*: **{Score(question.Median)}** ({question.Answers} answered); by session: "
                + string.Join(" → ", Trend(question.Question).Select(t => $"{Day(t.Session)}: {Score(t.Median)}")));
        return text.ToString();
    }

    /// <summary>The day of a session's label ("Tue 3 Nov" of "Tue 3 Nov, 18:30").</summary>
    private static string Day(string sessionTitle) => sessionTitle.Split(',')[0];

    /// <summary>A median as shown: "4", "3.5"; "no data" without answers.</summary>
    public static string Score(double? median) => median is { } m ? m.ToString("0.#", CultureInfo.InvariantCulture) : "no data";

    /// <summary>The check-out medians as a bar chart (PNG): each question over the period, then session by session. Null without check-outs to show.</summary>
    public byte[]? CheckoutPng()
    {
        if (Checkouts.Count == 0) return null;
        var bars = new List<PngChart.Bar>();
        var totals = CheckoutTotals;
        for (var i = 0; i < totals.Count; i++)
        {
            bars.Add(new($"Q{i + 1} all sessions", totals[i].Median / 5, Score(totals[i].Median) + " / 5"));
            foreach (var (session, median) in Trend(totals[i].Question))
                bars.Add(new($"Q{i + 1} {Day(session)}", median / 5, Score(median) + " / 5"));
        }
        return PngChart.Bars(CheckoutChartTitle, bars);
    }

    /// <summary>The headline shares as a bar chart (PNG) a steering group can drop into a report.</summary>
    public byte[] Png()
    {
        double? Share(int part, int whole) => whole == 0 ? null : (double)part / whole;
        var sessions = SessionsHeld + SessionsCancelled;
        return PngChart.Bars(ChartTitle,
        [
            new("Items from members", Share(MemberProposed, AgendaItems), Percent(MemberProposed, AgendaItems)),
            new("Facilitation evenness", Evenness, Percent(Evenness)),
            new("Poll turnout", Share(Voters, Eligible), Percent(Voters, Eligible)),
            new("Concerns ack in time", Share(ConcernsInTime, Concerns), Percent(ConcernsInTime, Concerns)),
            new("Sessions held", Share(SessionsHeld, sessions), Percent(SessionsHeld, sessions)),
        ]);
    }

    /// <summary>The figures as CSV: one metric per row (metric, value, detail), then one row per member who led.</summary>
    public string Csv()
    {
        var csv = new StringBuilder();
        csv.Append("metric,value,detail\r\n");
        Row(csv, "period", $"{Iso(From)} to {Iso(To)}", GroupName);
        Row(csv, "agenda_items_total", Num(AgendaItems), "");
        Row(csv, "agenda_items_by_members", Num(MemberItems), "named or anonymous");
        Row(csv, "agenda_items_from_polls", Num(PollItems), "topic poll winners");
        Row(csv, "agenda_items_by_facilitators", Num(FacilitatorItems), "");
        Row(csv, "member_proposed_share", Ratio(MemberProposed, AgendaItems), "members and polls / all items");
        Row(csv, "facilitation_turns", Num(LeadTurnsTotal), "facilitator and co-facilitator");
        Row(csv, "members_who_led", Num(Leads.Count), "");
        Row(csv, "facilitation_evenness", Evenness is { } e ? e.ToString("0.000", CultureInfo.InvariantCulture) : "", "fewest / most turns");
        Row(csv, "polls_closed", Num(Polls), "");
        Row(csv, "poll_votes", Num(Voters), "");
        Row(csv, "poll_eligible", Num(Eligible), "members when each poll closed");
        Row(csv, "poll_turnout", Ratio(Voters, Eligible), "");
        Row(csv, "concerns_resolved", Num(Concerns), "");
        Row(csv, "concerns_acknowledged_in_time", Num(ConcernsInTime), "");
        Row(csv, "sessions_held", Num(SessionsHeld), "");
        Row(csv, "sessions_cancelled", Num(SessionsCancelled), "");
        foreach (var lead in Leads) Row(csv, "turns", Num(lead.Turns), lead.Name);
        Row(csv, "checkout_sessions", Num(Checkouts.Count), "sessions whose check-out had enough answers to show");
        Row(csv, "checkout_sessions_too_few", Num(CheckoutsTooFew), "check-outs with too few answers to show anything");
        Row(csv, "checkout_answers", Num(CheckoutAnswers), "members who answered, in the sessions shown");
        foreach (var question in CheckoutTotals)
            Row(csv, "checkout_median", Median(question.Median), question.Question);
        foreach (var checkout in Checkouts)
        {
            Row(csv, "checkout_session_answers", Num(checkout.Answered ?? 0), checkout.Title);
            foreach (var scores in checkout.Scores)
                Row(csv, "checkout_session_median", Median(scores.Median), $"{checkout.Title}: {scores.Question}");
        }
        return csv.ToString();
    }

    private static void Row(StringBuilder csv, string metric, string value, string detail)
        => csv.Append(metric).Append(',').Append(Cell(value)).Append(',').Append(Cell(detail)).Append("\r\n");

    /// <summary>Quotes a cell, and defuses a leading =, +, - or @ so a spreadsheet never runs a member's name as a formula.</summary>
    public static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n', '\'']) >= 0 || value.Length != value.Trim().Length
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
    }

    public static string Percent(int part, int whole) => whole == 0 ? "no data" : Percent((double)part / whole);

    private static string Percent(double? ratio) => ratio is { } r ? (100 * r).ToString("0", CultureInfo.InvariantCulture) + "%" : "no data";

    private static string Ratio(int part, int whole) => whole == 0 ? "" : ((double)part / whole).ToString("0.000", CultureInfo.InvariantCulture);

    private static string Median(double? median) => median is { } m ? m.ToString("0.0", CultureInfo.InvariantCulture) : "";

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Day(LocalDate date) => date.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    private static string Iso(LocalDate date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
