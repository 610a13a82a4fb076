using System.Globalization;
using PeerGroupBot.Core.Conversation;

namespace PeerGroupBot.Discord.Rendering;

/// <summary>
/// Fits a reply's files to what one Discord message can carry: at most 10 files, each within the upload limit (Discord's
/// default 10 MiB, or the <c>attachment_size_limit</c> an interaction states for its server), and what one request may carry in all. A file that does not fit is left out, and the message says which one and what to do,
/// instead of Discord refusing the whole message. File names are reduced to safe characters for the upload headers.
/// </summary>
public static class ReplyFiles
{
    public const string AskForLess = "Ask for less at once, for example a shorter period with `record report 30d`.";

    /// <summary>The files that can be sent, in order, and a note for each one that cannot.</summary>
    public static (List<ReplyAttachment> Sent, List<string> Notes) Fit(IReadOnlyList<ReplyAttachment> files, long fileLimit = DiscordLimits.FileBytes)
    {
        var sent = new List<ReplyAttachment>();
        var notes = new List<string>();
        var left = new List<string>();
        long total = 0;
        foreach (var file in files)
        {
            var name = SafeName(file.FileName);
            if (file.Content.Length > fileLimit)
            {
                notes.Add(TooLargeNote(name, file.Content.Length, fileLimit));
                continue;
            }
            if (sent.Count == DiscordLimits.FilesPerMessage || total + file.Content.Length > DiscordLimits.FilesPerRequestBytes)
            {
                left.Add(name);
                continue;
            }
            total += file.Content.Length;
            sent.Add(file with { FileName = name, MediaType = SafeMediaType(file.MediaType) });
        }
        if (left.Count > 0) notes.Add(NotAttachedNote(left));
        return (sent, notes);
    }

    /// <summary>The note that replaces a file over Discord's limit for one file.</summary>
    public static string TooLargeNote(string fileName, long bytes, long limit = DiscordLimits.FileBytes)
        => $"*(`{fileName}` is {Mebibytes(bytes)} MiB, over Discord's {Mebibytes(limit)} MiB limit for a file here, so it isn't attached. {AskForLess})*";

    /// <summary>The note for files past the message's count or total size.</summary>
    public static string NotAttachedNote(IReadOnlyList<string> fileNames)
        => $"*(Discord takes at most {DiscordLimits.FilesPerMessage} files and {DiscordLimits.FilesPerRequestBytes / (1024 * 1024)} MiB in one message, "
            + $"so {string.Join(", ", fileNames.Select(n => $"`{n}`"))} {(fileNames.Count == 1 ? "isn't" : "aren't")} attached. {AskForLess})*";

    /// <summary>Letters, digits, '-', '_' and '.' only (anything else becomes '_'), at most 100 characters, extension kept.</summary>
    public static string SafeName(string fileName)
    {
        var safe = new string(fileName.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '_').ToArray()).TrimStart('.');
        if (safe.Trim('_', '.').Length == 0) return "file";
        if (safe.Length <= DiscordLimits.FileName) return safe;
        var extension = Path.GetExtension(safe);
        if (extension.Length > 10) extension = "";
        return safe[..(DiscordLimits.FileName - extension.Length)] + extension;
    }

    /// <summary>A media type as a header value: a plain <c>type/subtype</c>, or a generic binary type.</summary>
    private static string SafeMediaType(string mediaType)
    {
        var parts = mediaType.Split('/');
        return parts.Length == 2 && parts.All(p => p.Length is > 0 and <= 64 && p.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '+' or '.'))
            ? mediaType
            : "application/octet-stream";
    }

    private static string Mebibytes(long bytes) => (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture);
}
