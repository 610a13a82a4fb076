using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PeerGroupBot.Core.State;
using PeerGroupBot.Teams.Auth;
using PeerGroupBot.Teams.Outbound;
using PeerGroupBot.Teams.Protocol;

namespace PeerGroupBot.Teams.Inbound;

/// <summary>
/// <c>POST /api/teams/messages</c>, the bot's messaging endpoint. In order: refuse anything but an <c>application/json</c>
/// body (415), read the body with a size cap, check the token (or, with no app id configured, which happens only in
/// Development, that the caller is a program on this machine: loopback and no forwarding headers), parse, check the token against the
/// activity (endorsed channel, serviceUrl), acknowledge types it does not act on, drop re-deliveries, remember the conversation, and run the turn.
/// Nothing is processed or stored before the token checks pass. Bad JSON is a 400, never a 500.
/// </summary>
public sealed class MessagesEndpoint(
    BotTokenValidator validator,
    DeliveryLog deliveries,
    ConversationReferences references,
    TeamsTurn turn,
    TurnFollowUps followUps,
    IOptions<TeamsOptions> options,
    ILogger<MessagesEndpoint> logger)
{
    public async Task<IResult> HandleAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        // Only JSON is read: a text/plain or form body is what any web page can send without asking first.
        if (!IsJson(http.Request.ContentType)) return Results.StatusCode(StatusCodes.Status415UnsupportedMediaType);
        if (!settings.AuthEnabled && !LocalCaller.IsLocal(http)) return Results.Unauthorized();
        var body = await ReadCappedAsync(http.Request, settings.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (body is null) return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);

        BotToken? token = null;
        if (settings.AuthEnabled)
        {
            token = await validator.ValidateAsync(http.Request.Headers.Authorization.ToString(), cancellationToken).ConfigureAwait(false);
            if (token is null) return Results.Unauthorized();
        }

        Activity? activity;
        try
        {
            activity = JsonSerializer.Deserialize<Activity>(body, ProtocolJson.Options);
        }
        catch (JsonException)
        {
            return Results.BadRequest(new { error = "The body is not a valid activity." });
        }
        if (activity is null || string.IsNullOrEmpty(activity.Type))
            return Results.BadRequest(new { error = "The body is not a valid activity." });

        if (token is not null && !(string.Equals(activity.ChannelId, TeamsOptions.TeamsChannelId, StringComparison.OrdinalIgnoreCase) && token.Admits(activity.ChannelId, activity.ServiceUrl)))
        {
            logger.LogInformation("A Teams request's token did not match its activity (channel or serviceUrl).");
            return Results.Unauthorized();
        }
        if (!IsUsableServiceUrl(activity.ServiceUrl) || activity.Conversation?.Id is null)
            return Results.BadRequest(new { error = "The activity has no usable serviceUrl or conversation." });
        // Activities the bot does not act on are acknowledged before anything is stored: no delivery mark, no
        // conversation reference, so they leave no trace.
        if (!ActivityTypes.IsHandled(activity.Type)) return Results.Ok();

        var deliveryId = string.IsNullOrEmpty(activity.Id) ? null : deliveries.IdOf(activity.Conversation.Id, activity.Id);
        try
        {
            // A vote click delivered twice stores nothing new: its mark is kept in memory, not in storage.
            if (deliveryId is not null && !(turn.RepeatIsHarmless(activity) ? deliveries.TryBeginHere(deliveryId) : await deliveries.TryBeginAsync(deliveryId, cancellationToken).ConfigureAwait(false)))
            {
                logger.LogInformation("A re-delivered Teams {Type} activity was ignored.", activity.Type);
                return activity.Type == ActivityTypes.Invoke
                    ? Results.Json(new AdaptiveCardInvokeResponse { Value = "Already done." }, ProtocolJson.Options)
                    : Results.Ok();
            }
        }
        catch (StateUnavailableException)
        {
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        try
        {
            await references.RememberAsync(activity, cancellationToken).ConfigureAwait(false);
            var result = await turn.HandleAsync(activity, cancellationToken).ConfigureAwait(false);
            if (result.After is { } after)
            {
                // The click is answered now; what it still has to deliver goes out once the answer has.
                http.Response.OnCompleted(() =>
                {
                    followUps.Start(after);
                    return Task.CompletedTask;
                });
            }
            return result.InvokeResponse is null ? Results.Ok() : Results.Json(result.InvokeResponse, ProtocolJson.Options);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogError("Handling a Teams {Type} activity failed with {Error}.", activity.Type, ex.GetType().Name);
            if (deliveryId is not null)
            {
                try { await deliveries.ForgetAsync(deliveryId, CancellationToken.None).ConfigureAwait(false); }
                catch (Exception forgetError) when (forgetError is not OperationCanceledException) { logger.LogWarning("Could not clear a delivery mark ({Error}).", forgetError.GetType().Name); }
            }
            return Results.StatusCode(ex is StateUnavailableException ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError);
        }
    }

    /// <summary>Reads the whole body, refusing more than <paramref name="limit"/> bytes whatever Content-Length says.</summary>
    internal static async Task<byte[]?> ReadCappedAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary><c>application/json</c>, with or without a charset.</summary>
    internal static bool IsJson(string? contentType)
        => MediaTypeHeaderValue.TryParse(contentType, out var type)
           && string.Equals(type.MediaType, "application/json", StringComparison.OrdinalIgnoreCase);

    private static bool IsUsableServiceUrl(string? url)
        => Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.UserInfo.Length == 0;
}
