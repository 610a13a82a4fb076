namespace PeerGroupBot.Core.Polls;

/// <summary>Configuration of topic polls (section <c>Polls</c>). Groups can override the threshold with <c>poll minvoters</c>.</summary>
public sealed class PollOptions
{
    public const string Section = "Polls";

    /// <summary>An anonymous poll shows no counts until this many members have voted (a group's own setting wins).</summary>
    public int MinVotersBeforeResults { get; set; } = 3;

    /// <summary>The latest a poll may be set to close, in days from when it is set.</summary>
    public int MaxOpenDays { get; set; } = 365;

    /// <summary>
    /// How long before a poll closes its non-voters are nudged privately (only those who turned nudges on); half-way
    /// through a shorter vote. 0 turns poll nudges off.
    /// </summary>
    public int NudgeNonVotersHoursBeforeClose { get; set; } = 24;
}
