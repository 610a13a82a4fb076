using NodaTime;

namespace PeerGroupBot.Core.Checkouts;

/// <summary>
/// A group's check-out settings, changed by facilitators with <c>record checkout …</c>. Stored at
/// <c>groups/{groupId}/checkout-settings</c>; missing means on, with the default questions.
/// </summary>
public sealed record CheckoutSettings
{
    /// <summary>False when the group turned check-outs off (<c>record checkout off</c>).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The group's own questions; null uses <see cref="CheckoutQuestions.Defaults"/>.</summary>
    public List<string>? Questions { get; init; }

    public IReadOnlyList<string> EffectiveQuestions => Questions is { Count: > 0 } own ? own : CheckoutQuestions.Defaults;

    public static string KeyFor(string groupId) => $"groups/{groupId}/checkout-settings";
}

/// <summary>
/// The anonymous check-out of one session. Stored at <c>groups/{groupId}/checkouts/{occurrence key}</c>.
/// Answers are never kept as answers: each one only adds to the per-question counts (how many said 1, 2 … 5) and, if
/// the member wrote a line, puts it at a random place among the others. Who has answered is a separate, sorted list of
/// keyed hashes made for this check-out alone (the ballot box's rule of one each), with nothing beside them, emptied
/// when the check-out closes. No document holds a member id, a name or a time of answering.
/// </summary>
public sealed record CheckoutBox
{
    public required string SessionId { get; init; }

    /// <summary>The session as people know it, "Tue 3 Nov, 18:30".</summary>
    public required string Title { get; init; }

    /// <summary>When the session started (an ended-by-hand session without a schedule: when it was ended).</summary>
    public Instant SessionStart { get; init; }

    public Instant ClosesAt { get; init; }

    /// <summary>The questions as they were when the check-out opened; later changes apply to later sessions.</summary>
    public List<string> Questions { get; init; } = [];

    /// <summary>Per question, how many answered 1, 2, 3, 4 and 5 (five numbers each).</summary>
    public List<List<int>> Counts { get; init; } = [];

    /// <summary>How many members sent the check-out (a member may skip any question).</summary>
    public int Answers { get; init; }

    /// <summary>Keyed hashes (this check-out's purpose only) of members who answered, sorted; emptied at the close.</summary>
    public List<string> Answered { get; init; } = [];

    /// <summary>The optional free-text lines, in random order, with no time and no author.</summary>
    public List<string> Comments { get; init; } = [];

    public bool Closed { get; init; }

    public static string Prefix(string groupId) => $"groups/{groupId}/checkouts/";

    public static string KeyFor(string groupId, string occurrenceKey) => Prefix(groupId) + occurrenceKey;
}

/// <summary>The default questions and the limits on a group's own.</summary>
public static class CheckoutQuestions
{
    public const int MinQuestions = 1;
    public const int MaxQuestions = 4;
    public const int MinLength = 3;

    /// <summary>Discord shows a modal field's label in up to 45 characters, so a question fits one whole.</summary>
    public const int MaxLength = 45;

    public const int MaxCommentLength = 500;

    public static readonly IReadOnlyList<string> Defaults =
    [
        "I felt listened to",
        "Members, not staff, shaped today's session",
        "I'd feel able to raise a concern",
        "I felt safe to be myself here",
    ];

    /// <summary>The 1–5 scale as members see it.</summary>
    public static readonly IReadOnlyList<(int Score, string Label)> Scale =
    [
        (5, "5 - agree strongly"),
        (4, "4 - agree"),
        (3, "3 - not sure"),
        (2, "2 - disagree"),
        (1, "1 - disagree strongly"),
    ];

    /// <summary>Reads "A | B | C" into questions, or says what is wrong.</summary>
    public static List<string>? Parse(string text, out string error)
    {
        error = "";
        var questions = text.Split(['|', '\n'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(q => string.Join(' ', q.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)))
            .ToList();
        if (questions.Count is < MinQuestions or > MaxQuestions)
        {
            error = $"Give {MinQuestions} to {MaxQuestions} questions separated by `|`, like `record checkout questions I felt listened to | We chose what to talk about`.";
            return null;
        }
        var wrong = questions.FirstOrDefault(q => q.Length is < MinLength or > MaxLength);
        if (wrong is not null)
        {
            error = $"Each question needs {MinLength} to {MaxLength} characters (so it fits on every platform); \"{(wrong.Length > 60 ? wrong[..60] + "…" : wrong)}\" has {wrong.Length}.";
            return null;
        }
        if (questions.Distinct(StringComparer.OrdinalIgnoreCase).Count() != questions.Count)
        {
            error = "Two of those questions are the same. Each question should ask something different.";
            return null;
        }
        return questions;
    }
}
