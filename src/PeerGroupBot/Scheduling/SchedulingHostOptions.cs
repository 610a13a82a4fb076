namespace PeerGroupBot.Scheduling;

/// <summary>
/// The host's scheduling settings, from the same <c>Scheduling</c> section as the core's
/// <see cref="Core.Scheduling.SchedulingOptions"/> (MisfireGraceMinutes, LeaseName).
/// </summary>
public sealed class SchedulingHostOptions
{
    /// <summary>How long the leader lease lasts without renewal, in seconds; it is renewed every third of that. A blob lease is held 15–60 s.</summary>
    public double LeaseSeconds { get; set; } = 30;

    /// <summary>How often the leader picks up timers changed on other instances, in seconds.</summary>
    public double PollSeconds { get; set; } = 5;

    /// <summary>How often the leader rebuilds every trigger from the stored timers, as a safety net, in minutes.</summary>
    public double ResyncMinutes { get; set; } = 10;

    /// <summary>Delivery markers older than this are removed, in days.</summary>
    public double DeliveryMarkerRetentionDays { get; set; } = 7;

    /// <summary>How often old delivery markers are removed, in hours.</summary>
    public double PurgeHours { get; set; } = 6;

    /// <summary>This instance's name in the lease and in logs; a machine name and a random suffix when not set.</summary>
    public string? InstanceId { get; set; }
}
