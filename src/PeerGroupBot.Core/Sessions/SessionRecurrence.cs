using NodaTime;

namespace PeerGroupBot.Core.Sessions;

/// <summary>One planned meeting with its wall-clock start, whether it was cancelled, and its instants.</summary>
public sealed record PlannedSession(LocalDateTime LocalStart, Instant Start, Duration Length, string? Place, bool OneOff, string? CancelledReason)
{
    public string Id => OccurrenceIds.Of(LocalStart);
    public bool Cancelled => CancelledReason is not null;
    public Instant End => Start + Length;
    public SessionOccurrence ToOccurrence() => new(Id, Start, Length, Place);
}

/// <summary>A reminder that falls due: which session, and how long before it.</summary>
public sealed record DueReminder(PlannedSession Session, int OffsetMinutes, Instant Due);

/// <summary>
/// The date maths of sessions, all in the group's time zone with NodaTime. Local times that fall in a daylight
/// saving gap move forward by the gap; times that happen twice take the earlier one.
/// </summary>
public static class SessionRecurrence
{
    /// <summary>How far ahead occurrences are looked for.</summary>
    public static readonly Period Horizon = Period.FromDays(400);

    /// <summary>The rule's dates on or after <paramref name="from"/>, ascending, without end.</summary>
    public static IEnumerable<LocalDate> Dates(SessionRule rule, LocalDate from)
    {
        var start = from > rule.From ? from : rule.From;
        switch (rule.Repeat)
        {
            case SessionRepeat.Weekly:
            {
                for (var date = start.With(DateAdjusters.NextOrSame(rule.Day)); ; date = date.PlusWeeks(1))
                    yield return date;
            }
            case SessionRepeat.Fortnightly:
            {
                var anchor = rule.From.With(DateAdjusters.NextOrSame(rule.Day));
                var date = (start > anchor ? start : anchor).With(DateAdjusters.NextOrSame(rule.Day));
                if (Period.DaysBetween(anchor, date) % 14 != 0) date = date.PlusWeeks(1);
                for (; ; date = date.PlusWeeks(2))
                    yield return date;
            }
            default:
            {
                for (var month = start.With(DateAdjusters.StartOfMonth); ; month = month.PlusMonths(1))
                {
                    var date = NthWeekday(month, rule.Day, rule.Week);
                    if (date >= start) yield return date;
                }
            }
        }
    }

    /// <summary>The n-th (1-4) or last (-1) <paramref name="day"/> of the month that <paramref name="month"/> is in.</summary>
    public static LocalDate NthWeekday(LocalDate month, IsoDayOfWeek day, int week)
        => week < 0
            ? month.With(DateAdjusters.EndOfMonth).With(DateAdjusters.PreviousOrSame(day))
            : month.With(DateAdjusters.StartOfMonth).With(DateAdjusters.NextOrSame(day)).PlusWeeks(Math.Clamp(week, 1, 4) - 1);

    public static Instant ToInstant(LocalDateTime local, DateTimeZone zone) => local.InZoneLeniently(zone).ToInstant();

    /// <summary>Every session starting after <paramref name="after"/> and up to the horizon, cancelled ones included, in start order.</summary>
    public static IEnumerable<PlannedSession> After(SessionSchedule schedule, DateTimeZone zone, Instant after)
    {
        var localAfter = after.InZone(zone).LocalDateTime;
        var until = localAfter.Date.Plus(Horizon);
        var all = new List<PlannedSession>();
        if (schedule.Rule is { } rule)
        {
            foreach (var date in Dates(rule, localAfter.Date.PlusDays(-1)))
            {
                if (date > until) break;
                all.Add(Plan(schedule, zone, date.At(rule.Time), rule.LengthMinutes, rule.Place, oneOff: false));
            }
        }
        foreach (var extra in schedule.OneOffs)
            all.Add(Plan(schedule, zone, extra.Start, extra.LengthMinutes, extra.Place, oneOff: true));
        return all.Where(s => s.Start > after)
            .GroupBy(s => s.Id).Select(g => g.OrderBy(s => s.OneOff).First()) // a one-off at a rule's time adds nothing
            .OrderBy(s => s.Start);
    }

    /// <summary>The sessions that will take place after <paramref name="after"/>.</summary>
    public static IEnumerable<PlannedSession> Upcoming(SessionSchedule schedule, DateTimeZone zone, Instant after)
        => After(schedule, zone, after).Where(s => !s.Cancelled);

    private static PlannedSession Plan(SessionSchedule schedule, DateTimeZone zone, LocalDateTime start, int lengthMinutes, string? place, bool oneOff)
    {
        var id = OccurrenceIds.Of(start);
        return new PlannedSession(start, ToInstant(start, zone), Duration.FromMinutes(lengthMinutes), place, oneOff,
            schedule.Cancelled.TryGetValue(id, out var reason) ? reason : null);
    }

    /// <summary>
    /// When a reminder <paramref name="offsetMinutes"/> before a session is due. Whole days are counted on the
    /// calendar (a "24h" reminder comes at the same local time the day before, even across a clock change);
    /// anything else is elapsed time.
    /// </summary>
    public static Instant ReminderDue(PlannedSession session, int offsetMinutes, DateTimeZone zone)
        => offsetMinutes % (24 * 60) == 0
            ? ToInstant(session.LocalStart.PlusDays(-offsetMinutes / (24 * 60)), zone)
            : session.Start - Duration.FromMinutes(offsetMinutes);

    /// <summary>Every reminder due after <paramref name="after"/>, earliest first (only the next few sessions are considered).</summary>
    public static IEnumerable<DueReminder> RemindersAfter(SessionSchedule schedule, DateTimeZone zone, Instant after, int sessions = 12)
        => Upcoming(schedule, zone, after).Take(sessions)
            .SelectMany(s => schedule.ReminderMinutes.Select(m => new DueReminder(s, m, ReminderDue(s, m, zone))))
            .Where(r => r.Due > after)
            .OrderBy(r => r.Due).ThenByDescending(r => r.OffsetMinutes);
}
