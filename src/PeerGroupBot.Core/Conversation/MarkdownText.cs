using System.Text.RegularExpressions;

namespace PeerGroupBot.Core.Conversation;

/// <summary>
/// Member text (poll questions and options, agenda items, group names, display names, concern text…) is interpolated
/// into replies, and Teams and Discord would render whatever markdown it holds: <c>[login](https://evil.example)</c> in a
/// poll option became a live link in every card. The bot's own text uses only the small subset on
/// <see cref="BotReply"/> (bold, italic, code, "- " bullets) and never a link, heading, quote or mention, so the
/// renderers pass every reply through <see cref="Neutralise"/>: masked links, headings, block quotes and mention syntax
/// are escaped with a backslash (shown as typed on both platforms), wherever they came from. Code spans are left alone:
/// their content is shown literally everywhere. The playground renders none of these constructs, so there is nothing to
/// escape there.
/// </summary>
public static partial class MarkdownText
{
    public static string Neutralise(string text)
        => string.IsNullOrEmpty(text) ? text : Risky().Replace(text, m =>
        {
            if (m.Groups["code"].Success) return m.Value;
            if (m.Groups["line"].Success) return m.Groups["indent"].Value + "\\" + m.Groups["line"].Value;
            return "\\" + m.Value;
        });

    // A code span (kept); a heading, subtext or quote marker at the start of a line; a backslash or bracket (masked
    // links); the "<" of a Discord mention, channel, command or emoji.
    [GeneratedRegex(@"(?<code>`[^`\n]+`)|(?m:^(?<indent>[ \t]*)(?<line>#{1,6}(?=[ \t])|-#(?=[ \t])|>))|[\\\[\]]|<(?=[@#/:]|a:)")]
    private static partial Regex Risky();
}
