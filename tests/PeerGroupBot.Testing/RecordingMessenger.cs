using System.Collections.Concurrent;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Outbound;
using PeerGroupBot.Core.Time;

namespace PeerGroupBot.Testing;

public sealed record SentMessage(string Kind, string Platform, string Target, string? MessageId, BotReply Reply);

/// <summary>
/// An <see cref="IPlatformMessenger"/> that records what the core sends proactively, as a member reads it where times
/// are shown in the group's zone (the marks only Discord renders are dropped, as the playground and Teams do; tests of
/// the marks read <see cref="Raw"/>).
/// </summary>
public sealed class RecordingMessenger(string platform) : IPlatformMessenger
{
    private int _next;
    private readonly ConcurrentQueue<SentMessage> _sent = new();

    public string Platform => platform;

    /// <summary>Members whose private messages are refused (DMs closed).</summary>
    public HashSet<string> Unreachable { get; } = [];

    /// <summary>When set, every call throws (to test a platform outage).</summary>
    public bool Down { get; set; }

    public IReadOnlyList<SentMessage> Sent => _sent.Select(s => s with { Reply = TimeMarks.Plain(s.Reply) }).ToList();

    /// <summary>What the core handed over, marks and all.</summary>
    public IReadOnlyList<SentMessage> Raw => _sent.ToList();
    public IEnumerable<SentMessage> Posts => Sent.Where(s => s.Kind == "post");
    public IEnumerable<SentMessage> Updates => Sent.Where(s => s.Kind == "update");
    public IEnumerable<SentMessage> Privates => Sent.Where(s => s.Kind == "private");

    public IEnumerable<SentMessage> PrivatesTo(string memberId) => Privates.Where(p => p.Target == memberId);

    public void Clear() => _sent.Clear();

    public Task<string> PostAsync(string channelId, BotReply reply, CancellationToken cancellationToken)
    {
        if (Down) throw new HttpRequestException("platform down");
        var id = $"m{Interlocked.Increment(ref _next)}";
        _sent.Enqueue(new SentMessage("post", platform, channelId, id, reply));
        return Task.FromResult(id);
    }

    public Task UpdateAsync(string channelId, string messageId, BotReply reply, CancellationToken cancellationToken)
    {
        if (Down) throw new HttpRequestException("platform down");
        _sent.Enqueue(new SentMessage("update", platform, channelId, messageId, reply));
        return Task.CompletedTask;
    }

    public Task SendPrivateAsync(string memberId, BotReply reply, CancellationToken cancellationToken)
    {
        if (Down) throw new HttpRequestException("platform down");
        if (Unreachable.Contains(memberId)) throw new PrivateMessageRefusedException("DMs closed");
        _sent.Enqueue(new SentMessage("private", platform, memberId, null, reply));
        return Task.CompletedTask;
    }
}
