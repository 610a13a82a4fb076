using System.Globalization;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;

namespace PeerGroupBot.Core.Checkouts;

/// <summary>What members see of a check-out: the invitations, the form and the answers to sending it.</summary>
public static class CheckoutCards
{
    public static string OpenActionId(string groupId, string key) => FlowContext.ActionId("checkout", "open", groupId, key);

    public static string AnswerActionId(string groupId, string key) => FlowContext.ActionId("checkout", "answer", groupId, key);

    private static string HowAnonymous(int k)
        => $"It's anonymous: your answers only add to the group's totals, nothing stores them with your name, and totals are shown only once at least {k} members have answered.";

    /// <summary>Posted in the group's channel when the session ends, for anyone who came.</summary>
    public static BotReply ChannelInvite(GroupDocument group, CheckoutBox box, int k) => new()
    {
        Title = $"{group.Name}: how did the session go?",
        Text = $"The session on {CheckoutOpener.Name(box, group)} has ended. If you were there, you can check out anonymously: {box.Questions.Count} quick "
             + $"{(box.Questions.Count == 1 ? "question" : "questions")} on a 1-5 scale and an optional line, answered privately. "
             + HowAnonymous(k) + $"\n\nOpen until {CheckoutOpener.When(box.ClosesAt, group)}.",
        Buttons = [new ReplyButton("Check out privately", OpenActionId(group.Id, Sessions.OccurrenceIds.ToKey(box.SessionId)), ButtonStyle.Primary)],
    };

    /// <summary>Sent privately to each member who said Going or held a rota role.</summary>
    public static BotReply PrivateInvite(GroupDocument group, CheckoutBox box, string key, int k) => new()
    {
        Title = $"Check-out: {group.Name}",
        Text = $"Thank you for being part of the session on {CheckoutOpener.Name(box, group)}. How did it go for you? It's optional: "
             + $"{box.Questions.Count} quick {(box.Questions.Count == 1 ? "question" : "questions")} on a 1-5 scale and a line if you like. "
             + HowAnonymous(k) + $"\n\nOpen until {CheckoutOpener.When(box.ClosesAt, group)}. `me nudges off` stops these messages.",
        Visibility = ReplyVisibility.Private,
        Buttons = [OpenButton(group.Id, key)],
    };

    public static ReplyButton OpenButton(string groupId, string key) => new("Check out anonymously", OpenActionId(groupId, key), ButtonStyle.Primary);

    /// <summary>The check-out form: one 1–5 choice per question (each may be skipped) and an optional line (at most 5 fields, a Discord modal's limit).</summary>
    public static BotReply Form(GroupDocument group, CheckoutBox box, string key)
    {
        var title = $"Check-out: {group.Name}";
        if (title.Length > 45) title = "Anonymous check-out";
        var scale = CheckoutQuestions.Scale.Select(s => new SelectOption(s.Label, s.Score.ToString(CultureInfo.InvariantCulture))).ToList();
        var fields = box.Questions.Select((q, i) => new FormField(QuestionField(i), q, FormFieldKind.Choice, Required: false, Choices: scale)).ToList();
        fields.Add(new FormField(CommentField, "Anything else? (optional)", FormFieldKind.LongText, Required: false, MaxLength: CheckoutQuestions.MaxCommentLength,
            Placeholder: "Facilitators see this after the check-out closes, mixed with others, never with your name or a time."));
        return BotReply.ShowForm(new ReplyForm(AnswerActionId(group.Id, key), title, fields, "Send anonymously"));
    }

    public const string CommentField = "comment";

    public static string QuestionField(int index) => "q" + (index + 1).ToString(CultureInfo.InvariantCulture);

    public static BotReply Thanks(GroupDocument group, CheckoutBox box, int k) => new()
    {
        Title = "Check-out sent anonymously",
        Text = $"Thank you. Your check-out for {CheckoutOpener.Name(box, group)} has been added to the totals for **{MarkdownText.Member(group.Name)}**. Nothing links it to you, "
             + $"so it can't be changed now. Totals appear on the group's record (`record`) once the check-out closes, if at least {k} members answered.",
        Tone = ReplyTone.Success,
        Visibility = ReplyVisibility.Private,
    };
}
