using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using NodaTime;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Sessions;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Core.Agenda;

/// <summary>
/// Reads and changes a group's agenda, always for the right session. Every read first lines the stored agenda up
/// with the calendar: when its session has ended, unfinished items move to the next session marked "carried over"
/// (done ones leave); when the schedule changed before the session began, the items simply follow the new date.
/// So carry-over needs no timer: it happens the first time anyone (a member, a reminder, a poll) looks.
/// </summary>
public sealed class AgendaBook(Documents documents, ISessionCalendar calendar, IClock clock, ILogger<AgendaBook> logger)
{
    /// <summary>How many poll ids are remembered so a winner is added once.</summary>
    public const int RememberedPolls = 100;

    /// <summary>How long this instance changes an agenda from its own copy before reading it again (<see cref="DocumentCopies{T}"/>).</summary>
    public static readonly Duration AgendaCopyTtl = Duration.FromSeconds(30);

    private readonly DocumentCopies<AgendaDocument> _agendas = new(documents, clock, AgendaCopyTtl);

    /// <summary>The group's agenda for its current session, carried over first if that session has ended.</summary>
    public async Task<AgendaDocument> ReadAsync(GroupDocument group, CancellationToken cancellationToken)
        => (await ChangeAsync(group, _ => null, cancellationToken).ConfigureAwait(false)).Agenda;

    /// <summary>
    /// Applies <paramref name="change"/> to the current agenda (after carrying over). The change may run more than once
    /// on fresh reads, so it must only compute; it returns null to change nothing. Returns the agenda as stored after.
    /// </summary>
    public async Task<(AgendaDocument Agenda, bool Changed)> ChangeAsync(GroupDocument group, Func<AgendaDocument, AgendaDocument?> change, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var next = await calendar.GetNextAsync(group, now, cancellationToken).ConfigureAwait(false);
        AgendaDocument result = null!;
        var changed = false;
        var carried = -1;
        // From this instance's copy when it has a current one: adding an item is then one conditional write.
        await _agendas.UpdateAsync(AgendaDocument.KeyFor(group.Id), current =>
        {
            carried = -1;
            var aligned = current is null ? Fresh(next) : Align(current, next, now, out carried);
            var updated = change(aligned);
            changed = updated is not null;
            result = updated ?? aligned;
            return updated ?? (current is not null && !ReferenceEquals(aligned, current) ? aligned : null);
        }, Documents.MaxAttempts, cancellationToken).ConfigureAwait(false);
        if (carried >= 0)
            logger.LogInformation("The agenda of group {GroupId} moved on to session {OccurrenceId} with {Count} item(s) carried over.", group.Id, result.OccurrenceId, carried);
        return (result, changed);
    }

    /// <summary>
    /// Starts the undated group's next session by hand (a group with no schedule never sees a session end):
    /// done items leave and the rest carry over. Returns how many carried over, or null when the group has a schedule.
    /// </summary>
    public async Task<int?> CloseUndatedAsync(GroupDocument group, CancellationToken cancellationToken)
    {
        int? carried = null;
        await ChangeAsync(group, agenda =>
        {
            carried = null;
            if (agenda.OccurrenceStart is not null) return null;
            var next = CarryOver(agenda, SessionOccurrence.Undated);
            carried = next.Items.Count;
            return next;
        }, cancellationToken).ConfigureAwait(false);
        return carried;
    }

    /// <summary>A random item id: never a counter, which would tell the order items arrived in.</summary>
    public static string NewItemId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));

    internal static AgendaDocument Fresh(SessionOccurrence occurrence) => new()
    {
        OccurrenceId = occurrence.Id,
        OccurrenceStart = occurrence.Start,
        OccurrenceLength = occurrence.Length,
    };

    /// <summary>Lines the agenda up with the calendar's next session. Returns <paramref name="agenda"/> itself when nothing changes.</summary>
    internal static AgendaDocument Align(AgendaDocument agenda, SessionOccurrence next, Instant now, out int carried)
    {
        carried = -1;
        if (agenda.OccurrenceId == next.Id)
        {
            return agenda.OccurrenceStart == next.Start && agenda.OccurrenceLength == next.Length
                ? agenda
                : agenda with { OccurrenceStart = next.Start, OccurrenceLength = next.Length };
        }
        if (agenda.OccurrenceStart is { } start)
        {
            if (start + agenda.OccurrenceLength <= now)
            {
                var moved = CarryOver(agenda, next);
                carried = moved.Items.Count;
                return moved;
            }
            if (start <= now) return agenda; // the session is running: its agenda stays until it ends
        }
        // Not begun yet (or undated) but the calendar now names another session: the schedule changed, so follow it.
        return agenda with { OccurrenceId = next.Id, OccurrenceStart = next.Start, OccurrenceLength = next.Length };
    }

    private static AgendaDocument CarryOver(AgendaDocument agenda, SessionOccurrence next) => Fresh(next) with
    {
        Items = [.. agenda.Items.Where(i => !i.Done).Select(i => i with { CarriedOver = true })],
        PollIds = agenda.PollIds,
    };
}
