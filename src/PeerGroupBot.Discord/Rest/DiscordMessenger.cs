using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Outbound;
using PeerGroupBot.Discord.Rendering;

namespace PeerGroupBot.Discord.Rest;

/// <summary>
/// The core's outbound port on Discord: posts to channels, edits and deletes the bot's messages, and sends DMs.
/// Channel messages are never ephemeral (that flag exists only for interaction replies), and a form cannot be posted
/// (a modal only opens in answer to a click or command), so a form in a proactive message is said in words.
/// </summary>
/// A member whose DMs are closed (50007) is remembered for <see cref="ClosedDmsRemembered"/>: asking again each time only
/// adds to Discord's count of invalid requests, which earns a temporary ban.
public sealed class DiscordMessenger(DiscordRestClient rest, TimeProvider time) : IPlatformMessenger
{
    public const string PlatformName = "discord";

    /// <summary>How long a member whose DMs are closed is not asked again (on this instance).</summary>
    public static readonly TimeSpan ClosedDmsRemembered = TimeSpan.FromHours(1);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _closedDms = new(StringComparer.Ordinal);

    public const string FormNotPossibleNote = "*(This needs a form, which Discord can only open from a command. Type `/help` to find the command.)*";

    public string Platform => PlatformName;

    public Task<string> PostAsync(string channelId, BotReply reply, CancellationToken cancellationToken)
        => rest.CreateMessageAsync(channelId, Render(reply), cancellationToken);

    public Task UpdateAsync(string channelId, string messageId, BotReply reply, CancellationToken cancellationToken)
        => rest.EditMessageAsync(channelId, messageId, Render(reply), cancellationToken);

    public async Task SendPrivateAsync(string memberId, BotReply reply, CancellationToken cancellationToken)
    {
        if (MemberIds.PlatformOf(memberId) != PlatformName) throw new PrivateMessageRefusedException("not a Discord member");
        var userId = MemberIds.PlatformUserIdOf(memberId);
        if (_closedDms.TryGetValue(userId, out var until))
        {
            if (until > time.GetUtcNow()) throw new PrivateMessageRefusedException("The member's Discord DMs were closed to the bot a short while ago.");
            _closedDms.TryRemove(KeyValuePair.Create(userId, until));
        }
        try
        {
            var channelId = await rest.OpenDirectMessageAsync(userId, cancellationToken).ConfigureAwait(false);
            await rest.CreateMessageAsync(channelId, Render(reply), cancellationToken).ConfigureAwait(false);
        }
        catch (DiscordApiException ex) when (ex.Code == DiscordApiException.CannotMessageUser)
        {
            if (_closedDms.Count > 50_000) _closedDms.Clear();
            _closedDms[userId] = time.GetUtcNow() + ClosedDmsRemembered;
            throw new PrivateMessageRefusedException("The member's Discord DMs are closed to the bot.");
        }
    }

    /// <summary>Deletes a message the bot posted (one already gone counts as deleted).</summary>
    public Task DeleteAsync(string channelId, string messageId, CancellationToken cancellationToken)
        => rest.DeleteMessageAsync(channelId, messageId, cancellationToken);

    private static MessagePayload Render(BotReply reply)
        => ReplyRenderer.Message(reply.Form is null ? reply : reply with { Text = (reply.Text + "\n\n" + FormNotPossibleNote).Trim() }, ephemeral: false);
}
