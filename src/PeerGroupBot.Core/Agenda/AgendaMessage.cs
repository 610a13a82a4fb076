using NodaTime;
using PeerGroupBot.Core.Concerns;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Rota;
using PeerGroupBot.Core.Sessions;

namespace PeerGroupBot.Core.Agenda;

/// <summary>
/// The agenda as posted to the group, with who is on the rota and where the session is. <c>agenda post</c> posts it;
/// erasing a member renders it again so the posted copy loses their name.
/// </summary>
public sealed class AgendaMessage(ISessionCalendar calendar, IRotaLookup rota)
{
    public async Task<BotReply> RenderAsync(GroupDocument group, AgendaDocument agenda, Instant now, CancellationToken cancellationToken)
    {
        var holders = await rota.GetHoldersAsync(group, agenda.OccurrenceId, cancellationToken).ConfigureAwait(false);
        var next = await calendar.GetNextAsync(group, now, cancellationToken).ConfigureAwait(false);
        var posted = AgendaText.Posted(group, agenda, holders, next.Id == agenda.OccurrenceId ? next.Location : null);
        return posted with { Buttons = [.. posted.Buttons, ConcernCards.RaiseButton(group.Id)] };
    }
}
