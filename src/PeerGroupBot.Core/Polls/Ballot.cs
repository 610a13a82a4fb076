namespace PeerGroupBot.Core.Polls;

/// <summary>
/// One member's vote on one poll, filed in the poll's <see cref="BallotBox"/> under a keyed hash of the member id
/// made with a purpose unique to that poll: the member can change their vote, a double click stores the same ballot
/// twice, and the ballots of two polls cannot be linked to each other.
/// An anonymous ballot holds the choices only: no id, no name, no time.
/// </summary>
public sealed record Ballot
{
    /// <summary>Option ids: one (single), any number (approval), or in order of preference (ranked).</summary>
    public List<int> Choices { get; init; } = [];

    /// <summary>Open (named) polls only: the name shown next to the choice.</summary>
    public string? DisplayName { get; init; }

    public bool SameAs(Ballot other) => Choices.SequenceEqual(other.Choices) && DisplayName == other.DisplayName;
}

/// <summary>
/// Every ballot of one poll, by voter key. Stored at <c>groups/{groupId}/ballots/{pollId}</c> and deleted when the
/// poll closes (the frozen result is all that is kept). One document per poll means a vote is one read and one
/// conditional write, and the live count reads one document however many have voted; votes arriving together are
/// serialised by the ETag retry. Entries are kept in voter-key order, never arrival order, so the document does not
/// show who voted first.
/// </summary>
public sealed record BallotBox
{
    public Dictionary<string, Ballot> Ballots { get; init; } = [];

    /// <summary>
    /// Set as a close begins: from then on no vote is stored, so the count sees every ballot that will ever count and a
    /// vote that read the poll as open just before is answered "this poll has closed". Once the result is frozen an
    /// empty sealed box is all that stays.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool Sealed { get; init; }

    /// <summary>
    /// Anonymous polls with live results: the choices of every ballot as last shown on the card, sorted by content
    /// (never by voter), or null before the first step. The card counts these, so it moves only in steps.
    /// </summary>
    public List<List<int>>? Shown { get; init; }

    /// <summary>The voters whose ballot changed (cast, changed or withdrawn) since <see cref="Shown"/> was taken.</summary>
    public List<string> ChangedSinceShown { get; init; } = [];

    public Ballot? Of(string voterKey) => Ballots.GetValueOrDefault(voterKey);

    /// <summary>A copy with <paramref name="voterKey"/>'s ballot set to <paramref name="ballot"/>, or removed when it is null.</summary>
    public BallotBox With(string voterKey, Ballot? ballot)
    {
        var entries = Ballots.Where(b => b.Key != voterKey).ToList();
        if (ballot is not null) entries.Add(new(voterKey, ballot));
        return this with
        {
            Ballots = entries.OrderBy(b => b.Key, StringComparer.Ordinal).ToDictionary(b => b.Key, b => b.Value, StringComparer.Ordinal),
            ChangedSinceShown = [.. ChangedSinceShown.Append(voterKey).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
        };
    }

    /// <summary>
    /// A new snapshot for the card once at least <paramref name="step"/> different voters changed their ballot since
    /// the last one; null while fewer have, so no single vote ever moves the counts.
    /// </summary>
    public BallotBox? NextStep(int step) => ChangedSinceShown.Count < step ? null : this with
    {
        Shown = [.. Ballots.Values.Select(b => b.Choices).OrderBy(c => string.Join(',', c), StringComparer.Ordinal)],
        ChangedSinceShown = [],
    };
}
