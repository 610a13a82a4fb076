using System.Text.RegularExpressions;

namespace PeerGroupBot.Core.Conversation;

/// <summary>
/// Member text (poll questions and options, agenda items, group names, display names, concern text…) is interpolated
/// into replies, and Teams and Discord would render whatever markdown it holds: <c>[login](https://evil.example)</c> in a
/// poll option became a live link in every card. The bot's own text uses only the small subset on
/// <see cref="BotReply"/> (bold, italic, code, "- " bullets) and never a link, heading, quote or mention, so the
/// renderers pass every reply through <see cref="Neutralise"/>: masked links, headings, block quotes and mention syntax
/// are escaped with a backslash (shown as typed on both platforms), wherever they came from. The bot's code spans are
/// left alone; a member's backticks are marked where member text enters a reply (<see cref="Member"/>) and shown as
/// typed on every platform. The playground renders none of these constructs, so there is nothing to escape there.
/// </summary>
public static partial class MarkdownText
{
    /// <summary>
    /// A member's backtick, as <see cref="Member"/> marks it (a private-use character no keyboard types). Bot text and
    /// member text are one string by the time a renderer sees them, and the bot's own `code` spans must stay code
    /// while a member's backtick must show as typed (otherwise `x` or ``` in a poll option opens a code span or block
    /// and swallows the rest of the line): so member text is marked where it is put into a reply, and each renderer
    /// shows the mark as its platform needs (<see cref="Neutralise"/>: a backslash-escaped backtick for Discord;
    /// <see cref="Literal"/>: a plain backtick where no code spans are rendered, as in Teams cards and the playground).
    /// </summary>
    public const char MemberBacktick = '\uE060';

    /// <summary>Member-written text with its backticks marked (<see cref="MemberBacktick"/>), for use inside a reply's text.</summary>
    public static string Member(string? text) => string.IsNullOrEmpty(text) ? text ?? "" : text.Replace('`', MemberBacktick);

    /// <summary>The marks of <see cref="Member"/> back to plain backticks, for text no markdown is rendered from.</summary>
    public static string Literal(string text) => string.IsNullOrEmpty(text) ? text : text.Replace(MemberBacktick, '`');

    /// <summary>
    /// Escapes masked links, headings, quotes and mention syntax; a member's backtick becomes <c>\`</c> unless
    /// <paramref name="keepMemberBackticks"/> (the caller resolves the marks itself, after its own code-span handling).
    /// </summary>
    public static string Neutralise(string text, bool keepMemberBackticks = false)
        => string.IsNullOrEmpty(text) ? text : Risky().Replace(text, m =>
        {
            if (m.Groups["code"].Success) return m.Value;
            if (m.Groups["line"].Success) return m.Groups["indent"].Value + "\\" + m.Groups["line"].Value;
            if (m.Groups["member"].Success) return keepMemberBackticks ? m.Value : "\\`";
            return "\\" + m.Value;
        });

    // A code span (kept); a heading, subtext or quote marker at the start of a line; a backslash or bracket (masked
    // links); the "<" of a Discord mention, channel, command or emoji; a member's backtick.
    [GeneratedRegex(@"(?<code>`[^`\n]+`)|(?m:^(?<indent>[ \t]*)(?<line>#{1,6}(?=[ \t])|-#(?=[ \t])|>))|[\\\[\]]|<(?=[@#/:]|a:)|(?<member>\uE060)")]
    private static partial Regex Risky();
}
