using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Teams.Auth;
using PeerGroupBot.Teams.Inbound;
using PeerGroupBot.Teams.Outbound;
using PeerGroupBot.Teams.Protocol;

namespace PeerGroupBot.Teams.Identity;

/// <summary>
/// Decides whether Teams itself makes a member a facilitator (<c>Actor.IsPlatformFacilitator</c>):
/// <list type="bullet">
/// <item>In a team channel: a team owner. The Bot Connector's roster says only user/guest/anonymous, so owners come
/// from Microsoft Graph (<c>roles</c> of the team's members, readable with the TeamMember.Read.Group resource-specific
/// consent the manifest asks for when the bot is added), and Graph's answer always wins. Only when Graph can't answer
/// (no consent, no secret, an outage) does the member who first added the bot to the team count as its owner; that
/// installer is recorded once and a later install never replaces it, so re-adding the app makes nobody a facilitator.</item>
/// <item>In a group chat: chats have no owners, so any full member (not a guest) may run <c>setup</c> until the chat
/// is linked to a group; after that, the group's listed facilitators decide.</item>
/// <item>In a personal chat: nobody; the core remembers what was true in the group's channel.</item>
/// </list>
/// Answers are cached for <see cref="TeamsOptions.RoleCacheLifetime"/> per team and member.
/// </summary>
public sealed class TeamRoles(
    ConversationReferences references,
    ConnectorClient connector,
    GroupDirectory directory,
    IServiceTokens tokens,
    IHttpClientFactory httpClients,
    IOptions<TeamsOptions> options,
    TimeProvider time,
    NodaTime.IClock clock,
    ILogger<TeamRoles> logger)
{
    private readonly ConcurrentDictionary<string, (bool Value, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    /// <summary>
    /// What the adapter knows of each team (who added the bot, its Entra group), for the owner fallback, kept for
    /// <see cref="TeamsOptions.RoleCacheLifetime"/> so a member new to the team is answered without a storage read. It is
    /// trusted only to say someone is not the installer (see <see cref="IsTeamOwnerAsync"/>).
    /// </summary>
    private readonly PeerGroupBot.Core.State.ExpiringCache<string, TeamReference?> _teams = new(clock, NodaTime.Duration.FromTimeSpan(options.Value.RoleCacheLifetime));

    public async Task<bool> IsPlatformFacilitatorAsync(Activity activity, CancellationToken cancellationToken)
    {
        var from = activity.From;
        if (from?.Id is null || ActivityMapper.IsPersonal(activity)) return false;
        var teamId = activity.ChannelData?.Team?.Id;
        if (!string.IsNullOrEmpty(teamId))
            return await CachedAsync($"owner|{teamId}|{from.Id}", () => IsTeamOwnerAsync(activity, teamId, cancellationToken)).ConfigureAwait(false);
        if (activity.Conversation?.ConversationType == ConversationTypes.GroupChat)
        {
            var place = ActivityMapper.PlaceOf(activity);
            if (await directory.FindChannelAsync(place.Channel, cancellationToken).ConfigureAwait(false) is not null) return false;
            return await CachedAsync($"chat|{place.ChannelId}|{from.Id}", () => IsFullChatMemberAsync(activity, cancellationToken)).ConfigureAwait(false);
        }
        return false;
    }

    /// <summary>Forgets cached answers (e.g. after the bot was added to a team by someone new).</summary>
    public void Forget(string teamId)
    {
        _teams.Remove(teamId);
        foreach (var key in _cache.Keys.Where(k => k.StartsWith($"owner|{teamId}|", StringComparison.Ordinal)))
            _cache.TryRemove(key, out _);
    }

    private async Task<bool> CachedAsync(string key, Func<Task<bool?>> lookup)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(key, out var hit) && hit.Until > now) return hit.Value;
        var answer = await lookup().ConfigureAwait(false);
        // A failed lookup (null) counts as "no" and is asked again sooner.
        var lifetime = answer is null ? TimeSpan.FromMinutes(1) : options.Value.RoleCacheLifetime;
        if (_cache.Count > 20_000) _cache.Clear();
        _cache[key] = (answer ?? false, now + lifetime);
        return answer ?? false;
    }

    /// <summary>
    /// Graph decides whenever it can answer; only when it cannot (no consent, no secret, an outage) does the member
    /// who first added the bot to the team count as its owner.
    /// </summary>
    private async Task<bool?> IsTeamOwnerAsync(Activity activity, string teamId, CancellationToken cancellationToken)
    {
        var aadObjectId = activity.From!.AadObjectId;
        if (string.IsNullOrEmpty(aadObjectId)) return false;
        // The memory copy may only say "not the installer": when it names this member it is read again, so an erased or
        // changed installer record can never make anyone an owner for longer than before.
        if (!_teams.TryGet(teamId, out var team) || string.Equals(team?.InstalledByAadObjectId, aadObjectId, StringComparison.OrdinalIgnoreCase))
        {
            team = await references.GetTeamAsync(teamId, cancellationToken).ConfigureAwait(false);
            _teams.Set(teamId, team);
        }
        var graph = options.Value.UseGraphForOwners ? await AskGraphAsync(activity, teamId, team, aadObjectId, cancellationToken).ConfigureAwait(false) : null;
        if (graph is not null) return graph;
        if (team?.InstalledByAadObjectId is not null && string.Equals(team.InstalledByAadObjectId, aadObjectId, StringComparison.OrdinalIgnoreCase))
            return true;
        return options.Value.UseGraphForOwners ? null : false;
    }

    /// <summary>
    /// How long one role lookup may take, retries included: the answer to the member waits for it, and Teams gives up on
    /// a turn after about 15 seconds. A lookup cut off counts as "Graph cannot answer".
    /// </summary>
    public static readonly TimeSpan LookupTimeLimit = TimeSpan.FromSeconds(5);

    private async Task<bool?> AskGraphAsync(Activity activity, string teamId, TeamReference? team, string aadObjectId, CancellationToken requestAborted)
    {
        var tenantId = activity.ChannelData?.Tenant?.Id ?? activity.Conversation?.TenantId ?? team?.TenantId;
        if (string.IsNullOrEmpty(tenantId)) return null;
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        bounded.CancelAfter(LookupTimeLimit);
        var cancellationToken = bounded.Token;
        try
        {
            var groupId = activity.ChannelData?.Team?.AadGroupId ?? team?.AadGroupId;
            if (string.IsNullOrEmpty(groupId) && activity.ServiceUrl is not null)
            {
                groupId = (await connector.GetTeamAsync(activity.ServiceUrl, teamId, cancellationToken).ConfigureAwait(false))?.AadGroupId;
                if (!string.IsNullOrEmpty(groupId))
                    _teams.Set(teamId, await references.UpdateTeamAsync(teamId, current => (current ?? new TeamReference { TeamId = teamId }) with { AadGroupId = groupId }, cancellationToken).ConfigureAwait(false));
            }
            if (string.IsNullOrEmpty(groupId)) return null;
            var token = await tokens.GetGraphTokenAsync(tenantId, cancellationToken).ConfigureAwait(false);
            if (token is null) return null;
            return await GraphSaysOwnerAsync(groupId, aadObjectId, token, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !requestAborted.IsCancellationRequested)
        {
            logger.LogWarning("Could not look up the owners of a team ({Error}); only listed facilitators and the member who first added the bot count.", ex.GetType().Name);
            return null;
        }
    }

    private async Task<bool?> GraphSaysOwnerAsync(string groupId, string aadObjectId, string token, CancellationToken cancellationToken)
    {
        var filter = Uri.EscapeDataString($"(microsoft.graph.aadUserConversationMember/userId eq '{aadObjectId.Replace("'", "''", StringComparison.Ordinal)}')");
        var url = $"{options.Value.GraphBaseUrl.TrimEnd('/')}/v1.0/teams/{Uri.EscapeDataString(groupId)}/members?$filter={filter}";
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await httpClients.CreateClient(TeamsHttpClients.Graph).SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            logger.LogWarning("Microsoft Graph answered {Status} when asked for a team's owners; check the app's TeamMember.Read.Group consent.", (int)response.StatusCode);
            return null;
        }
        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!json.RootElement.TryGetProperty("value", out var members) || members.ValueKind != JsonValueKind.Array) return null;
        foreach (var member in members.EnumerateArray())
        {
            var userId = member.TryGetProperty("userId", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
            if (!string.Equals(userId, aadObjectId, StringComparison.OrdinalIgnoreCase)) continue;
            if (member.TryGetProperty("roles", out var roles) && roles.ValueKind == JsonValueKind.Array
                && roles.EnumerateArray().Any(r => r.ValueKind == JsonValueKind.String && string.Equals(r.GetString(), "owner", StringComparison.OrdinalIgnoreCase)))
                return true;
        }
        return false;
    }

    private async Task<bool?> IsFullChatMemberAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (activity.ServiceUrl is null || activity.Conversation?.Id is null) return null;
        try
        {
            var member = await connector.GetMemberAsync(activity.ServiceUrl, activity.Conversation.Id, activity.From!.Id!, cancellationToken).ConfigureAwait(false);
            return member is not null && string.Equals(member.UserRole ?? "user", "user", StringComparison.OrdinalIgnoreCase);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("Could not look up a group chat member's role ({Error}).", ex.GetType().Name);
            return null;
        }
    }
}
