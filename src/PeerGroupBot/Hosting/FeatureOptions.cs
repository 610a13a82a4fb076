using PeerGroupBot.Core.Agenda;
using PeerGroupBot.Core.Checkouts;
using PeerGroupBot.Core.Concerns;
using PeerGroupBot.Core.Polls;
using PeerGroupBot.Core.Record;
using PeerGroupBot.Core.Rota;

namespace PeerGroupBot.Hosting;

/// <summary>Binds each feature's settings section (see appsettings.example.json) and checks them at start.</summary>
public static class FeatureOptions
{
    public static IServiceCollection AddPeerGroupBotFeatureOptions(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.Configure<PollOptions>(configuration.GetSection(PollOptions.Section));
        services.Configure<AgendaOptions>(configuration.GetSection(AgendaOptions.Section));
        services.Configure<RotaOptions>(configuration.GetSection(RotaOptions.Section));
        services.Configure<RecordOptions>(configuration.GetSection(RecordOptions.Section));
        services.AddOptions<CheckoutOptions>().Bind(configuration.GetSection(CheckoutOptions.Section)).ValidateOnStart();
        // In Development a missing Concerns:EncryptionKey is generated into storage (with a warning); elsewhere it stops
        // the start. Set after binding, so no setting can switch it on outside Development.
        services.AddOptions<ConcernsOptions>()
            .Bind(configuration.GetSection(ConcernsOptions.Section))
            .PostConfigure(o => o.AllowGeneratedKey = environment.IsDevelopment())
            .ValidateOnStart();
        return services;
    }
}
