using System.Collections.Concurrent;
using System.Security.Cryptography;
using PeerGroupBot.Core.Conversation;

namespace PeerGroupBot.Teams.Outbound;

/// <summary>
/// Files offered with a file consent card, waiting for the member to click Allow or Decline. Held only in this
/// instance's memory, for <see cref="Lifetime"/>, under a random token the card carries; never stored, never logged.
/// A file is handed out once, and only to the personal conversation it was offered in. After a restart (or on another
/// instance) the member is told the file is no longer waiting and asks again.
/// </summary>
public sealed class PendingFiles(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);
    public const int MaxWaiting = 200;

    private sealed record Entry(string ConversationId, ReplyAttachment File, DateTimeOffset Expires);

    private readonly ConcurrentDictionary<string, Entry> _waiting = new(StringComparer.Ordinal);

    /// <summary>Keeps a file for the personal conversation it is offered in; returns the token for the card.</summary>
    public string Offer(string conversationId, ReplyAttachment file)
    {
        var now = time.GetUtcNow();
        foreach (var (token, entry) in _waiting)
            if (entry.Expires <= now) _waiting.TryRemove(token, out _);
        while (_waiting.Count >= MaxWaiting)
        {
            var oldest = _waiting.MinBy(p => p.Value.Expires).Key;
            if (oldest is null) break;
            _waiting.TryRemove(oldest, out _);
        }
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _waiting[id] = new Entry(conversationId, file, now + Lifetime);
        return id;
    }

    /// <summary>Takes a waiting file out, or null when the token is unknown, expired or from another conversation.</summary>
    public ReplyAttachment? Take(string token, string conversationId)
    {
        if (!_waiting.TryGetValue(token, out var entry) || entry.ConversationId != conversationId) return null;
        if (!_waiting.TryRemove(token, out _)) return null;
        return entry.Expires > time.GetUtcNow() ? entry.File : null;
    }

    /// <summary>How many files are waiting (expired ones included until the next offer sweeps them).</summary>
    public int Count => _waiting.Count;
}
