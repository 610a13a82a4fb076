using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Teams.Protocol;

namespace PeerGroupBot.Teams.Outbound;

/// <summary>A reply split for Teams: its text (with a note for each file that cannot be shown), its inline images, and its text files.</summary>
public sealed record FilePlan(BotReply Reply, IReadOnlyList<Attachment> Images, IReadOnlyList<ReplyAttachment> TextFiles)
{
    public bool HasFiles => Images.Count > 0 || TextFiles.Count > 0;
}

/// <summary>
/// How the files of a reply (<see cref="BotReply.Attachments"/>) look in Teams, without any I/O:
/// <list type="bullet">
/// <item>PNG, JPEG and GIF images ride on the reply as inline attachments with a base64 <c>data:</c> URL, so nothing
/// is uploaded anywhere. Teams shows images up to 1 MB; a larger one becomes a short note in the reply.</item>
/// <item>Text files (JSON, CSV, text) are offered with a file consent card in the member's personal chat (the only
/// place Teams lets a bot hand over a file without Graph), or shown in a card of their own, in a monospace font.
/// Text over <see cref="MaxShownTextBytes"/>, or a card that would pass Teams' message size limit, becomes a note.</item>
/// </list>
/// Teams refuses bot messages over about 100 KB counted as UTF-16 (two bytes a character; base64 images are not
/// counted) and advises staying within 80 KB, so cards are measured against <see cref="MaxMessageChars"/>.
/// </summary>
public static class FileCards
{
    /// <summary>Largest image sent inline: its data URL stays within Teams' 1 MB image limit.</summary>
    public const int MaxInlineImageBytes = 750 * 1024;

    /// <summary>Largest text file shown in a card.</summary>
    public const int MaxShownTextBytes = 24 * 1024;

    /// <summary>80 KB of UTF-16: the size Teams advises a bot message to stay within, in characters of JSON.</summary>
    public const int MaxMessageChars = 40 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool IsInlineImage(ReplyAttachment file) => file.MediaType is "image/png" or "image/jpeg" or "image/gif";

    public static bool IsText(ReplyAttachment file)
        => file.MediaType.StartsWith("text/", StringComparison.Ordinal) || file.MediaType == "application/json" || file.MediaType.EndsWith("+json", StringComparison.Ordinal);

    /// <summary>Sorts a reply's files and adds a note to its text for each one Teams cannot take.</summary>
    public static FilePlan Plan(BotReply reply)
    {
        if (reply.Attachments.Count == 0) return new FilePlan(reply, [], []);
        var images = new List<Attachment>();
        var texts = new List<ReplyAttachment>();
        var notes = new List<string>();
        foreach (var file in reply.Attachments)
        {
            if (IsInlineImage(file))
            {
                if (file.Content.Length <= MaxInlineImageBytes) images.Add(Image(file));
                else notes.Add(ImageTooLarge(file));
            }
            else if (IsText(file) && TryDecode(file) is not null)
            {
                texts.Add(file);
            }
            else
            {
                notes.Add($"_{file.FileName} can't be shown in Teams._");
            }
        }
        return new FilePlan(WithNotes(reply with { Attachments = [] }, notes), images, texts);
    }

    /// <summary>The reply with extra paragraphs at the end (notes about files that could not be shown).</summary>
    public static BotReply WithNotes(BotReply reply, IReadOnlyCollection<string> notes)
        => notes.Count == 0 ? reply : reply with { Text = (reply.Text.TrimEnd() + "\n\n" + string.Join("\n\n", notes)).Trim() };

    public static string ImageTooLarge(ReplyAttachment file)
        => $"_The image {file.FileName} ({Size(file.Content.Length)}) is too large to show in Teams._";

    /// <summary>An inline image: the bytes as a base64 data URL.</summary>
    public static Attachment Image(ReplyAttachment file) => new()
    {
        ContentType = file.MediaType,
        ContentUrl = $"data:{file.MediaType};base64,{Convert.ToBase64String(file.Content)}",
        Name = file.FileName,
    };

    /// <summary>
    /// A message showing a text file: its name as a heading and its content in a monospace <c>TextBlock</c>, or a
    /// note that it is too large to show in Teams.
    /// </summary>
    public static Activity ContentCard(ReplyAttachment file)
    {
        var text = TryDecode(file);
        if (text is null || file.Content.Length > MaxShownTextBytes) return TooLargeCard(file);
        var activity = CardActivity(file.FileName, Heading(file.FileName), new JsonObject
        {
            ["type"] = "TextBlock",
            ["text"] = Monospaced(text),
            ["fontType"] = "Monospace",
            ["wrap"] = true,
        });
        return Length(activity) <= MaxMessageChars ? activity : TooLargeCard(file);
    }

    public static Activity TooLargeCard(ReplyAttachment file) => CardActivity(file.FileName, Heading(file.FileName), new JsonObject
    {
        ["type"] = "TextBlock",
        ["text"] = $"This file ({Size(file.Content.Length)}) is too large to show in Teams. For your own data, use **me export** in the "
                   + "playground or on Discord, where it comes as a file; for a report, ask for a shorter period.",
        ["wrap"] = true,
    });

    /// <summary>
    /// The file consent card: Teams shows the file's name, size and description with Allow and Decline; the token
    /// comes back in the <c>fileConsent/invoke</c> either way.
    /// </summary>
    public static Activity ConsentCard(ReplyAttachment file, string token)
    {
        var context = new JsonObject { [CardRenderer.DataKey] = token };
        return new Activity
        {
            Type = ActivityTypes.Message,
            Summary = file.FileName,
            Attachments =
            [
                new Attachment
                {
                    ContentType = Attachment.FileConsentType,
                    Name = file.FileName,
                    Content = JsonSerializer.SerializeToElement(new JsonObject
                    {
                        ["description"] = $"{file.FileName}: the file that goes with the message above. Allow to save it to your OneDrive.",
                        ["sizeInBytes"] = file.Content.Length,
                        ["acceptContext"] = context.DeepClone(),
                        ["declineContext"] = context.DeepClone(),
                    }),
                },
            ],
        };
    }

    /// <summary>The card that links a file the bot saved to the member's OneDrive.</summary>
    public static Activity FileInfoCard(FileUploadInfo upload) => new()
    {
        Type = ActivityTypes.Message,
        Text = $"Saved **{upload.Name}** to your OneDrive.",
        TextFormat = "markdown",
        Attachments =
        [
            new Attachment
            {
                ContentType = Attachment.FileInfoType,
                ContentUrl = upload.ContentUrl,
                Name = upload.Name,
                Content = JsonSerializer.SerializeToElement(new JsonObject { ["uniqueId"] = upload.UniqueId, ["fileType"] = upload.FileType }),
            },
        ],
    };

    /// <summary>The token a consent card's context carries, or null.</summary>
    public static string? TokenOf(JsonElement? context)
        => context is { ValueKind: JsonValueKind.Object } c && c.TryGetProperty(CardRenderer.DataKey, out var token) && token.ValueKind == JsonValueKind.String
            ? token.GetString()
            : null;

    /// <summary>The size of an activity as sent, in characters of JSON.</summary>
    public static int Length(Activity activity) => JsonSerializer.Serialize(activity, ProtocolJson.Options).Length;

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} bytes",
        < 1024 * 1024 => $"{Math.Ceiling(bytes / 1024.0).ToString(CultureInfo.InvariantCulture)} KB",
        _ => $"{(bytes / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.InvariantCulture)} MB",
    };

    /// <summary>
    /// Text for a monospace block: line ends as "\n" (Teams breaks lines on it in cards) and leading spaces as
    /// no-break spaces, so JSON keeps its indentation instead of being read as markdown.
    /// </summary>
    public static string Monospaced(string text)
    {
        var lines = text.Replace("\r\n", "\n").TrimEnd('\n').Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ').Length;
            if (indent > 0) lines[i] = new string('\u00a0', indent) + lines[i][indent..];
        }
        return string.Join('\n', lines);
    }

    private static string? TryDecode(ReplyAttachment file)
    {
        try
        {
            return StrictUtf8.GetString(file.Content).TrimStart('\ufeff');
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static JsonObject Heading(string fileName) => new()
    {
        ["type"] = "TextBlock",
        ["text"] = fileName,
        ["size"] = "Medium",
        ["weight"] = "Bolder",
        ["wrap"] = true,
    };

    private static Activity CardActivity(string summary, params JsonObject[] body)
        => CardRenderer.CardActivity(CardRenderer.Envelope(new JsonArray(body)), summary);
}
