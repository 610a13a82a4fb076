using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Outbound;
using PeerGroupBot.Core.Scheduling;
using PeerGroupBot.Core.Security;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Core.Members;

/// <summary>
/// A private message waiting for quiet hours to end. Who it is for and what it says are sealed with AES-GCM under a
/// key derived from the key ring, so the stored document links no member to its content (it may be a reply to an
/// anonymous concern). Stored at <c>groups/{groupId}/nudges/{id}</c> and deleted when sent.
/// </summary>
public sealed record HeldNudge(string Id, NudgeKind Kind, Instant ReleaseAt, string Sealed);

/// <summary>
/// <see cref="INudges"/>: checks the member's preferences, sends at once or holds the message and schedules a
/// "nudge-release" timer for the end of quiet hours. On release it checks again, since the member may have
/// changed their quiet hours or turned nudges off meanwhile.
/// </summary>
public sealed class PrivateNudges(
    Documents documents,
    MemberPreferencesStore preferences,
    GroupDirectory directory,
    IOutbound outbound,
    ITimers timers,
    KeyRing keys,
    IClock clock,
    ILogger<PrivateNudges> logger) : INudges, ITimerHandler, IMissedTimerHandler
{
    public const string TimerKind = "nudge-release";

    private sealed record SealedContent(string MemberId, BotReply Reply);

    public string Kind => TimerKind;

    public static string KeyFor(string groupId, string id) => $"groups/{groupId}/nudges/{id}";

    public async Task<NudgeResult> SendAsync(string groupId, string memberId, BotReply reply, NudgeKind kind, bool urgent, CancellationToken cancellationToken)
    {
        if (urgent) return await DeliverAsync(memberId, reply, cancellationToken).ConfigureAwait(false);

        var decision = await DecideAsync(groupId, memberId, kind, cancellationToken).ConfigureAwait(false);
        if (decision.Outcome == NudgeOutcome.OptedOut) return decision;
        if (decision.Outcome != NudgeOutcome.Held) return await DeliverAsync(memberId, reply, cancellationToken).ConfigureAwait(false);

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var key = KeyFor(groupId, id);
        var held = new HeldNudge(id, kind, decision.ReleaseAt!.Value, Seal(key, new SealedContent(memberId, reply)));
        await documents.TryCreateAsync(key, held, cancellationToken).ConfigureAwait(false);
        await timers.ScheduleAsync(new TimerDocument(groupId, TimerId(id), TimerKind, held.ReleaseAt, id), cancellationToken).ConfigureAwait(false);
        logger.LogInformation("A private nudge for group {GroupId} is held until quiet hours end ({NudgeId}).", groupId, id);
        return decision;
    }

    public async Task HandleAsync(TimerDocument timer, CancellationToken cancellationToken)
    {
        var id = timer.Payload ?? "";
        var key = KeyFor(timer.GroupId, id);
        var stored = await documents.GetAsync<HeldNudge>(key, cancellationToken).ConfigureAwait(false);
        if (stored is null) return;
        var content = Unseal(key, stored.Value.Sealed);
        if (content is null)
        {
            logger.LogWarning("Held nudge {NudgeId} of group {GroupId} could not be opened (key changed?); dropped.", id, timer.GroupId);
            await documents.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
            return;
        }

        var decision = await DecideAsync(timer.GroupId, content.MemberId, stored.Value.Kind, cancellationToken).ConfigureAwait(false);
        if (decision.Outcome == NudgeOutcome.Held && decision.ReleaseAt > clock.GetCurrentInstant())
        {
            // The member moved their quiet hours since: wait for the new end.
            await documents.UpdateAsync<HeldNudge>(key, h => h is null ? null : h with { ReleaseAt = decision.ReleaseAt!.Value }, cancellationToken).ConfigureAwait(false);
            await timers.ScheduleAsync(timer with { Due = decision.ReleaseAt!.Value }, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (decision.Outcome != NudgeOutcome.OptedOut)
            await DeliverAsync(content.MemberId, content.Reply, cancellationToken).ConfigureAwait(false);
        await documents.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A held message whose release was missed (no instance was running) is still delivered, late.</summary>
    public Task MissedAsync(TimerDocument timer, CancellationToken cancellationToken) => HandleAsync(timer, cancellationToken);

    /// <summary>Erasure: deletes the member's held messages in the group (only this class can open them). Returns how many.</summary>
    public async Task<int> EraseMemberAsync(string groupId, string memberId, CancellationToken cancellationToken)
    {
        var erased = 0;
        await foreach (var held in documents.ListAsync<HeldNudge>($"groups/{groupId}/nudges/", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var key = KeyFor(groupId, held.Value.Id);
            if (Unseal(key, held.Value.Sealed)?.MemberId != memberId) continue;
            await documents.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
            await timers.CancelAsync(groupId, TimerId(held.Value.Id), cancellationToken).ConfigureAwait(false);
            erased++;
        }
        return erased;
    }

    private static string TimerId(string id) => $"nudge-{id}";

    /// <summary>Sent (meaning "send now"), Held with a release time, or OptedOut.</summary>
    private async Task<NudgeResult> DecideAsync(string groupId, string memberId, NudgeKind kind, CancellationToken cancellationToken)
    {
        var prefs = await preferences.GetAsync(memberId, cancellationToken).ConfigureAwait(false);
        var wanted = kind switch
        {
            NudgeKind.Reply => true,
            NudgeKind.RotaReminder => prefs.Nudges ?? true,
            _ => prefs.Nudges ?? false,
        };
        if (!wanted) return new NudgeResult(NudgeOutcome.OptedOut);
        if (!prefs.HasQuietHours) return new NudgeResult(NudgeOutcome.Sent);
        var group = await directory.GetGroupAsync(groupId, cancellationToken).ConfigureAwait(false);
        var zone = prefs.ZoneOr(group?.Zone ?? DateTimeZoneProviders.Tzdb["Europe/London"]);
        var end = QuietHours.EndIfInside(prefs, zone, clock.GetCurrentInstant());
        return end is null ? new NudgeResult(NudgeOutcome.Sent) : new NudgeResult(NudgeOutcome.Held, end);
    }

    private async Task<NudgeResult> DeliverAsync(string memberId, BotReply reply, CancellationToken cancellationToken)
        => await outbound.SendPrivateAsync(memberId, reply, cancellationToken).ConfigureAwait(false)
            ? new NudgeResult(NudgeOutcome.Sent)
            : new NudgeResult(NudgeOutcome.Unreachable);

    private byte[] SealingKey() => keys.DeriveKey("held-nudges");

    private string Seal(string documentKey, SealedContent content)
    {
        var plain = JsonSerializer.SerializeToUtf8Bytes(content, Documents.JsonOptions);
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var cipher = new byte[plain.Length];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        using var aes = new AesGcm(SealingKey(), tag.Length);
        aes.Encrypt(nonce, plain, cipher, tag, Encoding.UTF8.GetBytes(documentKey));
        return Convert.ToBase64String([.. nonce, .. tag, .. cipher]);
    }

    private SealedContent? Unseal(string documentKey, string sealedText)
    {
        try
        {
            var all = Convert.FromBase64String(sealedText);
            var nonceSize = AesGcm.NonceByteSizes.MaxSize;
            var tagSize = AesGcm.TagByteSizes.MaxSize;
            var plain = new byte[all.Length - nonceSize - tagSize];
            using var aes = new AesGcm(SealingKey(), tagSize);
            aes.Decrypt(all.AsSpan(0, nonceSize), all.AsSpan(nonceSize + tagSize), all.AsSpan(nonceSize, tagSize), plain, Encoding.UTF8.GetBytes(documentKey));
            return JsonSerializer.Deserialize<SealedContent>(plain, Documents.JsonOptions);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or JsonException or ArgumentException or OverflowException)
        {
            return null;
        }
    }
}
