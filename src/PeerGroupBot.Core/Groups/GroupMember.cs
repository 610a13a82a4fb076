using NodaTime;

namespace PeerGroupBot.Core.Groups;

/// <summary>
/// A member seen in a group's channel: needed to name rota holders and to know a member's groups in private chat.
/// Stored at <c>groups/{groupId}/members/{memberKey}</c> where memberKey is a keyed hash, never the raw id.
/// </summary>
public sealed record GroupMember
{
    public required string MemberId { get; init; }
    public required string DisplayName { get; init; }
    public bool PlatformFacilitator { get; init; }
    /// <summary>The day (UTC midnight) the member was first seen; never a time of day.</summary>
    public Instant FirstSeen { get; init; }
    /// <summary>The day (UTC midnight) the member was last seen; never a time of day.</summary>
    public Instant LastSeen { get; init; }
}

/// <summary>
/// The groups one account belongs to, for commands given in private chat, and how to reach the account privately on
/// its platform (<see cref="Contacts"/>). Stored at <c>members/{memberKey}</c>.
/// </summary>
public sealed record MemberGroups
{
    public List<string> GroupIds { get; init; } = [];

    /// <summary>
    /// How to reach the account privately, by platform: contact data only its adapter reads (a Teams user id, service
    /// URL, tenant, personal chat). Kept and erased with the index (<see cref="Members.MemberContacts"/>).
    /// </summary>
    public Dictionary<string, System.Text.Json.JsonElement>? Contacts { get; init; }

    /// <summary>A contacts map holding one platform's contact, or null for none.</summary>
    public static Dictionary<string, System.Text.Json.JsonElement>? ContactsOf(string platform, System.Text.Json.JsonElement? contact)
        => contact is { } value ? new(StringComparer.Ordinal) { [platform] = value } : null;

    /// <summary>
    /// The account is linked to a person (<c>me link</c>): its link must be looked up. Every linked account's document
    /// says so, so an account whose document did not exist is known to be unlinked without a lookup.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool Linked { get; init; }
}
