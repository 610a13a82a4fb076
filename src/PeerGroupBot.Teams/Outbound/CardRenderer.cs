using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Time;
using PeerGroupBot.Teams.Protocol;

namespace PeerGroupBot.Teams.Outbound;

/// <summary>
/// Renders a <see cref="BotReply"/> the Teams way: an Adaptive Card 1.5 when there is something to click or fill in
/// (buttons become <c>Action.Execute</c> carrying the core's action id as the verb, selects become
/// <c>Input.ChoiceSet</c>, each with its own button or, for <see cref="BotReply.SubmitSelects"/>, all with one; forms
/// become inputs with a submit), and a plain markdown message otherwise.
/// Every action carries a small <c>pgb</c> object in its data so the click can be mapped back without guessing.
/// </summary>
public static partial class CardRenderer
{
    /// <summary>The key of the bot's own data in every action's data (inputs are merged beside it by Teams).</summary>
    public const string DataKey = "pgb";
    public const string SelectInputPrefix = "pgb_select_";
    public const int ButtonsPerRow = 5;

    public static bool NeedsCard(BotReply reply) => reply.Buttons.Count > 0 || reply.Selects.Count > 0 || reply.Form is not null;

    /// <summary>The message activity for a reply: a card attachment, or markdown text.</summary>
    public static Activity ToActivity(BotReply reply)
    {
        reply = TimeMarks.Plain(reply); // Teams shows the group's own time, as written
        if (!NeedsCard(reply))
            return new Activity { Type = ActivityTypes.Message, Text = PlainText(reply), TextFormat = "markdown" };
        return CardActivity(Card(reply), reply.Title ?? reply.Form?.Title);
    }

    /// <summary>A message carrying one Adaptive Card.</summary>
    public static Activity CardActivity(JsonObject card, string? summary) => new()
    {
        Type = ActivityTypes.Message,
        Summary = summary,
        Attachments = [new Attachment { ContentType = Attachment.AdaptiveCardType, Content = JsonSerializer.SerializeToElement(card) }],
    };

    /// <summary>An Adaptive Card 1.5 around the given body, full width in Teams.</summary>
    public static JsonObject Envelope(JsonArray body) => new()
    {
        ["type"] = "AdaptiveCard",
        ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
        ["version"] = "1.5",
        ["body"] = body,
        ["msteams"] = new JsonObject { ["width"] = "Full" },
    };

    /// <summary>Markdown for a message without a card: the core's subset is valid Teams markdown as it is.</summary>
    public static string PlainText(BotReply reply)
    {
        var text = LineBreaks(Safe(reply.Text.Trim()));
        if (string.IsNullOrWhiteSpace(reply.Title)) return text;
        return text.Length == 0 ? $"**{Safe(reply.Title)}**" : $"**{Safe(reply.Title)}**\n\n{text}";
    }

    /// <summary>
    /// Teams markdown joins lines that are not separated by a blank line into one paragraph (<c>me</c>'s settings ran
    /// together), so each line becomes its own paragraph; lines of a list stay together.
    /// </summary>
    private static string LineBreaks(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var joined = new System.Text.StringBuilder(lines[0]);
        for (var i = 1; i < lines.Length; i++)
        {
            var together = lines[i - 1].Trim().Length == 0 || lines[i].Trim().Length == 0 || (ListItem().IsMatch(lines[i - 1]) && ListItem().IsMatch(lines[i]));
            joined.Append(together ? "\n" : "\n\n").Append(lines[i]);
        }
        return joined.ToString();
    }

    [GeneratedRegex(@"^\s*(-|\d+\.)\s")]
    private static partial Regex ListItem();

    /// <summary>
    /// Text as Teams should show it: member-written links and the like escaped (<see cref="MarkdownText.Neutralise"/>),
    /// and angle brackets as ‹ › because Teams strips anything that looks like an HTML tag (<c>help &lt;topic&gt;</c>
    /// would lose its placeholder, a member's <c>&lt;b&gt;</c> would vanish).
    /// </summary>
    public static string Safe(string text, bool keepMemberBackticks = false)
        => MarkdownText.Neutralise(text.Replace('<', '\u2039').Replace('>', '\u203A'), keepMemberBackticks);

    public static JsonObject Card(BotReply reply)
    {
        reply = TimeMarks.Plain(reply);
        var body = new JsonArray();
        var title = reply.Title ?? reply.Form?.Title;
        if (!string.IsNullOrWhiteSpace(title))
        {
            body.Add(new JsonObject
            {
                ["type"] = "TextBlock",
                ["text"] = Safe(title),
                ["size"] = "Medium",
                ["weight"] = "Bolder",
                ["wrap"] = true,
                ["color"] = reply.Tone switch
                {
                    ReplyTone.Success => "Good",
                    ReplyTone.Warning => "Warning",
                    ReplyTone.Urgent => "Attention",
                    _ => "Default",
                },
            });
        }
        // One TextBlock per line: hosts differ on whether a single newline inside a TextBlock breaks the line.
        foreach (var paragraph in Paragraphs(reply.Text))
        {
            var first = true;
            foreach (var line in paragraph.Split('\n').Where(l => l.Trim().Length > 0))
            {
                var block = new JsonObject { ["type"] = "TextBlock", ["text"] = CardMarkdown(line.TrimEnd()), ["wrap"] = true };
                if (!first) block["spacing"] = "None";
                body.Add(block);
                first = false;
            }
        }

        var gathered = reply.SubmitSelects is not null && reply.Selects.Count > 0;
        for (var i = 0; i < reply.Selects.Count; i++)
            AddSelect(body, reply.Selects[i], SelectInputPrefix + i, withOwnButton: !gathered);
        if (gathered) AddSubmitSelects(body, reply.SubmitSelects!, reply.Selects);

        if (reply.Form is { } form) AddForm(body, form);

        foreach (var row in reply.Buttons.Chunk(ButtonsPerRow))
        {
            var actions = new JsonArray();
            foreach (var button in row)
                actions.Add(Execute(button.Label, button.ActionId, new JsonObject { ["k"] = "button" }, Style(button.Style), associateInputs: false));
            body.Add(new JsonObject { ["type"] = "ActionSet", ["actions"] = actions });
        }

        return Envelope(body);
    }

    /// <summary>
    /// One button for every select on the card (<see cref="BotReply.SubmitSelects"/>): it sends all the inputs, and its
    /// data lists each input's select action id in order (input <c>pgb_select_i</c> is the i-th), so
    /// <see cref="Inbound.ActivityMapper"/> can hand the core each select's choices, an untouched one as empty.
    /// </summary>
    private static void AddSubmitSelects(JsonArray body, ReplyButton submit, IReadOnlyList<ReplySelect> selects)
    {
        var ids = new JsonArray();
        foreach (var select in selects) ids.Add(select.ActionId);
        body.Add(new JsonObject
        {
            ["type"] = "ActionSet",
            ["actions"] = new JsonArray(Execute(submit.Label, submit.ActionId, new JsonObject { ["k"] = "selects", ["s"] = ids }, "positive", associateInputs: true)),
        });
    }

    private static void AddSelect(JsonArray body, ReplySelect select, string inputId, bool withOwnButton)
    {
        var multi = select.MaxValues > 1;
        var choices = new JsonArray();
        foreach (var option in select.Options)
            choices.Add(new JsonObject { ["title"] = option.Description is null ? option.Label : $"{option.Label} ({option.Description})", ["value"] = option.Value });
        var preselected = select.Options.Where(o => o.Selected).Select(o => o.Value).ToList();
        var input = new JsonObject
        {
            ["type"] = "Input.ChoiceSet",
            ["id"] = inputId,
            ["placeholder"] = select.Placeholder,
            ["label"] = select.Placeholder,
            ["isMultiSelect"] = multi,
            ["style"] = multi ? "expanded" : "compact",
            ["choices"] = choices,
            ["isRequired"] = select.MinValues > 0,
            ["errorMessage"] = select.MinValues > 1 ? $"Choose at least {select.MinValues}." : "Please choose one.",
        };
        if (preselected.Count > 0) input["value"] = string.Join(',', preselected);
        body.Add(input);
        if (!withOwnButton) return;
        body.Add(new JsonObject
        {
            ["type"] = "ActionSet",
            ["actions"] = new JsonArray(Execute(multi ? "Save my choices" : "Choose", select.ActionId,
                new JsonObject { ["k"] = "select", ["f"] = inputId }, "positive", associateInputs: true)),
        });
    }

    private static void AddForm(JsonArray body, ReplyForm form)
    {
        foreach (var field in form.Fields)
        {
            JsonObject input;
            if (field.Kind == FormFieldKind.Choice)
            {
                var choices = new JsonArray();
                foreach (var option in field.Choices ?? [])
                    choices.Add(new JsonObject { ["title"] = option.Label, ["value"] = option.Value });
                input = new JsonObject { ["type"] = "Input.ChoiceSet", ["style"] = "compact", ["choices"] = choices };
            }
            else
            {
                input = new JsonObject
                {
                    ["type"] = "Input.Text",
                    ["isMultiline"] = field.Kind == FormFieldKind.LongText,
                    ["maxLength"] = field.MaxLength,
                };
            }
            input["id"] = field.Id;
            input["label"] = field.Label;
            input["isRequired"] = field.Required;
            input["errorMessage"] = $"{field.Label} is needed.";
            if (field.Placeholder is not null) input["placeholder"] = field.Placeholder;
            if (field.Value is not null) input["value"] = field.Value;
            body.Add(input);
        }
        body.Add(new JsonObject
        {
            ["type"] = "ActionSet",
            ["actions"] = new JsonArray(Execute(form.SubmitLabel, form.ActionId, new JsonObject { ["k"] = "form" }, "positive", associateInputs: true)),
        });
    }

    /// <summary>
    /// An <c>Action.Execute</c> (so the card can refresh in place) with an <c>Action.Submit</c> fallback for
    /// clients that predate Universal Actions; both carry the action id.
    /// </summary>
    private static JsonObject Execute(string title, string actionId, JsonObject data, string style, bool associateInputs)
    {
        data["a"] = actionId;
        var fallbackData = new JsonObject { [DataKey] = data.DeepClone() };
        return new JsonObject
        {
            ["type"] = "Action.Execute",
            ["title"] = title,
            ["verb"] = actionId,
            ["data"] = new JsonObject { [DataKey] = data },
            ["style"] = style,
            ["associatedInputs"] = associateInputs ? "auto" : "none",
            ["fallback"] = new JsonObject
            {
                ["type"] = "Action.Submit",
                ["title"] = title,
                ["data"] = fallbackData,
                ["associatedInputs"] = associateInputs ? "auto" : "none",
            },
        };
    }

    private static string Style(ButtonStyle style) => style switch
    {
        ButtonStyle.Primary or ButtonStyle.Success => "positive",
        ButtonStyle.Danger => "destructive",
        _ => "default",
    };

    private static IEnumerable<string> Paragraphs(string text)
        => BlankLine().Split(text.Replace("\r\n", "\n").Trim()).Select(p => p.Trim('\n')).Where(p => p.Trim().Length > 0);

    /// <summary>
    /// The core's markdown subset in Adaptive Card markdown, made <see cref="Safe"/>: bold and "- " bullets are the
    /// same; *italic* becomes _italic_; `code` (commands to type) becomes bold because cards have no inline code; a
    /// member's backtick is shown as typed.
    /// </summary>
    public static string CardMarkdown(string text)
    {
        // The bot's code spans become bold; a member's backticks (marked by MarkdownText.Member) stay as typed, which a
        // card shows literally: Adaptive Card markdown has no code spans or blocks.
        text = CodeSpan().Replace(Safe(text, keepMemberBackticks: true), m => $"**{m.Groups[1].Value}**");
        text = SingleStarItalic().Replace(text, m => $"_{m.Groups[1].Value}_");
        return MarkdownText.Literal(text);
    }

    [GeneratedRegex(@"\n\s*\n")]
    private static partial Regex BlankLine();

    [GeneratedRegex(@"`([^`\n]+)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"(?<![\*\w])\*(?!\*)([^\*\n]+?)(?<!\*)\*(?![\*\w])")]
    private static partial Regex SingleStarItalic();
}
