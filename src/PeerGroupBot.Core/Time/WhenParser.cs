using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;
using NodaTime.TimeZones;

namespace PeerGroupBot.Core.Time;

/// <summary>A time read from what a member typed, with a note when the clocks changed what they asked for.</summary>
/// <param name="Value">The moment, in the group's zone.</param>
/// <param name="Note">Set when daylight saving moved or disambiguated the time ("clocks go forward…"); null otherwise.</param>
public sealed record ParsedWhen(ZonedDateTime Value, string? Note);

/// <summary>
/// Reads a future moment written the way people write it ("in 2 days", "friday 18:00", "fri 6pm", "1 Dec 18:00",
/// "2026-12-01 18:30", "tomorrow", "today") in a group's time zone. Shared by every feature that asks for a time
/// (poll deadlines, sessions) so members learn one way of writing times. Times are always in the future, resolved
/// across daylight-saving changes without surprises, and meant to be echoed back with <see cref="Describe"/> so a
/// member sees exactly which day and hour the bot understood. Times of day, weekdays and calendar dates are read by
/// <see cref="DateWords"/>, the same building blocks sessions and rota polls use, so day-first and month-first
/// numeric dates ("1/12") are refused rather than guessed, with the same words everywhere.
/// </summary>
public static partial class WhenParser
{
    /// <summary>The time used when only a day is given ("tomorrow", "1 Dec"): the end of that day.</summary>
    public static readonly LocalTime EndOfDay = new(23, 59);

    /// <summary>Examples for help texts and error messages, in markdown.</summary>
    public const string Examples = "`in 2 days`, `in 3 hours`, `tomorrow 18:00`, `friday 6pm`, `1 Dec 18:00` or `2026-12-01 18:30`";

    /// <summary>Longest amount of time "in …" may ask for, so a typo like "in 20000 days" gets a clear answer.</summary>
    public static readonly int MaxDaysAhead = 3660;

    /// <summary>Reads <paramref name="text"/> as a future moment in <paramref name="now"/>'s zone; a day without a time means 23:59.</summary>
    public static bool TryParse(string text, ZonedDateTime now, out ZonedDateTime result, out string error)
    {
        var ok = TryParse(text, now, EndOfDay, out var parsed, out error);
        result = parsed?.Value ?? default;
        return ok;
    }

    /// <summary>
    /// Reads <paramref name="text"/> as a future moment in <paramref name="now"/>'s zone. A day given without a time
    /// ("tomorrow", "friday", "1 Dec") takes <paramref name="timeForDayOnly"/>. On failure <paramref name="error"/> is a
    /// kind, complete sentence for the member (markdown), and says how to write it instead.
    /// </summary>
    public static bool TryParse(string text, ZonedDateTime now, LocalTime timeForDayOnly, out ParsedWhen? result, out string error)
    {
        result = null;
        var normalized = Normalize(text ?? "");
        if (normalized.Length == 0)
        {
            error = $"Please give a time, for example {Examples}.";
            return false;
        }
        if (normalized.Length > 80)
        {
            error = $"That's too long for a time. Try something like {Examples}.";
            return false;
        }

        var outcome = TryRelative(normalized, now, out var relative, out error)
            ?? TryAbsolute(normalized, now, timeForDayOnly, out relative, out error);
        if (!outcome) return false;

        if (relative!.Value.ToInstant() <= now.ToInstant())
        {
            error = $"That time has already passed ({Describe(relative.Value)}). Please give a time in the future, for example {Examples}.";
            return false;
        }
        result = relative;
        return true;
    }

    /// <summary>
    /// The unambiguous way to echo a time back: weekday, date, year, 24-hour time, the zone's abbreviation for that
    /// moment (so "01:30 BST" and "01:30 GMT" differ on the night the clocks go back) and the zone's name.
    /// </summary>
    public static string Describe(ZonedDateTime when)
        => $"{when.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture)}, {when.ToString("HH:mm", CultureInfo.InvariantCulture)} {Abbreviation(when)} ({when.Zone.Id})";

    /// <summary>The same as <see cref="Describe(ZonedDateTime)"/> for an instant shown in a zone, marked (<see cref="TimeMarks"/>) so Discord also shows it in each reader's zone.</summary>
    public static string Describe(Instant instant, DateTimeZone zone) => Describe(instant.InZone(zone)) + TimeMarks.Of(instant);

    /// <summary>Short form for lists: "Fri 6 Nov, 18:00 GMT".</summary>
    public static string DescribeShort(Instant instant, DateTimeZone zone)
    {
        var when = instant.InZone(zone);
        return $"{when.ToString("ddd d MMM", CultureInfo.InvariantCulture)}, {when.ToString("HH:mm", CultureInfo.InvariantCulture)} {Abbreviation(when)}";
    }

    /// <summary>"GMT", "BST", "CET"… or "UTC+03" where the zone database has no letters for the offset.</summary>
    public static string Abbreviation(ZonedDateTime when)
    {
        var name = when.GetZoneInterval().Name;
        if (name.Length > 0 && char.IsAsciiLetterUpper(name[0])) return name;
        var offset = when.Offset;
        if (offset == Offset.Zero) return "UTC";
        var total = offset.Seconds;
        var sign = total < 0 ? "-" : "+";
        total = Math.Abs(total);
        var hours = total / 3600;
        var minutes = total % 3600 / 60;
        return minutes == 0 ? $"UTC{sign}{hours:00}" : $"UTC{sign}{hours:00}:{minutes:00}";
    }

    /// <summary>Maps a local date and time into the zone: a time skipped by the clocks moves forward, a repeated one takes its first occurrence.</summary>
    public static ParsedWhen Resolve(LocalDateTime local, DateTimeZone zone)
    {
        var mapping = zone.MapLocal(local);
        var resolved = local.InZone(zone, Resolvers.LenientResolver);
        var hhmm = local.ToString("HH:mm", CultureInfo.InvariantCulture);
        string? note = mapping.Count switch
        {
            0 => $"The clocks go forward that night, so {hhmm} doesn't exist on that day; I used {resolved.ToString("HH:mm", CultureInfo.InvariantCulture)} instead.",
            2 => $"The clocks go back that night, so {hhmm} happens twice; I used the first one ({Abbreviation(resolved)}).",
            _ => null,
        };
        return new ParsedWhen(resolved, note);
    }

    private static string Normalize(string text)
    {
        var s = text.Trim().ToLowerInvariant()
            .Replace("a.m.", "am", StringComparison.Ordinal)
            .Replace("p.m.", "pm", StringComparison.Ordinal)
            .Replace(',', ' ');
        s = s.TrimEnd('.', '!', ' ');
        return Spaces().Replace(s, " ").Trim();
    }

    // ---- "in 2 days", "3 hours from now", "in an hour and a half", "in 1 week 2 days" ----

    private static bool? TryRelative(string text, ZonedDateTime now, out ParsedWhen? result, out string error)
    {
        result = null;
        error = "";
        var s = text;
        var marked = false;
        if (s.StartsWith("in ", StringComparison.Ordinal)) { s = s[3..]; marked = true; }
        if (s.EndsWith(" from now", StringComparison.Ordinal)) { s = s[..^9]; marked = true; }
        else if (s.EndsWith(" later", StringComparison.Ordinal)) { s = s[..^6]; marked = true; }

        if (!TryReadAmount(s, out var amount))
        {
            if (!marked) return null; // not a relative time: let the absolute reader try
            error = $"I couldn't read \"{text}\" as an amount of time. Try `in 30 minutes`, `in 3 hours`, `in 2 days` or `in 1 week`.";
            return false;
        }

        var totalDays = amount.Months * 31 + amount.Days + amount.Hours / 24 + amount.Minutes / 1440;
        if (totalDays > MaxDaysAhead)
        {
            error = "That's further ahead than I can plan. Please pick a time within the next few years.";
            return false;
        }

        // Days, weeks and months move the calendar (same time of day across a clock change); hours and minutes are elapsed time.
        var local = now.LocalDateTime.PlusMonths(amount.Months).PlusDays(amount.WholeDays);
        var resolved = amount.Months == 0 && amount.WholeDays == 0 ? new ParsedWhen(now, null) : Resolve(local, now.Zone);
        var elapsed = Duration.FromMinutes(amount.ElapsedMinutes);
        result = new ParsedWhen(resolved.Value.Plus(elapsed), elapsed == Duration.Zero ? resolved.Note : null);
        return true;
    }

    private readonly record struct Amount(int Months, double Days, double Hours, double Minutes)
    {
        public int WholeDays => Days == Math.Floor(Days) ? (int)Days : 0;

        /// <summary>Everything that is not whole calendar days or months, in minutes.</summary>
        public long ElapsedMinutes => (long)Math.Round((Days == Math.Floor(Days) ? 0 : Days * 1440) + Hours * 60 + Minutes);
    }

    private static bool TryReadAmount(string text, out Amount amount)
    {
        amount = default;
        var tokens = new List<string>();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var glued = NumberWithUnit().Match(word);
            if (glued.Success) { tokens.Add(glued.Groups[1].Value); tokens.Add(glued.Groups[2].Value); }
            else tokens.Add(word);
        }
        if (tokens.Count == 0) return false;

        int months = 0;
        double days = 0, hours = 0, minutes = 0;
        var any = false;
        for (var i = 0; i < tokens.Count;)
        {
            if (tokens[i] is "and" or "&") { i++; continue; }
            double value;
            if (tokens[i] == "half" && i + 1 < tokens.Count)
            {
                value = 0.5;
                i += tokens[i + 1] is "a" or "an" ? 2 : 1;
            }
            else if (TryNumber(tokens[i], out value))
            {
                i++;
                if (i < tokens.Count && tokens[i] == "of") i++; // "a couple of days"
            }
            else return false;

            if (i >= tokens.Count) return false;
            var unit = Unit(tokens[i]);
            if (unit is null) return false;
            i++;
            // "an hour and a half", "2 days and a half"
            if (i + 2 < tokens.Count && tokens[i] == "and" && tokens[i + 1] == "a" && tokens[i + 2] == "half")
            {
                value += 0.5;
                i += 3;
            }
            if (value <= 0 || value > 100_000) return false;
            switch (unit)
            {
                case 'M':
                    if (value != Math.Floor(value)) return false;
                    months += (int)value;
                    break;
                case 'f': days += value * 14; break;
                case 'w': days += value * 7; break;
                case 'd': days += value; break;
                case 'h': hours += value; break;
                default: minutes += value; break;
            }
            any = true;
        }
        amount = new Amount(months, days, hours, minutes);
        return any;
    }

    /// <summary>'m'inutes, 'h'ours, 'd'ays, 'w'eeks, 'f'ortnights or 'M'onths; null for anything else.</summary>
    private static char? Unit(string word) => word switch
    {
        "minute" or "minutes" or "min" or "mins" or "m" or "mn" => 'm',
        "hour" or "hours" or "hr" or "hrs" or "h" => 'h',
        "day" or "days" or "d" => 'd',
        "week" or "weeks" or "wk" or "wks" or "w" => 'w',
        "fortnight" or "fortnights" => 'f',
        "month" or "months" => 'M',
        _ => null,
    };

    private static bool TryNumber(string word, out double value)
    {
        value = word switch
        {
            "a" or "an" or "one" => 1,
            "couple" => 2,
            "two" => 2,
            "three" => 3,
            "four" => 4,
            "five" => 5,
            "six" => 6,
            "seven" => 7,
            "eight" => 8,
            "nine" => 9,
            "ten" => 10,
            "eleven" => 11,
            "twelve" => 12,
            "fifteen" => 15,
            "twenty" => 20,
            "thirty" => 30,
            "forty-five" => 45,
            _ => -1,
        };
        if (value > 0) return true;
        return double.TryParse(word, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value) && value > 0;
    }

    // ---- "friday 18:00", "tomorrow 6pm", "1 Dec", "2026-12-01 18:30", "today", "next tue at noon" ----

    private sealed class Parts
    {
        public LocalDate? Date;
        public IsoDayOfWeek? Weekday;
        public bool NextWeekday;
        public LocalTime? Time;
        public bool Midnight;
    }

    private static bool TryAbsolute(string text, ZonedDateTime now, LocalTime timeForDayOnly, out ParsedWhen? result, out string error)
    {
        result = null;
        var parts = new Parts();
        var tokens = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var today = now.Date;
        for (var i = 0; i < tokens.Length;)
        {
            var t = tokens[i];
            if (t is "at" or "on" or "by" or "the" or "of" or "this" or "until" or "before" or "o'clock" or "oclock") { i++; continue; }
            if (t == "next")
            {
                parts.NextWeekday = true;
                i++;
                continue;
            }
            if (DateWords.DaysFromToday(t) is { } ahead)
            {
                if (!SetDate(parts, today.PlusDays(ahead), out error)) return false;
                i++;
                continue;
            }
            if (DateWords.Weekday(t) is { } weekday)
            {
                if (parts.Weekday is not null)
                {
                    error = "I found two days of the week in that. Please give just one.";
                    return false;
                }
                parts.Weekday = weekday;
                i++;
                continue;
            }
            switch (DateWords.ReadDate(tokens, ref i, today, out var date, out var gluedTime, out error))
            {
                case WordsRead.Refused: return false;
                case WordsRead.Read:
                    if (!SetDate(parts, date, out error)) return false;
                    if (gluedTime is { } glued && !SetTime(parts, glued, out error)) return false;
                    continue;
            }
            if (t == "midnight")
            {
                if (!SetTime(parts, LocalTime.Midnight, out error)) return false;
                parts.Midnight = true;
                i++;
                continue;
            }
            switch (DateWords.ReadTime(tokens, ref i, out var time, out error, allowHourMark: true))
            {
                case WordsRead.Refused: return false;
                case WordsRead.Read:
                    if (!SetTime(parts, time, out error)) return false;
                    continue;
            }
            error = DateWords.IsBareHour(t)
                ? $"I'm not sure what \"{t}\" means there. Write the time as `18:00` or `6pm`."
                : DateWords.NearMiss(t) is { } nearMiss ? $"{nearMiss} Try {Examples}."
                : $"I couldn't read \"{Shorten(text)}\" as a time (I got stuck at \"{Shorten(t)}\"). Try {Examples}.";
            return false;
        }

        if (parts.NextWeekday && parts.Weekday is null)
        {
            error = "Next what? Give a day, for example `next friday 18:00`.";
            return false;
        }
        if (parts.Date is null && parts.Weekday is null && parts.Time is null)
        {
            error = $"I couldn't read \"{Shorten(text)}\" as a time. Try {Examples}.";
            return false;
        }

        LocalDate dateResult;
        if (parts.Date is { } given)
        {
            if (parts.Weekday is { } wd && given.DayOfWeek != wd)
            {
                error = $"{given.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)} is a {given.DayOfWeek}, not a {wd}. Which did you mean?";
                return false;
            }
            dateResult = given;
        }
        else if (parts.Weekday is { } wd)
        {
            // The nearest such day still ahead; "next friday" skips today even when it is a Friday.
            var first = parts.NextWeekday ? today.PlusDays(1) : today;
            dateResult = first;
            while (dateResult.DayOfWeek != wd) dateResult = dateResult.PlusDays(1);
            if (!parts.NextWeekday && dateResult == today && !parts.Midnight
                && Resolve(today + (parts.Time ?? timeForDayOnly), now.Zone).Value.ToInstant() <= now.ToInstant())
                dateResult = today.PlusDays(7);
        }
        else
        {
            // A time alone: today if still ahead, otherwise tomorrow.
            dateResult = today;
            if (!parts.Midnight && Resolve(today + parts.Time!.Value, now.Zone).Value.ToInstant() <= now.ToInstant())
                dateResult = today.PlusDays(1);
        }

        var timeResult = parts.Time ?? timeForDayOnly;
        if (parts.Midnight) dateResult = dateResult.PlusDays(1); // "friday midnight" is the end of Friday
        result = Resolve(dateResult + timeResult, now.Zone);
        error = "";
        return true;
    }

    private static bool SetDate(Parts parts, LocalDate date, out string error)
    {
        if (parts.Date is not null)
        {
            error = "I found two dates in that. Please give just one.";
            return false;
        }
        parts.Date = date;
        error = "";
        return true;
    }

    private static bool SetTime(Parts parts, LocalTime time, out string error)
    {
        if (parts.Time is not null)
        {
            error = "I found two times in that. Please give just one.";
            return false;
        }
        parts.Time = time;
        error = "";
        return true;
    }

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)([a-z]+)$")]
    private static partial Regex NumberWithUnit();
}
