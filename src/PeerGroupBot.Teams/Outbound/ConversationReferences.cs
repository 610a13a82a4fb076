using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Members;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.State;
using PeerGroupBot.Teams.Inbound;
using PeerGroupBot.Teams.Protocol;

namespace PeerGroupBot.Teams.Outbound;

/// <summary>How to reach a team channel or a group chat proactively. Stored at <c>teams/channels/{hash of channel id}</c>.</summary>
public sealed record ChannelReference
{
    public required string ChannelId { get; init; }
    public required string ServiceUrl { get; init; }
    public required string BotId { get; init; }
    public string? TenantId { get; init; }
    public string? TeamId { get; init; }
    public required string ConversationType { get; init; }
}

/// <summary>What the adapter knows of a team: its Entra group (for Graph) and who added the bot. Stored at <c>teams/teams/{hash of team id}</c>.</summary>
public sealed record TeamReference
{
    public required string TeamId { get; init; }
    public string? AadGroupId { get; init; }
    public string? TenantId { get; init; }
    /// <summary>The Entra object id of the member who added the bot: a team owner in most tenants.</summary>
    public string? InstalledByAadObjectId { get; init; }
}

/// <summary>
/// How to reach one member privately: their Teams user id, tenant and the 1:1 conversation once it exists. Kept as the
/// member's Teams contact in the core's group index (<c>members/{member key}</c>, <see cref="MemberContacts"/>), where
/// the member key is the core's keyed hash, so erasing a member erases it. Before it moved there it was stored at
/// <c>teams/members/{member key}</c>; such a document is still read when the index holds no Teams contact.
/// </summary>
public sealed record MemberReference
{
    public required string UserId { get; init; }
    public required string ServiceUrl { get; init; }
    public required string BotId { get; init; }
    public string? TenantId { get; init; }
    public string? AadObjectId { get; init; }
    public string? PersonalConversationId { get; init; }
}

/// <summary>
/// Conversation references, kept in the state store as activities arrive so reminders, poll results and concern
/// replies can be sent proactively after a restart and from any instance. Writes happen only when something changed.
/// A member's reference goes to the core with the input it came with (<see cref="BotInput.Contact"/>), which stores it
/// with the member's first input in a group at no extra cost; an activity the core never sees stores it here.
/// </summary>
public sealed class ConversationReferences(Documents documents, GroupDirectory directory, MemberContacts contacts)
{
    private const int MaxRemembered = 10_000;

    private readonly ConcurrentDictionary<string, object> _written = new(StringComparer.Ordinal);

    public static string ChannelKey(string channelId) => "teams/channels/" + Hash(channelId);
    public static string TeamKey(string teamId) => "teams/teams/" + Hash(teamId);
    /// <summary>Where a member's reference was stored before it moved into the core's group index.</summary>
    public string LegacyMemberKey(string memberId) => "teams/members/" + directory.MemberKey(memberId);

    public Task<ChannelReference?> GetChannelAsync(string channelId, CancellationToken cancellationToken)
        => documents.GetValueAsync<ChannelReference>(ChannelKey(channelId), cancellationToken);

    public Task<TeamReference?> GetTeamAsync(string teamId, CancellationToken cancellationToken)
        => documents.GetValueAsync<TeamReference>(TeamKey(teamId), cancellationToken);

    /// <summary>How to reach the member privately: their Teams contact in the group index, else a reference stored the old way.</summary>
    public async Task<MemberReference?> GetMemberAsync(string memberId, CancellationToken cancellationToken)
    {
        if (await contacts.GetAsync(memberId, cancellationToken).ConfigureAwait(false) is { } contact) return ReferenceOf(contact);
        return await documents.GetValueAsync<MemberReference>(LegacyMemberKey(memberId), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The sender's reference as this activity tells it, for the core to store with the input; null for the bot itself.
    /// A channel activity does not know the personal chat, so it leaves that out and the stored one is kept.
    /// </summary>
    public static JsonElement? ContactOf(Activity activity)
    {
        if (activity.From?.Id is not { Length: > 0 } userId || activity.From.Role == "bot" || activity.ServiceUrl is null || activity.Recipient?.Id is null) return null;
        return JsonSerializer.SerializeToElement(new MemberReference
        {
            UserId = userId,
            ServiceUrl = activity.ServiceUrl,
            BotId = activity.Recipient.Id,
            TenantId = TenantOf(activity),
            AadObjectId = activity.From.AadObjectId,
            PersonalConversationId = ActivityMapper.IsPersonal(activity) ? activity.Conversation?.Id : null,
        }, Documents.JsonOptions);
    }

    /// <summary>Stores the sender's reference of an activity the core does not see (installs, conversation updates, file consent), when it changed.</summary>
    public async Task RememberMemberAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (ContactOf(activity) is { } contact)
            await contacts.RememberAsync(ActivityMapper.MemberIdOf(activity.From!.Id!), contact, indexExists: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records where an authenticated activity came from: its channel or chat and its team. Its sender's reference goes
    /// with the input to the core, or through <see cref="RememberMemberAsync"/>.
    /// </summary>
    public async Task RememberAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (activity.ServiceUrl is null || activity.Recipient?.Id is null || activity.Conversation?.Id is null) return;
        var tenantId = TenantOf(activity);
        var place = ActivityMapper.PlaceOf(activity);
        if (!place.IsPrivate)
        {
            await WriteAsync(ChannelKey(place.ChannelId), new ChannelReference
            {
                ChannelId = place.ChannelId,
                ServiceUrl = activity.ServiceUrl,
                BotId = activity.Recipient.Id,
                TenantId = tenantId,
                TeamId = activity.ChannelData?.Team?.Id,
                ConversationType = activity.Conversation.ConversationType ?? ConversationTypes.Channel,
            }, cancellationToken).ConfigureAwait(false);
        }
        if (activity.ChannelData?.Team is { Id: { Length: > 0 } teamId } team)
        {
            var known = _written.GetValueOrDefault(TeamKey(teamId)) as TeamReference;
            if (known is null || known.TenantId != tenantId || (team.AadGroupId is not null && known.AadGroupId != team.AadGroupId))
            {
                await UpdateTeamAsync(teamId, current =>
                    current is not null && current.TenantId == tenantId && (team.AadGroupId is null || current.AadGroupId == team.AadGroupId)
                        ? null
                        : (current ?? new TeamReference { TeamId = teamId }) with { AadGroupId = team.AadGroupId ?? current?.AadGroupId, TenantId = tenantId },
                    cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Erasure: deletes the member's reference, from the group index and from where it was stored before, and forgets
    /// it here, so the member's next message stores it afresh.
    /// </summary>
    public async Task ForgetMemberAsync(string memberId, CancellationToken cancellationToken)
    {
        await contacts.ForgetAsync(memberId, cancellationToken).ConfigureAwait(false);
        await documents.DeleteAsync(LegacyMemberKey(memberId), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Keeps the id of a 1:1 conversation the bot created, so the next private message reuses it.</summary>
    public async Task SetPersonalConversationAsync(string memberId, string conversationId, CancellationToken cancellationToken)
    {
        var stored = await contacts.UpdateAsync(memberId, current => current is { } contact && ReferenceOf(contact) is { } reference && reference.PersonalConversationId != conversationId
            ? JsonSerializer.SerializeToElement(reference with { PersonalConversationId = conversationId }, Documents.JsonOptions)
            : null, cancellationToken).ConfigureAwait(false);
        if (stored is not null) return;
        // A member known only from a reference stored the old way: it is kept there.
        await documents.UpdateAsync<MemberReference>(LegacyMemberKey(memberId), current =>
            current is null || current.PersonalConversationId == conversationId ? null : current with { PersonalConversationId = conversationId }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<TeamReference?> UpdateTeamAsync(string teamId, Func<TeamReference?, TeamReference?> mutate, CancellationToken cancellationToken)
    {
        var key = TeamKey(teamId);
        var stored = await documents.UpdateAsync(key, mutate, cancellationToken).ConfigureAwait(false);
        if (stored is not null) Remember(key, stored);
        return stored;
    }

    private async Task WriteAsync<T>(string key, T value, CancellationToken cancellationToken) where T : class
    {
        if (_written.TryGetValue(key, out var seen) && Equals(seen, value)) return;
        await documents.UpdateAsync<T>(key, current => Equals(current, value) ? null : value, cancellationToken).ConfigureAwait(false);
        Remember(key, value);
    }

    private void Remember(string key, object value)
    {
        if (_written.Count >= MaxRemembered) _written.Clear();
        _written[key] = value;
    }

    private static string? TenantOf(Activity activity) => activity.ChannelData?.Tenant?.Id ?? activity.Conversation?.TenantId;

    /// <summary>A stored Teams contact as a reference; null when it is not one (nothing to send to).</summary>
    private static MemberReference? ReferenceOf(JsonElement contact)
    {
        try
        {
            var reference = contact.Deserialize<MemberReference>(Documents.JsonOptions);
            return reference is { UserId.Length: > 0, ServiceUrl.Length: > 0, BotId.Length: > 0 } ? reference : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..40];
}
