using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;
using PeerGroupBot.Core.Conversation;

namespace PeerGroupBot.Core.Time;

/// <summary>
/// A moment in a reply, marked so each platform can show it its own way while the core stays platform-neutral. Text
/// keeps its human form in the group's zone ("Tuesday 3 November, 18:30–20:00") and carries an invisible mark right
/// after it: two private-use characters around the Unix time. Discord turns a mark into timestamp markup, which every
/// reader sees in their own zone; every other renderer drops it (<see cref="Plain(BotReply)"/>), leaving the text as
/// it always was.
/// </summary>
public static partial class TimeMarks
{
    public const char Open = '\uE000';
    public const char Close = '\uE001';

    [GeneratedRegex("\uE000(-?[0-9]{1,12})\uE001")]
    private static partial Regex Mark();

    /// <summary>The mark for <paramref name="instant"/>, to put right after the text that names it.</summary>
    public static string Of(Instant instant) => $"{Open}{instant.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}{Close}";

    /// <summary>Replaces every mark with <paramref name="render"/>'s text for its Unix time (stray mark characters are dropped).</summary>
    public static string Render(string text, Func<long, string> render)
    {
        if (text.IndexOf(Open) < 0 && text.IndexOf(Close) < 0) return text;
        var rendered = Mark().Replace(text, m => render(long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)));
        return rendered.Replace(Open.ToString(), "", StringComparison.Ordinal).Replace(Close.ToString(), "", StringComparison.Ordinal);
    }

    /// <summary>The text without marks: as every platform without its own timestamps shows it.</summary>
    public static string Strip(string text) => Render(text, _ => "");

    /// <summary>The Unix times marked in <paramref name="text"/>, in order.</summary>
    public static IReadOnlyList<long> In(string text)
        => Mark().Matches(text).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();

    /// <summary>The reply with every mark removed: title, text, buttons, selects and form.</summary>
    public static BotReply Plain(BotReply reply) => reply with
    {
        Title = reply.Title is null ? null : Strip(reply.Title),
        Text = Strip(reply.Text),
        Buttons = reply.Buttons.Select(b => b with { Label = Strip(b.Label) }).ToList(),
        Selects = reply.Selects.Select(s => s with { Placeholder = Strip(s.Placeholder), Options = Plain(s.Options) }).ToList(),
        Form = reply.Form is null ? null : Plain(reply.Form),
    };

    public static ReplyForm Plain(ReplyForm form) => form with
    {
        Title = Strip(form.Title),
        Fields = form.Fields.Select(f => f with
        {
            Label = Strip(f.Label),
            Placeholder = f.Placeholder is null ? null : Strip(f.Placeholder),
            Value = f.Value is null ? null : Strip(f.Value),
            Choices = f.Choices is null ? null : Plain(f.Choices),
        }).ToList(),
    };

    private static List<SelectOption> Plain(IReadOnlyList<SelectOption> options)
        => options.Select(o => o with { Label = Strip(o.Label), Description = o.Description is null ? null : Strip(o.Description) }).ToList();
}
