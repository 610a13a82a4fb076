using NodaTime;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Scheduling;

namespace PeerGroupBot.Core.Rota;

/// <summary>Closes a rota poll when its deadline passes. The timer's payload is the poll id, so a stale timer closes nothing.</summary>
public sealed class RotaPollDeadline(GroupDirectory directory, RotaPolls polls, IClock clock) : ITimerHandler
{
    public const string TimerKind = "rota-poll-close";

    public string Kind => TimerKind;

    public async Task HandleAsync(TimerDocument timer, CancellationToken cancellationToken)
    {
        var group = await directory.GetGroupAsync(timer.GroupId, cancellationToken).ConfigureAwait(false);
        if (group is null || string.IsNullOrEmpty(timer.Payload)) return;
        await polls.CloseAsync(group, timer.Payload, clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false);
    }
}
