using PeerGroupBot.Core.Groups;

namespace PeerGroupBot.Core.Agenda;

/// <summary>What other features ask of the agenda: add a poll's winning topic, read the agenda for a reminder.</summary>
public interface IAgendaFeed
{
    /// <summary>Adds a winning topic to the next session's agenda, marked "from topic poll". Adding the same poll's topic twice adds it once.</summary>
    Task AddFromPollAsync(GroupDocument group, string topic, string pollId, CancellationToken cancellationToken);

    /// <summary>The agenda lines for an occurrence, in order and numbered ("1. Sleep (15 min) — a member"), ready to show in a reminder as they are.</summary>
    Task<IReadOnlyList<string>> GetLinesAsync(GroupDocument group, string occurrenceId, CancellationToken cancellationToken);
}

public sealed class NoAgendaFeed : IAgendaFeed
{
    public Task AddFromPollAsync(GroupDocument group, string topic, string pollId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<string>> GetLinesAsync(GroupDocument group, string occurrenceId, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<string>>([]);
}
