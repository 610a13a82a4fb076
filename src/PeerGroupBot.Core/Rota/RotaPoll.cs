using NodaTime;
using PeerGroupBot.Core.Outbound;

namespace PeerGroupBot.Core.Rota;

public enum RotaPollStatus { Open, Closed }

/// <summary>One member's answers: for each session id, the roles they could take (empty or absent: not that session).</summary>
public sealed record PollAnswer(string DisplayName, Dictionary<string, List<string>> Roles);

/// <summary>
/// The group's rota poll: which sessions and roles it asks about, who said they could take what, where it was posted.
/// One per group at a time, stored at <c>groups/{groupId}/rota/poll</c>; the next poll replaces a closed one.
/// </summary>
public sealed record RotaPoll
{
    public const int MaxSessions = 12;

    public required string Id { get; init; }
    public RotaPollStatus Status { get; init; } = RotaPollStatus.Open;
    public List<RotaSession> Sessions { get; init; } = [];
    public List<string> Roles { get; init; } = [];
    public Instant OpenedAt { get; init; }
    public Instant Deadline { get; init; }
    public PostedMessage Posted { get; init; } = PostedMessage.None;

    /// <summary>Answers by member id.</summary>
    public Dictionary<string, PollAnswer> Answers { get; init; } = [];

    public bool IsOpen => Status == RotaPollStatus.Open;

    public int AvailableCount(string sessionId) => Answers.Values.Count(a => a.Roles.GetValueOrDefault(sessionId)?.Count > 0);

    public IReadOnlyList<string> RolesOf(string memberId, string sessionId)
        => Answers.GetValueOrDefault(memberId)?.Roles.GetValueOrDefault(sessionId) ?? [];

    public static string KeyFor(string groupId) => $"groups/{groupId}/rota/poll";
}
