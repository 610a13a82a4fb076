using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Members;
using PeerGroupBot.Core.Outbound;
using PeerGroupBot.Core.Scheduling;
using PeerGroupBot.Core.State;
using PeerGroupBot.Core.Telemetry;

namespace PeerGroupBot.Core.Concerns;

/// <summary>
/// The facilitators' side of concerns: stores and numbers them, shares them with the facilitators when their random
/// delay ends (or at once when urgent), keeps the triage card current, relays members' answers, re-nudges, and deletes
/// at the end of retention. Used by <see cref="ConcernFlow"/> and by the concern timers. Logs carry group ids and
/// concern numbers only, and never at the moment a member raises or answers (that moment is what the delay hides).
/// </summary>
public sealed class ConcernDesk(
    Documents documents,
    GroupDirectory directory,
    DeliveryAddresses addresses,
    DailyLimit limit,
    IOutbound outbound,
    INudges nudges,
    ITimers timers,
    IClock clock,
    IOptions<ConcernsOptions> options,
    ILogger<ConcernDesk> logger)
{
    public ConcernsOptions Options => options.Value;

    public async Task<ConcernSettings> SettingsAsync(string groupId, CancellationToken cancellationToken)
        => await documents.GetValueAsync<ConcernSettings>(ConcernSettings.KeyFor(groupId), cancellationToken).ConfigureAwait(false) ?? new ConcernSettings();

    public Task<ConcernSettings?> UpdateSettingsAsync(string groupId, Func<ConcernSettings, ConcernSettings?> mutate, CancellationToken cancellationToken)
        => documents.UpdateAsync<ConcernSettings>(ConcernSettings.KeyFor(groupId), current => mutate(current ?? new ConcernSettings()), cancellationToken);

    public string SignpostingFor(ConcernSettings settings) => settings.Signposting ?? Options.Signposting;

    public Task<ConcernDocument?> GetAsync(string groupId, int number, CancellationToken cancellationToken)
        => documents.GetValueAsync<ConcernDocument>(ConcernDocument.KeyFor(groupId, number), cancellationToken);

    public Task<ConcernDocument?> UpdateAsync(string groupId, int number, Func<ConcernDocument, ConcernDocument?> mutate, CancellationToken cancellationToken)
        => documents.UpdateAsync<ConcernDocument>(ConcernDocument.KeyFor(groupId, number), current => current is null ? null : mutate(current)?.InWholeMinutes(), cancellationToken);

    public async Task<IReadOnlyList<ConcernDocument>> ListAsync(string groupId, CancellationToken cancellationToken)
    {
        var concerns = new List<ConcernDocument>();
        await foreach (var item in documents.ListAsync<ConcernDocument>(ConcernDocument.Folder(groupId), cancellationToken: cancellationToken).ConfigureAwait(false))
            concerns.Add(item.Value);
        return concerns;
    }

    /// <summary>Stores a new concern under the group's next number. The member's id is never passed in here.</summary>
    public async Task<ConcernDocument> CreateAsync(string groupId, Func<int, ConcernDocument> create, CancellationToken cancellationToken)
    {
        while (true)
        {
            var number = 0;
            await UpdateSettingsAsync(groupId, s => { number = s.LastNumber + 1; return s with { LastNumber = number }; }, cancellationToken).ConfigureAwait(false);
            var concern = create(number) with { GroupId = groupId, Number = number };
            if (await documents.TryCreateAsync(ConcernDocument.KeyFor(groupId, number), concern, cancellationToken).ConfigureAwait(false))
            {
                BotTelemetry.ConcernsRaised.Add(1); // a bare count: no group, no category, nothing that narrows it down
                return concern;
            }
        }
    }

    /// <summary>A random delay within the configured bounds, from a cryptographic source so it cannot be predicted.</summary>
    public Duration RandomDelay()
    {
        var min = Options.PostDelayMinMinutes * 60;
        var max = Options.PostDelayMaxMinutes * 60;
        return Duration.FromSeconds(min == max ? min : RandomNumberGenerator.GetInt32(min, max + 1));
    }

    public Duration NudgePeriod(ConcernDocument concern)
        => concern.Urgent && concern.Nudges < 3
            ? Duration.FromMinutes(Options.UrgentAcknowledgeWithinMinutes)
            : Duration.FromHours(Options.AcknowledgeWithinHours);

    /// <summary>
    /// The triage card, with a Reply button while the member allows replies and retention has not ended. It never
    /// looks at whether the delivery address still exists: an erasure deletes it, and a card that changed at that
    /// moment would point at the member erasing (a reply sent after it waits and expires like any undeliverable one).
    /// </summary>
    public Task<BotReply> CardAsync(GroupDocument group, ConcernDocument concern, CancellationToken cancellationToken)
        => Task.FromResult(ConcernCards.Card(concern, group, CanReply(concern)));

    /// <summary>What facilitators are shown about replying: only what they always knew (the member's choice, retention).</summary>
    public static bool CanReply(ConcernDocument concern) => concern.RepliesAllowed && concern.IsOpen && !concern.ReplyRouteExpired;

    /// <summary>Shares a pending concern with the facilitators (concerns channel, or each facilitator privately when none is set).</summary>
    public async Task PostAsync(string groupId, int number, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var claimed = false;
        var concern = await UpdateAsync(groupId, number, c =>
        {
            claimed = c.Status == ConcernStatus.Pending;
            return claimed ? c with { Status = ConcernStatus.New, PostedAt = now } : null;
        }, cancellationToken).ConfigureAwait(false);
        var group = await directory.GetGroupAsync(groupId, cancellationToken).ConfigureAwait(false);
        if (!claimed || concern is null || group is null) return;

        await ShareCardAsync(group, concern, cancellationToken).ConfigureAwait(false);
        await timers.ScheduleAsync(new TimerDocument(groupId, ConcernTimers.RetentionId(number), ConcernTimers.Retention,
            concern.PostedAt!.Value + Duration.FromDays(Options.RetentionDays), ConcernTimers.Payload(number)), cancellationToken).ConfigureAwait(false);
        if (concern.Urgent) await AlertLeadsAsync(group, concern, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Posts the card (again, if no copy of it exists) and remembers where it went.</summary>
    private async Task ShareCardAsync(GroupDocument group, ConcernDocument concern, CancellationToken cancellationToken)
    {
        var card = await CardAsync(group, concern, cancellationToken).ConfigureAwait(false);
        var posted = await outbound.PostToConcernsAsync(group, card, cancellationToken).ConfigureAwait(false);
        if (posted.Copies.Count > 0)
        {
            await UpdateAsync(group.Id, concern.Number, c => c with { Card = posted }, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Concern {Number} of group {GroupId} shared with the facilitators' channel.", concern.Number, group.Id);
            return;
        }
        var reached = await SendToFacilitatorsAsync(group, card with { Text = card.Text + ConcernCards.NoConcernsChannelNote }, cancellationToken).ConfigureAwait(false);
        if (reached > 0)
            logger.LogInformation("Concern {Number} of group {GroupId} sent privately to {Count} facilitator(s): no concerns channel.", concern.Number, group.Id, reached);
        else
            logger.LogWarning("Concern {Number} of group {GroupId} could not be shared with any facilitator; the re-nudge will try again.", concern.Number, group.Id);
    }

    /// <summary>Fallback when a group has no concerns channel: every listed or platform-named facilitator, privately.</summary>
    public async Task<int> SendToFacilitatorsAsync(GroupDocument group, BotReply reply, CancellationToken cancellationToken)
    {
        var recipients = group.Facilitators.Select(f => f.MemberId).ToList();
        foreach (var member in await directory.ListMembersAsync(group.Id, cancellationToken).ConfigureAwait(false))
            if (member.PlatformFacilitator) recipients.Add(member.MemberId);
        var reached = 0;
        foreach (var memberId in recipients.Distinct())
            if (await outbound.SendPrivateAsync(memberId, reply, cancellationToken).ConfigureAwait(false)) reached++;
        return reached;
    }

    /// <summary>Posts to the concerns channel, or privately to the facilitators when the group has none.</summary>
    private async Task ToFacilitatorsAsync(GroupDocument group, BotReply reply, CancellationToken cancellationToken)
    {
        var posted = await outbound.PostToConcernsAsync(group, reply, cancellationToken).ConfigureAwait(false);
        if (posted.Copies.Count == 0)
            await SendToFacilitatorsAsync(group, reply with { Text = reply.Text + ConcernCards.NoConcernsChannelNote }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Urgent concerns also go privately to the group's safeguarding leads, at once: an urgent message is never held for quiet hours.</summary>
    public async Task AlertLeadsAsync(GroupDocument group, ConcernDocument concern, CancellationToken cancellationToken)
    {
        var settings = await SettingsAsync(group.Id, cancellationToken).ConfigureAwait(false);
        if (settings.SafeguardingLeads.Count == 0) return;
        var card = await CardAsync(group, concern, cancellationToken).ConfigureAwait(false);
        var alert = card with
        {
            Title = $"Urgent: {ConcernCards.Title(concern)} in {group.Name}",
            Text = $"You're a safeguarding lead for **{MarkdownText.Member(group.Name)}**, so I'm letting you know about this urgent concern straight away.\n\n" + card.Text,
        };
        foreach (var lead in settings.SafeguardingLeads)
            await nudges.SendAsync(group.Id, lead.MemberId, alert, NudgeKind.Reply, urgent: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Brings every copy of the card up to date, except the one the platform replaces in its interaction response.</summary>
    public async Task RefreshCardAsync(GroupDocument group, ConcernDocument concern, PostedCopy? skip, CancellationToken cancellationToken)
    {
        if (concern.Card is null || concern.Card.Copies.Count == 0) return;
        var card = await CardAsync(group, concern, cancellationToken).ConfigureAwait(false);
        await outbound.UpdateAsync(concern.Card, card, cancellationToken, skip).ConfigureAwait(false);
    }

    /// <summary>The re-nudge: a concern nobody has acknowledged is brought up again, and again each period.</summary>
    public async Task NudgeAsync(string groupId, int number, CancellationToken cancellationToken)
    {
        var concern = await GetAsync(groupId, number, cancellationToken).ConfigureAwait(false);
        var group = await directory.GetGroupAsync(groupId, cancellationToken).ConfigureAwait(false);
        if (concern is null || group is null) return;
        if (concern.Status == ConcernStatus.Pending)
        {
            // Its post timer was missed (e.g. no instance ran): share it now, late rather than never.
            await PostAsync(groupId, number, cancellationToken).ConfigureAwait(false);
            concern = await GetAsync(groupId, number, cancellationToken).ConfigureAwait(false);
            if (concern is null) return;
        }
        if (concern.Status != ConcernStatus.New) return;

        if (concern.Card is null || concern.Card.Copies.Count == 0)
            await ShareCardAsync(group, concern, cancellationToken).ConfigureAwait(false);
        await ToFacilitatorsAsync(group, ConcernCards.Nudge(concern, group, clock.GetCurrentInstant()), cancellationToken).ConfigureAwait(false);
        if (concern.Urgent) await AlertLeadsAsync(group, concern, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Concern {Number} of group {GroupId} is unacknowledged; facilitators re-nudged.", number, groupId);

        var updated = await UpdateAsync(groupId, number, c => c with { Nudges = c.Nudges + 1 }, cancellationToken).ConfigureAwait(false) ?? concern;
        await ScheduleNudgeAsync(groupId, number, clock.GetCurrentInstant() + NudgePeriod(updated), cancellationToken).ConfigureAwait(false);
    }

    public Task ScheduleNudgeAsync(string groupId, int number, Instant due, CancellationToken cancellationToken)
        => timers.ScheduleAsync(new TimerDocument(groupId, ConcernTimers.NudgeId(number), ConcernTimers.Nudge, due, ConcernTimers.Payload(number)), cancellationToken);

    /// <summary>Shares the member's answers that were waiting for their random delay.</summary>
    public async Task RelayAsync(string groupId, int number, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        List<ConcernMessage> released = [];
        var concern = await UpdateAsync(groupId, number, c =>
        {
            released = c.Thread.Where(m => m.From == ConcernAuthor.Member && m.SharedAt is null).ToList();
            return released.Count == 0 ? null : c with
            {
                Thread = [.. c.Thread.Select(m => m.From == ConcernAuthor.Member && m.SharedAt is null ? m with { SharedAt = now } : m)],
            };
        }, cancellationToken).ConfigureAwait(false);
        var group = await directory.GetGroupAsync(groupId, cancellationToken).ConfigureAwait(false);
        if (released.Count == 0 || concern is null || group is null) return;

        await ToFacilitatorsAsync(group, ConcernCards.MemberAnswered(concern, group, released, CanReply(concern)), cancellationToken).ConfigureAwait(false);
        await RefreshCardAsync(group, concern, null, cancellationToken).ConfigureAwait(false);
        if (concern.Urgent && concern.IsOpen) await AlertLeadsAsync(group, concern, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("An answer on concern {Number} of group {GroupId} was shared with the facilitators.", number, groupId);
    }

    /// <summary>
    /// Applies retention to every concern of a group whose period has ended: a safety net for retention timers the
    /// scheduler skipped (e.g. no instance ran for longer than its grace window). Run daily and on <c>concern list</c>.
    /// </summary>
    public async Task SweepAsync(string groupId, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var retention = Duration.FromDays(Options.RetentionDays);
        foreach (var concern in await ListAsync(groupId, cancellationToken).ConfigureAwait(false))
        {
            var due = concern.Status switch
            {
                ConcernStatus.Resolved => concern.ResolvedAt + retention <= now,
                ConcernStatus.New or ConcernStatus.Acknowledged => concern.RepliesAllowed && !concern.ReplyRouteExpired && concern.PostedAt + retention <= now,
                _ => false,
            };
            if (due) await RetainAsync(groupId, concern.Number, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Erasure: deletes every delivery address that opens to <paramref name="memberId"/> in the member's groups, and
    /// today's daily-limit counter, so nothing held links any concern back to them. Their concerns and cards stay as
    /// they were (a reply sent later goes nowhere, like any undeliverable one). Call it before the member's roster entries are erased (it finds their groups there).
    /// Returns how many delivery addresses were deleted.
    /// </summary>
    public Task<int> EraseMemberAsync(string memberId, CancellationToken cancellationToken)
        => EraseMemberAsync(memberId, [], cancellationToken);

    /// <summary>
    /// Erasure for a member who may have linked accounts: routes sealed to the member id or to any of
    /// <paramref name="accountIds"/> (concerns raised before linking) are deleted, in the member's groups.
    /// </summary>
    public async Task<int> EraseMemberAsync(string memberId, IReadOnlyCollection<string> accountIds, CancellationToken cancellationToken)
    {
        var erased = 0;
        foreach (var (groupId, number) in await RoutesOfAsync(memberId, accountIds, cancellationToken).ConfigureAwait(false))
        {
            // The card is left as it is: a change now would tell the facilitators who is erasing.
            await addresses.DeleteAsync(groupId, number, cancellationToken).ConfigureAwait(false);
            erased++;
        }
        foreach (var id in accountIds.Prepend(memberId))
            await limit.ForgetAsync(id, clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false);
        if (erased > 0) logger.LogInformation("Erasure removed {Count} concern delivery address(es).", erased);
        return erased;
    }

    /// <summary>Export: how many sealed reply routes lead to the member (never which concerns they belong to).</summary>
    public async Task<int> CountRoutesAsync(string memberId, IReadOnlyCollection<string> accountIds, CancellationToken cancellationToken)
        => (await RoutesOfAsync(memberId, accountIds, cancellationToken).ConfigureAwait(false)).Count;

    /// <summary>Every delivery address in the member's groups that opens to the member or one of their accounts.</summary>
    private async Task<List<(string GroupId, int Number)>> RoutesOfAsync(string memberId, IReadOnlyCollection<string> accountIds, CancellationToken cancellationToken)
    {
        var routes = new List<(string, int)>();
        foreach (var group in await directory.GroupsOfMemberAsync(memberId, cancellationToken).ConfigureAwait(false))
        {
            foreach (var concern in await ListAsync(group.Id, cancellationToken).ConfigureAwait(false))
            {
                if (!concern.RepliesAllowed) continue;
                var opened = await addresses.OpenAsync(group.Id, concern.Number, cancellationToken).ConfigureAwait(false);
                if (opened is not null && (opened == memberId || accountIds.Contains(opened))) routes.Add((group.Id, concern.Number));
            }
        }
        return routes;
    }

    /// <summary>
    /// End of retention: a resolved concern is deleted (its card in the channel is blanked too); an open one loses its
    /// delivery address, so nothing links back to the member any longer than the retention period.
    /// </summary>
    public async Task RetainAsync(string groupId, int number, CancellationToken cancellationToken)
    {
        var concern = await GetAsync(groupId, number, cancellationToken).ConfigureAwait(false);
        if (concern is null) return;
        var now = clock.GetCurrentInstant();
        var retention = Duration.FromDays(Options.RetentionDays);
        var since = concern.Status == ConcernStatus.Resolved ? concern.ResolvedAt : concern.PostedAt;
        if (since is null) return;
        if (since.Value + retention > now)
        {
            await timers.ScheduleAsync(new TimerDocument(groupId, ConcernTimers.RetentionId(number), ConcernTimers.Retention, since.Value + retention, ConcernTimers.Payload(number)), cancellationToken).ConfigureAwait(false);
            return;
        }

        await addresses.DeleteAsync(groupId, number, cancellationToken).ConfigureAwait(false);
        if (concern.Status == ConcernStatus.Resolved)
        {
            if (concern.Card is not null) await outbound.UpdateAsync(concern.Card, ConcernCards.Deleted(number), cancellationToken).ConfigureAwait(false);
            foreach (var timerId in new[] { ConcernTimers.PostId(number), ConcernTimers.NudgeId(number), ConcernTimers.RelayId(number) })
                await timers.CancelAsync(groupId, timerId, cancellationToken).ConfigureAwait(false);
            await documents.DeleteAsync(ConcernDocument.KeyFor(groupId, number), cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Concern {Number} of group {GroupId} deleted at the end of its retention period.", number, groupId);
            return;
        }

        var updated = await UpdateAsync(groupId, number, c => c.ReplyRouteExpired || !c.RepliesAllowed ? null : c with { ReplyRouteExpired = true }, cancellationToken).ConfigureAwait(false);
        var group = await directory.GetGroupAsync(groupId, cancellationToken).ConfigureAwait(false);
        if (group is null || updated is null) return;
        await RefreshCardAsync(group, updated, null, cancellationToken).ConfigureAwait(false);
        if (concern.RepliesAllowed && !concern.ReplyRouteExpired)
            await ToFacilitatorsAsync(group, ConcernCards.ReplyRouteExpired(updated, Options.RetentionDays), cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Concern {Number} of group {GroupId} reached its retention period while open; its reply route was deleted.", number, groupId);
    }
}
