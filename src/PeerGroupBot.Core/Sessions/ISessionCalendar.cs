using NodaTime;
using PeerGroupBot.Core.Groups;

namespace PeerGroupBot.Core.Sessions;

/// <summary>
/// One meeting of a group. <see cref="Id"/> is the local start "2026-12-03T18:00" in the group's zone, or
/// "next" for the undated next session of a group with no schedule yet.
/// </summary>
public sealed record SessionOccurrence(string Id, Instant? Start, Duration Length, string? Location = null)
{
    public const string UndatedId = "next";
    public static readonly SessionOccurrence Undated = new(UndatedId, null, Duration.FromHours(2));
    public bool IsUndated => Start is null;
}

/// <summary>What other features ask of the sessions feature: when is the next meeting.</summary>
public interface ISessionCalendar
{
    /// <summary>The next occurrence starting after <paramref name="after"/>, or <see cref="SessionOccurrence.Undated"/>.</summary>
    Task<SessionOccurrence> GetNextAsync(GroupDocument group, Instant after, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="count"/> occurrences after <paramref name="after"/> (empty when the group has no schedule).</summary>
    Task<IReadOnlyList<SessionOccurrence>> GetUpcomingAsync(GroupDocument group, Instant after, int count, CancellationToken cancellationToken);
}

/// <summary>Used until a group has a schedule: every session is "the next session", undated.</summary>
public sealed class NoSessionCalendar : ISessionCalendar
{
    public Task<SessionOccurrence> GetNextAsync(GroupDocument group, Instant after, CancellationToken cancellationToken)
        => Task.FromResult(SessionOccurrence.Undated);

    public Task<IReadOnlyList<SessionOccurrence>> GetUpcomingAsync(GroupDocument group, Instant after, int count, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<SessionOccurrence>>([]);
}
