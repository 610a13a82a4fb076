using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Outbound;
using PeerGroupBot.Core.Time;

namespace PeerGroupBot.Playground;

/// <summary>One thing that happened in a playground channel: a message (from a person or the bot) or an update to one.</summary>
public sealed record PlaygroundEvent(
    long Seq,
    string Kind,
    string Channel,
    string MessageId,
    string Author,
    string? VisibleTo,
    string? Text,
    BotReply? Reply);

/// <summary>
/// The playground's side of the outbound port and its message log: what the web page polls. Kept in memory
/// (bounded), since the playground is a local try-out surface, not a record.
/// </summary>
public sealed class PlaygroundFeed : IPlatformMessenger
{
    public const string PlatformName = "playground";
    private const int MaxEvents = 2000;
    private readonly Lock _lock = new();
    private readonly List<PlaygroundEvent> _events = [];
    private long _seq;

    public string Platform => PlatformName;

    /// <summary>What <paramref name="personId"/> may see since <paramref name="since"/>: never another person's private chat or private notes, and the facilitators' channel only for facilitators.</summary>
    public IReadOnlyList<PlaygroundEvent> Since(long since, string personId)
    {
        var facilitator = PlaygroundPerson.Find(personId)?.Facilitator == true;
        lock (_lock)
        {
            return _events.Where(e => e.Seq > since
                    && (e.VisibleTo is null || e.VisibleTo == personId)
                    && (!e.Channel.StartsWith("dm-", StringComparison.Ordinal) || e.Channel == PlaygroundChannels.PrivateOf(personId))
                    && (facilitator || e.Channel != PlaygroundChannels.Staff))
                .ToList();
        }
    }

    /// <summary>The message <paramref name="messageId"/> as first posted in <paramref name="channel"/>, or null when unknown.</summary>
    public PlaygroundEvent? Find(string channel, string messageId)
    {
        lock (_lock)
            return _events.FirstOrDefault(e => e.Kind == "message" && e.Channel == channel && e.MessageId == messageId);
    }

    public PlaygroundEvent AddHuman(string channel, string author, string text, string? visibleTo)
        => Append("message", channel, null, author, visibleTo, text, null);

    public PlaygroundEvent AddBot(string channel, BotReply reply, string? visibleTo)
        => Append("message", channel, null, "PeerGroupBot", visibleTo, null, reply);

    public PlaygroundEvent Update(string channel, string messageId, BotReply reply, string? visibleTo)
        => Append("update", channel, messageId, "PeerGroupBot", visibleTo, null, reply);

    public Task<string> PostAsync(string channelId, BotReply reply, CancellationToken cancellationToken)
        => Task.FromResult(AddBot(channelId, reply, null).MessageId);

    public Task UpdateAsync(string channelId, string messageId, BotReply reply, CancellationToken cancellationToken)
    {
        Update(channelId, messageId, reply, null);
        return Task.CompletedTask;
    }

    public Task SendPrivateAsync(string memberId, BotReply reply, CancellationToken cancellationToken)
    {
        var person = PlaygroundPerson.All.FirstOrDefault(p => p.MemberId == memberId)
            ?? throw new PrivateMessageRefusedException("not a playground person");
        AddBot(PlaygroundChannels.PrivateOf(person.Id), reply, null);
        return Task.CompletedTask;
    }

    private PlaygroundEvent Append(string kind, string channel, string? messageId, string author, string? visibleTo, string? text, BotReply? reply)
    {
        lock (_lock)
        {
            var seq = ++_seq;
            // The playground shows times as the group's zone has them; marks are for platforms with their own timestamps.
            var evt = new PlaygroundEvent(seq, kind, channel, messageId ?? $"pm{seq}", author, visibleTo, text, reply is null ? null : TimeMarks.Plain(reply));
            _events.Add(evt);
            if (_events.Count > MaxEvents) _events.RemoveRange(0, _events.Count - MaxEvents);
            return evt;
        }
    }
}
