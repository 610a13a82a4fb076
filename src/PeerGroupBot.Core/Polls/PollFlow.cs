using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Outbound;
using PeerGroupBot.Core.Scheduling;
using PeerGroupBot.Core.Time;

namespace PeerGroupBot.Core.Polls;

/// <summary>
/// <c>poll</c>: members open topic polls, suggest topics, vote (buttons, selects, a ranking walk-through or typed
/// numbers), change or withdraw their vote, and see results; the opener or a facilitator starts and closes the vote;
/// facilitators tidy suggestions, break ties and set the anonymity threshold. Replies about one member's own vote are
/// private; the poll card itself lives in the group's channels and is refreshed everywhere after each vote.
/// </summary>
public sealed class PollFlow(
    PollStore store,
    PollResults results,
    PollCloser closer,
    PollNudger nudger,
    GroupDirectory directory,
    IOutbound outbound,
    ITimers timers,
    IOptions<PollOptions> options,
    ILogger<PollFlow> logger) : IFlow
{
    private enum VoteSource { Card, Typed, RankingStep }

    public string Name => "poll";

    public string HelpSummary => "topic polls: suggest and vote on what sessions are about";

    public IReadOnlyList<HelpEntry> Help { get; } =
    [
        new("poll new", "open a topic poll (a form asks for the question, options, voting mode, anonymity and closing time)"),
        new("poll new \"Question?\" A | B | C closes friday 18:00 mode approval", "open a poll in one line: options split by `|`, then settings such as `closes in 2 days`, `closes fri 6pm`, `mode single|approval|ranked`, `anonymous no`, `anonymous live` (results shown while open, in steps); leave the options out to collect suggestions first"),
        new("poll suggest <topic>", "suggest a topic while a poll is collecting suggestions"),
        new("poll start [#n] [closes <when>]", "end suggestions and start the vote (the opener or a facilitator)"),
        new("poll vote [#n] <option numbers>", "vote by typing; for a ranked poll, first choice first"),
        new("poll withdraw [#n]", "take back your vote (you can vote again until the poll closes)"),
        new("poll results [#n] [post]", "see how a poll stands, or its result (facilitators: `post` shows it to everyone)"),
        new("poll list", "see the open polls"),
        new("poll close [#n]", "close a poll now (the opener or a facilitator)"),
        new("poll remove [#n] <suggestion>", "remove a suggestion", true),
        new("poll merge [#n] <suggestion> into <suggestion> [as <new wording>]", "merge two suggestions", true),
        new("poll minvoters <number>", "how many must vote before an anonymous poll shows results (default 3, at least 2)", true),
    ];

    /// <summary>A vote or withdrawal click sets the member's ballot to what the click says; a repeat of it stores nothing new.</summary>
    public bool RepeatIsHarmless(string verb) => verb is "vote" or "withdraw";

    public async Task<IReadOnlyList<BotReply>> HandleAsync(FlowContext context, CancellationToken cancellationToken)
    {
        if (context.Input.Kind == InputKind.Message)
        {
            return context.Verb switch
            {
                "" or "list" => [await ListAsync(context, cancellationToken)],
                "new" or "create" or "open" => [await NewFromTextAsync(context, cancellationToken)],
                "suggest" or "add" => [await SuggestFromTextAsync(context, cancellationToken)],
                "start" or "begin" => [await StartFromTextAsync(context, cancellationToken)],
                "vote" => await VoteFromTextAsync(context, cancellationToken),
                "withdraw" or "unvote" => await WithdrawFromTextAsync(context, cancellationToken),
                "close" or "end" or "stop" => [await CloseFromTextAsync(context, cancellationToken)],
                "results" or "result" or "show" => [await ResultsFromTextAsync(context, cancellationToken)],
                "remove" or "delete" => [await RemoveAsync(context, cancellationToken)],
                "merge" => [await MergeAsync(context, cancellationToken)],
                "minvoters" => [await MinVotersAsync(context, cancellationToken)],
                _ => [BotReply.Private($"`poll {Shorten(context.Verb)}` isn't something I know. Type `help poll` to see the poll commands.")],
            };
        }

        var args = context.ActionArgs;
        var pollId = args.Count > 0 ? args[0] : "";
        var arg = args.Count > 1 ? args[1] : "";
        return (context.Input.Kind, context.Verb) switch
        {
            (InputKind.Form, "new") => [await NewFromFormAsync(context, cancellationToken)],
            (InputKind.Action, "form") => [NewForm(context)],
            (InputKind.Action, "vote") => await VoteFromActionAsync(context, pollId, arg, cancellationToken),
            (InputKind.Action, "withdraw") => await WithdrawAsync(context, pollId, VoteSource.Card, cancellationToken),
            (InputKind.Action, "rank") => [await RankingStepAsync(context, pollId, "", null, replaceSource: false, cancellationToken)],
            (InputKind.Action, "rerank") => [await RankingStepAsync(context, pollId, "", null, replaceSource: true, cancellationToken)],
            (InputKind.Action, "rankpick") => [await RankingStepAsync(context, pollId, arg, context.Input.Selected.FirstOrDefault(), replaceSource: true, cancellationToken)],
            (InputKind.Action, "ranked") => await VoteFromRankingAsync(context, pollId, arg, cancellationToken),
            (InputKind.Action, "suggest") => [SuggestForm(pollId)],
            (InputKind.Form, "suggest") => [await AddSuggestionAsync(context, pollId, context.Input.Values.GetValueOrDefault("topic", ""), cancellationToken)],
            (InputKind.Action, "start") => [await StartAsync(context, pollId, null, cancellationToken)],
            (InputKind.Action, "tie") => await SettleTieAsync(context, pollId, arg, cancellationToken),
            _ => [BotReply.Private("That button no longer works. Type `poll list` to see the open polls.")],
        };
    }

    // ---------------------------------------------------------------- opening a poll

    private async Task<BotReply> NewFromTextAsync(FlowContext context, CancellationToken cancellationToken)
    {
        if (MayNotOpen(context) is { } refusal) return refusal;
        if (context.Arguments.Length == 0) return NewForm(context);
        if (!PollDraft.TryParseLine(context.Arguments, out var draft, out var error)) return BotReply.Warn(error + " Nothing was opened.");
        return await OpenAsync(context, draft!, cancellationToken);
    }

    private async Task<BotReply> NewFromFormAsync(FlowContext context, CancellationToken cancellationToken)
    {
        if (MayNotOpen(context) is { } refusal) return refusal;
        if (!PollDraft.TryParseForm(context.Input.Values, out var draft, out var error))
            return FormProblem(error);
        var reply = await OpenAsync(context, draft!, cancellationToken);
        return reply.Tone == ReplyTone.Warning ? FormProblem(reply.Text) : reply;
    }

    private static BotReply FormProblem(string problem) => BotReply.Warn(problem) with
    {
        Buttons = [new ReplyButton("Open the form again", FlowContext.ActionId("poll", "form"), ButtonStyle.Primary)],
    };

    private static BotReply NewForm(FlowContext context)
    {
        if (MayNotOpen(context) is { } refusal) return refusal;
        return BotReply.ShowForm(new ReplyForm(FlowContext.ActionId("poll", "new"), "New topic poll",
        [
            new FormField("question", "Question", FormFieldKind.LongText, MaxLength: PollDraft.MaxQuestionLength,
                Placeholder: "What should our next session be about?"),
            new FormField("options", "Options, one per line (empty: collect ideas)", FormFieldKind.LongText, Required: false,
                MaxLength: PollDraft.MaxOptions * (PollDraft.MaxOptionLength + 1), Placeholder: "Sleep\nSetting boundaries\nCoping with the holidays"),
            new FormField("mode", "How members vote", FormFieldKind.Choice, Value: "single", Choices:
            [
                new SelectOption("Single choice", "single", "Each member picks one option", Selected: true),
                new SelectOption("Approval", "approval", "Pick every option you'd be happy with"),
                new SelectOption("Ranked", "ranked", "Put options in order; counted by instant runoff"),
            ]),
            new FormField("anonymous", "Anonymous?", FormFieldKind.Choice, Value: "yes", Choices:
            [
                new SelectOption("Yes: nobody sees who voted for what", "yes", "Results are shown when the poll closes", Selected: true),
                new SelectOption("Yes, with live results", "live", "Anonymous; the card shows results in steps of several votes"),
                new SelectOption("No: show who voted for what", "no"),
            ]),
            new FormField("closes", "Closes (e.g. friday 18:00 or in 2 days)", Required: false, MaxLength: 60,
                Placeholder: "Leave empty to close it yourself"),
        ], "Open poll"));
    }

    private static BotReply? MayNotOpen(FlowContext context)
        => context.RequiredGroup.PollsFacilitatorsOnly && !context.IsFacilitator
            ? BotReply.Private("In this group only facilitators open topic polls. You can still suggest topics and vote, or ask a facilitator to open one.")
            : null;

    private async Task<BotReply> OpenAsync(FlowContext context, PollDraft draft, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        if (draft.Problem() is { } problem) return BotReply.Warn(problem + " Nothing was opened.");
        Instant? closesAt = null;
        string? note = null;
        if (draft.ClosesText is not null)
        {
            if (!TryReadClosingTime(context, draft.ClosesText, out closesAt, out note, out var error))
                return BotReply.Warn(error + " Nothing was opened.");
        }

        var id = await store.NextIdAsync(group.Id, cancellationToken);
        var voting = draft.Options.Count > 0;
        var poll = new PollDocument
        {
            Id = id,
            GroupId = group.Id,
            Question = draft.Question,
            Options = draft.Options.Select((text, i) => new PollOption(i + 1, text)).ToList(),
            NextOptionId = draft.Options.Count + 1,
            Mode = draft.Mode,
            Anonymous = draft.Anonymous,
            LiveResults = draft.Anonymous && draft.LiveResults,
            Phase = voting ? PollPhase.Voting : PollPhase.Suggesting,
            OpenerKey = store.OpenerKey(group.Id, id, context.Actor.MemberId),
            OpenedAt = context.Now,
            VotingOpenedAt = voting ? context.Now : null,
            ClosesAt = closesAt,
        };
        if (!await store.CreateAsync(poll, cancellationToken))
            return BotReply.Warn("Another poll was opened at the same moment. Please try again.");

        var posted = await outbound.PostToGroupAsync(group, PollCard.Open(poll, await results.LiveAsync(group, poll, cancellationToken), group.Zone), cancellationToken);
        await store.UpdateAsync(group.Id, id, p => p is null ? null : p with { Card = posted }, cancellationToken);
        if (voting && closesAt is { } due)
        {
            await timers.ScheduleAsync(PollCloser.Timer(group.Id, id, due), cancellationToken);
            await nudger.ScheduleAsync(group.Id, id, context.Now, due, cancellationToken);
        }
        logger.LogInformation("Poll {PollId} opened in group {GroupId}.", id, group.Id);

        var text = new StringBuilder();
        text.AppendLine(Understood(poll)).AppendLine();
        text.Append(voting ? $"Poll #{id} is open for voting" : $"Poll #{id} is open for suggestions");
        text.Append(closesAt is { } when ? $"; voting closes **{WhenParser.Describe(when, group.Zone)}**." : $". It stays open until you or a facilitator close it with `poll close #{id}`.");
        if (note is not null) text.Append(' ').Append(note);
        if (!voting) text.Append($" Members suggest topics with `poll suggest <topic>`; start the vote with `poll start #{id}`.");
        if (posted.Copies.Count == 0) text.Append(" I couldn't post the poll card to the group's channel just now; members can still vote with `poll vote`.");
        return new BotReply { Text = text.ToString(), Tone = ReplyTone.Success, Visibility = ReplyVisibility.Private };
    }

    /// <summary>What was understood from what the member wrote, so a misread (an option "Saturday ranked") shows at once.</summary>
    private static string Understood(PollDocument poll)
    {
        var options = poll.Options.Count == 0 ? "no options yet (collecting suggestions)" : $"{poll.Options.Count} options: {string.Join(" · ", poll.Options.Select(o => $"{o.Id}. {MarkdownText.Member(o.Text)}"))}";
        return $"I understood: **{MarkdownText.Member(poll.Question)}** — {options}; {PollDraft.ModeName(poll.Mode)}; "
             + (poll.Anonymous ? "anonymous" : "named votes (everyone sees who chose what)") + ".";
    }

    private bool TryReadClosingTime(FlowContext context, string text, out Instant? closesAt, out string? note, out string error)
    {
        closesAt = null;
        note = null;
        var zone = context.RequiredGroup.Zone;
        if (!WhenParser.TryParse(text, context.Now.InZone(zone), WhenParser.EndOfDay, out var parsed, out error))
        {
            error = "About the closing time: " + error;
            return false;
        }
        var maxDays = options.Value.MaxOpenDays;
        if (parsed!.Value.ToInstant() > context.Now + Duration.FromDays(maxDays))
        {
            error = $"A poll can stay open for up to {maxDays} days, and {WhenParser.Describe(parsed.Value)} is further away than that.";
            return false;
        }
        closesAt = parsed.Value.ToInstant();
        note = parsed.Note;
        return true;
    }

    // ---------------------------------------------------------------- suggestions

    private async Task<BotReply> SuggestFromTextAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var pick = await PickAsync(context, context.Arguments, p => p.Phase == PollPhase.Suggesting,
            "No poll is collecting suggestions right now. Open one without options (`poll new \"What should we talk about?\"`) to collect them.",
            "poll suggest #3 Managing winter blues", cancellationToken);
        if (pick.Problem is not null) return pick.Problem;
        if (pick.Rest.Length == 0) return BotReply.Private("What's your suggestion? For example `poll suggest Managing winter blues`.");
        return await AddSuggestionAsync(context, pick.Poll!.Id, pick.Rest, cancellationToken);
    }

    private static BotReply SuggestForm(string pollId)
        => PollStore.IsPollId(pollId)
            ? BotReply.ShowForm(new ReplyForm(FlowContext.ActionId("poll", "suggest", pollId), "Suggest a topic",
                [new FormField("topic", "Your topic", MaxLength: PollDraft.MaxOptionLength, Placeholder: "Managing winter blues")], "Suggest"))
            : UnknownPoll(pollId);

    private enum SuggestOutcome { Added, NotFound, NotCollecting, Duplicate, Full }

    private async Task<BotReply> AddSuggestionAsync(FlowContext context, string pollId, string text, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        var topic = PollDraft.CleanText(text);
        if (topic.Length == 0) return BotReply.Private("What's your suggestion? For example `poll suggest Managing winter blues`.");
        if (topic.Length > PollDraft.MaxOptionLength)
            return BotReply.Warn($"Suggestions can be up to {PollDraft.MaxOptionLength} characters; yours is {topic.Length}. Could you shorten it?");
        if (!PollStore.IsPollId(pollId)) return UnknownPoll(pollId);

        var outcome = SuggestOutcome.NotFound;
        PollOption? existing = null;
        var poll = await store.UpdateAsync(group.Id, pollId, p =>
        {
            existing = null;
            outcome = p switch
            {
                null => SuggestOutcome.NotFound,
                { Phase: not PollPhase.Suggesting } => SuggestOutcome.NotCollecting,
                _ when (existing = p.Options.FirstOrDefault(o => PollDraft.SameTopic(o.Text, topic))) is not null => SuggestOutcome.Duplicate,
                _ when p.Options.Count >= PollDraft.MaxOptions => SuggestOutcome.Full,
                _ => SuggestOutcome.Added,
            };
            return outcome == SuggestOutcome.Added
                ? p! with { Options = [.. p.Options, new PollOption(p.NextOptionId, topic)], NextOptionId = p.NextOptionId + 1 }
                : null;
        }, cancellationToken);

        switch (outcome)
        {
            case SuggestOutcome.NotFound: return UnknownPoll(pollId);
            case SuggestOutcome.NotCollecting: return BotReply.Private($"Poll #{pollId} isn't collecting suggestions any more. " + (poll!.Phase == PollPhase.Voting ? $"You can vote on it instead." : ""));
            case SuggestOutcome.Duplicate: return BotReply.Private($"\"{MarkdownText.Member(existing!.Text)}\" is already on the list for poll #{pollId} (suggestion {existing.Id}), so I haven't added it again. Thanks for suggesting it!");
            case SuggestOutcome.Full:
                return BotReply.Warn($"Poll #{pollId} already has {PollDraft.MaxOptions} suggestions, the most a poll can hold. A facilitator can merge or remove some to make room.");
        }
        await RefreshCardsAsync(group, poll!, cancellationToken);
        var added = poll!.Options[^1];
        return new BotReply { Text = $"Thanks! \"{MarkdownText.Member(added.Text)}\" is on the list for poll #{pollId} as suggestion {added.Id}.", Tone = ReplyTone.Success, Visibility = ReplyVisibility.Private };
    }

    private async Task<BotReply> RemoveAsync(FlowContext context, CancellationToken cancellationToken)
    {
        if (!context.IsFacilitator) return BotReply.Private("Only facilitators can remove or merge suggestions.");
        var pick = await PickAsync(context, context.Arguments, p => p.Phase == PollPhase.Suggesting,
            "No poll is collecting suggestions right now.", "poll remove #3 2", cancellationToken);
        if (pick.Problem is not null) return pick.Problem;
        if (!int.TryParse(pick.Rest.TrimStart('#'), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            return BotReply.Private($"Which suggestion? Give its number, for example `poll remove {(pick.Explicit ? "#" + pick.Poll!.Id + " " : "")}2`.");
        PollOption? removed = null;
        string? problem = null;
        var poll = await store.UpdateAsync(context.RequiredGroup.Id, pick.Poll!.Id, p =>
        {
            (removed, problem) = (null, null);
            if (p is null) { problem = "That poll no longer exists."; return null; }
            if (p.Phase != PollPhase.Suggesting) { problem = $"Voting on poll #{p.Id} has started, so its options can't change any more."; return null; }
            removed = p.Option(number);
            if (removed is null) { problem = $"Poll #{p.Id} has no suggestion {number}."; return null; }
            return p with { Options = [.. p.Options.Where(o => o.Id != number)] };
        }, cancellationToken);
        if (problem is not null) return BotReply.Warn(problem);
        await RefreshCardsAsync(context.RequiredGroup, poll!, cancellationToken);
        return new BotReply { Text = $"Removed suggestion {number} (\"{MarkdownText.Member(removed!.Text)}\") from poll #{poll!.Id}.", Tone = ReplyTone.Success, Visibility = ReplyVisibility.Private };
    }

    private async Task<BotReply> MergeAsync(FlowContext context, CancellationToken cancellationToken)
    {
        if (!context.IsFacilitator) return BotReply.Private("Only facilitators can remove or merge suggestions.");
        var pick = await PickAsync(context, context.Arguments, p => p.Phase == PollPhase.Suggesting,
            "No poll is collecting suggestions right now.", "poll merge #3 4 into 2", cancellationToken);
        if (pick.Problem is not null) return pick.Problem;

        // "<from> into <to> [as <new wording>]"; "into" may be "with", "and" or left out.
        var rest = pick.Rest;
        string? wording = null;
        var asAt = rest.IndexOf(" as ", StringComparison.OrdinalIgnoreCase);
        if (asAt >= 0)
        {
            wording = PollDraft.CleanText(rest[(asAt + 4)..]).Trim('"', '\u201c', '\u201d');
            rest = rest[..asAt];
        }
        var numbers = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w is not ("into" or "with" or "and" or "to" or "+"))
            .Select(w => int.TryParse(w.TrimStart('#'), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1)
            .ToList();
        if (numbers.Count != 2 || numbers.Contains(-1) || numbers[0] == numbers[1])
            return BotReply.Private("Give two suggestion numbers: `poll merge 4 into 2` keeps 2 and removes 4. Add `as <new wording>` to reword the one kept.");
        if (wording is { Length: 0 } || wording?.Length > PollDraft.MaxOptionLength)
            return BotReply.Warn($"The new wording needs 1 to {PollDraft.MaxOptionLength} characters.");

        var (from, into) = (numbers[0], numbers[1]);
        PollOption? dropped = null, kept = null;
        string? problem = null;
        var poll = await store.UpdateAsync(context.RequiredGroup.Id, pick.Poll!.Id, p =>
        {
            (dropped, kept, problem) = (null, null, null);
            if (p is null) { problem = "That poll no longer exists."; return null; }
            if (p.Phase != PollPhase.Suggesting) { problem = $"Voting on poll #{p.Id} has started, so its options can't change any more."; return null; }
            dropped = p.Option(from);
            kept = p.Option(into);
            if (dropped is null || kept is null) { problem = $"Poll #{p.Id} has no suggestion {(dropped is null ? from : into)}."; return null; }
            if (wording is not null && p.Options.Any(o => o.Id != from && o.Id != into && PollDraft.SameTopic(o.Text, wording)))
            {
                problem = $"\"{MarkdownText.Member(wording)}\" is already another suggestion on poll #{p.Id}.";
                return null;
            }
            kept = kept with { Text = wording ?? kept.Text };
            return p with { Options = [.. p.Options.Where(o => o.Id != from).Select(o => o.Id == into ? kept : o)] };
        }, cancellationToken);
        if (problem is not null) return BotReply.Warn(problem);
        await RefreshCardsAsync(context.RequiredGroup, poll!, cancellationToken);
        return new BotReply
        {
            Text = $"Merged suggestion {from} (\"{MarkdownText.Member(dropped!.Text)}\") into {into}, which now reads \"{MarkdownText.Member(kept!.Text)}\".",
            Tone = ReplyTone.Success,
            Visibility = ReplyVisibility.Private,
        };
    }

    // ---------------------------------------------------------------- starting the vote

    private async Task<BotReply> StartFromTextAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var pick = await PickAsync(context, context.Arguments, p => p.Phase == PollPhase.Suggesting,
            "No poll is collecting suggestions, so there's no vote to start. Open a poll with `poll new`.", "poll start #3 closes friday 18:00", cancellationToken);
        if (pick.Problem is not null) return pick.Problem;
        var when = pick.Rest;
        if (!pick.Explicit && ConversationRouter.SplitWord(when) is var (number, remainder) && number.TrimStart('#') == pick.Poll!.Id) when = remainder;
        var (first, after) = ConversationRouter.SplitWord(when);
        if (first.ToLowerInvariant() is "closes" or "closing" or "deadline" or "until") when = after;
        return await StartAsync(context, pick.Poll!.Id, when.Length == 0 ? null : when, cancellationToken);
    }

    private async Task<BotReply> StartAsync(FlowContext context, string pollId, string? closesText, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        var poll = await store.GetAsync(group.Id, pollId, cancellationToken);
        if (poll is null) return UnknownPoll(pollId);
        if (poll.Phase != PollPhase.Suggesting)
            return BotReply.Private(poll.Phase == PollPhase.Voting ? $"Voting on poll #{pollId} has already started." : $"Poll #{pollId} has closed.");
        if (!IsOpenerOrFacilitator(context, poll))
            return BotReply.Private($"Only the member who opened poll #{pollId} or a facilitator can start the vote.");
        if (poll.Options.Count < PollDraft.MinOptions)
            return BotReply.Warn($"Poll #{pollId} has {(poll.Options.Count == 0 ? "no suggestions" : "1 suggestion")} so far; a vote needs at least {PollDraft.MinOptions}. Members can add more with `poll suggest <topic>`.");

        var closesAt = poll.ClosesAt;
        string? note = null;
        if (closesText is not null)
        {
            if (!TryReadClosingTime(context, closesText, out closesAt, out note, out var error)) return BotReply.Warn(error + " Voting hasn't started.");
        }
        else if (closesAt is { } planned && planned <= context.Now)
        {
            return BotReply.Warn($"The closing time set for poll #{pollId} ({WhenParser.Describe(planned, group.Zone)}) has passed. Start the vote with a new one, for example `poll start #{pollId} closes in 2 days`.");
        }

        var started = false;
        var updated = await store.UpdateAsync(group.Id, pollId, p =>
        {
            started = p is { Phase: PollPhase.Suggesting } && p.Options.Count >= PollDraft.MinOptions;
            if (!started) return null;
            // Suggestion numbers had gaps from merges and removals; the vote numbers its options 1, 2, 3…
            var renumbered = p!.Options.Select((o, i) => o with { Id = i + 1 }).ToList();
            return p with
            {
                Phase = PollPhase.Voting,
                Options = renumbered,
                NextOptionId = renumbered.Count + 1,
                VotingOpenedAt = context.Now,
                ClosesAt = closesAt,
            };
        }, cancellationToken);
        if (!started || updated is null) return BotReply.Private($"Poll #{pollId} changed a moment ago. Type `poll list` to see where it stands.");

        // The suggestions card is far up the channel by now: post a fresh card for voting and point the old one at it.
        var oldCard = updated.Card;
        var posted = await outbound.PostToGroupAsync(group, PollCard.Open(updated, await results.LiveAsync(group, updated, cancellationToken), group.Zone), cancellationToken);
        await store.UpdateAsync(group.Id, pollId, p => p is null ? null : p with { Card = posted }, cancellationToken);
        await outbound.UpdateAsync(oldCard, new BotReply
        {
            Title = $"Topic poll #{pollId}: suggestions closed",
            Text = $"**{updated.Question}**\n\nSuggestions are closed and voting has started in a newer message below.",
        }, cancellationToken);
        if (closesAt is { } due)
        {
            await timers.ScheduleAsync(PollCloser.Timer(group.Id, pollId, due), cancellationToken);
            await nudger.ScheduleAsync(group.Id, pollId, context.Now, due, cancellationToken);
        }
        logger.LogInformation("Voting started on poll {PollId} in group {GroupId}.", pollId, group.Id);

        var text = $"Voting has started on poll #{pollId} with {updated.Options.Count} options"
                 + (closesAt is { } c ? $"; it closes **{WhenParser.Describe(c, group.Zone)}**." : $". Close it with `poll close #{pollId}` when you're ready.")
                 + (note is null ? "" : " " + note);
        return new BotReply { Text = text, Tone = ReplyTone.Success, Visibility = ReplyVisibility.Private };
    }

    // ---------------------------------------------------------------- voting

    private async Task<IReadOnlyList<BotReply>> VoteFromTextAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var pick = await PickAsync(context, context.Arguments, p => p.Phase == PollPhase.Voting,
            "No poll is open for voting right now. Type `poll list` to see the polls.", "poll vote #3 2", cancellationToken);
        if (pick.Problem is not null) return [pick.Problem];
        if (pick.Rest.Length == 0 && pick.Candidates.Count > 1) return [BotReply.Private(Several(pick.Candidates, "poll vote #3 2"))];
        if (pick.Poll!.Anonymous && context.TypingIsSeenByOthers)
            return [BotReply.Private($"Poll #{pick.Poll.Id} is anonymous, and a vote typed here can be read by everyone in the channel, so it was not counted. "
                + (pick.Poll.Mode == PollMode.Ranked ? "Please use **Rank my choices** on the poll's card" : "Please vote with the buttons on the poll's card")
                + ", or send the vote to me in a private chat.")];
        var poll = pick.Poll!;
        var words = pick.Rest.Split([' ', ',', '>', ';'], StringSplitOptions.RemoveEmptyEntries).ToList();
        string? note = null;
        // "poll vote 4 2 1 3" with poll #4 the only one open: a leading number that is the poll's own number names the
        // poll, as it does when several are open. The echo says how it was read, and how to mean the other thing.
        if (!pick.Explicit && words.Count > 1 && words[0].TrimStart('#') == poll.Id)
        {
            note = $" (I read {poll.Id} as the poll's number; to include option {poll.Id} in your vote, type `poll vote #{poll.Id} {string.Join(' ', words)}`.)";
            words.RemoveAt(0);
        }
        var choices = new List<int>();
        foreach (var word in words)
        {
            if (!int.TryParse(word.TrimEnd('.', ')'), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                return [BotReply.Private($"Vote with option numbers, for example `{PollCard.TypedVote(poll)}`.")];
            choices.Add(number);
        }
        return await VoteAsync(context, poll.Id, choices, VoteSource.Typed, cancellationToken, note);
    }

    private Task<IReadOnlyList<BotReply>> VoteFromActionAsync(FlowContext context, string pollId, string arg, CancellationToken cancellationToken)
    {
        var chosen = arg.Length > 0 ? [arg] : context.Input.Selected;
        var choices = new List<int>();
        foreach (var value in chosen)
        {
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                return Task.FromResult<IReadOnlyList<BotReply>>([BotReply.Private("That choice isn't one of the poll's options. Please try again from the poll.")]);
            choices.Add(id);
        }
        return VoteAsync(context, pollId, choices, VoteSource.Card, cancellationToken);
    }

    private Task<IReadOnlyList<BotReply>> VoteFromRankingAsync(FlowContext context, string pollId, string encoded, CancellationToken cancellationToken)
    {
        var ranking = PollCard.Decode(encoded);
        if (ranking is null or { Count: 0 })
            return Task.FromResult<IReadOnlyList<BotReply>>([BotReply.Private("Pick at least your first choice before submitting.")]);
        return VoteAsync(context, pollId, ranking, VoteSource.RankingStep, cancellationToken);
    }

    /// <summary>
    /// A vote: the poll (from memory while it is open, see <see cref="PollStore.GetForVoteAsync"/>), then one read and one
    /// conditional write of the ballot box. A close that lands between the two has sealed the box, so the write fails and
    /// the member is told the poll has closed; nothing of theirs is stored. The card is drawn from the box just written.
    /// </summary>
    private async Task<IReadOnlyList<BotReply>> VoteAsync(FlowContext context, string pollId, IReadOnlyList<int> choices, VoteSource source, CancellationToken cancellationToken,
        string? readAs = null)
    {
        var group = context.RequiredGroup;
        var poll = await store.GetForVoteAsync(group.Id, pollId, cancellationToken);
        if (await NotVotableAsync(context, poll, pollId, cancellationToken) is { } refusal) return [refusal];
        if (ChoiceProblem(poll!, choices) is { } problem) return [BotReply.Warn(problem)];

        var ballot = new Ballot { Choices = [.. choices], DisplayName = poll!.Anonymous ? null : context.Actor.DisplayName };
        var cast = await store.CastAsync(group.Id, pollId, context.Actor.MemberId, ballot, results.StepOf(group, poll),
            async ct => (await store.GetAsync(group.Id, pollId, ct))?.Phase == PollPhase.Voting, cancellationToken);
        if (cast.Outcome == CastOutcome.Closed) return [Closed(group, poll)];

        var changed = cast.Outcome == CastOutcome.Stored;
        var what = PollCard.Choices(poll, choices);
        var confirmation = !changed
            ? $"You've already voted **{what}** on poll #{pollId}, so nothing changed."
            : cast.Previous is null
                ? $"Thanks, your vote on poll #{pollId} is in: **{what}**."
                : $"Your vote on poll #{pollId} is now **{what}** (it was {PollCard.Choices(poll, cast.Previous.Choices)}).";
        confirmation += readAs + Changeable(poll, group);
        return await RefreshAfterVoteAsync(context, group, poll, cast.Box, changed, confirmation, source, cancellationToken);
    }

    /// <summary>The answer when the ballot box was sealed under a vote: the poll closed (here or on another instance).</summary>
    private BotReply Closed(GroupDocument group, PollDocument poll)
    {
        store.Forget(group.Id, poll.Id);
        return BotReply.Private($"Poll #{poll.Id} has closed, so votes can't be cast or changed any more. Type `poll results #{poll.Id}` to see the result.");
    }

    private async Task<IReadOnlyList<BotReply>> WithdrawFromTextAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var pick = await PickAsync(context, context.Arguments, p => p.Phase == PollPhase.Voting,
            "No poll is open for voting right now, so there's no vote to withdraw.", "poll withdraw #3", cancellationToken);
        if (pick.Problem is not null) return [pick.Problem];
        return await WithdrawAsync(context, pick.Poll!.Id, VoteSource.Typed, cancellationToken);
    }

    private async Task<IReadOnlyList<BotReply>> WithdrawAsync(FlowContext context, string pollId, VoteSource source, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        var poll = await store.GetForVoteAsync(group.Id, pollId, cancellationToken);
        if (await NotVotableAsync(context, poll, pollId, cancellationToken) is { } refusal) return [refusal];
        var withdrawn = await store.WithdrawVoteAsync(group.Id, pollId, context.Actor.MemberId, results.StepOf(group, poll!), cancellationToken);
        if (withdrawn.Outcome == CastOutcome.Closed) return [Closed(group, poll!)];
        if (withdrawn.Outcome == CastOutcome.Unchanged)
            return [BotReply.Private($"You haven't voted on poll #{pollId}, so there's nothing to withdraw.")];
        return await RefreshAfterVoteAsync(context, group, poll!, withdrawn.Box, changed: true,
            $"Your vote on poll #{pollId} is withdrawn. You can vote again until the poll closes.", source, cancellationToken);
    }

    /// <summary>
    /// After a vote: the refreshed card, drawn from the box just written, replaces the clicked copy (when the click came
    /// from a card) and every other copy is updated through the outbound port. The member's own confirmation is a
    /// private reply to this input: adapters show it to the clicker alone, with the card they get back where the
    /// platform can (Teams: the invoke response; Discord: an ephemeral line), never as a message of its own in a chat.
    /// </summary>
    private async Task<IReadOnlyList<BotReply>> RefreshAfterVoteAsync(FlowContext context, GroupDocument group, PollDocument poll, BallotBox box, bool changed, string confirmation,
        VoteSource source, CancellationToken cancellationToken)
    {
        var card = PollCard.Open(poll, results.Live(group, poll, box), group.Zone);
        var clicked = source == VoteSource.Card ? ClickedCopy(context, poll.Card) : null;
        if (changed) await outbound.UpdateAsync(poll.Card, card, cancellationToken, skip: clicked);
        var replies = new List<BotReply>();
        if (clicked is not null) replies.Add(card with { UpdatesSource = true, Visibility = ReplyVisibility.Channel });
        replies.Add(new BotReply
        {
            Text = confirmation,
            Tone = ReplyTone.Success,
            Visibility = ReplyVisibility.Private,
            UpdatesSource = source == VoteSource.RankingStep, // the ranking walk-through ends with the confirmation
        });
        return replies;
    }

    /// <summary>The copy of a posted message the member clicked: same platform and channel, and the same message when the platform says which.</summary>
    private static PostedCopy? ClickedCopy(FlowContext context, PostedMessage posted)
    {
        var place = context.Input.Place;
        if (context.Input.Kind != InputKind.Action || place.IsPrivate) return null;
        return posted.Copies.FirstOrDefault(c => c.Platform == place.Platform && c.ChannelId == place.ChannelId
            && (context.Input.SourceMessageId is null || c.MessageId == context.Input.SourceMessageId));
    }

    private async Task<BotReply> RankingStepAsync(FlowContext context, string pollId, string encoded, string? picked, bool replaceSource, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        var poll = await store.GetForVoteAsync(group.Id, pollId, cancellationToken);
        if (await NotVotableAsync(context, poll, pollId, cancellationToken) is { } refusal) return refusal;
        if (poll!.Mode != PollMode.Ranked) return BotReply.Private($"Poll #{pollId} isn't a ranked poll; vote on its card instead.");
        var soFar = PollCard.Decode(encoded);
        if (soFar is null || soFar.Any(id => poll.Option(id) is null) || soFar.Distinct().Count() != soFar.Count)
            return BotReply.Private("That ranking no longer matches the poll. Click **Rank my choices** on the poll to start again.");
        if (picked is not null)
        {
            if (!int.TryParse(picked, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || poll.Option(id) is null)
                return BotReply.Private("That choice isn't one of the poll's options.");
            if (!soFar.Contains(id)) soFar.Add(id);
        }
        var current = soFar.Count == 0 ? (await store.GetBallotAsync(group.Id, pollId, context.Actor.MemberId, cancellationToken))?.Choices : null;
        return PollCard.RankingStep(poll, soFar, current, replaceSource);
    }

    /// <summary>Why a member can't vote on this poll now, or null when they can. A poll past its deadline is closed on the spot.</summary>
    private async Task<BotReply?> NotVotableAsync(FlowContext context, PollDocument? poll, string pollId, CancellationToken cancellationToken)
    {
        if (poll is null) return UnknownPoll(pollId);
        if (poll.Phase == PollPhase.Voting && poll.ClosesAt is { } closes && closes <= context.Now)
        {
            // The deadline timer normally closes it; if it was missed (no instance running), close it now.
            await closer.CloseAsync(context.RequiredGroup, poll.Id, cancellationToken);
            return BotReply.Private($"Poll #{pollId} closed on {WhenParser.Describe(closes, context.RequiredGroup.Zone)}, so votes can't be cast or changed any more. The result is in the group's channel.");
        }
        return poll.Phase switch
        {
            PollPhase.Suggesting => BotReply.Private($"Voting on poll #{pollId} hasn't started yet: it's still collecting suggestions. Add one with `poll suggest <topic>`."),
            PollPhase.Closed => BotReply.Private($"Poll #{pollId} has closed, so votes can't be cast or changed any more. Type `poll results #{pollId}` to see the result."),
            _ => null,
        };
    }

    private static string? ChoiceProblem(PollDocument poll, IReadOnlyList<int> choices)
    {
        if (choices.Count == 0) return $"Choose at least one option, for example `{PollCard.TypedVote(poll)}`.";
        var unknown = choices.Where(c => poll.Option(c) is null).ToList();
        if (unknown.Count > 0)
            return $"Poll #{poll.Id} has no option {unknown[0]}. Its options are numbered 1 to {poll.Options.Count}, for example `{PollCard.TypedVote(poll)}`.";
        if (choices.Distinct().Count() != choices.Count) return $"Each option can appear only once in your vote, for example `{PollCard.TypedVote(poll)}`.";
        if (poll.Mode == PollMode.Single && choices.Count > 1)
            return $"Poll #{poll.Id} is single choice, so pick one option, for example `poll vote #{poll.Id} {choices[0]}`.";
        return null;
    }

    private static string Changeable(PollDocument poll, GroupDocument group)
        => poll.ClosesAt is { } closes
            ? $" You can change or withdraw it until the poll closes on {WhenParser.Describe(closes, group.Zone)}."
            : " You can change or withdraw it until the poll closes.";

    // ---------------------------------------------------------------- closing, results, ties

    private async Task<BotReply> CloseFromTextAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var pick = await PickAsync(context, context.Arguments, p => p.Phase != PollPhase.Closed,
            "There's no open poll to close. Type `poll list` to see the polls.", "poll close #3", cancellationToken);
        if (pick.Problem is not null) return pick.Problem;
        var poll = pick.Poll!;
        if (!IsOpenerOrFacilitator(context, poll))
            return BotReply.Private($"Only the member who opened poll #{poll.Id} or a facilitator can close it. It closes on its own {(poll.ClosesAt is { } c ? "at " + WhenParser.Describe(c, context.RequiredGroup.Zone) : "when they close it")}.");
        var outcome = await closer.CloseAsync(context.RequiredGroup, poll.Id, cancellationToken);
        return outcome switch
        {
            CloseOutcome.Closed => new BotReply { Text = $"Poll #{poll.Id} is closed. The result is in the group's channel.", Tone = ReplyTone.Success, Visibility = ReplyVisibility.Private },
            CloseOutcome.AlreadyClosed => BotReply.Private($"Poll #{poll.Id} had already closed. Type `poll results #{poll.Id}` to see the result."),
            _ => UnknownPoll(poll.Id),
        };
    }

    private async Task<BotReply> ResultsFromTextAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        var (arguments, visibility, note) = context.PostOrPrivate();
        var (first, _) = ConversationRouter.SplitWord(arguments);
        PollDocument? poll;
        if (first.Length > 0)
        {
            var id = first.TrimStart('#');
            poll = await store.GetAsync(group.Id, id, cancellationToken);
            if (poll is null) return UnknownPoll(id);
        }
        else
        {
            var polls = await store.ListAsync(group.Id, cancellationToken);
            var open = polls.Where(p => p.Phase != PollPhase.Closed).ToList();
            if (open.Count > 1)
                return BotReply.Private($"There are {open.Count} open polls ({string.Join(", ", open.Select(p => "#" + p.Id))}). Say which, for example `poll results #{open[0].Id}`.");
            poll = open.Count == 1 ? open[0] : polls.LastOrDefault();
            if (poll is null) return BotReply.Private("This group hasn't had a poll yet. Open one with `poll new`.");
        }

        if (poll.Phase == PollPhase.Closed || IsOverdue(poll, context.Now))
        {
            if (poll.Result is null) // past its deadline, or a close that was interrupted: finish it now
            {
                await closer.CloseAsync(group, poll.Id, cancellationToken);
                poll = await store.GetAsync(group.Id, poll.Id, cancellationToken) ?? poll;
            }
            var closed = PollCard.Closed(poll, group.Zone);
            return closed with { Text = Noted(note, closed.Text), Visibility = visibility };
        }
        var card = PollCard.Open(poll, await results.LiveAsync(group, poll, cancellationToken), group.Zone);
        return card with { Title = card.Title + " so far", Text = Noted(note, card.Text), Buttons = [], Selects = [], Visibility = visibility };
    }

    private async Task<IReadOnlyList<BotReply>> SettleTieAsync(FlowContext context, string pollId, string arg, CancellationToken cancellationToken)
    {
        if (!context.IsFacilitator) return [BotReply.Private("Only a facilitator can break a tie.")];
        if (!PollStore.IsPollId(pollId)) return [UnknownPoll(pollId)];
        int? choice = null;
        if (arg != "all")
        {
            if (!int.TryParse(arg, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return [BotReply.Private("That button no longer works.")];
            choice = id;
        }
        var group = context.RequiredGroup;
        var (outcome, poll) = await closer.SettleTieAsync(group, pollId, choice, context.Actor.DisplayName, cancellationToken);
        switch (outcome)
        {
            case TieOutcome.NotFound: return [UnknownPoll(pollId)];
            case TieOutcome.NoTie: return [BotReply.Private($"Poll #{pollId} has no tie to break.")];
            case TieOutcome.AlreadySettled: return [BotReply.Private($"The tie in poll #{pollId} has already been settled by {poll?.Result?.TieBrokenBy ?? "a facilitator"}.")];
            case TieOutcome.NotALeader: return [BotReply.Private("That option wasn't one of the tied ones.")];
        }
        var resultsCard = PollCard.Results(poll!, group.Zone, onAgenda: true);
        var clicked = ClickedCopy(context, poll!.ResultsMessage);
        await outbound.UpdateAsync(poll.ResultsMessage, resultsCard, cancellationToken, skip: clicked);
        var replies = new List<BotReply>();
        if (clicked is not null) replies.Add(resultsCard with { UpdatesSource = true });
        replies.Add(new BotReply { Text = $"Done: the tie in poll #{pollId} is settled and everyone can see your choice.", Tone = ReplyTone.Success, Visibility = ReplyVisibility.Private });
        return replies;
    }

    // ---------------------------------------------------------------- list and settings

    private async Task<BotReply> ListAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        var open = new List<PollDocument>();
        foreach (var poll in await store.ListAsync(group.Id, cancellationToken))
        {
            if (IsOverdue(poll, context.Now)) await closer.CloseAsync(group, poll.Id, cancellationToken); // its deadline timer was missed
            else if (poll.Phase != PollPhase.Closed) open.Add(poll);
        }
        if (open.Count == 0)
            return BotReply.Private("No polls are open right now. Open one with `poll new`, or type `help poll` to see how polls work.");
        var text = new StringBuilder();
        foreach (var poll in open)
        {
            var state = poll.Phase == PollPhase.Suggesting
                ? $"collecting suggestions, {poll.Options.Count} so far"
                : "voting" + (poll.ClosesAt is { } c ? $", closes {WhenParser.DescribeShort(c, group.Zone)}{TimeMarks.Of(c)}" : ", no closing time");
            text.AppendLine($"- **#{poll.Id}** {poll.Question} — {state}");
        }
        text.AppendLine().Append("Vote on a poll's card, or with `poll vote #<number> <option>`; `poll results #<number>` shows how it stands.");
        return new BotReply { Title = $"Open polls in {group.Name}", Text = text.ToString(), Visibility = ReplyVisibility.Private };
    }

    private async Task<BotReply> MinVotersAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        if (context.Arguments.Length == 0)
            return BotReply.Private($"Anonymous polls show results once {results.MinVoters(group)} members have voted. A facilitator can change this with `poll minvoters <number>`.");
        if (!context.IsFacilitator) return BotReply.Private("Only facilitators can change how many must vote before an anonymous poll shows counts.");
        if (!int.TryParse(context.Arguments, NumberStyles.None, CultureInfo.InvariantCulture, out var k) || k is < PollResults.LowestMinVoters or > 50)
            return BotReply.Warn($"Give a number from {PollResults.LowestMinVoters} to 50, for example `poll minvoters 3`. With one voter, a result would be that member's vote.");
        if (k < PollResults.LowestMinVotersWhileVoting)
        {
            foreach (var open in await store.ListAsync(group.Id, cancellationToken))
            {
                if (!open.Anonymous || open.Phase != PollPhase.Voting) continue;
                if ((await store.GetBallotsAsync(group.Id, open.Id, cancellationToken)).Ballots.Count > 0)
                    return BotReply.Warn($"Anonymous poll #{open.Id} already has votes, so the threshold can't go below {PollResults.LowestMinVotersWhileVoting} until it closes: "
                        + "lowering it now could show how those members voted. Nothing was changed.");
            }
        }
        await directory.UpdateGroupAsync(group.Id, g => g is null || g.MinVotersBeforeResults == k ? null : g with { MinVotersBeforeResults = k }, cancellationToken);
        var text = $"Anonymous polls now show results once {k} members have voted; until then they show only how many have voted.";
        if (k < 3) text += " With fewer than 3, members of a small group may be able to work out how others voted.";
        return new BotReply { Text = text, Tone = ReplyTone.Success, Visibility = ReplyVisibility.Private };
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>The poll a command means, what was typed after naming it, whether it was named, and every poll that would have fitted.</summary>
    private sealed record Pick(PollDocument? Poll, string Rest, bool Explicit, BotReply? Problem, IReadOnlyList<PollDocument> Candidates);

    /// <summary>
    /// Which poll a typed command means: "#3" names one; with exactly one poll that fits, that one (everything typed
    /// is for it, so "poll suggest 3 ways to relax" stays a suggestion); with several, a leading number names one.
    /// Otherwise a private question back.
    /// </summary>
    private async Task<Pick> PickAsync(FlowContext context, string arguments, Func<PollDocument, bool> fits,
        string noneMessage, string example, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        var (first, rest) = ConversationRouter.SplitWord(arguments);
        if (first.StartsWith('#'))
        {
            var id = first[1..];
            var named = await store.GetAsync(group.Id, id, cancellationToken);
            return named is null ? new Pick(null, rest, true, UnknownPoll(id), []) : new Pick(named, rest, true, null, [named]);
        }
        var candidates = (await store.ListAsync(group.Id, cancellationToken)).Where(fits).ToList();
        if (candidates.Count == 1) return new Pick(candidates[0], arguments.Trim(), false, null, candidates);
        if (candidates.Count > 1 && candidates.FirstOrDefault(p => p.Id == first) is { } chosen) return new Pick(chosen, rest, true, null, candidates);
        if (candidates.Count == 0) return new Pick(null, arguments, false, BotReply.Private(noneMessage), []);
        return new Pick(null, arguments, false, BotReply.Private(
            Several(candidates, example)), candidates);
    }

    private static string Several(IReadOnlyList<PollDocument> polls, string example)
        => $"There are {polls.Count} polls this could mean: {string.Join("; ", polls.Select(p => $"#{p.Id} {Shorten(p.Question)}"))}. Say which with its number, for example `{example}`.";

    private async Task RefreshCardsAsync(GroupDocument group, PollDocument poll, CancellationToken cancellationToken)
        => await outbound.UpdateAsync(poll.Card, PollCard.Open(poll, await results.LiveAsync(group, poll, cancellationToken), group.Zone), cancellationToken);

    private static bool IsOverdue(PollDocument poll, Instant now) => poll.Phase == PollPhase.Voting && poll.ClosesAt is { } closes && closes <= now;

    private bool IsOpenerOrFacilitator(FlowContext context, PollDocument poll)
        => context.IsFacilitator || poll.OpenerKey == store.OpenerKey(context.RequiredGroup.Id, poll.Id, context.Actor.MemberId);

    private static string Noted(string? note, string text) => note is null ? text : note + "\n\n" + text;

    private static BotReply UnknownPoll(string pollId)
        => BotReply.Private($"I can't find poll #{Shorten(pollId)} in this group. Type `poll list` to see the open polls.");

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
