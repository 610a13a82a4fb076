using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Outbound;
using PeerGroupBot.Discord.Rendering;

namespace PeerGroupBot.Discord.Rest;

/// <summary>
/// The core's outbound port on Discord: posts to channels, edits and deletes the bot's messages, and sends DMs.
/// Channel messages are never ephemeral (that flag exists only for interaction replies), and a form cannot be posted
/// (a modal only opens in answer to a click or command), so a form in a proactive message is said in words.
/// </summary>
public sealed class DiscordMessenger(DiscordRestClient rest) : IPlatformMessenger
{
    public const string PlatformName = "discord";

    public const string FormNotPossibleNote = "*(This needs a form, which Discord can only open from a command. Type `/help` to find the command.)*";

    public string Platform => PlatformName;

    public Task<string> PostAsync(string channelId, BotReply reply, CancellationToken cancellationToken)
        => rest.CreateMessageAsync(channelId, Render(reply), cancellationToken);

    public Task UpdateAsync(string channelId, string messageId, BotReply reply, CancellationToken cancellationToken)
        => rest.EditMessageAsync(channelId, messageId, Render(reply), cancellationToken);

    public async Task SendPrivateAsync(string memberId, BotReply reply, CancellationToken cancellationToken)
    {
        if (MemberIds.PlatformOf(memberId) != PlatformName) throw new PrivateMessageRefusedException("not a Discord member");
        try
        {
            var channelId = await rest.OpenDirectMessageAsync(MemberIds.PlatformUserIdOf(memberId), cancellationToken).ConfigureAwait(false);
            await rest.CreateMessageAsync(channelId, Render(reply), cancellationToken).ConfigureAwait(false);
        }
        catch (DiscordApiException ex) when (ex.Code == DiscordApiException.CannotMessageUser)
        {
            throw new PrivateMessageRefusedException("The member's Discord DMs are closed to the bot.");
        }
    }

    /// <summary>Deletes a message the bot posted (one already gone counts as deleted).</summary>
    public Task DeleteAsync(string channelId, string messageId, CancellationToken cancellationToken)
        => rest.DeleteMessageAsync(channelId, messageId, cancellationToken);

    private static MessagePayload Render(BotReply reply)
        => ReplyRenderer.Message(reply.Form is null ? reply : reply with { Text = (reply.Text + "\n\n" + FormNotPossibleNote).Trim() }, ephemeral: false);
}
