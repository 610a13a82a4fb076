using NodaTime;
using PeerGroupBot.Core.Time;

namespace PeerGroupBot.Core.Sessions;

/// <summary>
/// A facilitator's "when we meet", from the one-line form (<c>session schedule weekly tuesday 18:30 90m "Zoom link"</c>)
/// or from the schedule form. Parsing is forgiving about order and filler words; anything it cannot place is read as
/// the place. Length and place left out keep the group's current ones.
/// </summary>
/// <param name="PlaceGiven">The form always gives the place (empty clears it); the one-line form keeps the current one when it names none.</param>
public sealed record ScheduleRequest(SessionRepeat Repeat, IsoDayOfWeek Day, int Week, LocalTime Time, int? LengthMinutes, string? Place, LocalDate? From, bool PlaceGiven = false)
{
    public const string Example = "session schedule weekly tuesday 18:30 90m \"Zoom link\"";

    private static readonly HashSet<string> Fillers = ["on", "at", "in", "for", "of", "each", "month", "a", "the", "every", "from", "starting", "and", "-", "–"];

    /// <summary>The rule this request makes, keeping the current rule's length, place and rhythm when not given.</summary>
    public SessionRule ToRule(SessionRule? current, LocalDate today) => new()
    {
        Repeat = Repeat,
        Day = Day,
        Week = Repeat == SessionRepeat.Monthly ? Week : 0,
        Time = Time,
        LengthMinutes = LengthMinutes ?? current?.LengthMinutes ?? SessionSchedule.DefaultLengthMinutes,
        Place = PlaceGiven ? Place : Place ?? current?.Place,
        // Keep the fortnightly rhythm when only the time, length or place changes.
        From = From ?? (current is not null && current.Repeat == Repeat && current.Day == Day ? current.From : today),
    };

    public static ScheduleRequest? Parse(string text, LocalDate today, out string error)
    {
        error = "";
        var words = SessionText.Words(text);
        SessionRepeat? repeat = null;
        var day = IsoDayOfWeek.None;
        var week = 0;
        LocalTime? time = null;
        int? length = null;
        LocalDate? from = null;
        string? place = null;
        var placeWords = new List<string>();

        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            var lower = word.ToLowerInvariant().TrimEnd(',');
            var next = i + 1 < words.Count ? words[i + 1] : null;
            if (placeWords.Count > 0) { placeWords.Add(word); continue; }

            if (SessionText.IsQuoted(word)) { place = SessionText.Unquote(word); continue; }
            if (lower is "weekly") { repeat = SessionRepeat.Weekly; continue; }
            if (lower is "fortnightly" or "biweekly" or "bi-weekly" or "alternate") { repeat = SessionRepeat.Fortnightly; continue; }
            if (lower is "every" or "each" && next?.ToLowerInvariant() is "other" or "second")
            {
                // "every second tuesday" means fortnightly, not the second tuesday of the month.
                repeat = SessionRepeat.Fortnightly;
                i++;
                continue;
            }
            if (lower is "monthly") { repeat = SessionRepeat.Monthly; continue; }
            if ((lower is "from" or "starting") && next is not null)
            {
                if (SessionText.TryParseDate(string.Join(' ', words.Skip(i + 1)), today, out var fromDate, out var fromTime, out var afterDate, out error))
                {
                    from = fromDate;
                    time ??= fromTime; // "from 2026-11-10 18:30"
                    var rest = SessionText.Words(afterDate);
                    words = [.. words.Take(i + 1), .. rest];
                    continue;
                }
                if (error.Length > 0) return null;
            }
            if (SessionText.TryParseOrdinal(lower, out var ordinal)) { week = ordinal; continue; }
            if (SessionText.TryParseDay(lower, out var namedDay)) { day = namedDay; continue; }
            // One start time; a later time-like word ("Midday Centre") belongs to the place.
            if (time is null)
            {
                var end = i;
                switch (DateWords.ReadTime(words, ref end, out var t, out error))
                {
                    case WordsRead.Refused: return null;
                    case WordsRead.Read: time = t; i = end - 1; continue;
                }
            }
            if (SessionText.TryParseLength(lower, out var minutes)) { length = minutes; continue; }
            if (next is not null && SessionText.TryParseLength(lower + next.ToLowerInvariant(), out minutes) && lower.All(c => char.IsAsciiDigit(c) || c == '.'))
            {
                length = minutes;
                i++;
                continue;
            }
            if (Fillers.Contains(lower)) continue;
            placeWords.Add(word);
        }

        if (place is null && placeWords.Count > 0) place = string.Join(' ', placeWords);
        if (place is not null && place.Length > SessionText.MaxPlaceLength)
        {
            error = $"The place can be up to {SessionText.MaxPlaceLength} characters. A short name or a link works best.";
            return null;
        }
        if (day == IsoDayOfWeek.None && placeWords.Concat(place is null ? [] : [place]).Select(DateWords.NearMiss).FirstOrDefault(n => n is not null) is { } nearMiss)
        {
            error = $"{nearMiss} For example `{Example}`.";
            return null;
        }
        if (day == IsoDayOfWeek.None || time is null)
        {
            error = $"I need at least a day and a start time, for example `{Example}`, `session schedule fortnightly thursday 6pm` or `session schedule first monday 10:30 2h \"Room 4\"`.";
            return null;
        }
        if (week != 0 && repeat is SessionRepeat.Weekly or SessionRepeat.Fortnightly)
        {
            error = $"\"{SessionText.Ordinal(week)} {day}\" is a monthly pattern, so leave out \"{repeat.ToString()!.ToLowerInvariant()}\": `session schedule {SessionText.Ordinal(week)} {day.ToString().ToLowerInvariant()} {SessionText.Time(time.Value)}`.";
            return null;
        }
        repeat ??= week != 0 ? SessionRepeat.Monthly : SessionRepeat.Weekly;
        if (repeat == SessionRepeat.Monthly && week == 0)
        {
            error = $"Which {day} of the month? Say `first`, `second`, `third`, `fourth` or `last`, e.g. `session schedule first {day.ToString().ToLowerInvariant()} {SessionText.Time(time.Value)}`.";
            return null;
        }
        return new ScheduleRequest(repeat.Value, day, week, time.Value, length, string.IsNullOrWhiteSpace(place) ? null : place.Trim(), from);
    }

    /// <summary>The choices of the schedule form's "repeats" field.</summary>
    public static readonly IReadOnlyList<(string Value, string Label)> RepeatChoices =
    [
        ("weekly", "Every week"),
        ("fortnightly", "Every other week"),
        ("monthly-1", "First of the month"),
        ("monthly-2", "Second of the month"),
        ("monthly-3", "Third of the month"),
        ("monthly-4", "Fourth of the month"),
        ("monthly-last", "Last of the month"),
    ];

    public static string RepeatValue(SessionRule rule) => rule.Repeat switch
    {
        SessionRepeat.Weekly => "weekly",
        SessionRepeat.Fortnightly => "fortnightly",
        _ => rule.Week < 0 ? "monthly-last" : $"monthly-{rule.Week}",
    };

    /// <summary>Reads the schedule form, field by field, so each mistake gets its own message.</summary>
    public static ScheduleRequest? FromForm(IReadOnlyDictionary<string, string> values, out string error)
    {
        error = "";
        var repeatValue = values.GetValueOrDefault("repeat", "weekly").Trim().ToLowerInvariant();
        var (repeat, week) = repeatValue switch
        {
            "fortnightly" => (SessionRepeat.Fortnightly, 0),
            "monthly-1" => (SessionRepeat.Monthly, 1),
            "monthly-2" => (SessionRepeat.Monthly, 2),
            "monthly-3" => (SessionRepeat.Monthly, 3),
            "monthly-4" => (SessionRepeat.Monthly, 4),
            "monthly-last" => (SessionRepeat.Monthly, -1),
            _ => (SessionRepeat.Weekly, 0),
        };
        if (!SessionText.TryParseDay(values.GetValueOrDefault("day", ""), out var day))
        {
            error = "Choose the day of the week the group meets.";
            return null;
        }
        if (!SessionText.TryParseTime(values.GetValueOrDefault("time", ""), out var time))
        {
            error = "The start time should look like `18:30` or `6:30pm`.";
            return null;
        }
        int? length = null;
        var lengthText = values.GetValueOrDefault("length", "").Trim();
        if (lengthText.Length > 0)
        {
            if (!SessionText.TryParseLength(lengthText, out var minutes))
            {
                error = "The length should look like `90m`, `2h` or `1h30` (12 hours at most).";
                return null;
            }
            length = minutes;
        }
        var place = values.GetValueOrDefault("place", "").Trim();
        if (place.Length > SessionText.MaxPlaceLength)
        {
            error = $"The place can be up to {SessionText.MaxPlaceLength} characters. A short name or a link works best.";
            return null;
        }
        return new ScheduleRequest(repeat, day, week, time, length, place.Length == 0 ? null : place, null, PlaceGiven: true);
    }
}
