namespace PeerGroupBot.Core.Conversation;

public enum ReplyVisibility
{
    /// <summary>Seen by everyone where the input came from.</summary>
    Channel,
    /// <summary>Seen only by the actor: ephemeral on Discord, personal chat on Teams.</summary>
    Private,
}

public enum ReplyTone { Info, Success, Warning, Urgent }

public enum ButtonStyle { Primary, Secondary, Success, Danger }

public sealed record ReplyButton(string Label, string ActionId, ButtonStyle Style = ButtonStyle.Secondary);

public sealed record SelectOption(string Label, string Value, string? Description = null, bool Selected = false);

public sealed record ReplySelect(string ActionId, string Placeholder, IReadOnlyList<SelectOption> Options, int MinValues = 1, int MaxValues = 1);

public enum FormFieldKind { ShortText, LongText, Choice }

public sealed record FormField(
    string Id,
    string Label,
    FormFieldKind Kind = FormFieldKind.ShortText,
    bool Required = true,
    int MaxLength = 100,
    string? Placeholder = null,
    string? Value = null,
    IReadOnlyList<SelectOption>? Choices = null);

/// <summary>
/// A file that goes with a reply (an export as JSON, a report as CSV or PNG). Adapters deliver it in their idiom:
/// a download link in the playground, a multipart upload on Discord, a link or inline image on Teams.
/// </summary>
public sealed record ReplyAttachment(string FileName, string MediaType, byte[] Content);

/// <summary>A form: a Discord modal (at most 5 fields), an Adaptive Card form, an HTML form.</summary>
public sealed record ReplyForm(string ActionId, string Title, IReadOnlyList<FormField> Fields, string SubmitLabel = "Submit");

/// <summary>
/// One platform-neutral reply. Adapters render it in their idiom: Discord content + components or a modal,
/// an Adaptive Card, HTML. Text uses a small markdown subset: **bold**, *italic*, `code`, "- " bullets.
/// </summary>
public sealed record BotReply
{
    public string? Title { get; init; }
    public string Text { get; init; } = "";
    public ReplyTone Tone { get; init; } = ReplyTone.Info;
    public IReadOnlyList<ReplyButton> Buttons { get; init; } = [];
    public IReadOnlyList<ReplySelect> Selects { get; init; } = [];

    /// <summary>
    /// When set, the selects are one form with this one button: an adapter that can gather inputs (an Adaptive Card,
    /// an HTML form) shows every select without a button of its own and sends all their choices together, in
    /// <see cref="BotInput.Choices"/> keyed by each select's action id. Only for an input whose adapter says it gathers
    /// selects (<see cref="BotInput.GathersSelects"/>); elsewhere each select sends its own action as it is picked.
    /// </summary>
    public ReplyButton? SubmitSelects { get; init; }

    /// <summary>When set the reply is a form to fill in; a form must be the only reply to an input.</summary>
    public ReplyForm? Form { get; init; }

    public ReplyVisibility Visibility { get; init; } = ReplyVisibility.Channel;

    /// <summary>Replace the message the action came from (a poll card after a vote) instead of adding one.</summary>
    public bool UpdatesSource { get; init; }

    /// <summary>The input failed and nothing was changed (see <see cref="Failure"/>); false for every ordinary reply.</summary>
    public bool NothingDone { get; init; }

    /// <summary>Files that go with the reply; empty for most replies.</summary>
    public IReadOnlyList<ReplyAttachment> Attachments { get; init; } = [];

    public static BotReply Say(string text) => new() { Text = text };

    public static BotReply Private(string text) => new() { Text = text, Visibility = ReplyVisibility.Private };

    public static BotReply Warn(string text) => new() { Text = text, Tone = ReplyTone.Warning, Visibility = ReplyVisibility.Private };

    /// <summary>
    /// A private warning that the input failed before anything was changed (storage down, a busy document, an error):
    /// <see cref="NothingDone"/> is set, so an adapter that handles each delivery once may handle this one again.
    /// </summary>
    public static BotReply Failure(string text) => Warn(text) with { NothingDone = true };

    public static BotReply ShowForm(ReplyForm form) => new() { Form = form, Visibility = ReplyVisibility.Private };
}
