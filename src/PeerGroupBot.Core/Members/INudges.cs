using NodaTime;
using PeerGroupBot.Core.Conversation;

namespace PeerGroupBot.Core.Members;

/// <summary>What a private message is, which decides whether the member's nudge setting applies.</summary>
public enum NudgeKind
{
    /// <summary>"You're on the rota for Tuesday": on unless the member turned nudges off.</summary>
    RotaReminder,
    /// <summary>"The topic poll closes tonight": off unless the member turned nudges on.</summary>
    PollNudge,
    /// <summary>"How did the session go?", the anonymous check-out after a session: on unless the member turned nudges off.</summary>
    Checkout,
    /// <summary>
    /// A message the member is part of rather than a reminder: a reply to their concern, a swap request from a peer or the
    /// answer to their own swap request. Always delivered, whatever the nudge setting, but still waits for quiet hours to end.
    /// </summary>
    Reply,
    /// <summary>
    /// A facilitators' reply, or news of their concern, to the member who raised it: like <see cref="Reply"/>, and when
    /// the platform refuses it (direct messages closed, the member left) it waits and is tried again hourly until it
    /// expires, silently, so nothing the facilitators see differs between a delivered and an undeliverable reply.
    /// </summary>
    ConcernReply,
}

public enum NudgeOutcome
{
    Sent,
    /// <summary>Stored until the member's quiet hours end; <see cref="NudgeResult.ReleaseAt"/> says when.</summary>
    Held,
    /// <summary>The member does not want this kind of nudge; nothing was sent or kept.</summary>
    OptedOut,
    /// <summary>The platform refused (DMs closed); nothing was kept (a <see cref="NudgeKind.ConcernReply"/> is held instead).</summary>
    Unreachable,
    /// <summary>Quiet hours would have held it past the time it is useful (a poll nudge after the poll closed); nothing was sent or kept.</summary>
    Expired,
}

public sealed record NudgeResult(NudgeOutcome Outcome, Instant? ReleaseAt = null);

/// <summary>
/// The one way features send a member a private message that is not a reply to something they just did. It honours
/// the member's choices: nudges on or off, and quiet hours in their own time zone, during which a message waits and
/// is sent when they end. Urgent safety messages are never held back and ignore the nudge setting.
/// </summary>
public interface INudges
{
    Task<NudgeResult> SendAsync(string groupId, string memberId, BotReply reply, NudgeKind kind, bool urgent, CancellationToken cancellationToken);

    /// <summary>
    /// A message that is only worth sending before <paramref name="usefulUntil"/>: if quiet hours would hold it until
    /// then or later it is dropped (<see cref="NudgeOutcome.Expired"/>), and a held one is dropped on release if the
    /// time has passed. Never urgent.
    /// </summary>
    Task<NudgeResult> SendAsync(string groupId, string memberId, BotReply reply, NudgeKind kind, Instant usefulUntil, CancellationToken cancellationToken);
}
