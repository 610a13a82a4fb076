using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Members;
using PeerGroupBot.Core.Record;
using PeerGroupBot.Core.Safety;
using PeerGroupBot.Core.Scheduling;

namespace PeerGroupBot.Core.Concerns;

/// <summary>
/// <c>concern</c>: a member raises a concern privately and anonymously; facilitators triage it (acknowledge, reply,
/// resolve) and can talk with the member without either side learning more than the text.
/// Every answer to a member is private, the raise happens in a form, and nothing is ever posted in the group's
/// channel. The member's id is used only in memory: the flow keeps no dialog state and passes the id to storage
/// only to seal it (<see cref="DeliveryAddresses"/>) or to count it under a daily key (<see cref="DailyLimit"/>).
/// Messages to the member that they did not just ask for (replies, acknowledged, resolved) go through
/// <see cref="INudges"/>: they wait for the member's quiet hours (sealed, like the delivery address) unless the concern
/// is urgent, and the facilitators are told the same thing either way, so a reply never hints at the member's hours.
/// </summary>
public sealed class ConcernFlow(
    ConcernDesk desk,
    ConcernSettingsCommands settingsCommands,
    DailyLimit limit,
    DeliveryAddresses addresses,
    GroupDirectory directory,
    INudges nudges,
    ITimers timers,
    IRecord record,
    HeldInputs held) : IFlow
{
    public const int MaxTextLength = 2000;

    /// <summary>The optional categories a member can pick (shown as they are stored).</summary>
    public static readonly IReadOnlyList<string> Categories =
        ["Something in a session", "How the group is run", "Someone's behaviour", "Safety or wellbeing", "Something else"];

    public string Name => "concern";

    public bool RequiresGroup => false;

    public string HelpSummary => "anonymous concerns, and crisis contacts you can reach right now";

    public IReadOnlyList<HelpEntry> Help { get; } =
    [
        new("concern", "raise a concern anonymously: only you see the form, and the facilitators never see your name"),
        new("concern support", "crisis contacts you can reach right now"),
        new("concern privacy", "what the bot keeps about a concern, and for how long"),
        new("concern hours", "when the facilitators read concerns"),
        new("concern list", "open concerns, with buttons to acknowledge, reply and resolve", true),
        new("concern hours <days> <HH:MM-HH:MM>|off", "when facilitators read concerns, e.g. `concern hours weekdays 09:00-17:00`", true),
        new("concern lead add|remove @member", "name who is alerted privately about urgent concerns", true),
        new("concern support set <text>|default", "this group's own crisis contacts", true),
    ];

    private ConcernsOptions Options => desk.Options;

    public async Task<IReadOnlyList<BotReply>> HandleAsync(FlowContext context, CancellationToken cancellationToken)
    {
        return context.Input.Kind switch
        {
            InputKind.Message => await OnMessageAsync(context, cancellationToken),
            InputKind.Action => await OnActionAsync(context, cancellationToken),
            _ => await OnFormAsync(context, cancellationToken),
        };
    }

    // ---- messages ------------------------------------------------------------------------------------------------

    private async Task<IReadOnlyList<BotReply>> OnMessageAsync(FlowContext context, CancellationToken cancellationToken)
    {
        switch (context.Verb)
        {
            case "" or "raise" or "new" when context.Arguments.Length == 0:
                return [await StartAsync(context, null, cancellationToken)];
            case "list":
                return [await ListAsync(context, cancellationToken)];
            case "hours":
                return [await settingsCommands.HoursAsync(context, cancellationToken)];
            case "lead" or "leads":
                return [await settingsCommands.LeadsAsync(context, cancellationToken)];
            case "support":
                return [await settingsCommands.SupportAsync(context, cancellationToken)];
            case "help" or "privacy" when context.Arguments.Length == 0:
                return [settingsCommands.PrivacyNote()];
        }
        var typed = context.Verb is "raise" or "new" ? context.Arguments : context.AfterName;
        if (context.Input.Place.IsPrivate) return [await StartAsync(context, typed, cancellationToken)];

        // Typed into a group channel: everyone there can already see it. Don't keep it; offer the private way.
        if (context.Group is null) return [NotLinked()];
        return [new BotReply
        {
            Text = "To keep you anonymous, a concern is written in a private form rather than in the channel, so I haven't kept what you typed. "
                 + "You may want to delete that message. Open the form with the button below (only you will see it).",
            Tone = ReplyTone.Warning,
            Visibility = ReplyVisibility.Private,
            Buttons = [ConcernCards.RaiseButton(context.Group.Id) with { Style = ButtonStyle.Primary }],
        }];
    }

    /// <summary>The raise: the member's groups decide whether to ask "which group?" first.</summary>
    private async Task<BotReply> StartAsync(FlowContext context, string? typed, CancellationToken cancellationToken)
    {
        IReadOnlyList<GroupDocument> groups;
        if (context.InGroupChannel) groups = [context.RequiredGroup];
        else if (!context.Input.Place.IsPrivate) return NotLinked();
        else groups = await directory.GroupsOfMemberAsync(context.Actor.MemberId, cancellationToken);

        if (groups.Count == 0)
            return BotReply.Private("I don't know which group you're in yet. Say `help` once in your group's channel, then come back here and type `concern`.");
        if (groups.Count == 1) return await FormAsync(context, groups[0], typed, cancellationToken);
        return new BotReply
        {
            Text = "Which group is this concern for? Only you can see this."
                 + (string.IsNullOrWhiteSpace(typed) ? "" : " (I haven't kept what you typed: you'll write it in the form next.)"),
            Visibility = ReplyVisibility.Private,
            Selects = [new ReplySelect(FlowContext.ActionId("concern", "pick"), "Choose a group",
                groups.Take(25).Select(g => new SelectOption(g.Name, g.Id)).ToList())],
        };
    }

    private async Task<BotReply> FormAsync(FlowContext context, GroupDocument group, string? typed, CancellationToken cancellationToken)
    {
        if (!await limit.HasRoomAsync(context.Actor.MemberId, context.Now, cancellationToken))
            return LimitReached(await desk.SettingsAsync(group.Id, cancellationToken), risky: false);
        var title = $"Concern for {group.Name}";
        if (title.Length > 45) title = "Raise a concern anonymously";
        var prefill = string.IsNullOrWhiteSpace(typed) ? null : typed.Trim();
        if (prefill is { Length: > MaxTextLength }) prefill = prefill[..MaxTextLength];
        return BotReply.ShowForm(new ReplyForm(FlowContext.ActionId("concern", "raise", group.Id), title,
        [
            new FormField("text", "Your concern", FormFieldKind.LongText, MaxLength: MaxTextLength,
                Placeholder: "The facilitators will see these words, never your name.", Value: prefill),
            new FormField("category", "What is it about? (optional)", FormFieldKind.Choice, Required: false,
                Choices: Categories.Select(c => new SelectOption(c, c)).ToList()),
            new FormField("replies", "May facilitators reply? (you stay hidden)", FormFieldKind.Choice,
                Choices:
                [
                    new SelectOption("Yes, they may reply to me privately", "yes", "Your name stays hidden; I keep an encrypted way to reach you until it's resolved."),
                    new SelectOption("No replies", "no", "Nothing is kept that links this concern back to you."),
                ]),
        ], "Send anonymously"));
    }

    // ---- actions -------------------------------------------------------------------------------------------------

    private async Task<IReadOnlyList<BotReply>> OnActionAsync(FlowContext context, CancellationToken cancellationToken)
    {
        switch (context.Verb)
        {
            case "held":
            {
                // "Raise it as an anonymous concern" under the crisis contacts: the form, pre-filled with the held words.
                var taken = await held.TakeAsync(context.ActionArgs.FirstOrDefault() ?? "", context.Actor.MemberId, context.AccountId, cancellationToken);
                return [taken is null
                    ? BotReply.Private("That has expired, so I didn't keep your words. You can raise a concern any time with `concern`, and `concern support` lists people who can help right now.")
                    : await StartAsync(context, taken.ConcernText, cancellationToken)];
            }
            case "support":
                return [await settingsCommands.SupportAsync(context, cancellationToken)];
            case "pick" or "start":
            {
                var groupId = context.Verb == "pick" ? context.Input.Selected.FirstOrDefault() ?? context.ActionArgs.FirstOrDefault() : context.ActionArgs.FirstOrDefault();
                var group = await MemberGroupAsync(context, groupId, cancellationToken);
                return [group is null ? NotYourGroup() : await FormAsync(context, group, null, cancellationToken)];
            }
            case "answer":
            {
                var (group, concern, refusal) = await ReporterTargetAsync(context, cancellationToken);
                if (refusal is not null) return [refusal];
                return [BotReply.ShowForm(new ReplyForm(ConcernCards.ActionId("answer", group!.Id, concern!.Number), $"Answer about concern #{concern.Number}",
                [
                    new FormField("text", "Your answer", FormFieldKind.LongText, MaxLength: MaxTextLength,
                        Placeholder: "The facilitators will see these words, never your name."),
                ], "Send anonymously"))];
            }
            case "ack" or "reply" or "resolve" or "show":
            {
                var (group, concern, refusal) = await TriageTargetAsync(context, cancellationToken);
                if (refusal is not null) return [refusal];
                return context.Verb switch
                {
                    "ack" => [await AcknowledgeAsync(context, group!, concern!, cancellationToken)],
                    "reply" => [await ReplyFormAsync(group!, concern!, cancellationToken)],
                    "resolve" => [await ResolveAsync(context, group!, concern!, cancellationToken)],
                    _ => [await desk.CardAsync(group!, concern!, cancellationToken) with { Visibility = ReplyVisibility.Private }],
                };
            }
            default:
                return [BotReply.Private("That button has expired. Type `concern` to raise a concern, or `concern list` if you're a facilitator.")];
        }
    }

    private async Task<BotReply> AcknowledgeAsync(FlowContext context, GroupDocument group, ConcernDocument concern, CancellationToken cancellationToken)
    {
        var changed = false;
        var updated = await desk.UpdateAsync(group.Id, concern.Number, c =>
        {
            changed = c.Status == ConcernStatus.New;
            return changed ? c with { Status = ConcernStatus.Acknowledged, AcknowledgedAt = context.Now, AcknowledgedBy = context.Actor.DisplayName } : null;
        }, cancellationToken) ?? concern;
        if (changed)
        {
            await timers.CancelAsync(group.Id, ConcernTimers.NudgeId(concern.Number), cancellationToken);
            await NotifyMemberAsync(group, updated, ConcernCards.AcknowledgedToMember(group, updated), cancellationToken);
        }
        return await ClickResultAsync(context, group, updated, changed ? $"Concern #{concern.Number} acknowledged." : null, cancellationToken);
    }

    private async Task<BotReply> ReplyFormAsync(GroupDocument group, ConcernDocument concern, CancellationToken cancellationToken)
    {
        if (!concern.IsOpen) return BotReply.Private($"Concern #{concern.Number} is resolved, so its conversation has closed.");
        if (!ConcernDesk.CanReply(concern)) return BotReply.Private(NoRoute(concern));
        return BotReply.ShowForm(new ReplyForm(ConcernCards.ActionId("reply", group.Id, concern.Number), $"Reply about concern #{concern.Number}",
        [
            new FormField("text", "Your reply", FormFieldKind.LongText, MaxLength: MaxTextLength,
                Placeholder: "The member sees it as a reply from the facilitators, without your name."),
        ], "Send privately"));
    }

    private async Task<BotReply> ResolveAsync(FlowContext context, GroupDocument group, ConcernDocument concern, CancellationToken cancellationToken)
    {
        var changed = false;
        var updated = await desk.UpdateAsync(group.Id, concern.Number, c =>
        {
            changed = c.IsOpen;
            return changed ? c with { Status = ConcernStatus.Resolved, ResolvedAt = context.Now, ResolvedBy = context.Actor.DisplayName } : null;
        }, cancellationToken) ?? concern;
        if (changed)
        {
            await NotifyMemberAsync(group, updated, ConcernCards.ResolvedToMember(group, updated), cancellationToken);
            await record.ConcernResolvedAsync(group, updated, cancellationToken);
            await addresses.DeleteAsync(group.Id, concern.Number, cancellationToken);
            await timers.CancelAsync(group.Id, ConcernTimers.NudgeId(concern.Number), cancellationToken);
            await timers.ScheduleAsync(new TimerDocument(group.Id, ConcernTimers.RetentionId(concern.Number), ConcernTimers.Retention,
                context.Now + Duration.FromDays(Options.RetentionDays), ConcernTimers.Payload(concern.Number)), cancellationToken);
        }
        return await ClickResultAsync(context, group, updated,
            changed ? $"Concern #{concern.Number} resolved. It will be deleted after {Options.RetentionDays} days." : null, cancellationToken);
    }

    /// <summary>
    /// After a triage click: every copy of the card is brought up to date; the message the button was on is replaced
    /// in the platform's response when it is a copy of the card or a private message, else a short private note.
    /// </summary>
    private async Task<BotReply> ClickResultAsync(FlowContext context, GroupDocument group, ConcernDocument concern, string? done, CancellationToken cancellationToken)
    {
        var place = context.Input.Place;
        var source = concern.Card?.Copies.FirstOrDefault(c => c.Platform == place.Platform && c.ChannelId == place.ChannelId && c.MessageId == context.Input.SourceMessageId);
        await desk.RefreshCardAsync(group, concern, source, cancellationToken);
        var card = await desk.CardAsync(group, concern, cancellationToken);
        if (source is not null) return card with { UpdatesSource = true, Visibility = ReplyVisibility.Channel };
        if (place.IsPrivate) return card with { UpdatesSource = true, Visibility = ReplyVisibility.Private };
        return BotReply.Private(done ?? $"Nothing to change: concern #{concern.Number} is already {concern.Status.ToString().ToLowerInvariant()}.");
    }

    // ---- forms ---------------------------------------------------------------------------------------------------

    private async Task<IReadOnlyList<BotReply>> OnFormAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var text = context.Input.Values.GetValueOrDefault("text", "").Trim();
        switch (context.Verb)
        {
            case "raise":
                return await RaiseAsync(context, text, cancellationToken);
            case "reply":
            {
                var (group, concern, refusal) = await TriageTargetAsync(context, cancellationToken);
                return [refusal ?? await SendReplyAsync(context, group!, concern!, text, cancellationToken)];
            }
            case "answer":
            {
                var (group, concern, refusal) = await ReporterTargetAsync(context, cancellationToken);
                return refusal is not null ? [refusal] : await AnswerAsync(context, group!, concern!, text, cancellationToken);
            }
            default:
                return [BotReply.Private("That form has expired. Type `concern` to start again.")];
        }
    }

    private async Task<IReadOnlyList<BotReply>> RaiseAsync(FlowContext context, string text, CancellationToken cancellationToken)
    {
        var group = await MemberGroupAsync(context, context.ActionArgs.FirstOrDefault(), cancellationToken);
        if (group is null) return [NotYourGroup()];
        if (text.Length == 0) return [BotReply.Warn("Your concern was empty, so nothing was sent. Type `concern` to try again.")];
        if (text.Length > MaxTextLength)
            return [BotReply.Warn($"That's {text.Length:N0} characters and I can take up to {MaxTextLength:N0}. Nothing was sent: could you shorten it and type `concern` again?")];
        var category = Categories.FirstOrDefault(c => c == context.Input.Values.GetValueOrDefault("category"));
        var wantsReplies = context.Input.Values.GetValueOrDefault("replies") == "yes";
        var settings = await desk.SettingsAsync(group.Id, cancellationToken);
        var risky = context.SuggestsRisk;

        if (!await limit.TryCountAsync(context.Actor.MemberId, context.Now, cancellationToken))
            return [LimitReached(settings, risky)];

        var concern = await desk.CreateAsync(group.Id, number => new ConcernDocument
        {
            GroupId = group.Id,
            Number = number,
            Text = text,
            Category = category,
            Urgent = risky,
            RepliesAllowed = false,
        }, cancellationToken);

        var repliesSetUp = false;
        if (wantsReplies)
        {
            try
            {
                await addresses.SealAsync(group.Id, concern.Number, context.Actor.MemberId, cancellationToken);
                repliesSetUp = true;
                concern = await desk.UpdateAsync(group.Id, concern.Number, c => c with { RepliesAllowed = true }, cancellationToken) ?? concern;
            }
            catch (OptionsValidationException)
            {
                // No usable key: the concern still goes, with no way back (the member is told below).
            }
        }

        var delay = risky ? Duration.Zero : desk.RandomDelay();
        if (risky)
        {
            await desk.PostAsync(group.Id, concern.Number, cancellationToken);
        }
        else
        {
            await timers.ScheduleAsync(new TimerDocument(group.Id, ConcernTimers.PostId(concern.Number), ConcernTimers.Post,
                context.Now + delay, ConcernTimers.Payload(concern.Number)), cancellationToken);
        }
        await desk.ScheduleNudgeAsync(group.Id, concern.Number, context.Now + delay + desk.NudgePeriod(concern), cancellationToken);
        await timers.ScheduleAsync(new TimerDocument(group.Id, ConcernTimers.LimitsPurgeId, ConcernTimers.LimitsPurge, DailyLimit.NextPurge(context.Now)), cancellationToken);

        var replies = new List<BotReply>();
        var signposting = desk.SignpostingFor(settings);
        if (risky)
            replies.Add(ConcernCards.Signposting(signposting,
                "What you wrote sounds like you may be going through something really hard. You don't have to wait for the group: you can talk to someone now."));

        var confirm = new StringBuilder($"Thank you for telling us. Your concern for **{MarkdownText.Member(group.Name)}** is **#{concern.Number}**. ");
        confirm.Append(risky
            ? "I've passed it to the facilitators straight away and marked it urgent. They won't see your name."
            : $"The facilitators will see it {desk.Options.PostDelayWords()}, without your name or anything that points to you.");
        if (repliesSetUp)
            confirm.Append("\n\nIf they reply, I'll message you privately as \"Reply from the facilitators\", and you can answer without them learning who you are.");
        else if (wantsReplies)
            confirm.Append("\n\nI couldn't set up private replies just now, so this concern has no way back to you. If you'd like a reply, you could raise it again later.");
        else
            confirm.Append("\n\nYou chose no replies, so nothing is kept that links this concern back to you.");

        var opening = settings.Hours?.NextOpening(context.Now, group.Zone);
        if (opening is not null)
        {
            confirm.Append($"\n\nFacilitators read concerns {settings.Hours!.Describe()} ({group.TimeZone} time), so yours will be read from **{opening.Value.ToString("dddd d MMMM 'at' HH:mm", CultureInfo.GetCultureInfo("en-GB"))}**.");
            if (!risky) confirm.Append("\n\nIf you need support before then:\n").Append(signposting);
        }
        replies.Add(new BotReply { Title = $"Concern #{concern.Number} sent anonymously", Text = confirm.ToString(), Tone = ReplyTone.Success, Visibility = ReplyVisibility.Private });
        return replies;
    }

    private async Task<BotReply> SendReplyAsync(FlowContext context, GroupDocument group, ConcernDocument concern, string text, CancellationToken cancellationToken)
    {
        if (!concern.IsOpen) return BotReply.Private($"Concern #{concern.Number} is resolved, so its conversation has closed. Your reply was not sent.");
        if (text.Length == 0) return BotReply.Warn("Your reply was empty, so nothing was sent.");
        if (text.Length > MaxTextLength) return BotReply.Warn($"Replies can be up to {MaxTextLength:N0} characters. Nothing was sent.");
        if (!ConcernDesk.CanReply(concern)) return BotReply.Private(NoRoute(concern) + " Your reply was not sent.");
        // One outcome for the facilitators whatever happens next: delivered now, held for quiet hours, waiting because
        // the platform refused it, or going nowhere because the member erased their data (which must not show).
        var memberId = await addresses.OpenAsync(group.Id, concern.Number, cancellationToken);
        if (memberId is not null)
            await nudges.SendAsync(group.Id, memberId, ConcernCards.ToMember(group, concern, text), NudgeKind.ConcernReply, urgent: concern.Urgent, cancellationToken);

        var wasNew = false;
        var updated = await desk.UpdateAsync(group.Id, concern.Number, c =>
        {
            wasNew = c.Status == ConcernStatus.New;
            return c with
            {
                Thread = [.. c.Thread, new ConcernMessage(ConcernAuthor.Facilitators, text, context.Now)],
                Status = wasNew ? ConcernStatus.Acknowledged : c.Status,
                AcknowledgedAt = wasNew ? context.Now : c.AcknowledgedAt,
                AcknowledgedBy = wasNew ? context.Actor.DisplayName : c.AcknowledgedBy,
            };
        }, cancellationToken) ?? concern;
        if (wasNew) await timers.CancelAsync(group.Id, ConcernTimers.NudgeId(concern.Number), cancellationToken);
        await desk.RefreshCardAsync(group, updated, null, cancellationToken);
        return new BotReply
        {
            Text = $"Your reply is on its way to the member who raised concern #{concern.Number}, privately, as a reply from the facilitators. "
                 + "It reaches them when they are next reachable (outside their quiet hours). They can answer, and neither of you learns who the other is.",
            Tone = ReplyTone.Success,
            Visibility = ReplyVisibility.Private,
        };
    }

    private async Task<IReadOnlyList<BotReply>> AnswerAsync(FlowContext context, GroupDocument group, ConcernDocument concern, string text, CancellationToken cancellationToken)
    {
        if (text.Length == 0) return [BotReply.Warn("Your answer was empty, so nothing was sent.")];
        if (text.Length > MaxTextLength) return [BotReply.Warn($"Answers can be up to {MaxTextLength:N0} characters. Nothing was sent: could you shorten it and press Answer again?")];
        var risky = context.SuggestsRisk;
        var alreadyWaiting = false;
        await desk.UpdateAsync(group.Id, concern.Number, c =>
        {
            alreadyWaiting = c.Thread.Any(m => m.From == ConcernAuthor.Member && m.SharedAt is null);
            return c with { Thread = [.. c.Thread, new ConcernMessage(ConcernAuthor.Member, text)], Urgent = c.Urgent || risky };
        }, cancellationToken);

        if (risky)
            await desk.RelayAsync(group.Id, concern.Number, cancellationToken);
        else if (!alreadyWaiting)
            await timers.ScheduleAsync(new TimerDocument(group.Id, ConcernTimers.RelayId(concern.Number), ConcernTimers.Relay,
                context.Now + desk.RandomDelay(), ConcernTimers.Payload(concern.Number)), cancellationToken);

        var replies = new List<BotReply>();
        if (risky)
        {
            var settings = await desk.SettingsAsync(group.Id, cancellationToken);
            replies.Add(ConcernCards.Signposting(desk.SignpostingFor(settings),
                "What you wrote sounds like you may be going through something really hard. You don't have to wait for the facilitators: you can talk to someone now."));
        }
        replies.Add(new BotReply
        {
            Text = risky
                ? $"Thank you. I've passed your answer about concern #{concern.Number} to the facilitators straight away, still without your name."
                : $"Thank you. Your answer about concern #{concern.Number} will reach the facilitators {desk.Options.PostDelayWords()}, still without your name.",
            Tone = ReplyTone.Success,
            Visibility = ReplyVisibility.Private,
        });
        return replies;
    }

    // ---- facilitator commands ------------------------------------------------------------------------------------

    private async Task<BotReply> ListAsync(FlowContext context, CancellationToken cancellationToken)
    {
        if (context.Group is null) return NeedGroup(context, "concern list");
        if (!context.IsFacilitator) return BotReply.Private("Only facilitators can see the list of concerns. To raise one yourself, type `concern`.");
        var group = context.Group;
        await desk.SweepAsync(group.Id, cancellationToken);
        var open = (await desk.ListAsync(group.Id, cancellationToken)).Where(c => c.IsOpen)
            .OrderByDescending(c => c.Urgent).ThenBy(c => c.Number).ToList();
        if (open.Count == 0)
            return BotReply.Private($"There are no open concerns in **{MarkdownText.Member(group.Name)}** right now.");
        var text = new StringBuilder();
        foreach (var concern in open)
        {
            var status = concern.Status == ConcernStatus.New ? "new" : "acknowledged";
            var about = concern.Category is null ? "" : $" · {concern.Category}";
            var arrived = concern.PostedAt is { } at ? $" · arrived {ConcernCards.When(at, group)}" : "";
            var preview = concern.Text.ReplaceLineEndings(" ");
            if (preview.Length > 80) preview = preview[..80] + "…";
            text.AppendLine($"- **#{concern.Number}** · {status}{(concern.Urgent ? " · **urgent**" : "")}{about}{arrived}: {MarkdownText.Member(preview)}");
        }
        return new BotReply
        {
            Title = $"Open concerns in {group.Name} ({open.Count})",
            Text = text.ToString().TrimEnd(),
            Visibility = ReplyVisibility.Private,
            Buttons = open.Take(5).Select(c => new ReplyButton($"Open #{c.Number}", ConcernCards.ActionId("show", group.Id, c.Number))).ToList(),
        };
    }

    // ---- checks and helpers --------------------------------------------------------------------------------------

    /// <summary>The group <paramref name="groupId"/> if the actor belongs to it (seen in its channel, in it now, or a listed facilitator).</summary>
    private async Task<GroupDocument?> MemberGroupAsync(FlowContext context, string? groupId, CancellationToken cancellationToken)
    {
        if (!IsGroupId(groupId)) return null;
        if (context.Group?.Id == groupId) return context.Group;
        var mine = await directory.GroupsOfMemberAsync(context.Actor.MemberId, cancellationToken);
        var group = mine.FirstOrDefault(g => g.Id == groupId);
        if (group is not null) return group;
        group = await directory.GetGroupAsync(groupId!, cancellationToken);
        return group?.IsListedFacilitator(context.Actor.MemberId) == true ? group : null;
    }

    /// <summary>Resolves "concern:verb:group:number" for a facilitator or safeguarding lead of that group.</summary>
    private async Task<(GroupDocument?, ConcernDocument?, BotReply?)> TriageTargetAsync(FlowContext context, CancellationToken cancellationToken)
    {
        if (!TryTarget(context, out var groupId, out var number)) return (null, null, Expired());
        var group = await directory.GetGroupAsync(groupId, cancellationToken);
        if (group is null) return (null, null, Expired());
        var allowed = await directory.IsFacilitatorAsync(group, context.Actor, context.InGroupChannel && context.Group?.Id == groupId, cancellationToken)
            || (await desk.SettingsAsync(groupId, cancellationToken)).IsLead(context.Actor.MemberId);
        if (!allowed) return (null, null, BotReply.Private("Only the group's facilitators can do that."));
        var concern = await desk.GetAsync(groupId, number, cancellationToken);
        if (concern is null || concern.Status == ConcernStatus.Pending)
            return (null, null, BotReply.Private($"Concern #{number} no longer exists: it may have been deleted at the end of its retention period."));
        return (group, concern, null);
    }

    /// <summary>Resolves "concern:answer:group:number" only for the member whose sealed delivery address it is.</summary>
    private async Task<(GroupDocument?, ConcernDocument?, BotReply?)> ReporterTargetAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var closed = BotReply.Private("This conversation has closed: the concern was resolved or its time ran out. You can raise a new concern any time with `concern`.");
        if (!TryTarget(context, out var groupId, out var number)) return (null, null, closed);
        var group = await directory.GetGroupAsync(groupId, cancellationToken);
        var concern = group is null ? null : await desk.GetAsync(groupId, number, cancellationToken);
        if (group is null || concern is null || !concern.IsOpen) return (null, null, closed);
        var memberId = await addresses.OpenAsync(groupId, number, cancellationToken);
        // A concern raised before the member linked their accounts was sealed to the account that raised it.
        if (memberId is null || (memberId != context.Actor.MemberId && memberId != context.AccountId)) return (null, null, closed);
        return (group, concern, null);
    }

    private async Task NotifyMemberAsync(GroupDocument group, ConcernDocument concern, BotReply message, CancellationToken cancellationToken)
    {
        if (!concern.RepliesAllowed) return;
        var memberId = await addresses.OpenAsync(group.Id, concern.Number, cancellationToken);
        if (memberId is not null) await nudges.SendAsync(group.Id, memberId, message, NudgeKind.ConcernReply, urgent: concern.Urgent, cancellationToken);
    }

    private BotReply LimitReached(ConcernSettings settings, bool risky)
    {
        var text = $"You've raised {Options.MaxPerMemberPerDay} concerns today, which is the most I can pass on from one person in a day. "
                 + "The limit stops the facilitators being flooded; nothing you sent earlier has been lost. You can raise another tomorrow, "
                 + "or speak to a facilitator directly.";
        if (risky) text += "\n\nIf you need support right now:\n" + desk.SignpostingFor(settings);
        return new BotReply { Text = text, Tone = risky ? ReplyTone.Urgent : ReplyTone.Warning, Visibility = ReplyVisibility.Private };
    }

    private static bool TryTarget(FlowContext context, out string groupId, out int number)
    {
        groupId = context.ActionArgs.Count > 0 ? context.ActionArgs[0] : "";
        number = 0;
        return context.ActionArgs.Count == 2 && IsGroupId(groupId)
            && int.TryParse(context.ActionArgs[1], NumberStyles.None, CultureInfo.InvariantCulture, out number) && number > 0;
    }

    private static bool IsGroupId(string? groupId)
        => groupId is { Length: > 0 and <= 40 } && groupId.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c));

    private static string NoRoute(ConcernDocument concern) => concern.ReplyRouteExpired
        ? $"The way back to the member who raised concern #{concern.Number} was deleted at the end of the retention period, so replies aren't possible."
        : $"The member who raised concern #{concern.Number} chose no replies, so there is no way to reach them, by design.";

    private static BotReply NotLinked() => BotReply.Private("This channel isn't linked to a group yet. A facilitator can run `setup` here to start one.");

    private static BotReply NotYourGroup() => BotReply.Warn("I couldn't match that to one of your groups, so nothing was sent. Type `concern` to start again.");

    private static BotReply Expired() => BotReply.Private("That button has expired. Type `concern list` to see open concerns.");

    internal static BotReply NeedGroup(FlowContext context, string command) => BotReply.Private(context.Input.Place.IsPrivate
        ? $"I can't tell which group you mean here. Run `{command}` in your group's channel (or its concerns channel) instead."
        : "This channel isn't linked to a group yet. A facilitator can run `setup` here to start one.");
}
