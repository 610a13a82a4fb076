using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PeerGroupBot.Bench;

/// <summary>
/// Stands in for Discord's REST API and the Teams Bot Connector: a loopback Kestrel that answers every request 200
/// with a fresh message id, so the bot's outbound calls cost one local round trip and never fail.
/// </summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _nextId = 7_000_000;
    private long _requests;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _lastCreated = new(StringComparer.Ordinal);

    private FakeUpstream(WebApplication app) => _app = app;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _byShape = new(StringComparer.Ordinal);

    public string BaseUrl { get; private set; } = "";

    /// <summary>Requests by method and path shape (ids as *), most frequent first, e.g. <c>PUT /teams/v3/conversations/*/activities/* 120</c>.</summary>
    public string Breakdown => string.Join(", ", _byShape.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value}"));

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>The id given to the last message POSTed to <paramref name="path"/> (e.g. a Discord channel's messages), if any.</summary>
    public string? LastCreatedAt(string path) => _lastCreated.TryGetValue(path, out var id) ? id : null;

    /// <summary>The id given to the last message POSTed to a path under <paramref name="prefix"/> (a reply in a thread is posted to <c>…/activities/{id}</c>).</summary>
    public string? LastCreatedUnder(string prefix)
        => _lastCreated.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(p => p.Value).OrderByDescending(long.Parse).FirstOrDefault();

    public static async Task<FakeUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeUpstream(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return fake;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        _byShape.AddOrUpdate($"{context.Request.Method} {Shape(context.Request.Path.Value ?? "")}", 1, (_, n) => n + 1);
        // Drain the body so the connection is reusable.
        await context.Request.Body.CopyToAsync(Stream.Null);
        var id = Interlocked.Increment(ref _nextId);
        if (HttpMethods.IsPost(context.Request.Method))
            _lastCreated[context.Request.Path.Value ?? ""] = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.ContentType = "application/json";
        var body = Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","channel_id":"1","activityId":"{{id}}"}""");
        await context.Response.Body.WriteAsync(body);
    }

    private static string Shape(string path)
        => System.Text.RegularExpressions.Regex.Replace(
            System.Text.RegularExpressions.Regex.Replace(path, "/(conversations|activities|channels|messages|webhooks|interactions)/[^/]+", "/$1/*"), "[0-9]{3,}", "*");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
