using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PeerGroupBot.Core.Telemetry;
using PeerGroupBot.Discord.Rendering;

namespace PeerGroupBot.Discord.Rest;

/// <summary>How a request may be repeated when its outcome is unknown.</summary>
public enum RetryMode
{
    /// <summary>Creates something (a message): repeated only after a 429, when Discord says it did nothing. A 5xx or a timeout may have delivered it.</summary>
    OnlyRateLimited,

    /// <summary>Repeating it is harmless (an edit, a delete, opening a DM channel, overwriting commands): also repeated after a 5xx or a timeout.</summary>
    Idempotent,
}

/// <summary>
/// Discord REST API v10 over one typed <see cref="HttpClient"/>: the routes the bot uses, each request sent with the
/// User-Agent Discord requires and a JSON Content-Type when there is a body (multipart when a message carries files), paced by the <see cref="DiscordRateLimiter"/>. A 429 is waited out
/// and repeated; a 401 or 403 never is (repeating those earns a Cloudflare ban); a 5xx or a timeout is repeated only for
/// requests that are safe to repeat. Interaction webhook calls carry their token in the path, so paths are never logged.
/// </summary>
public sealed class DiscordRestClient(HttpClient http, DiscordRateLimiter limiter, IOptions<DiscordOptions> options, ILogger<DiscordRestClient> logger)
{
    private const int MaxAttempts = 5;
    private const int MaxTransientRetries = 2;

    public static readonly string Version = typeof(DiscordRestClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "1.0";

    private DiscordOptions Options => options.Value;

    /// <summary>Posts a message to a channel (or a DM channel); returns its id.</summary>
    public async Task<string> CreateMessageAsync(string channelId, MessagePayload message, CancellationToken cancellationToken)
    {
        using var created = await SendAsync(HttpMethod.Post, $"channels/{Id(channelId)}/messages", message, RetryMode.OnlyRateLimited, authenticate: true, cancellationToken).ConfigureAwait(false);
        return IdOf(created);
    }

    public async Task EditMessageAsync(string channelId, string messageId, MessagePayload message, CancellationToken cancellationToken)
    {
        message.Flags = null; // an edit cannot change whether a message is ephemeral
        using var _ = await SendAsync(HttpMethod.Patch, $"channels/{Id(channelId)}/messages/{Id(messageId)}", message, RetryMode.Idempotent, authenticate: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a message; a message that is already gone counts as deleted.</summary>
    public async Task DeleteMessageAsync(string channelId, string messageId, CancellationToken cancellationToken)
    {
        try
        {
            using var _ = await SendAsync(HttpMethod.Delete, $"channels/{Id(channelId)}/messages/{Id(messageId)}", null, RetryMode.Idempotent, authenticate: true, cancellationToken).ConfigureAwait(false);
        }
        catch (DiscordApiException ex) when (ex.Status == HttpStatusCode.NotFound) { }
    }

    /// <summary>Opens (or finds) the DM channel with a user; returns its id. Repeating it returns the same channel.</summary>
    public async Task<string> OpenDirectMessageAsync(string userId, CancellationToken cancellationToken)
    {
        using var channel = await SendAsync(HttpMethod.Post, "users/@me/channels", new { recipient_id = Id(userId) }, RetryMode.Idempotent, authenticate: true, cancellationToken).ConfigureAwait(false);
        return IdOf(channel);
    }

    /// <summary>Sends a follow-up message to an interaction (webhook endpoint: exempt from the global limit).</summary>
    public async Task<string> CreateFollowUpAsync(string interactionToken, MessagePayload message, CancellationToken cancellationToken)
    {
        using var created = await SendAsync(HttpMethod.Post, $"webhooks/{Id(ApplicationId)}/{Token(interactionToken)}?wait=true", message, RetryMode.OnlyRateLimited, authenticate: false, cancellationToken).ConfigureAwait(false);
        return IdOf(created);
    }

    /// <summary>Edits the interaction's original response: the deferred message, or for a component the message it was on.</summary>
    public async Task EditOriginalResponseAsync(string interactionToken, MessagePayload message, CancellationToken cancellationToken)
    {
        var flags = message.Flags;
        message.Flags = null;
        try
        {
            using var _ = await SendAsync(HttpMethod.Patch, $"webhooks/{Id(ApplicationId)}/{Token(interactionToken)}/messages/@original", message, RetryMode.Idempotent, authenticate: false, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            message.Flags = flags;
        }
    }

    /// <summary>The server (guild) a channel belongs to; null for a channel outside any server (a DM).</summary>
    public async Task<string?> GetChannelGuildAsync(string channelId, CancellationToken cancellationToken)
    {
        using var channel = await SendAsync(HttpMethod.Get, $"channels/{Id(channelId)}", null, RetryMode.Idempotent, authenticate: true, cancellationToken).ConfigureAwait(false);
        return channel is not null && channel.RootElement.ValueKind == JsonValueKind.Object
               && channel.RootElement.TryGetProperty("guild_id", out var guild) && guild.ValueKind == JsonValueKind.String
            ? guild.GetString()
            : null;
    }

    /// <summary>Creates a guild scheduled event (needs Manage Events); returns its id. Not repeated after a 5xx: it may have been created.</summary>
    public async Task<string> CreateScheduledEventAsync(string guildId, ScheduledEventPayload scheduledEvent, CancellationToken cancellationToken)
    {
        using var created = await SendAsync(HttpMethod.Post, $"guilds/{Id(guildId)}/scheduled-events", scheduledEvent, RetryMode.OnlyRateLimited, authenticate: true, cancellationToken).ConfigureAwait(false);
        return IdOf(created);
    }

    /// <summary>Changes a scheduled event: its time, place and text, or its status (<see cref="ScheduledEventPayload.Canceled"/>).</summary>
    public async Task ModifyScheduledEventAsync(string guildId, string eventId, ScheduledEventPayload change, CancellationToken cancellationToken)
    {
        using var _ = await SendAsync(HttpMethod.Patch, $"guilds/{Id(guildId)}/scheduled-events/{Id(eventId)}", change, RetryMode.Idempotent, authenticate: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How many members marked a scheduled event "Interested" (<c>user_count</c>, asked for with <c>with_user_count=true</c>).</summary>
    public async Task<int?> GetScheduledEventUserCountAsync(string guildId, string eventId, CancellationToken cancellationToken)
    {
        using var found = await SendAsync(HttpMethod.Get, $"guilds/{Id(guildId)}/scheduled-events/{Id(eventId)}?with_user_count=true", null, RetryMode.Idempotent, authenticate: true, cancellationToken).ConfigureAwait(false);
        return found is not null && found.RootElement.ValueKind == JsonValueKind.Object
               && found.RootElement.TryGetProperty("user_count", out var count) && count.TryGetInt32(out var n)
            ? n
            : null;
    }

    /// <summary>Replaces every slash command at once (globally, or in one guild, where changes show immediately).</summary>
    public async Task<int> OverwriteCommandsAsync(JsonElement commands, string? guildId, CancellationToken cancellationToken)
    {
        var path = guildId is null
            ? $"applications/{Id(ApplicationId)}/commands"
            : $"applications/{Id(ApplicationId)}/guilds/{Id(guildId)}/commands";
        using var result = await SendAsync(HttpMethod.Put, path, commands, RetryMode.Idempotent, authenticate: true, cancellationToken).ConfigureAwait(false);
        return result?.RootElement.ValueKind == JsonValueKind.Array ? result.RootElement.GetArrayLength() : 0;
    }

    private string ApplicationId => string.IsNullOrWhiteSpace(Options.ApplicationId)
        ? throw new InvalidOperationException("Discord:ApplicationId is not set.")
        : Options.ApplicationId.Trim();

    /// <summary>
    /// Sends one request with pacing and the retry rules above; returns the JSON answer (null for 204). A
    /// <see cref="MessagePayload"/> with files is sent as a file upload (see <see cref="DiscordRequestBody"/>).
    /// </summary>
    public async Task<JsonDocument?> SendAsync(HttpMethod method, string path, object? body, RetryMode retry, bool authenticate, CancellationToken cancellationToken)
    {
        var route = DiscordRoute.Parse(method, path);
        var content = DiscordRequestBody.For(body);
        var transientRetries = 0;
        for (var attempt = 1; ; attempt++)
        {
            await limiter.AcquireAsync(route, cancellationToken).ConfigureAwait(false);
            using var request = BuildRequest(method, path, content, authenticate);
            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptTimeout.CancelAfter(AttemptTimeout(content));
            HttpResponseMessage response;
            using var measured = Measure(route);
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, attemptTimeout.Token).ConfigureAwait(false);
                measured.Done(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                var what = ex is HttpRequestException ? "failed" : "timed out";
                measured.Done(ex is HttpRequestException ? "failed" : "timeout");
                if (retry == RetryMode.Idempotent && transientRetries++ < MaxTransientRetries)
                {
                    Retried(ex is HttpRequestException ? "failed" : "timeout");
                    logger.LogInformation("Discord {Route} {What}; trying again.", route.Template, what);
                    await Task.Delay(Backoff(transientRetries), cancellationToken).ConfigureAwait(false);
                    continue;
                }
                throw new DiscordApiException(null, null, $"Discord {route.Template} {what}.", ex);
            }

            using (response)
            {
                limiter.Observe(route, response.Headers);
                var status = response.StatusCode;
                if ((int)status is >= 200 and < 300)
                {
                    var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                    return bytes.Length == 0 ? null : JsonDocument.Parse(bytes);
                }

                var error = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
                if (status == HttpStatusCode.TooManyRequests)
                {
                    var wait = error.RetryAfter ?? response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                    var global = error.Global || HasHeader(response.Headers, "X-RateLimit-Global", "true") || HasHeader(response.Headers, "X-RateLimit-Scope", "global");
                    limiter.Exhausted(route, wait, global);
                    logger.LogWarning("Discord rate limited {Route} ({Scope}); waiting {Wait} ms.", route.Template, global ? "global" : "bucket", (int)wait.TotalMilliseconds);
                    if (attempt >= MaxAttempts) throw new DiscordApiException(status, error.Code, $"Discord {route.Template} stayed rate limited.");
                    Retried("rate_limited");
                    continue; // AcquireAsync waits until the bucket (or the global pause) resets
                }
                if ((int)status >= 500 && retry == RetryMode.Idempotent && transientRetries++ < MaxTransientRetries)
                {
                    Retried("server_error");
                    logger.LogInformation("Discord {Route} answered {Status}; trying again.", route.Template, (int)status);
                    await Task.Delay(Backoff(transientRetries), cancellationToken).ConfigureAwait(false);
                    continue;
                }
                if (status is HttpStatusCode.Unauthorized)
                    logger.LogError("Discord refused the bot's credentials (401) on {Route}. Check Discord:BotToken.", route.Template);
                throw new DiscordApiException(status, error.Code, $"Discord {route.Template} answered {(int)status}{(error.Code is { } code ? $" (code {code})" : "")}.");
            }
        }
    }

    /// <summary>One attempt in the outbound metrics and a span: the route template only (paths can hold interaction tokens).</summary>
    private static BotTelemetry.Measurement Measure(DiscordRoute route)
        => new(BotTelemetry.OutboundCalls, BotTelemetry.OutboundDuration,
            new System.Diagnostics.TagList { { "platform", DiscordMessenger.PlatformName }, { "route", route.Template } },
            BotTelemetry.Source.StartActivity("discord.request"));

    private static void Retried(string reason)
        => BotTelemetry.OutboundRetries.Add(1, new KeyValuePair<string, object?>("platform", DiscordMessenger.PlatformName), new KeyValuePair<string, object?>("reason", reason));

    private HttpRequestMessage BuildRequest(HttpMethod method, string path, DiscordRequestBody body, bool authenticate)
    {
        var request = new HttpRequestMessage(method, new Uri(BaseUri(), path));
        request.Headers.TryAddWithoutValidation("User-Agent", $"DiscordBot ({Options.UserAgentUrl}, {Version})");
        if (authenticate)
        {
            if (string.IsNullOrWhiteSpace(Options.BotToken)) throw new InvalidOperationException("Discord:BotToken is not set, so the bot cannot post to Discord.");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bot", Options.BotToken.Trim());
        }
        request.Content = body.CreateContent(); // built afresh per attempt: a retry resends every file
        return request;
    }

    /// <summary><c>Discord:RequestTimeout</c>, plus a second per MiB of files so that an upload on a slow link is not cut off.</summary>
    private TimeSpan AttemptTimeout(DiscordRequestBody body)
        => body.HasFiles ? Options.RequestTimeout + TimeSpan.FromSeconds(body.Length / (1024.0 * 1024)) : Options.RequestTimeout;

    private Uri BaseUri() => new(Options.ApiBaseUrl.TrimEnd('/') + "/");

    private sealed record ErrorBody(int? Code, TimeSpan? RetryAfter, bool Global);

    private static async Task<ErrorBody> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (bytes.Length == 0) return new ErrorBody(null, null, false);
            using var doc = JsonDocument.Parse(bytes);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return new ErrorBody(null, null, false);
            int? code = root.TryGetProperty("code", out var c) && c.TryGetInt32(out var ci) ? ci : null;
            TimeSpan? retryAfter = root.TryGetProperty("retry_after", out var r) && r.TryGetDouble(out var seconds) && seconds >= 0 && seconds < 86_400
                ? TimeSpan.FromSeconds(seconds) : null;
            var global = root.TryGetProperty("global", out var g) && g.ValueKind == JsonValueKind.True;
            return new ErrorBody(code, retryAfter, global);
        }
        catch (JsonException)
        {
            return new ErrorBody(null, null, false); // Cloudflare's HTML pages, for example
        }
    }

    private static bool HasHeader(HttpResponseHeaders headers, string name, string value)
        => headers.TryGetValues(name, out var values) && values.Any(v => v.Equals(value, StringComparison.OrdinalIgnoreCase));

    private static TimeSpan Backoff(int retry) => TimeSpan.FromMilliseconds(250 * Math.Pow(3, retry - 1));

    private static string IdOf(JsonDocument? document)
        => document is not null && document.RootElement.ValueKind == JsonValueKind.Object
           && document.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()!
            : throw new DiscordApiException(null, null, "Discord's answer had no id.");

    /// <summary>Ids are snowflakes (digits); anything else must never be spliced into a path.</summary>
    private static string Id(string id)
        => id.Length is > 0 and <= 25 && id.All(char.IsAsciiDigit) ? id : throw new ArgumentException("Not a Discord id.", nameof(id));

    private static string Token(string token)
        => IsInteractionToken(token) ? token : throw new ArgumentException("Not an interaction token.", nameof(token));

    /// <summary>Whether a string can be an interaction token (and so is safe to place in a webhook path).</summary>
    public static bool IsInteractionToken(string? token)
        => token is { Length: > 0 and <= 500 } && token.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.');
}

/// <summary>Discord answered with an error (or not at all). Carries the HTTP status and Discord's JSON error code, never message contents.</summary>
public sealed class DiscordApiException(HttpStatusCode? status, int? code, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Discord's code when a user has DMs closed (or shares no server with the bot).</summary>
    public const int CannotMessageUser = 50007;

    /// <summary>Discord's code when the bot lacks a permission for the request (e.g. Manage Events).</summary>
    public const int MissingPermissions = 50013;

    /// <summary>Discord's code when the thing asked about (a scheduled event someone deleted) does not exist.</summary>
    public const int UnknownScheduledEvent = 10070;

    public HttpStatusCode? Status { get; } = status;
    public int? Code { get; } = code;
}
