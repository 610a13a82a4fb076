using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Members;
using PeerGroupBot.Core.Outbound;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Core.Rota;

/// <summary>
/// Changes to who holds upcoming slots: a member stepping back (their slots are passed on fairly and the group is
/// told only that the slots moved), returning, and a facilitator setting any slot by hand. Private notices go through
/// <see cref="INudges"/>, so they wait for the member's quiet hours and respect their nudge setting.
/// </summary>
public sealed class RotaChanges(Documents documents, GroupDirectory directory, IOutbound outbound, INudges nudges, IOptions<RotaOptions> options, ILogger<RotaChanges> logger)
{
    public async Task<BotReply> StepBackAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        var me = context.Actor.MemberId;
        var settings = await documents.GetValueAsync<RotaSettings>(RotaSettings.KeyFor(group.Id), cancellationToken).ConfigureAwait(false) ?? new RotaSettings();
        var already = false;
        IReadOnlyList<SlotDecision> moved = [];
        List<SwapRequest> unanswered = [];
        var rota = await documents.UpdateAsync<RotaDocument>(RotaDocument.KeyFor(group.Id), current =>
        {
            var doc = current ?? new RotaDocument();
            already = doc.SteppedBack.Contains(me);
            if (already) return null;
            doc.SteppedBack.Add(me);
            unanswered = doc.Swaps.Where(s => s.ToMemberId == me).ToList();
            doc.Swaps.RemoveAll(s => s.FromMemberId == me || s.ToMemberId == me);
            var open = doc.Upcoming(context.Now, group.Zone)
                .SelectMany(e => e.Slots.Where(s => s.MemberId == me).Select(s => (e.Session.Id, s.Role)))
                .ToHashSet();
            moved = RotaPlanning.Fill(doc, open, options.Value.RecentWindowSessions, settings.Cap);
            return doc;
        }, cancellationToken).ConfigureAwait(false);
        if (already)
            return BotReply.Private("You've already stepped back, so you won't be given any slots. Type `rota return` whenever you'd like to come back.");

        foreach (var swap in unanswered)
        {
            await nudges.SendAsync(group.Id, swap.FromMemberId, BotReply.Private(
                $"{context.Actor.DisplayName} can't take your **{swap.Role}** slot this time. The slot is still yours: you could ask someone else with `rota swap`."),
                NudgeKind.Reply, urgent: false, cancellationToken).ConfigureAwait(false);
        }
        await AnnounceMovesAsync(group, rota!, moved, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("A member stepped back in group {GroupId}; {Count} slots passed on.", group.Id, moved.Count);

        var passedOn = moved.Count(d => d.IsFilled);
        var open = moved.Count - passedOn;
        var slots = moved.Count == 0 ? "You didn't have any upcoming slots, so nothing needed to move."
            : open == 0 ? $"Your {RotaText.Count(moved.Count, "upcoming slot has", "upcoming slots have")} been passed on to members who said they could take {(moved.Count == 1 ? "it" : "them")}."
            : passedOn == 0 ? $"Nobody else had said they could take your {RotaText.Count(moved.Count, "upcoming slot", "upcoming slots")}, so {(open == 1 ? "it is" : "they are")} open now and I've asked the group who can take {(open == 1 ? "it" : "them")}."
            : $"{RotaText.Count(passedOn, "of your upcoming slots has", "of your upcoming slots have")} been passed on; nobody else had said they could take the other {open}, so I've asked the group who can.";
        if (moved.Count > 0) slots += " Your name wasn't mentioned, and nobody was told why.";
        return new BotReply
        {
            Text = $"You've stepped back from the rota. No reason needed. {slots} Take care of yourself, and type `rota return` whenever you'd like to take turns again.",
            Visibility = ReplyVisibility.Private,
        };
    }

    public async Task<BotReply> ReturnAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        var me = context.Actor.MemberId;
        var wasAway = false;
        await documents.UpdateAsync<RotaDocument>(RotaDocument.KeyFor(group.Id), current =>
        {
            wasAway = current?.SteppedBack.Contains(me) == true;
            if (!wasAway) return null;
            current!.SteppedBack.Remove(me);
            return current;
        }, cancellationToken).ConfigureAwait(false);
        if (!wasAway)
            return BotReply.Private("You're not stepped back, so you're already included in the rota. Type `rota show` to see it.");
        var poll = await documents.GetValueAsync<RotaPoll>(RotaPoll.KeyFor(group.Id), cancellationToken).ConfigureAwait(false);
        var next = poll is { IsOpen: true }
            ? $" There's a rota poll open until {RotaText.When(poll.Deadline, group.Zone)}: tap **Mark my availability** on it to say what you could take."
            : " You'll be included from the next rota poll.";
        return new BotReply { Text = "Welcome back! You can be given rota slots again." + next, Tone = ReplyTone.Success, Visibility = ReplyVisibility.Private };
    }

    /// <summary>A facilitator puts <paramref name="member"/> (or nobody, when null) in a slot, whatever the poll said.</summary>
    public async Task<BotReply> SetAsync(FlowContext context, RotaEntry entry, string role, Mention? member, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        if (member is not null)
        {
            var roster = await directory.ListMembersAsync(group.Id, cancellationToken).ConfigureAwait(false);
            if (roster.All(m => m.MemberId != member.MemberId))
                return BotReply.Warn($"{member.DisplayName} isn't a member of this group as far as I know. Members join by saying something in the group's channel (for example `help`).");
        }

        string? problem = null;
        string? previous = null;
        await documents.UpdateAsync<RotaDocument>(RotaDocument.KeyFor(group.Id), current =>
        {
            problem = null;
            previous = null;
            var live = current?.Find(entry.Session.Id);
            var index = live?.Slots.FindIndex(s => s.Role == role) ?? -1;
            if (current is null || live is null || index < 0 || !live.Session.IsUpcoming(context.Now, group.Zone))
            {
                problem = "That session is no longer on the upcoming rota. Type `rota show` to see it as it is now.";
                return null;
            }
            previous = live.Slots[index].MemberId;
            if (member is not null)
            {
                if (previous == member.MemberId) { problem = $"{member.DisplayName} is already the {role} on {live.Session.LabelIn(group.Zone)}."; return null; }
                if (live.SlotOf(member.MemberId) is { } other) { problem = $"{member.DisplayName} is already the {other.Role} on {live.Session.LabelIn(group.Zone)}. Free that slot first."; return null; }
                if (current.SteppedBack.Contains(member.MemberId)) { problem = $"{member.DisplayName} has paused their rota turns, so I haven't given them a slot."; return null; }
                current.Names[member.MemberId] = member.DisplayName;
            }
            else if (previous is null) { problem = $"The {role} slot on {live.Session.LabelIn(group.Zone)} is already empty."; return null; }
            live.Slots[index] = new RotaSlot(role, member?.MemberId, member is null ? "left empty by a facilitator" : "chosen by a facilitator");
            current.Swaps.RemoveAll(s => s.SessionId == live.Session.Id && s.Role == role);
            return current;
        }, cancellationToken).ConfigureAwait(false);
        if (problem is not null) return BotReply.Warn(problem);

        var label = entry.Session.LabelIn(group.Zone);
        var facilitator = MarkdownText.Member(context.Actor.DisplayName); // shown in replies only
        var news = member is null
            ? $"The {role} slot on {label} is open for now: a facilitator will fill it."
            : $"**{MarkdownText.Member(member.DisplayName)}** is now the {role} on {label}.";
        await outbound.PostToGroupAsync(group, new BotReply { Title = "Rota update", Text = news }, cancellationToken).ConfigureAwait(false);
        if (member is not null && member.MemberId != context.Actor.MemberId) // a facilitator who took a slot needs no note from themselves
        {
            await nudges.SendAsync(group.Id, member.MemberId, BotReply.Private(
                $"{facilitator} has put you down as the **{role}** at **{MarkdownText.Member(group.Name)}** on **{label}**. If that doesn't suit you, "
                + "`rota swap` asks someone else to take it, and `rota stepback` pauses your turns."), NudgeKind.RotaReminder, urgent: false, cancellationToken).ConfigureAwait(false);
        }
        if (previous is not null)
        {
            await nudges.SendAsync(group.Id, previous, BotReply.Private(
                $"You're no longer the **{role}** at **{MarkdownText.Member(group.Name)}** on **{label}**: {facilitator} changed the rota."), NudgeKind.RotaReminder, urgent: false, cancellationToken).ConfigureAwait(false);
        }
        var done = member is null ? $"The {role} slot on {label} is now empty." : news;
        return new BotReply { Text = "Done. " + done, Tone = ReplyTone.Success, Visibility = ReplyVisibility.Private };
    }

    /// <summary>
    /// A member taps "I can be …" under an open slot: they take it if it is still open, they hold no other role that
    /// session and they haven't stepped back. The group is told who took it.
    /// </summary>
    public async Task<BotReply> TakeOpenAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        var me = context.Actor;
        var sessionKey = context.ActionArgs.Count > 0 ? context.ActionArgs[0] : "";
        var slotIndex = context.ActionArgs.Count > 1 && int.TryParse(context.ActionArgs[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : -1;
        string? problem = null;
        RotaEntry? taken = null;
        string role = "";
        await documents.UpdateAsync<RotaDocument>(RotaDocument.KeyFor(group.Id), current =>
        {
            (problem, taken) = (null, null);
            var entry = current?.Sessions.FirstOrDefault(e => SessionKey(e) == sessionKey);
            if (current is null || entry is null || slotIndex < 0 || slotIndex >= entry.Slots.Count || !entry.Session.IsUpcoming(context.Now, group.Zone))
            {
                problem = "That session is no longer on the upcoming rota. Type `rota show` to see it as it is now.";
                return null;
            }
            role = entry.Slots[slotIndex].Role;
            if (entry.Slots[slotIndex].MemberId is { } holder)
                problem = holder == me.MemberId ? $"You're already the {role} on {entry.Session.LabelIn(group.Zone)}." : $"Someone has already taken the {role} slot on {entry.Session.LabelIn(group.Zone)}. Thank you for offering!";
            else if (entry.SlotOf(me.MemberId) is { } mine) problem = $"You're already the {mine.Role} on {entry.Session.LabelIn(group.Zone)}, so you can't take this slot too.";
            else if (current.SteppedBack.Contains(me.MemberId)) problem = "You've stepped back from the rota. Type `rota return` first if you'd like to take this slot.";
            if (problem is not null) return null;
            entry.Slots[slotIndex] = new RotaSlot(role, me.MemberId, "offered when the slot was open");
            current.Names[me.MemberId] = me.DisplayName;
            taken = entry;
            return current;
        }, cancellationToken).ConfigureAwait(false);
        if (problem is not null) return BotReply.Private(problem);

        var label = taken!.Session.LabelIn(group.Zone);
        await outbound.PostToGroupAsync(group, new BotReply { Title = "Rota update", Text = $"**{MarkdownText.Member(me.DisplayName)}** is now the {role} on {label}. Thank you!" }, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("An open rota slot was taken in group {GroupId}.", group.Id);
        return new BotReply { Text = $"Thank you! You're now the **{role}** on **{label}**.", Tone = ReplyTone.Success, Visibility = ReplyVisibility.Private };
    }

    /// <summary>The button under an open slot; session ids hold ':' (the action id separator), so it is left out.</summary>
    internal static string TakeActionId(RotaEntry entry, string role)
        => FlowContext.ActionId("rota", "take", SessionKey(entry), entry.Slots.FindIndex(s => s.Role == role).ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static string SessionKey(RotaEntry entry) => entry.Session.Id.Replace(":", "", StringComparison.Ordinal);

    /// <summary>Tells the group which slots changed hands, never who left them or why, and tells each new holder privately.</summary>
    private async Task AnnounceMovesAsync(GroupDocument group, RotaDocument rota, IReadOnlyList<SlotDecision> moved, CancellationToken cancellationToken)
    {
        if (moved.Count == 0) return;
        var text = new StringBuilder(moved.Count == 1 ? "A rota slot has moved:\n" : "Some rota slots have moved:\n");
        var buttons = new List<ReplyButton>();
        foreach (var decision in moved)
        {
            var entry = rota.Find(decision.SessionId);
            var label = entry?.Session.LabelIn(group.Zone) ?? decision.SessionId;
            text.AppendLine(decision.MemberId is null
                ? $"- {decision.Role}, {label}: open — could you take it?"
                : $"- {decision.Role}, {label}: now **{MarkdownText.Member(rota.NameOf(decision.MemberId))}**");
            if (decision.MemberId is null && entry is not null && buttons.Count < 10)
                buttons.Add(new ReplyButton($"I can be {decision.Role}, {label}", TakeActionId(entry, decision.Role), ButtonStyle.Primary));
        }
        if (buttons.Count > 0) text.AppendLine().Append("If you can take an open slot, tap its button; a facilitator can also fill it with `rota set <number> <role> @member`.");
        await outbound.PostToGroupAsync(group, new BotReply { Title = "Rota update", Text = text.ToString().TrimEnd(), Buttons = buttons }, cancellationToken).ConfigureAwait(false);
        foreach (var decision in moved.Where(d => d.IsFilled))
        {
            var label = rota.Find(decision.SessionId)?.Session.LabelIn(group.Zone) ?? decision.SessionId;
            await nudges.SendAsync(group.Id, decision.MemberId!, BotReply.Private(
                $"A rota slot was passed on to you: you're now the **{decision.Role}** at **{MarkdownText.Member(group.Name)}** on **{label}** (you said you could take it). "
                + "If that no longer suits you, `rota swap` asks someone else, and `rota stepback` pauses your turns."), NudgeKind.RotaReminder, urgent: false, cancellationToken).ConfigureAwait(false);
        }
    }
}
