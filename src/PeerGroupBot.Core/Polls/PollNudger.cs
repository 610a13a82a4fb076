using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Members;
using PeerGroupBot.Core.Scheduling;
using PeerGroupBot.Core.Time;

namespace PeerGroupBot.Core.Polls;

/// <summary>
/// Before a topic poll closes, a private nudge to each member of the group who has not voted, once per poll
/// (the "poll-nudge" timer). Who has voted is worked out, not stored: each roster member's ballot key is computed
/// from the same per-poll keyed hash a ballot is saved under, and only its existence is checked. The nudges go
/// through <see cref="INudges"/>, so only members who turned nudges on get one, quiet hours hold it (and drop it
/// if it would arrive after the close), and nothing anywhere else says who has not voted.
/// </summary>
public sealed class PollNudger(
    PollStore store,
    GroupDirectory directory,
    INudges nudges,
    ITimers timers,
    IClock clock,
    IOptions<PollOptions> options,
    ILogger<PollNudger> logger) : ITimerHandler
{
    public const string TimerKind = "poll-nudge";

    public string Kind => TimerKind;

    public static string TimerId(string pollId) => $"poll-nudge-{pollId}";

    /// <summary>
    /// When non-voters are nudged: the configured time before the close, or half-way through the vote when the vote
    /// is shorter than twice that; null when nudging is off.
    /// </summary>
    public Instant? NudgeTime(Instant votingFrom, Instant closesAt)
    {
        var hours = options.Value.NudgeNonVotersHoursBeforeClose;
        if (hours <= 0 || closesAt <= votingFrom) return null;
        var lead = Duration.FromHours(hours);
        var half = (closesAt - votingFrom) / 2;
        return closesAt - (lead < half ? lead : half);
    }

    /// <summary>Schedules the nudge for a poll whose vote has a closing time (called when the vote starts).</summary>
    public async Task ScheduleAsync(string groupId, string pollId, Instant votingFrom, Instant closesAt, CancellationToken cancellationToken)
    {
        if (NudgeTime(votingFrom, closesAt) is { } due)
            await timers.ScheduleAsync(new TimerDocument(groupId, TimerId(pollId), TimerKind, due, pollId), cancellationToken).ConfigureAwait(false);
    }

    public Task CancelAsync(string groupId, string pollId, CancellationToken cancellationToken)
        => timers.CancelAsync(groupId, TimerId(pollId), cancellationToken);

    public async Task HandleAsync(TimerDocument timer, CancellationToken cancellationToken)
    {
        if (timer.Payload is not { } pollId || !PollStore.IsPollId(pollId)) return;
        var group = await directory.GetGroupAsync(timer.GroupId, cancellationToken).ConfigureAwait(false);
        if (group is null) return;
        var now = clock.GetCurrentInstant();

        // Claim the nudge in the poll document, so it goes once even if the timer ran twice.
        var claimed = false;
        var poll = await store.UpdateAsync(group.Id, pollId, p =>
        {
            claimed = p is { Phase: PollPhase.Voting, NonVotersNudgedAt: null, ClosesAt: { } closes } && closes > now;
            return claimed ? p! with { NonVotersNudgedAt = now } : null;
        }, cancellationToken).ConfigureAwait(false);
        if (!claimed || poll?.ClosesAt is not { } closesAt) return;

        var reply = Nudge(group, poll, closesAt);
        var ballots = await store.GetBallotsAsync(group.Id, poll.Id, cancellationToken).ConfigureAwait(false);
        foreach (var member in await directory.ListMembersAsync(group.Id, cancellationToken).ConfigureAwait(false))
        {
            if (ballots.Of(store.VoterKey(group.Id, poll.Id, member.MemberId)) is not null) continue;
            await nudges.SendAsync(group.Id, member.MemberId, reply, NudgeKind.PollNudge, usefulUntil: closesAt, cancellationToken).ConfigureAwait(false);
        }
        logger.LogInformation("Poll {PollId} of group {GroupId} closes soon: members who have not voted and want nudges were nudged privately.", poll.Id, group.Id);
    }

    /// <summary>The nudge: the same words for every member, naming nobody else and no counts.</summary>
    private static BotReply Nudge(GroupDocument group, PollDocument poll, Instant closesAt)
    {
        var text = new StringBuilder();
        text.AppendLine($"**{MarkdownText.Member(poll.Question)}** in **{MarkdownText.Member(group.Name)}** closes **{WhenParser.DescribeShort(closesAt, group.Zone)}{TimeMarks.Of(closesAt)}**, and I don't have a vote from you yet. "
            + "If you'd like a say, the options are:");
        foreach (var option in poll.Options) text.AppendLine($"{option.Id}. {option.Text}");
        text.AppendLine();
        text.Append($"Vote on the poll in the group's channel, or type `poll vote #{poll.Id} <number>` there. Not voting is fine too. "
            + "Only you got this message. If you've voted since, thank you; there's nothing more to do. `me nudges off` stops these.");
        return new BotReply { Title = $"Topic poll #{poll.Id} closes soon", Text = text.ToString(), Visibility = ReplyVisibility.Private };
    }
}
