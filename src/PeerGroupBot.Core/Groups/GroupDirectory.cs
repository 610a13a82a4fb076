using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Security;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Core.Groups;

/// <summary>Which group a channel belongs to. Stored at <c>channels/{platform}/{hash of channel id}</c>.</summary>
public sealed record ChannelIndex(string GroupId, ChannelPurpose Purpose);

/// <summary>
/// Finds groups by channel and members by group, and keeps the member roster current. Reads are cached briefly
/// in memory so a vote costs no extra storage round trip for the directory.
/// </summary>
public sealed class GroupDirectory(Documents documents, KeyRing keys, IClock clock)
{
    /// <summary>How long another instance may answer with a channel's old group link (this instance forgets it when it writes).</summary>
    public static readonly Duration ChannelCacheTtl = Duration.FromSeconds(30);

    /// <summary>
    /// How long a group document is trusted from memory for an input (<see cref="GetGroupForInputAsync"/>); this
    /// instance's own writes replace it at once. Never used to let someone act as a listed facilitator: see there.
    /// </summary>
    public static readonly Duration GroupCacheTtl = Duration.FromSeconds(30);
    private static readonly Duration MemberRefresh = Duration.FromHours(12);
    private readonly ExpiringCache<string, ChannelIndex?> _channelCache = new(clock, ChannelCacheTtl);
    private readonly ExpiringCache<string, GroupDocument?> _groupCache = new(clock, GroupCacheTtl);
    private readonly ExpiringCache<string, (string Name, bool Facilitator)> _seen = new(clock, MemberRefresh);
    private readonly ConcurrentDictionary<string, Task> _entering = new(StringComparer.Ordinal);

    /// <summary>
    /// Members' group indexes (<c>members/{key}</c>) as this instance last created or wrote them, so the write that
    /// follows a first input (Teams: the member's personal chat, once it is opened) needs no read. See <see cref="DocumentCopies{T}"/>.
    /// </summary>
    public DocumentCopies<MemberGroups> Indexes { get; } = new(documents, clock, Duration.FromSeconds(30));

    public static string ChannelKey(ChannelRef channel)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(channel.ChannelId));
        return $"channels/{Sanitize(channel.Platform)}/{Convert.ToHexStringLower(hash)[..40]}";
    }

    /// <summary>The member's opaque key for document names: a keyed hash, so names in storage do not reveal ids.</summary>
    public string MemberKey(string memberId) => keys.Hash("member-key", memberId);

    public async Task<ChannelIndex?> FindChannelAsync(ChannelRef channel, CancellationToken cancellationToken)
    {
        var key = ChannelKey(channel);
        if (_channelCache.TryGet(key, out var cached)) return cached;
        var index = await documents.GetValueAsync<ChannelIndex>(key, cancellationToken).ConfigureAwait(false);
        _channelCache.Set(key, index);
        return index;
    }

    /// <summary>The group as stored now (scheduled work, concern routing, setup: everything that must not act on an old copy).</summary>
    public async Task<GroupDocument?> GetGroupAsync(string groupId, CancellationToken cancellationToken)
    {
        var group = await documents.GetValueAsync<GroupDocument>(GroupDocument.KeyFor(groupId), cancellationToken).ConfigureAwait(false);
        _groupCache.Set(groupId, group);
        return group;
    }

    /// <summary>
    /// The group an input belongs to, from memory for up to <see cref="GroupCacheTtl"/>. When the memory copy lists the
    /// member as a facilitator it is read again from storage, so a facilitator removed on another instance can never act
    /// on an old copy (they are checked exactly as fresh as before any caching); a member newly listed elsewhere may
    /// wait up to the TTL for the rights, which is the safe direction.
    /// </summary>
    public async Task<GroupDocument?> GetGroupForInputAsync(string groupId, string memberId, CancellationToken cancellationToken)
    {
        if (_groupCache.TryGet(groupId, out var cached) && (cached is null || !cached.IsListedFacilitator(memberId))) return cached;
        return await GetGroupAsync(groupId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The group from memory for up to <see cref="GroupCacheTtl"/>, for what grants nobody anything (is it bridged, where to post).</summary>
    public async Task<GroupDocument?> GetGroupCachedAsync(string groupId, CancellationToken cancellationToken)
        => _groupCache.TryGet(groupId, out var cached) ? cached : await GetGroupAsync(groupId, cancellationToken).ConfigureAwait(false);

    public async Task<GroupDocument?> UpdateGroupAsync(string groupId, Func<GroupDocument?, GroupDocument?> mutate, CancellationToken cancellationToken)
    {
        try
        {
            var group = await documents.UpdateAsync(GroupDocument.KeyFor(groupId), mutate, cancellationToken).ConfigureAwait(false);
            _groupCache.Set(groupId, group);
            return group;
        }
        catch
        {
            _groupCache.Remove(groupId);
            throw;
        }
    }

    /// <summary>Points a channel at a group. Fails (returns false) when the channel already belongs to another group.</summary>
    public async Task<bool> LinkChannelAsync(ChannelRef channel, string groupId, ChannelPurpose purpose, CancellationToken cancellationToken)
    {
        var key = ChannelKey(channel);
        var conflict = false;
        await documents.UpdateAsync<ChannelIndex>(key, current =>
        {
            conflict = current is not null && current.GroupId != groupId;
            if (conflict || current == new ChannelIndex(groupId, purpose)) return null;
            return new ChannelIndex(groupId, purpose);
        }, cancellationToken).ConfigureAwait(false);
        _channelCache.Remove(key);
        if (conflict) return false;
        await UpdateGroupAsync(groupId, group => group is null || group.Channels.Contains(new ChannelLink(channel, purpose)) ? null : group with
        {
            Channels = [.. group.Channels.Where(c => c.Channel != channel), new ChannelLink(channel, purpose)],
        }, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task UnlinkChannelAsync(ChannelRef channel, string groupId, CancellationToken cancellationToken)
    {
        var key = ChannelKey(channel);
        var index = await documents.GetValueAsync<ChannelIndex>(key, cancellationToken).ConfigureAwait(false);
        if (index?.GroupId == groupId) await documents.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        _channelCache.Remove(key);
        await UpdateGroupAsync(groupId, group => group is null ? null : group with
        {
            Channels = [.. group.Channels.Where(c => c.Channel != channel)],
        }, cancellationToken).ConfigureAwait(false);
    }

    public static string MemberDocKey(string groupId, string memberKey) => $"groups/{groupId}/members/{memberKey}";

    /// <summary>
    /// Records that a member was seen in a group's channel, by the day only (UTC midnight), so a roster write can't be
    /// matched to the second of anything else the member did. Written at most once a day per member (and instance);
    /// the router does not call it for private chats or concerns.
    /// </summary>
    public async Task RecordMemberAsync(string groupId, Actor actor, CancellationToken cancellationToken)
    {
        var now = Today();
        var cacheKey = $"{groupId}|{actor.MemberId}";
        if (_seen.TryGet(cacheKey, out var seen) && seen.Name == actor.DisplayName && seen.Facilitator == actor.IsPlatformFacilitator)
            return;

        var memberKey = MemberKey(actor.MemberId);
        var created = false;
        await documents.UpdateAsync<GroupMember>(MemberDocKey(groupId, memberKey), current =>
        {
            created = current is null;
            if (current is not null && current.DisplayName == actor.DisplayName
                && current.PlatformFacilitator == actor.IsPlatformFacilitator && current.LastSeen >= now)
                return null;
            return new GroupMember
            {
                MemberId = actor.MemberId,
                DisplayName = actor.DisplayName,
                PlatformFacilitator = actor.IsPlatformFacilitator,
                FirstSeen = current is null ? now : current.FirstSeen.InUtc().Date.AtMidnight().InUtc().ToInstant(),
                LastSeen = now,
            };
        }, cancellationToken).ConfigureAwait(false);
        if (created)
        {
            await documents.UpdateAsync<MemberGroups>(MemberIndexKey(memberKey), current =>
                current?.GroupIds.Contains(groupId) == true ? null
                    : (current ?? new MemberGroups()) with { GroupIds = [.. current?.GroupIds ?? [], groupId] }, cancellationToken).ConfigureAwait(false);
        }
        _seen.Set(cacheKey, (actor.DisplayName, actor.IsPlatformFacilitator));
    }

    /// <summary>
    /// A member's first input in a group channel when this account has never been recorded in a group: creates the
    /// account's group index (If-None-Match: *), holding the account's <paramref name="contact"/> when the input
    /// carried one (<see cref="MemberGroups.Contacts"/>), and, when that succeeds, starts creating its roster entry the
    /// same way; two calls, no reads. When an index exists it is read once: one that holds only contacts (the account
    /// spoke to the bot privately first) gets the group and the contact in one conditional write, then the roster entry
    /// is started; otherwise nothing is written and the caller records the member the usual way. Only a caller that
    /// knows linked accounts always have an index document saying so (<see cref="MemberGroups.Linked"/>) may take a
    /// recorded newcomer to mean the account is unlinked (as when its index was deleted by a link being made, that
    /// window is the one between moving an account's data and marking it linked).
    /// </summary>
    /// <remarks>
    /// The roster entry is written while the input is handled, not before: the index already lists the group, so
    /// erasure finds the entry whatever happens to either write, and the member's first click waits for two round
    /// trips rather than three. The caller awaits <c>Entry</c> before it answers. Until it is done, this instance's
    /// roster reads of the group (<see cref="ListMembersAsync"/>, <see cref="GetMemberAsync"/>) wait for it, so a flow
    /// never sees the roster without the member whose input it is handling.
    /// </remarks>
    /// <returns>Whether the member was recorded here, the index as stored or read (null when not looked at), and the roster entry's write when one was started.</returns>
    public async Task<(bool Recorded, MemberGroups? Index, Task? Entry)> TryRecordNewcomerAsync(string groupId, Actor actor, System.Text.Json.JsonElement? contact, CancellationToken cancellationToken)
    {
        var cacheKey = $"{groupId}|{actor.MemberId}";
        if (_seen.TryGet(cacheKey, out _)) return (false, null, null);
        var memberKey = MemberKey(actor.MemberId);
        var indexKey = MemberIndexKey(memberKey);
        var index = new MemberGroups { GroupIds = [groupId], Contacts = MemberGroups.ContactsOf(actor.Platform, contact) };
        if (await TryCreateIndexAsync(indexKey, index, cancellationToken).ConfigureAwait(false) is { } created)
            Indexes.Keep(indexKey, new(index, created));
        else
        {
            var existing = await documents.GetAsync<MemberGroups>(indexKey, cancellationToken).ConfigureAwait(false);
            if (existing is null || existing.Value.GroupIds.Count > 0 || existing.Value.Linked) return (false, existing?.Value, null);
            var contacts = new Dictionary<string, System.Text.Json.JsonElement>(existing.Value.Contacts ?? [], StringComparer.Ordinal);
            if (contact is { } given)
                contacts[actor.Platform] = Members.MemberContacts.Merge(contacts.TryGetValue(actor.Platform, out var stored) ? stored : null, given);
            index = existing.Value with { GroupIds = [groupId], Contacts = contacts.Count == 0 ? null : contacts };
            try
            {
                Indexes.Keep(indexKey, new(index, await documents.Store.ReplaceAsync(indexKey, Documents.Serialize(index), existing.ETag, cancellationToken).ConfigureAwait(false)));
            }
            catch (StateConflictException)
            {
                return (false, null, null); // changed meanwhile: recorded the usual way, from a fresh read
            }
        }
        return (true, index, StartEntry(groupId, memberKey, actor, cancellationToken));
    }

    /// <summary>Starts creating a newcomer's roster entry, tracked until done so that this instance's roster reads of the group wait for it.</summary>
    private Task StartEntry(string groupId, string memberKey, Actor actor, CancellationToken cancellationToken)
    {
        var today = Today();
        var entry = new GroupMember { MemberId = actor.MemberId, DisplayName = actor.DisplayName, PlatformFacilitator = actor.IsPlatformFacilitator, FirstSeen = today, LastSeen = today };
        var key = MemberDocKey(groupId, memberKey);
        var write = CreateEntryAsync();
        _entering[key] = write;
        _ = write.ContinueWith(_ => _entering.TryRemove(new KeyValuePair<string, Task>(key, write)), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return write;

        async Task CreateEntryAsync()
        {
            if (await documents.TryCreateAsync(key, entry, cancellationToken).ConfigureAwait(false))
                _seen.Set($"{groupId}|{actor.MemberId}", (actor.DisplayName, actor.IsPlatformFacilitator));
            else
                await RecordMemberAsync(groupId, actor, cancellationToken).ConfigureAwait(false); // an entry without an index: left by an interrupted write
        }
    }

    /// <summary>Waits for the roster entries this instance is still creating in a group (all of them, or one member's); their failures are the creating input's to report.</summary>
    private async Task EnteredAsync(string groupId, string? memberKey)
    {
        var prefix = memberKey is null ? $"groups/{groupId}/members/" : MemberDocKey(groupId, memberKey);
        foreach (var (key, write) in _entering)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal)) continue;
            try
            {
                await write.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Reported by the input that started it; a missing entry is recorded at the member's next input.
            }
        }
    }

    /// <summary>Creates a group index if absent: its ETag, or null when one already exists.</summary>
    private async Task<string?> TryCreateIndexAsync(string indexKey, MemberGroups index, CancellationToken cancellationToken)
    {
        try
        {
            return await documents.Store.CreateAsync(indexKey, Documents.Serialize(index), cancellationToken).ConfigureAwait(false);
        }
        catch (StateConflictException)
        {
            return null;
        }
    }

    /// <summary>Where a member's group index lives: <c>members/{memberKey}</c>.</summary>
    public static string MemberIndexKey(string memberKey) => $"members/{memberKey}";

    /// <summary>Marks an account's group index as linked (see <see cref="MemberGroups.Linked"/>), creating it when absent.</summary>
    public async Task MarkLinkedAsync(string accountId, CancellationToken cancellationToken)
        => await documents.UpdateAsync<MemberGroups>(MemberIndexKey(MemberKey(accountId)), current =>
            current?.Linked == true ? null : (current ?? new MemberGroups()) with { Linked = true }, cancellationToken).ConfigureAwait(false);

    private Instant Today() => clock.GetCurrentInstant().InUtc().Date.AtMidnight().InUtc().ToInstant();

    public async Task<GroupMember?> GetMemberAsync(string groupId, string memberId, CancellationToken cancellationToken)
    {
        var memberKey = MemberKey(memberId);
        if (!_entering.IsEmpty) await EnteredAsync(groupId, memberKey).ConfigureAwait(false);
        return await documents.GetValueAsync<GroupMember>(MemberDocKey(groupId, memberKey), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<GroupMember>> ListMembersAsync(string groupId, CancellationToken cancellationToken)
    {
        if (!_entering.IsEmpty) await EnteredAsync(groupId, memberKey: null).ConfigureAwait(false);
        var members = new List<GroupMember>();
        await foreach (var member in documents.ListAsync<GroupMember>($"groups/{groupId}/members/", cancellationToken: cancellationToken).ConfigureAwait(false))
            members.Add(member.Value);
        return members.OrderBy(m => m.DisplayName, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>The groups a member has been seen in, for commands given in private chat.</summary>
    public async Task<IReadOnlyList<GroupDocument>> GroupsOfMemberAsync(string memberId, CancellationToken cancellationToken)
    {
        var index = await documents.GetValueAsync<MemberGroups>(MemberIndexKey(MemberKey(memberId)), cancellationToken).ConfigureAwait(false);
        var groups = new List<GroupDocument>();
        foreach (var id in index?.GroupIds ?? [])
        {
            var group = await GetGroupAsync(id, cancellationToken).ConfigureAwait(false);
            if (group is not null) groups.Add(group);
        }
        return groups;
    }

    /// <summary>
    /// Every group with a linked channel, through the channel index (<c>channels/…</c>). Erasure and export use it to
    /// find listings of a member in groups whose roster never saw them.
    /// </summary>
    public async Task<IReadOnlyList<GroupDocument>> AllGroupsAsync(CancellationToken cancellationToken)
    {
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var index in documents.ListAsync<ChannelIndex>("channels/", cancellationToken: cancellationToken).ConfigureAwait(false))
            ids.Add(index.Value.GroupId);
        var groups = new List<GroupDocument>();
        foreach (var id in ids)
            if (await GetGroupAsync(id, cancellationToken).ConfigureAwait(false) is { } group) groups.Add(group);
        return groups;
    }

    /// <summary>Facilitator if the platform says so in this input, the group lists them, or the platform said so when last seen in the group.</summary>
    public async Task<bool> IsFacilitatorAsync(GroupDocument group, Actor actor, bool inGroupChannel, CancellationToken cancellationToken)
    {
        if (group.IsListedFacilitator(actor.MemberId)) return true;
        if (inGroupChannel) return actor.IsPlatformFacilitator;
        var member = await GetMemberAsync(group.Id, actor.MemberId, cancellationToken).ConfigureAwait(false);
        return member?.PlatformFacilitator == true;
    }

    private static string Sanitize(string platform) => new(platform.ToLowerInvariant().Where(c => char.IsAsciiLetterOrDigit(c) || c == '-').ToArray());
}
