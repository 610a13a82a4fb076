using System.Net;
using Microsoft.AspNetCore.Http;

namespace PeerGroupBot.Teams.Inbound;

/// <summary>
/// Whether a request really comes from a program on this machine, for the modes that have no authentication (Teams
/// with no app id, the playground; both exist only in Development). A loopback address alone is not enough: a reverse
/// proxy on the same host makes every client look like loopback, so a request that carries any forwarding header is
/// treated as coming from elsewhere.
/// </summary>
public static class LocalCaller
{
    /// <summary>Headers reverse proxies and CDNs add to say who the client really is.</summary>
    public static readonly IReadOnlyList<string> ForwardingHeaders =
    [
        "Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Port", "X-Forwarded-Server",
        "X-Real-IP", "X-Client-IP", "X-Original-For", "X-Cluster-Client-IP", "True-Client-IP", "CF-Connecting-IP",
        "Fastly-Client-IP", "X-ProxyUser-Ip", "Via", "X-ARR-ClientIP", "X-Original-URL",
    ];

    public static bool IsLocal(HttpContext http)
    {
        if (http.Connection.RemoteIpAddress is not { } remote || !IPAddress.IsLoopback(remote)) return false;
        var headers = http.Request.Headers;
        return ForwardingHeaders.All(name => !headers.ContainsKey(name));
    }
}
