namespace PeerGroupBot.Teams;

/// <summary>
/// Settings of the Teams adapter, bound from the <c>Teams</c> configuration section. The adapter is on when the host
/// calls <c>AddTeamsAdapter</c>; with <see cref="AppId"/> empty it runs in local test mode (no auth, loopback only).
/// </summary>
public sealed class TeamsOptions
{
    public const string Section = "Teams";

    /// <summary>The Microsoft App ID of the Azure Bot resource: the audience of inbound tokens and the client id for outbound ones. Empty: local test mode.</summary>
    public string AppId { get; set; } = "";

    /// <summary>The client secret of that app registration, for outbound tokens. Empty: outbound calls carry no token (local emulators only).</summary>
    public string AppPassword { get; set; } = "";

    /// <summary>The Entra tenant of a single-tenant bot. Empty: a multi-tenant bot (tokens from the botframework.com tenant).</summary>
    public string TenantId { get; set; } = "";

    /// <summary>Where the Bot Connector publishes its signing keys.</summary>
    public string OpenIdMetadataUrl { get; set; } = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    /// <summary>The only issuer accepted on inbound tokens.</summary>
    public string TokenIssuer { get; set; } = "https://api.botframework.com";

    /// <summary>Clock skew allowed when checking a token's lifetime.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest request body accepted on the messaging endpoint, in bytes.</summary>
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>Entra ID sign-in authority host for outbound tokens.</summary>
    public string LoginAuthorityHost { get; set; } = "https://login.microsoftonline.com";

    /// <summary>Microsoft Graph, used only to learn who owns a team (needs the TeamMember.Read.Group resource-specific consent in the manifest).</summary>
    public string GraphBaseUrl { get; set; } = "https://graph.microsoft.com";

    /// <summary>Look up team owners in Microsoft Graph. Off: only the member who added the bot to a team counts as its owner.</summary>
    public bool UseGraphForOwners { get; set; } = true;

    /// <summary>How long a looked-up team owner list or member role is trusted before it is asked again.</summary>
    public TimeSpan RoleCacheLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a delivered activity id is remembered so a re-delivery is ignored.</summary>
    public TimeSpan DedupeWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long the deliveries after a card click may take (the PUT over the card, private messages, files), retries
    /// included. The click itself is answered as soon as the core is done, within Azure Bot Service's 15 seconds.
    /// </summary>
    public TimeSpan FollowUpTimeLimit { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>True when inbound requests must carry a valid Bot Framework token.</summary>
    public bool AuthEnabled => !string.IsNullOrWhiteSpace(AppId);

    /// <summary>
    /// The scope of outbound connector tokens. Public cloud: <c>https://api.botframework.com/.default</c>; US Government
    /// clouds: <c>https://api.botframework.us/.default</c> (with the matching <see cref="OpenIdMetadataUrl"/>,
    /// <see cref="TokenIssuer"/>, <see cref="LoginAuthorityHost"/> and <see cref="GraphBaseUrl"/>).
    /// </summary>
    public string ConnectorScope { get; set; } = "https://api.botframework.com/.default";

    /// <summary>The tenant a multi-tenant bot asks for connector tokens. Public cloud: <c>botframework.com</c>; US Government: <c>MicrosoftServices.onmicrosoft.us</c>.</summary>
    public string BotFrameworkTenant { get; set; } = "botframework.com";

    /// <summary>The Graph scope, from <see cref="GraphBaseUrl"/> (<c>https://graph.microsoft.us/.default</c> in GCC High).</summary>
    public string GraphScope => GraphBaseUrl.TrimEnd('/') + "/.default";
    public const string TeamsChannelId = "msteams";
}
