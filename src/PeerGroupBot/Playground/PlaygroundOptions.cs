namespace PeerGroupBot.Playground;

public sealed class PlaygroundOptions
{
    public const string Section = "Playground";

    /// <summary>Serve the local web chat at /playground (loopback only, no forwarding headers). Default: on in Development; it never runs outside Development.</summary>
    public bool Enabled { get; set; }
}

/// <summary>A sample person in the playground. Fran is a facilitator, as the platform would say.</summary>
public sealed record PlaygroundPerson(string Id, string Name, bool Facilitator)
{
    public string MemberId => $"playground:{Id}";

    public static readonly IReadOnlyList<PlaygroundPerson> All =
    [
        new("fran", "Fran", Facilitator: true),
        new("alex", "Alex", Facilitator: false),
        new("sam", "Sam", Facilitator: false),
        new("priya", "Priya", Facilitator: false),
        new("jo", "Jo", Facilitator: false),
    ];

    public static PlaygroundPerson? Find(string? id) => All.FirstOrDefault(p => p.Id == id);
}

/// <summary>The playground's channels: the group's channel, a private facilitators' channel, and each person's private chat.</summary>
public static class PlaygroundChannels
{
    public const string Group = "group-channel";
    public const string Staff = "staff-channel";
    public static string PrivateOf(string personId) => $"dm-{personId}";
}
