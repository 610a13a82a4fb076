using System.Globalization;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Time;

namespace PeerGroupBot.Discord.Rendering;

/// <summary>
/// Turns the core's <see cref="BotReply"/> into Discord's idiom: plain content, or an embed when the reply has a title,
/// a tone or too much text for content; action rows of buttons and string selects; files to upload with the message;
/// a modal for a form. Everything is fitted to Discord's limits, and whatever had to be cut is said in the message
/// instead of failing the whole reply.
/// </summary>
public static class ReplyRenderer
{
    public const string ShortenedNote = "*(Shortened to fit Discord's limits.)*";
    public const string ControlsDroppedNote = "*(Some buttons or choices didn't fit in Discord. Type `/help` to see the commands that do the same.)*";
    public const string OptionsCutNote = "*(Only the first 25 choices are listed.)*";

    /// <summary>Renders a reply as a message. <paramref name="ephemeral"/> sets the flag only the actor sees (interactions only).</summary>
    /// <paramref name="fileLimit"/> is the largest file allowed (an interaction says its own; Discord's default otherwise).
    public static MessagePayload Message(BotReply reply, bool ephemeral, long fileLimit = DiscordLimits.FileBytes)
    {
        reply = TimeMarks.Plain(reply with { Text = Timestamps(reply.Text) }); // markup works in content and descriptions only
        var notes = new List<string>();
        var components = Components(reply, notes);
        var (files, fileNotes) = ReplyFiles.Fit(reply.Attachments, fileLimit);
        notes.AddRange(fileNotes);
        var payload = new MessagePayload
        {
            Components = components, // an empty list clears old controls when editing
            Flags = ephemeral ? MessagePayload.EphemeralFlag : null,
            Files = files,
            Attachments = files.Count == 0 ? null : files.Select((file, i) => new AttachmentSlot { Id = i, FileName = file.FileName }).ToList(),
        };

        var noteText = notes.Count == 0 ? "" : "\n\n" + string.Join("\n", notes.Distinct());
        // Member text inside the reply must not become links, headings, quotes or mentions (the title is plain text on Discord).
        var body = MarkdownText.Neutralise(reply.Text.Trim());
        var useEmbed = reply.Title is not null || reply.Tone != ReplyTone.Info || body.Length + noteText.Length > DiscordLimits.Content;
        if (!useEmbed)
        {
            var content = (body + noteText).Trim();
            payload.Content = content.Length > 0 ? content : components.Count > 0 || files.Count > 0 ? null : "Done.";
            payload.Embeds = [];
            return payload;
        }

        var title = string.IsNullOrWhiteSpace(reply.Title) ? null : DiscordLimits.Fit(reply.Title.Trim(), DiscordLimits.EmbedTitle);
        var budget = DiscordLimits.EmbedsTotalCharacters - (title?.Length ?? 0) - noteText.Length;
        if (body.Length > budget)
        {
            var shortened = "\n\n" + ShortenedNote;
            body = DiscordLimits.Fit(body, budget - shortened.Length) + shortened;
        }
        var chunks = Split((body + noteText).Trim(), DiscordLimits.EmbedDescription);
        var color = Color(reply.Tone);
        payload.Content = "";
        payload.Embeds = chunks.Count == 0
            ? [new Embed { Title = title, Color = color }]
            : chunks.Select((chunk, i) => new Embed { Title = i == 0 ? title : null, Description = chunk, Color = color }).ToList();
        return payload;
    }

    /// <summary>Renders a form as a modal: at most 5 fields, each in a Label holding a text input or a string select.</summary>
    public static ModalPayload Modal(ReplyForm form)
    {
        form = TimeMarks.Plain(form);
        var components = new List<Component>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in form.Fields)
        {
            if (components.Count == DiscordLimits.ModalComponents) break;
            if (field.Id.Length is 0 or > DiscordLimits.CustomId || !seen.Add(field.Id)) continue;
            var label = string.IsNullOrWhiteSpace(field.Label) ? field.Id : field.Label.Trim();
            components.Add(new Component
            {
                Type = ComponentTypes.Label,
                Label = DiscordLimits.Fit(label, DiscordLimits.LabelText),
                Description = label.Length > DiscordLimits.LabelText ? DiscordLimits.Fit(label, DiscordLimits.LabelDescription) : null,
                Child = field.Kind == FormFieldKind.Choice && field.Choices is { Count: > 0 } ? ChoiceInput(field) : TextInput(field),
            });
        }
        var title = string.IsNullOrWhiteSpace(form.Title) ? "PeerGroupBot" : form.Title.Trim();
        return new ModalPayload { CustomId = form.ActionId, Title = DiscordLimits.Fit(title, DiscordLimits.ModalTitle), Components = components };
    }

    /// <summary>
    /// Each marked moment (<see cref="TimeMarks"/>) also in Discord's timestamp markup, which every reader sees in their own
    /// zone and language: the full date and time, and how long until (or since) it.
    /// </summary>
    public static string Timestamps(string text)
        => TimeMarks.Render(text, unix => $" · <t:{unix.ToString(CultureInfo.InvariantCulture)}:F> (<t:{unix.ToString(CultureInfo.InvariantCulture)}:R>)");

    /// <summary>Whether a form fits a modal at all (its id must fit a custom_id).</summary>
    public static bool FitsModal(ReplyForm form) => form.ActionId.Length is > 0 and <= DiscordLimits.CustomId;

    private static Component TextInput(FormField field)
    {
        var max = Math.Clamp(field.MaxLength, 1, DiscordLimits.TextInputLength);
        return new Component
        {
            Type = ComponentTypes.TextInput,
            CustomId = field.Id,
            Style = field.Kind == FormFieldKind.LongText ? 2 : 1,
            Required = field.Required,
            MaxLength = max,
            Value = string.IsNullOrEmpty(field.Value) ? null : DiscordLimits.Fit(field.Value, max),
            Placeholder = string.IsNullOrEmpty(field.Placeholder) ? null : DiscordLimits.Fit(field.Placeholder, DiscordLimits.TextInputPlaceholder),
        };
    }

    private static Component ChoiceInput(FormField field)
    {
        var options = SelectOptions(field.Choices!, out _);
        var chosen = options.FirstOrDefault(o => o.Value == field.Value) ?? options.FirstOrDefault(o => o.Default == true);
        foreach (var option in options) option.Default = option == chosen ? true : null;
        return new Component
        {
            Type = ComponentTypes.StringSelect,
            CustomId = field.Id,
            Options = options,
            MinValues = field.Required ? 1 : 0,
            MaxValues = 1,
            Required = field.Required,
            Placeholder = string.IsNullOrEmpty(field.Placeholder) ? null : DiscordLimits.Fit(field.Placeholder, DiscordLimits.SelectPlaceholder),
        };
    }

    private static List<Component> Components(BotReply reply, List<string> notes)
    {
        var rows = new List<Component>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var dropped = false;

        foreach (var select in reply.Selects)
        {
            if (rows.Count == DiscordLimits.ActionRows || !UsableId(select.ActionId, seen)) { dropped = true; continue; }
            var options = SelectOptions(select.Options, out var cut);
            if (cut) notes.Add(OptionsCutNote);
            if (options.Count == 0) { dropped = true; continue; }
            var min = Math.Clamp(select.MinValues, 0, options.Count);
            var max = Math.Clamp(select.MaxValues, Math.Max(1, min), options.Count);
            rows.Add(Row(new Component
            {
                Type = ComponentTypes.StringSelect,
                CustomId = select.ActionId,
                Placeholder = string.IsNullOrWhiteSpace(select.Placeholder) ? null : DiscordLimits.Fit(select.Placeholder, DiscordLimits.SelectPlaceholder),
                Options = options,
                MinValues = min,
                MaxValues = max,
            }));
        }

        var buttons = new List<Component>();
        foreach (var button in reply.Buttons)
        {
            if (!UsableId(button.ActionId, seen)) { dropped = true; continue; }
            buttons.Add(new Component
            {
                Type = ComponentTypes.Button,
                CustomId = button.ActionId,
                Style = StyleOf(button.Style),
                Label = DiscordLimits.Fit(string.IsNullOrWhiteSpace(button.Label) ? "Choose" : button.Label.Trim(), DiscordLimits.ButtonLabel),
            });
        }
        foreach (var chunk in buttons.Chunk(DiscordLimits.ButtonsPerRow))
        {
            if (rows.Count == DiscordLimits.ActionRows) { dropped = true; break; }
            rows.Add(Row([.. chunk]));
        }

        if (dropped) notes.Add(ControlsDroppedNote);
        return rows;
    }

    private static List<SelectMenuOption> SelectOptions(IReadOnlyList<SelectOption> options, out bool cut)
    {
        var result = new List<SelectMenuOption>();
        var values = new HashSet<string>(StringComparer.Ordinal);
        cut = false;
        foreach (var option in options)
        {
            if (option.Value.Length is 0 or > DiscordLimits.SelectOptionText || !values.Add(option.Value)) continue;
            if (result.Count == DiscordLimits.SelectOptions) { cut = true; break; }
            result.Add(new SelectMenuOption
            {
                Label = DiscordLimits.Fit(string.IsNullOrWhiteSpace(option.Label) ? option.Value : option.Label.Trim(), DiscordLimits.SelectOptionText),
                Value = option.Value,
                Description = string.IsNullOrWhiteSpace(option.Description) ? null : DiscordLimits.Fit(option.Description, DiscordLimits.SelectOptionText),
                Default = option.Selected ? true : null,
            });
        }
        return result;
    }

    private static bool UsableId(string id, HashSet<string> seen)
        => id.Length is > 0 and <= DiscordLimits.CustomId && seen.Add(id); // Discord refuses a message with a repeated custom_id

    private static Component Row(params List<Component> children) => new() { Type = ComponentTypes.ActionRow, Components = children };

    private static int StyleOf(ButtonStyle style) => style switch
    {
        ButtonStyle.Primary => 1,
        ButtonStyle.Success => 3,
        ButtonStyle.Danger => 4,
        _ => 2,
    };

    private static int Color(ReplyTone tone) => tone switch
    {
        ReplyTone.Success => 0x57F287,
        ReplyTone.Warning => 0xFEE75C,
        ReplyTone.Urgent => 0xED4245,
        _ => 0x5865F2,
    };

    /// <summary>Splits text into pieces of at most <paramref name="max"/> characters, at line breaks where possible.</summary>
    internal static List<string> Split(string text, int max)
    {
        var pieces = new List<string>();
        while (text.Length > max)
        {
            var cut = text.LastIndexOf('\n', max - 1);
            if (cut < max / 2) cut = text.LastIndexOf(' ', max - 1);
            if (cut < max / 2) cut = char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
            pieces.Add(text[..cut].TrimEnd());
            text = text[cut..].TrimStart();
        }
        if (text.Length > 0) pieces.Add(text);
        return pieces;
    }
}
