using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Scheduling;

namespace PeerGroupBot.Core.Concerns;

public static class ConcernServices
{
    /// <summary>
    /// Registers anonymous concerns: the flow, its timers and helpers, and the options validator. The host binds the
    /// "Concerns" section, sets <see cref="ConcernsOptions.AllowGeneratedKey"/> in Development only, and awaits
    /// <see cref="ConcernKeyProvider.EnsureReadyAsync"/> at start so a missing key stops it with a clear message.
    /// </summary>
    public static IServiceCollection AddConcerns(this IServiceCollection services)
    {
        services.AddOptions<ConcernsOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConcernsOptions>, ConcernsOptionsValidator>());
        services.TryAddSingleton<ConcernKeyProvider>();
        services.TryAddSingleton<DeliveryAddresses>();
        services.TryAddSingleton<DailyLimit>();
        services.TryAddSingleton<ConcernDesk>();
        services.TryAddSingleton<ConcernSettingsCommands>();
        services.AddSingleton<IFlow, ConcernFlow>();
        foreach (var kind in new[] { ConcernTimers.Post, ConcernTimers.Nudge, ConcernTimers.Relay, ConcernTimers.Retention, ConcernTimers.LimitsPurge })
        {
            services.AddSingleton<ITimerHandler>(sp => new ConcernTimerHandler(
                kind, sp.GetRequiredService<ConcernDesk>(), sp.GetRequiredService<DailyLimit>(), sp.GetRequiredService<IClock>()));
        }
        return services;
    }
}
