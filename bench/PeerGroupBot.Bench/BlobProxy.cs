using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PeerGroupBot.Testing.Storage;

namespace PeerGroupBot.Bench;

/// <summary>
/// A counting pass-through in front of Azurite: every Blob REST request is forwarded as it came (method, raw path and
/// query, headers including <c>If-Match</c>/<c>If-None-Match</c>/<c>x-ms-*</c>, body) and answered as Azurite answered
/// (status, headers including <c>ETag</c>, body), and counted. Shared Key signatures stay valid because nothing they
/// cover changes (the account name is in the path; <c>Host</c> is not signed). Whatever client a bot uses, its storage
/// calls are counted here the same way: one HTTP request to the blob service is one call.
/// </summary>
public sealed class BlobProxy : IAsyncDisposable
{
    // Hop-by-hop headers (RFC 9110 §7.6.1) and Host belong to one connection, not to the request.
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Host", "Expect",
    };

    private readonly WebApplication _app;
    private readonly HttpMessageInvoker _client;
    private readonly Uri _upstream;
    private readonly ConcurrentDictionary<string, long> _byKind = new(StringComparer.Ordinal);
    private long _requests;

    private BlobProxy(WebApplication app, Uri upstream)
    {
        _app = app;
        _upstream = upstream;
        _client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
            MaxConnectionsPerServer = 512,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        });
    }

    public int Port { get; private set; }

    /// <summary>Requests forwarded so far (answered or not).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>The connection string a client uses to reach Azurite through this proxy.</summary>
    public string ConnectionString
        => $"DefaultEndpointsProtocol=http;AccountName={AzuriteFixture.AccountName};AccountKey={AzuriteFixture.AccountKey};BlobEndpoint=http://127.0.0.1:{Port}/{AzuriteFixture.AccountName};";

    /// <summary>Requests by method, REST operation (<c>comp</c>/<c>restype</c>) and status, most frequent first.</summary>
    public override string ToString()
        => string.Join(", ", _byKind.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value}"));

    public static async Task<BlobProxy> StartAsync(int azuritePort)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = null;
        });
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var proxy = new BlobProxy(app, new Uri($"http://127.0.0.1:{azuritePort}"));
        app.Run(proxy.ForwardAsync);
        await app.StartAsync();
        proxy.Port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        return proxy;
    }

    private async Task ForwardAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var inbound = context.Request;
        // The target exactly as sent: Kestrel's decoded Path would turn %2F in a blob name into a separator.
        var rawTarget = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        using var request = new HttpRequestMessage(new HttpMethod(inbound.Method), new Uri(_upstream, rawTarget));
        var hasBody = inbound.ContentLength is not null || inbound.Headers.TransferEncoding.Count > 0;
        if (hasBody) request.Content = new StreamContent(inbound.Body);
        foreach (var (name, values) in inbound.Headers)
        {
            if (NotForwarded.Contains(name)) continue;
            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
        }

        int status;
        try
        {
            using var response = await _client.SendAsync(request, context.RequestAborted);
            status = (int)response.StatusCode;
            context.Response.StatusCode = status;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
                if (!NotForwarded.Contains(name)) context.Response.Headers[name] = values.ToArray();
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
        catch (HttpRequestException)
        {
            // Azurite is down or closed the connection: the client sees what it would see from a failing gateway.
            status = StatusCodes.Status502BadGateway;
            if (!context.Response.HasStarted) context.Response.StatusCode = status;
        }
        _byKind.AddOrUpdate($"{inbound.Method} {Operation(inbound.Query)} {status}", 1, (_, n) => n + 1);
    }

    private static string Operation(IQueryCollection query)
        => query.TryGetValue("comp", out var comp) ? $"comp={comp}" : query.TryGetValue("restype", out var type) ? $"restype={type}" : "blob";

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _client.Dispose();
    }
}
