using System.Net;
using Microsoft.Extensions.Logging;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Outbound;

namespace PeerGroupBot.Teams.Outbound;

/// <summary>
/// The core's outbound port for Teams: post a card or message to a channel or group chat, update a posted card with
/// PUT, and send privately in the member's personal chat (creating the 1:1 conversation when there is none yet).
/// Everything needed comes from the conversation references stored as activities arrived, so it works after restarts.
/// Files go with every reply (<see cref="ReplySender"/>): in a personal chat text files come with a file consent card.
/// </summary>
public sealed class TeamsMessenger(ConversationReferences references, ConnectorClient connector, ReplySender sender, ILogger<TeamsMessenger> logger) : IPlatformMessenger
{
    public const string PlatformName = "teams";

    public string Platform => PlatformName;

    public async Task<string> PostAsync(string channelId, BotReply reply, CancellationToken cancellationToken)
    {
        var target = await references.GetChannelAsync(channelId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("No conversation reference is stored for that Teams channel; the bot must hear from it first.");
        return await sender.SendAsync(new ConversationTarget(target.ServiceUrl, target.ChannelId, IsPersonal: false), reply, replyToId: null, cancellationToken).ConfigureAwait(false);
    }

    public async Task UpdateAsync(string channelId, string messageId, BotReply reply, CancellationToken cancellationToken)
    {
        var target = await references.GetChannelAsync(channelId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("No conversation reference is stored for that Teams channel.");
        await sender.UpdateAsync(new ConversationTarget(target.ServiceUrl, target.ChannelId, IsPersonal: false), messageId, reply, cancellationToken).ConfigureAwait(false);
    }

    public async Task SendPrivateAsync(string memberId, BotReply reply, CancellationToken cancellationToken)
    {
        var member = await references.GetMemberAsync(memberId, cancellationToken).ConfigureAwait(false)
            ?? throw new PrivateMessageRefusedException("The bot has not met this member on Teams yet.");
        var conversationId = member.PersonalConversationId;
        if (string.IsNullOrEmpty(conversationId))
        {
            try
            {
                conversationId = await connector.CreatePersonalConversationAsync(member.ServiceUrl, member.BotId, member.UserId, member.TenantId, cancellationToken).ConfigureAwait(false);
            }
            catch (ConnectorException ex) when (ex.Status is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
            {
                logger.LogInformation("Teams refused a 1:1 conversation with a member ({Status}).", (int)ex.Status!.Value);
                throw new PrivateMessageRefusedException("Teams refused a 1:1 conversation.");
            }
            await references.SetPersonalConversationAsync(memberId, conversationId, cancellationToken).ConfigureAwait(false);
        }
        try
        {
            await sender.SendAsync(new ConversationTarget(member.ServiceUrl, conversationId, IsPersonal: true), reply, replyToId: null, cancellationToken).ConfigureAwait(false);
        }
        catch (ConnectorException ex) when (ex.Status is HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            // The member removed the bot or left the tenant.
            throw new PrivateMessageRefusedException("Teams refused the private message.");
        }
    }
}
