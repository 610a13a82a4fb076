using PeerGroupBot.Core.Members;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Teams.Outbound;

/// <summary>
/// <see cref="IMemberRecords"/> for Teams: the member reference (<c>teams/members/{member key}</c>: Teams user id,
/// tenant, Entra object id, personal chat) and the team records that name the member as the one who added the bot
/// (<c>teams/teams/{hash}</c>, <see cref="TeamReference.InstalledByAadObjectId"/>). Export names them; erasure
/// clears the installer mark in every team and deletes the member reference.
/// </summary>
public sealed class TeamsMemberRecords(Documents documents, ConversationReferences references) : IMemberRecords
{
    private const string TeamsPrefix = "teams/teams/";

    public async Task<IReadOnlyList<string>> DescribeAsync(IReadOnlyList<string> memberIds, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        var objectIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var memberId in memberIds)
        {
            var reference = await references.GetMemberAsync(memberId, cancellationToken).ConfigureAwait(false);
            if (reference is null) continue;
            lines.Add("Teams: how to reach you privately (your Teams user id, organisation"
                + (reference.AadObjectId is null ? "" : ", Microsoft Entra object id")
                + (reference.PersonalConversationId is null ? "" : " and your personal chat with the bot") + ")");
            if (reference.AadObjectId is { Length: > 0 } objectId) objectIds.Add(objectId);
        }
        var teams = (await InstalledByAsync(objectIds, cancellationToken).ConfigureAwait(false)).Count;
        if (teams > 0) lines.Add($"Teams: you are recorded as the member who added the bot to {teams} team{(teams == 1 ? "" : "s")}");
        return lines;
    }

    public async Task EraseAsync(IReadOnlyList<string> memberIds, CancellationToken cancellationToken)
    {
        var objectIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var memberId in memberIds)
            if ((await references.GetMemberAsync(memberId, cancellationToken).ConfigureAwait(false))?.AadObjectId is { Length: > 0 } objectId)
                objectIds.Add(objectId);
        foreach (var key in await InstalledByAsync(objectIds, cancellationToken).ConfigureAwait(false))
        {
            await documents.UpdateAsync<TeamReference>(key, team => team?.InstalledByAadObjectId is { } by && objectIds.Contains(by)
                ? team with { InstalledByAadObjectId = null } : null, cancellationToken).ConfigureAwait(false);
        }
        foreach (var memberId in memberIds) await references.ForgetMemberAsync(memberId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The keys of the team records whose installer is one of <paramref name="objectIds"/>.</summary>
    private async Task<List<string>> InstalledByAsync(HashSet<string> objectIds, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        if (objectIds.Count == 0) return keys;
        var all = new List<string>();
        await foreach (var key in documents.Store.ListKeysAsync(TeamsPrefix, cancellationToken).ConfigureAwait(false)) all.Add(key);
        foreach (var key in all)
            if ((await documents.GetValueAsync<TeamReference>(key, cancellationToken).ConfigureAwait(false))?.InstalledByAadObjectId is { } by && objectIds.Contains(by))
                keys.Add(key);
        return keys;
    }
}
