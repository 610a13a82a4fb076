using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.State;
using PeerGroupBot.Testing;

namespace PeerGroupBot.Teams.Tests.Fakes;

/// <summary>
/// The real bot host (Program, BotHost) on Kestrel at 127.0.0.1 with Teams auth on, pointed at a
/// <see cref="FakeBotFramework"/>: its OpenID metadata for inbound tokens, its token endpoint for MSAL (the
/// "teams-login" HttpClient is redirected there), and activities name the fake as their serviceUrl.
/// The state store is an <see cref="InMemoryStateStore"/> the test can inspect, and a tiny "tally" flow with a
/// refreshing card is added so card refresh can be proven before the feature flows land.
/// </summary>
public sealed class TeamsBotHost : WebApplicationFactory<Program>
{
    public const string AppId = "6b1f0c3e-8a2d-4f57-9c1e-2d7a9b0e4f11";
    public const string BotId = "28:" + AppId;

    private readonly FakeBotFramework _fake;
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    public InMemoryStateStore Store { get; }
    public CapturingLoggerProvider Logs { get; } = new();

    public TeamsBotHost(FakeBotFramework fake, InMemoryStateStore? store = null, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, bool kestrel = true)
    {
        _fake = fake;
        Store = store ?? new InMemoryStateStore();
        _settings = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Teams:AppId"] = AppId,
            ["Teams:AppPassword"] = "test-secret",
            ["Teams:OpenIdMetadataUrl"] = fake.OpenIdMetadataUrl,
            ["Teams:GraphBaseUrl"] = fake.BaseUrl,
        };
        foreach (var (key, value) in settings ?? []) _settings[key] = value;
        _services = services;
        if (kestrel) UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Debug));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IStateStore>(Store);
            services.AddSingleton<IFlow, TallyFlow>();
            services.AddSingleton<IFlow, FilesFlow>();
            services.AddHttpClient(TeamsHttpClients.Login).ConfigurePrimaryHttpMessageHandler(() => new RedirectToFake(new Uri(_fake.BaseUrl)));
            _services?.Invoke(services);
        });
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>The group a Teams channel or chat belongs to, or null.</summary>
    public async Task<PeerGroupBot.Core.Groups.GroupDocument?> GroupOfAsync(string channelId)
    {
        var directory = Get<PeerGroupBot.Core.Groups.GroupDirectory>();
        var index = await directory.FindChannelAsync(new ChannelRef("teams", channelId), CancellationToken.None);
        return index is null ? null : await directory.GetGroupAsync(index.GroupId, CancellationToken.None);
    }

    /// <summary>Posts an activity as the Bot Connector would: JSON body and, unless told otherwise, a valid token.</summary>
    public async Task<HttpResponseMessage> PostAsync(JsonObject activity, string? token = "valid")
    {
        using var client = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/teams/messages")
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (token == "valid") token = _fake.CreateToken(AppId, activity["serviceUrl"]!.GetValue<string>());
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }

    public async Task<JsonObject> PostForInvokeResponseAsync(JsonObject activity)
    {
        var response = await PostAsync(activity);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>Sends every request of the MSAL client to the fake instead of login.microsoftonline.com.</summary>
    private sealed class RedirectToFake(Uri fake) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.RequestUri = new UriBuilder(request.RequestUri!) { Scheme = fake.Scheme, Host = fake.Host, Port = fake.Port }.Uri;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
