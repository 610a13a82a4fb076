using NodaTime;
using PeerGroupBot.Core.Outbound;

namespace PeerGroupBot.Core.Sessions;

/// <summary>How a recurring schedule repeats.</summary>
public enum SessionRepeat
{
    Weekly,
    Fortnightly,
    /// <summary>Once a month on the n-th weekday (<see cref="SessionRule.Week"/>): "first tuesday", "last friday".</summary>
    Monthly,
}

/// <summary>
/// When a group meets, in the group's own wall-clock time: the rule is kept in local terms ("Tuesdays at 18:30")
/// and turned into instants only when needed, so daylight saving never shifts a session.
/// </summary>
public sealed record SessionRule
{
    public SessionRepeat Repeat { get; init; }
    public IsoDayOfWeek Day { get; init; }

    /// <summary>For <see cref="SessionRepeat.Monthly"/>: 1 to 4 for the first to fourth such weekday, -1 for the last.</summary>
    public int Week { get; init; }

    public LocalTime Time { get; init; }
    public int LengthMinutes { get; init; } = SessionSchedule.DefaultLengthMinutes;

    /// <summary>A room, an address or a meeting link, as the facilitator wrote it.</summary>
    public string? Place { get; init; }

    /// <summary>No session before this date; a fortnightly rule meets on this date's week and every other week after it.</summary>
    public LocalDate From { get; init; }
}

/// <summary>A single extra session (<c>session add</c>).</summary>
public sealed record OneOffSession(LocalDateTime Start, int LengthMinutes, string? Place);

/// <summary>
/// A group's sessions: the recurring rule, one-off sessions, skipped occurrences and reminder offsets.
/// Stored at <c>groups/{groupId}/sessions/schedule</c>; everything else (occurrences, reminder times) is derived from it.
/// </summary>
public sealed record SessionSchedule
{
    public const int DefaultLengthMinutes = 120;
    public static readonly IReadOnlyList<int> DefaultReminderMinutes = [24 * 60, 60];

    public SessionRule? Rule { get; init; }
    public List<OneOffSession> OneOffs { get; init; } = [];

    /// <summary>Occurrence ids ("2026-12-03T18:00") that will not take place, with the reason given, if any.</summary>
    public Dictionary<string, string> Cancelled { get; init; } = [];

    /// <summary>How long before each session a reminder is posted, in minutes, largest first.</summary>
    public List<int> ReminderMinutes { get; init; } = [.. DefaultReminderMinutes];

    public bool IsEmpty => Rule is null && OneOffs.Count == 0;

    public static string KeyFor(string groupId) => $"groups/{groupId}/sessions/schedule";
}

public enum RsvpChoice { Going, Maybe, NotGoing }

/// <summary>A reminder card posted for an occurrence, kept so RSVP clicks can refresh every copy of it.</summary>
public sealed record ReminderCard(int OffsetMinutes, string Title, string Body, PostedMessage Posted);

/// <summary>
/// What belongs to one meeting: RSVPs (by member key, a keyed hash, never a platform id) and the reminder cards
/// posted for it. Stored at <c>groups/{groupId}/sessions/occurrences/{occurrence key}</c>.
/// </summary>
public sealed record SessionOccurrenceDocument
{
    public required string OccurrenceId { get; init; }
    public Dictionary<string, RsvpChoice> Rsvps { get; init; } = [];
    public List<ReminderCard> Cards { get; init; } = [];

    /// <summary>How many marked the session's Discord event "Interested", as last read from Discord (null: no event there).</summary>
    public int? Interested { get; init; }

    public int Count(RsvpChoice choice) => Rsvps.Values.Count(c => c == choice);

    public static string Prefix(string groupId) => $"groups/{groupId}/sessions/occurrences/";
    public static string KeyFor(string groupId, string occurrenceId) => Prefix(groupId) + OccurrenceIds.ToKey(occurrenceId);
}
