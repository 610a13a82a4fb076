using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Discord.Interactions;
using PeerGroupBot.Discord.Rendering;

namespace PeerGroupBot.Discord;

/// <summary>
/// The Discord surface of the host: <c>POST /api/discord/interactions</c>, the interactions endpoint URL set in the
/// Developer Portal. The body is read in full up to a size cap (Content-Length is not trusted), the signature is checked
/// over those exact bytes before anything is parsed, and every request is answered from its own locals: the endpoint
/// keeps no state between requests. Bad signatures get 401 (Discord probes this), malformed payloads 400, and a
/// repeat of an interaction already handled (a replay within the timestamp tolerance, on any instance) 409; an
/// interaction whose first handling failed (storage down while its mark was written, or the core failing) is forgotten,
/// so it is handled when it comes again.
/// </summary>
public static class DiscordApi
{
    public const string InteractionsPath = "/api/discord/interactions";

    public static RouteGroupBuilder MapDiscordApi(this IEndpointRouteBuilder endpoints)
    {
        if (!endpoints.ServiceProvider.GetRequiredService<SignatureVerifier>().IsConfigured)
        {
            endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DiscordApi).FullName!)
                .LogInformation("Discord:PublicKey is not set, so {Path} refuses every request. Set it to use the bot on Discord.", InteractionsPath);
        }
        var group = endpoints.MapGroup("/api/discord");
        group.MapPost("/interactions", HandleInteractionAsync);
        return group;
    }

    private static async Task<IResult> HandleInteractionAsync(
        HttpContext http,
        SignatureVerifier verifier,
        IOptions<DiscordOptions> options,
        ILoggerFactory loggers)
    {
        var body = await ReadBodyAsync(http.Request, options.Value.MaxRequestBodyBytes, http.RequestAborted);
        if (body is null) return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);

        var headers = http.Request.Headers;
        if (!verifier.IsAuthentic(headers["X-Signature-Ed25519"].FirstOrDefault(), headers["X-Signature-Timestamp"].FirstOrDefault(), body))
            return Results.Text("invalid request signature", statusCode: StatusCodes.Status401Unauthorized);

        var logger = loggers.CreateLogger(typeof(DiscordApi).FullName!);
        Interaction? interaction;
        try
        {
            interaction = JsonSerializer.Deserialize<Interaction>(body, DiscordJson.Options);
        }
        catch (JsonException)
        {
            interaction = null;
        }
        if (interaction is null) return BadRequest(logger, "not an interaction");

        switch (interaction.Type)
        {
            case InteractionType.Ping:
                return Json(new InteractionResponse { Type = CallbackTypes.Pong });
            case InteractionType.ApplicationCommandAutocomplete:
                return Json(new InteractionResponse { Type = CallbackTypes.AutocompleteResult, Data = new { choices = Array.Empty<object>() } });
        }

        if (!Rest.DiscordRestClient.IsInteractionToken(interaction.Token)) return BadRequest(logger, "no usable token");
        // Resolved only now, after the signature check: an unauthenticated request never reaches the core or storage.
        var services = http.RequestServices;
        var translator = services.GetRequiredService<InteractionTranslator>();
        var responder = services.GetRequiredService<InteractionResponder>();
        var work = services.GetRequiredService<InteractionWork>();
        var translated = translator.Translate(interaction);
        if (translated.Input is null) return BadRequest(logger, translated.Problem ?? "unreadable");
        if (string.IsNullOrEmpty(interaction.Id)) return BadRequest(logger, "no interaction id");
        var seen = services.GetRequiredService<InteractionLog>();
        try
        {
            // A signed request can be sent again within the timestamp tolerance: each interaction is handled once.
            // A vote click, whose repeat changes nothing, is checked in this instance's memory (no storage call).
            var mark = InteractionLog.HashOf(interaction.Id);
            var first = services.GetRequiredService<ConversationRouter>().RepeatIsHarmless(translated.Input)
                ? seen.TryBeginHere(mark)
                : await seen.TryBeginAsync(mark, http.RequestAborted);
            if (!first)
            {
                logger.LogInformation("Refused a repeated Discord interaction (a replay).");
                return Results.Text("this interaction was already handled", statusCode: StatusCodes.Status409Conflict);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Storage failed while the mark was written or checked, so it may or may not be stored, and nothing was done.
            // The mark is forgotten (best effort) so this interaction sent again is handled, and the member is told to
            // try again: the interaction is neither lost without a word nor handled twice.
            logger.LogWarning("Recording a Discord interaction as seen failed: {Error}", ex.GetType().Name);
            await InteractionResponder.ForgetAsync(seen, interaction, logger);
            return Json(ResponsePlanner.Immediate(InteractionContext.Of(interaction, translated.Input), [InteractionResponder.Failed]).Response);
        }

        var (response, after) = await responder.RespondAsync(interaction, translated.Input);
        if (after is not null)
        {
            // Follow-ups may only be sent once Discord has the first response.
            http.Response.OnCompleted(() =>
            {
                work.Start(after);
                return Task.CompletedTask;
            });
        }
        return Json(response);
    }

    /// <summary>Reads the whole body, or returns null once it passes <paramref name="limit"/> bytes.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var read = await request.Body.ReadAsync(chunk, cancellationToken);
            if (read == 0) return buffer.ToArray();
            if (buffer.Length + read > limit) return null;
            buffer.Write(chunk, 0, read);
        }
    }

    private static IResult BadRequest(ILogger logger, string problem)
    {
        logger.LogInformation("Refused a validly signed Discord request: {Problem}.", problem);
        return Results.Text("bad request: " + problem, statusCode: StatusCodes.Status400BadRequest);
    }

    private static IResult Json(InteractionResponse response) => Results.Json(response, DiscordJson.Options);
}
