using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PeerGroupBot.Core.Scheduling;
using PeerGroupBot.Discord.Tests.Support;
using PeerGroupBot.Hosting;
using PeerGroupBot.Scheduling;
using PeerGroupBot.Teams;
using PeerGroupBot.Teams.Tests.Fakes;
using PeerGroupBot.Testing;

namespace PeerGroupBot.IntegrationTests.Support;

/// <summary>
/// Everything a deployment shares: one Azurite container, one fake Discord API, one fake Bot Framework, one
/// Discord signing key, and the secret keys every host of a deployment must agree on.
/// </summary>
public sealed class Deployment(string connectionString, string container, FakeDiscord discord, FakeBotFramework teams, TestKey key) : IAsyncDisposable
{
    public static readonly string PseudonymKey = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + 1)).ToArray());
    public static readonly string EncryptionKey = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(i * 5 + 3)).ToArray());

    public string ConnectionString => connectionString;
    public string Container => container;
    public FakeDiscord Discord => discord;
    public FakeBotFramework Teams => teams;
    public TestKey Key => key;

    public static async Task<Deployment> StartAsync(string connectionString, string container)
        => new(connectionString, container, await FakeDiscord.StartAsync(), await FakeBotFramework.StartAsync(), new TestKey());

    public async ValueTask DisposeAsync()
    {
        await discord.DisposeAsync();
        await teams.DisposeAsync();
        key.Dispose();
    }
}

/// <summary>
/// One real bot host (BotHost.Build, as Program runs it) on a free loopback port, outside Development, with Azure Blob
/// storage on Azurite, Quartz scheduling, and both adapters pointed at the deployment's fakes. Requests go in over
/// real HTTP: Discord interactions signed with the test Ed25519 key, Teams activities with a signed Bot Framework token.
/// </summary>
public sealed class BridgeHost : IAsyncDisposable
{
    private readonly Deployment _deployment;
    private readonly HttpClient _http;
    private bool _stopped;

    private BridgeHost(string instance, WebApplication app, Deployment deployment, CapturingLoggerProvider logs)
    {
        Instance = instance;
        App = app;
        _deployment = deployment;
        Logs = logs;
        BaseUrl = app.Urls.First();
        _http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Instance { get; }
    public WebApplication App { get; }
    public string BaseUrl { get; }
    public CapturingLoggerProvider Logs { get; }
    public IServiceProvider Services => App.Services;
    public bool IsLeader => Get<LeaderState>().IsLeader;

    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public static async Task<BridgeHost> StartAsync(Deployment deployment, string instance, Action<IServiceCollection>? services = null, params string[] extra)
    {
        var logs = new CapturingLoggerProvider();
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            "--environment", "Testing",
            "--Playground:Enabled", "false",
            "--Storage:Provider", "AzureBlob",
            "--Storage:ConnectionString", deployment.ConnectionString,
            "--Storage:Container", deployment.Container,
            "--Security:PseudonymKey", Deployment.PseudonymKey,
            "--Concerns:EncryptionKey", Deployment.EncryptionKey,
            "--Discord:PublicKey", deployment.Key.PublicKeyHex,
            "--Discord:BotToken", DiscordHost.BotToken,
            "--Discord:ApplicationId", DiscordHost.ApplicationId,
            "--Discord:ApiBaseUrl", deployment.Discord.ApiBaseUrl,
            "--Discord:FacilitatorRoleIds:0", DiscordHost.FacilitatorRoleId,
            "--Teams:AppId", TeamsBotHost.AppId,
            "--Teams:AppPassword", "test-secret",
            "--Teams:OpenIdMetadataUrl", deployment.Teams.OpenIdMetadataUrl,
            "--Teams:GraphBaseUrl", deployment.Teams.BaseUrl,
            "--Scheduling:InstanceId", instance,
            "--Scheduling:LeaseSeconds", "15",
            "--Scheduling:PollSeconds", "0.3",
            .. extra,
        ];
        var app = BotHost.Build(args, builder =>
        {
            builder.Logging.AddProvider(logs);
            builder.Services.AddHttpClient(TeamsHttpClients.Login)
                .ConfigurePrimaryHttpMessageHandler(() => new RedirectTo(new Uri(deployment.Teams.BaseUrl)));
            services?.Invoke(builder.Services);
        });
        await app.StartAsync();
        return new BridgeHost(instance, app, deployment, logs);
    }

    /// <summary>Signs and posts a Discord interaction; returns the status and Discord's view of the response body.</summary>
    public async Task<(int Status, JsonElement Body)> DiscordAsync(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/discord/interactions") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Signature-Ed25519", _deployment.Key.Sign(timestamp, body));
        request.Headers.Add("X-Signature-Timestamp", timestamp);
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var answer = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return ((int)response.StatusCode, await CompletedAsync(json, answer));
    }

    /// <summary>
    /// On a loaded machine the bot may defer (type 5, or 6 for a click) and finish through the interaction's webhook:
    /// then the answer the member ends up seeing is that webhook message, returned here as the inline answer it replaces
    /// (type 4, or 7 for a click), so tests read the same thing either way.
    /// </summary>
    private async Task<JsonElement> CompletedAsync(string interaction, JsonElement answer)
    {
        if (answer.ValueKind != JsonValueKind.Object || !answer.TryGetProperty("type", out var type) || type.GetInt32() is not (5 or 6)) return answer;
        var token = JsonDocument.Parse(interaction).RootElement.GetProperty("token").GetString()!;
        var completion = await _deployment.Discord.WaitForAsync(r => r.Path.Contains(token, StringComparison.Ordinal) && r.Method is "PATCH" or "POST");
        using var data = JsonDocument.Parse(completion.Body);
        var replaced = new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = type.GetInt32() == 5 ? 4 : 7,
            ["data"] = System.Text.Json.Nodes.JsonNode.Parse(data.RootElement.GetRawText()),
        };
        return JsonDocument.Parse(replaced.ToJsonString()).RootElement.Clone();
    }

    /// <summary>Posts a Teams activity with a valid Bot Framework token; returns the status and the body (an invoke response).</summary>
    public async Task<(int Status, JsonNode? Body)> TeamsAsync(JsonObject activity)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/teams/messages")
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _deployment.Teams.CreateToken(TeamsBotHost.AppId, activity["serviceUrl"]!.GetValue<string>()));
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public async Task<int> HealthAsync()
    {
        using var response = await _http.GetAsync("/healthz");
        return (int)response.StatusCode;
    }

    /// <summary>Fires every stored timer that is due by the host's clock, as the Quartz job would.</summary>
    public Task<int> FireDueTimersAsync() => Get<TimerDispatcher>().FireDueAsync(CancellationToken.None);

    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        await App.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await App.DisposeAsync();
        _http.Dispose();
    }

    /// <summary>Waits until <paramref name="condition"/> holds, up to <paramref name="seconds"/>.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition, double seconds = 10)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            if (condition()) return true;
            await Task.Delay(50);
        }
        return condition();
    }

    /// <summary>Sends MSAL's requests to the fake Bot Framework instead of login.microsoftonline.com.</summary>
    private sealed class RedirectTo(Uri target) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.RequestUri = new UriBuilder(request.RequestUri!) { Scheme = target.Scheme, Host = target.Host, Port = target.Port }.Uri;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
