using Microsoft.Extensions.Logging;
using NodaTime;
using PeerGroupBot.Core.Agenda;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Outbound;
using PeerGroupBot.Core.Polls;
using PeerGroupBot.Core.Rota;
using PeerGroupBot.Core.Sessions;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Core.Members;

/// <summary>One message the bot posted and keeps a reference to, rendered from what is stored at the time.</summary>
public sealed record PostedView(PostedMessage Posted, BotReply Reply)
{
    /// <summary>What a member sees of it; two views with the same content need no update.</summary>
    public bool SameContentAs(PostedView other) => Reply.Title == other.Reply.Title && Reply.Text == other.Reply.Text;
}

/// <summary>Every posted message of one group the bot can still edit, by a name that stays the same across renders.</summary>
public sealed record PostedViews(IReadOnlyDictionary<string, PostedView> Views)
{
    public static readonly PostedViews None = new(new Dictionary<string, PostedView>());
}

/// <summary>
/// Keeps the messages the bot has already posted in step with an erasure. <see cref="RenderAsync"/> renders, with each
/// feature's own renderer, every posted message the bot keeps a reference to in a group: the agenda posted for the
/// current session, open named polls' cards (from the ballots; open anonymous polls wait for their next vote), closed polls' cards and results, the open rota poll's card and
/// the stored reminder cards. The erasure renders them before and after it changes the stored data, and
/// <see cref="UpdateChangedAsync"/> edits only those whose content changed, through the outbound port (a platform that
/// is down catches up through <see cref="UpdateRetries"/>). Older messages the bot keeps no reference to, such as rota
/// announcements, cannot be reached.
/// </summary>
/// <para>
/// It also settles races in bridged groups (<see cref="SettleAsync"/>): a click's answer (Discord's UPDATE_MESSAGE, Teams'
/// invoke response and PUT) is computed before a vote on the other platform lands and may reach the platform after
/// that vote's newer edit, leaving the clicked copy one vote behind with nothing to correct it. Once the answer is out,
/// the adapter asks for the copy to be rendered again from what is stored now, and it is edited if it differs.
/// </para>
public sealed class PostedMessageRefresh(
    GroupDirectory directory,
    Documents documents,
    AgendaBook agendaBook,
    AgendaMessage agendaMessage,
    PollStore polls,
    PollResults pollResults,
    IOutbound outbound,
    IClock clock,
    ILogger<PostedMessageRefresh> logger)
{
    /// <summary>The group's posted messages as they would be rendered now, for an erasure (open anonymous polls left out).</summary>
    public Task<PostedViews> RenderAsync(GroupDocument group, CancellationToken cancellationToken)
        => RenderAsync(group, forErasure: true, cancellationToken);

    /// <param name="forErasure">Leave out open anonymous polls, whose counts must not move at the moment of an erasure;
    /// a settle after a vote renders them, since it only shows votes that were already cast.</param>
    private async Task<PostedViews> RenderAsync(GroupDocument group, bool forErasure, CancellationToken cancellationToken)
    {
        var views = new Dictionary<string, PostedView>(StringComparer.Ordinal);
        var agenda = await AddAgendaAsync(views, group, cancellationToken).ConfigureAwait(false);
        await AddPollsAsync(views, group, agenda, forErasure, cancellationToken).ConfigureAwait(false);
        var rotaPoll = await documents.GetValueAsync<RotaPoll>(RotaPoll.KeyFor(group.Id), cancellationToken).ConfigureAwait(false);
        if (rotaPoll is { IsOpen: true }) Add(views, $"rota-poll/{rotaPoll.Id}", rotaPoll.Posted, RotaPolls.Card(rotaPoll, group.Zone));
        await foreach (var occurrence in documents.ListAsync<SessionOccurrenceDocument>(SessionOccurrenceDocument.Prefix(group.Id), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var doc = occurrence.Value;
            for (var i = 0; i < doc.Cards.Count; i++)
                Add(views, $"reminder/{doc.OccurrenceId}/{i}", doc.Cards[i].Posted, SessionCards.Card(doc.Cards[i].Title, doc.Cards[i].Body, doc, doc.OccurrenceId, group.Id));
        }
        return new PostedViews(views);
    }

    /// <summary>
    /// Renders the group's posted messages again and updates each one whose content differs from <paramref name="before"/>.
    /// Returns how many messages were updated (a message posted in two channels counts once).
    /// </summary>
    public async Task<int> UpdateChangedAsync(GroupDocument group, PostedViews before, CancellationToken cancellationToken)
    {
        var after = await RenderAsync(group, cancellationToken).ConfigureAwait(false);
        var updated = 0;
        foreach (var (key, view) in after.Views)
        {
            if (!before.Views.TryGetValue(key, out var earlier) || view.SameContentAs(earlier)) continue;
            await outbound.UpdateAsync(view.Posted, view.Reply, cancellationToken).ConfigureAwait(false);
            updated++;
        }
        if (updated > 0) logger.LogInformation("Updated {Count} posted message(s) of group {GroupId} after an erasure.", updated, group.Id);
        return updated;
    }

    /// <summary>
    /// After a click's answer replaced <paramref name="copy"/> with <paramref name="shown"/>: in a bridged group (where
    /// another platform may have written the same message meanwhile), renders the message again from what is stored now
    /// and edits the copy when it differs. True when it was edited.
    /// </summary>
    public async Task<bool> SettleAsync(PostedCopy copy, BotReply shown, CancellationToken cancellationToken)
    {
        var index = await directory.FindChannelAsync(new ChannelRef(copy.Platform, copy.ChannelId), cancellationToken).ConfigureAwait(false);
        if (index is null) return false;
        var group = await directory.GetGroupCachedAsync(index.GroupId, cancellationToken).ConfigureAwait(false);
        if (group is null || group.MainChannels.Count() < 2) return false;
        var views = await RenderAsync(group, forErasure: false, cancellationToken).ConfigureAwait(false);
        var view = views.Views.Values.FirstOrDefault(v => v.Posted.Copies.Contains(copy));
        if (view is null || view.SameContentAs(new PostedView(view.Posted, shown))) return false;
        await outbound.UpdateAsync(new PostedMessage([copy]), view.Reply, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("A {Platform} copy in group {GroupId} was behind after a click and was brought up to date.", copy.Platform, group.Id);
        return true;
    }

    private async Task<AgendaDocument> AddAgendaAsync(Dictionary<string, PostedView> views, GroupDocument group, CancellationToken cancellationToken)
    {
        var agenda = await agendaBook.ReadAsync(group, cancellationToken).ConfigureAwait(false);
        // Every copy, also in a channel unlinked since: the name should not stay there either.
        if (agenda.Posted is { Copies.Count: > 0 } posted)
            Add(views, $"agenda/{agenda.OccurrenceId}", posted, await agendaMessage.RenderAsync(group, agenda, clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false));
        return agenda;
    }

    private async Task AddPollsAsync(Dictionary<string, PostedView> views, GroupDocument group, AgendaDocument agenda, bool forErasure, CancellationToken cancellationToken)
    {
        foreach (var poll in await polls.ListAsync(group.Id, cancellationToken).ConfigureAwait(false))
        {
            if (poll.Phase != PollPhase.Closed)
            {
                // An anonymous poll's card names nobody, and a count that dropped at this moment would show how the
                // erasing member voted: it is counted again at the next vote or at the close.
                if (poll.Anonymous && forErasure) continue;
                Add(views, $"poll/{poll.Id}/card", poll.Card, PollCard.Open(poll, await pollResults.LiveAsync(group, poll, cancellationToken).ConfigureAwait(false), group.Zone));
                continue;
            }
            if (poll.Result is null) continue; // a close still under way posts its own results
            Add(views, $"poll/{poll.Id}/card", poll.Card, PollCard.Closed(poll, group.Zone));
            // The results say the winner went onto the agenda when it did; the agenda remembers which polls it took from.
            Add(views, $"poll/{poll.Id}/results", poll.ResultsMessage, PollCard.Results(poll, group.Zone, onAgenda: agenda.TookWinnerOf(poll.Id)));
        }
    }

    private static void Add(Dictionary<string, PostedView> views, string key, PostedMessage posted, BotReply reply)
    {
        if (posted.Copies.Count > 0) views[key] = new PostedView(posted, reply);
    }
}
