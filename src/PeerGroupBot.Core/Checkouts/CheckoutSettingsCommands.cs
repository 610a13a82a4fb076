using System.Text;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Sessions;

namespace PeerGroupBot.Core.Checkouts;

/// <summary>
/// <c>record checkout …</c> for facilitators: see and change the group's check-out (on or off, its questions) and read
/// the free-text lines of closed check-outs. Lines are shown only after a check-out closes, only where at least k
/// members answered, shuffled afresh each time, with no time and no author.
/// </summary>
public sealed class CheckoutSettingsCommands(CheckoutBoxes boxes, CheckoutOpener opener)
{
    public static readonly IReadOnlyList<HelpEntry> Help =
    [
        new("record checkout [on|off]", "the anonymous check-out after each session: its questions, or turn it on or off", true),
        new("record checkout questions <q1> | <q2> …|default", $"this group's own check-out questions ({CheckoutQuestions.MinQuestions}-{CheckoutQuestions.MaxQuestions}, each up to {CheckoutQuestions.MaxLength} characters, answered 1-5)", true),
        new("record checkout comments", "what members wrote in closed check-outs, shuffled and without names or times", true),
    ];

    public async Task<BotReply> HandleAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var (word, rest) = ConversationRouter.SplitWord(context.Arguments);
        return word.ToLowerInvariant() switch
        {
            "" or "show" or "settings" => await ShowAsync(context, null, cancellationToken),
            "on" or "off" => await SwitchAsync(context, word.Equals("on", StringComparison.OrdinalIgnoreCase), cancellationToken),
            "questions" or "question" => await QuestionsAsync(context, rest, cancellationToken),
            "comments" or "comment" or "lines" => await CommentsAsync(context, cancellationToken),
            _ => BotReply.Warn($"`record checkout {SessionText.Shown(word)}` isn't something I know. Try `record checkout`, `record checkout off`, `record checkout questions …` or `record checkout comments`."),
        };
    }

    private async Task<BotReply> ShowAsync(FlowContext context, string? done, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        var settings = await boxes.SettingsAsync(group.Id, cancellationToken);
        var text = new StringBuilder();
        if (done is not null) text.AppendLine(done).AppendLine();
        text.AppendLine(settings.Enabled
            ? $"After each session (its scheduled end, or `session end`), members who said Going or were on the rota get a private, optional, anonymous check-out, open for {opener.Options.OpenHours} hours. After `session end` the channel also gets a button for anyone else who came."
            : "Check-outs are **off** for this group. `record checkout on` turns them on.");
        text.AppendLine().AppendLine($"**Questions** (1-5, from disagree strongly to agree strongly){(settings.Questions is null ? ", the defaults" : "")}:");
        foreach (var question in settings.EffectiveQuestions) text.AppendLine($"- {question}");
        text.AppendLine().Append($"Totals are shown on the record only once at least {opener.MinAnswers(group)} members answered (`poll minvoters` sets this for polls and check-outs). "
            + "Change the questions with `record checkout questions I felt listened to | We chose the topics`.");
        return new BotReply
        {
            Title = "Session check-outs",
            Text = text.ToString(),
            Tone = done is null ? ReplyTone.Info : ReplyTone.Success,
            Visibility = ReplyVisibility.Private,
        };
    }

    private async Task<BotReply> SwitchAsync(FlowContext context, bool on, CancellationToken cancellationToken)
    {
        await boxes.UpdateSettingsAsync(context.RequiredGroup.Id, s => s with { Enabled = on }, cancellationToken);
        return await ShowAsync(context, on ? "Check-outs are on." : "Check-outs are off: no more will be sent. Check-outs already open still close as planned.", cancellationToken);
    }

    private async Task<BotReply> QuestionsAsync(FlowContext context, string text, CancellationToken cancellationToken)
    {
        if (text.Trim().ToLowerInvariant() is "default" or "reset" or "defaults")
        {
            await boxes.UpdateSettingsAsync(context.RequiredGroup.Id, s => s with { Questions = null }, cancellationToken);
            return await ShowAsync(context, "The check-out is back to the default questions, from the next session.", cancellationToken);
        }
        var questions = CheckoutQuestions.Parse(text, out var error);
        if (questions is null) return BotReply.Warn(error);
        await boxes.UpdateSettingsAsync(context.RequiredGroup.Id, s => s with { Questions = questions }, cancellationToken);
        return await ShowAsync(context, "Saved. The new questions are used from the next session's check-out.", cancellationToken);
    }

    private async Task<BotReply> CommentsAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        var k = opener.MinAnswers(group);
        var closed = (await boxes.ListAsync(group.Id, cancellationToken)).Where(b => b.Closed).ToList();
        var text = new StringBuilder();
        foreach (var box in closed)
        {
            if (box.Comments.Count == 0) continue;
            text.AppendLine($"**{CheckoutOpener.Name(box, group)}**");
            if (box.Answers < k)
            {
                text.AppendLine($"- fewer than {k} members answered, so what they wrote isn't shown.");
                continue;
            }
            foreach (var line in box.Comments.OrderBy(_ => Random.Shared.Next())) text.AppendLine($"- \"{MarkdownText.Member(line.ReplaceLineEndings(" "))}\"");
            text.AppendLine();
        }
        var open = (await boxes.ListAsync(group.Id, cancellationToken)).Count(b => !b.Closed);
        if (text.Length == 0)
            text.Append("No closed check-out has any written lines yet.");
        text.Append($"\n\nLines are shown only after a check-out closes, mixed up, without names or times, and kept for {opener.Options.KeepCommentsDays} days after it closes."
            + (open > 0 ? $" {open} check-out{(open == 1 ? " is" : "s are")} still open." : ""));
        return new BotReply
        {
            Title = $"{group.Name}: what members wrote in check-outs",
            Text = text.ToString().Trim(),
            Visibility = ReplyVisibility.Private,
        };
    }
}
