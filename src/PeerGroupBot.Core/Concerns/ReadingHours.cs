using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;

namespace PeerGroupBot.Core.Concerns;

/// <summary>
/// When a group's facilitators read concerns, in the group's time zone: e.g. weekdays 09:00–17:00. A concern raised
/// outside these hours is answered at once with when it will be read, so nobody waits in silence.
/// </summary>
public sealed partial record ReadingHours(List<IsoDayOfWeek> Days, LocalTime From, LocalTime To)
{
    private static readonly IsoDayOfWeek[] Week =
    [
        IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday,
        IsoDayOfWeek.Friday, IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday,
    ];

    [GeneratedRegex(@"^(?<fh>\d{1,2})(?::(?<fm>\d{2}))?\s*-\s*(?<th>\d{1,2})(?::(?<tm>\d{2}))?$")]
    private static partial Regex TimeRange();

    [GeneratedRegex(@"\s*(?:-|–|\bto\b)\s*")]
    private static partial Regex Dash();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaced();

    /// <summary>
    /// Parses "weekdays 09:00-17:00", "mon-thu 10-16", "mon,wed,fri 9:30-12:00", "every day 9-21". Returns null and
    /// an explanation when the text is not understood.
    /// </summary>
    public static ReadingHours? TryParse(string text, out string error)
    {
        error = "";
        var trimmed = Spaced().Replace(Dash().Replace(text.Trim().ToLowerInvariant(), "-"), " ");
        var split = trimmed.LastIndexOf(' ');
        if (split < 0)
        {
            error = "Give the days and the times, for example `weekdays 09:00-17:00` or `mon-thu 10:00-16:00`.";
            return null;
        }
        var days = ParseDays(trimmed[..split].Trim());
        if (days is null)
        {
            error = "I didn't understand the days. Use `weekdays`, `every day`, a range like `mon-thu` or a list like `mon,wed,fri`.";
            return null;
        }
        var match = TimeRange().Match(trimmed[(split + 1)..]);
        if (!match.Success || !TryTime(match.Groups["fh"].Value, match.Groups["fm"].Value, out var from)
            || !TryTime(match.Groups["th"].Value, match.Groups["tm"].Value, out var to))
        {
            error = "I didn't understand the times. Use 24-hour times like `09:00-17:00` or `9-17`.";
            return null;
        }
        if (from >= to)
        {
            error = "The start time needs to be before the end time, within one day (for example `09:00-17:00`).";
            return null;
        }
        return new ReadingHours(days, from, to);
    }

    /// <summary>"weekdays 09:00–17:00", "Mon, Wed, Fri 09:30–12:00", "every day 09:00–21:00".</summary>
    public string Describe()
    {
        var set = Days.ToHashSet();
        string days;
        if (set.Count == 7) days = "every day";
        else if (set.SetEquals(Week[..5])) days = "weekdays";
        else if (set.SetEquals(Week[5..])) days = "weekends";
        else days = string.Join(", ", Week.Where(set.Contains).Select(d => d.ToString()[..3]));
        return $"{days} {From.ToString("HH:mm", CultureInfo.InvariantCulture)}–{To.ToString("HH:mm", CultureInfo.InvariantCulture)}";
    }

    /// <summary>Null when <paramref name="now"/> is within reading hours; otherwise when they next begin.</summary>
    public ZonedDateTime? NextOpening(Instant now, DateTimeZone zone)
    {
        var local = now.InZone(zone).LocalDateTime;
        for (var offset = 0; offset <= 7; offset++)
        {
            var date = local.Date.PlusDays(offset);
            if (!Days.Contains(date.DayOfWeek)) continue;
            var start = date + From;
            var end = date + To;
            if (local < start) return start.InZoneLeniently(zone);
            if (local < end) return null;
        }
        return null;
    }

    private static List<IsoDayOfWeek>? ParseDays(string text)
    {
        switch (text)
        {
            case "weekdays" or "weekday" or "mon-fri": return [.. Week[..5]];
            case "weekends" or "weekend": return [.. Week[5..]];
            case "every day" or "everyday" or "daily" or "all week": return [.. Week];
        }
        var days = new List<IsoDayOfWeek>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var range = part.Split('-', StringSplitOptions.TrimEntries);
            if (range.Length > 2) return null;
            var first = Day(range[0]);
            var last = range.Length == 2 ? Day(range[1]) : first;
            if (first is null || last is null) return null;
            for (var d = (int)first.Value; ; d = d % 7 + 1)
            {
                days.Add((IsoDayOfWeek)d);
                if (d == (int)last.Value) break;
            }
        }
        return days.Count == 0 ? null : days.Distinct().Order().ToList();
    }

    private static IsoDayOfWeek? Day(string text)
    {
        if (text.Length < 2) return null;
        var matches = Week.Where(d => d.ToString().StartsWith(text, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    private static bool TryTime(string hours, string minutes, out LocalTime time)
    {
        time = default;
        var h = int.Parse(hours, CultureInfo.InvariantCulture);
        var m = minutes.Length == 0 ? 0 : int.Parse(minutes, CultureInfo.InvariantCulture);
        if (h == 24 && m == 0) { time = new LocalTime(23, 59); return true; }
        if (h > 23 || m > 59) return false;
        time = new LocalTime(h, m);
        return true;
    }
}
