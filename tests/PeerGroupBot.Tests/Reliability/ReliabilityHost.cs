using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Hosting.Server.Features;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Hosting;
using PeerGroupBot.Storage;
using PeerGroupBot.Testing;

namespace PeerGroupBot.Tests.Reliability;

/// <summary>
/// The real bot host (<see cref="BotHost.Build"/>) on Kestrel at 127.0.0.1 with a free port, so requests arrive over
/// real TCP from loopback (which the Teams endpoint's local mode requires). Discord is configured with a test
/// Ed25519 key; Discord REST and the Teams connector point at <see cref="LocalUpstream"/>.
/// </summary>
public sealed class ReliabilityHost : IAsyncDisposable
{
    private ReliabilityHost(WebApplication app, LocalUpstream upstream, DiscordDriver discord, HttpClient client)
    {
        App = app;
        Upstream = upstream;
        Discord = discord;
        Client = client;
    }

    /// <summary>Builds and signs interactions with the key the host was configured with.</summary>
    public DiscordDriver Discord { get; }
    public WebApplication App { get; }
    public LocalUpstream Upstream { get; }
    public HttpClient Client { get; }
    public IServiceProvider Services => App.Services;

    public static async Task<ReliabilityHost> StartAsync(IEnumerable<string> settings, Action<WebApplicationBuilder>? configure = null)
    {
        var upstream = await LocalUpstream.StartAsync();
        var discord = new DiscordDriver();
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            "--environment=Testing",
            "--Logging:LogLevel:Default=Warning",
            $"--Discord:PublicKey={discord.PublicKeyHex}",
            "--Discord:BotToken=test-bot-token",
            $"--Discord:ApplicationId={DiscordDriver.ApplicationId}",
            $"--Discord:ApiBaseUrl={upstream.BaseUrl}/api/v10",
            "--Teams:AppId=",
            "--Teams:UseGraphForOwners=false",
            "--Playground:Enabled=false",
            $"--Security:PseudonymKey={Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + 1)).ToArray())}",
            $"--Concerns:EncryptionKey={Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(i * 5 + 3)).ToArray())}",
            .. settings,
        ];
        var app = BotHost.Build(args, builder =>
        {
            builder.Logging.ClearProviders();
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
        return new ReliabilityHost(app, upstream, discord, client);
    }

    /// <summary>Posts <paramref name="body"/> to the interactions endpoint, signed with the configured key.</summary>
    public async Task<HttpResponseMessage> PostSignedAsync(byte[] body, CancellationToken cancellationToken = default)
    {
        using var request = Discord.Signed(body);
        return await Client.SendAsync(request, cancellationToken);
    }

    /// <summary>
    /// Sends a signed interaction and returns what the member was shown: the response body, or, when a slow machine
    /// made the bot defer (type 5 or 6), the webhook messages that completed it once one contains <paramref name="expected"/>.
    /// </summary>
    public async Task<string> AnswerAsync(string interaction, string expected)
    {
        using var response = await PostSignedAsync(Encoding.UTF8.GetBytes(interaction));
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != System.Net.HttpStatusCode.OK || !(body.StartsWith("{\"type\":5", StringComparison.Ordinal) || body.StartsWith("{\"type\":6", StringComparison.Ordinal)))
            return body;
        var token = JsonNode.Parse(interaction)!["token"]!.GetValue<string>();
        return await Upstream.BodiesSentToAsync(token, sent => sent.Contains(expected, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Posts to the interactions endpoint with exactly these headers (null leaves one out).</summary>
    public async Task<HttpResponseMessage> PostDiscordAsync(byte[] body, string? signature, string? timestamp, CancellationToken cancellationToken = default, string contentType = "application/json")
    {
        using var request = DiscordDriver.Raw(body, signature, timestamp, contentType);
        return await Client.SendAsync(request, cancellationToken);
    }

    public async Task<HttpResponseMessage> PostTeamsAsync(byte[] body, CancellationToken cancellationToken = default, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/teams/messages") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await Client.SendAsync(request, cancellationToken);
    }

    public async Task<GroupDocument?> GroupOfDiscordChannelAsync(string channel)
    {
        var directory = Services.GetRequiredService<GroupDirectory>();
        var index = await directory.FindChannelAsync(new ChannelRef("discord", channel), CancellationToken.None);
        return index is null ? null : await directory.GetGroupAsync(index.GroupId, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await App.StopAsync(stop.Token);
        await App.DisposeAsync();
        await Upstream.DisposeAsync();
        Discord.Dispose();
    }
}

/// <summary>
/// Stands in for Discord's REST API and the Teams connector: answers every request 200 with a new message id and
/// remembers the id given to the last POST on each path (to find a posted poll card).
/// </summary>
public sealed class LocalUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _lastCreated = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Path, string Body)> _received = new();
    private long _nextId = 7_000_000;

    private LocalUpstream(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public static async Task<LocalUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var upstream = new LocalUpstream(app);
        app.Run(upstream.HandleAsync);
        await app.StartAsync();
        upstream.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return upstream;
    }

    /// <summary>Waits for a message to be POSTed to <paramref name="path"/> and returns the id it was given.</summary>
    public async Task<string> CreatedAtAsync(string path)
    {
        for (var i = 0; i < 1200; i++) // up to 30 s: a loaded 2-core machine may need it
        {
            if (_lastCreated.TryGetValue(path, out var id)) return id;
            await Task.Delay(25);
        }
        throw new TimeoutException($"Nothing was posted to {path}.");
    }

    /// <summary>
    /// Waits for requests whose path contains <paramref name="pathPart"/> (e.g. an interaction token: the edit of the
    /// original response and any follow-ups) until their bodies together satisfy <paramref name="complete"/> (a
    /// follow-up may come after the edit, later on a slow machine), then returns all their bodies. After 10 seconds
    /// it returns whatever arrived, for the caller's assertion to show.
    /// </summary>
    public async Task<string> BodiesSentToAsync(string pathPart, Func<string, bool> complete)
    {
        string Bodies() => string.Join("\n", _received.Where(r => r.Path.Contains(pathPart, StringComparison.Ordinal)).Select(r => r.Body));
        for (var i = 0; i < 1200; i++) // up to 30 s: a loaded 2-core machine may need it
        {
            if (_received.Any(r => r.Path.Contains(pathPart, StringComparison.Ordinal)) && complete(Bodies())) return Bodies();
            await Task.Delay(25);
        }
        if (_received.Any(r => r.Path.Contains(pathPart, StringComparison.Ordinal))) return Bodies();
        throw new TimeoutException($"Nothing was sent to a path containing {pathPart}.");
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        _received.Enqueue((context.Request.Path.Value ?? "", await reader.ReadToEndAsync()));
        var id = Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        if (HttpMethods.IsPost(context.Request.Method)) _lastCreated[context.Request.Path.Value ?? ""] = id;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync($$"""{"id":"{{id}}","channel_id":"1"}""");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
