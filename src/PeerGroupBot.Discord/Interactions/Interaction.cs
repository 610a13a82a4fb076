using System.Text.Json;
using System.Text.Json.Serialization;
using PeerGroupBot.Discord.Rendering;

namespace PeerGroupBot.Discord.Interactions;

/// <summary>Interaction types Discord sends to the endpoint.</summary>
public enum InteractionType
{
    Ping = 1,
    ApplicationCommand = 2,
    MessageComponent = 3,
    ApplicationCommandAutocomplete = 4,
    ModalSubmit = 5,
}

/// <summary>
/// An interaction as Discord posts it (only the fields the adapter reads). Guild interactions carry
/// <see cref="Member"/>; interactions in DMs carry <see cref="User"/> instead.
/// </summary>
public sealed class Interaction
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("application_id")] public string? ApplicationId { get; set; }
    [JsonPropertyName("type")] public InteractionType Type { get; set; }
    [JsonPropertyName("token")] public string? Token { get; set; }
    [JsonPropertyName("guild_id")] public string? GuildId { get; set; }
    [JsonPropertyName("channel_id")] public string? ChannelId { get; set; }
    [JsonPropertyName("channel")] public InteractionChannel? Channel { get; set; }
    [JsonPropertyName("member")] public GuildMember? Member { get; set; }
    [JsonPropertyName("user")] public DiscordUser? User { get; set; }
    [JsonPropertyName("data")] public InteractionData? Data { get; set; }
    [JsonPropertyName("message")] public InteractionMessage? Message { get; set; }
    /// <summary>The largest file, in bytes, a reply to this interaction may attach (depends on the server's boosts).</summary>
    [JsonPropertyName("attachment_size_limit")] public long? AttachmentSizeLimit { get; set; }

    /// <summary>The channel the interaction happened in, from whichever field Discord filled.</summary>
    [JsonIgnore] public string? ChannelIdOrNull => ChannelId ?? Channel?.Id;

    /// <summary>Who acted: the member's user in a guild, the user in a DM.</summary>
    [JsonIgnore] public DiscordUser? Actor => Member?.User ?? User;
}

public sealed class InteractionChannel
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("type")] public int Type { get; set; }
}

public sealed class DiscordUser
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("username")] public string? Username { get; set; }
    [JsonPropertyName("global_name")] public string? GlobalName { get; set; }
}

public sealed class GuildMember
{
    [JsonPropertyName("user")] public DiscordUser? User { get; set; }
    [JsonPropertyName("nick")] public string? Nick { get; set; }
    [JsonPropertyName("roles")] public List<string>? Roles { get; set; }

    /// <summary>The member's computed permissions in the channel, a decimal bitfield as a string.</summary>
    [JsonPropertyName("permissions")] public string? Permissions { get; set; }
}

/// <summary>The message a component was on (for UPDATE_MESSAGE and to know whether it was ephemeral).</summary>
public sealed class InteractionMessage
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("flags")] public long? Flags { get; set; }
}

/// <summary>The data of a command, a component click or a modal submit; one shape with the union of their fields.</summary>
public sealed class InteractionData
{
    // Application commands
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("options")] public List<CommandOption>? Options { get; set; }
    [JsonPropertyName("resolved")] public ResolvedData? Resolved { get; set; }

    // Components and modals
    [JsonPropertyName("custom_id")] public string? CustomId { get; set; }
    [JsonPropertyName("component_type")] public int? ComponentType { get; set; }
    [JsonPropertyName("values")] public List<string>? Values { get; set; }
    [JsonPropertyName("components")] public List<Component>? Components { get; set; }
}

/// <summary>Option types of application commands.</summary>
public enum CommandOptionType
{
    SubCommand = 1,
    SubCommandGroup = 2,
    String = 3,
    Integer = 4,
    Boolean = 5,
    User = 6,
    Channel = 7,
    Role = 8,
    Mentionable = 9,
    Number = 10,
    Attachment = 11,
}

public sealed class CommandOption
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("type")] public CommandOptionType Type { get; set; }
    [JsonPropertyName("value")] public JsonElement? Value { get; set; }
    [JsonPropertyName("options")] public List<CommandOption>? Options { get; set; }
}

public sealed class ResolvedData
{
    [JsonPropertyName("users")] public Dictionary<string, DiscordUser>? Users { get; set; }
    [JsonPropertyName("members")] public Dictionary<string, GuildMember>? Members { get; set; }
}
