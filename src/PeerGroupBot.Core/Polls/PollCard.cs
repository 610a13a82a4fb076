using System.Globalization;
using System.Text;
using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Time;

namespace PeerGroupBot.Core.Polls;

/// <summary>
/// How a poll looks, on every platform: the card members vote on, the results message, and the private ranking steps.
/// Everything a member sees about a poll is written here, so what an anonymous poll reveals can be checked in one place.
/// Voting controls fit a Discord component message: at most 25 buttons, selects of at most 25 options, ids under 100 characters.
/// </summary>
public static class PollCard
{
    /// <summary>Single-choice polls with up to this many options vote with one button per option; more use a select.</summary>
    public const int MaxOptionButtons = 10;

    private const int BarCells = 10;
    private const int MaxNamesShown = 15;

    /// <summary>The card of an open poll (collecting suggestions or voting), with the live result it may show.</summary>
    public static BotReply Open(PollDocument poll, PollResult live, DateTimeZone zone)
    {
        var text = new StringBuilder();
        text.AppendLine($"**{MarkdownText.Member(poll.Question)}**");
        text.AppendLine(SettingsLine(poll, zone)).AppendLine();

        if (poll.Phase == PollPhase.Suggesting)
        {
            if (poll.Options.Count == 0) text.AppendLine("No suggestions yet.");
            else
            {
                text.AppendLine("Suggestions so far:");
                foreach (var option in poll.Options) text.AppendLine($"{option.Id}. {MarkdownText.Member(option.Text)}");
            }
            text.AppendLine().AppendLine($"Suggest a topic with the button or `poll suggest <topic>`. The opener or a facilitator starts the vote with `poll start #{poll.Id}`.");
            return new BotReply
            {
                Title = $"Topic poll #{poll.Id}: suggestions",
                Text = text.ToString().TrimEnd(),
                Buttons =
                [
                    new ReplyButton("Suggest a topic", FlowContext.ActionId("poll", "suggest", poll.Id), ButtonStyle.Primary),
                    new ReplyButton("Start voting", FlowContext.ActionId("poll", "start", poll.Id), ButtonStyle.Success),
                ],
            };
        }

        if (live.CountsHidden)
        {
            foreach (var option in poll.Options) text.AppendLine($"{option.Id}. {MarkdownText.Member(option.Text)}");
            text.AppendLine().AppendLine(VotedSoFar(live.Voters) + (poll.LiveResults
                ? $" Live results appear once {live.MinVoters} have voted and then move only after {live.MinVoters} votes change, so nobody can work out how others voted."
                : $" Results are shown when the poll closes, if at least {live.MinVoters} have voted, so nobody can work out how others voted."));
        }
        else
        {
            text.Append(Tally(poll, live, final: false));
            text.AppendLine().AppendLine(live.VotersNow is { } now
                ? VotedSoFar(now) + $" The counts above move only after {live.MinVoters} votes change, so no single vote shows."
                : VotedSoFar(live.Voters));
        }
        text.AppendLine(HowToVote(poll));
        return new BotReply
        {
            Title = $"Topic poll #{poll.Id}",
            Text = text.ToString().TrimEnd(),
            Buttons = VotingButtons(poll),
            Selects = VotingSelects(poll),
        };
    }

    /// <summary>The card once the poll has closed: the question, when it closed and the frozen result, with no controls.</summary>
    public static BotReply Closed(PollDocument poll, DateTimeZone zone)
    {
        var text = new StringBuilder();
        text.AppendLine($"**{MarkdownText.Member(poll.Question)}**");
        text.AppendLine(SettingsLine(poll, zone)).AppendLine();
        text.Append(Outcome(poll, poll.Result ?? new PollResult()));
        return new BotReply { Title = $"Topic poll #{poll.Id} (closed)", Text = text.ToString().TrimEnd() };
    }

    /// <summary>The message posted to the group when a poll closes; it carries the tie-break buttons while a tie is open.</summary>
    public static BotReply Results(PollDocument poll, DateTimeZone zone, bool onAgenda)
    {
        var result = poll.Result ?? new PollResult();
        var text = new StringBuilder();
        text.AppendLine($"**{MarkdownText.Member(poll.Question)}**");
        text.AppendLine(SettingsLine(poll, zone)).AppendLine();
        text.Append(Outcome(poll, result));
        var winners = result.Winners();
        if (onAgenda && winners.Count > 0)
            text.AppendLine().AppendLine($"{Join(winners.Select(w => $"**{poll.OptionText(w)}**"))} {(winners.Count == 1 ? "goes" : "go")} onto the agenda for the next session.");
        var buttons = new List<ReplyButton>();
        if (result.IsTie() && !result.TieSettled() && !result.CountsHidden)
        {
            text.AppendLine().AppendLine("A facilitator can break the tie with the buttons below, or keep all the tied topics.");
            buttons.AddRange(result.Leaders.Select(id => new ReplyButton(Truncate($"Choose {poll.OptionText(id)}", 80), FlowContext.ActionId("poll", "tie", poll.Id, Id(id)), ButtonStyle.Primary)));
            buttons.Add(new ReplyButton(result.Leaders.Count == 2 ? "Keep both" : $"Keep all {result.Leaders.Count}", FlowContext.ActionId("poll", "tie", poll.Id, "all")));
        }
        return new BotReply
        {
            Title = $"Topic poll #{poll.Id} has closed",
            Text = text.ToString().TrimEnd(),
            Tone = ReplyTone.Success,
            Buttons = buttons,
        };
    }

    /// <summary>The result in words: winner or tie, then counts (or runoff rounds), or only what may be shown anonymously.</summary>
    public static string Outcome(PollDocument poll, PollResult result)
    {
        var text = new StringBuilder();
        if (result.Voters == 0)
        {
            text.AppendLine(poll.VotingOpenedAt is null ? "The poll closed before voting started, so there is no result." : "No votes were cast.");
            return text.ToString();
        }
        if (result.CountsHidden)
        {
            text.AppendLine($"Not enough votes to show results anonymously: {Members(result.Voters)} voted, and results show from {result.MinVoters}. "
                + "A facilitator decides what goes onto the agenda.");
            return text.ToString();
        }
        if (result.Leaders.Count == 1)
            text.AppendLine($"**Winner: {poll.OptionText(result.Leaders[0])}**");
        else if (result.IsTie())
        {
            text.AppendLine($"**It's a tie** between {Join(result.Leaders.Select(poll.OptionText))}.");
            if (result.TieSettled())
                text.AppendLine($"{result.TieBrokenBy ?? "A facilitator"} broke the tie: {Join(result.TieBrokenTo!.Select(id => $"**{poll.OptionText(id)}**"))}.");
        }
        text.AppendLine();
        text.Append(Tally(poll, result, final: true));
        text.AppendLine().AppendLine($"{Members(result.Voters)} voted.");
        return text.ToString();
    }

    /// <summary>The private message that walks a member through ranking, one pick at a time. The ranking so far travels in the ids.</summary>
    public static BotReply RankingStep(PollDocument poll, IReadOnlyList<int> soFar, IReadOnlyList<int>? current, bool replaceSource)
    {
        var text = new StringBuilder();
        text.AppendLine($"**{MarkdownText.Member(poll.Question)}**").AppendLine();
        if (current is { Count: > 0 } && soFar.Count == 0)
            text.AppendLine($"Your ranking now: {string.Join(" > ", current.Select(poll.OptionText))}").AppendLine();
        if (soFar.Count == 0)
            text.AppendLine("Pick your first choice. Rank as many as you like; options you leave out get nothing from you.");
        else
        {
            text.AppendLine("Your ranking so far:");
            for (var i = 0; i < soFar.Count; i++) text.AppendLine($"{i + 1}. {poll.OptionText(soFar[i])}");
            text.AppendLine().AppendLine("Pick your next choice, or submit your ranking as it is.");
        }
        var remaining = poll.Options.Where(o => !soFar.Contains(o.Id)).ToList();
        var encoded = Encode(soFar);
        var selects = remaining.Count == 0 || soFar.Count >= poll.Options.Count
            ? []
            : new List<ReplySelect>
            {
                new(FlowContext.ActionId("poll", "rankpick", poll.Id, encoded), $"Your {Ordinal(soFar.Count + 1)} choice",
                    remaining.Select(o => new SelectOption(Truncate($"{o.Id}. {o.Text}", 100), Id(o.Id))).ToList()),
            };
        var buttons = new List<ReplyButton>();
        if (soFar.Count > 0)
        {
            buttons.Add(new ReplyButton("Submit my ranking", FlowContext.ActionId("poll", "ranked", poll.Id, encoded), ButtonStyle.Success));
            buttons.Add(new ReplyButton("Start again", FlowContext.ActionId("poll", "rerank", poll.Id)));
        }
        return new BotReply
        {
            Title = $"Rank your choices: poll #{poll.Id}",
            Text = text.ToString().TrimEnd(),
            Selects = selects,
            Buttons = buttons,
            Visibility = ReplyVisibility.Private,
            UpdatesSource = replaceSource,
        };
    }

    /// <summary>What a member chose, in words: "Sleep", "Sleep, Boundaries" or "Sleep > Boundaries".</summary>
    public static string Choices(PollDocument poll, IReadOnlyList<int> choices)
        => poll.Mode == PollMode.Ranked
            ? string.Join(" > ", choices.Select(poll.OptionText))
            : Join(choices.Select(poll.OptionText));

    public static string SettingsLine(PollDocument poll, DateTimeZone zone)
    {
        var parts = new List<string> { ModeShort(poll.Mode), poll.Anonymous ? "anonymous" : "named votes (everyone sees who chose what)" };
        switch (poll.Phase)
        {
            case PollPhase.Suggesting:
                parts.Insert(0, "Collecting suggestions");
                if (poll.ClosesAt is { } planned) parts.Add($"voting closes {WhenParser.Describe(planned, zone)}");
                break;
            case PollPhase.Voting:
                parts.Add(poll.ClosesAt is { } closes ? $"closes {WhenParser.Describe(closes, zone)}" : $"open until closed with `poll close #{poll.Id}`");
                break;
            default:
                if (poll.ClosedAt is { } closed) parts.Add($"closed {WhenParser.Describe(closed, zone)}");
                break;
        }
        return string.Join(" · ", parts);
    }

    /// <summary>"2 members" / "1 member".</summary>
    public static string Members(int count) => count == 1 ? "1 member" : $"{count} members";

    /// <summary>A text bar of ten cells: <c>██████░░░░</c>.</summary>
    public static string Bar(int votes, int total)
    {
        var filled = total <= 0 ? 0 : (int)Math.Round(BarCells * (double)votes / total, MidpointRounding.AwayFromZero);
        return new string('█', filled) + new string('░', BarCells - filled);
    }

    public static int Percent(int votes, int total)
        => total <= 0 ? 0 : (int)Math.Round(100.0 * votes / total, MidpointRounding.AwayFromZero);

    /// <summary>Option ids in action ids: one character each (1-9, then a-k for 10-20), so a whole ranking fits in one id.</summary>
    public static string Encode(IEnumerable<int> ids) => new(ids.Select(id => id < 10 ? (char)('0' + id) : (char)('a' + id - 10)).ToArray());

    /// <summary>Reads <see cref="Encode"/>; null when the text is not a valid encoding.</summary>
    public static List<int>? Decode(string text)
    {
        var ids = new List<int>();
        foreach (var c in text)
        {
            if (c is >= '1' and <= '9') ids.Add(c - '0');
            else if (c is >= 'a' and <= 'z') ids.Add(c - 'a' + 10);
            else return null;
        }
        return ids;
    }

    public static string Id(int optionId) => optionId.ToString(CultureInfo.InvariantCulture);

    private static string Tally(PollDocument poll, PollResult result, bool final)
    {
        var text = new StringBuilder();
        if (poll.Mode == PollMode.Ranked)
        {
            for (var r = 0; r < result.Rounds.Count; r++)
            {
                var round = result.Rounds[r];
                var active = round.Active();
                var counts = string.Join(" · ", round.Counts.OrderByDescending(c => c.Votes).ThenBy(c => c.OptionId)
                    .Select(c => $"{poll.OptionText(c.OptionId)} {c.Votes} ({Percent(c.Votes, active)}%)"));
                text.AppendLine($"Round {r + 1}: {counts}{(round.Exhausted > 0 ? $" · {round.Exhausted} with no choice left" : "")}");
                text.AppendLine($"  {RoundNote(poll, round, r == result.Rounds.Count - 1, result, final)}");
            }
            if (result.Rounds.Count > 0 && result.Rounds[^1].Active() > 0)
            {
                var last = result.Rounds[^1];
                text.AppendLine().AppendLine(result.Rounds.Count == 1 ? "First choices:" : "Final round:");
                foreach (var count in last.Counts.OrderByDescending(c => c.Votes).ThenBy(c => c.OptionId))
                    text.AppendLine($"`{Bar(count.Votes, last.Active())}` {poll.OptionText(count.OptionId)} {count.Votes} ({Percent(count.Votes, last.Active())}%)");
            }
            if (result.Named.Count > 0)
            {
                text.AppendLine().AppendLine("Rankings:");
                foreach (var named in result.Named) text.AppendLine($"- {named.Name}: {Choices(poll, named.Choices)}");
            }
            return text.ToString();
        }

        var total = result.Voters;
        foreach (var option in poll.Options)
        {
            var votes = result.Counts.FirstOrDefault(c => c.OptionId == option.Id)?.Votes ?? 0;
            text.AppendLine($"**{option.Id}. {MarkdownText.Member(option.Text)}**");
            var line = $"`{Bar(votes, total)}` {votes} {(poll.Mode == PollMode.Approval ? "approval" : "vote")}{(votes == 1 ? "" : "s")} ({Percent(votes, total)}%)";
            var names = result.Named.Where(n => n.Choices.Contains(option.Id)).Select(n => n.Name).ToList();
            if (names.Count > 0)
                line += " — " + string.Join(", ", names.Take(MaxNamesShown)) + (names.Count > MaxNamesShown ? $" and {names.Count - MaxNamesShown} more" : "");
            text.AppendLine(line);
        }
        if (poll.Mode == PollMode.Approval && total > 0)
            text.AppendLine("Percentages are of members who voted; each could approve several options.");
        return text.ToString();
    }

    private static string RoundNote(PollDocument poll, RunoffRound round, bool last, PollResult result, bool final)
    {
        var active = round.Active();
        if (round.Eliminated.Count == 0)
        {
            if (active == 0) return "No ballots to count.";
            if (result.Leaders.Count == 1)
                return $"{poll.OptionText(result.Leaders[0])} has more than half of the {active} ballots still counting{(final ? ", so it wins" : " and leads")}.";
            return last && result.Leaders.Count > 1 ? $"All remaining options have the same count: {(final ? "a tie" : "tied so far")}." : "";
        }
        var outNames = Join(round.Eliminated.Select(poll.OptionText));
        var verb = round.Eliminated.Count == 1 ? "is" : "are";
        if (round.TiedAtBottom is not { Count: > 1 } tied) return $"{outNames} has the fewest, so it is out.";
        var tiedNames = Join(tied.Select(poll.OptionText));
        return round.DecidedByRound is { } earlier
            ? $"{tiedNames} tied for fewest; {outNames} had fewer in round {earlier}, so {outNames} {verb} out."
            : $"{tiedNames} tied for fewest and no earlier round separates them, so all of them are out.";
    }

    private static string VotedSoFar(int voters) => voters switch
    {
        0 => "Nobody has voted yet.",
        1 => "1 member has voted so far.",
        _ => $"{voters} members have voted so far.",
    };

    private static string HowToVote(PollDocument poll) => poll.Anonymous ? HowToVoteByCard(poll) : poll.Mode switch
    {
        PollMode.Approval => $"Choose every option you'd be happy with. You can change or withdraw your vote until the poll closes, or type `{TypedVote(poll)}`.",
        PollMode.Ranked => $"Click **Rank my choices** to put options in order of preference, or type `{TypedVote(poll)}` (first choice first). You can change or withdraw your vote until the poll closes.",
        _ => $"{(poll.Options.Count <= MaxOptionButtons ? "Click an option" : "Choose an option")} to vote, or type `{TypedVote(poll)}`. You can change or withdraw your vote until the poll closes.",
    };

    /// <summary>An anonymous poll's card is read in the channel, where a typed vote would show: it suggests the card only.</summary>
    private static string HowToVoteByCard(PollDocument poll) => poll.Mode switch
    {
        PollMode.Approval => "Choose every option you'd be happy with on this card. Your vote stays anonymous; you can change or withdraw it until the poll closes.",
        PollMode.Ranked => "Click **Rank my choices** to put options in order of preference, privately. Your vote stays anonymous; you can change or withdraw it until the poll closes.",
        _ => $"{(poll.Options.Count <= MaxOptionButtons ? "Click an option" : "Choose an option")} on this card to vote. Your vote stays anonymous; you can change or withdraw it until the poll closes.",
    };

    /// <summary>
    /// A typed vote that works on this poll as shown: the poll named with <c>#</c> (so its number is never read as an
    /// option), then choices it really has: one for single choice, two for approval, a full order for ranked.
    /// </summary>
    public static string TypedVote(PollDocument poll)
    {
        var ids = poll.Options.Select(o => o.Id).ToList();
        IEnumerable<int> example = poll.Mode switch
        {
            PollMode.Approval => ids.Count >= 3 ? [ids[0], ids[2]] : ids.Take(2),
            PollMode.Ranked => ids.Count >= 3 ? [ids[1], ids[0], ids[2]] : ids.AsEnumerable().Reverse(),
            _ => ids.Skip(ids.Count > 1 ? 1 : 0).Take(1),
        };
        return $"poll vote #{poll.Id} {string.Join(' ', example.Select(Id))}";
    }

    private static List<ReplyButton> VotingButtons(PollDocument poll)
    {
        var buttons = new List<ReplyButton>();
        if (poll.Mode == PollMode.Single && poll.Options.Count <= MaxOptionButtons)
            buttons.AddRange(poll.Options.Select(o => new ReplyButton(Truncate($"{o.Id}. {o.Text}", 80), FlowContext.ActionId("poll", "vote", poll.Id, Id(o.Id)))));
        if (poll.Mode == PollMode.Ranked)
            buttons.Add(new ReplyButton("Rank my choices", FlowContext.ActionId("poll", "rank", poll.Id), ButtonStyle.Primary));
        buttons.Add(new ReplyButton("Withdraw my vote", FlowContext.ActionId("poll", "withdraw", poll.Id)));
        return buttons;
    }

    private static List<ReplySelect> VotingSelects(PollDocument poll)
    {
        var options = poll.Options.Select(o => new SelectOption(Truncate($"{o.Id}. {o.Text}", 100), Id(o.Id))).ToList();
        return poll.Mode switch
        {
            PollMode.Approval => [new ReplySelect(FlowContext.ActionId("poll", "vote", poll.Id), "Choose every option you'd be happy with", options, 1, options.Count)],
            PollMode.Single when poll.Options.Count > MaxOptionButtons => [new ReplySelect(FlowContext.ActionId("poll", "vote", poll.Id), "Choose one option", options)],
            _ => [],
        };
    }

    private static string ModeShort(PollMode mode) => mode switch
    {
        PollMode.Approval => "Approval (pick any number)",
        PollMode.Ranked => "Ranked (instant runoff)",
        _ => "Single choice",
    };

    private static string Ordinal(int n) => n switch
    {
        1 => "1st",
        2 => "2nd",
        3 => "3rd",
        _ => $"{n}th",
    };

    public static string Join(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count switch
        {
            0 => "",
            1 => list[0],
            _ => string.Join(", ", list[..^1]) + " and " + list[^1],
        };
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
