using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
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
/// How to reach one member privately: their Teams user id, tenant and the 1:1 conversation once it exists. Stored at
/// <c>teams/members/{member key}</c>, where the member key is the core's keyed hash, so erasing a member can find it.
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
/// </summary>
public sealed class ConversationReferences(Documents documents, GroupDirectory directory, NodaTime.IClock clock)
{
    private const int MaxRemembered = 10_000;

    /// <summary>
    /// How long a member reference this instance just stored or read is used for sending without reading it again: long
    /// enough for the private answer to the activity that brought it, short enough that an erasure elsewhere is seen.
    /// </summary>
    public static readonly NodaTime.Duration RecentMemberTtl = NodaTime.Duration.FromSeconds(30);

    private readonly ConcurrentDictionary<string, object> _written = new(StringComparer.Ordinal);
    private readonly ExpiringCache<string, MemberReference> _recent = new(clock, RecentMemberTtl);

    public static string ChannelKey(string channelId) => "teams/channels/" + Hash(channelId);
    public static string TeamKey(string teamId) => "teams/teams/" + Hash(teamId);
    public string MemberKey(string memberId) => "teams/members/" + directory.MemberKey(memberId);

    public Task<ChannelReference?> GetChannelAsync(string channelId, CancellationToken cancellationToken)
        => documents.GetValueAsync<ChannelReference>(ChannelKey(channelId), cancellationToken);

    public Task<TeamReference?> GetTeamAsync(string teamId, CancellationToken cancellationToken)
        => documents.GetValueAsync<TeamReference>(TeamKey(teamId), cancellationToken);

    public async Task<MemberReference?> GetMemberAsync(string memberId, CancellationToken cancellationToken)
    {
        var key = MemberKey(memberId);
        if (_recent.TryGet(key, out var recent)) return recent;
        var member = await documents.GetValueAsync<MemberReference>(key, cancellationToken).ConfigureAwait(false);
        if (member is not null) _recent.Set(key, member);
        return member;
    }

    /// <summary>Records where an authenticated activity came from: its channel or chat, its team and its sender.</summary>
    public async Task RememberAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (activity.ServiceUrl is null || activity.Recipient?.Id is null || activity.Conversation?.Id is null) return;
        var tenantId = activity.ChannelData?.Tenant?.Id ?? activity.Conversation.TenantId;
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
        if (activity.From?.Id is { Length: > 0 } userId && activity.From.Role != "bot")
        {
            var memberId = ActivityMapper.MemberIdOf(userId);
            var key = MemberKey(memberId);
            var personal = place.IsPrivate ? activity.Conversation.Id : null;
            var reference = new MemberReference
            {
                UserId = userId,
                ServiceUrl = activity.ServiceUrl,
                BotId = activity.Recipient.Id,
                TenantId = tenantId,
                AadObjectId = activity.From.AadObjectId,
                PersonalConversationId = personal,
            };
            // Written only when something a proactive message needs changed: service URL, bot id, tenant, AAD id, personal chat.
            if (_written.TryGetValue(key, out var seen) && seen is MemberReference known && reference with { PersonalConversationId = personal ?? known.PersonalConversationId } == known)
            {
                _recent.Set(key, known); // the member just spoke: their reference is as this instance last stored it
                return;
            }
            // Not known here: most likely a member never seen anywhere, whose reference one create stores; otherwise read and compare.
            if (seen is null && await documents.TryCreateAsync(key, reference, cancellationToken).ConfigureAwait(false))
            {
                Remember(key, reference);
                return;
            }
            var stored = await documents.UpdateAsync<MemberReference>(key, current =>
            {
                var next = reference with { PersonalConversationId = personal ?? current?.PersonalConversationId };
                return next == current ? null : next;
            }, cancellationToken).ConfigureAwait(false);
            Remember(key, stored!);
        }
    }

    /// <summary>Erasure: deletes the member reference and forgets it here, so the member's next message stores it afresh.</summary>
    public async Task ForgetMemberAsync(string memberId, CancellationToken cancellationToken)
    {
        var key = MemberKey(memberId);
        await documents.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        _written.TryRemove(key, out _);
        _recent.Remove(key);
    }

    /// <summary>Keeps the id of a 1:1 conversation the bot created, so the next private message reuses it.</summary>
    public async Task SetPersonalConversationAsync(string memberId, string conversationId, CancellationToken cancellationToken)
    {
        var key = MemberKey(memberId);
        var stored = await documents.UpdateAsync<MemberReference>(key, current =>
            current is null || current.PersonalConversationId == conversationId ? null : current with { PersonalConversationId = conversationId }, cancellationToken).ConfigureAwait(false);
        if (stored is not null) Remember(key, stored);
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
        if (value is MemberReference member) _recent.Set(key, member);
    }

    private static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..40];
}
