using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;

namespace PeerGroupBot.Testing;

/// <summary>
/// A clock for a real host that starts at a chosen instant and then runs at real speed, so a test sees the same date,
/// weekday and hour whenever (and in whatever machine time zone) it runs, while timers still fire after real delays.
/// It is both the bot's NodaTime <see cref="IClock"/> and the host's <see cref="TimeProvider"/> (which Quartz and the
/// adapters read), so the scheduler and the bot agree on what "now" is. Its local time zone is UTC.
/// </summary>
public sealed class PinnedClock : TimeProvider, IClock
{
    /// <summary>
    /// A Wednesday, 11:00 in London (British Summer Time): weeks from a daylight saving change, days from a month
    /// end, hours from midnight in any zone a group is likely to use, and years ahead of the machines that run the
    /// tests (a frozen clock set here never lets a real-time Quartz trigger fire during a test).
    /// </summary>
    public static readonly Instant DefaultStart = Instant.FromUtc(2036, 5, 14, 10, 0);

    private readonly Instant _start;
    private readonly long _startedAt = Stopwatch.GetTimestamp();

    public PinnedClock(Instant? start = null) => _start = start ?? DefaultStart;

    public Instant GetCurrentInstant() => _start + Duration.FromTimeSpan(Stopwatch.GetElapsedTime(_startedAt));

    public override DateTimeOffset GetUtcNow() => GetCurrentInstant().ToDateTimeOffset();

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Makes this the host's only <see cref="IClock"/> and <see cref="TimeProvider"/>.</summary>
    public void ReplaceIn(IServiceCollection services)
    {
        services.RemoveAll<IClock>();
        services.RemoveAll<TimeProvider>();
        services.AddSingleton<IClock>(this);
        services.AddSingleton<TimeProvider>(this);
    }
}
