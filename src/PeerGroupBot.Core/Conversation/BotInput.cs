namespace PeerGroupBot.Core.Conversation;

/// <summary>Who is speaking. <see cref="MemberId"/> is "platform:platform-user-id", e.g. "discord:80351110224678912".</summary>
/// <param name="IsPlatformFacilitator">The platform says so: a configured Discord role or Manage Server, a Teams team owner.</param>
public sealed record Actor(string MemberId, string DisplayName, bool IsPlatformFacilitator = false)
{
    public string Platform => MemberIds.PlatformOf(MemberId);
}

/// <summary>Where the input came from: a group channel, or a private chat with the bot.</summary>
/// <param name="Platform">"teams", "discord" or "playground".</param>
/// <param name="ChannelId">The platform's id of the channel or private conversation.</param>
public sealed record Place(string Platform, string ChannelId, bool IsPrivate)
{
    public ChannelRef Channel => new(Platform, ChannelId);
}

/// <summary>A member named in the input (a Discord user option, a Teams @mention, a playground pick).</summary>
public sealed record Mention(string MemberId, string DisplayName);

public enum InputKind
{
    /// <summary>A typed message or a slash command flattened to text: "poll new", "agenda add Tea and biscuits".</summary>
    Message,
    /// <summary>A button click or a select choice; <see cref="BotInput.ActionId"/> says which.</summary>
    Action,
    /// <summary>A submitted form (Discord modal, Adaptive Card form, HTML form).</summary>
    Form,
}

/// <summary>One platform-neutral input. Adapters build it; the core never sees a platform payload.</summary>
public sealed record BotInput
{
    public required Actor Actor { get; init; }
    public required Place Place { get; init; }
    public required InputKind Kind { get; init; }

    /// <summary>For <see cref="InputKind.Message"/>: the text as typed, without the bot's @mention.</summary>
    public string Text { get; init; } = "";

    /// <summary>For actions and forms: "flow:verb:arg…", at most 100 characters (Discord's custom_id limit).</summary>
    public string ActionId { get; init; } = "";

    /// <summary>Form field values by field id, or for a select the chosen values under "values" (comma separated is never used).</summary>
    public IReadOnlyDictionary<string, string> Values { get; init; } = new Dictionary<string, string>();

    /// <summary>Values chosen in a select menu, in order.</summary>
    public IReadOnlyList<string> Selected { get; init; } = [];

    /// <summary>
    /// For a submit of several selects at once (<see cref="BotReply.SubmitSelects"/>): each select's action id and the
    /// values chosen in it, an empty list for a select left empty. A select missing here was not on the submitted form.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Choices { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>
    /// Whether the adapter can send several selects back with one button (<see cref="BotReply.SubmitSelects"/>): true
    /// for an Adaptive Card or an HTML form. False for Discord, where each select menu in a message sends its own
    /// interaction as soon as it is closed and a message holds at most five rows of components.
    /// </summary>
    public bool GathersSelects { get; init; } = true;

    /// <summary>Members mentioned in the input.</summary>
    public IReadOnlyList<Mention> Mentions { get; init; } = [];

    /// <summary>For actions: the id of the message the button or select was on, when the platform says.</summary>
    public string? SourceMessageId { get; init; }

    /// <summary>
    /// For messages in a channel: whether others there read what was typed, with the sender's name. True for a typed
    /// message (Teams, the playground); an adapter whose commands are invisible to others (a Discord slash command,
    /// answered privately) says false.
    /// </summary>
    public bool TypedInView { get; init; } = true;

    /// <summary>
    /// How to reach the actor's account privately on its platform, as the adapter knows it from this input: a JSON
    /// object only that adapter reads back (<see cref="Members.MemberContacts"/>). The core stores it in the account's
    /// group index, in the same create as the index for a member's first input in a group, and otherwise only when it
    /// changed. Null when the platform needs nothing stored to reach a member. Never kept with a held input.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public System.Text.Json.JsonElement? Contact { get; init; }
}

/// <summary>A channel on one platform. A group links one or more of these.</summary>
public sealed record ChannelRef(string Platform, string ChannelId)
{
    public override string ToString() => $"{Platform}:{ChannelId}";
}

public static class MemberIds
{
    public static string Of(string platform, string platformUserId) => $"{platform}:{platformUserId}";

    public static string PlatformOf(string memberId)
    {
        var colon = memberId.IndexOf(':');
        return colon < 0 ? "" : memberId[..colon];
    }

    public static string PlatformUserIdOf(string memberId)
    {
        var colon = memberId.IndexOf(':');
        return colon < 0 ? memberId : memberId[(colon + 1)..];
    }
}
