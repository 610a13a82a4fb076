using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PeerGroupBot.Core.State;
using PeerGroupBot.Hosting;
using PeerGroupBot.Storage;
using PeerGroupBot.Testing;

namespace PeerGroupBot.Bench;

/// <summary>Where a benchmark keeps state: a folder, or a blob container (on Azurite here).</summary>
public sealed record StoreChoice(string Name, string? FolderPath = null, string? ConnectionString = null, string? Container = null)
{
    public static StoreChoice Folder(string path) => new("folder", FolderPath: path);
    public static StoreChoice Blob(string connectionString, string container) => new("blob", ConnectionString: connectionString, Container: container);

    public IEnumerable<string> Settings => FolderPath is not null
        ? ["--Storage:Provider=Folder", $"--Storage:FolderPath={FolderPath}"]
        : ["--Storage:Provider=AzureBlob", $"--Storage:ConnectionString={ConnectionString}", $"--Storage:Container={Container}"];
}

/// <summary>
/// The real bot host (<see cref="BotHost.Build"/>) on 127.0.0.1 with a free port, its store wrapped in a
/// <see cref="CountingStateStore"/>, Discord and Teams outbound calls pointed at a <see cref="FakeUpstream"/>.
/// </summary>
public sealed class BenchHost : IAsyncDisposable
{
    private BenchHost(WebApplication app, CountingStateStore store, KeyTrace trace, HttpClient client, TimeSpan startTime)
    {
        Trace = trace;
        App = app;
        Store = store;
        Client = client;
        StartTime = startTime;
    }

    public WebApplication App { get; }
    public CountingStateStore Store { get; }

    /// <summary>Off unless turned on: which keys the bot touches.</summary>
    public KeyTrace Trace { get; }
    public HttpClient Client { get; }

    /// <summary>From building the host to the end of <c>StartAsync</c> (hosted services started, port bound).</summary>
    public TimeSpan StartTime { get; }

    public IServiceProvider Services => App.Services;

    public static async Task<BenchHost> StartAsync(StoreChoice store, string upstreamUrl, string discordPublicKey, IEnumerable<string>? extra = null)
    {
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            "--environment=Development", // the Teams endpoint without a token (Teams:AppId empty) is served only in Development
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:PeerGroupBot.Scheduling=Information",
            "--Logging:LogLevel:Quartz=Warning",
            $"--Discord:PublicKey={discordPublicKey}",
            "--Discord:BotToken=bench-bot-token",
            $"--Discord:ApplicationId={DiscordDriver.ApplicationId}",
            $"--Discord:ApiBaseUrl={upstreamUrl}/api/v10",
            "--Teams:AppId=",
            "--Teams:UseGraphForOwners=false",
            "--Playground:Enabled=false",
            $"--Security:PseudonymKey={Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + 1)).ToArray())}",
            $"--Concerns:EncryptionKey={Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(i * 5 + 3)).ToArray())}",
            .. store.Settings,
            .. extra ?? [],
        ];
        var clock = Stopwatch.StartNew();
        CountingStateStore? counting = null;
        KeyTrace? trace = null;
        var app = BotHost.Build(args, builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
            // The store the host would build, counted: every round trip the bot makes goes through the decorator.
            builder.Services.AddSingleton<IStateStore>(sp => counting = new CountingStateStore(trace = new KeyTrace(
                StorageServices.CreateStore(sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetService<ILoggerFactory>()))));
        });
        await app.StartAsync();
        var started = clock.Elapsed;
        _ = app.Services.GetRequiredService<IStateStore>();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = new Uri(address),
            Timeout = TimeSpan.FromSeconds(30),
        };
        return new BenchHost(app, counting!, trace!, client, started);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await App.StopAsync(stop.Token);
        await App.DisposeAsync();
    }
}
