using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using NodaTime;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Members;
using PeerGroupBot.Core.Safety;
using PeerGroupBot.Core.State;
using PeerGroupBot.Core.Telemetry;

namespace PeerGroupBot.Core.Conversation;

/// <summary>
/// The core's single entry point: every adapter turns a platform request into a <see cref="BotInput"/> and calls
/// <see cref="HandleAsync"/>. It resolves the group, checks input limits, picks the flow and turns storage trouble
/// into messages a member can act on. It never logs what a member wrote. When the member has linked two accounts
/// (<c>me link</c>), it hands the flows the person id in place of the account's member id, so everything they do
/// counts once whichever account they use. Before any flow runs, <see cref="SafetyCheck"/> reads every text the member
/// sent; words that suggest risk get crisis contacts privately at once and the input is held until the member chooses.
/// Text that is not a command gets a kind answer rather than an error.
/// </summary>
public sealed partial class ConversationRouter(
    IEnumerable<IFlow> flows,
    GroupDirectory directory,
    DialogStore dialogs,
    MemberLinks links,
    MemberContacts contacts,
    SafetyCheck safety,
    IClock clock,
    ILogger<ConversationRouter> logger)
{
    public const int MaxTextLength = 4000;
    public const int MaxActionIdLength = 100;

    /// <summary>The most form values, or selected options, one input may carry; an input with more is refused.</summary>
    private const int MaxValues = 25;

    private readonly IReadOnlyList<IFlow> _flows = flows.ToList();
    private readonly Dictionary<string, IFlow> _byName = flows.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _flowTags = flows.Select(f => f.Name.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);

    public IReadOnlyList<IFlow> Flows => _flows;

    /// <summary>A button or select whose repeat changes nothing (<see cref="IFlow.RepeatIsHarmless"/>); never a message or a form.</summary>
    public bool RepeatIsHarmless(BotInput input)
    {
        if (input.Kind != InputKind.Action) return false;
        var segments = input.ActionId.Split(':');
        return segments.Length > 1 && _byName.TryGetValue(segments[0], out var flow) && flow.RepeatIsHarmless(segments[1]);
    }

    public async Task<IReadOnlyList<BotReply>> HandleAsync(BotInput input, CancellationToken cancellationToken)
    {
        using var measured = BotTelemetry.Input(input, _flowTags);
        var refusal = CheckLimits(input);
        try
        {
            if (refusal is not null)
            {
                // The refusal is answered privately, and that needs the way to reach the member.
                if (input.Contact is { } contact) await contacts.RememberAsync(input.Actor.MemberId, contact, indexExists: false, cancellationToken).ConfigureAwait(false);
                // Too long to act on is never too long to be heard: words suggesting risk get the crisis contacts first.
                if (safety.SuggestsRisk(Scannable(input)))
                {
                    // The group's own crisis contacts when the place (or, in private, the member's only group) has one.
                    var index = input.Place.IsPrivate ? null : await directory.FindChannelAsync(input.Place.Channel, cancellationToken).ConfigureAwait(false);
                    var (group, _) = await ResolveGroupAsync(input, index, cancellationToken).ConfigureAwait(false);
                    return [await safety.HoldAsync(input, group, releasable: false, safety.ConcernTextOf(input, ""), cancellationToken).ConfigureAwait(false)];
                }
                return [refusal];
            }
            return await RouteAsync(input, checkRisk: true, cancellationToken).ConfigureAwait(false);
        }
        catch (StateUnavailableException)
        {
            logger.LogWarning("Storage unavailable while handling a {Kind} input on {Platform}.", input.Kind, input.Place.Platform);
            return [BotReply.Failure("I can't reach my storage right now, so nothing was changed. Please try again shortly.")];
        }
        catch (StateContentionException ex)
        {
            logger.LogWarning("Gave up on a busy document {Key}.", ex.Key);
            return [BotReply.Failure("Lots of people are doing this at once and your change didn't go through. Please try again.")];
        }
        catch (StateCorruptException ex)
        {
            logger.LogError("Stored document {Key} could not be read; it was left untouched.", ex.Key);
            return [BotReply.Warn("Something this group has stored could not be read, so I stopped without changing anything. Please let a facilitator know.")];
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // The exception type and the flow only: messages of exceptions can carry what a member typed.
            logger.LogError("Handling a {Kind} input failed with {Error}.", input.Kind, ex.GetType().FullName);
            return [BotReply.Failure("Sorry, something went wrong on my side and nothing was changed. Please try again, or tell a facilitator if it keeps happening.")];
        }
    }

    /// <summary>How much of an oversized text the risk check reads (the start of each text, and of the first <see cref="MaxValues"/> form values, so its cost stays bounded).</summary>
    private const int MaxScannedLength = 8 * MaxTextLength;

    private static BotInput Scannable(BotInput input) => input with
    {
        Text = input.Text.Length > MaxScannedLength ? input.Text[..MaxScannedLength] : input.Text,
        Values = input.Values.Take(MaxValues).ToDictionary(v => v.Key, v => v.Value.Length > MaxScannedLength ? v.Value[..MaxScannedLength] : v.Value),
    };


    private static BotReply? CheckLimits(BotInput input)
    {
        if (input.Text.Length > MaxTextLength || input.Values.Values.Any(v => v.Length > MaxTextLength))
            return BotReply.Warn($"That's longer than I can take ({MaxTextLength:N0} characters at most). Could you shorten it?");
        if (input.ActionId.Length > MaxActionIdLength || input.Selected.Count > MaxValues || input.Values.Count > MaxValues)
            return BotReply.Warn("I couldn't understand that button or form. Please try the command again.");
        if (input.Kind == InputKind.Message && string.IsNullOrWhiteSpace(input.Text))
            return BotReply.Private("Type `help` to see what I can do.");
        return null;
    }

    private async Task<IReadOnlyList<BotReply>> RouteAsync(BotInput input, bool checkRisk, CancellationToken cancellationToken)
    {
        var accountId = input.Actor.MemberId;
        var index = input.Place.IsPrivate ? null : await directory.FindChannelAsync(input.Place.Channel, cancellationToken).ConfigureAwait(false);
        // A concern leaves no trace in the roster: a roster write at the moment of a raise would time it to the member.
        var records = index is not null && !IsConcern(input);
        // An account never recorded in a group: recording it (two creates, no reads, the contact in the first) also
        // shows it is not linked. An index that already held groups is not taken as proof: it is not marked linked
        // until both accounts' data has moved, so the link itself is looked up.
        var tried = records && !links.IsKnown(accountId) && await links.MarkersReadyAsync(cancellationToken).ConfigureAwait(false);
        var (newcomer, seenIndex, entry) = tried ? await directory.TryRecordNewcomerAsync(index!.GroupId, input.Actor, input.Contact, cancellationToken).ConfigureAwait(false) : (false, null, null);
        if (newcomer) links.NoteUnlinked(accountId);
        if (seenIndex is not null) contacts.NoteStored(accountId, seenIndex);
        var recording = new Recording(index, records, tried, newcomer);
        if (entry is null) return await RouteRecordedAsync(input, recording, checkRisk, cancellationToken).ConfigureAwait(false);
        // A newcomer's roster entry is being written meanwhile (the index already lists the group): the answer waits for both.
        try
        {
            return await RouteRecordedAsync(input, recording, checkRisk, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await EnteredAsync(entry).ConfigureAwait(false);
        }
    }

    /// <summary>What recording the member found before the flow: the channel's index, whether this input is recorded in the roster, whether the newcomer path was tried, and whether it recorded the member.</summary>
    private readonly record struct Recording(ChannelIndex? Index, bool Records, bool Tried, bool Newcomer);

    /// <summary>Waits for a newcomer's roster entry. Its failure does not undo what the input did: the entry is written at the member's next input.</summary>
    private async Task EnteredAsync(Task entry)
    {
        try
        {
            await entry.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("Recording a member's first input in a group failed with {Error}; it is tried again at their next input.", ex.GetType().FullName);
        }
    }

    private async Task<IReadOnlyList<BotReply>> RouteRecordedAsync(BotInput input, Recording recording, bool checkRisk, CancellationToken cancellationToken)
    {
        var accountId = input.Actor.MemberId;
        var sent = input;
        var (index, records, tried, newcomer) = recording;
        // Before any flow runs, as a flow may answer the member privately. Written the usual way (only when it changed)
        // for everything else, a concern included, exactly as before the contact moved into the index.
        if (input.Contact is { } contact && !newcomer)
            await contacts.RememberAsync(accountId, contact, indexExists: tried, cancellationToken).ConfigureAwait(false);
        input = await AsPersonAsync(input, cancellationToken).ConfigureAwait(false);
        var (group, purpose) = await ResolveGroupAsync(input, index, cancellationToken).ConfigureAwait(false);
        var inGroupChannel = group is not null && !input.Place.IsPrivate && purpose is not null;
        if (inGroupChannel && records && !newcomer) await directory.RecordMemberAsync(group!.Id, input.Actor, cancellationToken).ConfigureAwait(false);
        var isFacilitator = group is null
            ? input.Actor.IsPlatformFacilitator
            : await directory.IsFacilitatorAsync(group, input.Actor, inGroupChannel, cancellationToken).ConfigureAwait(false);

        string flowName, verb = "", arguments = "", afterName = "";
        IReadOnlyList<string> actionArgs = [];
        DialogState? dialog = null;
        var text = "";
        if (input.Kind == InputKind.Message)
        {
            text = input.Text.Trim().TrimStart('/', '!').Trim();
            (flowName, afterName) = SplitWord(text);
            (verb, arguments) = SplitWord(afterName);
            verb = verb.ToLowerInvariant();
            if (!_byName.ContainsKey(flowName) && !IsHelp(flowName))
            {
                dialog = await dialogs.GetAsync(input.Place, group?.Id, input.Actor.MemberId, cancellationToken).ConfigureAwait(false);
                if (dialog is null)
                {
                    if (checkRisk && safety.SuggestsRisk(input))
                        return [await safety.HoldAsync(sent, group, releasable: false, text, cancellationToken).ConfigureAwait(false)];
                    return [NotACommand(group, isFacilitator, text, flowName)];
                }
                if (string.Equals(text, "cancel", StringComparison.OrdinalIgnoreCase))
                {
                    await dialogs.ClearAsync(input.Place, group?.Id, input.Actor.MemberId, cancellationToken).ConfigureAwait(false);
                    return [BotReply.Private("Cancelled. Nothing was saved.")];
                }
                flowName = dialog.Flow;
                verb = "";
                arguments = afterName = input.Text.Trim();
            }
        }
        else
        {
            var segments = input.ActionId.Split(':');
            flowName = segments[0];
            verb = segments.Length > 1 ? segments[1] : "";
            actionArgs = segments.Length > 2 ? segments[2..] : [];
        }

        if (flowName == SafetyCheck.ActionFlow)
            return await safety.ChoiceAsync(input, accountId, verb, actionArgs, held => RouteAsync(held, checkRisk: false, cancellationToken), cancellationToken).ConfigureAwait(false);

        var suggestsRisk = false;
        if (checkRisk && input.Kind != InputKind.Action && !SafetyCheck.IsExempt(flowName, verb, input) && safety.SuggestsRisk(input))
        {
            if (SafetyCheck.FlowHandlesRisk(flowName, verb, input)) suggestsRisk = true;
            else
            {
                // Held before any flow runs: nothing is added, posted or stored until the member chooses.
                var releasable = !IsHelp(flowName) && flowName != "concern";
                var typed = dialog is not null || (flowName == "concern" && verb is not ("raise" or "new")) ? afterName : arguments;
                return [await safety.HoldAsync(sent, group, releasable, safety.ConcernTextOf(input, typed), cancellationToken).ConfigureAwait(false)];
            }
        }

        if (IsHelp(flowName)) return [Help(group, isFacilitator, IsHelpRequest(text) ? "" : HelpTopicOf(afterName))];
        if (!_byName.TryGetValue(flowName, out var flow)) return [UnknownCommand(flowName)];

        if (flow.RequiresGroup && group is null)
            return [await NoGroupReplyAsync(input, cancellationToken).ConfigureAwait(false)];

        var context = new FlowContext
        {
            Input = input,
            Group = group,
            InGroupChannel = inGroupChannel,
            ChannelPurpose = purpose,
            IsFacilitator = isFacilitator,
            Now = clock.GetCurrentInstant(),
            Verb = verb,
            Arguments = arguments,
            AfterName = afterName,
            ActionArgs = actionArgs,
            Dialog = dialog,
            AccountId = accountId,
            SuggestsRisk = suggestsRisk,
        };
        return await flow.HandleAsync(context, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The input as the linked person's, when the actor's account (or a mentioned one) is linked.</summary>
    private async Task<BotInput> AsPersonAsync(BotInput input, CancellationToken cancellationToken)
    {
        var personId = await links.PersonOfAsync(input.Actor.MemberId, cancellationToken).ConfigureAwait(false);
        if (personId is not null) await links.NoteUsedAsync(personId, input.Actor.MemberId, cancellationToken).ConfigureAwait(false);
        var mentions = new List<Mention>(input.Mentions.Count);
        foreach (var mention in input.Mentions)
        {
            var mentioned = await links.PersonOfAsync(mention.MemberId, cancellationToken).ConfigureAwait(false);
            mentions.Add(mentioned is null ? mention : mention with { MemberId = mentioned });
        }
        if (personId is null && mentions.SequenceEqual(input.Mentions)) return input;
        return input with { Actor = personId is null ? input.Actor : input.Actor with { MemberId = personId }, Mentions = mentions };
    }

    private async Task<(GroupDocument? Group, ChannelPurpose? Purpose)> ResolveGroupAsync(BotInput input, ChannelIndex? index, CancellationToken cancellationToken)
    {
        if (!input.Place.IsPrivate)
        {
            if (index is null) return (null, null);
            var group = await directory.GetGroupForInputAsync(index.GroupId, input.Actor.MemberId, cancellationToken).ConfigureAwait(false);
            return group is null ? (null, null) : (group, index.Purpose);
        }
        var groups = await directory.GroupsOfMemberAsync(input.Actor.MemberId, cancellationToken).ConfigureAwait(false);
        return groups.Count == 1 ? (groups[0], null) : (null, null);
    }

    private async Task<BotReply> NoGroupReplyAsync(BotInput input, CancellationToken cancellationToken)
    {
        if (!input.Place.IsPrivate)
            return BotReply.Private("This channel isn't linked to a group yet. A facilitator can run `setup` here to start one.");
        var groups = await directory.GroupsOfMemberAsync(input.Actor.MemberId, cancellationToken).ConfigureAwait(false);
        return groups.Count == 0
            ? BotReply.Private("I don't know which group you're in yet. Say something to me in your group's channel first (for example `help`), then try again here.")
            : BotReply.Private($"You're in {groups.Count} groups ({GroupNames(groups)}), so please use this command in the group's channel.");
    }

    /// <summary>Group names for a list; two groups may share a name, so those say where they meet (and are numbered if that is the same too).</summary>
    private static string GroupNames(IReadOnlyList<GroupDocument> groups)
    {
        var labels = groups.Select(g => groups.Count(o => o.Name == g.Name) == 1
            ? g.Name
            : $"{g.Name} (meets on {string.Join(" and ", g.MainChannels.Select(c => Platforms.DisplayName(c.Platform)).Distinct())})").ToList();
        return string.Join(", ", labels.Select((label, i) => labels.Count(l => l == label) == 1 ? label : $"{label} #{labels.Take(i + 1).Count(l => l == label)}"));
    }

    private BotReply UnknownCommand(string word)
    {
        var hint = Guess(word) is { } guess ? $" Did you mean `{guess}`?" : "";
        var shown = word.Length > 30 ? word[..30] + "…" : word;
        return BotReply.Private($"I don't know the command \"{shown}\".{hint} Type `help` to see what I can do.");
    }

    /// <summary>
    /// A message whose first word is no command: "help me" and the like get help; a short near-miss of a command
    /// ("pol", "hepl") gets a "did you mean"; anything else (a greeting, a sentence) a kind answer saying what the bot
    /// is for and where support is, never an error about the first word. Always private.
    /// </summary>
    private BotReply NotACommand(GroupDocument? group, bool isFacilitator, string text, string firstWord)
    {
        if (IsHelpRequest(text)) return Help(group, isFacilitator, "");
        var words = text.Split([' ', '\n', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries).Length;
        if (words <= 2 && !ChatWords.Contains(firstWord.Trim('!', '?', '.', ',')) && Guess(firstWord) is not null) return UnknownCommand(firstWord);
        var where = group is null ? "" : $" for **{MarkdownText.Member(group.Name)}**";
        return new BotReply
        {
            Text = $"Hello! I'm PeerGroupBot, the group's helper{where}: topic polls, the rota, the agenda, session reminders and anonymous concerns. "
                 + "I'm a bot, so I can't chat or give advice, and I haven't kept what you wrote. Here's what I can do for you:\n"
                 + "- If you need support right now, type `concern support` for people you can talk to, any time.\n"
                 + "- To tell the facilitators something without your name, type `concern` (a private form; they never see who you are).\n"
                 + "- Type `help` to see everything I can do here.",
            Visibility = ReplyVisibility.Private,
            Buttons = [new ReplyButton("Support contacts", FlowContext.ActionId("concern", "support")), new ReplyButton("Help", "help")],
        };
    }

    /// <summary>The command a short word most likely meant, when it is close enough to be a typo ("hepl", "pol").</summary>
    private string? Guess(string word)
    {
        var lower = word.ToLowerInvariant();
        if (lower.Length < 3) return null;
        var known = _flows.Select(f => f.Name).Append("help").ToList();
        var guess = known.MinBy(k => Distance(k, lower));
        return guess is not null && Distance(guess, lower) <= (lower.Length == 3 ? 1 : 2) ? guess : null;
    }

    /// <summary>Words people open a chat with, which are never a mistyped command.</summary>
    private static readonly HashSet<string> ChatWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "hi", "hiya", "hello", "hey", "heya", "yo", "thanks", "thank", "thx", "cheers", "ok", "okay", "yes", "no", "sorry",
        "morning", "evening", "afternoon", "night", "bye", "hmm", "please", "test", "what", "why", "how", "who", "when",
    };

    /// <summary>"help me", "help me please", "can you help", "I need help": asking for help, not for the `me` topic.</summary>
    private static bool IsHelpRequest(string text) => HelpRequest().IsMatch(text);

    [GeneratedRegex(@"^(?:please |pls |hi |hello |hey )?(?:help|can you help|could you help|can u help|will you help|would you help|i need help|i need some help|need help|i need your help|please help)(?: me)?(?: out)?(?: please| pls| plz)?[\s!?.]*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HelpRequest();

    /// <summary>
    /// <c>help</c> fits on one screen: a line per job this member can use, each pointing at <c>help &lt;topic&gt;</c>,
    /// which lists that job's commands for the member's role.
    /// </summary>
    private BotReply Help(GroupDocument? group, bool isFacilitator, string topic)
    {
        var text = new StringBuilder();
        var flow = topic.Length == 0 ? null : _flows.FirstOrDefault(f => f.HelpTopic.Equals(topic, StringComparison.OrdinalIgnoreCase) || f.Name.Equals(topic, StringComparison.OrdinalIgnoreCase));
        if (group is null)
            text.AppendLine("This channel isn't linked to a group yet. A facilitator can run `setup` here to start one.").AppendLine();
        if (flow is not null) return HelpTopic(group, isFacilitator, flow, text);

        if (topic.Length > 0)
            text.AppendLine($"I don't have help on \"{(topic.Length > 30 ? topic[..30] + "…" : topic)}\". The topics are below.").AppendLine();
        if (group is not null)
            text.AppendLine($"Here's what you can do in **{MarkdownText.Member(group.Name)}**{(isFacilitator ? " as a facilitator" : "")}:");
        foreach (var job in _flows.Where(f => VisibleHelp(f, isFacilitator).Any()))
            text.AppendLine($"- `help {job.HelpTopic}`: {job.HelpSummary}");
        text.AppendLine().Append("Type `help <topic>` for every command of one job, e.g. `help poll`. Need someone to talk to now? Type `concern support`.");
        return new BotReply { Title = "PeerGroupBot help", Text = text.ToString().TrimEnd(), Visibility = ReplyVisibility.Private };
    }

    private static bool IsConcern(BotInput input) => input.Kind == InputKind.Message
        ? SplitWord(input.Text.Trim().TrimStart('/', '!')).Word.Equals("concern", StringComparison.OrdinalIgnoreCase)
        : input.ActionId.StartsWith("concern:", StringComparison.OrdinalIgnoreCase);

    private static BotReply HelpTopic(GroupDocument? group, bool isFacilitator, IFlow flow, StringBuilder text)
    {
        var entries = VisibleHelp(flow, isFacilitator).ToList();
        var where = group is null ? "" : $" in **{MarkdownText.Member(group.Name)}**";
        if (entries.Count == 0)
            text.AppendLine($"The `{flow.Name}` commands are for facilitators{where}. Type `help` to see what you can do.");
        else
        {
            text.AppendLine($"Here's what you can do with `{flow.Name}`{where}{(isFacilitator ? " as a facilitator" : "")}:");
            foreach (var entry in entries)
                text.AppendLine($"- `{entry.Usage}`: {entry.Description}{(entry.FacilitatorsOnly ? " *(facilitators)*" : "")}");
            text.AppendLine().Append("Type `help` for the other jobs.");
        }
        return new BotReply { Title = $"PeerGroupBot help: {flow.Name}", Text = text.ToString().TrimEnd(), Visibility = ReplyVisibility.Private };
    }

    private static IEnumerable<HelpEntry> VisibleHelp(IFlow flow, bool isFacilitator)
        => flow.Help.Where(e => isFacilitator || !e.FacilitatorsOnly);

    /// <summary>The topic after <c>help</c>: one word, or "me settings" read as the <c>settings</c> topic.</summary>
    private static string HelpTopicOf(string afterHelp)
    {
        var (first, rest) = SplitWord(afterHelp.ToLowerInvariant());
        return first == "me" && rest.Length > 0 ? SplitWord(rest).Word : first;
    }

    private static bool IsHelp(string word) => word.Equals("help", StringComparison.OrdinalIgnoreCase) || word == "?";

    internal static (string Word, string Remainder) SplitWord(string text)
    {
        text = text.TrimStart();
        var space = text.IndexOfAny([' ', '\n', '\t', '\r']);
        return space < 0 ? (text, "") : (text[..space], text[(space + 1)..].Trim());
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }
}
