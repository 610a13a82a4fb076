using System.Globalization;
using System.Text;
using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Time;

namespace PeerGroupBot.Core.Rota;

/// <summary>How the rota reads to members: the board of upcoming sessions, one session with reasons, the stats.</summary>
public static class RotaText
{
    /// <summary>Past this many characters the board leaves reasons out (chat platforms cap message length).</summary>
    public const int MaxBoardLength = 3500;

    public const string Unfilled = "*nobody yet*";

    /// <summary>"Sat 5 Dec, 04:41 GMT": a time a member reads always says its zone.</summary>
    public static string When(Instant instant, DateTimeZone zone) => WhenParser.DescribeShort(instant, zone) + TimeMarks.Of(instant);

    /// <summary>The mark of a rota session's start (<see cref="TimeMarks"/>), when it has a time and the zone is known.</summary>
    private static string Mark(RotaSession session, DateTimeZone? zone)
        => zone is not null && session.Time is not null ? TimeMarks.Of(session.StartIn(zone)) : "";

    /// <summary>The upcoming rota, numbered as members refer to sessions in <c>rota swap 2 @name</c>.</summary>
    public static BotReply Board(GroupDocument group, RotaDocument rota, Instant now, string title, LoadCap? cap)
    {
        var upcoming = rota.Upcoming(now, group.Zone).ToList();
        if (upcoming.Count == 0)
            return new BotReply { Title = title, Text = "There's nothing on the rota yet. A facilitator can start a rota poll with `rota poll`." };

        var board = BoardText(rota, upcoming, withReasons: true, group.Zone);
        var reasonsLeftOut = board.Length > MaxBoardLength;
        if (reasonsLeftOut) board = BoardText(rota, upcoming, withReasons: false, group.Zone);
        var parts = new List<string> { board.ToString().TrimEnd() };

        var slots = upcoming.SelectMany(e => e.Slots).ToList();
        var empty = slots.Count(s => s.MemberId is null);
        if (reasonsLeftOut) parts.Add("Type `rota show <number>` to see why each person was chosen.");
        if (empty > 0)
        {
            var note = $"{Count(empty, "slot needs", "slots need")} someone: a facilitator can fill {(empty == 1 ? "it" : "them")} with `rota set <number> <role> @member`.";
            var capped = slots.Count(s => s.MemberId is null && s.BlockedByCap);
            if (capped > 0 && cap is not null)
                note += $" The group's limit of {cap.Describe()} left {Count(capped, "slot", "slots")} empty, so a facilitator can decide.";
            parts.Add(note);
        }
        parts.Add("Can't make your slot? `rota swap <number> @member` asks someone to take it, and `rota stepback` pauses your turns (no reason needed).");
        return new BotReply { Title = title, Text = string.Join("\n\n", parts) };
    }

    /// <summary>One session, every slot with its reason.</summary>
    public static BotReply Session(RotaDocument rota, RotaEntry entry, int number, DateTimeZone? zone = null)
    {
        var text = new StringBuilder();
        AppendSession(text, rota, entry, number, withReasons: true, zone);
        return new BotReply { Title = $"Rota: {(zone is null ? entry.Session.Label : entry.Session.LabelIn(zone))}", Text = text.ToString().TrimEnd(), Visibility = ReplyVisibility.Private };
    }

    /// <summary>
    /// Turns per member over the last <paramref name="window"/> sessions on the rota (including those ahead), and how
    /// even that is, so a group can see whether leadership is really shared.
    /// </summary>
    public static BotReply Stats(RotaDocument rota, IReadOnlyList<GroupMember> roster, int window, DateTimeZone zone)
    {
        var sessions = rota.Sessions.TakeLast(window).ToList();
        if (sessions.Count == 0)
            return new BotReply { Title = "Rota stats", Text = "There's nothing on the rota yet, so there are no turns to count. A facilitator can start with `rota poll`." };

        var turns = new Dictionary<string, int>();
        foreach (var member in roster) turns[member.MemberId] = 0;
        foreach (var slot in sessions.SelectMany(e => e.Slots).Where(s => s.MemberId is not null))
            turns[slot.MemberId!] = turns.GetValueOrDefault(slot.MemberId!) + 1;
        var names = roster.ToDictionary(m => m.MemberId, m => m.DisplayName);
        string Name(string id) => names.GetValueOrDefault(id) ?? rota.NameOf(id);

        var text = new StringBuilder();
        var span = sessions.Count == 1 ? sessions[0].Session.LabelIn(zone) : $"{sessions[0].Session.LabelIn(zone)} to {sessions[^1].Session.LabelIn(zone)}";
        text.AppendLine($"Turns over the last {Count(sessions.Count, "session", "sessions")} on the rota, including any still to come ({span}):");
        foreach (var (id, count) in turns.OrderByDescending(t => t.Value).ThenBy(t => Name(t.Key), StringComparer.OrdinalIgnoreCase))
            text.AppendLine($"- {MarkdownText.Member(Name(id))}: {count}");

        var most = turns.Values.Max();
        var fewest = turns.Values.Min();
        var spread = most - fewest;
        text.AppendLine();
        if (turns.Count == 1) text.Append($"Only one person has been counted so far.");
        else if (spread == 0) text.Append($"Shared evenly: everyone has had {Count(most, "turn", "turns")}.");
        else if (spread == 1) text.Append($"Shared evenly: everyone has had {fewest} or {most} turns (spread 1).");
        else
        {
            var waiting = turns.Count(t => t.Value == fewest);
            text.Append($"Not yet even: the spread is {spread} (from {fewest} to {most} turns). "
                + $"{Count(waiting, "person has", "people have")} had the fewest; the next rota poll favours them if they say they're available.");
        }
        return new BotReply { Title = "Rota stats", Text = text.ToString() };
    }

    private static StringBuilder BoardText(RotaDocument rota, List<RotaEntry> upcoming, bool withReasons, DateTimeZone zone)
    {
        var text = new StringBuilder();
        for (var i = 0; i < upcoming.Count; i++) AppendSession(text, rota, upcoming[i], i + 1, withReasons, zone);
        return text;
    }

    private static void AppendSession(StringBuilder text, RotaDocument rota, RotaEntry entry, int number, bool withReasons, DateTimeZone? zone)
    {
        text.AppendLine($"**{number}. {(zone is null ? entry.Session.Label : entry.Session.LabelIn(zone))}**{Mark(entry.Session, zone)}");
        foreach (var slot in entry.Slots)
        {
            var holder = slot.MemberId is null ? Unfilled : $"**{MarkdownText.Member(rota.NameOf(slot.MemberId))}**";
            var reason = withReasons && slot.Reason.Length > 0 ? $" ({MarkdownText.Member(slot.Reason)})" : "";
            text.AppendLine($"- {slot.Role}: {holder}{reason}");
        }
        text.AppendLine();
    }

    public static string Count(int n, string one, string many) => $"{n.ToString(CultureInfo.InvariantCulture)} {(n == 1 ? one : many)}";
}
