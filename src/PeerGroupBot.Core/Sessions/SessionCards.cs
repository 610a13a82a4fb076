using System.Text;
using NodaTime;
using PeerGroupBot.Core.Concerns;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Polls;
using PeerGroupBot.Core.Rota;
using PeerGroupBot.Core.Time;

namespace PeerGroupBot.Core.Sessions;

/// <summary>
/// How a session looks in a message: the reminder card (when, where, agenda, rota, polls closing, RSVP counts and
/// buttons), and the short lines used by <c>session list</c> and announcements.
/// </summary>
public static class SessionCards
{
    public static string RsvpActionId(string occurrenceId, RsvpChoice choice)
        => FlowContext.ActionId("session", "rsvp", OccurrenceIds.ToKey(occurrenceId), ChoiceWord(choice));

    public static string ChoiceWord(RsvpChoice choice) => choice switch
    {
        RsvpChoice.Going => "going",
        RsvpChoice.Maybe => "maybe",
        _ => "no",
    };

    public static RsvpChoice? ParseChoice(string word) => word switch
    {
        "going" => RsvpChoice.Going,
        "maybe" => RsvpChoice.Maybe,
        "no" => RsvpChoice.NotGoing,
        _ => null,
    };

    public static string Describe(RsvpChoice choice) => choice switch
    {
        RsvpChoice.Going => "going",
        RsvpChoice.Maybe => "a maybe",
        _ => "not going",
    };

    /// <summary>The reminder's title, relative to when it is posted: "… session tomorrow at 18:30 GMT", "… starts in 1 hour".</summary>
    public static string ReminderTitle(GroupDocument group, PlannedSession session, Instant now)
    {
        var zone = group.Zone;
        var today = now.InZone(zone).Date;
        var until = session.Start - now;
        var at = SessionText.Time(session.LocalStart.TimeOfDay) + " " + WhenParser.Abbreviation(session.Start.InZone(zone));
        if (until < Duration.FromHours(12) && until > Duration.Zero)
            return $"{group.Name}: session starts in {SessionText.Span((int)Math.Round(until.TotalMinutes))}";
        if (session.LocalStart.Date == today) return $"{group.Name}: session today at {at}";
        if (session.LocalStart.Date == today.PlusDays(1)) return $"{group.Name}: session tomorrow at {at}";
        return $"{group.Name}: session on {SessionText.Date(session.LocalStart.Date)} at {at}";
    }

    /// <summary>When and where, the agenda, the rota and polls that close before the session starts.</summary>
    public static string Body(
        GroupDocument group,
        PlannedSession session,
        IReadOnlyList<string> agenda,
        IReadOnlyList<RotaHolder> rota,
        IReadOnlyList<OpenPollSummary> closingPolls)
    {
        var text = new StringBuilder();
        text.AppendLine($"**When:** {SessionText.When(session, group.Zone)} ({group.TimeZone} time)");
        if (!string.IsNullOrWhiteSpace(session.Place)) text.AppendLine($"**Where:** {MarkdownText.Member(session.Place)}");
        text.AppendLine();
        if (agenda.Count == 0)
        {
            text.AppendLine("**Agenda:** nothing yet. Add an item with `agenda add …`.");
        }
        else
        {
            text.AppendLine("**Agenda:**");
            foreach (var line in agenda) text.AppendLine(line); // numbered already: a bullet in front showed as "•  1."
        }
        text.AppendLine();
        text.AppendLine(rota.Count == 0
            ? "**On the rota:** nobody yet. Type `rota` to see the roles."
            : "**On the rota:** " + string.Join(", ", rota.Select(h => $"{h.Role}: {MarkdownText.Member(h.DisplayName)}")));
        if (closingPolls.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("**Have your say before it closes:**");
            foreach (var poll in closingPolls)
                text.AppendLine($"- {poll.Question} (closes {SessionText.Date(poll.ClosesAt!.Value.InZone(group.Zone).Date)} at {SessionText.Time(poll.ClosesAt!.Value.InZone(group.Zone).TimeOfDay)}{TimeMarks.Of(poll.ClosesAt!.Value)})");
        }
        return text.ToString().TrimEnd();
    }

    /// <summary>A card: title, body, the RSVP counts, the three buttons and the group's "Raise a concern privately".</summary>
    public static BotReply Card(string title, string body, SessionOccurrenceDocument? rsvps, string occurrenceId, string groupId) => new()
    {
        Title = title,
        Text = body + "\n\n" + Counts(rsvps),
        Buttons =
        [
            new ReplyButton("Going", RsvpActionId(occurrenceId, RsvpChoice.Going), ButtonStyle.Success),
            new ReplyButton("Maybe", RsvpActionId(occurrenceId, RsvpChoice.Maybe)),
            new ReplyButton("Not going", RsvpActionId(occurrenceId, RsvpChoice.NotGoing)),
            ConcernCards.RaiseButton(groupId),
        ],
    };

    public static string Counts(SessionOccurrenceDocument? rsvps)
        => $"**Coming?** {rsvps?.Count(RsvpChoice.Going) ?? 0} going · {rsvps?.Count(RsvpChoice.Maybe) ?? 0} maybe · {rsvps?.Count(RsvpChoice.NotGoing) ?? 0} not going"
           + (rsvps?.Interested is { } interested ? $" · {interested} interested in Discord's Events tab" : "");

    /// <summary>One line for lists: "Tuesday 3 November, 18:30–20:00 GMT · Zoom link".</summary>
    public static string Line(PlannedSession session, DateTimeZone zone)
    {
        var line = SessionText.When(session, zone) + (string.IsNullOrWhiteSpace(session.Place) ? "" : $" · {MarkdownText.Member(session.Place)}");
        if (session.OneOff) line += " *(extra session)*";
        return session.Cancelled
            ? $"{line} — **cancelled**{(session.CancelledReason!.Length > 0 ? $" ({session.CancelledReason})" : "")}"
            : line;
    }

    /// <summary>"every Tuesday, 18:30–20:00 (Europe/London time, 90 minutes), at Zoom link": a rule's times are the zone's clock, whatever its season.</summary>
    public static string Describe(SessionRule rule, DateTimeZone zone)
    {
        var end = rule.Time.PlusMinutes(rule.LengthMinutes);
        return $"{SessionText.Pattern(rule)}, {SessionText.Time(rule.Time)}–{SessionText.Time(end)} ({zone.Id} time, {SessionText.Span(rule.LengthMinutes)})"
            + (string.IsNullOrWhiteSpace(rule.Place) ? "" : $", at {MarkdownText.Member(rule.Place)}");
    }

    public static string DescribeReminders(IReadOnlyList<int> minutes)
        => minutes.Count == 0 ? "off" : string.Join(" and ", minutes.Select(SessionText.Span)) + " before";
}
