using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Members;
using PeerGroupBot.Discord.Rendering;
using PeerGroupBot.Discord.Rest;

namespace PeerGroupBot.Discord.Interactions;

/// <summary>
/// Answers one interaction inside Discord's three seconds: it runs the core, and if the core is not done after
/// <c>Discord:DeferAfter</c> it answers with a deferral and delivers the replies through the interaction's webhook
/// once they are ready. The webhook calls are returned as work to start only after the HTTP response has gone out.
/// </summary>
/// A click whose answer replaced a posted channel message is settled afterwards
/// (<see cref="PostedMessageRefresh.SettleAsync"/>): in a bridged group a vote on the other platform may have landed while
/// this answer was on its way, and its newer edit must not be overwritten by this older card.
/// When the core fails the member is told nothing was changed, and the interaction's seen mark is forgotten, so the same
/// interaction sent again is handled rather than refused as a replay.
public sealed class InteractionResponder(
    ConversationRouter router,
    InteractionLog seen,
    PostedMessageRefresh posted,
    DiscordRestClient rest,
    InteractionWork work,
    IOptions<DiscordOptions> options,
    TimeProvider time,
    ILogger<InteractionResponder> logger)
{
    public static readonly BotReply Failed = BotReply.Failure("Sorry, something went wrong on my side and nothing was changed. Please try again.");

    /// <summary>The HTTP response, and what to do after it has been sent (null when nothing follows).</summary>
    public async Task<(InteractionResponse Response, Func<CancellationToken, Task>? After)> RespondAsync(Interaction interaction, BotInput input)
    {
        var context = InteractionContext.Of(interaction, input);
        var token = interaction.Token!;
        var core = work.Run(cancellationToken => router.HandleAsync(input, cancellationToken));
        var deadline = Task.Delay(options.Value.DeferAfter, time);
        if (await Task.WhenAny(core, deadline).ConfigureAwait(false) == core)
        {
            var replies = await RepliesAsync(interaction, core).ConfigureAwait(false);
            var plan = ResponsePlanner.Immediate(context, replies);
            var settle = plan.Response.Type == CallbackTypes.UpdateMessage ? SettleFor(interaction, replies) : null;
            if (plan.Steps.Count == 0 && settle is null) return (plan.Response, null);
            return (plan.Response, async ct =>
            {
                await SendAsync(token, plan.Steps, ct).ConfigureAwait(false);
                if (settle is not null) await settle(ct).ConfigureAwait(false);
            });
        }

        logger.LogInformation("Deferred a Discord {Type} interaction: the core needed more than {Seconds} s.", interaction.Type, options.Value.DeferAfter.TotalSeconds);
        return (ResponsePlanner.Deferral(context), async ct =>
        {
            var replies = await RepliesAsync(interaction, core).ConfigureAwait(false);
            await SendAsync(token, ResponsePlanner.AfterDeferral(context, replies), ct).ConfigureAwait(false);
            if (SettleFor(interaction, replies) is { } settle) await settle(ct).ConfigureAwait(false);
        });
    }

    /// <summary>When the answer replaced a public message with a card, brings that copy up to date once the answer is out.</summary>
    private Func<CancellationToken, Task>? SettleFor(Interaction interaction, IReadOnlyList<BotReply> replies)
    {
        var shown = replies.FirstOrDefault(r => r.UpdatesSource && r.Form is null && r.Visibility == ReplyVisibility.Channel);
        var messageId = interaction.Message?.Id;
        var channelId = interaction.ChannelIdOrNull;
        if (shown is null || messageId is null || channelId is null || ((interaction.Message!.Flags ?? 0) & MessagePayload.EphemeralFlag) != 0) return null;
        var copy = new PeerGroupBot.Core.Outbound.PostedCopy(DiscordMessenger.PlatformName, channelId, messageId);
        return async ct =>
        {
            try { await posted.SettleAsync(copy, shown, ct).ConfigureAwait(false); }
            catch (Exception ex) when (ex is not OperationCanceledException) { logger.LogWarning("Settling a clicked Discord message failed: {Error}", ex.GetType().Name); }
        };
    }

    private async Task<IReadOnlyList<BotReply>> RepliesAsync(Interaction interaction, Task<IReadOnlyList<BotReply>> core)
    {
        try
        {
            var replies = await core.ConfigureAwait(false);
            if (replies.Any(r => r.NothingDone)) await ForgetAsync(seen, interaction, logger).ConfigureAwait(false);
            return replies;
        }
        catch (Exception ex)
        {
            logger.LogError("The core failed on a Discord interaction: {Error}", ex.GetType().FullName);
            await ForgetAsync(seen, interaction, logger).ConfigureAwait(false);
            return [Failed];
        }
    }

    /// <summary>
    /// Forgets that <paramref name="interaction"/> was seen, because its handling failed before anything was done: the
    /// same interaction sent again is then handled. Best effort: when storage is down too, the resend is refused as
    /// seen, which is safe (nothing was done twice) and the member has been told to try again.
    /// </summary>
    public static async Task ForgetAsync(InteractionLog seen, Interaction interaction, ILogger logger)
    {
        try { await seen.ForgetAsync(InteractionLog.HashOf(interaction.Id!), CancellationToken.None).ConfigureAwait(false); }
        catch (Exception ex) when (ex is not OperationCanceledException) { logger.LogWarning("Forgetting a failed Discord interaction's mark failed: {Error}", ex.GetType().Name); }
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
