using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Scheduling;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Core.Outbound;

/// <summary>An update to one posted copy that did not go through, waiting to be sent again.</summary>
public sealed record PendingUpdate(PostedCopy Copy, BotReply Reply, int Attempt);

/// <summary>
/// Keeps a bridged group's copies in step when one platform is briefly unreachable: an update that fails is stored as
/// a timer (so it survives restarts and runs on whichever instance leads) and sent again with growing gaps. There is
/// one pending update per copy and the newest content replaces an older one, so a late retry never shows stale
/// content; a later update that goes through directly cancels the one this instance queued.
/// </summary>
public sealed class UpdateRetries(IEnumerable<IPlatformMessenger> messengers, ITimers timers, IClock clock, ILogger<UpdateRetries> logger) : ITimerHandler
{
    public const string TimerKind = "outbound-update";

    /// <summary>The timers' group segment: retries belong to no one group (a copy is enough to send one).</summary>
    public const string TimerGroup = "outbound";

    /// <summary>Attempts after the first failure; with the back-off that is about four hours in all.</summary>
    public const int MaxAttempts = 8;

    private readonly Dictionary<string, IPlatformMessenger> _messengers =
        messengers.GroupBy(m => m.Platform).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _queuedHere = new(StringComparer.Ordinal);

    public string Kind => TimerKind;

    /// <summary>The timer id for a copy: a hash, because platform ids hold characters keys may not.</summary>
    public static string TimerIdFor(PostedCopy copy)
        => "update-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{copy.Platform}\n{copy.ChannelId}\n{copy.MessageId}")))[..32];

    /// <summary>30 s, 1 min, 2 min, … capped at one hour.</summary>
    public static Duration Backoff(int attempt) => Duration.FromSeconds(Math.Min(30 * Math.Pow(2, Math.Max(0, attempt - 1)), 3600));

    /// <summary>Queues <paramref name="reply"/> for <paramref name="copy"/>; gives up (with a log line) after <see cref="MaxAttempts"/>.</summary>
    public async Task QueueAsync(PostedCopy copy, BotReply reply, int attempt, CancellationToken cancellationToken)
    {
        if (attempt > MaxAttempts)
        {
            logger.LogWarning("Gave up updating a posted message on {Platform} after {Attempts} retries.", copy.Platform, MaxAttempts);
            return;
        }
        var id = TimerIdFor(copy);
        var payload = JsonSerializer.Serialize(new PendingUpdate(copy, reply, attempt), Documents.JsonOptions);
        await timers.ScheduleAsync(new TimerDocument(TimerGroup, id, TimerKind, clock.GetCurrentInstant() + Backoff(attempt), payload), cancellationToken).ConfigureAwait(false);
        _queuedHere[id] = 0;
    }

    /// <summary>A newer update to <paramref name="copy"/> went through: an older one queued here must not overwrite it.</summary>
    public async Task SucceededAsync(PostedCopy copy, CancellationToken cancellationToken)
    {
        if (_queuedHere.IsEmpty) return;
        var id = TimerIdFor(copy);
        if (_queuedHere.TryRemove(id, out _))
            await timers.CancelAsync(TimerGroup, id, cancellationToken).ConfigureAwait(false);
    }

    public async Task HandleAsync(TimerDocument timer, CancellationToken cancellationToken)
    {
        _queuedHere.TryRemove(timer.TimerId, out _);
        PendingUpdate? pending;
        try { pending = timer.Payload is null ? null : JsonSerializer.Deserialize<PendingUpdate>(timer.Payload, Documents.JsonOptions); }
        catch (JsonException) { pending = null; }
        if (pending is null)
        {
            logger.LogWarning("A queued message update {TimerId} could not be read; dropped.", timer.TimerId);
            return;
        }
        if (!_messengers.TryGetValue(pending.Copy.Platform, out var messenger))
        {
            logger.LogWarning("A queued message update for {Platform} has no messenger configured; dropped.", pending.Copy.Platform);
            return;
        }
        try
        {
            await messenger.UpdateAsync(pending.Copy.ChannelId, pending.Copy.MessageId, pending.Reply, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("A missed update to a posted message on {Platform} went through on retry {Attempt}.", pending.Copy.Platform, pending.Attempt);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("Retry {Attempt} of a message update on {Platform} failed: {Error}", pending.Attempt, pending.Copy.Platform, ex.GetType().Name);
            await QueueAsync(pending.Copy, pending.Reply, pending.Attempt + 1, cancellationToken).ConfigureAwait(false);
        }
    }
}
