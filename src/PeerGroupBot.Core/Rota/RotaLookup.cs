using NodaTime;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Sessions;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Core.Rota;

/// <summary>
/// Answers "who holds which role in this session" for reminders. Matches the occurrence id exactly, a session the
/// rota knows only by date, or "next" (the next session on the rota that hasn't started).
/// </summary>
public sealed class RotaLookup(Documents documents, IClock clock) : IRotaLookup
{
    public async Task<IReadOnlyList<RotaHolder>> GetHoldersAsync(GroupDocument group, string occurrenceId, CancellationToken cancellationToken)
    {
        var rota = await documents.GetValueAsync<RotaDocument>(RotaDocument.KeyFor(group.Id), cancellationToken).ConfigureAwait(false);
        if (rota is null) return [];
        var entry = occurrenceId == SessionOccurrence.UndatedId
            ? rota.Upcoming(clock.GetCurrentInstant(), group.Zone).FirstOrDefault()
            : rota.Sessions.FirstOrDefault(e => e.Session.Id == occurrenceId) ?? rota.Sessions.FirstOrDefault(e => e.Session.Matches(occurrenceId));
        if (entry is null) return [];
        return [.. entry.Slots.Where(s => s.MemberId is not null).Select(s => new RotaHolder(s.Role, s.MemberId!, rota.NameOf(s.MemberId!)))];
    }
}
