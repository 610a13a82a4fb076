using Microsoft.Extensions.Logging;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Members;
using PeerGroupBot.Core.Outbound;
using PeerGroupBot.Teams.Identity;
using PeerGroupBot.Teams.Outbound;
using PeerGroupBot.Teams.Protocol;

namespace PeerGroupBot.Teams.Inbound;

/// <summary>
/// What the messaging endpoint answers: nothing (200), or the body of an invoke response; and the deliveries that
/// follow once that answer has gone out (<see cref="After"/>, run by <see cref="TurnFollowUps"/>).
/// </summary>
public sealed record TurnResult(AdaptiveCardInvokeResponse? InvokeResponse, Func<CancellationToken, Task>? After = null)
{
    public static readonly TurnResult Empty = new((AdaptiveCardInvokeResponse?)null);
}

/// <summary>
/// One authenticated activity, start to finish: map it to a <see cref="BotInput"/>, ask the core, and deliver each
/// reply the Teams way. Channel replies go into the conversation (the thread the member wrote in); private replies
/// and forms go to the member's personal chat; a reply that updates its source becomes the invoke response of an
/// <c>Action.Execute</c> click and is also written over the card with PUT, in every scope (personal chat included), so
/// the member's other devices and everyone else see the same card and old buttons do not come back. A form submitted
/// from a card that nothing else replaces is replaced by a short "sent" card, so it cannot be sent twice.
/// A click is answered as soon as the core has stored what it changed: the PUT, private messages and files follow
/// after the answer, bounded by <see cref="TeamsOptions.FollowUpTimeLimit"/> (Azure Bot Service gives up on an invoke
/// after about 15 seconds). A reply's files travel with it on every path (<see cref="ReplySender"/>); an invoke
/// response can only carry a card, so its files follow as messages of their own. Answers to file consent cards go to
/// <see cref="FileConsentTurn"/>.
/// </summary>
public sealed partial class TeamsTurn(
    ConversationRouter router,
    PostedMessageRefresh posted,
    TeamRoles roles,
    ConversationReferences references,
    ConnectorClient connector,
    ReplySender sender,
    FileConsentTurn fileConsent,
    TeamsMessenger messenger,
    ILogger<TeamsTurn> logger)
{
    public const string SentTitle = "Sent";

    /// <summary>Whether handling this activity twice changes nothing (a vote click), so its re-delivery needs no mark in storage.</summary>
    public bool RepeatIsHarmless(Activity activity)
        => activity.Type == ActivityTypes.Invoke && ActivityMapper.ToInput(activity, isFacilitator: false) is { } input && router.RepeatIsHarmless(input);

    public async Task<TurnResult> HandleAsync(Activity activity, CancellationToken cancellationToken)
    {
        switch (activity.Type)
        {
            case ActivityTypes.Invoke when activity.Name == FileConsentTurn.InvokeName:
                await references.RememberMemberAsync(activity, cancellationToken).ConfigureAwait(false);
                await fileConsent.HandleAsync(activity, cancellationToken).ConfigureAwait(false);
                return TurnResult.Empty; // 200 with no body is the answer Teams expects
            case ActivityTypes.Message or ActivityTypes.Invoke:
                return await HandleInputAsync(activity, cancellationToken).ConfigureAwait(false);
            case ActivityTypes.ConversationUpdate or ActivityTypes.InstallationUpdate:
                await references.RememberMemberAsync(activity, cancellationToken).ConfigureAwait(false);
                await WelcomeAsync(activity, cancellationToken).ConfigureAwait(false);
                return TurnResult.Empty;
            default:
                await references.RememberMemberAsync(activity, cancellationToken).ConfigureAwait(false);
                return TurnResult.Empty;
        }
    }

    private async Task<TurnResult> HandleInputAsync(Activity activity, CancellationToken cancellationToken)
    {
        var isInvoke = activity.Type == ActivityTypes.Invoke;
        if (isInvoke && activity.Name != "adaptiveCard/action")
        {
            await references.RememberMemberAsync(activity, cancellationToken).ConfigureAwait(false);
            return TurnResult.Empty;
        }

        var isFacilitator = await roles.IsPlatformFacilitatorAsync(activity, cancellationToken).ConfigureAwait(false);
        // The sender's reference goes with the input: the core stores it (with a newcomer's index, in the same create).
        var input = ActivityMapper.ToInput(activity, isFacilitator) is { } mapped ? mapped with { Contact = ConversationReferences.ContactOf(activity) } : null;
        if (input is null)
        {
            await references.RememberMemberAsync(activity, cancellationToken).ConfigureAwait(false);
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
        var deliveries = new List<Func<CancellationToken, Task>>();

        bool ReplacesSource(BotReply reply) => reply.UpdatesSource && reply.Form is null && !string.IsNullOrEmpty(input.SourceMessageId)
            && (reply.Visibility == ReplyVisibility.Channel || place.IsPrivate);
        // A click that refreshes its card: a plain private note to the clicker (their vote, in their words) rides in the
        // card the invoke response gives back to them alone, never as a message in their personal chat.
        var cardForClicker = isInvoke && !place.IsPrivate && replies.Any(ReplacesSource);
        var clickerNotes = new List<string>();

        foreach (var reply in replies)
        {
            var replacesSource = ReplacesSource(reply);
            if (cardForClicker && !replacesSource && IsPlainNote(reply))
            {
                clickerNotes.Add(reply.Text);
                continue;
            }
            if (replacesSource)
            {
                if (isInvoke && invokeCard is null)
                {
                    var plan = ReplySender.PlanFor(here, reply);
                    invokeCard = plan.Reply;
                    // The invoke response refreshes the card for the client that clicked; the PUT makes it what the
                    // message itself holds, for everyone and on every device. Files follow as messages of their own.
                    // Its place in the card's line of updates is taken now, in the order the core answered the clicks.
                    var ticket = connector.ReserveUpdate(conversationId, input.SourceMessageId!);
                    deliveries.Add(ct => TryAsync("update", () => connector.UpdateAsync(serviceUrl, ticket, CardRenderer.ToActivity(plan.Reply), ct)));
                    if (plan.HasFiles) deliveries.Add(ct => TryAsync("send", () => sender.SendFilesAsync(here, plan, ct)));
                    // In a bridged group a vote on the other platform may have landed meanwhile: bring the copy up to date.
                    if (!place.IsPrivate && reply.Visibility == ReplyVisibility.Channel)
                        deliveries.Add(ct => TryAsync("settle", () => posted.SettleAsync(new PostedCopy(TeamsMessenger.PlatformName, place.ChannelId, input.SourceMessageId!), plan.Reply, ct)));
                }
                else
                {
                    deliveries.Add(ct => TryAsync("update", () => sender.UpdateAsync(here, input.SourceMessageId!, reply, ct)));
                }
                continue;
            }

            if ((reply.Visibility == ReplyVisibility.Private || reply.Form is not null) && !place.IsPrivate)
            {
                sentPrivately = true;
                deliveries.Add(ct => SendPrivatelyAsync(activity, input.Actor.MemberId, reply with { UpdatesSource = false }, ct));
                continue;
            }

            // A typed message is answered in its thread; a click's answer goes to the conversation the card is in.
            var replyTo = isInvoke ? null : activity.Id;
            deliveries.Add(ct => TryAsync("send", () => sender.SendAsync(here, reply, replyTo, ct)));
        }

        // A form sent from a card that nothing replaces: the card becomes a plain "sent" note, so it cannot be sent again
        // (unless the core asks for changes, when the member needs the form as it was).
        if (isInvoke && invokeCard is null && input.Kind == InputKind.Form && !string.IsNullOrEmpty(input.SourceMessageId)
            && replies.All(r => r.Tone != ReplyTone.Warning && r.Form is null))
        {
            var sent = new BotReply { Title = SentTitle, Text = "Thanks, that's been sent. This form can't be sent again.", Tone = ReplyTone.Success };
            invokeCard = sent;
            var ticket = connector.ReserveUpdate(conversationId, input.SourceMessageId!);
            deliveries.Add(ct => TryAsync("update", () => connector.UpdateAsync(serviceUrl, ticket, CardRenderer.CardActivity(CardRenderer.Card(sent), SentTitle), ct)));
        }

        // Only the invoke response carries the notes: the PUT above writes the card everyone sees, without them.
        if (invokeCard is not null && clickerNotes.Count > 0)
            invokeCard = invokeCard with { Text = $"{invokeCard.Text}\n\n**{ClickerNoteLabel}** {string.Join(" ", clickerNotes)}".TrimStart() };

        async Task DeliverAsync(CancellationToken ct)
        {
            foreach (var delivery in deliveries) await delivery(ct).ConfigureAwait(false);
        }

        if (!isInvoke)
        {
            await DeliverAsync(cancellationToken).ConfigureAwait(false);
            return TurnResult.Empty;
        }
        var after = deliveries.Count == 0 ? null : (Func<CancellationToken, Task>)DeliverAsync;
        if (invokeCard is not null)
            return new TurnResult(new AdaptiveCardInvokeResponse { Type = AdaptiveCardInvokeResponse.CardType, Value = CardRenderer.Card(invokeCard) }, after);
        return new TurnResult(new AdaptiveCardInvokeResponse
        {
            Type = AdaptiveCardInvokeResponse.MessageType,
            Value = sentPrivately ? "I'm answering in our private chat." : "Done.",
        }, after);
    }

    /// <summary>What introduces a note in the card only the clicker gets back.</summary>
    public const string ClickerNoteLabel = "Only you see this:";

    /// <summary>A private reply that is text alone (no form, buttons, selects or files): it can ride in a card.</summary>
    private static bool IsPlainNote(BotReply reply)
        => reply.Visibility == ReplyVisibility.Private && reply.Form is null && reply.Buttons.Count == 0 && reply.Selects.Count == 0
           && reply.Attachments.Count == 0 && !reply.UpdatesSource && reply.Title is null;

    /// <summary>
    /// Sends a private reply to the member's personal chat. Teams lets a bot start that chat only with a member who
    /// installed the app or shares a team with it; otherwise the conversation is told, without the contents, that the
    /// answer is private and how to open the bot's chat (a deep link), so the member can try again from there.
    /// </summary>
    private async Task SendPrivatelyAsync(Activity activity, string memberId, BotReply reply, CancellationToken cancellationToken)
    {
        try
        {
            await messenger.SendPrivateAsync(memberId, reply, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogInformation("A private reply on Teams could not be delivered ({Error}).", ex.GetType().Name);
            var open = ChatLinkOf(activity.Recipient?.Id) is { } link
                ? $"Open a chat with me ({link}), say hello, then try again there."
                : "Open a chat with me (search for my name under Chat), say hello, then try again there.";
            var note = BotReply.Say($"{FirstName(activity.From?.Name)}, what you asked for is private, so I won't show it here, and I couldn't send you a private message. {open}");
            await TryAsync("send", () => connector.SendAsync(activity.ServiceUrl!, activity.Conversation!.Id!, CardRenderer.ToActivity(note), activity.Type == ActivityTypes.Message ? activity.Id : null, cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>The deep link that opens a member's personal chat with the bot, from the bot's id (<c>28:{app id}</c>).</summary>
    public static string? ChatLinkOf(string? botId)
        => botId is not null && BotIdPattern().IsMatch(botId) ? $"https://teams.microsoft.com/l/chat/0/0?users={botId}" : null;

    [System.Text.RegularExpressions.GeneratedRegex("^28:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    private static partial System.Text.RegularExpressions.Regex BotIdPattern();

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
