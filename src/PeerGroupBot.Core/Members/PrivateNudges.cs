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
/// anonymous concern). Stored at <c>groups/{groupId}/nudges/{id}</c> and deleted when sent. What kind of message it
/// is and until when it is useful are sealed too, so a held reply to a concern looks like any other held nudge.
/// </summary>
public sealed record HeldNudge(string Id, Instant ReleaseAt, string Sealed);

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

    private sealed record SealedContent(string MemberId, BotReply Reply, NudgeKind Kind, Instant? UsefulUntil);

    public string Kind => TimerKind;

    public static string KeyFor(string groupId, string id) => $"groups/{groupId}/nudges/{id}";

    public async Task<NudgeResult> SendAsync(string groupId, string memberId, BotReply reply, NudgeKind kind, bool urgent, CancellationToken cancellationToken)
    {
        if (urgent) return await DeliverAsync(memberId, reply, cancellationToken).ConfigureAwait(false);
        return await SendOrHoldAsync(groupId, new SealedContent(memberId, reply, kind, null), cancellationToken).ConfigureAwait(false);
    }

    public Task<NudgeResult> SendAsync(string groupId, string memberId, BotReply reply, NudgeKind kind, Instant usefulUntil, CancellationToken cancellationToken)
        => SendOrHoldAsync(groupId, new SealedContent(memberId, reply, kind, usefulUntil), cancellationToken);

    private async Task<NudgeResult> SendOrHoldAsync(string groupId, SealedContent content, CancellationToken cancellationToken)
    {
        var (memberId, reply, kind, usefulUntil) = content;
        if (usefulUntil <= clock.GetCurrentInstant()) return new NudgeResult(NudgeOutcome.Expired);
        var decision = await DecideAsync(groupId, memberId, kind, cancellationToken).ConfigureAwait(false);
        if (decision.Outcome == NudgeOutcome.OptedOut) return decision;
        if (decision.Outcome != NudgeOutcome.Held) return await DeliverAsync(memberId, reply, cancellationToken).ConfigureAwait(false);
        if (usefulUntil <= decision.ReleaseAt) return new NudgeResult(NudgeOutcome.Expired);

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var key = KeyFor(groupId, id);
        var held = new HeldNudge(id, decision.ReleaseAt!.Value, Seal(key, content));
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

        var now = clock.GetCurrentInstant();
        var decision = content.UsefulUntil <= now
            ? new NudgeResult(NudgeOutcome.Expired)
            : await DecideAsync(timer.GroupId, content.MemberId, content.Kind, cancellationToken).ConfigureAwait(false);
        if (decision.Outcome == NudgeOutcome.Held && decision.ReleaseAt > now && content.UsefulUntil <= decision.ReleaseAt)
            decision = new NudgeResult(NudgeOutcome.Expired);
        if (decision.Outcome == NudgeOutcome.Held && decision.ReleaseAt > now)
        {
            // The member moved their quiet hours since: wait for the new end.
            await documents.UpdateAsync<HeldNudge>(key, h => h is null ? null : h with { ReleaseAt = decision.ReleaseAt!.Value }, cancellationToken).ConfigureAwait(false);
            await timers.ScheduleAsync(timer with { Due = decision.ReleaseAt!.Value }, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (decision.Outcome is NudgeOutcome.Sent or NudgeOutcome.Held)
            await DeliverAsync(content.MemberId, content.Reply, cancellationToken).ConfigureAwait(false);
        await documents.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Erasure: deletes every message held for <paramref name="memberId"/> in the member's groups (each is opened to
    /// see whom it is for, since nothing outside the seal says). Call it before the member's roster entries are erased.
    /// Returns how many were deleted.
    /// </summary>
    public async Task<int> EraseMemberAsync(string memberId, CancellationToken cancellationToken)
    {
        var erased = 0;
        foreach (var group in await directory.GroupsOfMemberAsync(memberId, cancellationToken).ConfigureAwait(false))
        {
            var keysFound = new List<string>();
            await foreach (var key in documents.Store.ListKeysAsync($"groups/{group.Id}/nudges/", cancellationToken).ConfigureAwait(false))
                keysFound.Add(key);
            foreach (var key in keysFound)
            {
                var nudge = await documents.GetValueAsync<HeldNudge>(key, cancellationToken).ConfigureAwait(false);
                if (nudge is null || Unseal(key, nudge.Sealed)?.MemberId != memberId) continue;
                await documents.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
                await timers.CancelAsync(group.Id, TimerId(nudge.Id), cancellationToken).ConfigureAwait(false);
                erased++;
            }
        }
        if (erased > 0) logger.LogInformation("Erasure removed {Count} held private nudge(s).", erased);
        return erased;
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
            NudgeKind.RotaReminder or NudgeKind.Checkout => prefs.Nudges ?? true,
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
