using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;

namespace PeerGroupBot.Core.Time;

/// <summary>What a <see cref="DateWords"/> reader made of the words at a position.</summary>
public enum WordsRead
{
    /// <summary>The words there are not this kind of thing; nothing was used, so another reader can try.</summary>
    None,

    /// <summary>Read; the position has moved past the words used.</summary>
    Read,

    /// <summary>The words clearly meant this but can't be used ("25:00", "31 feb", "1/12"); the error says why.</summary>
    Refused,
}

/// <summary>
/// The building blocks for reading what people type about dates and times: a time of day ("18:00", "18.00", "6pm",
/// "6:30 pm", "noon"), a weekday ("friday", "fri", "fridays"), a month ("dec", "december"), "today" / "tomorrow" and a
/// calendar date ("1 Dec", "1st of December 2026", "Dec 1", "2026-12-01", "2026-12-01T18:30"). Poll closing times
/// (<see cref="WhenParser"/>), sessions and rota poll dates all read through here, so every command accepts the same
/// forms and refuses day-first/month-first numbers ("1/12") with the same message. Readers work on words already
/// split on white space and do their own lower-casing, so callers can pass what the member typed.
/// </summary>
public static partial class DateWords
{
    /// <summary>The time-of-day forms, for messages (markdown).</summary>
    public const string TimeForms = "`18:00`, `18.00`, `6pm` or `6:30pm`";

    /// <summary>The calendar date forms, for messages (markdown).</summary>
    public const string DateForms = "`1 Dec`, `Dec 1` or `2026-12-01`";

    /// <summary>Lower case, "p.m." as "pm", without the commas and full stops people end words with.</summary>
    public static string Normalize(string word)
        => word.Trim().ToLowerInvariant()
            .Replace("a.m.", "am", StringComparison.Ordinal)
            .Replace("p.m.", "pm", StringComparison.Ordinal)
            .Trim(',', '.', ';');

    // ---- time of day -------------------------------------------------------------------------------------------

    /// <summary>
    /// Reads a time of day at <paramref name="index"/>: "18:00", "18.00", "6pm", "6:30pm", "6 pm" (two words), "noon",
    /// "midday". An hour alone ("6") is not a time here, because it is as easily a day or a length; callers that
    /// want to say so check <see cref="IsBareHour"/>. With <paramref name="allowHourMark"/> "18h30" is a time too;
    /// leave it off where a length such as "1h30" may follow.
    /// </summary>
    public static WordsRead ReadTime(IReadOnlyList<string> words, ref int index, out LocalTime time, out string error, bool allowHourMark = false)
    {
        time = default;
        error = "";
        if (index >= words.Count) return WordsRead.None;
        var word = Normalize(words[index]);
        if (word is "noon" or "midday")
        {
            time = new LocalTime(12, 0);
            index++;
            return WordsRead.Read;
        }
        var clock = ClockTime().Match(word);
        if (!clock.Success || (clock.Groups["mark"].Value == "h" && !allowHourMark)) return WordsRead.None;

        var used = 1;
        var meridiem = clock.Groups["ampm"].Success ? clock.Groups["ampm"].Value : null;
        if (meridiem is null && index + 1 < words.Count && Normalize(words[index + 1]) is "am" or "pm")
        {
            meridiem = Normalize(words[index + 1]);
            used = 2;
        }
        var hasMinutes = clock.Groups["m"].Success;
        if (!hasMinutes && meridiem is null) return WordsRead.None;

        var hour = int.Parse(clock.Groups["h"].Value, CultureInfo.InvariantCulture);
        var minute = hasMinutes ? int.Parse(clock.Groups["m"].Value, CultureInfo.InvariantCulture) : 0;
        if (!TryMakeTime(hour, minute, meridiem, out time))
        {
            error = $"\"{Shorten(words[index])}\" isn't a time I understand. Write it as {TimeForms}.";
            return WordsRead.Refused;
        }
        index += used;
        return WordsRead.Read;
    }

    /// <summary>The whole of <paramref name="text"/> as a time of day, in any form <see cref="ReadTime"/> takes ("6:30 pm" included).</summary>
    public static bool TryParseTime(string text, out LocalTime time)
    {
        var words = (text ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var index = 0;
        if (ReadTime(words, ref index, out time, out _) == WordsRead.Read && index == words.Length) return true;
        time = default;
        return false;
    }

    /// <summary>Whether the word is an hour with nothing to say whether it's a time ("6"), so a reader can ask for "6pm".</summary>
    public static bool IsBareHour(string word) => ClockTime().Match(Normalize(word)) is { Success: true } m && !m.Groups["m"].Success && !m.Groups["ampm"].Success;

    private static bool TryMakeTime(int hour, int minute, string? meridiem, out LocalTime time)
    {
        time = default;
        if (minute > 59) return false;
        if (meridiem is null)
        {
            if (hour > 23) return false;
        }
        else
        {
            if (hour is < 1 or > 12) return false;
            hour = hour % 12 + (meridiem == "pm" ? 12 : 0);
        }
        time = new LocalTime(hour, minute);
        return true;
    }

    // ---- days and months ---------------------------------------------------------------------------------------

    /// <summary>"friday", "fri", "fridays"; "tue"/"tues", "wed"/"weds", "thu"/"thur"/"thurs". Null for anything else.</summary>
    public static IsoDayOfWeek? Weekday(string word)
    {
        var w = Normalize(word);
        return WeekdayName(w) ?? (w.EndsWith("days", StringComparison.Ordinal) ? WeekdayName(w[..^1]) : null);
    }

    private static IsoDayOfWeek? WeekdayName(string word) => word switch
    {
        "monday" or "mon" => IsoDayOfWeek.Monday,
        "tuesday" or "tue" or "tues" => IsoDayOfWeek.Tuesday,
        "wednesday" or "wed" or "weds" => IsoDayOfWeek.Wednesday,
        "thursday" or "thu" or "thur" or "thurs" => IsoDayOfWeek.Thursday,
        "friday" or "fri" => IsoDayOfWeek.Friday,
        "saturday" or "sat" => IsoDayOfWeek.Saturday,
        "sunday" or "sun" => IsoDayOfWeek.Sunday,
        _ => null,
    };

    private static readonly string[] DayNames = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    private static readonly string[] MonthNames = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

    /// <summary>
    /// For a word that is nearly a day or month name ("tusday", "wendesday", "decmber"): a sentence naming the word and
    /// the likely one, "I don't know the day "tusday" — did you mean Tuesday?". Null when the word is no near miss.
    /// </summary>
    public static string? NearMiss(string word)
    {
        var w = Normalize(word);
        if (w.Length < 4 || !w.All(char.IsAsciiLetterLower) || Weekday(w) is not null || Month(w) is not null) return null;
        foreach (var (names, kind) in new[] { (DayNames, "day"), (MonthNames, "month") })
        {
            var best = names.MinBy(n => Typos(w, n))!;
            if (Typos(w, best) <= (best.Length > 6 ? 2 : 1))
                return $"I don't know the {kind} \"{word}\" — did you mean {char.ToUpperInvariant(best[0])}{best[1..]}?";
        }
        return null;
    }

    /// <summary>How many typing slips (a letter missed, added, changed, or two swapped) turn one word into the other.</summary>
    private static int Typos(string typed, string meant)
    {
        var d = new int[typed.Length + 1, meant.Length + 1];
        for (var i = 0; i <= typed.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= meant.Length; j++) d[0, j] = j;
        for (var i = 1; i <= typed.Length; i++)
        for (var j = 1; j <= meant.Length; j++)
        {
            var change = typed[i - 1] == meant[j - 1] ? 0 : 1;
            d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + change);
            if (i > 1 && j > 1 && typed[i - 1] == meant[j - 2] && typed[i - 2] == meant[j - 1])
                d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
        }
        return d[typed.Length, meant.Length];
    }

    /// <summary>A month from its name or the start of it, three letters at least ("dec", "decem", "december"): 1 to 12, or null.</summary>
    public static int? Month(string word)
    {
        var w = Normalize(word);
        if (w.Length < 3 || !w.All(char.IsAsciiLetterLower)) return null;
        var names = CultureInfo.InvariantCulture.DateTimeFormat.MonthNames;
        for (var i = 0; i < 12; i++)
        {
            if (names[i].StartsWith(w, StringComparison.OrdinalIgnoreCase)) return i + 1;
        }
        return null;
    }

    /// <summary>"today" and "tonight" are 0 days ahead, "tomorrow" ("tmrw", "tmr") 1; null for other words.</summary>
    public static int? DaysFromToday(string word) => Normalize(word) switch
    {
        "today" or "tonight" => 0,
        "tomorrow" or "tmrw" or "tmr" => 1,
        _ => null,
    };

    // ---- calendar dates ----------------------------------------------------------------------------------------

    /// <summary>
    /// Reads a calendar date at <paramref name="index"/>: "2026-12-01" (or "2026/12/01", optionally with "T18:30"
    /// joined on, which comes back in <paramref name="time"/>), "1 Dec", "1st of December", "Dec 1st", each with an
    /// optional year ("1 Dec 2026"). Without a year it is this year, or next year once the day has gone by
    /// <paramref name="today"/>. Numeric day/month dates ("1/12", "01-12-2026", "1.12.26") are refused, not guessed.
    /// </summary>
    public static WordsRead ReadDate(IReadOnlyList<string> words, ref int index, LocalDate today, out LocalDate date, out LocalTime? time, out string error)
    {
        date = default;
        time = null;
        error = "";
        if (index >= words.Count) return WordsRead.None;
        var word = Normalize(words[index]);

        var iso = IsoDate().Match(word);
        if (iso.Success)
        {
            if (!TryMakeDate(Number(iso.Groups["y"]), Number(iso.Groups["mo"]), Number(iso.Groups["d"]), out date, out error)) return WordsRead.Refused;
            if (iso.Groups["time"].Success)
            {
                // The pattern guarantees minutes, so this is either a time or a refusal ("2026-12-01T25:00").
                var timeIndex = 0;
                if (ReadTime([iso.Groups["time"].Value], ref timeIndex, out var glued, out error) != WordsRead.Read) return WordsRead.Refused;
                time = glued;
            }
            index++;
            return WordsRead.Read;
        }
        if (NumericDate().IsMatch(word))
        {
            error = $"I can't tell whether \"{Shorten(words[index])}\" is day/month or month/day. Please write the month as a word (`1 Dec`) or use `2026-12-01`.";
            return WordsRead.Refused;
        }

        int day, month, next;
        var dayFirst = DayOfMonth().Match(word);
        var of = index + 1 < words.Count && Normalize(words[index + 1]) == "of" ? 1 : 0;
        if (dayFirst.Success && index + 1 + of < words.Count && Month(words[index + 1 + of]) is { } monthAfter)
        {
            (day, month, next) = (Number(dayFirst.Groups[1]), monthAfter, index + 2 + of);
        }
        else if (Month(word) is { } monthFirst)
        {
            var dayAfter = index + 1 < words.Count ? DayOfMonth().Match(Normalize(words[index + 1])) : Match.Empty;
            if (!dayAfter.Success)
            {
                error = $"Which day of {CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(monthFirst)}? For example `1 {CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedMonthName(monthFirst)} 18:00`.";
                return WordsRead.Refused;
            }
            (day, month, next) = (Number(dayAfter.Groups[1]), monthFirst, index + 2);
        }
        else return WordsRead.None;

        int year;
        if (next < words.Count && Year().IsMatch(Normalize(words[next])))
        {
            year = int.Parse(Normalize(words[next]), CultureInfo.InvariantCulture);
            next++;
        }
        else
        {
            // A day and month without a year: this year unless it is already behind us.
            year = month < today.Month || (month == today.Month && day < today.Day) ? today.Year + 1 : today.Year;
        }
        if (!TryMakeDate(year, month, day, out date, out error)) return WordsRead.Refused;
        index = next;
        return WordsRead.Read;
    }

    /// <summary>Whether the word is an ISO date ("2026-12-03", "2026-12-03T18:00"), the form session references use.</summary>
    public static bool IsIsoDate(string word) => IsoDate().IsMatch(Normalize(word));

    private static bool TryMakeDate(int year, int month, int day, out LocalDate date, out string error)
    {
        date = default;
        if (year < 2000 || year > 9000 || month is < 1 or > 12)
        {
            error = "That date doesn't look right. Please write it like `2026-12-01` or `1 Dec`.";
            return false;
        }
        if (day < 1 || day > CalendarSystem.Iso.GetDaysInMonth(year, month))
        {
            error = $"{CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(month)} {year} has no day {day}.";
            return false;
        }
        date = new LocalDate(year, month, day);
        error = "";
        return true;
    }

    private static int Number(Group group) => int.Parse(group.Value, CultureInfo.InvariantCulture);

    private static string Shorten(string text) => text.Length > 30 ? text[..30] + "…" : text;

    [GeneratedRegex(@"^(?<h>\d{1,2})(?:(?<mark>[:.h])(?<m>\d{2}))?(?<ampm>am|pm)?$")]
    private static partial Regex ClockTime();

    [GeneratedRegex(@"^(?<y>\d{4})[-/](?<mo>\d{1,2})[-/](?<d>\d{1,2})(?:t(?<time>\d{1,2}[:.]\d{2}))?$")]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"^(\d{1,2}[/-]\d{1,2}([/-]\d{2,4})?|\d{1,2}\.\d{1,2}\.\d{2,4})$")]
    private static partial Regex NumericDate();

    [GeneratedRegex(@"^(\d{1,2})(?:st|nd|rd|th)?$")]
    private static partial Regex DayOfMonth();

    [GeneratedRegex(@"^\d{4}$")]
    private static partial Regex Year();
}
