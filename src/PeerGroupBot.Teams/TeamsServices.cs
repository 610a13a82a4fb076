using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PeerGroupBot.Core.Members;
using PeerGroupBot.Core.Outbound;
using PeerGroupBot.Teams.Auth;
using PeerGroupBot.Teams.Identity;
using PeerGroupBot.Teams.Inbound;
using PeerGroupBot.Teams.Outbound;

namespace PeerGroupBot.Teams;

/// <summary>The Teams adapter's two hooks into the host: <see cref="AddTeamsAdapter"/> and <see cref="MapTeamsApi"/>.</summary>
public static class TeamsServices
{
    public const string MessagesPath = "/api/teams/messages";

    public static IServiceCollection AddTeamsAdapter(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TeamsOptions>().Bind(configuration.GetSection(TeamsOptions.Section));
        services.TryAddSingleton(TimeProvider.System);

        // The default HTTP logs write every request's URL, and a connector URL carries the conversation id of a
        // member's personal chat (which the member references map back to them): these clients log no requests.
        services.AddHttpClient(TeamsHttpClients.OpenId, c => c.Timeout = TimeSpan.FromSeconds(30)).RemoveAllLoggers();
        services.AddHttpClient(TeamsHttpClients.Login, c => c.Timeout = TimeSpan.FromSeconds(30)).RemoveAllLoggers();
        services.AddHttpClient(TeamsHttpClients.Connector, c => c.Timeout = Timeout.InfiniteTimeSpan).RemoveAllLoggers()
            .AddResilienceHandler("teams-connector", TeamsHttpClients.ConfigureRetries);
        services.AddHttpClient(TeamsHttpClients.Graph, c => c.Timeout = Timeout.InfiniteTimeSpan).RemoveAllLoggers()
            .AddResilienceHandler("teams-graph", TeamsHttpClients.ConfigureRetries);
        services.AddHttpClient(TeamsHttpClients.Files, c => c.Timeout = Timeout.InfiniteTimeSpan).RemoveAllLoggers()
            .AddResilienceHandler("teams-files", TeamsHttpClients.ConfigureRetries);

        services.TryAddSingleton<IServiceTokens, MsalServiceTokens>();
        services.TryAddSingleton<BotTokenValidator>();
        services.TryAddSingleton<ConnectorClient>();
        services.TryAddSingleton<ConversationReferences>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMemberRecords, TeamsMemberRecords>());
        services.TryAddSingleton<DeliveryLog>();
        services.TryAddSingleton<TeamRoles>();
        services.TryAddSingleton<PendingFiles>();
        services.TryAddSingleton<ReplySender>();
        services.TryAddSingleton<FileUploadClient>();
        services.TryAddSingleton<FileConsentTurn>();
        services.TryAddSingleton<TeamsMessenger>();
        services.AddSingleton<IPlatformMessenger>(sp => sp.GetRequiredService<TeamsMessenger>());
        services.TryAddSingleton<TeamsTurn>();
        services.TryAddSingleton<TurnFollowUps>();
        services.AddHostedService(sp => sp.GetRequiredService<TurnFollowUps>());
        services.TryAddSingleton<MessagesEndpoint>();
        services.AddHostedService<TeamsHousekeeping>();
        return services;
    }

    /// <summary>
    /// Maps the messaging endpoint. With no <c>Teams:AppId</c> it would accept unauthenticated requests, which only a
    /// developer's own machine may do: outside Development the endpoint is not mapped at all (404) and the start-up log says so.
    /// </summary>
    public static IEndpointRouteBuilder MapTeamsApi(this IEndpointRouteBuilder endpoints)
    {
        if (!IsOn(endpoints.ServiceProvider)) return endpoints;
        endpoints.MapPost(MessagesPath, (HttpContext http, MessagesEndpoint endpoint, CancellationToken cancellationToken)
                => endpoint.HandleAsync(http, cancellationToken))
            .DisableAntiforgery()
            .WithName("TeamsMessages");
        return endpoints;
    }

    /// <summary>The endpoint is served with authentication, or without it only in Development.</summary>
    public static bool IsOn(IServiceProvider services)
        => services.GetRequiredService<IOptions<TeamsOptions>>().Value.AuthEnabled || services.GetRequiredService<IHostEnvironment>().IsDevelopment();
}

/// <summary>Says at start whether Teams requests are authenticated, and sweeps old delivery marks while the host runs.</summary>
internal sealed class TeamsHousekeeping(IOptions<TeamsOptions> options, DeliveryLog deliveries, TimeProvider time, IServiceProvider services, ILogger<TeamsHousekeeping> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.AuthEnabled)
            logger.LogInformation("Teams adapter on: requests to {Path} must carry a Bot Framework token for app {AppId}.", TeamsServices.MessagesPath, settings.AppId);
        else if (TeamsServices.IsOn(services))
            logger.LogWarning("Teams:AppId is empty, so Teams authentication is OFF (Development only): {Path} accepts unauthenticated requests from programs on this machine only (loopback, no forwarding headers). Set Teams:AppId and Teams:AppPassword to connect to Teams.", TeamsServices.MessagesPath);
        else
        {
            logger.LogWarning("Teams:AppId is empty, so the Teams endpoint {Path} is off (404). Set Teams:AppId and Teams:AppPassword to connect to Teams.", TeamsServices.MessagesPath);
            return;
        }

        using var timer = new PeriodicTimer(settings.DedupeWindow < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : settings.DedupeWindow, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try { await deliveries.SweepAsync(stoppingToken).ConfigureAwait(false); }
                catch (Exception ex) when (ex is not OperationCanceledException) { logger.LogWarning("Sweeping Teams delivery marks failed: {Error}", ex.GetType().Name); }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
