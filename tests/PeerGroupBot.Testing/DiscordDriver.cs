using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using NSec.Cryptography;

namespace PeerGroupBot.Testing;

/// <summary>
/// Sends interactions the way Discord does: JSON bodies signed with Ed25519 over timestamp + raw body, to
/// <c>/api/discord/interactions</c>. The key pair is made per driver; the host is configured with its public half
/// (<see cref="PublicKeyHex"/>). Used by the tests that run the real host and by the bench.
/// </summary>
public sealed class DiscordDriver : IDisposable
{
    public const string ApplicationId = "1000";
    public const string GuildId = "900";
    private readonly Key _key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.None });
    private long _tokens;

    public string PublicKeyHex => Convert.ToHexStringLower(_key.PublicKey.Export(KeyBlobFormat.RawPublicKey));

    /// <summary>The signature Discord would send in <c>X-Signature-Ed25519</c> for this timestamp and body.</summary>
    public string Sign(string timestamp, byte[] body)
        => Convert.ToHexStringLower(SignatureAlgorithm.Ed25519.Sign(_key, [.. Encoding.UTF8.GetBytes(timestamp), .. body]));

    /// <summary>A request with a valid signature over <paramref name="body"/>, timed now unless <paramref name="timestamp"/> is given.</summary>
    public HttpRequestMessage Signed(byte[] body, string? timestamp = null)
    {
        timestamp ??= DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return Raw(body, Sign(timestamp, body), timestamp);
    }

    /// <summary>A request with whatever signature headers are given (null leaves a header out).</summary>
    public static HttpRequestMessage Raw(byte[] body, string? signature, string? timestamp, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/discord/interactions") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (signature is not null) request.Headers.TryAddWithoutValidation("X-Signature-Ed25519", signature);
        if (timestamp is not null) request.Headers.TryAddWithoutValidation("X-Signature-Timestamp", timestamp);
        return request;
    }

    /// <summary>A slash command such as "poll new" (command and subcommand) with string options.</summary>
    public string Command(string userId, string permissions, string channel, string path, params (string Name, string Value)[] options)
    {
        var parts = path.Split(' ');
        JsonArray nested = new(options.Select(o => (JsonNode)new JsonObject { ["name"] = o.Name, ["type"] = 3, ["value"] = o.Value }).ToArray());
        for (var i = parts.Length - 1; i >= 1; i--)
            nested = [new JsonObject { ["name"] = parts[i], ["type"] = 1, ["options"] = nested }];
        return Interaction(2, userId, permissions, channel, new JsonObject { ["id"] = "3000", ["name"] = parts[0], ["type"] = 1, ["options"] = nested });
    }

    /// <summary>A button click on a message the bot posted.</summary>
    public string Click(string userId, string channel, string customId, string messageId)
        => Interaction(3, userId, "0", channel, new JsonObject { ["custom_id"] = customId, ["component_type"] = 2 },
            new JsonObject { ["id"] = messageId, ["channel_id"] = channel, ["flags"] = 0 });

    private string Interaction(int type, string userId, string permissions, string channel, JsonObject data, JsonObject? message = null)
    {
        var interaction = new JsonObject
        {
            ["id"] = Random.Shared.NextInt64(100_000_000_000_000_000, 999_999_999_999_999_999).ToString(CultureInfo.InvariantCulture), // unique, as Discord's are
            ["application_id"] = ApplicationId,
            ["type"] = type,
            ["token"] = $"itok-{Interlocked.Increment(ref _tokens)}-{Guid.NewGuid():N}",
            ["version"] = 1,
            ["channel_id"] = channel,
            ["channel"] = new JsonObject { ["id"] = channel, ["type"] = 0 },
            ["guild_id"] = GuildId,
            ["member"] = new JsonObject
            {
                ["user"] = new JsonObject { ["id"] = userId, ["username"] = "member" + userId, ["global_name"] = "Member " + userId },
                ["nick"] = null,
                ["roles"] = new JsonArray(),
                ["permissions"] = permissions,
            },
            ["data"] = data,
        };
        if (message is not null) interaction["message"] = message;
        return interaction.ToJsonString();
    }

    public void Dispose() => _key.Dispose();
}
