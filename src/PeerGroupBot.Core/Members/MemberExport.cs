using NodaTime;
using PeerGroupBot.Core.Sessions;

namespace PeerGroupBot.Core.Members;

/// <summary>A vote in a named poll that is still open.</summary>
public sealed record ExportedVote(string PollId, string Question, List<string> Choices);

/// <summary>An agenda item the member added under their name.</summary>
public sealed record ExportedAgendaItem(string Text, int? Minutes, bool Done);

/// <summary>A rota slot the member holds or held.</summary>
public sealed record ExportedTurn(string Session, string Role, string Reason);

/// <summary>Roles the member said they could take in one session.</summary>
public sealed record ExportedAvailability(string Session, List<string> Roles);

/// <summary>An answer to a session reminder.</summary>
public sealed record ExportedRsvp(string Session, RsvpChoice Choice);

/// <summary>Everything held about the member in one group.</summary>
public sealed record ExportedGroup
{
    public required string GroupId { get; init; }
    public required string GroupName { get; init; }
    /// <summary>The group's time zone (IANA id): session times below are its clock.</summary>
    public string? TimeZone { get; init; }
    public string? DisplayName { get; init; }
    public bool ListedFacilitator { get; init; }
    /// <summary>Listed as a safeguarding lead (alerted privately about urgent concerns).</summary>
    public bool SafeguardingLead { get; init; }
    /// <summary>Private messages waiting for the member's quiet hours to end (or to be deliverable), sealed.</summary>
    public int HeldMessages { get; init; }
    public Instant? FirstSeen { get; init; }
    public Instant? LastSeen { get; init; }
    public List<ExportedVote> OpenPollVotes { get; init; } = [];
    public List<ExportedAgendaItem> AgendaItems { get; init; } = [];
    public List<ExportedTurn> RotaTurns { get; init; } = [];
    public List<ExportedAvailability> RotaAvailability { get; init; } = [];
    public bool RotaSteppedBack { get; init; }
    public List<ExportedRsvp> Rsvps { get; init; } = [];
    public int RecordedRotaTurns { get; init; }

    /// <summary>Sessions whose check-out, still open, the member answered: only that they did, since the answers were never linked to them.</summary>
    public List<string> CheckoutsAnswered { get; init; } = [];
}

/// <summary>
/// <c>me export</c>: what the bot holds that is linked to one member, gathered from every feature's documents. It is
/// sent only to that member, privately, as text and as a JSON file.
/// </summary>
public sealed record MemberExport
{
    public required string MemberId { get; init; }
    public required Instant ExportedAt { get; init; }
    /// <summary>When the member linked two accounts (<c>me link</c>): the platforms of both. Everything below is held for both.</summary>
    public List<string> LinkedAccounts { get; init; } = [];
    public MemberPreferences Preferences { get; init; } = new();
    public List<ExportedGroup> Groups { get; init; } = [];

    /// <summary>What the platform adapters keep to reach the member (contact details, team records), one line each.</summary>
    public List<string> PlatformRecords { get; init; } = [];

    /// <summary>Concerns counted for the daily limit today (under a key that is deleted at midnight), or null.</summary>
    public int? ConcernsCountedToday { get; init; }

    /// <summary>Sealed ways back to the member for replies to concerns they raised: how many, never which concerns.</summary>
    public int ConcernReplyRoutes { get; init; }

    /// <summary>Said in every export: anonymous things cannot be found, by design.</summary>
    public string Concerns { get; init; } = MemberData.ConcernsNote;
}
