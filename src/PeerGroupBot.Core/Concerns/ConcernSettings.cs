using PeerGroupBot.Core.Groups;

namespace PeerGroupBot.Core.Concerns;

/// <summary>
/// A group's concern settings and its concern number counter, stored at <c>groups/{groupId}/concerns/settings</c>.
/// Safeguarding leads are named facilitators, not reporters, so their ids are kept here to alert them.
/// </summary>
public sealed record ConcernSettings
{
    /// <summary>The number given to the group's latest concern (#1, #2, ...).</summary>
    public int LastNumber { get; init; }

    /// <summary>When facilitators read concerns; null means no promise is made (no out-of-hours notice).</summary>
    public ReadingHours? Hours { get; init; }

    /// <summary>Members alerted privately about urgent concerns.</summary>
    public List<Facilitator> SafeguardingLeads { get; init; } = [];

    /// <summary>The group's own crisis signposting; null uses <see cref="ConcernsOptions.Signposting"/>.</summary>
    public string? Signposting { get; init; }

    public bool IsLead(string memberId) => SafeguardingLeads.Any(l => l.MemberId == memberId);

    public static string KeyFor(string groupId) => $"groups/{groupId}/concerns/settings";
}
