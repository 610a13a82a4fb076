using System.Text.Json.Nodes;

namespace PeerGroupBot.Teams.Tests.Fakes;

/// <summary>A Teams user as activities name them.</summary>
public sealed record TeamsUser(string Id, string Name, string AadObjectId)
{
    public string MemberId => "teams:" + Id;

    public static TeamsUser New(string name) => new("29:" + name.ToLowerInvariant() + "-" + Guid.NewGuid().ToString("N")[..8], name, Guid.NewGuid().ToString());
}

/// <summary>
/// A fresh team (its general channel) or group chat on the fake connector, with builders for the activities Teams
/// would send from it. Every scene has new ids, so tests sharing a host never see each other's groups.
/// </summary>
public sealed class Scene(FakeBotFramework fake, string conversationType = "channel")
{
    public const string BotName = "PeerGroupBot";
    public string TenantId { get; } = Guid.NewGuid().ToString();
    public string TeamId { get; } = $"19:team-{Guid.NewGuid():N}@thread.tacv2";
    public string ChatId { get; } = $"19:chat-{Guid.NewGuid():N}@thread.v2";
    public string AadGroupId { get; } = Guid.NewGuid().ToString();
    public string ServiceUrl => fake.ServiceUrl;
    public bool IsChannel => conversationType == "channel";

    /// <summary>The team's general channel id (the same as the team id in Teams), or the group chat id.</summary>
    public string ChannelId => IsChannel ? TeamId : ChatId;

    private static int _next;

    public JsonObject Message(TeamsUser from, string text, bool mentionBot = true, params TeamsUser[] mentions)
    {
        var entities = new JsonArray();
        var body = text;
        if (mentionBot && IsChannel)
        {
            body = $"<at>{BotName}</at> {text}";
            entities.Add(new JsonObject { ["type"] = "mention", ["text"] = $"<at>{BotName}</at>", ["mentioned"] = new JsonObject { ["id"] = TeamsBotHost.BotId, ["name"] = BotName } });
        }
        foreach (var user in mentions)
            entities.Add(new JsonObject { ["type"] = "mention", ["text"] = $"<at>{user.Name}</at>", ["mentioned"] = new JsonObject { ["id"] = user.Id, ["name"] = user.Name } });
        var activity = Base("message", from);
        activity["text"] = body;
        activity["textFormat"] = "plain";
        activity["entities"] = entities;
        return activity;
    }

    /// <summary>A message in the member's personal chat with the bot.</summary>
    public JsonObject Personal(TeamsUser from, string text)
    {
        var activity = Base("message", from);
        fake.InstalledFor[from.Id] = true;
        activity["conversation"] = new JsonObject { ["id"] = FakeBotFramework.PersonalConversationOf(from.Id), ["conversationType"] = "personal", ["tenantId"] = TenantId };
        activity["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = TenantId } };
        activity["text"] = text;
        return activity;
    }

    /// <summary>An Action.Execute click on a card the bot posted (<paramref name="cardMessageId"/>).</summary>
    public JsonObject Execute(TeamsUser from, JsonObject action, string cardMessageId, JsonObject? inputs = null, bool personal = false)
    {
        var data = action["data"]!.DeepClone().AsObject();
        foreach (var (key, value) in inputs ?? []) data[key] = value?.DeepClone();
        var activity = personal ? Personal(from, "") : Base("invoke", from);
        activity["type"] = "invoke";
        activity.Remove("text");
        activity["name"] = "adaptiveCard/action";
        activity["replyToId"] = cardMessageId;
        if (!personal && IsChannel) activity["conversation"]!["id"] = $"{TeamId};messageid={cardMessageId}";
        activity["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = action["verb"]!.GetValue<string>(), ["data"] = data },
            ["trigger"] = "manual",
        };
        return activity;
    }

    /// <summary>
    /// A click on Allow (<c>accept</c>) or Decline on a file consent card the bot sent to the member's personal chat:
    /// Teams returns the card's context for that button and, on accept, where to upload the file.
    /// </summary>
    public JsonObject FileConsent(TeamsUser from, JsonObject consentAttachment, string cardMessageId, string action, JsonObject? uploadInfo = null)
    {
        var activity = Personal(from, "");
        activity["type"] = "invoke";
        activity.Remove("text");
        activity["name"] = "fileConsent/invoke";
        activity["replyToId"] = cardMessageId;
        activity["value"] = new JsonObject
        {
            ["type"] = "fileUpload",
            ["action"] = action,
            ["context"] = consentAttachment["content"]![action + "Context"]!.DeepClone(),
            ["uploadInfo"] = uploadInfo?.DeepClone(),
        };
        return activity;
    }

    public JsonObject BotAdded(TeamsUser by)
    {
        var activity = Base("conversationUpdate", by);
        activity["membersAdded"] = new JsonArray(new JsonObject { ["id"] = TeamsBotHost.BotId });
        if (IsChannel) activity["channelData"]!["eventType"] = "teamMemberAdded";
        return activity;
    }

    private JsonObject Base(string type, TeamsUser from)
    {
        var channelData = new JsonObject { ["tenant"] = new JsonObject { ["id"] = TenantId } };
        if (IsChannel)
        {
            fake.InstalledFor[from.Id] = true; // a team member shares a team with the bot
            channelData["team"] = new JsonObject { ["id"] = TeamId, ["name"] = "Peer team", ["aadGroupId"] = AadGroupId };
            channelData["channel"] = new JsonObject { ["id"] = TeamId, ["name"] = "General" };
        }
        return new JsonObject
        {
            ["type"] = type,
            ["id"] = "act-" + Interlocked.Increment(ref _next) + "-" + Guid.NewGuid().ToString("N")[..6],
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
            ["serviceUrl"] = ServiceUrl,
            ["channelId"] = "msteams",
            ["from"] = new JsonObject { ["id"] = from.Id, ["name"] = from.Name, ["aadObjectId"] = from.AadObjectId },
            ["conversation"] = new JsonObject
            {
                ["id"] = IsChannel ? TeamId : ChatId,
                ["conversationType"] = conversationType,
                ["isGroup"] = true,
                ["tenantId"] = TenantId,
            },
            ["recipient"] = new JsonObject { ["id"] = TeamsBotHost.BotId, ["name"] = BotName },
            ["channelData"] = channelData,
        };
    }
}
