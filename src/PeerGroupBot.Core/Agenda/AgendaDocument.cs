using NodaTime;
using PeerGroupBot.Core.Outbound;

namespace PeerGroupBot.Core.Agenda;

/// <summary>Where an agenda item came from; decides what is shown instead of, or beside, its text.</summary>
public enum AgendaItemSource
{
    /// <summary>Added by a member who is named on the agenda.</summary>
    Member,
    /// <summary>Added by a member who chose not to be named: shown as "a member", nothing stored points back at them.</summary>
    Anonymous,
    /// <summary>The winning topic of a topic poll, shown as "from topic poll".</summary>
    Poll,
}

/// <summary>
/// One line of an agenda. Items carry no timestamps and their ids are random, so nothing stored tells in which order
/// they arrived: the list order is the agenda order, and that is all. An anonymous item keeps no author, only the
/// keyed hash of a withdrawal code that was given to the author privately.
/// </summary>
public sealed record AgendaItem
{
    /// <summary>Random, not sequential: a counter would reveal arrival order.</summary>
    public required string Id { get; init; }
    public required string Text { get; init; }
    public AgendaItemSource Source { get; init; }
    /// <summary>Estimated minutes, when the member gave one.</summary>
    public int? Minutes { get; init; }
    /// <summary>Named items only: the author's member key (a keyed hash), so they can remove their own item.</summary>
    public string? AuthorKey { get; init; }
    /// <summary>Named items only: the name shown on the agenda.</summary>
    public string? AuthorName { get; init; }
    /// <summary>Poll items only: the poll, so a winner is added once.</summary>
    public string? PollId { get; init; }
    /// <summary>Anonymous items only: keyed hash of the code that lets the author withdraw the item.</summary>
    public string? WithdrawalHash { get; init; }
    /// <summary>Not finished at an earlier session and moved to this one.</summary>
    public bool CarriedOver { get; init; }
    public bool Done { get; init; }
}

/// <summary>
/// The agenda of a group for one session occurrence (the next one from the schedule, or the undated "next"
/// session). When that occurrence has ended, the next read moves the unfinished items to the following occurrence.
/// Stored at <c>groups/{groupId}/agenda/current</c>.
/// </summary>
public sealed record AgendaDocument
{
    public required string OccurrenceId { get; init; }
    public Instant? OccurrenceStart { get; init; }
    public Duration OccurrenceLength { get; init; }
    /// <summary>In agenda order.</summary>
    public List<AgendaItem> Items { get; init; } = [];
    /// <summary>The posted agenda message(s) for this occurrence, so posting again updates them.</summary>
    public PostedMessage? Posted { get; init; }
    /// <summary>Polls whose winner was already added (the most recent ones), kept across sessions so a winner lands once.</summary>
    public List<string> PollIds { get; init; } = [];

    /// <summary>How <see cref="PollIds"/> remembers a winning topic: by poll and text, as a kept tie adds several from one poll.</summary>
    public static string RememberedTopic(string pollId, string text) => $"{pollId}/{text.ToLowerInvariant()}";

    /// <summary>Whether a winner of <paramref name="pollId"/> was put on the agenda (among the polls still remembered).</summary>
    public bool TookWinnerOf(string pollId) => PollIds.Any(p => p.StartsWith(pollId + "/", StringComparison.Ordinal));

    public static string KeyFor(string groupId) => $"groups/{groupId}/agenda/current";
}
