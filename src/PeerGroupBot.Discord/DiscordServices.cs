using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PeerGroupBot.Core.Outbound;
using PeerGroupBot.Core.Sessions;
using PeerGroupBot.Discord.Commands;
using PeerGroupBot.Discord.Events;
using PeerGroupBot.Discord.Interactions;
using PeerGroupBot.Discord.Rest;

namespace PeerGroupBot.Discord;

public static class DiscordServices
{
    /// <summary>
    /// Registers the Discord adapter: options from <c>Discord:</c>, the signature check, the interaction translator and
    /// responder, the REST client and the "discord" messenger for the core's outbound port. Map the endpoint with
    /// <see cref="DiscordApi.MapDiscordApi"/>.
    /// </summary>
    public static IServiceCollection AddDiscordAdapter(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddDiscordRestClient(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => CommandManifest.Embedded());
        services.TryAddSingleton<SignatureVerifier>();
        services.TryAddSingleton<InteractionTranslator>();
        services.TryAddSingleton<InteractionResponder>();
        services.TryAddSingleton<InteractionLog>();
        services.AddHostedService<InteractionLogSweep>();
        services.TryAddSingleton<InteractionWork>();
        services.AddHostedService(sp => sp.GetRequiredService<InteractionWork>());
        services.TryAddSingleton<DiscordMessenger>();
        services.AddSingleton<IPlatformMessenger>(sp => sp.GetRequiredService<DiscordMessenger>());
        services.AddSingleton<ISessionEvents, DiscordSessionEvents>(); // replaces the core's "no events" default
        return services;
    }

    /// <summary>Only the REST client (for admin verbs such as <c>discord register-commands</c>).</summary>
    public static IServiceCollection AddDiscordRestClient(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DiscordOptions>()
            .Bind(configuration.GetSection(DiscordOptions.Section))
            .Validate(o => Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out _), "Discord:ApiBaseUrl must be an absolute URL.")
            .Validate(o => o.DeferAfter > TimeSpan.Zero && o.DeferAfter < TimeSpan.FromSeconds(3), "Discord:DeferAfter must be under 3 seconds (Discord's limit for the first response).")
            .Validate(o => SignatureVerifier.IsValidPublicKey(o.PublicKey), "Discord:PublicKey must be the application's public key as 64 hex characters.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DiscordRateLimiter>();
        services.AddHttpClient<DiscordRestClient>(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers(); // the default HTTP logs would write interaction tokens (they sit in webhook paths)
        services.TryAddTransient<CommandRegistrar>();
        return services;
    }
}
