using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using NodaTime;

namespace PeerGroupBot.Core.Sessions;

/// <summary>
/// Reads sessions the way people write them: "weekly tuesday 18:30 90m "Zoom link"", "first tuesday 6.30pm",
/// "2026-12-01 18:30", "next tuesday", "24h 1h". Deliberately small: a shared natural-time parser is coming in
/// Core/Time and will take over the date words.
/// </summary>
public static partial class SessionText
{
    public const int MaxPlaceLength = 200;
    public const int MaxReasonLength = 200;

    private static readonly CultureInfo English = CultureInfo.InvariantCulture;

    [GeneratedRegex(@"^(?<h>\d{1,2})(?:[:.](?<m>\d{2}))?\s*(?<ampm>am|pm|a\.m\.|p\.m\.)?$", RegexOptions.IgnoreCase)]
    private static partial Regex TimePattern();

    [GeneratedRegex(@"^(?:(?<h>\d+(?:\.\d+)?)\s*(?:h|hr|hrs|hour|hours))?\s*(?:(?<m>\d+)\s*(?:m|min|mins|minute|minutes)?)?$", RegexOptions.IgnoreCase)]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^(?<n>\d+)\s*(?<unit>m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days|w|week|weeks)$", RegexOptions.IgnoreCase)]
    private static partial Regex OffsetPattern();

    [GeneratedRegex(@"^(?<y>\d{4})-(?<mo>\d{1,2})-(?<d>\d{1,2})(?:[tT](?<time>\d{1,2}[:.]\d{2}))?$")]
    private static partial Regex IsoDatePattern();

    /// <summary>"18:30", "18.30", "6pm", "6:30pm", "18" (hours alone only with am/pm or a colon-less 0-23).</summary>
    public static bool TryParseTime(string text, out LocalTime time)
    {
        time = default;
        var match = TimePattern().Match(text.Trim());
        if (!match.Success) return false;
        var hour = int.Parse(match.Groups["h"].Value, English);
        var minute = match.Groups["m"].Success ? int.Parse(match.Groups["m"].Value, English) : 0;
        var ampm = match.Groups["ampm"].Value.ToLowerInvariant();
        if (ampm.Length == 0 && !match.Groups["m"].Success) return false; // "18" alone is too easily a date or a length
        if (ampm.Length > 0)
        {
            if (hour is < 1 or > 12) return false;
            hour = hour % 12 + (ampm.StartsWith('p') ? 12 : 0);
        }
        if (hour > 23 || minute > 59) return false;
        time = new LocalTime(hour, minute);
        return true;
    }

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

    private static readonly Dictionary<string, IsoDayOfWeek> DayWords = new(StringComparer.Ordinal)
    {
        ["monday"] = IsoDayOfWeek.Monday, ["mon"] = IsoDayOfWeek.Monday,
        ["tuesday"] = IsoDayOfWeek.Tuesday, ["tue"] = IsoDayOfWeek.Tuesday, ["tues"] = IsoDayOfWeek.Tuesday,
        ["wednesday"] = IsoDayOfWeek.Wednesday, ["wed"] = IsoDayOfWeek.Wednesday, ["weds"] = IsoDayOfWeek.Wednesday,
        ["thursday"] = IsoDayOfWeek.Thursday, ["thu"] = IsoDayOfWeek.Thursday, ["thur"] = IsoDayOfWeek.Thursday, ["thurs"] = IsoDayOfWeek.Thursday,
        ["friday"] = IsoDayOfWeek.Friday, ["fri"] = IsoDayOfWeek.Friday,
        ["saturday"] = IsoDayOfWeek.Saturday, ["sat"] = IsoDayOfWeek.Saturday,
        ["sunday"] = IsoDayOfWeek.Sunday, ["sun"] = IsoDayOfWeek.Sunday,
    };

    /// <summary>"tuesday", "tuesdays", "tue", "tues".</summary>
    public static bool TryParseDay(string text, out IsoDayOfWeek day)
    {
        var word = text.Trim().ToLowerInvariant().TrimEnd(',', '.');
        if (DayWords.TryGetValue(word, out day)) return true;
        return word.EndsWith("days", StringComparison.Ordinal) && DayWords.TryGetValue(word[..^1], out day);
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
    /// Reads a date at the start of <paramref name="text"/>: "2026-12-01", "2026-12-01T18:30", "today", "tomorrow",
    /// "tuesday", "next tuesday", "3 december", "3 dec 2026". Returns the words it did not use in <paramref name="rest"/>.
    /// </summary>
    public static bool TryParseDate(string text, LocalDate today, out LocalDate date, out LocalTime? time, out string rest)
    {
        date = default;
        time = null;
        var words = Words(text);
        rest = text;
        if (words.Count == 0) return false;
        var first = words[0].ToLowerInvariant();
        var used = 0;

        var iso = IsoDatePattern().Match(words[0]);
        if (iso.Success)
        {
            try
            {
                date = new LocalDate(int.Parse(iso.Groups["y"].Value, English), int.Parse(iso.Groups["mo"].Value, English), int.Parse(iso.Groups["d"].Value, English));
            }
            catch (ArgumentOutOfRangeException)
            {
                return false;
            }
            if (iso.Groups["time"].Success && TryParseTime(iso.Groups["time"].Value, out var isoTime)) time = isoTime;
            used = 1;
        }
        else if (first == "today") { date = today; used = 1; }
        else if (first == "tomorrow") { date = today.PlusDays(1); used = 1; }
        else if ((first is "next" or "this" or "on") && words.Count > 1 && TryParseDay(words[1], out var namedDay))
        {
            date = today.With(DateAdjusters.Next(namedDay));
            used = 2;
        }
        else if (TryParseDay(first, out var day))
        {
            date = today.With(DateAdjusters.Next(day));
            used = 1;
        }
        else if (int.TryParse(first.TrimEnd('s', 't', 'n', 'd', 'r', 'h'), NumberStyles.None, English, out var dayOfMonth) && words.Count > 1 && TryParseMonth(words[1], out var month))
        {
            used = 2;
            var year = today.Year;
            if (words.Count > 2 && int.TryParse(words[2], NumberStyles.None, English, out var y) && y is >= 2000 and <= 2200) { year = y; used = 3; }
            try
            {
                date = new LocalDate(year, month, dayOfMonth);
            }
            catch (ArgumentOutOfRangeException)
            {
                return false;
            }
            if (used == 2 && date < today) date = date.PlusYears(1);
        }
        else
        {
            return false;
        }

        // An optional time right after the date: "2026-12-01 18:30", "tuesday at 6pm".
        if (time is null && used < words.Count)
        {
            var next = used;
            if (words[next].Equals("at", StringComparison.OrdinalIgnoreCase) && next + 1 < words.Count) next++;
            if (TryParseTime(words[next], out var t)) { time = t; used = next + 1; }
        }
        rest = string.Join(' ', words.Skip(used));
        return true;
    }

    private static bool TryParseMonth(string text, out int month)
    {
        month = 0;
        var word = text.Trim().ToLowerInvariant().TrimEnd(',', '.');
        if (word.Length < 3) return false;
        var names = English.DateTimeFormat.MonthNames;
        for (var i = 0; i < 12; i++)
        {
            if (names[i].ToLowerInvariant().StartsWith(word, StringComparison.Ordinal)) { month = i + 1; return true; }
        }
        return false;
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

    /// <summary>"Tuesday 3 November, 18:30–20:00"</summary>
    public static string When(PlannedSession session)
        => $"{Date(session.LocalStart.Date)}, {session.LocalStart.TimeOfDay.ToString("HH:mm", English)}–{session.LocalStart.Plus(Period.FromMinutes((long)session.Length.TotalMinutes)).TimeOfDay.ToString("HH:mm", English)}";

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
