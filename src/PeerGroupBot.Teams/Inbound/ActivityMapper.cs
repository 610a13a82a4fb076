using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Teams.Outbound;
using PeerGroupBot.Teams.Protocol;

namespace PeerGroupBot.Teams.Inbound;

/// <summary>
/// Turns a Teams activity into the core's <see cref="BotInput"/>: typed messages (bot @mention stripped, other
/// mentions kept), <c>Action.Submit</c> values and <c>Action.Execute</c> invokes. Pure: no I/O, so every mapping rule
/// is tested without HTTP.
/// </summary>
public static partial class ActivityMapper
{
    public const string Platform = "teams";

    public static string MemberIdOf(string teamsUserId) => MemberIds.Of(Platform, teamsUserId);

    public static bool IsPersonal(Activity activity) => activity.Conversation?.ConversationType == ConversationTypes.Personal;

    public static bool IsChannel(Activity activity)
        => activity.Conversation?.ConversationType == ConversationTypes.Channel || activity.ChannelData?.Channel?.Id is not null;

    /// <summary>
    /// The place a group lives in: a team channel (its id without the thread suffix), a group chat, or a personal chat.
    /// Replies in a channel thread still belong to the channel.
    /// </summary>
    public static Place PlaceOf(Activity activity)
    {
        var conversationId = activity.Conversation?.Id ?? "";
        if (IsPersonal(activity)) return new Place(Platform, conversationId, IsPrivate: true);
        var channelId = activity.ChannelData?.Channel?.Id;
        if (string.IsNullOrEmpty(channelId)) channelId = StripThread(conversationId);
        return new Place(Platform, channelId, IsPrivate: false);
    }

    /// <summary>A channel thread's conversation id is "{channel};messageid={root}": the channel is the part before.</summary>
    public static string StripThread(string conversationId)
    {
        var at = conversationId.IndexOf(";messageid=", StringComparison.OrdinalIgnoreCase);
        return at < 0 ? conversationId : conversationId[..at];
    }

    public static Actor ActorOf(Activity activity, bool isFacilitator)
        => new(MemberIdOf(activity.From!.Id!), string.IsNullOrWhiteSpace(activity.From.Name) ? "A member" : activity.From.Name!, isFacilitator);

    /// <summary>Maps an activity, or returns null when it carries nothing the core can act on.</summary>
    public static BotInput? ToInput(Activity activity, bool isFacilitator)
    {
        if (activity.From?.Id is null || activity.Conversation?.Id is null) return null;
        var actor = ActorOf(activity, isFacilitator);
        var place = PlaceOf(activity);

        if (activity.Type == ActivityTypes.Invoke)
            return activity.Name == "adaptiveCard/action" ? FromExecute(activity, actor, place) : null;

        if (activity.Type != ActivityTypes.Message) return null;
        if (activity.Value is { ValueKind: JsonValueKind.Object } submitted && string.IsNullOrWhiteSpace(activity.Text))
            return FromData(submitted, verb: null, actor, place, activity.ReplyToId);

        var (text, mentions) = CleanText(activity);
        return new BotInput { Actor = actor, Place = place, Kind = InputKind.Message, Text = text, Mentions = mentions };
    }

    /// <summary>Text as the member typed it: the bot's mention removed, other mentions as "@Name", HTML entities decoded.</summary>
    public static (string Text, IReadOnlyList<Mention> Mentions) CleanText(Activity activity)
    {
        var text = activity.Text ?? "";
        var mentions = new List<Mention>();
        foreach (var entity in activity.Entities ?? [])
        {
            if (entity.Type != "mention" || entity.Mentioned?.Id is null) continue;
            var isBot = entity.Mentioned.Id == activity.Recipient?.Id;
            if (!string.IsNullOrEmpty(entity.Text))
                text = text.Replace(entity.Text, isBot ? " " : "@" + MentionName(entity), StringComparison.Ordinal);
            if (!isBot && mentions.All(m => m.MemberId != MemberIdOf(entity.Mentioned.Id)))
                mentions.Add(new Mention(MemberIdOf(entity.Mentioned.Id), entity.Mentioned.Name ?? MentionName(entity)));
        }
        text = AtTag().Replace(text, m => "@" + m.Groups[1].Value); // a mention without an entity
        text = HtmlTag().Replace(text, " ");
        text = WebUtility.HtmlDecode(text).Replace('\u00a0', ' ');
        return (Spaces().Replace(text, " ").Trim(), mentions);
    }

    private static string MentionName(Entity entity)
    {
        var inner = AtTag().Match(entity.Text ?? "");
        return inner.Success ? WebUtility.HtmlDecode(inner.Groups[1].Value) : entity.Mentioned?.Name ?? "someone";
    }

    private static BotInput? FromExecute(Activity activity, Actor actor, Place place)
    {
        if (activity.Value is not { ValueKind: JsonValueKind.Object } value) return null;
        if (!value.TryGetProperty("action", out var action) || action.ValueKind != JsonValueKind.Object) return null;
        var verb = action.TryGetProperty("verb", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var data = action.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
        if (data.ValueKind != JsonValueKind.Object)
            return string.IsNullOrEmpty(verb) ? null : new BotInput { Actor = actor, Place = place, Kind = InputKind.Action, ActionId = verb, SourceMessageId = activity.ReplyToId };
        return FromData(data, verb, actor, place, activity.ReplyToId);
    }

    /// <summary>Action data as <see cref="CardRenderer"/> wrote it, with the card's input values merged in by Teams.</summary>
    private static BotInput? FromData(JsonElement data, string? verb, Actor actor, Place place, string? sourceMessageId)
    {
        string? kind = null, field = null, actionId = verb;
        List<string> selectIds = [];
        if (data.TryGetProperty(CardRenderer.DataKey, out var ours) && ours.ValueKind == JsonValueKind.Object)
        {
            kind = StringOf(ours, "k");
            field = StringOf(ours, "f");
            if (string.IsNullOrEmpty(actionId)) actionId = StringOf(ours, "a");
            if (ours.TryGetProperty("s", out var ids) && ids.ValueKind == JsonValueKind.Array)
                selectIds = [.. ids.EnumerateArray().Take(MaxGatheredSelects).Select(id => id.ValueKind == JsonValueKind.String ? id.GetString() ?? "" : "")];
        }
        if (string.IsNullOrEmpty(actionId)) return null;

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in data.EnumerateObject())
        {
            if (property.Name == CardRenderer.DataKey || values.Count >= 50) continue;
            var text = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                _ => null,
            };
            if (text is not null) values[property.Name] = text;
        }

        if (kind == "select" && field is not null)
            return new BotInput { Actor = actor, Place = place, Kind = InputKind.Action, ActionId = actionId, Selected = Chosen(values, field), SourceMessageId = sourceMessageId };
        if (kind == "selects")
        {
            // Every select of the card at once: input pgb_select_i belongs to the i-th listed select. Teams leaves an
            // empty input out of the data, and an empty input is what the member left unticked.
            var choices = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            for (var i = 0; i < selectIds.Count; i++)
                if (selectIds[i].Length > 0) choices[selectIds[i]] = Chosen(values, CardRenderer.SelectInputPrefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return new BotInput { Actor = actor, Place = place, Kind = InputKind.Action, ActionId = actionId, Choices = choices, SourceMessageId = sourceMessageId };
        }
        var isForm = kind == "form" || (kind is null && values.Count > 0);
        return new BotInput
        {
            Actor = actor,
            Place = place,
            Kind = isForm ? InputKind.Form : InputKind.Action,
            ActionId = actionId,
            Values = isForm ? values : new Dictionary<string, string>(),
            SourceMessageId = sourceMessageId,
        };
    }

    /// <summary>The most selects one card's submit can carry (a rota poll has at most 12 dates).</summary>
    public const int MaxGatheredSelects = 25;

    /// <summary>A multi-select's values: Teams sends them comma separated in one string.</summary>
    private static string[] Chosen(Dictionary<string, string> values, string inputId)
        => values.GetValueOrDefault(inputId, "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string? StringOf(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [GeneratedRegex(@"<at[^>]*>(.*?)</at>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex AtTag();

    [GeneratedRegex(@"</?[a-zA-Z][^<>]{0,200}>")]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"[ \t]+")]
    private static partial Regex Spaces();
}
