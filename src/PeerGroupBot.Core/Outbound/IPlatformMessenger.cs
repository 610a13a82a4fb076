using PeerGroupBot.Core.Conversation;

namespace PeerGroupBot.Core.Outbound;

/// <summary>
/// What each adapter implements so the core can speak first: reminders, poll results, concern replies.
/// One implementation per platform ("teams", "discord", "playground").
/// </summary>
public interface IPlatformMessenger
{
    string Platform { get; }

    /// <summary>Posts to a channel and returns the platform's message id (so the message can be updated later).</summary>
    Task<string> PostAsync(string channelId, BotReply reply, CancellationToken cancellationToken);

    /// <summary>Replaces an earlier message posted by the bot.</summary>
    Task UpdateAsync(string channelId, string messageId, BotReply reply, CancellationToken cancellationToken);

    /// <summary>Sends privately to a member (a DM on Discord, personal chat on Teams).</summary>
    /// <exception cref="PrivateMessageRefusedException">The member cannot be reached privately (DMs closed, no conversation).</exception>
    Task SendPrivateAsync(string memberId, BotReply reply, CancellationToken cancellationToken);
}

/// <summary>The member cannot be messaged privately (e.g. Discord error 50007: DMs closed).</summary>
public sealed class PrivateMessageRefusedException(string reason) : Exception(reason);
