using System.Text.Json;
using System.Text.Json.Serialization;

namespace PeerGroupBot.Teams.Protocol;

/// <summary>
/// The parts of a Bot Framework Activity this bot reads or writes. Only what is used is modelled; unknown fields are
/// ignored on the way in and never invented on the way out.
/// </summary>
public sealed class Activity
{
    public string? Type { get; set; }
    public string? Id { get; set; }
    public string? Name { get; set; }
    public DateTimeOffset? Timestamp { get; set; }
    public string? ServiceUrl { get; set; }
    public string? ChannelId { get; set; }
    public ChannelAccount? From { get; set; }
    public ConversationAccount? Conversation { get; set; }
    public ChannelAccount? Recipient { get; set; }
    public string? Text { get; set; }
    public string? TextFormat { get; set; }
    public string? Summary { get; set; }
    public string? ReplyToId { get; set; }
    public List<Attachment>? Attachments { get; set; }
    public List<Entity>? Entities { get; set; }
    public TeamsChannelData? ChannelData { get; set; }
    public JsonElement? Value { get; set; }
    public List<ChannelAccount>? MembersAdded { get; set; }
    public List<ChannelAccount>? MembersRemoved { get; set; }
}

public static class ActivityTypes
{
    public const string Message = "message";
    public const string Invoke = "invoke";
    public const string ConversationUpdate = "conversationUpdate";
    public const string InstallationUpdate = "installationUpdate";

    /// <summary>The types the bot acts on; any other activity (typing, reactions, unknown types) is acknowledged and ignored.</summary>
    public static bool IsHandled(string? type)
        => type is Message or Invoke or ConversationUpdate or InstallationUpdate;
}

public sealed class ChannelAccount
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? AadObjectId { get; set; }
    public string? Role { get; set; }
}

public sealed class ConversationAccount
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    /// <summary>"personal", "groupChat" or "channel".</summary>
    public string? ConversationType { get; set; }
    public string? TenantId { get; set; }
    public bool? IsGroup { get; set; }
}

public static class ConversationTypes
{
    public const string Personal = "personal";
    public const string GroupChat = "groupChat";
    public const string Channel = "channel";
}

public sealed class Attachment
{
    public string? ContentType { get; set; }
    /// <summary>Where the attachment's bytes are: an https URL, or a base64 <c>data:</c> URL for an inline image.</summary>
    public string? ContentUrl { get; set; }
    public JsonElement? Content { get; set; }
    /// <summary>The file name shown with an image or a file card.</summary>
    public string? Name { get; set; }

    public const string AdaptiveCardType = "application/vnd.microsoft.card.adaptive";
    /// <summary>A card asking the member to let the bot save a file to their OneDrive (personal chat only).</summary>
    public const string FileConsentType = "application/vnd.microsoft.teams.card.file.consent";
    /// <summary>A card linking a file the bot saved to the member's OneDrive.</summary>
    public const string FileInfoType = "application/vnd.microsoft.teams.card.file.info";
}

/// <summary>
/// The value of a <c>fileConsent/invoke</c>: the member clicked Allow (<c>accept</c>) or Decline on a file consent
/// card; <see cref="Context"/> is the accept or decline context the card carried; on accept Teams adds where to upload.
/// </summary>
public sealed class FileConsentResponse
{
    public string? Type { get; set; }
    public string? Action { get; set; }
    public JsonElement? Context { get; set; }
    public FileUploadInfo? UploadInfo { get; set; }
}

/// <summary>Where Teams lets the bot write an accepted file: a pre-authorised OneDrive upload URL, and the file's identity once written.</summary>
public sealed class FileUploadInfo
{
    public string? Name { get; set; }
    public string? UploadUrl { get; set; }
    public string? ContentUrl { get; set; }
    public string? UniqueId { get; set; }
    public string? FileType { get; set; }
}

/// <summary>An entity attached to an activity; this bot reads mentions (<c>type: "mention"</c>).</summary>
public sealed class Entity
{
    public string? Type { get; set; }
    public ChannelAccount? Mentioned { get; set; }
    public string? Text { get; set; }
}

/// <summary>Teams' own part of an activity: which team, channel and tenant it came from.</summary>
public sealed class TeamsChannelData
{
    public TeamInfo? Team { get; set; }
    public ChannelInfo? Channel { get; set; }
    public TenantInfo? Tenant { get; set; }
    public string? EventType { get; set; }
}

public sealed class TeamInfo
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? AadGroupId { get; set; }
}

public sealed class ChannelInfo
{
    public string? Id { get; set; }
    public string? Name { get; set; }
}

public sealed class TenantInfo
{
    public string? Id { get; set; }
}

/// <summary>What the connector answers to a send: the new activity's id.</summary>
public sealed class ResourceResponse
{
    public string? Id { get; set; }
}

/// <summary>The body of <c>POST /v3/conversations</c>: here always a 1:1 conversation with one member.</summary>
public sealed class ConversationParameters
{
    public bool IsGroup { get; set; }
    public ChannelAccount? Bot { get; set; }
    public List<ChannelAccount> Members { get; set; } = [];
    public string? TenantId { get; set; }
    public TeamsChannelData? ChannelData { get; set; }
}

/// <summary>A member as the roster API describes them; <c>userRole</c> is "user", "guest" or "anonymous".</summary>
public sealed class TeamsMember
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? AadObjectId { get; set; }
    public string? ObjectId { get; set; }
    public string? UserRole { get; set; }
}

/// <summary>The body returned to an <c>adaptiveCard/action</c> invoke: a card that replaces the clicked one, or a short message.</summary>
public sealed class AdaptiveCardInvokeResponse
{
    public int StatusCode { get; set; } = 200;
    public string Type { get; set; } = MessageType;
    public object? Value { get; set; }

    public const string CardType = "application/vnd.microsoft.card.adaptive";
    public const string MessageType = "application/vnd.microsoft.activity.message";
    public const string ErrorType = "application/vnd.microsoft.error";
}

public static class ProtocolJson
{
    /// <summary>camelCase, nulls left out: the shape the Bot Connector expects.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        MaxDepth = 32,
    };
}
