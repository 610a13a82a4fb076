using System.Text;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;

namespace PeerGroupBot.Core.Sessions;

/// <summary>
/// <c>session calendar</c>'s file: the group's upcoming sessions as an iCalendar (.ics) file, written with Ical.Net.
/// The regular schedule is one event with its recurrence rule in the group's time zone (so a calendar app keeps the
/// local time across daylight saving), each cancelled date an exception (EXDATE); extra sessions are events of their
/// own. Names of members, RSVPs and agendas are never in it: only what the group's schedule says.
/// </summary>
public static class SessionCalendarFile
{
    public const string FileName = "sessions.ics";
    public const string MediaType = "text/calendar";

    public static ReplyAttachment Build(GroupDocument group, SessionSchedule schedule, Instant now)
    {
        var zone = group.Zone;
        var tzId = zone.Id;
        var calendar = new Calendar { ProductId = "-//PeerGroupBot//Sessions//EN" };
        calendar.AddProperty("X-WR-CALNAME", $"{group.Name} sessions");
        calendar.AddProperty("X-WR-TIMEZONE", tzId);
        calendar.TimeZones.Add(VTimeZone.FromDateTimeZone(tzId, now.InZone(zone).ToDateTimeUnspecified(), includeHistoricalData: false));

        var planned = SessionRecurrence.After(schedule, zone, now).ToList();
        var stamp = new CalDateTime(now.ToDateTimeUtc(), "UTC");
        if (schedule.Rule is { } rule && planned.FirstOrDefault(s => !s.OneOff) is { } first)
        {
            var regular = Event(group, $"{group.Id}-regular@peergroupbot", first.LocalStart, rule.LengthMinutes, rule.Place, stamp, tzId);
            regular.RecurrenceRule = Recurrence(rule);
            foreach (var cancelled in planned.Where(s => s.Cancelled && !s.OneOff))
                regular.ExceptionDates.Add(Local(cancelled.LocalStart, tzId));
            calendar.Events.Add(regular);
        }
        foreach (var extra in planned.Where(s => s.OneOff && !s.Cancelled))
        {
            var uid = $"{group.Id}-{OccurrenceIds.ToKey(extra.Id)}@peergroupbot";
            calendar.Events.Add(Event(group, uid, extra.LocalStart, (int)extra.Length.TotalMinutes, extra.Place, stamp, tzId));
        }

        var text = new CalendarSerializer().SerializeToString(calendar) ?? "";
        return new ReplyAttachment(FileName, MediaType, Encoding.UTF8.GetBytes(text));
    }

    private static CalendarEvent Event(GroupDocument group, string uid, LocalDateTime start, int lengthMinutes, string? place, CalDateTime stamp, string tzId)
    {
        var calendarEvent = new CalendarEvent
        {
            Uid = uid,
            Summary = $"{group.Name} session",
            Description = $"A session of {group.Name}. Type session next in the group to see the agenda and who is on the rota.",
            DtStart = Local(start, tzId),
            DtEnd = Local(start.PlusMinutes(lengthMinutes), tzId),
            DtStamp = stamp,
        };
        if (!string.IsNullOrWhiteSpace(place)) calendarEvent.Location = place;
        return calendarEvent;
    }

    private static CalDateTime Local(LocalDateTime local, string tzId)
        => new(local.Year, local.Month, local.Day, local.Hour, local.Minute, local.Second, tzId);

    /// <summary>"every Tuesday" is WEEKLY;BYDAY=TU, "every other" INTERVAL=2, "the last Friday" MONTHLY;BYDAY=-1FR.</summary>
    private static RecurrencePattern Recurrence(SessionRule rule)
    {
        var day = (DayOfWeek)((int)rule.Day % 7);
        return rule.Repeat switch
        {
            SessionRepeat.Weekly => new RecurrencePattern(FrequencyType.Weekly, 1) { ByDay = [new WeekDay(day)] },
            SessionRepeat.Fortnightly => new RecurrencePattern(FrequencyType.Weekly, 2) { ByDay = [new WeekDay(day)] },
            _ => new RecurrencePattern(FrequencyType.Monthly, 1) { ByDay = [new WeekDay(day, rule.Week)] },
        };
    }
}
