using PeerGroupBot.Core.Groups;

namespace PeerGroupBot.Core.Rota;

public sealed record RotaHolder(string Role, string MemberId, string DisplayName);

/// <summary>What other features ask of the rota: who holds which role in a session.</summary>
public interface IRotaLookup
{
    Task<IReadOnlyList<RotaHolder>> GetHoldersAsync(GroupDocument group, string occurrenceId, CancellationToken cancellationToken);
}

public sealed class NoRotaLookup : IRotaLookup
{
    public Task<IReadOnlyList<RotaHolder>> GetHoldersAsync(GroupDocument group, string occurrenceId, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<RotaHolder>>([]);
}
