using PeerGroupBot.Core.Agenda;
using PeerGroupBot.Core.Checkouts;
using PeerGroupBot.Core.Concerns;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Polls;
using PeerGroupBot.Core.Rota;
using PeerGroupBot.Core.Sessions;

namespace PeerGroupBot.Core.Record;

/// <summary>
/// What features tell the co-production record: one call per decision, made where the decision happens, so each
/// hook is a single line and the record decides what to keep (counts and outcomes, never a concern's text).
/// </summary>
public interface IRecord
{
    /// <summary>A topic poll closed: its question, result and turnout.</summary>
    Task PollClosedAsync(GroupDocument group, PollDocument poll, CancellationToken cancellationToken);

    /// <summary>An agenda was posted: how many items members, facilitators and polls proposed.</summary>
    Task AgendaPostedAsync(GroupDocument group, AgendaDocument agenda, CancellationToken cancellationToken);

    /// <summary>The rota was filled for these sessions: who holds each role.</summary>
    Task RotaAssignedAsync(GroupDocument group, RotaDocument rota, IEnumerable<string> sessionIds, CancellationToken cancellationToken);

    /// <summary>A concern was resolved: its category and whether it was acknowledged in time.</summary>
    Task ConcernResolvedAsync(GroupDocument group, ConcernDocument concern, CancellationToken cancellationToken);

    /// <summary>A session took place (its last reminder went out) or was cancelled.</summary>
    Task SessionAsync(GroupDocument group, Sessions.PlannedSession session, CancellationToken cancellationToken);

    /// <summary>A session's anonymous check-out closed: how many answered and, from <paramref name="minAnswers"/> answers, the counts per question.</summary>
    Task CheckoutClosedAsync(GroupDocument group, CheckoutBox checkout, int minAnswers, CancellationToken cancellationToken);
}
