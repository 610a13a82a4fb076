using System.Security.Cryptography;
using System.Text.Json;
using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Scheduling;
using PeerGroupBot.Core.Security;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Core.Safety;

/// <summary>
/// What a member sent, held while they choose what happens to it after their words suggested risk: the input as the
/// adapter built it (so "add it as written" runs it exactly as sent), the account that sent it, and the words a concern
/// form would be pre-filled with.
/// </summary>
public sealed record HeldInput(BotInput Input, string AccountId, bool Releasable, string ConcernText);

/// <summary>The stored form: the held input sealed with AES-GCM, and when it is deleted unless the member chooses first.</summary>
public sealed record HeldDocument(string Sealed, Instant ExpiresAt);

/// <summary>
/// Short-lived private documents (<c>safety/held/{random id}</c>) that keep a member's words only until they choose:
/// add as written, raise a concern instead, or drop it. Sealed under a key derived from the <see cref="KeyRing"/>, so
/// a storage reader learns nothing; deleted on the choice, or by a timer when <see cref="Lifetime"/> runs out.
/// Nothing here is logged.
/// </summary>
public sealed class HeldInputs(Documents documents, KeyRing keys, ITimers timers, IClock clock) : ITimerHandler, IMissedTimerHandler
{
    public static readonly Duration Lifetime = Duration.FromHours(1);

    public const string TimerKind = "safety-held";
    private const string TimerGroup = "safety-held";

    public string Kind => TimerKind;

    private byte[] Key => keys.DeriveKey("safety-held-input");

    private static string KeyFor(string id) => $"safety/held/{id}";

    /// <summary>Holds <paramref name="held"/> and returns its id (32 hex characters, safe in an action id).</summary>
    public async Task<string> HoldAsync(HeldInput held, CancellationToken cancellationToken)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var expires = clock.GetCurrentInstant() + Lifetime;
        var sealedInput = Sealing.Seal(Key, KeyFor(id), JsonSerializer.Serialize(held, Documents.JsonOptions));
        await documents.TryCreateAsync(KeyFor(id), new HeldDocument(sealedInput, expires), cancellationToken).ConfigureAwait(false);
        await timers.ScheduleAsync(new TimerDocument(TimerGroup, id, TimerKind, expires), cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>
    /// Takes the held input out (deleting it) when <paramref name="id"/> exists, has not expired and was sent by
    /// <paramref name="memberId"/> (the person) or <paramref name="accountId"/>; otherwise null and nothing changes.
    /// </summary>
    public async Task<HeldInput?> TakeAsync(string id, string memberId, string accountId, CancellationToken cancellationToken)
    {
        if (!IsId(id)) return null;
        var stored = await documents.GetValueAsync<HeldDocument>(KeyFor(id), cancellationToken).ConfigureAwait(false);
        if (stored is null) return null;
        if (stored.ExpiresAt <= clock.GetCurrentInstant())
        {
            await ForgetAsync(id, cancellationToken).ConfigureAwait(false);
            return null;
        }
        var opened = Sealing.Open(Key, KeyFor(id), stored.Sealed);
        var held = opened is null ? null : JsonSerializer.Deserialize<HeldInput>(opened, Documents.JsonOptions);
        if (held is null) return null;
        var sender = held.Input.Actor.MemberId;
        if (sender != memberId && sender != accountId && held.AccountId != accountId) return null;
        await ForgetAsync(id, cancellationToken).ConfigureAwait(false);
        return held;
    }

    public Task HandleAsync(TimerDocument timer, CancellationToken cancellationToken)
        => documents.DeleteAsync(KeyFor(timer.TimerId), cancellationToken);

    public Task MissedAsync(TimerDocument timer, CancellationToken cancellationToken) => HandleAsync(timer, cancellationToken);

    private async Task ForgetAsync(string id, CancellationToken cancellationToken)
    {
        await documents.DeleteAsync(KeyFor(id), cancellationToken).ConfigureAwait(false);
        await timers.CancelAsync(TimerGroup, id, cancellationToken).ConfigureAwait(false);
    }

    internal static bool IsId(string? id) => id is { Length: 32 } && id.All(char.IsAsciiHexDigitLower);
}
