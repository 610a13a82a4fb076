using System.Text.Json;
using System.Text.Json.Serialization;
using PeerGroupBot.Core.Conversation;

namespace PeerGroupBot.Discord.Rendering;

/// <summary>Component types used here (Discord's numbering).</summary>
public static class ComponentTypes
{
    public const int ActionRow = 1;
    public const int Button = 2;
    public const int StringSelect = 3;
    public const int TextInput = 4;
    public const int TextDisplay = 10;
    public const int Label = 18;
}

/// <summary>
/// One message or modal component. Discord's components share one JSON shape with type-specific fields, so one class
/// serves rendering (action rows, buttons, selects, text inputs, labels) and reading modal submits (both the older
/// action-row shape and the newer Label shape, whose single child sits in <see cref="Child"/>).
/// </summary>
public sealed class Component
{
    [JsonPropertyName("type")] public int Type { get; set; }
    [JsonPropertyName("custom_id")] public string? CustomId { get; set; }
    [JsonPropertyName("style")] public int? Style { get; set; }
    [JsonPropertyName("label")] public string? Label { get; set; }
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("placeholder")] public string? Placeholder { get; set; }
    [JsonPropertyName("options")] public List<SelectMenuOption>? Options { get; set; }
    [JsonPropertyName("min_values")] public int? MinValues { get; set; }
    [JsonPropertyName("max_values")] public int? MaxValues { get; set; }
    [JsonPropertyName("min_length")] public int? MinLength { get; set; }
    [JsonPropertyName("max_length")] public int? MaxLength { get; set; }
    [JsonPropertyName("required")] public bool? Required { get; set; }
    [JsonPropertyName("value")] public string? Value { get; set; }
    [JsonPropertyName("values")] public List<string>? Values { get; set; }
    [JsonPropertyName("components")] public List<Component>? Components { get; set; }
    [JsonPropertyName("component")] public Component? Child { get; set; }
}

public sealed class SelectMenuOption
{
    [JsonPropertyName("label")] public required string Label { get; set; }
    [JsonPropertyName("value")] public required string Value { get; set; }
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("default")] public bool? Default { get; set; }
}

public sealed class Embed
{
    [JsonPropertyName("title")] public string? Title { get; set; }
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("color")] public int? Color { get; set; }
}

/// <summary>
/// Who a message may ping. Always sent with an empty <c>parse</c> list: member text can never ping @everyone, a role or
/// a user, and an edit without it would be re-parsed with Discord's defaults.
/// </summary>
public sealed class AllowedMentions
{
    [JsonPropertyName("parse")] public List<string> Parse { get; set; } = [];
}

/// <summary>A message to create or edit: channel messages, interaction responses, follow-ups and edits alike.</summary>
public sealed class MessagePayload
{
    /// <summary>The ephemeral message flag: only the member who acted sees the message.</summary>
    public const int EphemeralFlag = 1 << 6;

    [JsonPropertyName("content")] public string? Content { get; set; }
    [JsonPropertyName("embeds")] public List<Embed>? Embeds { get; set; }
    [JsonPropertyName("components")] public List<Component>? Components { get; set; }
    [JsonPropertyName("allowed_mentions")] public AllowedMentions AllowedMentions { get; set; } = new();
    [JsonPropertyName("flags")] public int? Flags { get; set; }

    /// <summary>One entry per file in <see cref="Files"/>, in order: the id ties it to the <c>files[id]</c> part of the upload.</summary>
    [JsonPropertyName("attachments")] public List<AttachmentSlot>? Attachments { get; set; }

    /// <summary>
    /// The files themselves, sent as multipart parts next to this JSON (never inside it). A message with files cannot be
    /// an interaction's HTTP response; it goes through the REST client.
    /// </summary>
    [JsonIgnore] public List<ReplyAttachment> Files { get; set; } = [];
}

/// <summary>A file uploaded with a message: <see cref="Id"/> is the n of its <c>files[n]</c> part.</summary>
public sealed class AttachmentSlot
{
    [JsonPropertyName("id")] public int Id { get; set; }
    [JsonPropertyName("filename")] public required string FileName { get; set; }
}

/// <summary>
/// A guild scheduled event to create or change. Sessions are external events (entity type 3): no channel, a location
/// in <see cref="EntityMetadata"/> and an end time, both required by Discord for that type. Only members of the server
/// can see them (privacy level 2, the only one Discord allows).
/// </summary>
public sealed class ScheduledEventPayload
{
    public const int GuildOnly = 2;
    public const int External = 3;
    public const int Canceled = 4;

    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("privacy_level")] public int? PrivacyLevel { get; set; }
    [JsonPropertyName("scheduled_start_time")] public string? ScheduledStartTime { get; set; }
    [JsonPropertyName("scheduled_end_time")] public string? ScheduledEndTime { get; set; }
    [JsonPropertyName("entity_type")] public int? EntityType { get; set; }
    [JsonPropertyName("entity_metadata")] public ScheduledEventMetadata? EntityMetadata { get; set; }
    [JsonPropertyName("status")] public int? Status { get; set; }
}

public sealed class ScheduledEventMetadata
{
    [JsonPropertyName("location")] public required string Location { get; set; }
}

public sealed class ModalPayload
{
    [JsonPropertyName("custom_id")] public required string CustomId { get; set; }
    [JsonPropertyName("title")] public required string Title { get; set; }
    [JsonPropertyName("components")] public required List<Component> Components { get; set; }
}

/// <summary>Interaction callback types.</summary>
public static class CallbackTypes
{
    public const int Pong = 1;
    public const int ChannelMessage = 4;
    public const int DeferredChannelMessage = 5;
    public const int DeferredUpdateMessage = 6;
    public const int UpdateMessage = 7;
    public const int AutocompleteResult = 8;
    public const int Modal = 9;
}

/// <summary>The body of the HTTP response to an interaction.</summary>
public sealed class InteractionResponse
{
    [JsonPropertyName("type")] public int Type { get; set; }

    /// <summary>A <see cref="MessagePayload"/>, a <see cref="ModalPayload"/>, or autocomplete choices.</summary>
    [JsonPropertyName("data")] public object? Data { get; set; }
}

public static class DiscordJson
{
    /// <summary>Options for every payload to and from Discord: snake_case names are on the types, nulls are left out.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
