using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using PeerGroupBot.Core;
using PeerGroupBot.Core.State;
using PeerGroupBot.Discord;
using PeerGroupBot.Playground;
using PeerGroupBot.Scheduling;
using PeerGroupBot.Storage;
using PeerGroupBot.Teams;

namespace PeerGroupBot.Hosting;

/// <summary>
/// Builds the bot's web host: the core, storage, the adapters' endpoints, the playground and /healthz.
/// Tests build it the same way, so what they exercise is what runs.
/// </summary>
public static class BotHost
{
    /// <summary>Where the bot listens when nothing else is configured (loopback only).</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>
    /// Log levels that hold even without appsettings.json: no line per outbound HTTP request or per resilience event at
    /// Information on the hot path; a failure still logs (once, where the bot handles it).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> QuietDefaults = new Dictionary<string, string?>
    {
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
        ["Logging:LogLevel:Polly"] = "Warning",
        ["Logging:LogLevel:Microsoft.Extensions.Http.Resilience"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
    };

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        // Below every other source, so appsettings, the environment and the command line can still turn them up.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = QuietDefaults });
        ConfigureServices(builder);
        configure?.Invoke(builder);
        var app = builder.Build();
        MapEndpoints(app);
        return app;
    }

    public static void ConfigureServices(WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
            builder.WebHost.UseUrls(DefaultUrl);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));

        builder.Services.AddPeerGroupBotStorage(builder.Configuration);
        builder.Services.AddPeerGroupBotSecrets(builder.Configuration, builder.Environment);
        builder.Services.AddPeerGroupBotCore();
        builder.Services.AddPeerGroupBotFeatureOptions(builder.Configuration, builder.Environment);
        builder.Services.AddPeerGroupBotScheduling(builder.Configuration);
        builder.Services.AddPlayground(builder.Configuration, builder.Environment);
        builder.Services.AddTeamsAdapter(builder.Configuration);
        builder.Services.AddDiscordAdapter(builder.Configuration);
        builder.Services.AddPeerGroupBotTelemetry(builder.Configuration);
    }

    public static void MapEndpoints(WebApplication app)
    {
        app.UseRouting(); // so the request telemetry below knows which endpoint (template) a request is for
        app.UseRequestTelemetry();
        app.MapGet("/", () => Results.Text("PeerGroupBot is running. Health: /healthz", "text/plain"));
        app.MapGet("/healthz", async (IStateStore store, CancellationToken cancellationToken) =>
        {
            bool healthy;
            try { healthy = await store.IsHealthyAsync(cancellationToken); }
            catch (Exception ex) when (ex is not OperationCanceledException) { healthy = false; }
            return healthy
                ? Results.Ok(new { status = "healthy", storage = "reachable" })
                : Results.Json(new { status = "unhealthy", storage = "unreachable" }, statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        app.MapTeamsApi();
        app.MapDiscordApi();
        if (!app.Services.GetRequiredService<IOptions<PlaygroundOptions>>().Value.Enabled) return;
        // The playground has no authentication, so it exists only on a developer's machine.
        if (app.Environment.IsDevelopment())
            app.MapPlayground();
        else
            app.Logger.LogWarning("Playground:Enabled is on, but the playground has no authentication and runs only in Development; it is off.");
    }
}
