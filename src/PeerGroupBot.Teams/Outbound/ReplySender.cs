using System.Net;
using Microsoft.Extensions.Logging;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Teams.Protocol;

namespace PeerGroupBot.Teams.Outbound;

/// <summary>A conversation to deliver into; <see cref="IsPersonal"/> for the member's 1:1 chat with the bot.</summary>
public sealed record ConversationTarget(string ServiceUrl, string ConversationId, bool IsPersonal);

/// <summary>
/// Delivers a reply with its files (see <see cref="FileCards"/>) into one conversation: the message with its inline
/// images first, then one message per text file: a file consent card in a personal chat, the file's content in a
/// monospace card anywhere else. Should Teams still find the message too large (413), it is sent again with a note in
/// place of each image. A file message that fails is logged (status only) and does not undo the reply.
/// </summary>
public sealed class ReplySender(ConnectorClient connector, PendingFiles pending, ILogger<ReplySender> logger)
{
    /// <summary>Posts a reply (or answers in a thread) and its files; returns the id of the reply's message.</summary>
    public async Task<string> SendAsync(ConversationTarget target, BotReply reply, string? replyToId, CancellationToken cancellationToken)
    {
        var plan = PlanFor(target, reply);
        var id = await WithImagesAsync(plan, activity => connector.SendAsync(target.ServiceUrl, target.ConversationId, activity, replyToId, cancellationToken)).ConfigureAwait(false);
        await SendTextFilesAsync(target, plan, replyToId, cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>Replaces a posted message with a reply; its text files follow as new messages.</summary>
    public async Task UpdateAsync(ConversationTarget target, string activityId, BotReply reply, CancellationToken cancellationToken)
    {
        var plan = PlanFor(target, reply);
        await WithImagesAsync(plan, async activity =>
        {
            await connector.UpdateAsync(target.ServiceUrl, target.ConversationId, activityId, activity, cancellationToken).ConfigureAwait(false);
            return activityId;
        }).ConfigureAwait(false);
        await SendTextFilesAsync(target, plan, replyToId: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The files of a reply whose text went elsewhere (the card of an invoke response, built from
    /// <see cref="FilePlan.Reply"/>): its images in a message of their own, then its text files.
    /// </summary>
    public async Task SendFilesAsync(ConversationTarget target, FilePlan plan, CancellationToken cancellationToken)
    {
        if (plan.Images.Count > 0)
        {
            var images = new Activity { Type = ActivityTypes.Message, Attachments = [.. plan.Images] };
            await FollowUpAsync(() => connector.SendAsync(target.ServiceUrl, target.ConversationId, images, null, cancellationToken)).ConfigureAwait(false);
        }
        await SendTextFilesAsync(target, plan, replyToId: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The reply's plan for this conversation. Files of a private reply are only ever delivered in a personal chat:
    /// should one be sent anywhere else, its files stay behind and a note says where to ask for them.
    /// </summary>
    public static FilePlan PlanFor(ConversationTarget target, BotReply reply)
    {
        if (target.IsPersonal || reply.Visibility != ReplyVisibility.Private || reply.Attachments.Count == 0) return FileCards.Plan(reply);
        return new FilePlan(FileCards.WithNotes(reply with { Attachments = [] }, ["_Files with private details are only sent in your personal chat with me._"]), [], []);
    }

    /// <summary>Sends the reply with its images; when Teams finds it too large, again with notes instead of the images.</summary>
    private async Task<string> WithImagesAsync(FilePlan plan, Func<Activity, Task<string>> send)
    {
        if (plan.Images.Count == 0) return await send(CardRenderer.ToActivity(plan.Reply)).ConfigureAwait(false);
        // Teams splits an activity with both text and attachments into two messages and returns no id, so the text
        // goes in a card beside the images: one message, whose id lets it be updated later.
        var activity = CardRenderer.CardActivity(CardRenderer.Card(plan.Reply), plan.Reply.Title);
        activity.Attachments = [.. activity.Attachments ?? [], .. plan.Images];
        try
        {
            return await send(activity).ConfigureAwait(false);
        }
        catch (ConnectorException ex) when (ex.Status == HttpStatusCode.RequestEntityTooLarge)
        {
            logger.LogInformation("Teams found a reply with {Count} inline image(s) too large; sending it with notes instead.", plan.Images.Count);
            var notes = plan.Images.Select(i => $"_The image {i.Name} is too large to show in Teams._").ToList();
            return await send(CardRenderer.ToActivity(FileCards.WithNotes(plan.Reply, notes))).ConfigureAwait(false);
        }
    }

    private async Task SendTextFilesAsync(ConversationTarget target, FilePlan plan, string? replyToId, CancellationToken cancellationToken)
    {
        foreach (var file in plan.TextFiles)
        {
            var activity = target.IsPersonal
                ? FileCards.ConsentCard(file, pending.Offer(target.ConversationId, file))
                : FileCards.ContentCard(file);
            await FollowUpAsync(() => connector.SendAsync(target.ServiceUrl, target.ConversationId, activity, replyToId, cancellationToken)).ConfigureAwait(false);
        }
    }

    private async Task FollowUpAsync(Func<Task<string>> send)
    {
        try
        {
            await send().ConfigureAwait(false);
        }
        catch (ConnectorException ex)
        {
            logger.LogWarning("A file message on Teams could not be delivered ({Status}).", ex.Status is { } status ? (int)status : 0);
        }
    }
}
