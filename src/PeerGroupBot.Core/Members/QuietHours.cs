using NodaTime;

namespace PeerGroupBot.Core.Members;

/// <summary>The maths of quiet hours: a daily local range such as 22:00–08:00 that may cross midnight.</summary>
public static class QuietHours
{
    public static bool Contains(LocalTime from, LocalTime until, LocalTime time)
        => from < until ? time >= from && time < until : time >= from || time < until;

    /// <summary>
    /// When quiet hours that contain <paramref name="now"/> end, in <paramref name="zone"/>; null when
    /// <paramref name="now"/> is outside them. An end time in a daylight saving gap moves forward by the gap.
    /// </summary>
    public static Instant? EndIfInside(MemberPreferences preferences, DateTimeZone zone, Instant now)
    {
        if (!preferences.HasQuietHours) return null;
        var local = now.InZone(zone).LocalDateTime;
        var from = preferences.QuietFrom!.Value;
        var until = preferences.QuietUntil!.Value;
        if (!Contains(from, until, local.TimeOfDay)) return null;
        var endDate = local.TimeOfDay < until ? local.Date : local.Date.PlusDays(1);
        return endDate.At(until).InZoneLeniently(zone).ToInstant();
    }
}
