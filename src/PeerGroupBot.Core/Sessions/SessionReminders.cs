using Microsoft.Extensions.Logging;
using NodaTime;
using PeerGroupBot.Core.Agenda;
using PeerGroupBot.Core.Checkouts;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Members;
using PeerGroupBot.Core.Outbound;
using PeerGroupBot.Core.Polls;
using PeerGroupBot.Core.Rota;
using PeerGroupBot.Core.Scheduling;
using PeerGroupBot.Core.State;

using PeerGroupBot.Core.Record;

namespace PeerGroupBot.Core.Sessions;

/// <summary>
/// Session reminders as a chain of one timer per group ("session-reminder"): it is always set to the next reminder
/// due, derived from the stored schedule. When it fires it schedules the following one first, then posts the card
/// for every reminder due at that moment and nudges the rota holders privately. Any schedule change simply
/// recomputes the chain, so nothing about reminders lives only in memory.
/// </summary>
public sealed class SessionReminders(
    SessionCalendar calendar,
    GroupDirectory directory,
    Documents documents,
    ITimers timers,
    IOutbound outbound,
    IAgendaFeed agenda,
    IRotaLookup rota,
    IPollLookup polls,
    INudges nudges,
    IRecord record,
    CheckoutOpener checkouts,
    ISessionEvents events,
    IClock clock,
    ILogger<SessionReminders> logger) : ITimerHandler, IMissedTimerHandler
{
    public const string TimerKind = "session-reminder";
    public const string TimerId = "session-reminder";

    /// <summary>Cards kept per occurrence for RSVP refreshes; older ones are left as they are.</summary>
    private const int MaxCards = 6;

    /// <summary>Occurrence documents (RSVPs, cards) are removed this long after the session.</summary>
    private static readonly Duration OccurrenceRetention = Duration.FromDays(14);

    public string Kind => TimerKind;

    /// <summary>
    /// Points the group's reminder timer at the first reminder due after <paramref name="after"/>, or removes it; the
    /// check-out timer (the next session's end) follows the schedule the same way, and the platforms' own event calendars
    /// (Discord's Events tab) are brought in line with it.
    /// </summary>
    public async Task RescheduleAsync(GroupDocument group, SessionSchedule schedule, Instant after, CancellationToken cancellationToken)
    {
        var next = SessionRecurrence.RemindersAfter(schedule, group.Zone, after).FirstOrDefault();
        if (next is null)
            await timers.CancelAsync(group.Id, TimerId, cancellationToken).ConfigureAwait(false);
        else
            await timers.ScheduleAsync(new TimerDocument(group.Id, TimerId, TimerKind, next.Due, next.Session.Id), cancellationToken).ConfigureAwait(false);
        await checkouts.RescheduleAsync(group, schedule, after, cancellationToken).ConfigureAwait(false);
        await events.SyncAsync(group, schedule, after, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A session's RSVPs, with the platform's "Interested" count refreshed (and stored, so RSVP clicks show it too) when
    /// it changed. When the platform cannot say, the last count read stays.
    /// </summary>
    public async Task<SessionOccurrenceDocument?> RsvpsAsync(GroupDocument group, string occurrenceId, CancellationToken cancellationToken)
    {
        var key = SessionOccurrenceDocument.KeyFor(group.Id, occurrenceId);
        var rsvps = await documents.GetValueAsync<SessionOccurrenceDocument>(key, cancellationToken).ConfigureAwait(false);
        var interested = await events.InterestedAsync(group, occurrenceId, cancellationToken).ConfigureAwait(false);
        if (interested is null || interested == rsvps?.Interested) return rsvps;
        return await documents.UpdateAsync<SessionOccurrenceDocument>(key, current =>
        {
            var doc = current ?? new SessionOccurrenceDocument { OccurrenceId = occurrenceId };
            return doc.Interested == interested ? null : doc with { Interested = interested };
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task HandleAsync(TimerDocument timer, CancellationToken cancellationToken)
    {
        var group = await directory.GetGroupAsync(timer.GroupId, cancellationToken).ConfigureAwait(false);
        if (group is null) return;
        var schedule = await calendar.GetScheduleAsync(group.Id, cancellationToken).ConfigureAwait(false);
        var due = SessionRecurrence.RemindersAfter(schedule, group.Zone, timer.Due - Duration.FromMinutes(1))
            .Where(r => r.Due == timer.Due).ToList();

        // The next link of the chain first, so a failure while posting cannot stop later reminders.
        await RescheduleAsync(group, schedule, timer.Due, cancellationToken).ConfigureAwait(false);

        var largestOffset = schedule.ReminderMinutes.DefaultIfEmpty(0).Max();
        foreach (var reminder in due)
            await PostAsync(group, reminder, nudgeRota: reminder.OffsetMinutes == largestOffset, cancellationToken).ConfigureAwait(false);
        // The last reminder before a session marks it as held in the record (a later cancel replaces that).
        foreach (var reminder in due.Where(r => r.OffsetMinutes == schedule.ReminderMinutes.DefaultIfEmpty(0).Min()))
            await record.SessionAsync(group, reminder.Session, cancellationToken).ConfigureAwait(false);
        await PurgeOldOccurrencesAsync(group, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A reminder missed for longer than the grace window is not posted, but the chain goes on from now.</summary>
    public async Task MissedAsync(TimerDocument timer, CancellationToken cancellationToken)
    {
        var group = await directory.GetGroupAsync(timer.GroupId, cancellationToken).ConfigureAwait(false);
        if (group is null) return;
        var schedule = await calendar.GetScheduleAsync(group.Id, cancellationToken).ConfigureAwait(false);
        await RescheduleAsync(group, schedule, clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The card content for a session as of now: agenda, rota, polls closing before it starts.</summary>
    public async Task<(string Body, IReadOnlyList<RotaHolder> Holders)> BodyAsync(GroupDocument group, PlannedSession session, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var lines = await agenda.GetLinesAsync(group, session.Id, cancellationToken).ConfigureAwait(false);
        var holders = await rota.GetHoldersAsync(group, session.Id, cancellationToken).ConfigureAwait(false);
        var open = await polls.GetOpenPollsAsync(group, cancellationToken).ConfigureAwait(false);
        var closing = open.Where(p => p.ClosesAt is { } closes && closes > now && closes <= session.Start).OrderBy(p => p.ClosesAt).ToList();
        return (SessionCards.Body(group, session, lines, holders, closing), holders);
    }

    private async Task PostAsync(GroupDocument group, DueReminder reminder, bool nudgeRota, CancellationToken cancellationToken)
    {
        var session = reminder.Session;
        var key = SessionOccurrenceDocument.KeyFor(group.Id, session.Id);
        var (body, holders) = await BodyAsync(group, session, cancellationToken).ConfigureAwait(false);
        var title = SessionCards.ReminderTitle(group, session, clock.GetCurrentInstant());
        var rsvps = await RsvpsAsync(group, session.Id, cancellationToken).ConfigureAwait(false);
        var posted = await outbound.PostToGroupAsync(group, SessionCards.Card(title, body, rsvps, session.Id, group.Id), cancellationToken).ConfigureAwait(false);
        await documents.UpdateAsync<SessionOccurrenceDocument>(key, current =>
        {
            var doc = current ?? new SessionOccurrenceDocument { OccurrenceId = session.Id };
            return doc with { Cards = [.. doc.Cards.TakeLast(MaxCards - 1), new ReminderCard(reminder.OffsetMinutes, title, body, posted)] };
        }, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Posted the {Offset}-minute reminder for a session of group {GroupId} to {Copies} channel(s).",
            reminder.OffsetMinutes, group.Id, posted.Copies.Count);

        if (!nudgeRota) return;
        foreach (var holder in holders.GroupBy(h => h.MemberId))
        {
            var roles = string.Join(" and ", holder.Select(h => h.Role));
            var nudge = new BotReply
            {
                Title = $"You're on the rota: {group.Name}",
                Text = $"Thank you for taking a turn! You're down as **{roles}** for the session on {SessionText.When(session, group.Zone)} ({group.TimeZone} time)"
                     + (string.IsNullOrWhiteSpace(session.Place) ? "." : $", at {session.Place}.")
                     + "\n\nIf you can't make it, say so in the group with `rota` so someone can swap. `me nudges off` stops these messages.",
                Visibility = ReplyVisibility.Private,
            };
            await nudges.SendAsync(group.Id, holder.Key, nudge, NudgeKind.RotaReminder, urgent: false, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PurgeOldOccurrencesAsync(GroupDocument group, CancellationToken cancellationToken)
    {
        var cutoff = clock.GetCurrentInstant() - OccurrenceRetention;
        var prefix = SessionOccurrenceDocument.Prefix(group.Id);
        var old = new List<string>();
        await foreach (var key in documents.Store.ListKeysAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            if (OccurrenceIds.TryParse(key[prefix.Length..], out var local) && SessionRecurrence.ToInstant(local, group.Zone) < cutoff)
                old.Add(key);
        }
        foreach (var key in old)
            await documents.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
    }
}
