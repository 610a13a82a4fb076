using Microsoft.Extensions.Logging;
using NodaTime;
using PeerGroupBot.Core.Agenda;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Outbound;
using PeerGroupBot.Core.Scheduling;

using PeerGroupBot.Core.Record;

namespace PeerGroupBot.Core.Polls;

/// <summary>What a close request did: only the request that froze the result posts it.</summary>
public enum CloseOutcome { Closed, AlreadyClosed, NotFound }

/// <summary>What a tie-break click did; a second facilitator clicking later is told the tie is already settled.</summary>
public enum TieOutcome { Settled, NotFound, NoTie, AlreadySettled, NotALeader }

/// <summary>
/// Closes polls (at the deadline through the "poll-close" timer, or when the opener or a facilitator says so),
/// freezes the result, deletes the ballots, posts the results, marks every copy of the card closed and puts the
/// winner on the next session's agenda. Also settles ties when a facilitator picks. Safe to run twice: only the run
/// that stores the result posts it.
/// </summary>
public sealed class PollCloser(
    PollStore store,
    PollResults results,
    GroupDirectory directory,
    IOutbound outbound,
    IAgendaFeed agenda,
    ITimers timers,
    IClock clock,
    IRecord record,
    ILogger<PollCloser> logger) : ITimerHandler
{
    public const string TimerKind = "poll-close";

    public string Kind => TimerKind;

    public static string TimerId(string pollId) => $"poll-{pollId}";

    public static TimerDocument Timer(string groupId, string pollId, Instant due) => new(groupId, TimerId(pollId), TimerKind, due, pollId);

    public async Task HandleAsync(TimerDocument timer, CancellationToken cancellationToken)
    {
        if (timer.Payload is null || !PollStore.IsPollId(timer.Payload)) return;
        var group = await directory.GetGroupAsync(timer.GroupId, cancellationToken).ConfigureAwait(false);
        if (group is null) return;
        var poll = await store.GetAsync(group.Id, timer.Payload, cancellationToken).ConfigureAwait(false);
        // A poll closed by hand, or whose deadline moved, has nothing to do with this timer any more.
        if (poll is null || poll.Phase != PollPhase.Voting || poll.ClosesAt != timer.Due) return;
        var outcome = await CloseAsync(group, poll.Id, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Poll {PollId} of group {GroupId} reached its deadline: {Outcome}.", poll.Id, group.Id, outcome);
    }

    public async Task<CloseOutcome> CloseAsync(GroupDocument group, string pollId, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        // First stop voting, so the count below sees every ballot that will ever count.
        var poll = await store.UpdateAsync(group.Id, pollId, p => p is null || p.Phase == PollPhase.Closed ? null : p with
        {
            Phase = PollPhase.Closed,
            ClosedAt = now,
        }, cancellationToken).ConfigureAwait(false);
        if (poll is null) return CloseOutcome.NotFound;
        if (poll.Result is not null) return CloseOutcome.AlreadyClosed;

        // Then seal the ballot box: a vote that read the poll as open is refused from here on, so the count is final.
        var sealedBox = await store.SealAsync(group.Id, pollId, cancellationToken).ConfigureAwait(false);
        var result = results.Final(group, poll, sealedBox);
        var claimed = false;
        var closed = await store.UpdateAsync(group.Id, pollId, p =>
        {
            claimed = p is not null && p.Result is null;
            return claimed ? p! with { Result = result, Phase = PollPhase.Closed, ClosedAt = p.ClosedAt ?? now } : null;
        }, cancellationToken).ConfigureAwait(false);
        if (!claimed || closed is null) return CloseOutcome.AlreadyClosed;

        await store.DeleteBallotsAsync(group.Id, pollId, cancellationToken).ConfigureAwait(false);
        await timers.CancelAsync(group.Id, TimerId(pollId), cancellationToken).ConfigureAwait(false);
        await timers.CancelAsync(group.Id, PollNudger.TimerId(pollId), cancellationToken).ConfigureAwait(false);

        var onAgenda = await AddToAgendaAsync(group, closed, result.Winners(), cancellationToken).ConfigureAwait(false);
        var posted = await outbound.PostToGroupAsync(group, PollCard.Results(closed, group.Zone, onAgenda), cancellationToken).ConfigureAwait(false);
        closed = await store.UpdateAsync(group.Id, pollId, p => p is null ? null : p with { ResultsMessage = posted }, cancellationToken).ConfigureAwait(false) ?? closed;
        await outbound.UpdateAsync(closed.Card, PollCard.Closed(closed, group.Zone), cancellationToken).ConfigureAwait(false);
        await record.PollClosedAsync(group, closed, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Poll {PollId} of group {GroupId} closed.", pollId, group.Id);
        return CloseOutcome.Closed;
    }

    /// <summary>
    /// A facilitator settles a tie: <paramref name="choice"/> is one of the tied options, or null to keep them all.
    /// The decision and who made it are shown to everyone.
    /// </summary>
    public async Task<(TieOutcome Outcome, PollDocument? Poll)> SettleTieAsync(GroupDocument group, string pollId, int? choice, string facilitatorName, CancellationToken cancellationToken)
    {
        var outcome = TieOutcome.NotFound;
        var poll = await store.UpdateAsync(group.Id, pollId, p =>
        {
            outcome = p?.Result switch
            {
                null => p is null ? TieOutcome.NotFound : TieOutcome.NoTie,
                { CountsHidden: true } => TieOutcome.NoTie,
                var r when !r.IsTie() => TieOutcome.NoTie,
                var r when r.TieSettled() => TieOutcome.AlreadySettled,
                var r when choice is { } c && !r.Leaders.Contains(c) => TieOutcome.NotALeader,
                _ => TieOutcome.Settled,
            };
            if (outcome != TieOutcome.Settled) return null;
            return p! with
            {
                Result = p.Result! with
                {
                    TieBrokenTo = choice is { } picked ? [picked] : [.. p.Result.Leaders],
                    TieBrokenBy = facilitatorName,
                },
            };
        }, cancellationToken).ConfigureAwait(false);
        if (outcome != TieOutcome.Settled || poll is null) return (outcome, poll);

        var winners = poll.Result!.Winners();
        var onAgenda = await AddToAgendaAsync(group, poll, winners, cancellationToken).ConfigureAwait(false);
        await outbound.UpdateAsync(poll.Card, PollCard.Closed(poll, group.Zone), cancellationToken).ConfigureAwait(false);
        var names = PollCard.Join(winners.Select(w => $"**{poll.OptionText(w)}**"));
        await outbound.PostToGroupAsync(group, new Conversation.BotReply
        {
            Text = $"{facilitatorName} settled the tie in poll #{poll.Id}: {names}"
                 + (onAgenda ? $" {(winners.Count == 1 ? "goes" : "go")} onto the agenda for the next session." : "."),
            Tone = Conversation.ReplyTone.Success,
        }, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("A tie in poll {PollId} of group {GroupId} was settled.", pollId, group.Id);
        return (outcome, poll);
    }

    /// <summary>Puts the winners on the next session's agenda; false (and a log line with ids only) when the agenda could not take them.</summary>
    private async Task<bool> AddToAgendaAsync(GroupDocument group, PollDocument poll, IReadOnlyList<int> winners, CancellationToken cancellationToken)
    {
        if (winners.Count == 0) return false;
        try
        {
            foreach (var winner in winners)
                await agenda.AddFromPollAsync(group, poll.OptionText(winner), poll.Id, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("Adding the winner of poll {PollId} of group {GroupId} to the agenda failed: {Error}.", poll.Id, group.Id, ex.GetType().Name);
            return false;
        }
    }
}
