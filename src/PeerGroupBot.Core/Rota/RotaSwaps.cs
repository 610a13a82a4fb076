using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Members;
using PeerGroupBot.Core.Outbound;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Core.Rota;

/// <summary>
/// <c>rota swap</c>: a member asks a named member to take over their slot. The request goes privately (or to the
/// group's channel when the member can't be messaged privately); only the named member can accept or decline, and
/// the slot stays with the asker until they accept. The request and the answer are private messages through
/// <see cref="INudges"/> (kind Reply: always delivered, but they wait for the member's quiet hours to end); the asker is
/// not told whether the request is waiting, so nobody learns another member's quiet hours.
/// </summary>
public sealed class RotaSwaps(Documents documents, GroupDirectory directory, IOutbound outbound, INudges nudges, ILogger<RotaSwaps> logger)
{
    public async Task<BotReply> RequestAsync(FlowContext context, string sessionReference, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        var me = context.Actor;
        var mentions = context.Input.Mentions.DistinctBy(m => m.MemberId).ToList();
        if (mentions.Count == 0 && context.UnknownMention() is { } unknown)
            return BotReply.Warn(FlowContext.UnknownMemberText(unknown));
        if (mentions.Count != 1)
            return BotReply.Warn("Name the one member you'd like to ask, e.g. `rota swap 2 @Sam` (2 is the session's number in `rota show`).");
        var target = mentions[0];
        if (target.MemberId == me.MemberId)
            return BotReply.Warn("That's you! Name the member you'd like to take your slot.");
        var roster = await directory.ListMembersAsync(group.Id, cancellationToken).ConfigureAwait(false);
        if (roster.All(m => m.MemberId != target.MemberId))
            return BotReply.Warn($"{target.DisplayName} isn't a member of this group as far as I know, so I can't ask them. "
                + "Members join by saying something in the group's channel (for example `help`).");

        var rota = await documents.GetValueAsync<RotaDocument>(RotaDocument.KeyFor(group.Id), cancellationToken).ConfigureAwait(false) ?? new RotaDocument();
        var upcoming = rota.Upcoming(context.Now, group.Zone).ToList();
        var mine = upcoming.Where(e => e.SlotOf(me.MemberId) is not null).ToList();
        if (mine.Count == 0)
            return BotReply.Warn("You don't have a slot on the upcoming rota, so there's nothing to swap. Type `rota show` to see it.");

        RotaEntry? entry;
        if (sessionReference.Length > 0)
        {
            entry = RotaDates.FindSession(upcoming, sessionReference);
            if (entry is null)
                return BotReply.Warn($"I can't find an upcoming session \"{Shorten(sessionReference)}\". Use its number from `rota show`, or its date like `2026-12-03`.");
            if (entry.SlotOf(me.MemberId) is null)
                return BotReply.Warn($"That slot isn't yours: you don't have a role on {entry.Session.LabelIn(group.Zone)}. {YourSlots(upcoming, me.MemberId, group.Zone)}");
        }
        else if (mine.Count == 1) entry = mine[0];
        else return BotReply.Warn($"You have slots on more than one date, so say which: `rota swap <number> @{target.DisplayName}`. {YourSlots(upcoming, me.MemberId, group.Zone)}");

        var slot = entry.SlotOf(me.MemberId)!;
        if (rota.SteppedBack.Contains(target.MemberId))
            return BotReply.Warn($"{target.DisplayName} isn't taking rota turns at the moment. Could you ask someone else?");
        if (entry.SlotOf(target.MemberId) is { } theirs)
            return BotReply.Warn($"{target.DisplayName} is already the {theirs.Role} on {entry.Session.LabelIn(group.Zone)}, so they can't take your slot too.");

        var swap = new SwapRequest("sw" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5)), entry.Session.Id, slot.Role, me.MemberId, target.MemberId, context.Now);
        var stillMine = false;
        await documents.UpdateAsync<RotaDocument>(RotaDocument.KeyFor(group.Id), current =>
        {
            stillMine = current?.Find(swap.SessionId)?.SlotOf(me.MemberId)?.Role == swap.Role;
            if (!stillMine) return null;
            current!.Swaps.RemoveAll(s => s.SessionId == swap.SessionId && s.Role == swap.Role);
            current.Swaps.Add(swap);
            current.Names[me.MemberId] = me.DisplayName;
            current.Names[target.MemberId] = target.DisplayName;
            return current;
        }, cancellationToken).ConfigureAwait(false);
        if (!stillMine) return BotReply.Warn("Your slot changed a moment ago. Type `rota show` to see the rota as it is now.");

        var ask = new BotReply
        {
            Title = "Could you take a rota slot?",
            Text = $"{MarkdownText.Member(me.DisplayName)} asks if you could take their **{swap.Role}** slot at **{MarkdownText.Member(group.Name)}** on **{entry.Session.LabelIn(group.Zone)}**. It's completely fine to say no.",
            Buttons =
            [
                new ReplyButton("I'll take it", FlowContext.ActionId("rota", "swapyes", swap.Id), ButtonStyle.Success),
                new ReplyButton("Not this time", FlowContext.ActionId("rota", "swapno", swap.Id)),
            ],
        };
        var asked = await nudges.SendAsync(group.Id, target.MemberId, ask, NudgeKind.Reply, urgent: false, cancellationToken).ConfigureAwait(false);
        if (asked.Outcome != NudgeOutcome.Unreachable)
        {
            logger.LogInformation("Swap request {SwapId} sent privately in group {GroupId}.", swap.Id, group.Id);
            return new BotReply { Text = $"I've asked {target.DisplayName} privately. The slot stays yours until they accept; I'll let you know their answer.", Tone = ReplyTone.Success, Visibility = ReplyVisibility.Private };
        }
        await outbound.PostToGroupAsync(group, ask with { Title = $"{target.DisplayName}, could you take a rota slot?" }, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Swap request {SwapId} posted to group {GroupId}: no private route.", swap.Id, group.Id);
        return new BotReply
        {
            Text = $"I couldn't message {target.DisplayName} privately, so I've asked them in the group's channel. The slot stays yours until they accept.",
            Visibility = ReplyVisibility.Private,
        };
    }

    /// <summary>The named member's answer ("swapyes"/"swapno" with the request id).</summary>
    public async Task<BotReply> AnswerAsync(FlowContext context, bool accept, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        var me = context.Actor;
        var swapId = context.ActionArgs.Count > 0 ? context.ActionArgs[0] : "";
        var rota = await documents.GetValueAsync<RotaDocument>(RotaDocument.KeyFor(group.Id), cancellationToken).ConfigureAwait(false);
        var swap = rota?.Swaps.FirstOrDefault(s => s.Id == swapId);
        if (rota is null || swap is null)
            return Answered("This request has already been answered or withdrawn, so there's nothing more to do.");
        if (swap.ToMemberId != me.MemberId)
            return BotReply.Private($"This request is for {MarkdownText.Member(rota.NameOf(swap.ToMemberId))}, so only they can answer it.");

        var fromName = rota.NameOf(swap.FromMemberId);
        string? problem = null;
        RotaEntry? entry = null;
        await documents.UpdateAsync<RotaDocument>(RotaDocument.KeyFor(group.Id), current =>
        {
            problem = null;
            var live = current?.Swaps.FirstOrDefault(s => s.Id == swapId);
            entry = current?.Find(swap.SessionId);
            if (current is null || live is null || entry is null) { problem = "This request has already been answered or withdrawn."; return null; }
            current.Swaps.Remove(live);
            if (!accept) return current;
            var index = entry.Slots.FindIndex(s => s.Role == swap.Role && s.MemberId == swap.FromMemberId);
            if (!entry.Session.IsUpcoming(context.Now, group.Zone)) problem = "That session has already started, so the rota for it can't change now.";
            else if (index < 0) problem = $"{MarkdownText.Member(fromName)}'s slot changed in the meantime, so there's nothing to take over. Thank you for being willing!";
            else if (entry.SlotOf(me.MemberId) is { } mine) problem = $"You're already the {mine.Role} that session, so you can't take this slot too.";
            else if (current.SteppedBack.Contains(me.MemberId)) problem = "You've stepped back from the rota. Type `rota return` first if you'd like to take this slot.";
            if (problem is null)
            {
                entry.Slots[index] = new RotaSlot(swap.Role, me.MemberId, $"took over from {fromName}, who asked");
                current.Names[me.MemberId] = me.DisplayName;
            }
            return current;
        }, cancellationToken).ConfigureAwait(false);
        if (problem is not null) return Answered(problem);

        var label = entry!.Session.LabelIn(group.Zone);
        if (!accept)
        {
            await nudges.SendAsync(group.Id, swap.FromMemberId, BotReply.Private(
                $"{MarkdownText.Member(me.DisplayName)} can't take your **{swap.Role}** slot on **{label}** this time, and that's fine. The slot is still yours: "
                + "you could ask someone else with `rota swap`, or use `rota stepback` if you need a break."), NudgeKind.Reply, urgent: false, cancellationToken).ConfigureAwait(false);
            return Answered($"That's fine, I've let {MarkdownText.Member(fromName)} know. Nothing else to do.");
        }

        await outbound.PostToGroupAsync(group, new BotReply { Text = $"**{MarkdownText.Member(me.DisplayName)}** is now the {swap.Role} on {label}, taking over from {MarkdownText.Member(fromName)}.", Title = "Rota update" }, cancellationToken).ConfigureAwait(false);
        await nudges.SendAsync(group.Id, swap.FromMemberId, BotReply.Private(
            $"{MarkdownText.Member(me.DisplayName)} has taken your **{swap.Role}** slot on **{label}**, so you're free that session."), NudgeKind.Reply, urgent: false, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Swap request {SwapId} accepted in group {GroupId}.", swap.Id, group.Id);
        return Answered($"Thank you! You're now the **{swap.Role}** on **{label}**.", ReplyTone.Success);
    }

    private static BotReply Answered(string text, ReplyTone tone = ReplyTone.Info)
        => new() { Text = text, Tone = tone, Visibility = ReplyVisibility.Private, UpdatesSource = true };

    private static string YourSlots(List<RotaEntry> upcoming, string memberId, DateTimeZone zone)
    {
        var lines = upcoming.Select((e, i) => (e, i)).Where(x => x.e.SlotOf(memberId) is not null)
            .Select(x => $"{x.i + 1}. {x.e.Session.LabelIn(zone)} ({x.e.SlotOf(memberId)!.Role})");
        return "Your slots: " + string.Join("; ", lines) + ".";
    }

    private static string Shorten(string text) => text.Length > 30 ? text[..30] + "…" : text;
}
