using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace PeerGroupBot.Teams.Auth;

/// <summary>A Bot Framework token that passed the signature, issuer, audience and lifetime checks.</summary>
/// <param name="ServiceUrl">The token's <c>serviceurl</c> claim: the activity must name the same connector.</param>
/// <param name="Endorsements">The channels the signing key is endorsed for (e.g. "msteams").</param>
public sealed record BotToken(string? ServiceUrl, IReadOnlyList<string> Endorsements)
{
    /// <summary>The checks that need the activity: the key is endorsed for its channel and the serviceUrl matches.</summary>
    public bool Admits(string? channelId, string? activityServiceUrl)
    {
        if (string.IsNullOrEmpty(channelId) || !Endorsements.Contains(channelId, StringComparer.OrdinalIgnoreCase)) return false;
        return !string.IsNullOrEmpty(ServiceUrl) && !string.IsNullOrEmpty(activityServiceUrl)
            && string.Equals(ServiceUrl.TrimEnd('/'), activityServiceUrl.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>
/// Validates the Bearer token the Bot Connector puts on every request, by the rules of "Authentication with the Bot
/// Connector API": keys from the OpenID metadata, issuer https://api.botframework.com, audience = our app id, RS256,
/// a short clock skew. Key rollover is handled by refreshing the metadata once when a key id is unknown.
/// </summary>
public sealed class BotTokenValidator
{
    public const string ServiceUrlClaim = "serviceurl";

    private readonly TeamsOptions _options;
    private readonly ILogger<BotTokenValidator> _logger;
    private readonly ConfigurationManager<OpenIdConnectConfiguration> _metadata;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public BotTokenValidator(IOptions<TeamsOptions> options, IHttpClientFactory httpClients, ILogger<BotTokenValidator> logger)
    {
        _options = options.Value;
        _logger = logger;
        var retriever = new HttpDocumentRetriever(httpClients.CreateClient(TeamsHttpClients.OpenId))
        {
            // Plain http is only for a metadata stub on this machine (tests); anything else must be https.
            RequireHttps = !IsLoopbackHttp(_options.OpenIdMetadataUrl),
        };
        _metadata = new ConfigurationManager<OpenIdConnectConfiguration>(_options.OpenIdMetadataUrl, new OpenIdConnectConfigurationRetriever(), retriever)
        {
            AutomaticRefreshInterval = TimeSpan.FromHours(12),
            RefreshInterval = TimeSpan.FromMinutes(1),
        };
    }

    /// <summary>The validated token, or null (the request then gets 401). Never throws for a bad token.</summary>
    public async Task<BotToken?> ValidateAsync(string? authorizationHeader, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(authorizationHeader) || !authorizationHeader.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return null;
        var token = authorizationHeader["Bearer ".Length..].Trim();
        if (token.Length is 0 or > 16_384 || !_handler.CanReadToken(token)) return null;

        for (var attempt = 1; attempt <= 2; attempt++)
        {
            OpenIdConnectConfiguration configuration;
            try
            {
                configuration = await _metadata.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogError("The Bot Framework signing keys could not be loaded ({Error}); the request is refused.", ex.GetType().Name);
                return null;
            }
            var keys = configuration.JsonWebKeySet?.Keys ?? [];
            var result = await _handler.ValidateTokenAsync(token, Parameters(keys)).ConfigureAwait(false);
            if (result.IsValid && result.SecurityToken is JsonWebToken jwt)
                return new BotToken(ClaimOf(jwt, ServiceUrlClaim), EndorsementsOf(jwt, keys));
            if (attempt == 1 && result.Exception is SecurityTokenSignatureKeyNotFoundException)
            {
                _metadata.RequestRefresh(); // keys roll over: look again once
                continue;
            }
            _logger.LogInformation("An inbound Teams request had an invalid token ({Reason}).", result.Exception?.GetType().Name ?? "invalid");
            return null;
        }
        return null;
    }

    private TokenValidationParameters Parameters(IEnumerable<SecurityKey> keys) => new()
    {
        ValidIssuer = _options.TokenIssuer,
        ValidateIssuer = true,
        ValidAudience = _options.AppId,
        ValidateAudience = true,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ValidateIssuerSigningKey = true,
        IssuerSigningKeys = keys,
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        ClockSkew = _options.ClockSkew,
        TryAllIssuerSigningKeys = false,
    };

    private static string? ClaimOf(JsonWebToken jwt, string type)
        => jwt.TryGetPayloadValue<string>(type, out var value) ? value : null;

    /// <summary>The endorsements published beside the key that signed the token (the JWKS "endorsements" array).</summary>
    private static IReadOnlyList<string> EndorsementsOf(JsonWebToken jwt, IEnumerable<JsonWebKey> keys)
    {
        var key = jwt.SigningKey as JsonWebKey ?? keys.FirstOrDefault(k => k.KeyId == jwt.Kid);
        if (key is null || !key.AdditionalData.TryGetValue("endorsements", out var raw) || raw is null) return [];
        return raw switch
        {
            string one => [one],
            JsonElement { ValueKind: JsonValueKind.Array } array => array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList(),
            System.Collections.IEnumerable many => many.Cast<object?>().Select(o => o?.ToString()).OfType<string>().ToList(),
            _ => [],
        };
    }

    internal static bool IsLoopbackHttp(string url)
        => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp
           && (uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip)));
}
