using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Members;
using PeerGroupBot.Core.Outbound;
using PeerGroupBot.Core.Polls;
using PeerGroupBot.Core.Record;
using PeerGroupBot.Core.Rota;
using PeerGroupBot.Core.Scheduling;
using PeerGroupBot.Core.Sessions;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Core.Checkouts;

/// <summary>What <see cref="CheckoutOpener.OpenAsync"/> did.</summary>
public sealed record CheckoutOpened(bool Opened, int Invited, string Why = "");

/// <summary>
/// When a session ends (its scheduled end, or a facilitator's <c>session end</c>) the check-out opens: each member who
/// said Going or held a rota role gets one private invitation (through <see cref="INudges"/>, so quiet hours and
/// <c>me nudges off</c> apply). A facilitator's <c>session end</c> also posts a button in the group channel for anyone
/// who came without saying so (a scheduled end posts nothing, like the other timers' quiet work). It closes after
/// <see cref="CheckoutOptions.OpenHours"/>: the list of who answered is emptied and the counts go on the record.
/// One timer kind ("checkout") carries three jobs in its payload: "open|{session id}" (the chain, always set to the
/// next session's end), "close|{key}" and "purge|{key}" (the comments' time is up).
/// </summary>
public sealed class CheckoutOpener(
    CheckoutBoxes boxes,
    SessionCalendar calendar,
    GroupDirectory directory,
    Documents documents,
    IRotaLookup rota,
    INudges nudges,
    IOutbound outbound,
    ITimers timers,
    IRecord record,
    IOptions<CheckoutOptions> options,
    IOptions<PollOptions> pollOptions,
    IClock clock,
    ILogger<CheckoutOpener> logger) : ITimerHandler, IMissedTimerHandler
{
    public const string TimerKind = "checkout";
    public const string ChainTimerId = "checkout-open";

    /// <summary>How far back a session counts as "the one that just ended" for <c>session end</c>.</summary>
    public static readonly Duration EndWindow = Duration.FromHours(12);

    public string Kind => TimerKind;

    public CheckoutOptions Options => options.Value;

    /// <summary>The group's k: answers are shown only once this many members answered (the anonymous polls' setting).</summary>
    public int MinAnswers(GroupDocument group) => group.MinVotersBeforeResults ?? pollOptions.Value.MinVotersBeforeResults;

    /// <summary>Points the group's check-out timer at the end of the next session that has not ended by <paramref name="after"/>, or removes it.</summary>
    public async Task RescheduleAsync(GroupDocument group, SessionSchedule schedule, Instant after, CancellationToken cancellationToken)
    {
        var next = SessionRecurrence.Upcoming(schedule, group.Zone, after - Duration.FromDays(2)).Take(50).FirstOrDefault(s => s.End > after);
        if (next is null)
            await timers.CancelAsync(group.Id, ChainTimerId, cancellationToken).ConfigureAwait(false);
        else
            await timers.ScheduleAsync(new TimerDocument(group.Id, ChainTimerId, TimerKind, next.End, "open|" + next.Id), cancellationToken).ConfigureAwait(false);
    }

    public async Task HandleAsync(TimerDocument timer, CancellationToken cancellationToken)
    {
        var (job, argument) = Split(timer.Payload);
        var group = await directory.GetGroupAsync(timer.GroupId, cancellationToken).ConfigureAwait(false);
        if (group is null) return;
        switch (job)
        {
            case "open":
            {
                var schedule = await calendar.GetScheduleAsync(group.Id, cancellationToken).ConfigureAwait(false);
                await RescheduleAsync(group, schedule, timer.Due, cancellationToken).ConfigureAwait(false);
                var session = Ended(schedule, group.Zone, argument);
                if (session is { Cancelled: false } && session.End == timer.Due)
                    await OpenAsync(group, session.Id, session.Start, postInChannel: false, cancellationToken).ConfigureAwait(false);
                break;
            }
            case "close":
                await CloseAsync(group, argument, cancellationToken).ConfigureAwait(false);
                break;
            case "purge":
                await boxes.DeleteAsync(group.Id, argument, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>A missed opening is skipped (the chain goes on from now); a missed close or purge still runs.</summary>
    public async Task MissedAsync(TimerDocument timer, CancellationToken cancellationToken)
    {
        if (Split(timer.Payload).Job != "open")
        {
            await HandleAsync(timer, cancellationToken).ConfigureAwait(false);
            return;
        }
        var group = await directory.GetGroupAsync(timer.GroupId, cancellationToken).ConfigureAwait(false);
        if (group is null) return;
        var schedule = await calendar.GetScheduleAsync(group.Id, cancellationToken).ConfigureAwait(false);
        await RescheduleAsync(group, schedule, clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>session end</c>: the session that started most recently (within <see cref="EndWindow"/>) ends now; in a group
    /// without a schedule, a session that is ending now, named by today's date and time.
    /// </summary>
    public async Task<CheckoutOpened> EndNowAsync(GroupDocument group, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var schedule = await calendar.GetScheduleAsync(group.Id, cancellationToken).ConfigureAwait(false);
        var running = SessionRecurrence.Upcoming(schedule, group.Zone, now - EndWindow).TakeWhile(s => s.Start <= now).LastOrDefault();
        if (running is not null) return await OpenAsync(group, running.Id, running.Start, postInChannel: true, cancellationToken).ConfigureAwait(false);
        var local = now.InZone(group.Zone).LocalDateTime;
        var minute = local.Date.At(new LocalTime(local.Hour, local.Minute));
        return await OpenAsync(group, OccurrenceIds.Of(minute), now, postInChannel: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens the check-out of one session, once: a second call for the same session does nothing.</summary>
    public async Task<CheckoutOpened> OpenAsync(GroupDocument group, string sessionId, Instant sessionStart, bool postInChannel, CancellationToken cancellationToken)
    {
        var settings = await boxes.SettingsAsync(group.Id, cancellationToken).ConfigureAwait(false);
        if (!settings.Enabled) return new CheckoutOpened(false, 0, "off");
        var now = clock.GetCurrentInstant();
        var key = OccurrenceIds.ToKey(sessionId);
        var title = OccurrenceIds.TryParse(sessionId, out var local) ? RotaSession.At(local).Label : sessionId;
        var questions = settings.EffectiveQuestions.ToList();
        var box = new CheckoutBox
        {
            SessionId = sessionId,
            Title = title,
            SessionStart = sessionStart,
            ClosesAt = now + Duration.FromHours(Options.OpenHours),
            Questions = questions,
            Counts = [.. questions.Select(_ => new List<int> { 0, 0, 0, 0, 0 })],
        };
        if (!await boxes.CreateAsync(group.Id, key, box, cancellationToken).ConfigureAwait(false))
            return new CheckoutOpened(false, 0, "already");
        await timers.ScheduleAsync(new TimerDocument(group.Id, $"checkout-close-{key}", TimerKind, box.ClosesAt, "close|" + key), cancellationToken).ConfigureAwait(false);

        var k = MinAnswers(group);
        if (postInChannel) await outbound.PostToGroupAsync(group, CheckoutCards.ChannelInvite(group, box, k), cancellationToken).ConfigureAwait(false);
        var invited = 0;
        foreach (var memberId in await TookPartAsync(group, sessionId, cancellationToken).ConfigureAwait(false))
        {
            var sent = await nudges.SendAsync(group.Id, memberId, CheckoutCards.PrivateInvite(group, box, key, k), NudgeKind.Checkout, box.ClosesAt, cancellationToken).ConfigureAwait(false);
            if (sent.Outcome is NudgeOutcome.Sent or NudgeOutcome.Held) invited++;
        }
        logger.LogInformation("Opened the check-out of a session of group {GroupId}: {Invited} private invitation(s).", group.Id, invited);
        return new CheckoutOpened(true, invited);
    }

    /// <summary>Closes a check-out: the record gets its counts (nothing below k), and the comments are kept for facilitators for a while.</summary>
    public async Task CloseAsync(GroupDocument group, string key, CancellationToken cancellationToken)
    {
        var closed = await boxes.CloseAsync(group.Id, key, cancellationToken).ConfigureAwait(false);
        if (closed is null) return;
        await record.CheckoutClosedAsync(group, closed, MinAnswers(group), cancellationToken).ConfigureAwait(false);
        await timers.ScheduleAsync(new TimerDocument(group.Id, $"checkout-purge-{key}", TimerKind,
            clock.GetCurrentInstant() + Duration.FromDays(Options.KeepCommentsDays), "purge|" + key), cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Closed a check-out of group {GroupId}.", group.Id);
    }

    /// <summary>Members who said Going or held a role in the session, once each.</summary>
    private async Task<IReadOnlyList<string>> TookPartAsync(GroupDocument group, string sessionId, CancellationToken cancellationToken)
    {
        var members = new List<string>();
        var occurrence = await documents.GetValueAsync<SessionOccurrenceDocument>(SessionOccurrenceDocument.KeyFor(group.Id, sessionId), cancellationToken).ConfigureAwait(false);
        var going = occurrence?.Rsvps.Where(r => r.Value == RsvpChoice.Going).Select(r => r.Key).ToHashSet(StringComparer.Ordinal) ?? [];
        if (going.Count > 0)
        {
            foreach (var member in await directory.ListMembersAsync(group.Id, cancellationToken).ConfigureAwait(false))
                if (going.Contains(directory.MemberKey(member.MemberId))) members.Add(member.MemberId);
        }
        foreach (var holder in await rota.GetHoldersAsync(group, sessionId, cancellationToken).ConfigureAwait(false))
            members.Add(holder.MemberId);
        return [.. members.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The planned session with this id, found even after it has ended.</summary>
    private static Sessions.PlannedSession? Ended(SessionSchedule schedule, DateTimeZone zone, string sessionId)
    {
        if (!OccurrenceIds.TryParse(sessionId, out var local)) return null;
        var start = SessionRecurrence.ToInstant(local, zone);
        return SessionRecurrence.After(schedule, zone, start - Duration.FromMinutes(1)).TakeWhile(s => s.Start <= start).FirstOrDefault(s => s.Id == sessionId);
    }

    private static (string Job, string Argument) Split(string? payload)
    {
        var bar = payload?.IndexOf('|') ?? -1;
        return bar < 0 ? ("", "") : (payload![..bar], payload[(bar + 1)..]);
    }

    /// <summary>The session a check-out is for, as a member reads it: "Tue 3 Nov, 18:30 GMT" (the stored title keeps no zone).</summary>
    internal static string Name(CheckoutBox box, GroupDocument group) => RotaSession.Zoned(box.Title, box.SessionStart, group.Zone);

    internal static string When(Instant at, GroupDocument group)
        => at.InZone(group.Zone).ToString("dddd d MMMM 'at' HH:mm", CultureInfo.GetCultureInfo("en-GB")) + " " + PeerGroupBot.Core.Time.WhenParser.Abbreviation(at.InZone(group.Zone));
}
