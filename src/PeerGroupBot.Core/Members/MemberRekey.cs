using PeerGroupBot.Core.Agenda;
using PeerGroupBot.Core.Concerns;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Polls;
using PeerGroupBot.Core.Record;
using PeerGroupBot.Core.Rota;
using PeerGroupBot.Core.Sessions;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Core.Members;

/// <summary>What moving a member's data found: open polls in which both ids had voted (one ballot was kept).</summary>
public sealed record RekeySummary(int Groups, IReadOnlyList<string> PollsVotedTwice);

/// <summary>
/// Moves everything the bot holds under one member id to another, in every group the first id was seen in: used when
/// two accounts are linked (each account's data moves to the shared person) and when they are unlinked (the
/// person's data moves to the account that asked). Where both ids hold something that counts once — a ballot in an
/// open poll, an RSVP — the incoming one replaces the other; rota history, availability and roles are merged.
/// Like <see cref="MemberData"/>, it reads each feature's documents where they are, so a new feature that stores a
/// member id or member key must be added here too.
/// </summary>
public sealed class MemberRekey(
    Documents documents,
    GroupDirectory directory,
    PollStore polls,
    MemberPreferencesStore preferences,
    DecisionLog record,
    ConcernDesk concerns)
{
    public async Task<RekeySummary> MoveAsync(string fromId, string toId, CancellationToken cancellationToken)
    {
        var groups = await directory.GroupsOfMemberAsync(fromId, cancellationToken).ConfigureAwait(false);
        var votedTwice = new List<string>();
        foreach (var group in groups)
        {
            await MoveRosterAsync(group.Id, fromId, toId, copy: false, cancellationToken).ConfigureAwait(false);
            votedTwice.AddRange(await MovePollsAsync(group.Id, fromId, toId, cancellationToken).ConfigureAwait(false));
            await MoveAgendaAsync(group.Id, fromId, toId, cancellationToken).ConfigureAwait(false);
            await MoveRotaAsync(group.Id, fromId, toId, cancellationToken).ConfigureAwait(false);
            await record.RekeyAsync(group.Id, fromId, toId, cancellationToken).ConfigureAwait(false);
            await MoveRsvpsAsync(group.Id, fromId, toId, cancellationToken).ConfigureAwait(false);
            await MoveListingsAsync(group.Id, fromId, toId, copy: false, cancellationToken).ConfigureAwait(false);
        }
        await MoveGroupIndexAsync(fromId, toId, copy: false, cancellationToken).ConfigureAwait(false);
        await MovePreferencesAsync(fromId, toId, cancellationToken).ConfigureAwait(false);
        return new RekeySummary(groups.Count, votedTwice);
    }

    /// <summary>
    /// Gives <paramref name="toId"/> the same place in the groups as <paramref name="fromId"/>: member list entries, the
    /// member's group index, and facilitator or safeguarding-lead listings. Nothing that counts is copied.
    /// </summary>
    public async Task CopyMembershipAsync(string fromId, string toId, CancellationToken cancellationToken)
    {
        foreach (var group in await directory.GroupsOfMemberAsync(fromId, cancellationToken).ConfigureAwait(false))
        {
            await MoveRosterAsync(group.Id, fromId, toId, copy: true, cancellationToken).ConfigureAwait(false);
            await MoveListingsAsync(group.Id, fromId, toId, copy: true, cancellationToken).ConfigureAwait(false);
        }
        await MoveGroupIndexAsync(fromId, toId, copy: true, cancellationToken).ConfigureAwait(false);
    }

    private async Task MoveRosterAsync(string groupId, string fromId, string toId, bool copy, CancellationToken cancellationToken)
    {
        var fromKey = GroupDirectory.MemberDocKey(groupId, directory.MemberKey(fromId));
        var moving = await documents.GetValueAsync<GroupMember>(fromKey, cancellationToken).ConfigureAwait(false);
        if (moving is null) return;
        await documents.UpdateAsync<GroupMember>(GroupDirectory.MemberDocKey(groupId, directory.MemberKey(toId)), current => current is null
            ? moving with { MemberId = toId }
            : current with
            {
                FirstSeen = current.FirstSeen < moving.FirstSeen ? current.FirstSeen : moving.FirstSeen,
                LastSeen = current.LastSeen > moving.LastSeen ? current.LastSeen : moving.LastSeen,
                DisplayName = current.LastSeen >= moving.LastSeen ? current.DisplayName : moving.DisplayName,
                PlatformFacilitator = current.PlatformFacilitator || moving.PlatformFacilitator,
            }, cancellationToken).ConfigureAwait(false);
        if (!copy) await documents.DeleteAsync(fromKey, cancellationToken).ConfigureAwait(false);
    }

    private async Task MoveGroupIndexAsync(string fromId, string toId, bool copy, CancellationToken cancellationToken)
    {
        var fromKey = $"members/{directory.MemberKey(fromId)}";
        var moving = await documents.GetValueAsync<MemberGroups>(fromKey, cancellationToken).ConfigureAwait(false);
        if (moving is null) return;
        // Contacts (how to reach each account on its platform) belong to the account, never move and are never lost.
        await documents.UpdateAsync<MemberGroups>($"members/{directory.MemberKey(toId)}", current =>
        {
            var ids = (current?.GroupIds ?? []).Union(moving.GroupIds).ToList();
            return current is not null && ids.Count == current.GroupIds.Count ? null : new MemberGroups { GroupIds = ids, Contacts = current?.Contacts };
        }, cancellationToken).ConfigureAwait(false);
        if (copy) return;
        if (moving.Contacts is not { Count: > 0 })
        {
            await documents.DeleteAsync(fromKey, cancellationToken).ConfigureAwait(false);
            return;
        }
        await documents.UpdateAsync<MemberGroups>(fromKey, current => current is null || (current.GroupIds.Count == 0 && !current.Linked) ? null
            : new MemberGroups { Contacts = current.Contacts }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ballots in open polls move (the incoming one wins when both voted); so does the right to start and close a poll.</summary>
    private async Task<List<string>> MovePollsAsync(string groupId, string fromId, string toId, CancellationToken cancellationToken)
    {
        var votedTwice = new List<string>();
        foreach (var poll in await polls.ListAsync(groupId, cancellationToken).ConfigureAwait(false))
        {
            var opener = polls.OpenerKey(groupId, poll.Id, fromId);
            if (poll.OpenerKey == opener)
            {
                var newOpener = polls.OpenerKey(groupId, poll.Id, toId);
                await polls.UpdateAsync(groupId, poll.Id, p => p is null || p.OpenerKey != opener ? null : p with { OpenerKey = newOpener }, cancellationToken).ConfigureAwait(false);
            }
            if (poll.Phase == PollPhase.Closed) continue;
            var ballot = await polls.GetBallotAsync(groupId, poll.Id, fromId, cancellationToken).ConfigureAwait(false);
            if (ballot is null) continue;
            var (previous, _) = await polls.CastAsync(groupId, poll.Id, toId, ballot, cancellationToken).ConfigureAwait(false);
            if (previous is not null) votedTwice.Add(poll.Id);
            await polls.WithdrawAsync(groupId, poll.Id, fromId, cancellationToken).ConfigureAwait(false);
        }
        return votedTwice;
    }

    private async Task MoveAgendaAsync(string groupId, string fromId, string toId, CancellationToken cancellationToken)
    {
        var fromKey = directory.MemberKey(fromId);
        var toKey = directory.MemberKey(toId);
        await documents.UpdateAsync<AgendaDocument>(AgendaDocument.KeyFor(groupId), current =>
            current is null || !current.Items.Any(i => i.AuthorKey == fromKey) ? null
                : current with { Items = [.. current.Items.Select(i => i.AuthorKey == fromKey ? i with { AuthorKey = toKey } : i)] },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task MoveRotaAsync(string groupId, string fromId, string toId, CancellationToken cancellationToken)
    {
        string Swap(string id) => id == fromId ? toId : id;
        await documents.UpdateAsync<RotaDocument>(RotaDocument.KeyFor(groupId), current =>
        {
            if (current is null) return null;
            var touched = current.Names.ContainsKey(fromId) || current.SteppedBack.Contains(fromId)
                || current.Swaps.Any(s => s.FromMemberId == fromId || s.ToMemberId == fromId)
                || current.Sessions.Any(e => e.Slots.Any(s => s.MemberId == fromId) || e.Available.Values.Any(v => v.Contains(fromId)));
            if (!touched) return null;
            var names = new Dictionary<string, string>(current.Names);
            if (names.Remove(fromId, out var name)) names.TryAdd(toId, name);
            return current with
            {
                Sessions = [.. current.Sessions.Select(e => e with
                {
                    Slots = [.. e.Slots.Select(s => s.MemberId == fromId ? s with { MemberId = toId } : s)],
                    Available = e.Available.ToDictionary(a => a.Key, a => a.Value.Select(Swap).Distinct().ToList()),
                })],
                SteppedBack = [.. current.SteppedBack.Select(Swap).Distinct()],
                Swaps = [.. current.Swaps.Select(s => s with { FromMemberId = Swap(s.FromMemberId), ToMemberId = Swap(s.ToMemberId) })],
                Names = names,
            };
        }, cancellationToken).ConfigureAwait(false);

        await documents.UpdateAsync<RotaPoll>(RotaPoll.KeyFor(groupId), current =>
        {
            if (current is null || !current.Answers.TryGetValue(fromId, out var incoming)) return null;
            var answers = new Dictionary<string, PollAnswer>(current.Answers);
            answers.Remove(fromId);
            var merged = new Dictionary<string, List<string>>(incoming.Roles);
            if (answers.TryGetValue(toId, out var existing))
            {
                foreach (var (session, roles) in existing.Roles)
                    merged[session] = [.. roles.Union(merged.GetValueOrDefault(session) ?? [])];
            }
            answers[toId] = new PollAnswer(incoming.DisplayName, merged);
            return current with { Answers = answers };
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task MoveRsvpsAsync(string groupId, string fromId, string toId, CancellationToken cancellationToken)
    {
        var fromKey = directory.MemberKey(fromId);
        var toKey = directory.MemberKey(toId);
        var keys = new List<string>();
        await foreach (var key in documents.Store.ListKeysAsync(SessionOccurrenceDocument.Prefix(groupId), cancellationToken).ConfigureAwait(false))
            keys.Add(key);
        foreach (var key in keys)
        {
            await documents.UpdateAsync<SessionOccurrenceDocument>(key, current =>
            {
                if (current is null || !current.Rsvps.TryGetValue(fromKey, out var choice)) return null;
                var rsvps = new Dictionary<string, RsvpChoice>(current.Rsvps);
                rsvps.Remove(fromKey);
                rsvps[toKey] = choice;
                return current with { Rsvps = rsvps };
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Facilitator and safeguarding-lead listings follow the member.</summary>
    private async Task MoveListingsAsync(string groupId, string fromId, string toId, bool copy, CancellationToken cancellationToken)
    {
        List<Facilitator>? Moved(List<Facilitator> listed)
        {
            var mine = listed.FirstOrDefault(f => f.MemberId == fromId);
            if (mine is null || listed.Any(f => f.MemberId == toId)) return null;
            return [.. listed.Where(f => copy || f.MemberId != fromId), mine with { MemberId = toId }];
        }
        await directory.UpdateGroupAsync(groupId, g => g is null || Moved(g.Facilitators) is not { } moved ? null : g with { Facilitators = moved },
            cancellationToken).ConfigureAwait(false);
        if ((await concerns.SettingsAsync(groupId, cancellationToken).ConfigureAwait(false)).IsLead(fromId))
            await concerns.UpdateSettingsAsync(groupId, s => Moved(s.SafeguardingLeads) is { } moved ? s with { SafeguardingLeads = moved } : null,
                cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Settings merge field by field: what the receiving id has set stays, gaps are filled from the other.</summary>
    private async Task MovePreferencesAsync(string fromId, string toId, CancellationToken cancellationToken)
    {
        var moving = await documents.GetValueAsync<MemberPreferences>(preferences.KeyFor(fromId), cancellationToken).ConfigureAwait(false);
        if (moving is null) return;
        await preferences.UpdateAsync(toId, p => p with
        {
            QuietFrom = p.HasQuietHours ? p.QuietFrom : moving.QuietFrom,
            QuietUntil = p.HasQuietHours ? p.QuietUntil : moving.QuietUntil,
            TimeZone = p.TimeZone ?? moving.TimeZone,
            Nudges = p.Nudges ?? moving.Nudges,
        }, cancellationToken).ConfigureAwait(false);
        await documents.DeleteAsync(preferences.KeyFor(fromId), cancellationToken).ConfigureAwait(false);
    }
}
