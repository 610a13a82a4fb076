using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace PeerGroupBot.Teams.Tests.Fakes;

/// <summary>
/// One request the fake received. <see cref="Path"/> is decoded and starts after the service prefix;
/// <see cref="ResponseId"/> is the activity id the fake answered a successful post with.
/// </summary>
public sealed record RecordedCall(string Method, string Path, JsonNode? Body, string? Authorization, DateTimeOffset At, string? ResponseId = null, string Region = FakeBotFramework.DefaultRegion)
{
    public JsonObject? Card => Body?["attachments"]?.AsArray().OfType<JsonObject>()
        .FirstOrDefault(a => a["contentType"]?.GetValue<string>() == "application/vnd.microsoft.card.adaptive")?["content"] as JsonObject;
    public string? Text => Body?["text"]?.GetValue<string>();

    /// <summary>The activity's attachments of one content type (images, file consent cards, file cards).</summary>
    public IReadOnlyList<JsonObject> AttachmentsOf(string contentType)
        => Body?["attachments"]?.AsArray().OfType<JsonObject>().Where(a => a["contentType"]?.GetValue<string>() == contentType).ToList() ?? [];

    /// <summary>Every piece of text a member would read in the activity: the message text and the card's text blocks and titles.</summary>
    public string Visible => string.Join("\n", new[] { Text }.Concat(Strings(Card)).Where(t => t is not null));

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.Where(p => p.Key is "text" or "title" or "label").Select(p => p.Value?.ToString() ?? "")
            .Concat(o.Where(p => p.Key is not ("text" or "title" or "label" or "data" or "fallback")).SelectMany(p => Strings(p.Value))),
        JsonArray a => a.SelectMany(Strings),
        _ => [],
    };
}

/// <summary>
/// A local stand-in for everything Microsoft runs that the adapter talks to, as a real Kestrel server on 127.0.0.1:
/// the Bot Framework OpenID metadata and signing keys (with endorsements), the Entra token endpoint, the Bot Connector
/// (conversations, activities, members, teams) and the one Microsoft Graph call. It records every request and can
/// be told to fail the next matching calls (429 with Retry-After, 500).
/// </summary>
public sealed class FakeBotFramework : IAsyncDisposable
{
    public const string Issuer = "https://api.botframework.com";
    public const string AccessToken = "fake-access-token";
    public const string MsTeamsKeyId = "key-msteams";
    public const string WebChatKeyId = "key-webchat";

    private WebApplication _app = null!;
    private int _nextId;

    public RSA TeamsKey { get; } = RSA.Create(2048);
    public RSA WebChatKey { get; } = RSA.Create(2048);
    public string BaseUrl { get; private set; } = "";
    public string ServiceUrl => BaseUrl + "/connector/";

    /// <summary>The region of <see cref="ServiceUrl"/>. Teams serves each tenant from a regional service URL, which can change.</summary>
    public const string DefaultRegion = "connector";

    /// <summary>The same Bot Connector under another regional service URL (<c>/connector-{region}/</c>), as after a tenant moves.</summary>
    public string ServiceUrlIn(string region) => $"{BaseUrl}/connector-{region}/";
    public string OpenIdMetadataUrl => BaseUrl + "/openid/.well-known/openidconfiguration";

    public ConcurrentQueue<RecordedCall> Calls { get; } = new();

    /// <summary>Files written to the fake OneDrive upload URLs (<see cref="UploadUrl"/>): the bytes and the headers that came with them.</summary>
    public ConcurrentQueue<(string Path, byte[] Content, string? ContentRange, string? Authorization)> Uploads { get; } = new();

    /// <summary>A pre-authorised upload URL as Teams hands out in a file consent answer.</summary>
    public string UploadUrl(string name) => $"{BaseUrl}/upload/{Guid.NewGuid():N}/{name}";
    public int TokenRequests;
    public ConcurrentQueue<string> TokenScopes { get; } = new();

    /// <summary>Team owners by the team's Entra group id, as Graph would list them.</summary>
    public ConcurrentDictionary<string, HashSet<string>> TeamOwners { get; } = new();

    /// <summary>Entra group ids for which Graph answers 403 (the app has no consent there).</summary>
    public ConcurrentDictionary<string, bool> GraphForbidden { get; } = new();

    /// <summary>Roster roles by Teams user id ("user" when not set).</summary>
    public ConcurrentDictionary<string, string> Roles { get; } = new();

    /// <summary>Teams user ids for whom creating a 1:1 conversation is refused (403).</summary>
    public ConcurrentDictionary<string, bool> Unreachable { get; } = new();

    /// <summary>
    /// Users the app is installed for: as in Teams, a bot may start a 1:1 chat only with a member who installed the app
    /// personally or shares a team with it. <see cref="Scene"/> records team members and personal chats; a member seen
    /// only in a group chat is refused (403).
    /// </summary>
    public ConcurrentDictionary<string, bool> InstalledFor { get; } = new();

    private readonly ConcurrentDictionary<string, (int Every, int Status, int Count)> _flaky = new();

    /// <summary>
    /// Every <paramref name="every"/>th call with this method whose path contains <paramref name="pathContains"/>
    /// answers <paramref name="status"/> (Teams' 412 when several writers hit one conversation, a 502 from its gateway):
    /// "sometimes", but the same calls every run.
    /// </summary>
    public void FailEvery(int every, string method, string pathContains, int status)
        => _flaky[method + " " + pathContains] = (every, status, 0);

    public void StopFailing() => _flaky.Clear();

    /// <summary>Calls <see cref="FailEvery"/> refused, so a test can tell the updates that took effect from those that did not.</summary>
    public ConcurrentQueue<RecordedCall> Refused { get; } = new();

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _holds = new();

    /// <summary>Calls with this method whose path contains <paramref name="pathContains"/> are recorded, then answered only once the returned source is set.</summary>
    public TaskCompletionSource Hold(string method, string pathContains)
        => _holds.GetOrAdd(method + " " + pathContains, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>
    /// Waits until <paramref name="condition"/> holds: what a card click still delivers (its PUT, private messages) goes
    /// out after the click is answered. Generous, because a loaded 2-core machine may need it; a passing test never waits long.
    /// </summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what = "the expected calls")
    {
        var until = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTimeOffset.UtcNow > until) throw new TimeoutException($"The fake connector never received {what}.");
            await Task.Delay(20);
        }
    }

    private readonly ConcurrentQueue<(string Method, string PathContains, int Status, int? RetryAfterSeconds)> _faults = new();

    /// <summary>The next call with this method whose path contains <paramref name="pathContains"/> answers <paramref name="status"/>.</summary>
    public void FailNext(string method, string pathContains, int status, int? retryAfterSeconds = null)
        => _faults.Enqueue((method, pathContains, status, retryAfterSeconds));

    public IReadOnlyList<RecordedCall> ConnectorCalls => Calls.Where(c => c.Path.StartsWith("v3/", StringComparison.Ordinal)).ToList();

    /// <summary>Activities the bot posted (new messages and replies), in order.</summary>
    public IReadOnlyList<RecordedCall> Sent => ConnectorCalls.Where(c => c.Method == "POST" && c.Path.Contains("/activities", StringComparison.Ordinal)).ToList();

    public IReadOnlyList<RecordedCall> Updates => ConnectorCalls.Where(c => c.Method == "PUT").ToList();

    public IReadOnlyList<RecordedCall> CreatedConversations => ConnectorCalls.Where(c => c.Method == "POST" && c.Path == "v3/conversations").ToList();

    public IReadOnlyList<RecordedCall> SentTo(string conversationId)
        => Sent.Where(c => c.Path.StartsWith($"v3/conversations/{conversationId}/activities", StringComparison.Ordinal)).ToList();

    public static string PersonalConversationOf(string userId) => "a:personal-" + userId;

    public void Clear()
    {
        Calls.Clear();
        foreach (var hold in _holds.Values) hold.TrySetResult();
        _holds.Clear();
    }

    public static async Task<FakeBotFramework> StartAsync()
    {
        var fake = new FakeBotFramework();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        fake._app = builder.Build();
        fake._app.Run(fake.HandleAsync);
        await fake._app.StartAsync();
        fake.BaseUrl = fake._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return fake;
    }

    /// <summary>A token as the Bot Connector would sign it, with knobs to forge every kind of bad one.</summary>
    public string CreateToken(string audience, string serviceUrl, string issuer = Issuer, RSA? key = null, string keyId = MsTeamsKeyId,
        DateTime? expires = null, DateTime? notBefore = null)
    {
        var signingKey = new RsaSecurityKey(key ?? TeamsKey) { KeyId = keyId };
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            NotBefore = notBefore ?? DateTime.UtcNow.AddMinutes(-1),
            Expires = expires ?? DateTime.UtcNow.AddMinutes(30),
            IssuedAt = (notBefore ?? DateTime.UtcNow.AddMinutes(-1)),
            Claims = new Dictionary<string, object> { ["serviceurl"] = serviceUrl },
            SigningCredentials = new SigningCredentials(signingKey, SecurityAlgorithms.RsaSha256),
        };
        return new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary>An unsigned token (<c>alg: none</c>) with otherwise perfect claims.</summary>
    public static string CreateUnsignedToken(string audience, string serviceUrl)
    {
        static string B64(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = JsonSerializer.Serialize(new Dictionary<string, object> { ["iss"] = Issuer, ["aud"] = audience, ["serviceurl"] = serviceUrl, ["nbf"] = now - 60, ["exp"] = now + 1800 });
        return $"{B64("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + MsTeamsKeyId + "\"}")}.{B64(payload)}.";
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        JsonNode? body = null;
        using (var buffer = new MemoryStream())
        {
            await request.Body.CopyToAsync(buffer);
            var bytes = buffer.ToArray();
            var text = Encoding.UTF8.GetString(bytes);
            if (request.Method == "PUT" && path.StartsWith("/upload/", StringComparison.Ordinal))
                Uploads.Enqueue((path, bytes, request.Headers.ContentRange.ToString(), request.Headers.Authorization.ToString()));
            if (text.Length > 0 && request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
                body = JsonNode.Parse(text);
            else if (text.Length > 0 && path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal))
                TokenScopes.Enqueue(WebUtility.UrlDecode(text.Split('&').FirstOrDefault(p => p.StartsWith("scope=", StringComparison.Ordinal))?[6..] ?? ""));
        }

        var region = System.Text.RegularExpressions.Regex.Match(path, "^/(connector(?:-[a-z0-9]+)?)/");
        var relative = region.Success ? path[region.Length..] : path.TrimStart('/');
        var newId = request.Method == "POST" && relative.StartsWith("v3/conversations/", StringComparison.Ordinal) && relative.Contains("/activities", StringComparison.Ordinal)
            ? "msg-" + Interlocked.Increment(ref _nextId) : null;
        Calls.Enqueue(new RecordedCall(request.Method, relative, body, request.Headers.Authorization.ToString(), DateTimeOffset.UtcNow, newId,
            region.Success ? region.Groups[1].Value : DefaultRegion));

        foreach (var (rule, hold) in _holds)
        {
            var space = rule.IndexOf(' ');
            if (rule[..space] == request.Method && relative.Contains(rule[(space + 1)..], StringComparison.Ordinal)) await hold.Task;
        }

        foreach (var (rule, flaky) in _flaky)
        {
            var space = rule.IndexOf(' ');
            if (rule[..space] != request.Method || !relative.Contains(rule[(space + 1)..], StringComparison.Ordinal)) continue;
            var count = _flaky.AddOrUpdate(rule, flaky, (_, f) => f with { Count = f.Count + 1 }).Count;
            if (count % flaky.Every != 0) continue;
            Refused.Enqueue(Calls.Last());
            context.Response.StatusCode = flaky.Status;
            await context.Response.WriteAsJsonAsync(new { error = new { code = flaky.Status == 412 ? "PreconditionFailed" : "BadGateway", message = "injected" } });
            return;
        }

        foreach (var fault in _faults)
        {
            if (fault.Method != request.Method || !relative.Contains(fault.PathContains, StringComparison.Ordinal)) continue;
            if (!TryDequeue(fault)) break;
            context.Response.StatusCode = fault.Status;
            if (fault.RetryAfterSeconds is { } seconds) context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await context.Response.WriteAsJsonAsync(new { error = new { code = "Fault", message = "injected" } });
            return;
        }

        switch (request.Method, Segments(relative))
        {
            case ("GET", ["openid", ".well-known", "openidconfiguration"]):
                await context.Response.WriteAsJsonAsync(new Dictionary<string, object>
                {
                    ["issuer"] = Issuer,
                    ["authorization_endpoint"] = "https://invalid.botframework.com",
                    ["jwks_uri"] = BaseUrl + "/openid/keys",
                    ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                    ["token_endpoint_auth_methods_supported"] = new[] { "private_key_jwt" },
                });
                return;
            case ("GET", ["openid", "keys"]):
                await context.Response.WriteAsJsonAsync(new { keys = new[] { Jwk(TeamsKey, MsTeamsKeyId, "msteams"), Jwk(WebChatKey, WebChatKeyId, "webchat") } });
                return;
            case ("POST", [_, "oauth2", "v2.0", "token"]):
                Interlocked.Increment(ref TokenRequests);
                await context.Response.WriteAsJsonAsync(new { token_type = "Bearer", expires_in = 3600, ext_expires_in = 3600, access_token = AccessToken });
                return;
            case ("GET", ["v1.0", "teams", var groupId, "members"]):
                await GraphMembersAsync(context, groupId);
                return;
            case ("PUT", ["upload", ..]):
                context.Response.StatusCode = 201;
                await context.Response.WriteAsJsonAsync(new { id = "drive-item", name = Segments(relative)[^1] });
                return;
        }

        if (!relative.StartsWith("v3/", StringComparison.Ordinal)) { context.Response.StatusCode = 404; return; }
        if (request.Headers.Authorization.ToString() != "Bearer " + AccessToken) { context.Response.StatusCode = 401; return; }

        switch (request.Method, Segments(relative))
        {
            case ("POST", ["v3", "conversations"]):
                var member = body?["members"]?[0]?["id"]?.GetValue<string>() ?? "";
                if (Unreachable.ContainsKey(member) || !InstalledFor.ContainsKey(member))
                {
                    context.Response.StatusCode = 403;
                    await context.Response.WriteAsJsonAsync(new { error = new { code = "Forbidden", message = "The bot is not installed for this user." } });
                    return;
                }
                await context.Response.WriteAsJsonAsync(new { id = PersonalConversationOf(member) });
                return;
            case ("POST", ["v3", "conversations", _, "activities", ..]):
                context.Response.StatusCode = 201;
                // Like Teams: text together with attachments is split into two messages, and no id comes back.
                var split = !string.IsNullOrEmpty(body?["text"]?.GetValue<string>()) && body?["attachments"] is JsonArray { Count: > 0 };
                await context.Response.WriteAsJsonAsync(split ? new { id = (string?)null } : new { id = newId });
                return;
            case ("PUT", ["v3", "conversations", _, "activities", var activityId]):
                await context.Response.WriteAsJsonAsync(new { id = activityId });
                return;
            case ("GET", ["v3", "conversations", _, "members", var userId]):
                await context.Response.WriteAsJsonAsync(new { id = userId, name = "Someone", userRole = Roles.GetValueOrDefault(userId, "user") });
                return;
            case ("GET", ["v3", "teams", var teamId]):
                await context.Response.WriteAsJsonAsync(new { id = teamId, name = "A team", aadGroupId = "group-of-" + teamId });
                return;
            default:
                context.Response.StatusCode = 404;
                return;
        }
    }

    private async Task GraphMembersAsync(HttpContext context, string groupId)
    {
        if (context.Request.Headers.Authorization.ToString() != "Bearer " + AccessToken || GraphForbidden.ContainsKey(groupId))
        {
            context.Response.StatusCode = 403;
            return;
        }
        var filter = context.Request.Query["$filter"].ToString();
        var owners = TeamOwners.GetValueOrDefault(groupId) ?? [];
        var userId = filter.Split('\'').ElementAtOrDefault(1) ?? "";
        var value = new List<object>
        {
            new Dictionary<string, object> { ["@odata.type"] = "#microsoft.graph.aadUserConversationMember", ["userId"] = userId, ["roles"] = owners.Contains(userId) ? new[] { "owner" } : Array.Empty<string>() },
        };
        await context.Response.WriteAsJsonAsync(new { value });
    }

    private bool TryDequeue((string, string, int, int?) fault)
    {
        // Faults are consumed in order; only the head may be taken.
        return _faults.TryPeek(out var head) && head == fault && _faults.TryDequeue(out _);
    }

    private static string[] Segments(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    private static object Jwk(RSA rsa, string keyId, string endorsement)
    {
        var parameters = rsa.ExportParameters(false);
        return new Dictionary<string, object>
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = keyId,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
            ["endorsements"] = new[] { endorsement },
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        TeamsKey.Dispose();
        WebChatKey.Dispose();
    }
}
