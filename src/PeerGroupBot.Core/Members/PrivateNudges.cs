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
/// A private message waiting for quiet hours to end. Who it is for, what it says, what kind of message it is and until
/// when it is useful are sealed with AES-GCM under a key derived from the key ring, so the stored document links no
/// member to its content (it may be a reply to an anonymous concern). Stored at <c>groups/{groupId}/nudges/{id}</c>
/// and deleted when sent. It holds no release time: the timer that releases it is due on a whole hour
/// (<see cref="PrivateNudges.ReleaseHour"/>), so its time cannot be matched to one member's quiet hours.
/// </summary>
public sealed record HeldNudge(string Id, string Sealed);

/// <summary>
/// <see cref="INudges"/>: checks the member's preferences, sends at once or holds the message and schedules a
/// "nudge-release" timer for the first whole hour after quiet hours end. On release it checks again, since the member
/// may have changed their quiet hours or turned nudges off meanwhile. A reply to a concern the platform refused
/// (direct messages closed, the member left) waits too, is tried again hourly and expires silently after
/// <see cref="ConcernReplyLifetime"/>, so the facilitators see the same outcome whatever happened to it.
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

    /// <summary>How long an undeliverable reply to a concern keeps being tried before it is dropped, unseen.</summary>
    public static readonly Duration ConcernReplyLifetime = Duration.FromDays(3);

    private sealed record SealedContent(string MemberId, BotReply Reply, NudgeKind Kind, Instant? UsefulUntil);

    public string Kind => TimerKind;

    public static string KeyFor(string groupId, string id) => $"groups/{groupId}/nudges/{id}";

    /// <summary>The whole hour (UTC) at or after <paramref name="at"/>: when a message held until then is released.</summary>
    public static Instant ReleaseHour(Instant at)
    {
        var ticks = at.ToUnixTimeTicks();
        var hour = NodaConstants.TicksPerHour;
        return Instant.FromUnixTimeTicks((ticks + hour - 1) / hour * hour);
    }

    public async Task<NudgeResult> SendAsync(string groupId, string memberId, BotReply reply, NudgeKind kind, bool urgent, CancellationToken cancellationToken)
    {
        var usefulUntil = kind == NudgeKind.ConcernReply ? clock.GetCurrentInstant() + ConcernReplyLifetime : (Instant?)null;
        if (!urgent) return await SendOrHoldAsync(groupId, new SealedContent(memberId, reply, kind, usefulUntil), cancellationToken).ConfigureAwait(false);
        var sent = await DeliverAsync(memberId, reply, cancellationToken).ConfigureAwait(false);
        return sent.Outcome == NudgeOutcome.Unreachable && kind == NudgeKind.ConcernReply
            ? await HoldAsync(groupId, new SealedContent(memberId, reply, kind, usefulUntil), RetryAt(), cancellationToken).ConfigureAwait(false)
            : sent;
    }

    public Task<NudgeResult> SendAsync(string groupId, string memberId, BotReply reply, NudgeKind kind, Instant usefulUntil, CancellationToken cancellationToken)
        => SendOrHoldAsync(groupId, new SealedContent(memberId, reply, kind, usefulUntil), cancellationToken);

    private async Task<NudgeResult> SendOrHoldAsync(string groupId, SealedContent content, CancellationToken cancellationToken)
    {
        var (memberId, reply, kind, usefulUntil) = content;
        if (usefulUntil <= clock.GetCurrentInstant()) return new NudgeResult(NudgeOutcome.Expired);
        var decision = await DecideAsync(groupId, memberId, kind, cancellationToken).ConfigureAwait(false);
        if (decision.Outcome == NudgeOutcome.OptedOut) return decision;
        if (decision.Outcome != NudgeOutcome.Held)
        {
            var sent = await DeliverAsync(memberId, reply, cancellationToken).ConfigureAwait(false);
            if (sent.Outcome != NudgeOutcome.Unreachable || kind != NudgeKind.ConcernReply) return sent;
            decision = new NudgeResult(NudgeOutcome.Held, RetryAt());
        }
        if (usefulUntil <= decision.ReleaseAt) return new NudgeResult(NudgeOutcome.Expired);
        return await HoldAsync(groupId, content, decision.ReleaseAt!.Value, cancellationToken).ConfigureAwait(false);
    }

    private async Task<NudgeResult> HoldAsync(string groupId, SealedContent content, Instant releaseAt, CancellationToken cancellationToken)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var key = KeyFor(groupId, id);
        await documents.TryCreateAsync(key, new HeldNudge(id, Seal(key, content)), cancellationToken).ConfigureAwait(false);
        await timers.ScheduleAsync(new TimerDocument(groupId, TimerId(id), TimerKind, releaseAt, id), cancellationToken).ConfigureAwait(false);
        logger.LogInformation("A private nudge for group {GroupId} is held ({NudgeId}).", groupId, id);
        return new NudgeResult(NudgeOutcome.Held, releaseAt);
    }

    /// <summary>When an undeliverable reply is tried again: the second whole hour from now, so at least an hour later.</summary>
    private Instant RetryAt() => ReleaseHour(clock.GetCurrentInstant() + Duration.FromHours(1));

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
            await timers.ScheduleAsync(timer with { Due = decision.ReleaseAt!.Value }, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (decision.Outcome is NudgeOutcome.Sent or NudgeOutcome.Held)
        {
            var sent = await DeliverAsync(content.MemberId, content.Reply, cancellationToken).ConfigureAwait(false);
            var retry = RetryAt();
            if (sent.Outcome == NudgeOutcome.Unreachable && content.Kind == NudgeKind.ConcernReply && content.UsefulUntil > retry)
            {
                await timers.ScheduleAsync(timer with { Due = retry }, cancellationToken).ConfigureAwait(false);
                return;
            }
        }
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
        var held = await HeldForAsync(groupId, memberId, cancellationToken).ConfigureAwait(false);
        foreach (var nudge in held)
        {
            await documents.DeleteAsync(KeyFor(groupId, nudge.Id), cancellationToken).ConfigureAwait(false);
            await timers.CancelAsync(groupId, TimerId(nudge.Id), cancellationToken).ConfigureAwait(false);
        }
        return held.Count;
    }

    /// <summary>Export: how many messages wait for the member in the group.</summary>
    public async Task<int> CountMemberAsync(string groupId, string memberId, CancellationToken cancellationToken)
        => (await HeldForAsync(groupId, memberId, cancellationToken).ConfigureAwait(false)).Count;

    private async Task<List<HeldNudge>> HeldForAsync(string groupId, string memberId, CancellationToken cancellationToken)
    {
        var found = new List<HeldNudge>();
        await foreach (var held in documents.ListAsync<HeldNudge>($"groups/{groupId}/nudges/", cancellationToken: cancellationToken).ConfigureAwait(false))
            if (Unseal(KeyFor(groupId, held.Value.Id), held.Value.Sealed)?.MemberId == memberId) found.Add(held.Value);
        return found;
    }

    private static string TimerId(string id) => $"nudge-{id}";

    /// <summary>Sent (meaning "send now"), Held with a release time, or OptedOut.</summary>
    private async Task<NudgeResult> DecideAsync(string groupId, string memberId, NudgeKind kind, CancellationToken cancellationToken)
    {
        var prefs = await preferences.GetAsync(memberId, cancellationToken).ConfigureAwait(false);
        var wanted = kind switch
        {
            NudgeKind.Reply or NudgeKind.ConcernReply => true,
            NudgeKind.RotaReminder or NudgeKind.Checkout => prefs.Nudges ?? true,
            _ => prefs.Nudges ?? false,
        };
        if (!wanted) return new NudgeResult(NudgeOutcome.OptedOut);
        if (!prefs.HasQuietHours) return new NudgeResult(NudgeOutcome.Sent);
        var group = await directory.GetGroupAsync(groupId, cancellationToken).ConfigureAwait(false);
        var zone = prefs.ZoneOr(group?.Zone ?? DateTimeZoneProviders.Tzdb["Europe/London"]);
        var end = QuietHours.EndIfInside(prefs, zone, clock.GetCurrentInstant());
        return end is null ? new NudgeResult(NudgeOutcome.Sent) : new NudgeResult(NudgeOutcome.Held, ReleaseHour(end.Value));
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
