using System.Text.Json;

namespace PeerGroupBot.Discord.Tests.Support;

/// <summary>Reading what the bot sent: the text a member would see in content and embeds, buttons, flags.</summary>
public static class DiscordMessages
{
    public static int Type(this JsonElement response) => response.GetProperty("type").GetInt32();

    public static JsonElement Data(this JsonElement response) => response.GetProperty("data");

    /// <summary>Content plus every embed's title and description, as a member reads the message.</summary>
    public static string VisibleText(this JsonElement message)
    {
        var parts = new List<string>();
        if (message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String) parts.Add(content.GetString()!);
        if (message.TryGetProperty("embeds", out var embeds))
        {
            foreach (var embed in embeds.EnumerateArray())
            {
                if (embed.TryGetProperty("title", out var title)) parts.Add(title.GetString()!);
                if (embed.TryGetProperty("description", out var description)) parts.Add(description.GetString()!);
            }
        }
        return string.Join("\n", parts);
    }

    public static bool IsEphemeral(this JsonElement message)
        => message.TryGetProperty("flags", out var flags) && flags.ValueKind == JsonValueKind.Number && (flags.GetInt32() & 64) != 0;

    /// <summary>Every button and select custom_id in the message's action rows.</summary>
    public static IReadOnlyList<string> CustomIds(this JsonElement message)
        => !message.TryGetProperty("components", out var rows) ? [] :
            rows.EnumerateArray().SelectMany(r => r.GetProperty("components").EnumerateArray()).Select(c => c.GetProperty("custom_id").GetString()!).ToList();

    /// <summary>The message JSON's <c>attachments</c> entries as (id, filename); empty when it names no files.</summary>
    public static IReadOnlyList<(int Id, string FileName)> AttachmentSlots(this JsonElement message)
        => !message.TryGetProperty("attachments", out var slots) ? [] :
            slots.EnumerateArray().Select(s => (s.GetProperty("id").GetInt32(), s.GetProperty("filename").GetString()!)).ToList();

    /// <summary>
    /// An upload as Discord reads it: multipart, each <c>files[n]</c> part named in the JSON's attachments with the same
    /// id and file name, and nothing else. Returns the files in order.
    /// </summary>
    public static IReadOnlyList<RecordedFile> AssertUpload(this RecordedRequest request)
    {
        Assert.True(request.IsMultipart, $"{request.Method} {request.Path} was not an upload");
        var slots = request.Json.AttachmentSlots();
        Assert.Equal(slots.Select(s => ($"files[{s.Id}]", s.FileName)), request.Files.Select(f => (f.PartName, f.FileName)));
        return request.Files;
    }

    /// <summary>The message carries <c>allowed_mentions: {"parse": []}</c>, so nothing in it can ping anyone.</summary>
    public static void AssertPingsNobody(this JsonElement message)
    {
        Assert.True(message.TryGetProperty("allowed_mentions", out var allowed), "allowed_mentions missing: " + message);
        var parse = allowed.GetProperty("parse");
        Assert.Equal(JsonValueKind.Array, parse.ValueKind);
        Assert.Equal(0, parse.GetArrayLength());
        Assert.False(allowed.TryGetProperty("users", out _));
        Assert.False(allowed.TryGetProperty("roles", out _));
    }
}
