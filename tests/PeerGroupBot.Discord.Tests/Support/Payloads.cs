using System.Text.Json;
using System.Text.Json.Nodes;

namespace PeerGroupBot.Discord.Tests.Support;

/// <summary>A Discord user in the tests, with the permissions Discord would compute for them.</summary>
public sealed record TestUser(string Id, string Name, string Permissions = "0", params string[] Roles)
{
    /// <summary>Has Manage Server (permission bit 1 &lt;&lt; 5).</summary>
    public static readonly TestUser Dee = new("42", "Dee", "32");
    public static readonly TestUser Ash = new("43", "Ash");
    public static readonly TestUser Rowan = new("44", "Rowan", "0", DiscordHost.FacilitatorRoleId);

    public string MemberId => $"discord:{Id}";
}

/// <summary>Builds interaction payloads the way Discord sends them.</summary>
public static class Payloads
{
    public const string GuildId = "900";
    private static int _tokens;

    public static string NewChannel() => Random.Shared.NextInt64(100_000_000, 999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A slash command: <paramref name="path"/> is "poll new" (command and subcommand), options by name.</summary>
    public static string Command(TestUser user, string channel, string path, params (string Name, object Value)[] options)
    {
        var parts = path.Split(' ');
        var values = new JsonArray(options.Select(o => (JsonNode)new JsonObject
        {
            ["name"] = o.Name,
            ["type"] = o.Value switch { TestUser => 6, int => 4, bool => 5, _ => 3 },
            ["value"] = o.Value is TestUser u ? u.Id : JsonValue.Create(o.Value),
        }).ToArray());
        JsonArray nested = values;
        for (var i = parts.Length - 1; i >= 1; i--)
            nested = [new JsonObject { ["name"] = parts[i], ["type"] = 1, ["options"] = nested }];
        var data = new JsonObject { ["id"] = "3000", ["name"] = parts[0], ["type"] = 1, ["options"] = nested };
        var mentioned = options.Select(o => o.Value).OfType<TestUser>().ToList();
        if (mentioned.Count > 0)
        {
            data["resolved"] = new JsonObject
            {
                ["users"] = new JsonObject(mentioned.Select(m => KeyValuePair.Create(m.Id, (JsonNode?)User(m)))),
                ["members"] = new JsonObject(mentioned.Select(m => KeyValuePair.Create(m.Id, (JsonNode?)new JsonObject { ["nick"] = m.Name + " (nick)", ["roles"] = new JsonArray() }))),
            };
        }
        return Interaction(2, user, channel, data);
    }

    public static string Click(TestUser user, string channel, string customId, string messageId, bool ephemeralSource = false, params string[] values)
    {
        var data = new JsonObject { ["custom_id"] = customId, ["component_type"] = values.Length > 0 ? 3 : 2 };
        if (values.Length > 0) data["values"] = new JsonArray(values.Select(v => (JsonNode)v).ToArray());
        var message = new JsonObject { ["id"] = messageId, ["channel_id"] = channel, ["flags"] = ephemeralSource ? 64 : 0 };
        return Interaction(3, user, channel, data, message);
    }

    /// <summary>A modal submit in the newer shape: each field in a Label (type 18) holding one component.</summary>
    public static string ModalLabels(TestUser user, string channel, string customId, params (string Id, string Value)[] fields)
        => Interaction(5, user, channel, new JsonObject
        {
            ["custom_id"] = customId,
            ["components"] = new JsonArray(fields.Select(f => (JsonNode)new JsonObject
            {
                ["type"] = 18,
                ["id"] = 1,
                ["component"] = new JsonObject { ["type"] = 4, ["id"] = 2, ["custom_id"] = f.Id, ["value"] = f.Value },
            }).Prepend(new JsonObject { ["type"] = 10, ["id"] = 9, ["content"] = "Some text shown in the modal" }).ToArray()),
        });

    /// <summary>A modal submit in the older shape: action rows of text inputs.</summary>
    public static string ModalRows(TestUser user, string channel, string customId, params (string Id, string Value)[] fields)
        => Interaction(5, user, channel, new JsonObject
        {
            ["custom_id"] = customId,
            ["components"] = new JsonArray(fields.Select(f => (JsonNode)new JsonObject
            {
                ["type"] = 1,
                ["components"] = new JsonArray(new JsonObject { ["type"] = 4, ["custom_id"] = f.Id, ["value"] = f.Value }),
            }).ToArray()),
        });

    /// <summary>The same interaction as Discord sends it from a DM with the bot: a user and no guild or member.</summary>
    public static string AsDirectMessage(string payload)
    {
        var node = JsonNode.Parse(payload)!.AsObject();
        var user = node["member"]!["user"]!.DeepClone();
        node.Remove("guild_id");
        node.Remove("member");
        node["user"] = user;
        node["channel"]!["type"] = 1;
        return node.ToJsonString();
    }

    public static string Ping() => """{"id":"1","application_id":"1000","type":1,"token":"tok","version":1}""";

    /// <summary>The token Discord would give the interaction; unique per payload so follow-ups can be told apart.</summary>
    public static string TokenOf(string payload) => JsonDocument.Parse(payload).RootElement.GetProperty("token").GetString()!;

    /// <summary>A new interaction id (a snowflake): Discord never sends two interactions with the same one.</summary>
    public static string NewInteractionId() => Random.Shared.NextInt64(100_000_000_000_000_000, 999_999_999_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Interaction(int type, TestUser user, string channel, JsonObject data, JsonObject? message = null)
    {
        var token = $"itok-{Interlocked.Increment(ref _tokens)}-{Guid.NewGuid():N}";
        var interaction = new JsonObject
        {
            ["id"] = NewInteractionId(),
            ["application_id"] = DiscordHost.ApplicationId,
            ["type"] = type,
            ["token"] = token,
            ["version"] = 1,
            ["channel_id"] = channel,
            ["channel"] = new JsonObject { ["id"] = channel, ["type"] = 0 },
            ["data"] = data,
        };
        interaction["guild_id"] = GuildId;
        interaction["member"] = new JsonObject
        {
            ["user"] = User(user),
            ["nick"] = null,
            ["roles"] = new JsonArray(user.Roles.Select(r => (JsonNode)r).ToArray()),
            ["permissions"] = user.Permissions,
        };
        if (message is not null) interaction["message"] = message;
        return interaction.ToJsonString();
    }

    private static JsonObject User(TestUser user) => new() { ["id"] = user.Id, ["username"] = user.Name.ToLowerInvariant(), ["global_name"] = user.Name };
}
