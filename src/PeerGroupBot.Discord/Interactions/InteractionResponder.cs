using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Discord.Rendering;
using PeerGroupBot.Discord.Rest;

namespace PeerGroupBot.Discord.Interactions;

/// <summary>
/// Answers one interaction inside Discord's three seconds: it runs the core, and if the core is not done after
/// <c>Discord:DeferAfter</c> it answers with a deferral and delivers the replies through the interaction's webhook
/// once they are ready. The webhook calls are returned as work to start only after the HTTP response has gone out.
/// </summary>
public sealed class InteractionResponder(
    ConversationRouter router,
    DiscordRestClient rest,
    InteractionWork work,
    IOptions<DiscordOptions> options,
    TimeProvider time,
    ILogger<InteractionResponder> logger)
{
    public static readonly BotReply Failed = BotReply.Warn("Sorry, something went wrong on my side and nothing was changed. Please try again.");

    /// <summary>The HTTP response, and what to do after it has been sent (null when nothing follows).</summary>
    public async Task<(InteractionResponse Response, Func<CancellationToken, Task>? After)> RespondAsync(Interaction interaction, BotInput input)
    {
        var context = InteractionContext.Of(interaction, input);
        var token = interaction.Token!;
        var core = work.Run(cancellationToken => router.HandleAsync(input, cancellationToken));
        var deadline = Task.Delay(options.Value.DeferAfter, time);
        if (await Task.WhenAny(core, deadline).ConfigureAwait(false) == core)
        {
            var plan = ResponsePlanner.Immediate(context, await RepliesAsync(core).ConfigureAwait(false));
            return (plan.Response, plan.Steps.Count == 0 ? null : ct => SendAsync(token, plan.Steps, ct));
        }

        logger.LogInformation("Deferred a Discord {Type} interaction: the core needed more than {Seconds} s.", interaction.Type, options.Value.DeferAfter.TotalSeconds);
        return (ResponsePlanner.Deferral(context), async ct =>
        {
            var replies = await RepliesAsync(core).ConfigureAwait(false);
            await SendAsync(token, ResponsePlanner.AfterDeferral(context, replies), ct).ConfigureAwait(false);
        });
    }

    private async Task<IReadOnlyList<BotReply>> RepliesAsync(Task<IReadOnlyList<BotReply>> core)
    {
        try
        {
            return await core.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            logger.LogError("The core failed on a Discord interaction: {Error}", ex.GetType().FullName);
            return [Failed];
        }
    }

    private async Task SendAsync(string token, IReadOnlyList<WebhookStep> steps, CancellationToken cancellationToken)
    {
        foreach (var step in steps)
        {
            try
            {
                if (step.Kind == WebhookStepKind.EditOriginal)
                    await rest.EditOriginalResponseAsync(token, step.Message, cancellationToken).ConfigureAwait(false);
                else
                    await rest.CreateFollowUpAsync(token, step.Message, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning("A Discord interaction {Step} failed: {Error}", step.Kind, ex is DiscordApiException ? ex.Message : ex.GetType().Name);
            }
        }
    }
}
