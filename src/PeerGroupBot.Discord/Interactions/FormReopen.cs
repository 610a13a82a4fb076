using PeerGroupBot.Core.Conversation;

namespace PeerGroupBot.Discord.Interactions;

/// <summary>
/// Discord opens a modal only as the very first answer to a command or click. When the core took too long and the
/// answer had to be deferred, the form is offered behind an "Open the form" button whose custom_id carries the
/// member's original command or click; pressing it runs that input again, and this time the modal can open at once.
/// The replayed input runs as the member who presses the button, with their own permissions.
/// </summary>
public static class FormReopen
{
    private const string MessagePrefix = "~form:m:";
    private const string ActionPrefix = "~form:a:";

    /// <summary>The custom_id that replays <paramref name="input"/>, or null when it cannot be replayed (too long, or a form submit).</summary>
    public static string? CustomIdFor(BotInput input)
    {
        var id = input.Kind switch
        {
            InputKind.Message => MessagePrefix + input.Text.Trim(),
            InputKind.Action when input.Selected.Count == 0 => ActionPrefix + input.ActionId,
            _ => null,
        };
        return id is not null && id.Length <= Rendering.DiscordLimits.CustomId ? id : null;
    }

    public static bool TryRead(string customId, out InputKind kind, out string value)
    {
        if (customId.StartsWith(MessagePrefix, StringComparison.Ordinal))
        {
            (kind, value) = (InputKind.Message, customId[MessagePrefix.Length..]);
            return value.Length > 0;
        }
        if (customId.StartsWith(ActionPrefix, StringComparison.Ordinal))
        {
            (kind, value) = (InputKind.Action, customId[ActionPrefix.Length..]);
            return value.Length > 0;
        }
        (kind, value) = (InputKind.Action, "");
        return false;
    }
}
