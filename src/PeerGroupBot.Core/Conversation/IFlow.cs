using System.Text.RegularExpressions;
using NodaTime;
using PeerGroupBot.Core.Groups;

namespace PeerGroupBot.Core.Conversation;

/// <summary>One line of <c>help</c>: how to use a command and what it does.</summary>
public sealed record HelpEntry(string Usage, string Description, bool FacilitatorsOnly = false);

/// <summary>
/// A feature's conversation: "poll", "rota", "agenda", "concern", "session", "setup", "me". Written once, it runs
/// unchanged on every adapter. The router hands it messages whose first word is its <see cref="Name"/>, actions and
/// forms whose id starts with "<see cref="Name"/>:", and free text while it has a dialog open with the member.
/// </summary>
public interface IFlow
{
    string Name { get; }

    /// <summary>Help lines for this flow, in the order they should be shown.</summary>
    IReadOnlyList<HelpEntry> Help { get; }

    /// <summary>
    /// This job in a few words, for the one-screen <c>help</c> (one line per job; <c>help {Name}</c> lists every command).
    /// </summary>
    string HelpSummary => Help.Count > 0 ? Help[0].Description : Name;

    /// <summary>The word after <c>help</c> that lists this job's commands; the flow's name unless that reads as something else.</summary>
    string HelpTopic => Name;

    /// <summary>Whether the flow needs the input to come with a group (a group channel, or private chat of a member of exactly one group).</summary>
    bool RequiresGroup => true;

    /// <summary>
    /// Whether handling this action a second time (a replayed request) can change nothing the member's own click did not
    /// already ask for: "set my vote to X". Such actions need no shared replay mark in storage. False unless a flow says so.
    /// </summary>
    bool RepeatIsHarmless(string verb) => false;

    Task<IReadOnlyList<BotReply>> HandleAsync(FlowContext context, CancellationToken cancellationToken);
}

/// <summary>Everything a flow knows about one input.</summary>
public sealed class FlowContext
{
    public required BotInput Input { get; init; }

    /// <summary>The group the input belongs to; null in an unlinked channel or a private chat that could mean several groups.</summary>
    public GroupDocument? Group { get; init; }

    /// <summary>The input came from one of the group's linked channels (main or concerns), not a private chat.</summary>
    public bool InGroupChannel { get; init; }

    /// <summary>The purpose of the channel the input came from, when it is linked.</summary>
    public ChannelPurpose? ChannelPurpose { get; init; }

    public bool IsFacilitator { get; init; }

    public Instant Now { get; init; }

    /// <summary>Messages: the word after the flow name, lower-case ("new" in "poll new …"). Actions and forms: the second segment of the id.</summary>
    public string Verb { get; init; } = "";

    /// <summary>Messages: the text after the verb, trimmed.</summary>
    public string Arguments { get; init; } = "";

    /// <summary>Messages: everything after the flow name, as typed (verb included, original case).</summary>
    public string AfterName { get; init; } = "";

    /// <summary>Actions and forms: the id's segments after flow and verb.</summary>
    public IReadOnlyList<string> ActionArgs { get; init; } = [];

    /// <summary>
    /// The router's risk check found words suggesting risk in this input. Only concern forms reach a flow with it set
    /// (everything else is held first, see <see cref="Safety.SafetyCheck"/>): the concern is marked urgent.
    /// </summary>
    public bool SuggestsRisk { get; init; }

    /// <summary>
    /// Whether this input is a typed message that others read with the sender's name: typed in a channel, where the
    /// adapter says typing is seen (<see cref="BotInput.TypedInView"/>).
    /// </summary>
    public bool TypingIsSeenByOthers => Input.Kind == InputKind.Message && !Input.Place.IsPrivate && Input.TypedInView;

    /// <summary>The open multi-step dialog this free-text message continues, if any.</summary>
    public DialogState? Dialog { get; init; }

    /// <summary>The member: for a member who linked two accounts, <see cref="Actor.MemberId"/> is their person id (<c>person:…</c>).</summary>
    public Actor Actor => Input.Actor;

    /// <summary>The platform account that acted ("discord:…"); the same as the actor's member id unless the account is linked.</summary>
    public string AccountId
    {
        get => _accountId ?? Input.Actor.MemberId;
        init => _accountId = value;
    }

    private readonly string? _accountId;

    /// <summary>The group, when a flow has checked <see cref="IFlow.RequiresGroup"/>.</summary>
    public GroupDocument RequiredGroup => Group ?? throw new InvalidOperationException("This flow needs a group.");

    public LocalDateTime LocalNow => Now.InZone(RequiredGroup.Zone).LocalDateTime;

    /// <summary>
    /// A name written with @ that is no member the platform recognised ("Joe" in <c>rota swap 1 @Joe</c> when nobody
    /// called Joe is in the group), so a command can say so instead of asking for a mention again. Null when none.
    /// </summary>
    public string? UnknownMention()
    {
        var match = Regex.Match(WithoutMentions(Arguments, Input.Mentions), @"@([\p{L}\p{N}_.'-]+)");
        return match.Success ? match.Groups[1].Value.TrimEnd('.', '\'', '-') : null;
    }

    /// <summary>"I don't know a member called Joe in this group. …", for <see cref="UnknownMention"/>.</summary>
    public static string UnknownMemberText(string name)
        => $"I don't know a member called {(name.Length > 30 ? name[..30] + "…" : name)} in this group. "
         + "Members join by saying something in the group's channel (for example `help`); then you can mention them.";

    /// <summary>The text with the mentioned members' names (and platform mention markup) taken out.</summary>
    public static string WithoutMentions(string text, IReadOnlyList<Mention> mentions)
    {
        text = Regex.Replace(text, @"<@[!&]?\d+>|<at>.*?</at>", " ");
        foreach (var mention in mentions.OrderByDescending(m => m.DisplayName.Length))
        {
            if (mention.DisplayName.Length == 0) continue;
            text = Regex.Replace(text, "@?" + Regex.Escape(mention.DisplayName), " ", RegexOptions.IgnoreCase);
        }
        return text;
    }

    /// <summary>
    /// The visibility rule, the same in every flow: an answer about the group that someone asks for (the rota, its
    /// stats, a poll's results, the co-production report) comes to them privately, unless a facilitator ends the
    /// command with <c>post</c> in the group's channel, which shows it to everyone there. Returns the arguments without
    /// that word, how to show the answer, and a note to add when <c>post</c> was asked for but can't be honoured.
    /// </summary>
    public (string Arguments, ReplyVisibility Visibility, string? Note) PostOrPrivate(bool verbWasPost = false)
    {
        var arguments = Arguments.Trim();
        var post = verbWasPost;
        if (arguments.Equals("post", StringComparison.OrdinalIgnoreCase)) (arguments, post) = ("", true);
        else if (arguments.EndsWith(" post", StringComparison.OrdinalIgnoreCase)) (arguments, post) = (arguments[..^" post".Length].TrimEnd(), true);
        if (!post) return (arguments, ReplyVisibility.Private, null);
        if (!IsFacilitator) return (arguments, ReplyVisibility.Private, "Only facilitators post this to the group, so here is your own copy.");
        if (!InGroupChannel) return (arguments, ReplyVisibility.Private, "To show this to everyone, type the same command in the group's channel; here is your own copy.");
        return (arguments, ReplyVisibility.Channel, null);
    }

    /// <summary>Builds an action id "flow:verb:args", the form every button, select and form uses.</summary>
    public static string ActionId(string flow, string verb, params string[] args)
    {
        var id = string.Join(':', [flow, verb, .. args]);
        if (id.Length > 100) throw new ArgumentException($"Action id '{id}' is longer than 100 characters.");
        return id;
    }
}
