using NodaTime;
using NodaTime.Text;
using PeerGroupBot.Core.Time;

namespace PeerGroupBot.Core.Rota;

/// <summary>Reads the dates a facilitator types for a rota poll, and the session a member means ("2", "2026-12-03").</summary>
public static class RotaDates
{
    private static readonly char[] Separators = [' ', ',', ';', '\n', '\r', '\t'];

    /// <summary>
    /// Parses "2026-12-01 2026-12-08T18:00, 15 Dec 6pm, Dec 22 18.30" (calendar dates in the shared
    /// <see cref="DateWords"/> forms, each optionally followed by a time) into sessions in date order. Refuses numeric
    /// day/month dates ("1/12"), dates in the past, duplicates and more than <see cref="RotaPoll.MaxSessions"/>.
    /// </summary>
    public static (List<RotaSession>? Sessions, string? Problem) ParseSessions(string text, ZonedDateTime zonedNow)
    {
        var now = zonedNow.LocalDateTime;
        var tokens = text.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
        var sessions = new List<RotaSession>();
        for (var i = 0; i < tokens.Length;)
        {
            var start = i;
            switch (DateWords.ReadDate(tokens, ref i, now.Date, out var date, out var time, out var error))
            {
                case WordsRead.Refused: return (null, error);
                case WordsRead.None:
                    return (null, $"I couldn't read \"{Shorten(tokens[start])}\" as a date. Write dates like {DateWords.DateForms}, with a time if you like: `2026-12-01 18:00` or `1 Dec 6pm`.");
            }
            if (time is null)
            {
                var next = i;
                if (next + 1 < tokens.Length && DateWords.Normalize(tokens[next]) == "at") next++;
                switch (DateWords.ReadTime(tokens, ref next, out var given, out error))
                {
                    case WordsRead.Refused: return (null, error);
                    case WordsRead.Read: time = given; i = next; break;
                }
            }
            var session = time is { } t ? RotaSession.At(date.At(t)) : RotaSession.OnDate(date);
            var past = time is null ? session.Date < now.Date : session.SortKey <= now;
            if (past) return (null, $"{session.LabelIn(zonedNow.Zone)} has already passed. Give dates that are still to come.");
            if (sessions.Any(s => s.Date == session.Date && s.Time == session.Time)) return (null, $"{session.LabelIn(zonedNow.Zone)} is listed twice.");
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

    /// <summary>Whether a word looks like a session reference (a small number or an ISO date), as opposed to a role name.</summary>
    public static bool LooksLikeSession(string word)
        => (int.TryParse(word, out var n) && n is >= 1 and <= 99) || DateWords.IsIsoDate(word);

    private static string Shorten(string text) => text.Length > 30 ? text[..30] + "…" : text;
}
