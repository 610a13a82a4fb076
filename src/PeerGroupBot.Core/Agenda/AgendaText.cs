using System.Globalization;
using System.Text;
using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Rota;

namespace PeerGroupBot.Core.Agenda;

/// <summary>
/// How an agenda reads, in one place, so the list a member asks for, the posted agenda and the lines in a reminder
/// say the same thing. Anonymous items read "a member" everywhere.
/// </summary>
public static class AgendaText
{
    public const string AnonymousName = "a member";
    public const string FromPoll = "from topic poll";

    /// <summary>Item text on one line: line breaks and control characters become spaces, runs of spaces shrink to one.</summary>
    public static string Clean(string text)
    {
        var clean = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                pendingSpace = clean.Length > 0;
                continue;
            }
            if (pendingSpace) clean.Append(' ');
            pendingSpace = false;
            clean.Append(c);
        }
        return clean.ToString();
    }

    public static string Who(AgendaItem item) => item.Source switch
    {
        AgendaItemSource.Member => item.AuthorName ?? AnonymousName,
        AgendaItemSource.Poll => FromPoll,
        _ => AnonymousName,
    };

    /// <summary>"2. Money worries (20 min) — a member · carried over".</summary>
    public static string Line(int number, AgendaItem item)
    {
        var line = new StringBuilder().Append(number).Append(". ");
        if (item.Done) line.Append("✓ ");
        line.Append(MarkdownText.Member(item.Text));
        if (item.Minutes is { } minutes) line.Append(" (").Append(TimeEstimate.Format(minutes)).Append(')');
        line.Append(" — ").Append(Who(item));
        if (item.CarriedOver) line.Append(" · carried over");
        if (item.Done) line.Append(" · done");
        return line.ToString();
    }

    public static IReadOnlyList<string> Lines(AgendaDocument agenda)
        => agenda.Items.Select((item, index) => Line(index + 1, item)).ToList();

    /// <summary>"Thursday 5 November 2026, 18:00–20:00" in the group's zone, or "the next session (no date set yet)".</summary>
    public static string When(GroupDocument group, AgendaDocument agenda)
    {
        if (agenda.OccurrenceStart is not { } start) return "the next session (no date set yet)";
        var culture = Culture(group);
        var from = start.InZone(group.Zone);
        var to = (start + agenda.OccurrenceLength).InZone(group.Zone);
        var day = from.ToString("dddd d MMMM yyyy", culture);
        var endDay = to.Date == from.Date ? "" : to.ToString("dddd d MMMM ", culture);
        return $"{day}, {from.ToString("HH:mm", culture)}–{endDay}{to.ToString("HH:mm", culture)} {PeerGroupBot.Core.Time.WhenParser.Abbreviation(from)}";
    }

    /// <summary>A short name for the session, for titles and confirmations: "Thursday 5 November" or "the next session".</summary>
    public static string SessionName(GroupDocument group, AgendaDocument agenda)
        => agenda.OccurrenceStart is { } start ? start.InZone(group.Zone).ToString("dddd d MMMM", Culture(group)) : "the next session";

    /// <summary>The planned time of the items not yet done, against the session's length.</summary>
    public static string TimeSummary(AgendaDocument agenda)
    {
        var open = agenda.Items.Where(i => !i.Done).ToList();
        var planned = open.Sum(i => i.Minutes ?? 0);
        var length = (int)Math.Round(agenda.OccurrenceLength.TotalMinutes);
        var unestimated = open.Count(i => i.Minutes is null);
        var text = new StringBuilder("**Time:** ");
        if (open.Count == 0)
            text.Append($"nothing left to do; the session is {TimeEstimate.Format(length)}.");
        else if (planned == 0)
            text.Append($"no time estimates yet; the session is {TimeEstimate.Format(length)}.");
        else if (planned <= length)
            text.Append($"{TimeEstimate.Format(planned)} planned of {TimeEstimate.Format(length)}")
                .Append(planned == length ? ", which fills the session." : $", so {TimeEstimate.Format(length - planned)} to spare.");
        else
            text.Append($"{TimeEstimate.Format(planned)} planned of {TimeEstimate.Format(length)}: {TimeEstimate.Format(planned - length)} over, so something may need to move to next time.");
        if (planned > 0 && unestimated > 0)
            text.Append(unestimated == 1 ? " One item has no estimate." : $" {unestimated} items have no estimate.");
        return text.ToString();
    }

    /// <summary>"Facilitator: Sam · Welcomer: Priya", or null when nobody is on the rota.</summary>
    public static string? Rota(IReadOnlyList<RotaHolder> holders)
    {
        if (holders.Count == 0) return null;
        return string.Join(" · ", holders
            .GroupBy(h => h.Role, StringComparer.OrdinalIgnoreCase)
            .Select(g => $"{Capitalise(g.Key)}: {string.Join(", ", g.Select(h => h.DisplayName))}"));
    }

    /// <summary>The agenda as posted to the group's channels.</summary>
    public static BotReply Posted(GroupDocument group, AgendaDocument agenda, IReadOnlyList<RotaHolder> holders, string? location)
    {
        var text = new StringBuilder();
        text.AppendLine($"**When:** {When(group, agenda)}{(agenda.OccurrenceStart is null ? "" : $" ({group.TimeZone})")}");
        if (!string.IsNullOrWhiteSpace(location)) text.AppendLine($"**Where:** {location}");
        text.AppendLine($"**On the rota:** {Rota(holders) ?? "nobody yet"}");
        text.AppendLine();
        if (agenda.Items.Count == 0)
            text.AppendLine("Nothing on the agenda yet.");
        else
            foreach (var line in Lines(agenda)) text.AppendLine(line);
        text.AppendLine();
        text.AppendLine(TimeSummary(agenda));
        text.AppendLine();
        text.Append("Anyone can add an item with `agenda add <text>`, with a time like `15m` at the end. To add one without your name, use the button or send `agenda add anon <text>` to me privately.");
        return new BotReply
        {
            Title = agenda.OccurrenceStart is null ? $"{group.Name}: agenda for the next session" : $"{group.Name}: agenda for {SessionName(group, agenda)}",
            Text = text.ToString(),
            Buttons = AddButtons,
        };
    }

    public static IReadOnlyList<ReplyButton> AddButtons { get; } =
    [
        new("Add an item", FlowContext.ActionId(AgendaFlow.FlowName, "form"), ButtonStyle.Primary),
        new("Add anonymously", FlowContext.ActionId(AgendaFlow.FlowName, "form", "anon")),
    ];

    private static CultureInfo Culture(GroupDocument group)
    {
        try
        {
            return CultureInfo.GetCultureInfo(group.Language);
        }
        catch (CultureNotFoundException)
        {
            return CultureInfo.GetCultureInfo("en-GB");
        }
    }

    private static string Capitalise(string role) => role.Length == 0 ? role : char.ToUpperInvariant(role[0]) + role[1..];
}
