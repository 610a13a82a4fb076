using Microsoft.Extensions.Logging;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Outbound;
using PeerGroupBot.Teams.Identity;
using PeerGroupBot.Teams.Outbound;
using PeerGroupBot.Teams.Protocol;

namespace PeerGroupBot.Teams.Inbound;

/// <summary>What the messaging endpoint answers: nothing (200), or the body of an invoke response.</summary>
public sealed record TurnResult(AdaptiveCardInvokeResponse? InvokeResponse)
{
    public static readonly TurnResult Empty = new((AdaptiveCardInvokeResponse?)null);
}

/// <summary>
/// One authenticated activity, start to finish: map it to a <see cref="BotInput"/>, ask the core, and deliver each
/// reply the Teams way. Channel replies go into the conversation (the thread the member wrote in); private replies
/// and forms go to the member's personal chat; a reply that updates its source becomes the invoke response of an
/// <c>Action.Execute</c> click and, in shared conversations, is also written over the card with PUT so everyone sees it.
/// A reply's files travel with it on every path (<see cref="ReplySender"/>); an invoke response can only carry a card,
/// so its files follow as messages of their own. Answers to file consent cards go to <see cref="FileConsentTurn"/>.
/// </summary>
public sealed class TeamsTurn(
    ConversationRouter router,
    TeamRoles roles,
    ConversationReferences references,
    ConnectorClient connector,
    ReplySender sender,
    FileConsentTurn fileConsent,
    TeamsMessenger messenger,
    ILogger<TeamsTurn> logger)
{
    public async Task<TurnResult> HandleAsync(Activity activity, CancellationToken cancellationToken)
    {
        switch (activity.Type)
        {
            case ActivityTypes.Invoke when activity.Name == FileConsentTurn.InvokeName:
                await fileConsent.HandleAsync(activity, cancellationToken).ConfigureAwait(false);
                return TurnResult.Empty; // 200 with no body is the answer Teams expects
            case ActivityTypes.Message or ActivityTypes.Invoke:
                return await HandleInputAsync(activity, cancellationToken).ConfigureAwait(false);
            case ActivityTypes.ConversationUpdate or ActivityTypes.InstallationUpdate:
                await WelcomeAsync(activity, cancellationToken).ConfigureAwait(false);
                return TurnResult.Empty;
            default:
                return TurnResult.Empty;
        }
    }

    private async Task<TurnResult> HandleInputAsync(Activity activity, CancellationToken cancellationToken)
    {
        var isInvoke = activity.Type == ActivityTypes.Invoke;
        if (isInvoke && activity.Name != "adaptiveCard/action") return TurnResult.Empty;

        var isFacilitator = await roles.IsPlatformFacilitatorAsync(activity, cancellationToken).ConfigureAwait(false);
        var input = ActivityMapper.ToInput(activity, isFacilitator);
        if (input is null)
        {
            return isInvoke
                ? new TurnResult(new AdaptiveCardInvokeResponse { StatusCode = 400, Type = AdaptiveCardInvokeResponse.ErrorType, Value = new { code = "BadRequest", message = "That card action isn't one I recognise." } })
                : TurnResult.Empty;
        }

        var replies = await router.HandleAsync(input, cancellationToken).ConfigureAwait(false);
        var place = input.Place;
        BotReply? invokeCard = null;
        var sentPrivately = false;
        var conversationId = activity.Conversation!.Id!;
        var serviceUrl = activity.ServiceUrl!;
        var here = new ConversationTarget(serviceUrl, conversationId, place.IsPrivate);

        foreach (var reply in replies)
        {
            var replacesSource = reply.UpdatesSource && reply.Form is null && !string.IsNullOrEmpty(input.SourceMessageId)
                && (reply.Visibility == ReplyVisibility.Channel || place.IsPrivate);
            if (replacesSource)
            {
                if (isInvoke && invokeCard is null)
                {
                    var plan = ReplySender.PlanFor(here, reply);
                    invokeCard = plan.Reply;
                    // The invoke response refreshes the card for the member who clicked; in a shared conversation
                    // the PUT makes the same card what everyone else sees. Files follow as messages of their own.
                    if (!place.IsPrivate) await TryAsync("update", () => connector.UpdateAsync(serviceUrl, conversationId, input.SourceMessageId!, CardRenderer.ToActivity(plan.Reply), cancellationToken)).ConfigureAwait(false);
                    if (plan.HasFiles) await TryAsync("send", () => sender.SendFilesAsync(here, plan, cancellationToken)).ConfigureAwait(false);
                }
                else
                {
                    await TryAsync("update", () => sender.UpdateAsync(here, input.SourceMessageId!, reply, cancellationToken)).ConfigureAwait(false);
                }
                continue;
            }

            if ((reply.Visibility == ReplyVisibility.Private || reply.Form is not null) && !place.IsPrivate)
            {
                sentPrivately = true;
                await SendPrivatelyAsync(activity, input.Actor.MemberId, reply with { UpdatesSource = false }, cancellationToken).ConfigureAwait(false);
                continue;
            }

            // A typed message is answered in its thread; a click's answer goes to the conversation the card is in.
            var replyTo = isInvoke ? null : activity.Id;
            await TryAsync("send", () => sender.SendAsync(here, reply, replyTo, cancellationToken)).ConfigureAwait(false);
        }

        if (!isInvoke) return TurnResult.Empty;
        if (invokeCard is not null)
            return new TurnResult(new AdaptiveCardInvokeResponse { Type = AdaptiveCardInvokeResponse.CardType, Value = CardRenderer.Card(invokeCard) });
        return new TurnResult(new AdaptiveCardInvokeResponse
        {
            Type = AdaptiveCardInvokeResponse.MessageType,
            Value = sentPrivately ? "I've replied in our private chat." : "Done.",
        });
    }

    private async Task SendPrivatelyAsync(Activity activity, string memberId, BotReply reply, CancellationToken cancellationToken)
    {
        try
        {
            await messenger.SendPrivateAsync(memberId, reply, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogInformation("A private reply on Teams could not be delivered ({Error}).", ex.GetType().Name);
            // Say so where the member is, without the private contents.
            var note = BotReply.Say($"{FirstName(activity.From?.Name)}, I couldn't send you a private message. Open a chat with me (search for my name under Chat), say hello, then try again.");
            await TryAsync("send", () => connector.SendAsync(activity.ServiceUrl!, activity.Conversation!.Id!, CardRenderer.ToActivity(note), activity.Type == ActivityTypes.Message ? activity.Id : null, cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// When the bot is added to a team or a group chat it says hello there and points facilitators at <c>setup</c>.
    /// The member who first added it to a team is remembered as a team owner (the fallback when Graph can't answer), once.
    /// </summary>
    private async Task WelcomeAsync(Activity activity, CancellationToken cancellationToken)
    {
        var botId = activity.Recipient?.Id;
        var added = activity.Type == ActivityTypes.InstallationUpdate
            ? false // conversationUpdate carries the same news with the member list; answer it once
            : activity.MembersAdded?.Any(m => m.Id == botId) == true;
        if (!added || activity.Conversation?.Id is null || activity.ServiceUrl is null) return;

        var teamId = activity.ChannelData?.Team?.Id;
        if (!string.IsNullOrEmpty(teamId) && activity.From?.AadObjectId is { Length: > 0 } installer)
        {
            // Recorded once: whoever re-adds the app later is not made an owner by it.
            var recorded = false;
            await references.UpdateTeamAsync(teamId, current =>
            {
                recorded = current?.InstalledByAadObjectId is null;
                return (current ?? new TeamReference { TeamId = teamId }) with
                {
                    InstalledByAadObjectId = current?.InstalledByAadObjectId ?? installer,
                    AadGroupId = activity.ChannelData?.Team?.AadGroupId ?? current?.AadGroupId,
                    TenantId = activity.ChannelData?.Tenant?.Id ?? current?.TenantId,
                };
            }, cancellationToken).ConfigureAwait(false);
            if (recorded) roles.Forget(teamId);
        }

        var name = string.IsNullOrWhiteSpace(activity.Recipient?.Name) ? "PeerGroupBot" : activity.Recipient!.Name!;
        BotReply welcome;
        if (ActivityMapper.IsPersonal(activity))
        {
            welcome = new BotReply
            {
                Title = $"Hello, I'm {name}",
                Text = "I help peer-led groups share the running of their sessions. Here you can raise a concern privately, see your rota turns, "
                     + "and manage what I keep about you. Type `help` to see what you can do.",
            };
        }
        else
        {
            var where = teamId is null ? "this chat" : "the channel where your group meets";
            welcome = new BotReply
            {
                Title = $"Hello, I'm {name}",
                Text = "I help peer-led groups share the running of their sessions: topic polls everyone votes on, a fair rota for roles, "
                     + "an agenda anyone can add to, anonymous concerns and session reminders.\n\n"
                     + $"**Facilitators and team owners:** type `@{name} setup` in {where} to start a group there.\n\n"
                     + $"**Everyone:** type `@{name} help` to see what you can do.",
            };
        }
        await TryAsync("send", () => connector.SendAsync(activity.ServiceUrl, activity.Conversation.Id, CardRenderer.ToActivity(welcome), null, cancellationToken)).ConfigureAwait(false);
    }

    private static string FirstName(string? name)
    {
        var first = (name ?? "").Trim().Split(' ', 2)[0];
        return first.Length is > 0 and <= 40 ? first : "Sorry";
    }

    /// <summary>One delivery; a failure is logged (status only, never contents) and the turn goes on.</summary>
    private async Task TryAsync(string operation, Func<Task> send)
    {
        try
        {
            await send().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("Teams {Operation} failed: {Error}", operation, ex.GetType().Name);
        }
    }
}
