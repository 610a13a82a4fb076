using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace PeerGroupBot.Core.Rota;

/// <summary>
/// A session the rota covers. <see cref="Id"/> is the session's occurrence id ("2026-12-03T18:00", local time in
/// the group's zone), or just a date ("2026-12-03") when a facilitator gave dates without times.
/// </summary>
public sealed partial record RotaSession(string Id, LocalDate Date, LocalTime? Time)
{
    private static readonly LocalDateTimePattern IdPattern = LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm");

    public static RotaSession At(LocalDateTime start) => new(IdPattern.Format(start), start.Date, start.TimeOfDay);

    public static RotaSession OnDate(LocalDate date) => new(LocalDatePattern.Iso.Format(date), date, null);

    /// <summary>"Thu 3 Dec, 18:00", or "Thu 3 Dec" without a time.</summary>
    public string Label => Time is { } time
        ? Date.ToString("ddd d MMM", CultureInfo.InvariantCulture) + ", " + time.ToString("HH:mm", CultureInfo.InvariantCulture)
        : Date.ToString("ddd d MMM", CultureInfo.InvariantCulture);

    /// <summary>"Thu 3 Dec, 18:00 GMT": the <see cref="Label"/> with the zone's abbreviation when there is a time, as a member reads it.</summary>
    public string LabelIn(DateTimeZone zone) => Time is null ? Label : Label + " " + PeerGroupBot.Core.Time.WhenParser.Abbreviation(StartIn(zone).InZone(zone));

    /// <summary>
    /// A label stored without its zone (a check-out's or the record's "Tue 3 Nov, 18:30") as a member reads it: with the
    /// zone's abbreviation at <paramref name="start"/> when it ends in a bare time; anything else unchanged.
    /// </summary>
    public static string Zoned(string label, Instant start, DateTimeZone zone)
        => BareTimeAtEnd().IsMatch(label) ? label + " " + PeerGroupBot.Core.Time.WhenParser.Abbreviation(start.InZone(zone)) : label;

    [System.Text.RegularExpressions.GeneratedRegex(@", \d{2}:\d{2}$")]
    private static partial System.Text.RegularExpressions.Regex BareTimeAtEnd();

    public LocalDateTime SortKey => Date.At(Time ?? LocalTime.Midnight);

    public Instant StartIn(DateTimeZone zone) => Time is { } time ? Date.At(time).InZoneLeniently(zone).ToInstant() : Date.AtStartOfDayInZone(zone).ToInstant();

    /// <summary>Not started yet (a session with only a date counts as upcoming until that day is over).</summary>
    public bool IsUpcoming(Instant now, DateTimeZone zone) => Time is null
        ? Date >= now.InZone(zone).Date
        : StartIn(zone) > now;

    /// <summary>Whether this session is the occurrence <paramref name="occurrenceId"/> ("2026-12-03T18:00"); a dated-only session matches any time that day.</summary>
    public bool Matches(string occurrenceId)
        => Id == occurrenceId || (Time is null && occurrenceId.StartsWith(Id + "T", StringComparison.Ordinal));
}
