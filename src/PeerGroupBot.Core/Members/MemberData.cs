using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using NodaTime;
using PeerGroupBot.Core.Agenda;
using PeerGroupBot.Core.Concerns;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Polls;
using PeerGroupBot.Core.Record;
using PeerGroupBot.Core.Rota;
using PeerGroupBot.Core.Sessions;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Core.Members;

/// <summary>What an erasure did, told to the member in plain words.</summary>
public sealed record ErasureSummary(
    int Groups, int OpenVotesWithdrawn, int AgendaItemsAnonymised, int RotaTurnsAnonymised, int UpcomingTurnsFreed,
    int Rsvps, int ConcernRoutesDeleted, int HeldMessagesDeleted, int RecordTurnsAnonymised = 0, int LinkedAccounts = 0,
    int PostedMessagesUpdated = 0);

/// <summary>
/// A member's data rights over every feature: <see cref="ExportAsync"/> gathers what is linked to them and
/// <see cref="EraseAsync"/> removes or anonymises it. It reads each feature's documents where they are, so a new
/// feature that stores a member id, name or member key must be added here too, and a message it posts and keeps a
/// reference to must be rendered by <see cref="PostedMessageRefresh"/>, which edits it after an erasure.
/// </summary>
public sealed class MemberData(
    Documents documents,
    GroupDirectory directory,
    PollStore polls,
    ConcernDesk concerns,
    PrivateNudges nudges,
    MemberPreferencesStore preferences,
    DecisionLog record,
    MemberLinks links,
    PostedMessageRefresh postedMessages,
    DailyLimit limit,
    IEnumerable<IMemberRecords> platformRecords,
    IClock clock,
    ILogger<MemberData> logger,
    Checkouts.CheckoutBoxes checkouts,
    MemberContacts contacts)
{
    public const string ConcernsNote =
        "Concerns are anonymous: nothing the bot keeps links a concern to you, so they cannot be exported or found for you. "
        + "Any private way back to you for replies is deleted when you erase your data.";

    private const string AMember = "a member";

    public async Task<MemberExport> ExportAsync(string memberId, CancellationToken cancellationToken)
    {
        var memberKey = directory.MemberKey(memberId);
        var linked = MemberLinks.IsPerson(memberId) ? await links.AccountsAsync(memberId, cancellationToken).ConfigureAwait(false) : [];
        var ids = linked.Select(a => a.MemberId).Prepend(memberId).ToList();
        var groups = new List<ExportedGroup>();
        foreach (var group in await GroupsHoldingAsync(memberId, ids, cancellationToken).ConfigureAwait(false))
            groups.Add(await ExportGroupAsync(group, memberId, memberKey, cancellationToken).ConfigureAwait(false));
        var platform = new List<string>();
        foreach (var records in platformRecords)
            platform.AddRange(await records.DescribeAsync(ids, cancellationToken).ConfigureAwait(false));
        int? counted = null;
        foreach (var id in ids)
            if (await limit.CountTodayAsync(id, clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false) is { } count) counted = (counted ?? 0) + count;
        return new MemberExport
        {
            MemberId = memberId,
            LinkedAccounts = [.. linked.Select(a => Platforms.DisplayName(a.Platform))],
            ExportedAt = clock.GetCurrentInstant(),
            Preferences = await preferences.GetAsync(memberId, cancellationToken).ConfigureAwait(false),
            Groups = groups,
            PlatformRecords = platform,
            ConcernsCountedToday = counted,
            ConcernReplyRoutes = await concerns.CountRoutesAsync(memberId, ids.Skip(1).ToList(), cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>The member's groups by the roster, and every other group that lists them as a facilitator or safeguarding lead.</summary>
    private async Task<IReadOnlyList<GroupDocument>> GroupsHoldingAsync(string memberId, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var groups = (await directory.GroupsOfMemberAsync(memberId, cancellationToken).ConfigureAwait(false)).ToList();
        foreach (var group in await directory.AllGroupsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (groups.Any(g => g.Id == group.Id)) continue;
            var settings = await concerns.SettingsAsync(group.Id, cancellationToken).ConfigureAwait(false);
            if (ids.Any(id => group.IsListedFacilitator(id) || settings.IsLead(id))) groups.Add(group);
        }
        return groups;
    }

    private async Task<ExportedGroup> ExportGroupAsync(GroupDocument group, string memberId, string memberKey, CancellationToken cancellationToken)
    {
        var roster = await directory.GetMemberAsync(group.Id, memberId, cancellationToken).ConfigureAwait(false);

        var votes = new List<ExportedVote>();
        foreach (var poll in await polls.ListAsync(group.Id, cancellationToken).ConfigureAwait(false))
        {
            if (poll.Phase == PollPhase.Closed || poll.Anonymous) continue;
            var ballot = await polls.GetBallotAsync(group.Id, poll.Id, memberId, cancellationToken).ConfigureAwait(false);
            if (ballot is not null) votes.Add(new ExportedVote(poll.Id, poll.Question, [.. ballot.Choices.Select(poll.OptionText)]));
        }

        var agenda = await documents.GetValueAsync<AgendaDocument>(AgendaDocument.KeyFor(group.Id), cancellationToken).ConfigureAwait(false);
        var items = agenda?.Items.Where(i => i.AuthorKey == memberKey).Select(i => new ExportedAgendaItem(i.Text, i.Minutes, i.Done)).ToList() ?? [];

        var rota = await documents.GetValueAsync<RotaDocument>(RotaDocument.KeyFor(group.Id), cancellationToken).ConfigureAwait(false);
        var turns = new List<ExportedTurn>();
        var availability = new List<ExportedAvailability>();
        foreach (var entry in rota?.Sessions ?? [])
        {
            turns.AddRange(entry.Slots.Where(s => s.MemberId == memberId).Select(s => new ExportedTurn(entry.Session.LabelIn(group.Zone), s.Role, s.Reason)));
            var roles = entry.Available.Where(a => a.Value.Contains(memberId)).Select(a => a.Key).ToList();
            if (roles.Count > 0) availability.Add(new ExportedAvailability(entry.Session.LabelIn(group.Zone), roles));
        }
        var rotaPoll = await documents.GetValueAsync<RotaPoll>(RotaPoll.KeyFor(group.Id), cancellationToken).ConfigureAwait(false);
        if (rotaPoll?.Answers.GetValueOrDefault(memberId) is { } answer)
        {
            foreach (var session in rotaPoll.Sessions)
                if (answer.Roles.GetValueOrDefault(session.Id) is { Count: > 0 } roles && !availability.Any(a => a.Session == session.LabelIn(group.Zone)))
                    availability.Add(new ExportedAvailability(session.LabelIn(group.Zone), roles));
        }

        var rsvps = new List<ExportedRsvp>();
        await foreach (var occurrence in documents.ListAsync<SessionOccurrenceDocument>(SessionOccurrenceDocument.Prefix(group.Id), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (occurrence.Value.Rsvps.TryGetValue(memberKey, out var choice))
                rsvps.Add(new ExportedRsvp(occurrence.Value.OccurrenceId, choice));
        }

        var holder = record.HolderKey(group.Id, memberId);
        var recorded = 0;
        foreach (var (key, _) in await record.MonthsAsync(group.Id, cancellationToken).ConfigureAwait(false))
        {
            var month = await documents.GetValueAsync<RecordMonth>(key, cancellationToken).ConfigureAwait(false);
            recorded += month?.Entries.Sum(e => e.Holders.Count(h => h.HolderKey == holder)) ?? 0;
        }

        var checkedOut = new List<string>();
        foreach (var box in await checkouts.ListAsync(group.Id, cancellationToken).ConfigureAwait(false))
            if (!box.Closed && await checkouts.HasAnsweredAsync(group.Id, OccurrenceIds.ToKey(box.SessionId), memberId, cancellationToken).ConfigureAwait(false))
                checkedOut.Add(Checkouts.CheckoutOpener.Name(box, group));

        return new ExportedGroup
        {
            GroupId = group.Id,
            GroupName = group.Name,
            TimeZone = group.TimeZone,
            DisplayName = roster?.DisplayName,
            ListedFacilitator = group.IsListedFacilitator(memberId),
            SafeguardingLead = (await concerns.SettingsAsync(group.Id, cancellationToken).ConfigureAwait(false)).IsLead(memberId),
            HeldMessages = await nudges.CountMemberAsync(group.Id, memberId, cancellationToken).ConfigureAwait(false),
            FirstSeen = roster?.FirstSeen,
            LastSeen = roster?.LastSeen,
            OpenPollVotes = votes,
            AgendaItems = items,
            RotaTurns = turns,
            RotaAvailability = availability,
            RotaSteppedBack = rota?.SteppedBack.Contains(memberId) == true,
            Rsvps = rsvps,
            RecordedRotaTurns = recorded,
            CheckoutsAnswered = checkedOut,
        };
    }

    /// <summary>
    /// Removes or anonymises everything linked to the member, in every group they were seen in: votes in open polls
    /// are withdrawn (closed polls keep counts only), agenda items show "a member", rota history keeps each turn
    /// but not who took it, RSVPs, preferences, roster entries and platform references are deleted, and any
    /// encrypted way back to them for concern replies is deleted first.
    /// </summary>
    /// <remarks>
    /// For a linked person (<c>me link</c>) it covers both accounts: what either account held before linking, their
    /// platform contact details, and the link itself.
    /// </remarks>
    public async Task<ErasureSummary> EraseAsync(string memberId, CancellationToken cancellationToken)
    {
        var memberKey = directory.MemberKey(memberId);
        var accounts = MemberLinks.IsPerson(memberId) ? await links.AccountsAsync(memberId, cancellationToken).ConfigureAwait(false) : [];
        var accountIds = accounts.Select(a => a.MemberId).ToList();
        // Concerns first: the desk finds the member's groups through the roster erased below.
        var routes = await concerns.EraseMemberAsync(memberId, accountIds, cancellationToken).ConfigureAwait(false);
        var groups = await directory.GroupsOfMemberAsync(memberId, cancellationToken).ConfigureAwait(false);
        var votes = 0; var items = 0; var turns = 0; var freed = 0; var rsvps = 0; var held = 0; var recorded = 0;
        var postedBefore = new List<(GroupDocument Group, PostedViews Views)>();
        foreach (var group in groups)
        {
            postedBefore.Add((group, await RenderPostedAsync(group, cancellationToken).ConfigureAwait(false)));
            var names = await NamesAsync(group, memberId, cancellationToken).ConfigureAwait(false);
            votes += await ErasePollsAsync(group.Id, memberId, names, cancellationToken).ConfigureAwait(false);
            items += await EraseAgendaAsync(group.Id, memberKey, cancellationToken).ConfigureAwait(false);
            var (past, upcoming) = await EraseRotaAsync(group, memberId, names, cancellationToken).ConfigureAwait(false);
            turns += past; freed += upcoming;
            recorded += await record.AnonymiseAsync(group.Id, memberId, cancellationToken).ConfigureAwait(false);
            rsvps += await EraseSessionsAsync(group.Id, memberKey, names, cancellationToken).ConfigureAwait(false);
            await EraseConcernNamesAsync(group.Id, names, cancellationToken).ConfigureAwait(false);
            // Open check-outs keep only who has answered (a keyed hash); the answer itself was never linked to the member.
            await checkouts.EraseMemberAsync(group.Id, memberId, cancellationToken).ConfigureAwait(false);
            foreach (var id in accountIds.Prepend(memberId))
                held += await nudges.EraseMemberAsync(group.Id, id, cancellationToken).ConfigureAwait(false);
            await documents.DeleteAsync($"dialogs/{group.Id}/{memberKey}", cancellationToken).ConfigureAwait(false);
            await documents.DeleteAsync(GroupDirectory.MemberDocKey(group.Id, memberKey), cancellationToken).ConfigureAwait(false);
        }
        var ids = accountIds.Prepend(memberId).ToList();
        await EraseListingsAsync(ids, cancellationToken).ConfigureAwait(false);
        foreach (var records in platformRecords)
            await records.EraseAsync(ids, cancellationToken).ConfigureAwait(false);
        foreach (var id in ids)
        {
            var key = directory.MemberKey(id);
            await documents.DeleteAsync(preferences.KeyFor(id), cancellationToken).ConfigureAwait(false);
            await documents.DeleteAsync($"dialogs/private-{MemberIds.PlatformOf(id)}/{key}", cancellationToken).ConfigureAwait(false);
            await documents.DeleteAsync($"teams/members/{key}", cancellationToken).ConfigureAwait(false); // where Teams kept it before it moved into the index
            await documents.DeleteAsync($"members/{key}", cancellationToken).ConfigureAwait(false); // the group index, with every platform contact
            contacts.Forget(id);
        }
        // A linked person's private dialogs are kept per platform under the person's key.
        foreach (var account in accounts)
            await documents.DeleteAsync($"dialogs/private-{account.Platform}/{memberKey}", cancellationToken).ConfigureAwait(false);
        if (accounts.Count > 0) await links.UnlinkAsync(memberId, accounts, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("A member's data was erased from {Groups} group(s).", groups.Count);

        // Only now that the stored data is erased: the messages already posted follow it.
        var updated = 0;
        foreach (var (group, before) in postedBefore)
            updated += await UpdatePostedAsync(group, before, cancellationToken).ConfigureAwait(false);
        return new ErasureSummary(groups.Count, votes, items, turns, freed, rsvps, routes, held, recorded, accounts.Count, updated);
    }

    /// <summary>
    /// Facilitator and safeguarding-lead listings of the member in every group, also groups whose roster never saw
    /// them (a lead is named by a facilitator and may never have spoken in the channel): a lead left listed would keep
    /// receiving urgent concern text.
    /// </summary>
    private async Task EraseListingsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        foreach (var group in await directory.AllGroupsAsync(cancellationToken).ConfigureAwait(false))
        {
            await directory.UpdateGroupAsync(group.Id, g => g is null || !ids.Any(g.IsListedFacilitator) ? null
                : g with { Facilitators = [.. g.Facilitators.Where(f => !ids.Contains(f.MemberId))] }, cancellationToken).ConfigureAwait(false);
            await concerns.UpdateSettingsAsync(group.Id, s => !ids.Any(s.IsLead) ? null
                : s with { SafeguardingLeads = [.. s.SafeguardingLeads.Where(l => !ids.Contains(l.MemberId))] }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The group's posted messages as they read before the erasure; none (so none is updated) when they can't be read.</summary>
    private async Task<PostedViews> RenderPostedAsync(GroupDocument group, CancellationToken cancellationToken)
    {
        try { return await postedMessages.RenderAsync(group, cancellationToken).ConfigureAwait(false); }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("The posted messages of group {GroupId} could not be read before an erasure, so they will not be updated: {Error}", group.Id, ex.GetType().Name);
            return PostedViews.None;
        }
    }

    /// <summary>Updates the posted messages the erasure changed. A failure here never undoes the erasure: it is logged and the rest go on.</summary>
    private async Task<int> UpdatePostedAsync(GroupDocument group, PostedViews before, CancellationToken cancellationToken)
    {
        if (before.Views.Count == 0) return 0;
        try { return await postedMessages.UpdateChangedAsync(group, before, cancellationToken).ConfigureAwait(false); }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("Updating the posted messages of group {GroupId} after an erasure failed: {Error}", group.Id, ex.GetType().Name);
            return 0;
        }
    }

    /// <summary>Every name the member is shown by in the group: roster, listed facilitator, rota.</summary>
    private async Task<HashSet<string>> NamesAsync(GroupDocument group, string memberId, CancellationToken cancellationToken)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if ((await directory.GetMemberAsync(group.Id, memberId, cancellationToken).ConfigureAwait(false))?.DisplayName is { Length: > 0 } rosterName) names.Add(rosterName);
        foreach (var f in group.Facilitators.Where(f => f.MemberId == memberId)) names.Add(f.DisplayName);
        var rota = await documents.GetValueAsync<RotaDocument>(RotaDocument.KeyFor(group.Id), cancellationToken).ConfigureAwait(false);
        if (rota?.Names.GetValueOrDefault(memberId) is { Length: > 0 } rotaName) names.Add(rotaName);
        var rotaPoll = await documents.GetValueAsync<RotaPoll>(RotaPoll.KeyFor(group.Id), cancellationToken).ConfigureAwait(false);
        if (rotaPoll?.Answers.GetValueOrDefault(memberId)?.DisplayName is { Length: > 0 } answerName) names.Add(answerName);
        return names;
    }

    private async Task<int> ErasePollsAsync(string groupId, string memberId, HashSet<string> names, CancellationToken cancellationToken)
    {
        var withdrawn = 0;
        foreach (var poll in await polls.ListAsync(groupId, cancellationToken).ConfigureAwait(false))
        {
            if (poll.Phase != PollPhase.Closed && await polls.WithdrawAsync(groupId, poll.Id, memberId, cancellationToken).ConfigureAwait(false))
                withdrawn++;
            var opener = polls.OpenerKey(groupId, poll.Id, memberId);
            await polls.UpdateAsync(groupId, poll.Id, p =>
            {
                if (p is null) return null;
                var openerErased = p.OpenerKey == opener;
                var result = p.Result;
                var named = result is not null && result.Named.Any(n => names.Contains(n.Name));
                var tie = result?.TieBrokenBy is { } by && names.Contains(by);
                if (!openerErased && !named && !tie) return null;
                return p with
                {
                    OpenerKey = openerErased ? RandomKey() : p.OpenerKey,
                    Result = result is null ? null : result with
                    {
                        // Counts stay; only the name beside the vote goes.
                        Named = [.. result.Named.Where(n => !names.Contains(n.Name))],
                        TieBrokenBy = tie ? "a facilitator" : result.TieBrokenBy,
                    },
                };
            }, cancellationToken).ConfigureAwait(false);
        }
        return withdrawn;
    }

    private async Task<int> EraseAgendaAsync(string groupId, string memberKey, CancellationToken cancellationToken)
    {
        var changed = 0;
        await documents.UpdateAsync<AgendaDocument>(AgendaDocument.KeyFor(groupId), current =>
        {
            changed = current?.Items.Count(i => i.AuthorKey == memberKey) ?? 0;
            if (changed == 0) return null;
            return current! with
            {
                Items = [.. current.Items.Select(i => i.AuthorKey != memberKey ? i
                    : i with { Source = AgendaItemSource.Anonymous, AuthorKey = null, AuthorName = null })],
            };
        }, cancellationToken).ConfigureAwait(false);
        return changed;
    }

    private async Task<(int Past, int Upcoming)> EraseRotaAsync(GroupDocument group, string memberId, HashSet<string> names, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var past = 0; var upcoming = 0;
        // One stand-in per erasure: past turns still count for fairness, but as nobody in particular.
        var standIn = "erased:" + RandomKey();
        await documents.UpdateAsync<RotaDocument>(RotaDocument.KeyFor(group.Id), current =>
        {
            past = 0; upcoming = 0;
            if (current is null) return null;
            var touched = current.Names.ContainsKey(memberId) || current.SteppedBack.Contains(memberId)
                || current.Swaps.Any(s => s.FromMemberId == memberId || s.ToMemberId == memberId)
                || current.Sessions.Any(e => e.Slots.Any(s => s.MemberId == memberId || Mentions(s.Reason, names)) || e.Available.Values.Any(v => v.Contains(memberId)));
            if (!touched) return null;
            var sessions = new List<RotaEntry>();
            foreach (var entry in current.Sessions)
            {
                var isUpcoming = entry.Session.IsUpcoming(now, group.Zone);
                var slots = entry.Slots.Select(slot =>
                {
                    var reason = Scrub(slot.Reason, names);
                    if (slot.MemberId != memberId) return slot with { Reason = reason };
                    if (isUpcoming) { upcoming++; return new RotaSlot(slot.Role, null, "open again: the member who held it left"); }
                    past++;
                    return slot with { MemberId = standIn, Reason = reason };
                }).ToList();
                var available = entry.Available.ToDictionary(a => a.Key, a => a.Value.Where(m => m != memberId).ToList());
                sessions.Add(entry with { Slots = slots, Available = available });
            }
            var namesLeft = new Dictionary<string, string>(current.Names);
            namesLeft.Remove(memberId);
            return current with
            {
                Sessions = sessions,
                SteppedBack = [.. current.SteppedBack.Where(m => m != memberId)],
                Swaps = [.. current.Swaps.Where(s => s.FromMemberId != memberId && s.ToMemberId != memberId)],
                Names = namesLeft,
            };
        }, cancellationToken).ConfigureAwait(false);

        await documents.UpdateAsync<RotaPoll>(RotaPoll.KeyFor(group.Id), current =>
        {
            if (current is null || !current.Answers.ContainsKey(memberId)) return null;
            var answers = new Dictionary<string, PollAnswer>(current.Answers);
            answers.Remove(memberId);
            return current with { Answers = answers };
        }, cancellationToken).ConfigureAwait(false);
        return (past, upcoming);
    }

    /// <summary>RSVPs go; the stored copies of reminder cards (which list agenda authors and rota holders) lose the name.</summary>
    private async Task<int> EraseSessionsAsync(string groupId, string memberKey, HashSet<string> names, CancellationToken cancellationToken)
    {
        var erased = 0;
        var keys = new List<string>();
        await foreach (var key in documents.Store.ListKeysAsync(SessionOccurrenceDocument.Prefix(groupId), cancellationToken).ConfigureAwait(false))
            keys.Add(key);
        foreach (var key in keys)
        {
            var removed = false;
            await documents.UpdateAsync<SessionOccurrenceDocument>(key, current =>
            {
                if (current is null) return null;
                removed = current.Rsvps.ContainsKey(memberKey);
                var named = current.Cards.Any(c => Mentions(c.Body, names) || Mentions(c.Title, names));
                if (!removed && !named) return null;
                var rsvps = new Dictionary<string, RsvpChoice>(current.Rsvps);
                rsvps.Remove(memberKey);
                return current with
                {
                    Rsvps = rsvps,
                    Cards = [.. current.Cards.Select(c => c with { Title = Scrub(c.Title, names), Body = Scrub(c.Body, names) })],
                };
            }, cancellationToken).ConfigureAwait(false);
            if (removed) erased++;
        }
        return erased;
    }

    /// <summary>A facilitator's name on concerns they acknowledged or resolved becomes "a facilitator".</summary>
    private async Task EraseConcernNamesAsync(string groupId, HashSet<string> names, CancellationToken cancellationToken)
    {
        foreach (var concern in await concerns.ListAsync(groupId, cancellationToken).ConfigureAwait(false))
        {
            if (!names.Contains(concern.AcknowledgedBy ?? "") && !names.Contains(concern.ResolvedBy ?? "")) continue;
            await concerns.UpdateAsync(groupId, concern.Number, c => c with
            {
                AcknowledgedBy = c.AcknowledgedBy is { } a && names.Contains(a) ? "a facilitator" : c.AcknowledgedBy,
                ResolvedBy = c.ResolvedBy is { } r && names.Contains(r) ? "a facilitator" : c.ResolvedBy,
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool Mentions(string text, HashSet<string> names) => NameScrubber.Mentions(text, names);

    private static string Scrub(string text, HashSet<string> names) => NameScrubber.Scrub(text, names, AMember);

    private static string RandomKey() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
}
