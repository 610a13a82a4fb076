using System.Text.RegularExpressions;
using NodaTime;
using NodaTime.Text;

namespace PeerGroupBot.Core.Rota;

/// <summary>Reads the dates a facilitator types for a rota poll, and the session a member means ("2", "2026-12-03").</summary>
public static partial class RotaDates
{
    [GeneratedRegex(@"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{1,2}:\d{2}))?$")]
    private static partial Regex DateAndTime();

    [GeneratedRegex(@"^\d{1,2}:\d{2}$")]
    private static partial Regex TimeOnly();

    private static readonly LocalTimePattern TimePattern = LocalTimePattern.CreateWithInvariantCulture("H:mm");

    /// <summary>
    /// Parses "2026-12-01 2026-12-08T18:00 2026-12-15 18:30" (dates, each optionally followed by a time) into
    /// sessions in date order. Refuses dates in the past, duplicates and more than <see cref="RotaPoll.MaxSessions"/>.
    /// </summary>
    public static (List<RotaSession>? Sessions, string? Problem) ParseSessions(string text, LocalDateTime now)
    {
        var tokens = text.Split([' ', ',', ';', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var sessions = new List<RotaSession>();
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            if (i + 1 < tokens.Length && TimeOnly().IsMatch(tokens[i + 1]) && !token.Contains('T', StringComparison.Ordinal))
                token += "T" + tokens[++i];
            var match = DateAndTime().Match(token.Replace(' ', 'T'));
            var date = match.Success ? LocalDatePattern.Iso.Parse(match.Groups[1].Value) : null;
            var time = match.Success && match.Groups[2].Success ? TimePattern.Parse(match.Groups[2].Value) : null;
            if (date is null || !date.Success || (time is not null && !time.Success))
                return (null, $"I couldn't read \"{Shorten(tokens[i])}\" as a date. Write dates like `2026-12-01`, with a time if you like: `2026-12-01 18:00`.");
            var session = time is null ? RotaSession.OnDate(date.Value) : RotaSession.At(date.Value.At(time.Value));
            var past = time is null ? session.Date < now.Date : session.SortKey <= now;
            if (past) return (null, $"{session.Label} has already passed. Give dates that are still to come.");
            if (sessions.Any(s => s.Date == session.Date && s.Time == session.Time)) return (null, $"{session.Label} is listed twice.");
            sessions.Add(session);
        }
        if (sessions.Count == 0)
            return (null, "Give at least one date, like `2026-12-01` or `2026-12-01 18:00`.");
        if (sessions.Count > RotaPoll.MaxSessions)
            return (null, $"A rota poll can cover up to {RotaPoll.MaxSessions} sessions; you gave {sessions.Count}.");
        return ([.. sessions.OrderBy(s => s.SortKey)], null);
    }

    /// <summary>Finds the upcoming session a member means: its number in <c>rota show</c>, its date, or its id.</summary>
    public static RotaEntry? FindSession(IReadOnlyList<RotaEntry> upcoming, string reference)
    {
        reference = reference.Trim();
        if (int.TryParse(reference, out var number))
            return number >= 1 && number <= upcoming.Count ? upcoming[number - 1] : null;
        var byId = upcoming.FirstOrDefault(e => e.Session.Id.Equals(reference, StringComparison.OrdinalIgnoreCase));
        if (byId is not null) return byId;
        var date = LocalDatePattern.Iso.Parse(reference);
        return date.Success ? upcoming.FirstOrDefault(e => e.Session.Date == date.Value) : null;
    }

    /// <summary>Whether a word looks like a session reference (a small number or a date), as opposed to a role name.</summary>
    public static bool LooksLikeSession(string word)
        => (int.TryParse(word, out var n) && n is >= 1 and <= 99) || DateAndTime().IsMatch(word);

    private static string Shorten(string text) => text.Length > 30 ? text[..30] + "…" : text;
}
