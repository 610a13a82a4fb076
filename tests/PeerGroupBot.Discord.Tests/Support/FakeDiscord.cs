using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PeerGroupBot.Discord.Tests.Support;

/// <summary>One file part of a multipart upload: its part name (<c>files[n]</c>), file name, content type and bytes.</summary>
public sealed record RecordedFile(string PartName, string FileName, string ContentType, byte[] Content)
{
    public string Text => Encoding.UTF8.GetString(Content);
}

/// <summary>
/// One request the fake Discord API received. For a multipart upload <see cref="Body"/> is the <c>payload_json</c> part
/// (what a JSON request would have sent) and <see cref="Files"/> holds the file parts.
/// </summary>
public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public bool IsMultipart => Headers.TryGetValue("Content-Type", out var type) && type.StartsWith("multipart/form-data", StringComparison.Ordinal);

    public IReadOnlyList<RecordedFile> Files { get; init; } = [];

    /// <summary>The id the fake gave the message this request created, if it created one.</summary>
    public string? CreatedId { get; set; }

    public bool CarriesMessage => Method is "POST" or "PATCH" && Body.Length > 0 && Path.Contains("/messages", StringComparison.Ordinal) || Path.StartsWith("/api/v10/webhooks/", StringComparison.Ordinal) && Method == "POST";
}

/// <summary>A guild scheduled event as the fake Discord holds it: the fields as last set, and its status.</summary>
public sealed class FakeScheduledEvent(string id, string guildId, JsonObject fields)
{
    public string Id { get; } = id;
    public string GuildId { get; } = guildId;
    public JsonObject Fields { get; } = fields;
    public int Status { get; set; } = 1;
    public int Interested { get; set; }

    public string Name => Fields["name"]!.GetValue<string>();
    public string Location => Fields["entity_metadata"]!["location"]!.GetValue<string>();
    public DateTimeOffset Start => DateTimeOffset.Parse(Fields["scheduled_start_time"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
    public DateTimeOffset End => DateTimeOffset.Parse(Fields["scheduled_end_time"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
    public bool IsScheduled => Status == 1;
}

/// <summary>A scripted answer for the next matching request(s).</summary>
public sealed record ScriptedAnswer(string Method, string PathContains, int Status, string Body, Dictionary<string, string>? Headers = null);

/// <summary>
/// A local stand-in for Discord's REST API: a real Kestrel server on 127.0.0.1 with a free port. It records every
/// request, answers message creation with a new id, and plays scripted answers (429s, errors) first when told to.
/// It is as strict as Discord where that matters: it keeps the channel messages it created, so editing or deleting
/// one it never had answers 404 (10008); an empty body sent as JSON answers 400 (50109); a DM to a user whose DMs are
/// closed answers 403 (50007).
/// </summary>
public sealed partial class FakeDiscord : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<ScriptedAnswer> _script = new();
    private long _nextId = 5_000_000;
    private readonly ConcurrentDictionary<string, FakeScheduledEvent> _events = new(StringComparer.Ordinal);

    private FakeDiscord(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";
    public string ApiBaseUrl => BaseUrl + "/api/v10";
    public IReadOnlyList<RecordedRequest> Requests => _requests.ToList();

    public static async Task<FakeDiscord> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeDiscord(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return fake;
    }

    public void Answer(ScriptedAnswer answer) => _script.Enqueue(answer);

    /// <summary>The messages in each channel as Discord holds them now (id → the last body written), like Discord's own state.</summary>
    public ConcurrentDictionary<string, string> Messages { get; } = new(StringComparer.Ordinal);

    /// <summary>Users whose DMs are closed to the bot: sending them a DM answers 403 with code 50007.</summary>
    public ConcurrentDictionary<string, bool> ClosedDms { get; } = new(StringComparer.Ordinal);

    private static string MessageKey(string channel, string id) => channel + "/" + id;

    /// <summary>A message the bot posted before the test began (so it can be edited and deleted).</summary>
    public void HasMessage(string channel, string id) => Messages[MessageKey(channel, id)] = "{}";

    /// <summary>Guild scheduled events by id, as Discord would list them (cancelled ones included).</summary>
    public IReadOnlyList<FakeScheduledEvent> ScheduledEvents => _events.Values.OrderBy(e => long.Parse(e.Id, System.Globalization.CultureInfo.InvariantCulture)).ToList();

    /// <summary>The bot's role lacks Manage Events: every scheduled-event request is refused with 403, code 50013.</summary>
    public bool DenyManageEvents { get; set; }

    public void Clear() => _requests.Clear();

    /// <summary>Waits until a request matching <paramref name="match"/> arrives (follow-ups are sent in the background).</summary>
    public async Task<RecordedRequest> WaitForAsync(Func<RecordedRequest, bool> match, TimeSpan? timeout = null)
    {
        var until = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(30)); // generous: a passing test never waits this long, a loaded 2-core machine may need it
        while (DateTimeOffset.UtcNow < until)
        {
            var found = Requests.FirstOrDefault(match);
            if (found is not null) return found;
            await Task.Delay(25);
        }
        throw new TimeoutException("The fake Discord never received the expected request. Got: " + string.Join(", ", Requests.Select(r => $"{r.Method} {r.Path}")));
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var (body, files) = await ReadBodyAsync(context.Request);
        var recorded = new RecordedRequest(context.Request.Method, path, headers, body, DateTimeOffset.UtcNow) { Files = files };
        _requests.Enqueue(recorded);

        if (_script.TryPeek(out var next) && next.Method == context.Request.Method && path.Contains(next.PathContains, StringComparison.Ordinal)
            && _script.TryDequeue(out var answer))
        {
            context.Response.StatusCode = answer.Status;
            foreach (var (name, value) in answer.Headers ?? []) context.Response.Headers[name] = value;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.Body);
            return;
        }

        context.Response.ContentType = "application/json";
        // Like Discord: a request that says it carries JSON must carry some (an empty body is "invalid JSON", 50109).
        if (body.Length == 0 && context.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true)
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsync("""{"message":"The request body contains invalid JSON.","code":50109}""");
            return;
        }
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries); // api, v10, channels, {id}, messages, {id}
        var isChannelMessage = segments.Length is 5 or 6 && segments[2] == "channels" && segments[4] == "messages";
        if (isChannelMessage && segments.Length == 6)
        {
            var key = MessageKey(segments[3], segments[5]);
            if (!Messages.ContainsKey(key))
            {
                context.Response.StatusCode = 404;
                await context.Response.WriteAsync("""{"message":"Unknown Message","code":10008}""");
                return;
            }
            if (context.Request.Method == "DELETE")
            {
                Messages.TryRemove(key, out _);
                context.Response.StatusCode = 204;
                return;
            }
            if (context.Request.Method == "PATCH") Messages[key] = body;
            await context.Response.WriteAsync($$"""{"id":"{{segments[5]}}","channel_id":"{{segments[3]}}"}""");
            return;
        }
        if (isChannelMessage && segments[3].StartsWith('7') && ClosedDms.ContainsKey(segments[3][1..]))
        {
            context.Response.StatusCode = 403;
            await context.Response.WriteAsync("""{"message":"Cannot send messages to this user","code":50007}""");
            return;
        }
        if (ChannelPath().Match(path) is { Success: true } channelMatch && context.Request.Method == "GET")
        {
            await context.Response.WriteAsync($$"""{"id":"{{channelMatch.Groups["id"].Value}}","type":0,"guild_id":"{{Payloads.GuildId}}"}""");
            return;
        }
        if (EventsPath().Match(path) is { Success: true } eventsMatch)
        {
            await ScheduledEventAsync(context, eventsMatch.Groups["guild"].Value, eventsMatch.Groups["event"].Success ? eventsMatch.Groups["event"].Value : null, body);
            return;
        }
        if (context.Request.Method == "DELETE") { context.Response.StatusCode = 204; return; }
        if (path.EndsWith("/users/@me/channels", StringComparison.Ordinal))
        {
            var recipient = JsonDocument.Parse(body).RootElement.GetProperty("recipient_id").GetString();
            await context.Response.WriteAsync($$"""{"id":"7{{recipient}}","type":1}""");
            return;
        }
        if (context.Request.Method == "PUT")
        {
            await context.Response.WriteAsync(body);
            return;
        }
        var id = Interlocked.Increment(ref _nextId);
        recorded.CreatedId = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (isChannelMessage && context.Request.Method == "POST") Messages[MessageKey(segments[3], recorded.CreatedId)] = body;
        await context.Response.WriteAsync($$"""{"id":"{{id}}","channel_id":"1"}""");
    }

    [GeneratedRegex(@"^/api/v10/channels/(?<id>\d+)$")]
    private static partial Regex ChannelPath();

    [GeneratedRegex(@"^/api/v10/guilds/(?<guild>\d+)/scheduled-events(?:/(?<event>\d+))?$")]
    private static partial Regex EventsPath();

    /// <summary>
    /// Guild scheduled events as Discord's API keeps them: create (POST), change (PATCH), read (GET, with
    /// <c>user_count</c> only when <c>with_user_count=true</c>). Bodies are checked as Discord checks them: a name of
    /// 1-100 characters, privacy level 2, a start in the future, and for an external event (type 3) no channel, a
    /// location of 1-100 characters and an end after the start; a description up to 1000. Status only moves from
    /// scheduled to active or cancelled, and from active to completed; a cancelled or completed event cannot change.
    /// </summary>
    private async Task ScheduledEventAsync(HttpContext context, string guildId, string? eventId, string body)
    {
        var response = context.Response;
        if (DenyManageEvents)
        {
            response.StatusCode = 403;
            await response.WriteAsync("""{"message":"Missing Permissions","code":50013}""");
            return;
        }
        async Task InvalidAsync(string problem)
        {
            response.StatusCode = 400;
            await response.WriteAsync(JsonSerializer.Serialize(new { message = "Invalid Form Body", code = 50035, errors = problem }));
        }

        FakeScheduledEvent? existing = null;
        if (eventId is not null && (!_events.TryGetValue(eventId, out existing) || existing.GuildId != guildId))
        {
            response.StatusCode = 404;
            await response.WriteAsync("""{"message":"Unknown Guild Scheduled Event","code":10070}""");
            return;
        }
        var method = context.Request.Method;
        if (method == "GET" && existing is not null)
        {
            var withCount = context.Request.Query["with_user_count"] == "true";
            await response.WriteAsync(Describe(existing, withCount).ToJsonString());
            return;
        }
        if ((method == "POST") == (existing is not null) || method is not ("POST" or "PATCH"))
        {
            response.StatusCode = 405;
            await response.WriteAsync("""{"message":"405: Method Not Allowed","code":0}""");
            return;
        }

        JsonObject change;
        try { change = JsonNode.Parse(body) as JsonObject ?? throw new JsonException(); }
        catch (JsonException) { await InvalidAsync("body is not a JSON object"); return; }

        if (existing is not null && !existing.IsScheduled && existing.Status != 2)
        {
            await InvalidAsync("a cancelled or completed event cannot be changed");
            return;
        }
        if (change["status"] is { } statusNode)
        {
            var to = statusNode.GetValue<int>();
            var from = existing?.Status ?? 1;
            var allowed = (from == 1 && to is 2 or 4) || (from == 2 && to == 3) || (existing is null && to == 1);
            if (!allowed) { await InvalidAsync($"status cannot go from {from} to {to}"); return; }
        }

        var merged = existing?.Fields.DeepClone().AsObject() ?? new JsonObject();
        foreach (var (name, value) in change) merged[name] = value?.DeepClone();
        var problem = Problem(merged, isCreate: existing is null, changesTime: change.ContainsKey("scheduled_start_time"));
        if (problem is not null) { await InvalidAsync(problem); return; }

        if (existing is null)
        {
            var id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
            merged.Remove("status");
            existing = new FakeScheduledEvent(id, guildId, merged);
            _events[id] = existing;
        }
        else
        {
            if (change["status"] is { } status) existing.Status = status.GetValue<int>();
            merged.Remove("status");
            foreach (var name in merged.Select(p => p.Key).ToList()) existing.Fields[name] = merged[name]!.DeepClone();
        }
        await response.WriteAsync(Describe(existing, withCount: false).ToJsonString());
    }

    private static string? Problem(JsonObject fields, bool isCreate, bool changesTime)
    {
        static string? Text(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        var name = Text(fields, "name");
        if (name is null || name.Length is < 1 or > 100) return "name must be 1-100 characters";
        if (fields["privacy_level"]?.GetValue<int>() != 2) return "privacy_level must be 2 (GUILD_ONLY)";
        if (Text(fields, "description") is { Length: > 1000 }) return "description must be at most 1000 characters";
        if (!DateTimeOffset.TryParse(Text(fields, "scheduled_start_time"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var start))
            return "scheduled_start_time must be an ISO8601 timestamp";
        if ((isCreate || changesTime) && start <= DateTimeOffset.UtcNow) return "scheduled_start_time must be in the future";
        var type = fields["entity_type"]?.GetValue<int>();
        if (type is not (1 or 2 or 3)) return "entity_type must be 1, 2 or 3";
        if (type == 3)
        {
            if (fields["channel_id"] is not null) return "channel_id must be null for an EXTERNAL event";
            var location = fields["entity_metadata"] is JsonObject metadata ? Text(metadata, "location") : null;
            if (location is null || location.Length is < 1 or > 100) return "entity_metadata.location must be 1-100 characters for an EXTERNAL event";
            if (!DateTimeOffset.TryParse(Text(fields, "scheduled_end_time"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var end))
                return "scheduled_end_time is required for an EXTERNAL event";
            if (end <= start) return "scheduled_end_time must be after scheduled_start_time";
        }
        return null;
    }

    private static JsonObject Describe(FakeScheduledEvent scheduled, bool withCount)
    {
        var json = scheduled.Fields.DeepClone().AsObject();
        json["id"] = scheduled.Id;
        json["guild_id"] = scheduled.GuildId;
        json["status"] = scheduled.Status;
        if (withCount) json["user_count"] = scheduled.Interested;
        return json;
    }

    /// <summary>
    /// A JSON body as text; a multipart upload parsed the way Discord reads it: the <c>payload_json</c> part is the message,
    /// every other part must be a file. A malformed upload fails the test rather than passing unnoticed.
    /// </summary>
    private static async Task<(string Body, IReadOnlyList<RecordedFile> Files)> ReadBodyAsync(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            return (await reader.ReadToEndAsync(), []);
        }

        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value ?? throw new InvalidOperationException("multipart without a boundary");
        var multipart = new MultipartReader(boundary, request.Body);
        string? payload = null;
        var files = new List<RecordedFile>();
        while (await multipart.ReadNextSectionAsync() is { } section)
        {
            var disposition = section.GetContentDispositionHeader() ?? throw new InvalidOperationException("a part without Content-Disposition");
            using var buffer = new MemoryStream();
            await section.Body.CopyToAsync(buffer);
            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
            if (name == "payload_json")
                payload = Encoding.UTF8.GetString(buffer.ToArray());
            else if (disposition.IsFileDisposition())
                files.Add(new RecordedFile(name, HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? "", section.ContentType ?? "", buffer.ToArray()));
            else
                throw new InvalidOperationException($"an unexpected form part {name}");
        }
        return (payload ?? throw new InvalidOperationException("multipart without payload_json"), files);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
