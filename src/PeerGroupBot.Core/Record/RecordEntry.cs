using NodaTime;

namespace PeerGroupBot.Core.Record;

/// <summary>What kind of decision or event a record entry is.</summary>
public enum RecordKind { Poll, Agenda, Rota, Concern, Session, Checkout }

/// <summary>
/// One member who held a rota role in a recorded session. <see cref="HolderKey"/> is a keyed hash made for the
/// group's record only, so turns per member can be counted without storing a platform id, and an erased member's
/// turns can be found and made anonymous ("a member") while still counting as turns.
/// </summary>
public sealed record RecordHolder(string Role, string Name, string HolderKey);

/// <summary>
/// One line of a group's decisions log: "you said, we did". It holds counts, questions, results and outcomes the
/// facilitators chose to publish; never a concern's text, never a platform id.
/// </summary>
public sealed record RecordEntry
{
    /// <summary>Stable per decision ("poll-3", "session-2026-11-10T18:00"): appending the same id again replaces it.</summary>
    public required string Id { get; init; }
    public required RecordKind Kind { get; init; }
    public required Instant At { get; init; }

    /// <summary>Poll: the question. Agenda and rota: the session label. Concern: "Concern #4".</summary>
    public string Title { get; init; } = "";

    /// <summary>Poll: the result in words. Concern: the published outcome. Session: "held" or the reason it was cancelled.</summary>
    public string? Outcome { get; init; }

    /// <summary>Poll: members who voted, and members in the group's roster when it closed.</summary>
    public int? Voters { get; init; }
    public int? Eligible { get; init; }

    /// <summary>Agenda: items proposed by members (named or anonymous), by facilitators, and topic poll winners.</summary>
    public int? MemberItems { get; init; }
    public int? FacilitatorItems { get; init; }
    public int? PollItems { get; init; }

    /// <summary>Rota: who held each role.</summary>
    public List<RecordHolder> Holders { get; init; } = [];

    /// <summary>Concern: its category (never its text) and whether it was acknowledged within the target time.</summary>
    public string? Category { get; init; }
    public bool? AcknowledgedInTime { get; init; }

    /// <summary>Session: true when it took place, false when cancelled.</summary>
    public bool? Held { get; init; }

    /// <summary>Check-out: how many members sent it.</summary>
    public int? Answered { get; init; }

    /// <summary>
    /// Check-out: per question, how many answered 1 to 5. Empty when fewer than the group's k answered; a question
    /// fewer than k answered has no counts. Counts only: never who, never when, never an answer as a whole.
    /// </summary>
    public List<CheckoutScores> Scores { get; init; } = [];
}

/// <summary>One check-out question and how many answered 1, 2, 3, 4 and 5 (<see cref="Counts"/>[0] is the 1s).</summary>
public sealed record CheckoutScores(string Question, List<int> Counts)
{
    public int Answers => Counts.Sum();

    /// <summary>The median score: the middle answer, or halfway between the two middle ones. Null without answers.</summary>
    public double? Median => MedianOf(Counts);

    public static double? MedianOf(IReadOnlyList<int> counts)
    {
        var n = counts.Sum();
        if (n == 0) return null;
        return (n % 2 == 1) ? ScoreAt(counts, n / 2) : (ScoreAt(counts, n / 2 - 1) + ScoreAt(counts, n / 2)) / 2.0;
    }

    /// <summary>The score of the answer at <paramref name="index"/> (from 0) when all answers are lined up from 1 to 5.</summary>
    private static int ScoreAt(IReadOnlyList<int> counts, int index)
    {
        for (var score = 0; score < counts.Count; score++)
        {
            if (index < counts[score]) return score + 1;
            index -= counts[score];
        }
        return counts.Count;
    }
}

/// <summary>A month of a group's decisions log, stored at <c>groups/{groupId}/record/{yyyy-MM}</c>.</summary>
public sealed record RecordMonth
{
    public List<RecordEntry> Entries { get; init; } = [];
}
