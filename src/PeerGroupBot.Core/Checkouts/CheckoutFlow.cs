using System.Globalization;
using PeerGroupBot.Core.Concerns;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;

namespace PeerGroupBot.Core.Checkouts;

/// <summary>
/// A member's anonymous check-out after a session: the button (in their private invitation or the group channel) opens
/// the form, and sending it adds their scores to the session's counts once. Everything here is private; the member's id
/// is used only in memory, to make this check-out's keyed hash and to check they belong to the group. A line that
/// suggests risk never reaches this flow as it was sent: the router's safety check holds it and gives the crisis
/// contacts at once, with the choice of sending the check-out as written, raising a concern instead, or dropping it
/// (nobody reads a check-out until it closes, and nobody can reply to it). Facilitators' commands (<c>record checkout …</c>) are in
/// <see cref="CheckoutSettingsCommands"/>.
/// </summary>
public sealed class CheckoutFlow(
    CheckoutBoxes boxes,
    CheckoutOpener opener,
    GroupDirectory directory) : IFlow
{
    public string Name => "checkout";

    public bool RequiresGroup => false;

    /// <summary>Check-outs arrive as a private message after each session; <c>checkout</c> opens the latest one too (facilitators: <c>record checkout</c>).</summary>
    public IReadOnlyList<HelpEntry> Help { get; } =
    [
        new("checkout", "answer the anonymous check-out of the session that has just ended (it also comes to you privately)"),
    ];

    public async Task<IReadOnlyList<BotReply>> HandleAsync(FlowContext context, CancellationToken cancellationToken)
    {
        if (context.Input.Kind == InputKind.Message)
            return [await OpenLatestAsync(context, cancellationToken)];
        if (context.ActionArgs.Count != 2 || !CheckoutBoxes.IsOccurrenceKey(context.ActionArgs[1]))
            return [Expired()];
        var group = await MemberGroupAsync(context, context.ActionArgs[0], cancellationToken);
        if (group is null) return [BotReply.Warn("I couldn't match that check-out to one of your groups, so nothing was kept.")];
        var key = context.ActionArgs[1];
        return (context.Input.Kind, context.Verb) switch
        {
            (InputKind.Action, "open") => [await FormAsync(context, group, key, cancellationToken)],
            (InputKind.Form, "answer") => await AnswerAsync(context, group, key, cancellationToken),
            _ => [Expired()],
        };
    }

    /// <summary>Typed <c>checkout</c>: the form of the group's most recent open check-out, if the member has not answered it.</summary>
    private async Task<BotReply> OpenLatestAsync(FlowContext context, CancellationToken cancellationToken)
    {
        if (context.Group is not { } group)
            return BotReply.Private("Check-outs come as a private message after each session, with a button to answer. Use the button there, or type `checkout` in your group's channel.");
        var open = (await boxes.ListAsync(group.Id, cancellationToken)).LastOrDefault(b => !b.Closed && b.ClosesAt > context.Now);
        if (open is null)
            return BotReply.Private("There's no check-out open right now. One opens privately after each session" + (context.IsFacilitator ? " (`session end` opens it at once)." : "."));
        return await FormAsync(context, group, Sessions.OccurrenceIds.ToKey(open.SessionId), cancellationToken);
    }

    private async Task<BotReply> FormAsync(FlowContext context, GroupDocument group, string key, CancellationToken cancellationToken)
    {
        var box = await boxes.GetAsync(group.Id, key, cancellationToken);
        if (box is null) return Expired();
        if (box.Closed || context.Now >= box.ClosesAt) return ClosedReply(box, group);
        if (await boxes.HasAnsweredAsync(group.Id, key, context.Actor.MemberId, cancellationToken)) return AlreadyReply(box, group);
        return CheckoutCards.Form(group, box, key);
    }

    private async Task<IReadOnlyList<BotReply>> AnswerAsync(FlowContext context, GroupDocument group, string key, CancellationToken cancellationToken)
    {
        var box = await boxes.GetAsync(group.Id, key, cancellationToken);
        if (box is null) return [Expired()];
        var scores = new List<int?>();
        for (var i = 0; i < box.Questions.Count; i++)
        {
            var value = context.Input.Values.GetValueOrDefault(CheckoutCards.QuestionField(i), "").Trim();
            if (value.Length == 0) { scores.Add(null); continue; }
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var score) || score is < 1 or > 5)
                return [BotReply.Warn("I couldn't read one of those answers (each is a number from 1 to 5). Nothing was kept: please press the check-out button again.")];
            scores.Add(score);
        }
        var comment = context.Input.Values.GetValueOrDefault(CheckoutCards.CommentField, "").Trim();
        if (comment.Length > CheckoutQuestions.MaxCommentLength)
            return [BotReply.Warn($"The line at the end can be up to {CheckoutQuestions.MaxCommentLength} characters, and yours has {comment.Length:N0}. Nothing was kept: please press the check-out button again and shorten it.")];
        if (scores.All(s => s is null) && comment.Length == 0)
            return [BotReply.Private("You left everything blank, so nothing was sent. That's fine: the check-out is optional. You can still answer with the button until it closes.")];

        var outcome = await boxes.AnswerAsync(group.Id, key, context.Actor.MemberId, new CheckoutAnswer(scores, comment.Length == 0 ? null : comment), context.Now, cancellationToken);
        return
        [
            outcome switch
            {
                CheckoutAnswerOutcome.Counted => CheckoutCards.Thanks(group, box, opener.MinAnswers(group)),
                CheckoutAnswerOutcome.AlreadyAnswered => AlreadyReply(box, group),
                CheckoutAnswerOutcome.Closed => ClosedReply(box, group),
                _ => Expired(),
            },
        ];
    }

    /// <summary>The group <paramref name="groupId"/> if the actor belongs to it (seen in its channel, or a listed facilitator).</summary>
    private async Task<GroupDocument?> MemberGroupAsync(FlowContext context, string groupId, CancellationToken cancellationToken)
    {
        if (context.Group?.Id == groupId) return context.Group;
        var mine = await directory.GroupsOfMemberAsync(context.Actor.MemberId, cancellationToken);
        var group = mine.FirstOrDefault(g => g.Id == groupId);
        if (group is not null) return group;
        if (groupId.Length is 0 or > 40 || !groupId.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))) return null;
        group = await directory.GetGroupAsync(groupId, cancellationToken);
        return group?.IsListedFacilitator(context.Actor.MemberId) == true ? group : null;
    }

    private static BotReply AlreadyReply(CheckoutBox box, GroupDocument group)
        => BotReply.Private($"You've already checked out for {CheckoutOpener.Name(box, group)}. Thank you! Nothing links your answer to you, so it can't be changed.");

    private static BotReply ClosedReply(CheckoutBox box, GroupDocument group)
        => BotReply.Private($"The check-out for {CheckoutOpener.Name(box, group)} has closed, so nothing was kept. There'll be another after the next session.");

    private static BotReply Expired()
        => BotReply.Private("That check-out has finished. There'll be another after the next session.");
}
