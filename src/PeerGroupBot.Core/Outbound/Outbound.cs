using Microsoft.Extensions.Logging;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Members;

namespace PeerGroupBot.Core.Outbound;

/// <summary>One copy of a posted message: a bridged group has one per main channel.</summary>
public sealed record PostedCopy(string Platform, string ChannelId, string MessageId);

/// <summary>Where a proactive message landed, kept in the owning document so it can be updated.</summary>
public sealed record PostedMessage(IReadOnlyList<PostedCopy> Copies)
{
    public static readonly PostedMessage None = new([]);
}

/// <summary>
/// The one outbound port the flows use. It fans a group post out to every linked channel on every platform,
/// and keeps going when one platform fails (the failure is logged without message contents).
/// </summary>
public interface IOutbound
{
    Task<PostedMessage> PostToGroupAsync(GroupDocument group, BotReply reply, CancellationToken cancellationToken);

    /// <summary>Posts to the group's facilitators' concerns channel(s). Returns no copies when none is set.</summary>
    Task<PostedMessage> PostToConcernsAsync(GroupDocument group, BotReply reply, CancellationToken cancellationToken);

    /// <summary>Updates every copy except <paramref name="skip"/> (the copy the platform already updated in its interaction response).</summary>
    Task UpdateAsync(PostedMessage posted, BotReply reply, CancellationToken cancellationToken, PostedCopy? skip = null);

    /// <summary>Sends privately; false when the member cannot be reached (the reason is logged, never the contents).</summary>
    Task<bool> SendPrivateAsync(string memberId, BotReply reply, CancellationToken cancellationToken);
}

/// <remarks>
/// A failed update is queued on <see cref="UpdateRetries"/> when one is given, so the copy catches up later. A private
/// message to a linked person (<c>person:…</c>) goes to the account they used last.
/// </remarks>
public sealed class Outbound(IEnumerable<IPlatformMessenger> messengers, ILogger<Outbound> logger, UpdateRetries? retries = null, MemberLinks? links = null) : IOutbound
{
    private readonly Dictionary<string, IPlatformMessenger> _messengers =
        messengers.GroupBy(m => m.Platform).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);

    public Task<PostedMessage> PostToGroupAsync(GroupDocument group, BotReply reply, CancellationToken cancellationToken)
        => PostToChannelsAsync(group.Id, group.MainChannels, reply, cancellationToken);

    public Task<PostedMessage> PostToConcernsAsync(GroupDocument group, BotReply reply, CancellationToken cancellationToken)
        => PostToChannelsAsync(group.Id, group.ConcernChannels, reply, cancellationToken);

    public async Task UpdateAsync(PostedMessage posted, BotReply reply, CancellationToken cancellationToken, PostedCopy? skip = null)
    {
        var channelReply = reply with { Visibility = ReplyVisibility.Channel, UpdatesSource = false };
        foreach (var copy in posted.Copies)
        {
            if (copy == skip || !_messengers.TryGetValue(copy.Platform, out var messenger)) continue;
            try
            {
                await messenger.UpdateAsync(copy.ChannelId, copy.MessageId, channelReply, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning("Updating a posted message on {Platform} failed: {Error}", copy.Platform, ex.GetType().Name);
                await QueueRetryAsync(copy, channelReply, cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (retries is not null)
            {
                try { await retries.SucceededAsync(copy, cancellationToken).ConfigureAwait(false); }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning("Could not drop an older queued update on {Platform}: {Error}", copy.Platform, ex.GetType().Name);
                }
            }
        }
    }

    private async Task QueueRetryAsync(PostedCopy copy, BotReply reply, CancellationToken cancellationToken)
    {
        if (retries is null) return;
        try { await retries.QueueAsync(copy, reply, attempt: 1, cancellationToken).ConfigureAwait(false); }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("A failed update on {Platform} could not be queued for retry: {Error}", copy.Platform, ex.GetType().Name);
        }
    }

    public async Task<bool> SendPrivateAsync(string memberId, BotReply reply, CancellationToken cancellationToken)
    {
        if (MemberLinks.IsPerson(memberId))
        {
            var account = links is null ? null : await links.ReachAsync(memberId, cancellationToken).ConfigureAwait(false);
            if (account is null)
            {
                logger.LogInformation("A private message to a linked member was not sent: the accounts are no longer linked.");
                return false;
            }
            memberId = account;
        }
        var platform = MemberIds.PlatformOf(memberId);
        if (!_messengers.TryGetValue(platform, out var messenger))
        {
            logger.LogWarning("No messenger for platform {Platform}; a private message was not sent.", platform);
            return false;
        }
        try
        {
            await messenger.SendPrivateAsync(memberId, reply with { Visibility = ReplyVisibility.Private, UpdatesSource = false }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (PrivateMessageRefusedException)
        {
            logger.LogInformation("A member on {Platform} could not be reached privately.", platform);
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("Sending a private message on {Platform} failed: {Error}", platform, ex.GetType().Name);
            return false;
        }
    }

    private async Task<PostedMessage> PostToChannelsAsync(string groupId, IEnumerable<ChannelRef> channels, BotReply reply, CancellationToken cancellationToken)
    {
        var channelReply = reply with { Visibility = ReplyVisibility.Channel, UpdatesSource = false };
        var copies = new List<PostedCopy>();
        foreach (var channel in channels)
        {
            if (!_messengers.TryGetValue(channel.Platform, out var messenger))
            {
                logger.LogWarning("Group {GroupId} links a {Platform} channel but that adapter is not configured.", groupId, channel.Platform);
                continue;
            }
            try
            {
                var id = await messenger.PostAsync(channel.ChannelId, channelReply, cancellationToken).ConfigureAwait(false);
                copies.Add(new PostedCopy(channel.Platform, channel.ChannelId, id));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning("Posting to a {Platform} channel of group {GroupId} failed: {Error}", channel.Platform, groupId, ex.GetType().Name);
            }
        }
        return new PostedMessage(copies);
    }
}
