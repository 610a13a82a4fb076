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
    /// <summary>An answer the member asked for (a reply to their concern): always delivered, but still waits for quiet hours to end.</summary>
    Reply,
}

public enum NudgeOutcome
{
    Sent,
    /// <summary>Stored until the member's quiet hours end; <see cref="NudgeResult.ReleaseAt"/> says when.</summary>
    Held,
    /// <summary>The member does not want this kind of nudge; nothing was sent or kept.</summary>
    OptedOut,
    /// <summary>The platform refused (DMs closed); nothing was kept.</summary>
    Unreachable,
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
}
