using Microsoft.Extensions.Options;
using NodaTime;
using PeerGroupBot.Core.Agenda;
using PeerGroupBot.Core.Checkouts;
using PeerGroupBot.Core.Concerns;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Polls;
using PeerGroupBot.Core.Rota;
using PeerGroupBot.Core.Sessions;

namespace PeerGroupBot.Core.Record;

/// <summary>
/// <see cref="IRecord"/>: turns each feature's decision into one <see cref="RecordEntry"/> in the
/// <see cref="DecisionLog"/>. Only counts, questions, results, roles and published outcomes are kept.
/// </summary>
public sealed class RecordKeeper(
    DecisionLog decisions,
    RecordRetention retention,
    GroupDirectory directory,
    IRotaLookup rotaLookup,
    IOptions<ConcernsOptions> concernOptions,
    IClock clock) : IRecord
{
    /// <summary>Appends to the log and makes sure the group's retention chain is running.</summary>
    private async Task AppendAsync(string groupId, RecordEntry entry, CancellationToken cancellationToken)
    {
        await decisions.AppendAsync(groupId, entry, cancellationToken).ConfigureAwait(false);
        await retention.EnsureScheduledAsync(groupId, cancellationToken).ConfigureAwait(false);
    }

    public async Task PollClosedAsync(GroupDocument group, PollDocument poll, CancellationToken cancellationToken)
    {
        if (poll.Result is not { } result) return;
        var roster = await directory.ListMembersAsync(group.Id, cancellationToken).ConfigureAwait(false);
        var winners = result.Winners();
        var outcome = result.Voters == 0 ? "no votes"
            : winners.Count > 0 ? "chosen: " + string.Join(" and ", winners.Select(poll.OptionText))
            : "a tie between " + string.Join(" and ", result.Leaders.Select(poll.OptionText));
        await AppendAsync(group.Id, new RecordEntry
        {
            Id = $"poll-{poll.Id}",
            Kind = RecordKind.Poll,
            At = poll.ClosedAt ?? clock.GetCurrentInstant(),
            Title = poll.Question,
            Outcome = outcome,
            Voters = result.Voters,
            Eligible = Math.Max(roster.Count, result.Voters),
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task AgendaPostedAsync(GroupDocument group, AgendaDocument agenda, CancellationToken cancellationToken)
    {
        var roster = await directory.ListMembersAsync(group.Id, cancellationToken).ConfigureAwait(false);
        var facilitators = group.Facilitators.Select(f => directory.MemberKey(f.MemberId))
            .Concat(roster.Where(m => m.PlatformFacilitator).Select(m => directory.MemberKey(m.MemberId)))
            .ToHashSet(StringComparer.Ordinal);
        var byFacilitators = agenda.Items.Count(i => i.Source == AgendaItemSource.Member && i.AuthorKey is { } key && facilitators.Contains(key));
        var fromPolls = agenda.Items.Count(i => i.Source == AgendaItemSource.Poll);
        await AppendAsync(group.Id, new RecordEntry
        {
            Id = $"agenda-{agenda.OccurrenceId}",
            Kind = RecordKind.Agenda,
            At = agenda.OccurrenceStart ?? clock.GetCurrentInstant(),
            Title = agenda.OccurrenceStart is { } start ? RotaSession.At(start.InZone(group.Zone).LocalDateTime).Label : "the next session",
            Outcome = string.Join("; ", agenda.Items.Select(i => i.Text)),
            MemberItems = agenda.Items.Count - byFacilitators - fromPolls,
            FacilitatorItems = byFacilitators,
            PollItems = fromPolls,
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task RotaAssignedAsync(GroupDocument group, RotaDocument rota, IEnumerable<string> sessionIds, CancellationToken cancellationToken)
    {
        foreach (var id in sessionIds.Distinct())
        {
            if (rota.Find(id) is not { } entry) continue;
            await AppendAsync(group.Id, new RecordEntry
            {
                Id = $"rota-{entry.Session.Id}",
                Kind = RecordKind.Rota,
                At = entry.Session.StartIn(group.Zone),
                Title = entry.Session.Label,
                Holders = [.. entry.Slots.Where(s => s.MemberId is not null)
                    .Select(s => new RecordHolder(s.Role, rota.NameOf(s.MemberId!), decisions.HolderKey(group.Id, s.MemberId!)))],
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task ConcernResolvedAsync(GroupDocument group, ConcernDocument concern, CancellationToken cancellationToken)
    {
        var options = concernOptions.Value;
        var target = concern.Urgent ? Duration.FromMinutes(options.UrgentAcknowledgeWithinMinutes) : Duration.FromHours(options.AcknowledgeWithinHours);
        // Resolving without a separate acknowledgement counts as acknowledging at that moment.
        var acknowledged = concern.AcknowledgedAt ?? concern.ResolvedAt;
        bool? inTime = concern.PostedAt is { } posted && acknowledged is { } ack ? ack - posted <= target : null;
        return AppendAsync(group.Id, new RecordEntry
        {
            Id = $"concern-{concern.Number}",
            Kind = RecordKind.Concern,
            At = concern.ResolvedAt ?? clock.GetCurrentInstant(),
            Title = $"Concern #{concern.Number}",
            Category = concern.Category,
            AcknowledgedInTime = inTime,
        }, cancellationToken);
    }

    /// <summary>
    /// A held session also re-records who held the rota then (so swaps and changes since the rota was made count as
    /// they happened); a cancelled one loses its rota entry, since nobody led it.
    /// </summary>
    public async Task SessionAsync(GroupDocument group, Sessions.PlannedSession session, CancellationToken cancellationToken)
    {
        await AppendAsync(group.Id, new RecordEntry
        {
            Id = $"session-{session.Id}",
            Kind = RecordKind.Session,
            At = session.Start,
            Title = RotaSession.At(session.LocalStart).Label,
            Held = !session.Cancelled,
            Outcome = session.Cancelled ? (session.CancelledReason is { Length: > 0 } why ? "cancelled: " + why : "cancelled") : "held",
        }, cancellationToken).ConfigureAwait(false);

        // A rota made for dates without times is recorded under the date; the session's own entry replaces it.
        var rotaId = $"rota-{RotaSession.At(session.LocalStart).Id}";
        await decisions.RemoveEntryAsync(group.Id, $"rota-{RotaSession.OnDate(session.LocalStart.Date).Id}", cancellationToken).ConfigureAwait(false);
        if (session.Cancelled)
        {
            await decisions.RemoveEntryAsync(group.Id, rotaId, cancellationToken).ConfigureAwait(false);
            return;
        }
        var holders = await rotaLookup.GetHoldersAsync(group, session.Id, cancellationToken).ConfigureAwait(false);
        if (holders.Count == 0) return;
        await AppendAsync(group.Id, new RecordEntry
        {
            Id = rotaId,
            Kind = RecordKind.Rota,
            At = session.Start,
            Title = RotaSession.At(session.LocalStart).Label,
            Holders = [.. holders.Select(h => new RecordHolder(h.Role, h.DisplayName, decisions.HolderKey(group.Id, h.MemberId)))],
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Below k answers only the number is kept; a question answered by fewer than k keeps no counts either. A check-out
    /// nobody answered leaves no entry.
    /// </summary>
    public Task CheckoutClosedAsync(GroupDocument group, CheckoutBox checkout, int minAnswers, CancellationToken cancellationToken)
        => checkout.Answers == 0 ? Task.CompletedTask : AppendAsync(group.Id, new RecordEntry
        {
            Id = $"checkout-{checkout.SessionId}",
            Kind = RecordKind.Checkout,
            At = checkout.SessionStart,
            Title = checkout.Title,
            Answered = checkout.Answers,
            Scores = checkout.Answers < minAnswers ? [] :
                [.. checkout.Questions.Select((q, i) => new CheckoutScores(q, i < checkout.Counts.Count ? [.. checkout.Counts[i]] : [0, 0, 0, 0, 0]))
                    .Where(s => s.Answers >= minAnswers)],
        }, cancellationToken);
}
