namespace PeerGroupBot.Discord.Rendering;

/// <summary>Discord's size limits that a rendered reply must fit; past them Discord rejects the whole message.</summary>
public static class DiscordLimits
{
    public const int Content = 2000;
    public const int EmbedTitle = 256;
    public const int EmbedDescription = 4096;
    public const int EmbedsTotalCharacters = 6000;
    public const int EmbedsPerMessage = 10;
    public const int ActionRows = 5;
    public const int ButtonsPerRow = 5;
    public const int ButtonLabel = 80;
    public const int CustomId = 100;
    public const int SelectOptions = 25;
    public const int SelectOptionText = 100;
    public const int SelectPlaceholder = 150;
    public const int ModalTitle = 45;
    public const int ModalComponents = 5;
    public const int LabelText = 45;
    public const int LabelDescription = 100;
    public const int TextInputLength = 4000;
    public const int TextInputPlaceholder = 100;

    /// <summary>Files in one message.</summary>
    public const int FilesPerMessage = 10;

    /// <summary>One file: Discord's default upload limit, used where no interaction says its own (<c>attachment_size_limit</c>, higher in boosted servers).</summary>
    public const int FileBytes = 10 * 1024 * 1024;

    /// <summary>All files of one message together: Discord's largest request when sending a message.</summary>
    public const int FilesPerRequestBytes = 25 * 1024 * 1024;

    /// <summary>A file's name as sent; Discord would shorten a longer one anyway.</summary>
    public const int FileName = 100;

    /// <summary>A scheduled event's name, and its external location.</summary>
    public const int EventName = 100;
    public const int EventLocation = 100;
    public const int EventDescription = 1000;

    /// <summary>Cuts text to <paramref name="max"/> characters, ending with an ellipsis when it was cut.</summary>
    public static string Fit(string text, int max)
    {
        if (text.Length <= max) return text;
        var cut = max - 1;
        if (char.IsHighSurrogate(text[cut - 1])) cut--; // never split an emoji in half
        return text[..cut].TrimEnd() + "…";
    }
}
