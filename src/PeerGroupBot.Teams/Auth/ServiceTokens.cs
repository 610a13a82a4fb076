using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;

namespace PeerGroupBot.Teams.Auth;

/// <summary>Outbound access tokens: for the Bot Connector, and for Microsoft Graph in a given tenant (team owners).</summary>
public interface IServiceTokens
{
    /// <summary>A token for https://api.botframework.com, or null when no app password is configured (local emulators).</summary>
    Task<string?> GetConnectorTokenAsync(CancellationToken cancellationToken);

    /// <summary>A Graph token for the tenant the team lives in, or null when not configured.</summary>
    Task<string?> GetGraphTokenAsync(string tenantId, CancellationToken cancellationToken);
}

/// <summary>
/// MSAL client-credentials tokens, cached by MSAL in memory for their lifetime. A multi-tenant bot asks the
/// Bot Framework tenant (<c>Teams:BotFrameworkTenant</c>, botframework.com in the public cloud) for connector tokens
/// (scope <c>Teams:ConnectorScope</c>); a single-tenant bot asks its own tenant (<c>Teams:TenantId</c>).
/// MSAL's HTTP goes through the "teams-login" HttpClient, which is also how tests point it at a local fake.
/// </summary>
public sealed class MsalServiceTokens : IServiceTokens
{
    private readonly IConfidentialClientApplication? _app;
    private readonly string _connectorScope = "";
    private readonly string _graphScope = "";

    public MsalServiceTokens(IOptions<TeamsOptions> options, IHttpClientFactory httpClients, ILogger<MsalServiceTokens> logger)
    {
        var settings = options.Value;
        if (!settings.AuthEnabled || string.IsNullOrWhiteSpace(settings.AppPassword))
        {
            if (settings.AuthEnabled) logger.LogWarning("Teams:AppPassword is empty, so replies to Teams carry no token and will be refused by Teams.");
            return;
        }
        var tenant = string.IsNullOrWhiteSpace(settings.TenantId) ? settings.BotFrameworkTenant.Trim() : settings.TenantId.Trim();
        _connectorScope = settings.ConnectorScope.Trim();
        _graphScope = settings.GraphScope;
        _app = ConfidentialClientApplicationBuilder.Create(settings.AppId)
            .WithClientSecret(settings.AppPassword)
            .WithAuthority($"{settings.LoginAuthorityHost.TrimEnd('/')}/{tenant}", validateAuthority: false)
            .WithInstanceDiscovery(false)
            .WithHttpClientFactory(new HttpClientFactoryForMsal(httpClients))
            .Build();
    }

    public async Task<string?> GetConnectorTokenAsync(CancellationToken cancellationToken)
    {
        if (_app is null) return null;
        var result = await _app.AcquireTokenForClient([_connectorScope]).ExecuteAsync(cancellationToken).ConfigureAwait(false);
        return result.AccessToken;
    }

    public async Task<string?> GetGraphTokenAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (_app is null) return null;
        var result = await _app.AcquireTokenForClient([_graphScope]).WithTenantId(tenantId).ExecuteAsync(cancellationToken).ConfigureAwait(false);
        return result.AccessToken;
    }

    private sealed class HttpClientFactoryForMsal(IHttpClientFactory factory) : IMsalHttpClientFactory
    {
        public HttpClient GetHttpClient() => factory.CreateClient(TeamsHttpClients.Login);
    }
}
