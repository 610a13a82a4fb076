using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Discord.Rendering;

namespace PeerGroupBot.Discord.Interactions;

/// <summary>What the planner needs to know about the interaction being answered.</summary>
/// <param name="HasSourceMessage">A component click, or a modal opened from one: there is a message that UPDATE_MESSAGE replaces.</param>
/// <param name="SourceIsEphemeral">That message is ephemeral, so a private reply may replace it without anyone else seeing.</param>
/// <param name="FileLimit">The largest file this interaction's replies may carry: Discord says it in each interaction (<c>attachment_size_limit</c>, higher in boosted servers).</param>
public sealed record InteractionContext(InteractionType Type, bool HasSourceMessage, bool SourceIsEphemeral, bool IsDirectMessage, BotInput Input, long FileLimit = DiscordLimits.FileBytes)
{
    public static InteractionContext Of(Interaction interaction, BotInput input) => new(
        interaction.Type,
        interaction.Message?.Id is not null,
        ((interaction.Message?.Flags ?? 0) & MessagePayload.EphemeralFlag) != 0,
        interaction.GuildId is null,
        input,
        interaction.AttachmentSizeLimit is { } limit && limit > 0 ? limit : DiscordLimits.FileBytes);
}

public enum WebhookStepKind { EditOriginal, FollowUp }

/// <summary>One call to the interaction's webhook after the first response has been sent.</summary>
public sealed record WebhookStep(WebhookStepKind Kind, MessagePayload Message);

/// <summary>The first response (the HTTP answer) and the webhook calls that follow it, in order.</summary>
public sealed record InteractionPlan(InteractionResponse Response, IReadOnlyList<WebhookStep> Steps);

/// <summary>
/// Decides how the core's replies reach Discord. The first reply rides on the interaction response (a message,
/// UPDATE_MESSAGE when it replaces the clicked message, or a modal when it is a form); the rest become follow-ups.
/// When the core was too slow the response was a deferral, and then everything goes through the webhook: a deferred
/// command's "thinking" message is ephemeral (a slow public answer must not show who typed /concern), so it is filled
/// with the first private reply, and public replies follow as their own messages. Files cannot ride on the HTTP
/// response, so replies with files are deferred at once and delivered with their files through the webhook.
/// </summary>
public static class ResponsePlanner
{
    public const string ReopenLabel = "Open the form";
    public const string ReopenText = "This needs a form, and it took me a moment to get ready. Press **Open the form** to fill it in.";
    public const string RerunText = "This needs a form, but Discord can only open one straight after a command or a button. Please run the command again to continue.";
    public const string PostedInChannelText = "Done. My reply is in the channel.";

    public static InteractionPlan Immediate(InteractionContext context, IReadOnlyList<BotReply> replies)
    {
        if (replies.Count == 0)
        {
            return context.HasSourceMessage
                ? new InteractionPlan(new InteractionResponse { Type = CallbackTypes.DeferredUpdateMessage }, [])
                : new InteractionPlan(Message(CallbackTypes.ChannelMessage, ReplyRenderer.Message(BotReply.Private("Done."), ephemeral: true)), []);
        }

        var form = replies.FirstOrDefault(r => r.Form is not null)?.Form;
        if (form is not null && context.Type != InteractionType.ModalSubmit && ReplyRenderer.FitsModal(form))
            return new InteractionPlan(new InteractionResponse { Type = CallbackTypes.Modal, Data = ReplyRenderer.Modal(form) }, []);

        var list = replies.Select(r => r.Form is null ? r : FormAsMessage(r, context, canReopen: false)).ToList();
        if (list.Any(r => r.Attachments.Count > 0)) return DeferredForFiles(context, list);
        var first = context.HasSourceMessage ? list.FindIndex(r => CanUpdateSource(r, context)) : -1;
        InteractionResponse response;
        if (first >= 0)
        {
            response = Message(CallbackTypes.UpdateMessage, Render(context, list[first], ephemeral: false));
        }
        else
        {
            first = 0;
            response = Message(CallbackTypes.ChannelMessage, Render(context, list[0]));
        }
        var steps = list.Where((_, i) => i != first).Select(r => new WebhookStep(WebhookStepKind.FollowUp, Render(context, r))).ToList();
        return new InteractionPlan(response, steps);
    }

    /// <summary>The deferral sent when the core needs longer than Discord's first-response window.</summary>
    public static InteractionResponse Deferral(InteractionContext context)
        => context.HasSourceMessage
            ? new InteractionResponse { Type = CallbackTypes.DeferredUpdateMessage }
            : new InteractionResponse { Type = CallbackTypes.DeferredChannelMessage, Data = new MessagePayload { Flags = MessagePayload.EphemeralFlag } };

    /// <summary>The webhook calls that deliver the replies after <see cref="Deferral"/>.</summary>
    public static IReadOnlyList<WebhookStep> AfterDeferral(InteractionContext context, IReadOnlyList<BotReply> replies)
        => Deliver(context, replies.Select(r => r.Form is null ? r : FormAsMessage(r, context, canReopen: context.Type != InteractionType.ModalSubmit)).ToList());

    /// <summary>
    /// Replies with files, known at once: deferred now, then delivered through the webhook. A clicked message is deferred as
    /// an update (as after a slow click); otherwise the deferred message is filled by the first reply and takes its
    /// visibility, ephemeral exactly when that reply is private, as it would be as a direct answer.
    /// </summary>
    private static InteractionPlan DeferredForFiles(InteractionContext context, List<BotReply> list)
    {
        if (context.HasSourceMessage) return new InteractionPlan(Deferral(context), Deliver(context, list));
        var first = Render(context, list[0]);
        var deferral = new InteractionResponse
        {
            Type = CallbackTypes.DeferredChannelMessage,
            Data = first.Flags is null ? null : new MessagePayload { Flags = first.Flags },
        };
        var steps = list.Skip(1).Select(r => new WebhookStep(WebhookStepKind.FollowUp, Render(context, r))).Prepend(new WebhookStep(WebhookStepKind.EditOriginal, first));
        return new InteractionPlan(deferral, steps.ToList());
    }

    /// <summary>The webhook calls after a deferral: edit the original (the clicked message, or the "thinking" one), then follow up.</summary>
    private static List<WebhookStep> Deliver(InteractionContext context, List<BotReply> list)
    {
        var steps = new List<WebhookStep>();
        int original;
        if (context.HasSourceMessage)
        {
            // DEFERRED_UPDATE_MESSAGE: the original is the clicked message; follow-ups each choose their own visibility.
            original = list.FindIndex(r => CanUpdateSource(r, context));
            if (original >= 0) steps.Add(new WebhookStep(WebhookStepKind.EditOriginal, Render(context, list[original], ephemeral: false)));
        }
        else
        {
            // An ephemeral "thinking" message: the first private reply fills it; public replies follow as new messages.
            original = list.FindIndex(r => r.Visibility == ReplyVisibility.Private || context.IsDirectMessage);
            var filler = original >= 0 ? list[original] : BotReply.Private(list.Count == 0 ? "Done." : PostedInChannelText);
            steps.Add(new WebhookStep(WebhookStepKind.EditOriginal, Render(context, filler, ephemeral: true)));
        }
        steps.AddRange(list.Where((_, i) => i != original).Select(r => new WebhookStep(WebhookStepKind.FollowUp, Render(context, r))));
        return steps;
    }

    /// <summary>A reply may replace the clicked message unless that would show a private reply on a public message.</summary>
    private static bool CanUpdateSource(BotReply reply, InteractionContext context)
        => reply.UpdatesSource && (reply.Visibility == ReplyVisibility.Channel || context.SourceIsEphemeral || context.IsDirectMessage);

    private static MessagePayload Render(InteractionContext context, BotReply reply, bool? ephemeral = null)
        => ReplyRenderer.Message(reply, ephemeral ?? reply.Visibility == ReplyVisibility.Private, context.FileLimit);

    private static InteractionResponse Message(int type, MessagePayload message) => new() { Type = type, Data = message };

    /// <summary>A form that cannot open as a modal now: offered behind a button that replays the input, or explained.</summary>
    private static BotReply FormAsMessage(BotReply reply, InteractionContext context, bool canReopen)
    {
        var customId = canReopen ? FormReopen.CustomIdFor(context.Input) : null;
        return new BotReply
        {
            Title = reply.Form!.Title,
            Text = customId is null ? RerunText : ReopenText,
            Visibility = ReplyVisibility.Private,
            Buttons = customId is null ? [] : [new ReplyButton(ReopenLabel, customId, ButtonStyle.Primary)],
        };
    }
}
