using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PeerGroupBot.Bench;

/// <summary>
/// Builds Bot Framework activities as Teams sends them from a team's general channel. The host runs with
/// <c>Teams:AppId</c> empty (local mode), which accepts unauthenticated requests from loopback only.
/// </summary>
public sealed class TeamsDriver(string serviceUrl)
{
    public const string BotId = "28:peergroupbot-bench";
    public const string Path = "/api/teams/messages";
    private long _next;

    public static string TeamOf(int group) => $"19:bench-team-{group}@thread.tacv2";

    public static HttpRequestMessage Post(JsonObject activity) => new(HttpMethod.Post, Path) { Content = JsonContent.Create(activity) };

    public JsonObject BotAdded(int group, string userId)
    {
        var activity = Base("conversationUpdate", group, userId);
        activity["membersAdded"] = new JsonArray(new JsonObject { ["id"] = BotId });
        activity["channelData"]!["eventType"] = "teamMemberAdded";
        return activity;
    }

    /// <summary>A channel message that @mentions the bot.</summary>
    public JsonObject Message(int group, string userId, string text)
    {
        var activity = Base("message", group, userId);
        activity["text"] = $"<at>PeerGroupBot</at> {text}";
        activity["textFormat"] = "plain";
        activity["entities"] = new JsonArray(new JsonObject
        {
            ["type"] = "mention",
            ["text"] = "<at>PeerGroupBot</at>",
            ["mentioned"] = new JsonObject { ["id"] = BotId, ["name"] = "PeerGroupBot" },
        });
        return activity;
    }

    /// <summary>An Action.Execute click (an invoke) on the card with id <paramref name="cardId"/>.</summary>
    public JsonObject Execute(int group, string userId, string verb, string cardId)
    {
        var activity = Base("invoke", group, userId);
        activity["name"] = "adaptiveCard/action";
        activity["replyToId"] = cardId;
        activity["conversation"]!["id"] = $"{TeamOf(group)};messageid={cardId}";
        activity["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb },
            ["trigger"] = "manual",
        };
        return activity;
    }

    private JsonObject Base(string type, int group, string userId)
    {
        var team = TeamOf(group);
        return new JsonObject
        {
            ["type"] = type,
            ["id"] = $"act-{Interlocked.Increment(ref _next)}-{Guid.NewGuid():N}",
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
            ["serviceUrl"] = serviceUrl,
            ["channelId"] = "msteams",
            ["from"] = new JsonObject { ["id"] = "29:" + userId, ["name"] = "Member " + userId, ["aadObjectId"] = DeterministicGuid(userId) },
            ["conversation"] = new JsonObject { ["id"] = team, ["conversationType"] = "channel", ["isGroup"] = true, ["tenantId"] = "bench-tenant" },
            ["recipient"] = new JsonObject { ["id"] = BotId, ["name"] = "PeerGroupBot" },
            ["channelData"] = new JsonObject
            {
                ["tenant"] = new JsonObject { ["id"] = "bench-tenant" },
                ["team"] = new JsonObject { ["id"] = team, ["name"] = "Bench team", ["aadGroupId"] = DeterministicGuid(team) },
                ["channel"] = new JsonObject { ["id"] = team, ["name"] = "General" },
            },
        };
    }

    private static string DeterministicGuid(string seed)
        => new Guid(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(seed))).ToString();
}
