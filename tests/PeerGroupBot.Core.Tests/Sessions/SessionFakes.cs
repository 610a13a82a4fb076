using Microsoft.Extensions.DependencyInjection;
using PeerGroupBot.Core.Agenda;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Polls;
using PeerGroupBot.Core.Rota;

namespace PeerGroupBot.Core.Tests.Sessions;

/// <summary>Stand-ins for the agenda, rota and polls features, which other engineers build behind these interfaces.</summary>
public sealed class FakeFeatures : IAgendaFeed, IRotaLookup, IPollLookup
{
    public Dictionary<string, List<string>> Agenda { get; } = [];
    public Dictionary<string, List<RotaHolder>> Rota { get; } = [];
    public List<OpenPollSummary> Polls { get; } = [];

    public void Register(IServiceCollection services)
    {
        services.AddSingleton<IAgendaFeed>(this);
        services.AddSingleton<IRotaLookup>(this);
        services.AddSingleton<IPollLookup>(this);
    }

    public Task AddFromPollAsync(GroupDocument group, string topic, string pollId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<string>> GetLinesAsync(GroupDocument group, string occurrenceId, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<string>>(Agenda.GetValueOrDefault(occurrenceId) ?? []);

    public Task<IReadOnlyList<RotaHolder>> GetHoldersAsync(GroupDocument group, string occurrenceId, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<RotaHolder>>(Rota.GetValueOrDefault(occurrenceId) ?? []);

    public Task<IReadOnlyList<OpenPollSummary>> GetOpenPollsAsync(GroupDocument group, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<OpenPollSummary>>(Polls);
}
