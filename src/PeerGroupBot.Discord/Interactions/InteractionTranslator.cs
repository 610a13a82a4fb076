using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Discord.Commands;
using PeerGroupBot.Discord.Rendering;

namespace PeerGroupBot.Discord.Interactions;

/// <summary>
/// Turns a verified interaction into the core's <see cref="BotInput"/>: a slash command flattens to the text a member
/// would type ("/agenda add text:Tea" is "agenda add Tea", user options become mentions), a button or select becomes an
/// action whose id is the custom_id, and a modal submit becomes a form with its values, read from either modal shape.
/// Who is a facilitator comes from the interaction itself: Manage Server (or Administrator) or a configured role.
/// </summary>
public sealed class InteractionTranslator(IOptions<DiscordOptions> options, CommandManifest manifest)
{
    /// <summary>Permission bits (Discord's numbering) that make a member a facilitator.</summary>
    public static readonly BigInteger Administrator = BigInteger.One << 3;
    public static readonly BigInteger ManageGuild = BigInteger.One << 5;

    /// <summary>The input, or why the interaction cannot be understood (the endpoint answers 400).</summary>
    public sealed record Result(BotInput? Input, string? Problem);

    public Result Translate(Interaction interaction)
    {
        var user = interaction.Actor;
        var channelId = interaction.ChannelIdOrNull;
        if (user?.Id is not { Length: > 0 } userId || !IsSnowflake(userId)) return Fail("no user");
        if (channelId is null || !IsSnowflake(channelId)) return Fail("no channel");
        if (interaction.Data is null) return Fail("no data");

        var actor = new Actor(
            Core.Conversation.MemberIds.Of(Rest.DiscordMessenger.PlatformName, userId),
            DisplayName(interaction.Member, user),
            IsFacilitator(interaction.Member));
        var place = new Place(Rest.DiscordMessenger.PlatformName, channelId, IsPrivate: interaction.GuildId is null);
        var data = interaction.Data;

        switch (interaction.Type)
        {
            case InteractionType.ApplicationCommand:
            {
                if (string.IsNullOrWhiteSpace(data.Name)) return Fail("command without a name");
                var (text, mentions) = Flatten(data);
                return new Result(new BotInput { Actor = actor, Place = place, Kind = InputKind.Message, Text = text, Mentions = mentions, TypedInView = false }, null);
            }
            case InteractionType.MessageComponent:
            {
                if (string.IsNullOrEmpty(data.CustomId)) return Fail("component without a custom_id");
                if (FormReopen.TryRead(data.CustomId, out var kind, out var replayed))
                {
                    // "Open the form" after a slow start: the member's original command or click, run again.
                    return new Result(kind == InputKind.Message
                        ? new BotInput { Actor = actor, Place = place, Kind = InputKind.Message, Text = replayed, TypedInView = false }
                        : new BotInput { Actor = actor, Place = place, Kind = InputKind.Action, ActionId = replayed, SourceMessageId = interaction.Message?.Id, GathersSelects = false }, null);
                }
                return new Result(new BotInput
                {
                    Actor = actor,
                    Place = place,
                    Kind = InputKind.Action,
                    ActionId = data.CustomId,
                    Selected = data.Values ?? [],
                    SourceMessageId = interaction.Message?.Id,
                    GathersSelects = false, // each select menu in a message sends its own interaction
                }, null);
            }
            case InteractionType.ModalSubmit:
            {
                if (string.IsNullOrEmpty(data.CustomId)) return Fail("modal without a custom_id");
                return new Result(new BotInput
                {
                    Actor = actor,
                    Place = place,
                    Kind = InputKind.Form,
                    ActionId = data.CustomId,
                    Values = ModalValues(data.Components),
                    SourceMessageId = interaction.Message?.Id,
                }, null);
            }
            default:
                return Fail("unsupported interaction type");
        }
    }

    /// <summary>
    /// Reads a modal's answers by field id. Accepts the newer shape (a Label, type 18, holding one component) and the
    /// older one (action rows holding text inputs), and skips anything else (text displays).
    /// </summary>
    public static Dictionary<string, string> ModalValues(IEnumerable<Component>? components)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var top in components ?? [])
        {
            List<Component> fields = top.Type switch
            {
                ComponentTypes.Label => top.Child is null ? [] : [top.Child],
                ComponentTypes.ActionRow => top.Components ?? [],
                _ => [],
            };
            foreach (var field in fields)
            {
                if (string.IsNullOrEmpty(field.CustomId)) continue;
                var value = field.Type switch
                {
                    ComponentTypes.TextInput => field.Value ?? "",
                    ComponentTypes.StringSelect => field.Values?.FirstOrDefault() ?? "",
                    _ => null,
                };
                if (value is not null) values[field.CustomId] = value;
            }
        }
        return values;
    }

    private (string Text, IReadOnlyList<Mention> Mentions) Flatten(InteractionData data)
    {
        var words = new List<string> { data.Name!.Trim().ToLowerInvariant() };
        var path = words[0];
        var current = data.Options ?? [];
        while (current is [{ Type: CommandOptionType.SubCommand or CommandOptionType.SubCommandGroup } nested])
        {
            var name = (nested.Name ?? "").Trim().ToLowerInvariant();
            path += " " + name;
            words.Add(name);
            current = nested.Options ?? [];
        }
        if (CommandManifest.IsBare(path)) words.RemoveAt(words.Count - 1);

        var mentions = new List<Mention>();
        var ordered = current.Select((option, index) => (option, index))
            .OrderBy(x => manifest.OptionPosition(path, x.option.Name ?? ""))
            .ThenBy(x => x.index)
            .Select(x => x.option);
        foreach (var option in ordered)
        {
            if (option.Value is not { } value) continue;
            switch (option.Type)
            {
                case CommandOptionType.User or CommandOptionType.Mentionable:
                    var id = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                    if (id is null || !IsSnowflake(id)) break;
                    var shown = MentionedName(data.Resolved, id);
                    mentions.Add(new Mention(Core.Conversation.MemberIds.Of(Rest.DiscordMessenger.PlatformName, id), shown));
                    words.Add("@" + shown);
                    break;
                case CommandOptionType.Boolean:
                    words.Add(value.ValueKind == JsonValueKind.True ? "yes" : "no");
                    break;
                case CommandOptionType.Integer or CommandOptionType.Number:
                    if (value.ValueKind == JsonValueKind.Number) words.Add(value.GetRawText());
                    break;
                default:
                    if (value.ValueKind == JsonValueKind.String && value.GetString()!.Trim() is { Length: > 0 } text) words.Add(text);
                    break;
            }
        }
        return (string.Join(' ', words), mentions);
    }

    private bool IsFacilitator(GuildMember? member)
    {
        if (member is null) return false; // a DM says nothing about standing in a server
        if (BigInteger.TryParse(member.Permissions, NumberStyles.None, CultureInfo.InvariantCulture, out var permissions)
            && ((permissions & ManageGuild) != 0 || (permissions & Administrator) != 0))
            return true;
        var roles = options.Value.FacilitatorRoleIds;
        return roles.Count > 0 && member.Roles is { Count: > 0 } held && held.Any(roles.Contains);
    }

    private static string DisplayName(GuildMember? member, DiscordUser user)
        => FirstNonEmpty(member?.Nick, user.GlobalName, user.Username) ?? "A Discord member";

    private static string MentionedName(ResolvedData? resolved, string id)
    {
        DiscordUser? user = null;
        GuildMember? member = null;
        resolved?.Users?.TryGetValue(id, out user);
        resolved?.Members?.TryGetValue(id, out member);
        return FirstNonEmpty(member?.Nick, user?.GlobalName, user?.Username) ?? "member";
    }

    private static string? FirstNonEmpty(params string?[] names)
    {
        var name = names.FirstOrDefault(n => !string.IsNullOrWhiteSpace(n))?.Trim();
        return name is null ? null : DiscordLimits.Fit(name, 80);
    }

    private static bool IsSnowflake(string id) => id.Length is > 0 and <= 25 && id.All(char.IsAsciiDigit);

    private static Result Fail(string problem) => new(null, problem);
}
