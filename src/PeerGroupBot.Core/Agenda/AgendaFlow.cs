using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Outbound;
using PeerGroupBot.Core.Rota;
using PeerGroupBot.Core.Sessions;

using PeerGroupBot.Core.Record;

namespace PeerGroupBot.Core.Agenda;

/// <summary>
/// <c>agenda</c>: members add items (named or anonymous, with an optional time estimate), remove their own and mark
/// items done; facilitators reorder and post the compiled agenda, and posting again updates the same message.
/// The agenda belongs to the next session; <see cref="AgendaBook"/> carries unfinished items over when it ends.
/// </summary>
public sealed class AgendaFlow(
    AgendaBook book,
    WithdrawalCodes codes,
    GroupDirectory directory,
    AgendaMessage messages,
    IRotaLookup rota,
    IOutbound outbound,
    IRecord record,
    IOptions<AgendaOptions> options) : IFlow
{
    public const string FlowName = "agenda";

    private static readonly HashSet<string> AnonymousWords = new(StringComparer.OrdinalIgnoreCase) { "anon", "anon:", "anonymous", "anonymous:", "anonymously", "anonymously:" };

    private int MaxLength => options.Value.MaxItemLength;
    private int MaxItems => options.Value.MaxItemsPerSession;

    public string Name => FlowName;

    public string HelpSummary => "the agenda: add what you would like to talk about next session";

    public IReadOnlyList<HelpEntry> Help { get; } =
    [
        new("agenda [list]", "see the agenda for the next session"),
        new("agenda add <text> [time]", "add an item; end it with a time if you like: `15m`, `~15 min`, `1h30`, `(20 minutes)`. `agenda add` on its own opens a form"),
        new("agenda add anon <text> [time]", "add an item without your name: it shows as \"a member\" and nothing kept links it to you. Send it to me privately (or use the form) so nobody sees you type it"),
        new("agenda remove <n>", "remove your own item n (facilitators: any item); for an anonymous item use the code you were given"),
        new("agenda done|undone <n>", "mark item n as done, or not done again; unfinished items carry over to the next session"),
        new("agenda move <n> <position>", "move item n, e.g. `agenda move 4 1`, `agenda move 2 last`", true),
        new("agenda post", "post the agenda to the group's channels; posting again updates the same message", true),
        new("agenda next", "for a group without a schedule: start the next session's agenda (done items leave, the rest carry over)", true),
    ];

    public async Task<IReadOnlyList<BotReply>> HandleAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var args = context.ActionArgs;
        return context.Input.Kind switch
        {
            InputKind.Form when context.Verb == "add" => [await AddFromFormAsync(context, cancellationToken)],
            InputKind.Action => context.Verb switch
            {
                "form" => [AddForm(anonymous: args.Count > 0 && args[0] == "anon")],
                "list" => [await ListAsync(context, cancellationToken)],
                "post" => [await PostAsync(context, cancellationToken)],
                "withdraw" => [await WithdrawAsync(context, args.Count > 0 ? args[0] : "", cancellationToken)],
                _ => [Unknown(context.Verb)],
            },
            InputKind.Message => [await HandleMessageAsync(context, cancellationToken)],
            _ => [Unknown(context.Verb)],
        };
    }

    private Task<BotReply> HandleMessageAsync(FlowContext context, CancellationToken cancellationToken) => context.Verb switch
    {
        "" or "list" or "show" => ListAsync(context, cancellationToken),
        "add" => AddFromTextAsync(context, cancellationToken),
        "remove" or "delete" or "rm" => RemoveAsync(context, cancellationToken),
        "move" => MoveAsync(context, cancellationToken),
        "done" => MarkAsync(context, done: true, cancellationToken),
        "undone" or "notdone" or "undo" => MarkAsync(context, done: false, cancellationToken),
        "post" => PostAsync(context, cancellationToken),
        "next" => NextAsync(context, cancellationToken),
        _ => Task.FromResult(Unknown(context.Verb)),
    };

    // ----- adding -----

    private async Task<BotReply> AddFromTextAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var (first, rest) = ConversationRouter.SplitWord(context.Arguments);
        var anonymous = AnonymousWords.Contains(first);
        var text = anonymous ? rest : context.Arguments;
        if (text.Length == 0) return AddForm(anonymous);
        if (anonymous && context.TypingIsSeenByOthers)
        {
            return new BotReply
            {
                Text = "I haven't added that: a message typed in the group's channel shows your name to everyone, so it wouldn't be anonymous. "
                     + "You may want to delete your message. To add it without your name, send `agenda add anon <text>` to me in a private chat, or use the form.",
                Tone = ReplyTone.Warning,
                Visibility = ReplyVisibility.Private,
                Buttons = [new ReplyButton("Add anonymously", FlowContext.ActionId(FlowName, "form", "anon"), ButtonStyle.Primary)],
            };
        }
        var estimate = TimeEstimate.Split(text);
        if (estimate.Problem is not null) return BotReply.Warn(estimate.Problem + " Nothing was added.");
        return await AddAsync(context, estimate.Text, estimate.Minutes, anonymous, cancellationToken);
    }

    private async Task<BotReply> AddFromFormAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var values = context.Input.Values;
        var anonymous = values.GetValueOrDefault("show", "name") == "anon";
        var field = TimeEstimate.ParseField(values.GetValueOrDefault("minutes", ""));
        if (field.Problem is not null) return BotReply.Warn(field.Problem + " Nothing was added.");
        var text = values.GetValueOrDefault("text", "");
        var minutes = field.Minutes;
        if (minutes is null)
        {
            var inText = TimeEstimate.Split(text);
            if (inText.Problem is not null) return BotReply.Warn(inText.Problem + " Nothing was added.");
            (text, minutes) = (inText.Text, inText.Minutes);
        }
        return await AddAsync(context, text, minutes, anonymous, cancellationToken);
    }

    private async Task<BotReply> AddAsync(FlowContext context, string rawText, int? minutes, bool anonymous, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        var text = AgendaText.Clean(rawText);
        if (text.Length == 0) return BotReply.Warn("What should the item say? For example `agenda add Check-in round 15m`.");
        if (text.Length > MaxLength)
            return BotReply.Warn($"Agenda items can be up to {MaxLength} characters and this one has {text.Length}. Could you shorten it? Nothing was added.");

        var code = anonymous ? WithdrawalCodes.NewCode() : null;
        var item = new AgendaItem
        {
            Id = AgendaBook.NewItemId(),
            Text = text,
            Minutes = minutes,
            Source = anonymous ? AgendaItemSource.Anonymous : AgendaItemSource.Member,
            AuthorKey = anonymous ? null : directory.MemberKey(context.Actor.MemberId),
            AuthorName = anonymous ? null : context.Actor.DisplayName,
            WithdrawalHash = code is null ? null : codes.Hash(code),
        };
        var position = 0;
        var full = false;
        var (agenda, _) = await book.ChangeAsync(group, current =>
        {
            position = 0;
            full = current.Items.Count(i => i.Source != AgendaItemSource.Poll) >= MaxItems;
            if (full) return null;
            var index = anonymous ? UnrevealingPlace(current.Items) : current.Items.Count;
            position = index + 1;
            var items = current.Items.ToList();
            items.Insert(index, item);
            return current with { Items = items };
        }, cancellationToken);
        var session = AgendaText.SessionName(group, agenda);
        if (full)
            return BotReply.Warn($"The agenda for {session} already has {MaxItems} items, which is as many as it can hold. Nothing was added: a facilitator can remove or finish some items first.");

        var estimate = minutes is { } m ? $" ({TimeEstimate.Format(m)})" : "";
        if (!anonymous)
        {
            return new BotReply
            {
                Text = $"Added to the agenda for {session} as item {position}: “{text}”{estimate}.",
                Tone = ReplyTone.Success,
                Visibility = ReplyVisibility.Private,
                Buttons = [new ReplyButton("See the agenda", FlowContext.ActionId(FlowName, "list"))],
            };
        }
        var shown = WithdrawalCodes.Display(code!);
        return new BotReply
        {
            Text = $"Added anonymously to the agenda for {session} as item {position}: “{text}”{estimate}. It shows as from \"{AgendaText.AnonymousName}\", "
                 + "and I've kept nothing that links it to you, so not even facilitators can find out who added it. "
                 + "It was put at a random place among this session's new items, so its position doesn't hint at when it arrived.\n\n"
                 + $"To take it back later, use the button below or send me `agenda remove {shown}`. Keep that code to yourself: I can't show it to you again.",
            Tone = ReplyTone.Success,
            Visibility = ReplyVisibility.Private,
            Buttons = [new ReplyButton("Take it back", FlowContext.ActionId(FlowName, "withdraw", code!), ButtonStyle.Danger)],
        };
    }

    /// <summary>
    /// Where an anonymous item goes: a random place among this session's new items (after any carried-over ones, and
    /// never before the first item, which is often the opening). Appending would tell everyone it is the newest.
    /// </summary>
    private static int UnrevealingPlace(IReadOnlyList<AgendaItem> items)
    {
        var firstNew = 0;
        while (firstNew < items.Count && items[firstNew].CarriedOver) firstNew++;
        var lowest = Math.Max(firstNew, Math.Min(1, items.Count));
        return RandomNumberGenerator.GetInt32(lowest, items.Count + 1);
    }

    private BotReply AddForm(bool anonymous) => BotReply.ShowForm(new ReplyForm(FlowContext.ActionId(FlowName, "add"), "Add to the agenda",
    [
        new FormField("text", "Agenda item", FormFieldKind.LongText, MaxLength: MaxLength, Placeholder: "What would you like the group to talk about?"),
        new FormField("minutes", "Time needed (optional)", Required: false, MaxLength: 12, Placeholder: "e.g. 15 or 1h30"),
        new FormField("show", "Show my name on the agenda?", FormFieldKind.Choice, Value: anonymous ? "anon" : "name", Choices:
        [
            new SelectOption("Yes, show my name", "name", Selected: !anonymous),
            new SelectOption("No, add it anonymously", "anon", "It shows as \"a member\"; nothing kept links it to you", Selected: anonymous),
        ]),
    ], "Add"));

    // ----- removing -----

    private async Task<BotReply> RemoveAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var words = Words(context.Arguments);
        var code = words.Select(WithdrawalCodes.Normalise).FirstOrDefault(c => c is not null);
        if (code is not null) return await WithdrawAsync(context, code, cancellationToken);
        if (ItemNumber(words) is not { } number)
            return BotReply.Warn("Which item? Give its number from `agenda list`, e.g. `agenda remove 2`.");

        var myKey = directory.MemberKey(context.Actor.MemberId);
        AgendaItem? found = null;
        var count = 0;
        var (agenda, removed) = await book.ChangeAsync(context.RequiredGroup, current =>
        {
            count = current.Items.Count;
            found = number <= count ? current.Items[number - 1] : null;
            var allowed = found is not null && (context.IsFacilitator || (found.Source == AgendaItemSource.Member && found.AuthorKey == myKey));
            return allowed ? current with { Items = [.. current.Items.Where(i => i.Id != found!.Id)] } : null;
        }, cancellationToken);

        if (found is null) return NoSuchItem(number, count);
        if (removed) return Done($"Removed item {number}: “{found.Text}”.{RepostHint(context, agenda)}");
        return BotReply.Warn(found.Source switch
        {
            AgendaItemSource.Anonymous => $"Item {number} was added anonymously, so I can't tell whether it's yours. If it is, send `agenda remove <code>` with the code I gave you when you added it, or use its “Take it back” button.",
            AgendaItemSource.Poll => $"Item {number} is the topic the group chose in a poll, so only a facilitator can remove it.",
            _ => $"Item {number} was added by {found.AuthorName}, so only they or a facilitator can remove it.",
        });
    }

    private async Task<BotReply> WithdrawAsync(FlowContext context, string typedCode, CancellationToken cancellationToken)
    {
        var code = WithdrawalCodes.Normalise(typedCode);
        if (code is null) return BotReply.Warn("That isn't a code I gave out. It looks like `K7QX-2MPA`.");
        var hash = codes.Hash(code);
        AgendaItem? found = null;
        await book.ChangeAsync(context.RequiredGroup, current =>
        {
            found = current.Items.FirstOrDefault(i => i.WithdrawalHash == hash);
            return found is null ? null : current with { Items = [.. current.Items.Where(i => i.Id != found.Id)] };
        }, cancellationToken);
        return found is null
            ? BotReply.Warn("That code doesn't match anything on the agenda. The item may have been removed already (a facilitator can remove any item), or the code was mistyped.")
            : Done($"Taken back: “{found.Text}” is no longer on the agenda.");
    }

    // ----- reordering and progress -----

    private async Task<BotReply> MoveAsync(FlowContext context, CancellationToken cancellationToken)
    {
        if (!context.IsFacilitator) return BotReply.Private($"Only facilitators can reorder the agenda ({WhoFacilitates(context)}). You can ask one of them to move an item.");
        var words = Words(context.Arguments).Where(w => !w.Equals("to", StringComparison.OrdinalIgnoreCase)).ToList();
        if (words.Count != 2 || ItemNumber(words.Take(1)) is not { } number)
            return BotReply.Warn("Say which item and where to: `agenda move 4 1`, `agenda move 4 to 2`, `agenda move 2 last`.");

        AgendaItem? moved = null;
        var count = 0;
        var target = 0;
        var (agenda, changed) = await book.ChangeAsync(context.RequiredGroup, current =>
        {
            count = current.Items.Count;
            moved = number <= count ? current.Items[number - 1] : null;
            target = Position(words[1], number, count);
            if (moved is null || target < 1 || target > count || target == number) return null;
            var items = current.Items.ToList();
            items.RemoveAt(number - 1);
            items.Insert(target - 1, moved);
            return current with { Items = items };
        }, cancellationToken);

        if (moved is null) return NoSuchItem(number, count);
        if (target < 1 || target > count)
            return BotReply.Warn($"The position can be 1 to {count}, or `first`, `last`, `up`, `down`.");
        if (!changed) return BotReply.Private($"“{moved.Text}” is already item {number}.");
        return Done($"Moved “{moved.Text}” to position {target}.{RepostHint(context, agenda)}\n\n{string.Join('\n', AgendaText.Lines(agenda))}");
    }

    private static int Position(string word, int from, int count) => word.ToLowerInvariant() switch
    {
        "first" or "top" or "start" => 1,
        "last" or "bottom" or "end" => count,
        "up" => Math.Max(1, from - 1),
        "down" => Math.Min(count, from + 1),
        _ => int.TryParse(word.TrimStart('#').TrimEnd('.'), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1,
    };

    private async Task<BotReply> MarkAsync(FlowContext context, bool done, CancellationToken cancellationToken)
    {
        var verb = done ? "done" : "undone";
        if (ItemNumber(Words(context.Arguments)) is not { } number)
            return BotReply.Warn($"Which item? Give its number from `agenda list`, e.g. `agenda {verb} 2`.");
        var group = context.RequiredGroup;
        var current = await book.ReadAsync(group, cancellationToken);
        var holders = await rota.GetHoldersAsync(group, current.OccurrenceId, cancellationToken);
        var onRota = holders.Any(h => h.MemberId == context.Actor.MemberId);
        var myKey = directory.MemberKey(context.Actor.MemberId);

        AgendaItem? found = null;
        var count = 0;
        var (agenda, changed) = await book.ChangeAsync(group, latest =>
        {
            count = latest.Items.Count;
            found = number <= count ? latest.Items[number - 1] : null;
            if (found is null || found.Done == done) return null;
            var allowed = context.IsFacilitator || (onRota && latest.OccurrenceId == current.OccurrenceId) || (found.Source == AgendaItemSource.Member && found.AuthorKey == myKey);
            if (!allowed) return null;
            var items = latest.Items.ToList();
            items[number - 1] = found with { Done = done };
            return latest with { Items = items };
        }, cancellationToken);

        if (found is null) return NoSuchItem(number, count);
        if (found.Done == done && !changed) return BotReply.Private($"Item {number} is already marked {(done ? "done" : "not done")}.");
        if (!changed)
            return BotReply.Private($"Facilitators, the people on this session's rota and the person who added an item can mark it {verb}. Ask one of them ({WhoFacilitates(context)}).");
        return Done(done
            ? $"Marked item {number} as done: “{found.Text}”. Anything not done carries over to the next session.{RepostHint(context, agenda)}"
            : $"Item {number} is no longer marked done: “{found.Text}”.{RepostHint(context, agenda)}");
    }

    private async Task<BotReply> NextAsync(FlowContext context, CancellationToken cancellationToken)
    {
        if (!context.IsFacilitator) return BotReply.Private($"Only facilitators can start the next session's agenda ({WhoFacilitates(context)}).");
        var carried = await book.CloseUndatedAsync(context.RequiredGroup, cancellationToken);
        if (carried is null)
        {
            var agenda = await book.ReadAsync(context.RequiredGroup, cancellationToken);
            return BotReply.Private($"This group has a schedule, so the agenda moves on by itself when each session ends. The current agenda is for {AgendaText.SessionName(context.RequiredGroup, agenda)}.");
        }
        return Done(carried switch
        {
            0 => "Started a fresh agenda for the next session. Nothing was left unfinished.",
            1 => "Started a fresh agenda for the next session. One unfinished item carried over; done items were cleared.",
            _ => $"Started a fresh agenda for the next session. {carried} unfinished items carried over; done items were cleared.",
        });
    }

    // ----- showing and posting -----

    private async Task<BotReply> ListAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        var agenda = await book.ReadAsync(group, cancellationToken);
        var text = new StringBuilder();
        text.AppendLine($"**When:** {AgendaText.When(group, agenda)}");
        text.AppendLine();
        if (agenda.Items.Count == 0)
            text.AppendLine("Nothing on the agenda yet. Add something with `agenda add <text>`, with a time like `15m` at the end if you like.");
        else
        {
            foreach (var line in AgendaText.Lines(agenda)) text.AppendLine(line);
            text.AppendLine();
            text.AppendLine(AgendaText.TimeSummary(agenda));
        }
        if (context.IsFacilitator)
            text.AppendLine().Append(agenda.Posted?.Copies.Count > 0 ? "It has been posted; `agenda post` updates the posted message." : "It hasn't been posted yet: `agenda post` shares it with the group.");
        return new BotReply
        {
            Title = $"Agenda for {AgendaText.SessionName(group, agenda)}",
            Text = text.ToString().TrimEnd(),
            Visibility = ReplyVisibility.Private,
            Buttons = context.IsFacilitator
                ? [.. AgendaText.AddButtons, new ReplyButton("Post the agenda", FlowContext.ActionId(FlowName, "post"), ButtonStyle.Success)]
                : AgendaText.AddButtons,
        };
    }

    private async Task<BotReply> PostAsync(FlowContext context, CancellationToken cancellationToken)
    {
        if (!context.IsFacilitator)
            return BotReply.Private($"Only facilitators can post the agenda: {WhoFacilitates(context)}. "
                + "You can still add items with `agenda add <text>` and see the agenda with `agenda list`, or ask one of them to post it.");

        var group = context.RequiredGroup;
        var agenda = await book.ReadAsync(group, cancellationToken);
        var message = await messages.RenderAsync(group, agenda, context.Now, cancellationToken);

        // Update the copies already posted in channels still linked; post afresh only where there is none yet.
        var linked = group.MainChannels.ToHashSet();
        var kept = (agenda.Posted?.Copies ?? []).Where(c => linked.Contains(new ChannelRef(c.Platform, c.ChannelId))).ToList();
        if (kept.Count > 0) await outbound.UpdateAsync(new PostedMessage(kept), message, cancellationToken);
        var unposted = group with
        {
            Channels = [.. group.Channels.Where(c => c.Purpose == ChannelPurpose.Main && !kept.Any(k => new ChannelRef(k.Platform, k.ChannelId) == c.Channel))],
        };
        var fresh = unposted.Channels.Count > 0 ? await outbound.PostToGroupAsync(unposted, message, cancellationToken) : PostedMessage.None;
        var copies = kept.Concat(fresh.Copies).ToList();
        if (copies.Count == 0)
            return BotReply.Warn("I couldn't post the agenda to the group's channel just now. Please try again in a moment.");

        await book.ChangeAsync(group, current => current.OccurrenceId == agenda.OccurrenceId
            ? current with { Posted = new PostedMessage(copies) }
            : null, cancellationToken);
        await record.AgendaPostedAsync(group, agenda, cancellationToken);
        var session = AgendaText.SessionName(group, agenda);
        return Done(kept.Count > 0
            ? $"Updated the agenda already posted for {session}{(fresh.Copies.Count > 0 ? ", and posted it to the newly linked channel" : "")}."
            : $"Posted the agenda for {session} to the group.");
    }

    // ----- small helpers -----

    private static BotReply Done(string text) => new() { Text = text, Tone = ReplyTone.Success, Visibility = ReplyVisibility.Private };

    private static BotReply NoSuchItem(int number, int count) => BotReply.Warn(count == 0
        ? "The agenda is empty at the moment, so there's nothing to change."
        : $"There's no item {number}: the agenda has {count} item{(count == 1 ? "" : "s")}. Type `agenda list` to see them.");

    private static string RepostHint(FlowContext context, AgendaDocument agenda)
        => context.IsFacilitator && agenda.Posted?.Copies.Count > 0 ? " Run `agenda post` to update the posted agenda." : "";

    /// <summary>Names who counts as a facilitator here, so a member knows whom to ask.</summary>
    private static string WhoFacilitates(FlowContext context)
    {
        var names = context.RequiredGroup.Facilitators.Select(f => f.DisplayName).ToList();
        var platform = context.Input.Place.Platform switch
        {
            "discord" => "people with the facilitator role or the Manage Server permission",
            "teams" => "the team's owners",
            _ => null,
        };
        var parts = names.Count switch
        {
            0 => [],
            1 => new List<string> { names[0] },
            _ => [string.Join(", ", names.Take(names.Count - 1)) + " and " + names[^1]],
        };
        if (platform is not null) parts.Add(platform);
        return parts.Count == 0 ? "the group's facilitators" : string.Join(", or ", parts);
    }

    private static IReadOnlyList<string> Words(string text) => text.Split([' ', '\t', '\n', '\r', ','], StringSplitOptions.RemoveEmptyEntries);

    private static int? ItemNumber(IEnumerable<string> words)
    {
        foreach (var word in words)
        {
            if (int.TryParse(word.TrimStart('#').TrimEnd('.'), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1)
                return n;
        }
        return null;
    }

    private static BotReply Unknown(string verb)
    {
        var shown = verb.Length > 30 ? verb[..30] + "…" : verb;
        return BotReply.Private($"`agenda {shown}` isn't something I know. Try `help agenda`.");
    }
}
