using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using NodaTime;
using PeerGroupBot.Core.Time;

namespace PeerGroupBot.Core.Sessions;

/// <summary>
/// Reads sessions the way people write them: "weekly tuesday 18:30 90m "Zoom link"", "first tuesday 6.30pm",
/// "2026-12-01 18:30", "12 Dec 6pm", "next tuesday", "24h 1h". Times of day, weekdays and dates are read by the
/// shared <see cref="DateWords"/>, so they take the same forms as poll closing times; lengths, reminder offsets and
/// "first"/"last" are the sessions' own.
/// </summary>
public static partial class SessionText
{
    public const int MaxPlaceLength = 200;
    public const int MaxReasonLength = 200;

    private static readonly CultureInfo English = CultureInfo.InvariantCulture;

    [GeneratedRegex(@"^(?:(?<h>\d+(?:\.\d+)?)\s*(?:h|hr|hrs|hour|hours))?\s*(?:(?<m>\d+)\s*(?:m|min|mins|minute|minutes)?)?$", RegexOptions.IgnoreCase)]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^(?<n>\d+)\s*(?<unit>m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days|w|week|weeks)$", RegexOptions.IgnoreCase)]
    private static partial Regex OffsetPattern();

    /// <summary>A time of day in any of the shared forms (<see cref="DateWords.ReadTime"/>): "18:30", "18.30", "6pm", "6:30 pm", "noon". An hour alone ("18") is not a time.</summary>
    public static bool TryParseTime(string text, out LocalTime time) => DateWords.TryParseTime(text, out time);

    /// <summary>A session length: "90m", "90 mins", "1h", "1h30", "1.5h", "2 hours".</summary>
    public static bool TryParseLength(string text, out int minutes)
    {
        minutes = 0;
        text = text.Trim();
        if (text.Length == 0 || !text.Any(char.IsAsciiLetter)) return false;
        var match = DurationPattern().Match(text);
        if (!match.Success || (!match.Groups["h"].Success && !match.Groups["m"].Success)) return false;
        var hours = match.Groups["h"].Success ? double.Parse(match.Groups["h"].Value, English) : 0;
        var mins = match.Groups["m"].Success ? int.Parse(match.Groups["m"].Value, English) : 0;
        minutes = (int)Math.Round(hours * 60) + mins;
        return minutes is > 0 and <= 12 * 60;
    }

    /// <summary>A reminder offset: "24h", "1h", "30m", "2d", "1 week".</summary>
    public static bool TryParseOffset(string text, out int minutes)
    {
        minutes = 0;
        var match = OffsetPattern().Match(text.Trim());
        if (!match.Success || !int.TryParse(match.Groups["n"].Value, NumberStyles.None, English, out var n)) return false;
        var unit = match.Groups["unit"].Value.ToLowerInvariant();
        long value = unit[0] switch { 'm' => n, 'h' => n * 60L, 'd' => n * 1440L, _ => n * 10080L };
        if (value is <= 0 or > int.MaxValue) return false;
        minutes = (int)value;
        return true;
    }

    /// <summary>"tuesday", "tuesdays", "tue", "tues" (<see cref="DateWords.Weekday"/>).</summary>
    public static bool TryParseDay(string text, out IsoDayOfWeek day)
    {
        day = DateWords.Weekday(text) ?? IsoDayOfWeek.None;
        return day != IsoDayOfWeek.None;
    }

    /// <summary>"first", "1st", "second", … "fourth", "last": 1 to 4, or -1 for last.</summary>
    public static bool TryParseOrdinal(string text, out int week)
    {
        week = text.Trim().ToLowerInvariant() switch
        {
            "first" or "1st" => 1,
            "second" or "2nd" => 2,
            "third" or "3rd" => 3,
            "fourth" or "4th" => 4,
            "last" => -1,
            _ => 0,
        };
        return week != 0;
    }

    /// <summary>
    /// Reads a date at the start of <paramref name="text"/>, and an optional time right after it; see the overload
    /// with an error for the forms. False when the text doesn't start with a date.
    /// </summary>
    public static bool TryParseDate(string text, LocalDate today, out LocalDate date, out LocalTime? time, out string rest)
        => TryParseDate(text, today, out date, out time, out rest, out _);

    /// <summary>
    /// Reads a date at the start of <paramref name="text"/>: a calendar date in the shared forms ("2026-12-01",
    /// "2026-12-01T18:30", "3 december", "3rd dec 2026", "Dec 3"), "today", "tomorrow", "tuesday", "next tuesday"
    /// (a weekday is always the next one after today). A time may follow ("at 6pm", "18:30"). Returns the words it
    /// did not use in <paramref name="rest"/>. When the text clearly meant a date or time that can't be used ("1/12",
    /// "31 feb", "25:00"), <paramref name="error"/> says why for the member; otherwise it is empty.
    /// </summary>
    public static bool TryParseDate(string text, LocalDate today, out LocalDate date, out LocalTime? time, out string rest, out string error)
    {
        date = default;
        time = null;
        error = "";
        rest = text;
        var words = Words(text);
        var used = 0;
        if (used < words.Count && DateWords.Normalize(words[used]) == "on") used++;
        if (used >= words.Count) return false;

        var first = DateWords.Normalize(words[used]);
        switch (DateWords.ReadDate(words, ref used, today, out date, out time, out error))
        {
            case WordsRead.Refused:
                return false;
            case WordsRead.Read:
                break;
            default:
                if (DateWords.DaysFromToday(first) is { } ahead) { date = today.PlusDays(ahead); used++; }
                else if (first is "next" or "this" && used + 1 < words.Count && DateWords.Weekday(words[used + 1]) is { } namedDay)
                {
                    date = today.With(DateAdjusters.Next(namedDay));
                    used += 2;
                }
                else if (DateWords.Weekday(first) is { } day)
                {
                    date = today.With(DateAdjusters.Next(day));
                    used++;
                }
                else return false;
                break;
        }

        // An optional time right after the date: "2026-12-01 18:30", "tuesday at 6pm", "12 dec 6 pm".
        if (time is null && used < words.Count)
        {
            var next = used;
            if (DateWords.Normalize(words[next]) == "at" && next + 1 < words.Count) next++;
            switch (DateWords.ReadTime(words, ref next, out var t, out error))
            {
                case WordsRead.Refused: return false;
                case WordsRead.Read: time = t; used = next; break;
            }
        }
        rest = string.Join(' ', words.Skip(used));
        return true;
    }

    /// <summary>Splits on white space, keeping quoted text ("Zoom link") as one word.</summary>
    public static List<string> Words(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        foreach (var c in text)
        {
            if (c is '"' or '“' or '”')
            {
                if (quoted || current.Length == 0)
                {
                    if (quoted) { words.Add("\"" + current + "\""); current.Clear(); }
                    quoted = !quoted;
                    continue;
                }
            }
            if (!quoted && char.IsWhiteSpace(c))
            {
                if (current.Length > 0) { words.Add(current.ToString()); current.Clear(); }
                continue;
            }
            current.Append(c);
        }
        if (current.Length > 0) words.Add(quoted ? "\"" + current + "\"" : current.ToString());
        return words;
    }

    public static bool IsQuoted(string word) => word.Length >= 2 && word[0] == '"' && word[^1] == '"';

    public static string Unquote(string word) => IsQuoted(word) ? word[1..^1].Trim() : word;

    /// <summary>"Tuesday 3 November"</summary>
    public static string Date(LocalDate date) => date.ToString("dddd d MMMM", English);

    /// <summary>
    /// "Tuesday 3 November, 18:30–20:00 GMT": the zone's abbreviation at the start (<see cref="WhenParser.Abbreviation"/>),
    /// marked with its start (<see cref="TimeMarks"/>) so Discord also shows it in each reader's zone.
    /// </summary>
    public static string When(PlannedSession session, DateTimeZone zone)
        => $"{Date(session.LocalStart.Date)}, {session.LocalStart.TimeOfDay.ToString("HH:mm", English)}–{session.LocalStart.Plus(Period.FromMinutes((long)session.Length.TotalMinutes)).TimeOfDay.ToString("HH:mm", English)}"
           + " " + WhenParser.Abbreviation(session.Start.InZone(zone)) + TimeMarks.Of(session.Start);

    public static string Time(LocalTime time) => time.ToString("HH:mm", English);

    /// <summary>"90 minutes", "2 hours", "1 hour 30 minutes", "1 day", "2 weeks".</summary>
    public static string Span(int minutes)
    {
        if (minutes % 10080 == 0) return Plural(minutes / 10080, "week");
        if (minutes % 1440 == 0 && minutes >= 2880) return Plural(minutes / 1440, "day");
        if (minutes < 60 || (minutes < 120 && minutes % 60 != 0)) return Plural(minutes, "minute");
        var hours = minutes / 60;
        var rest = minutes % 60;
        return rest == 0 ? Plural(hours, "hour") : $"{Plural(hours, "hour")} {Plural(rest, "minute")}";
    }

    /// <summary>Compact offset as a member would type it: "24h", "1h", "30m", "2d".</summary>
    public static string ShortSpan(int minutes)
        => minutes % 1440 == 0 && minutes >= 2880 ? $"{minutes / 1440}d" : minutes % 60 == 0 ? $"{minutes / 60}h" : $"{minutes}m";

    public static string Plural(int n, string unit) => n == 1 ? $"1 {unit}" : $"{n} {unit}s";

    public static string Ordinal(int week) => week switch { 1 => "first", 2 => "second", 3 => "third", 4 => "fourth", _ => "last" };

    /// <summary>"every Tuesday", "every other Tuesday", "the first Tuesday of each month"</summary>
    public static string Pattern(SessionRule rule) => rule.Repeat switch
    {
        SessionRepeat.Weekly => $"every {rule.Day}",
        SessionRepeat.Fortnightly => $"every other {rule.Day}",
        _ => $"the {Ordinal(rule.Week)} {rule.Day} of each month",
    };

    /// <summary>Shortens member text for echoing back in an error.</summary>
    public static string Shown(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
