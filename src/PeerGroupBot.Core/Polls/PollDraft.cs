using System.Text;
using System.Text.RegularExpressions;

namespace PeerGroupBot.Core.Polls;

/// <summary>
/// A poll as a member described it, before it exists: from the <c>poll new</c> form or from one forgiving line such as
/// <c>poll new "What next?" Sleep | Boundaries | Holidays closes friday 18:00 mode approval</c>.
/// The closing time stays text here; the flow reads it in the group's time zone. <paramref name="LiveResults"/>
/// (<c>anonymous live</c>): an anonymous poll whose card shows results while open, in steps of k changed votes.
/// </summary>
public sealed partial record PollDraft(string Question, IReadOnlyList<string> Options, PollMode Mode, bool Anonymous, string? ClosesText, bool LiveResults = false)
{
    public const int MaxQuestionLength = 300;
    public const int MaxOptionLength = 100;
    public const int MinOptions = 2;
    public const int MaxOptions = 20;

    private static readonly HashSet<string> ClauseStarts = ["closes", "closing", "deadline", "mode", "anonymous", "anon"];
    private static readonly HashSet<string> ClauseWords = [.. ClauseStarts, "named", "public", "single", "approval", "ranked"];
    private static readonly HashSet<string> BareSettings = ["named", "public", "single", "approval", "ranked"];
    private static readonly char[] Separators = ['|', ';', '\n'];

    /// <summary>Reads the text after <c>poll new</c>. Returns false with a message when the question can't be told from the options.</summary>
    public static bool TryParseLine(string text, out PollDraft? draft, out string error)
    {
        draft = null;
        error = "";
        var rest = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Trim();
        string? question = null;

        if (rest.Length > 0 && ClosingQuote(rest[0]) is { } closing)
        {
            var end = rest.IndexOf(closing, 1);
            if (end < 0)
            {
                error = "The question's closing quote is missing. Try `poll new \"What should we talk about?\" Sleep | Boundaries`.";
                return false;
            }
            question = rest[1..end];
            rest = rest[(end + 1)..];
        }

        // Settings ("closes friday 18:00", "mode ranked", "ranked", "anonymous no") come at the end, after the last
        // option, in any order. A bare word like "ranked" starts them only after an option's own words ("Saturday
        // ranked"), or straight after a quoted question, so an option may still be called "Public speaking".
        var lastSeparator = rest.LastIndexOfAny(Separators);
        var head = rest[..(lastSeparator + 1)];
        var tail = rest[(lastSeparator + 1)..];
        var words = tail.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var settings = Settings.None;
        for (var i = 0; i < words.Length; i++)
        {
            var keyword = Keyword(words[i]);
            var bareStart = BareSettings.Contains(keyword) && (i > 0 || (head.Length == 0 && question is not null));
            if (!ClauseStarts.Contains(keyword) && !bareStart) continue;
            if (TryReadSettings(words, i, out settings, out var settingsError))
            {
                if (settingsError.Length > 0)
                {
                    error = settingsError;
                    return false;
                }
                tail = string.Join(' ', words[..i]);
                break;
            }
        }
        rest = (head + tail).Trim();

        string optionsText;
        if (question is not null)
        {
            optionsText = rest;
        }
        else
        {
            var newline = rest.IndexOf('\n');
            var firstLine = newline < 0 ? rest : rest[..newline];
            var firstSeparator = firstLine.IndexOfAny(['|', ';']);
            var mark = firstLine.IndexOf('?');
            var colon = firstLine.IndexOf(':');
            if (mark >= 0 && (firstSeparator < 0 || mark < firstSeparator))
            {
                question = rest[..(mark + 1)];
                optionsText = rest[(mark + 1)..];
            }
            else if (colon >= 0 && (firstSeparator < 0 || colon < firstSeparator))
            {
                question = rest[..colon];
                optionsText = rest[(colon + 1)..];
            }
            else if (firstSeparator < 0)
            {
                question = firstLine;
                optionsText = newline < 0 ? "" : rest[(newline + 1)..];
            }
            else
            {
                error = "I couldn't tell where the question ends and the options begin. End the question with `?` or `:`, or put it in quotes: "
                      + "`poll new \"What should we talk about?\" Sleep | Boundaries | Holidays`.";
                return false;
            }
        }

        var options = SplitOptions(optionsText);
        draft = new PollDraft(CleanText(question), options, settings.Mode ?? PollMode.Single, settings.Anonymous ?? true, settings.Closes, settings.Live && settings.Anonymous != false);
        return true;
    }

    /// <summary>Reads the <c>poll new</c> form: question, options one per line, mode, anonymous, closes.</summary>
    public static bool TryParseForm(IReadOnlyDictionary<string, string> values, out PollDraft? draft, out string error)
    {
        draft = null;
        var modeText = values.GetValueOrDefault("mode", "").Trim();
        var mode = modeText.Length == 0 ? PollMode.Single : ParseMode(modeText);
        if (mode is null)
        {
            error = $"I don't know the voting mode \"{Shorten(modeText)}\". Use single, approval or ranked.";
            return false;
        }
        var anonymousText = values.GetValueOrDefault("anonymous", "").Trim();
        var live = IsLive(anonymousText);
        var anonymous = anonymousText.Length == 0 || live ? true : ParseYesNo(anonymousText);
        if (anonymous is null)
        {
            error = "Anonymous should be yes or no.";
            return false;
        }
        var closes = values.GetValueOrDefault("closes", "").Trim();
        draft = new PollDraft(CleanText(values.GetValueOrDefault("question", "")), SplitOptions(values.GetValueOrDefault("options", "")),
            mode.Value, anonymous.Value, closes.Length == 0 ? null : closes, live);
        error = "";
        return true;
    }

    /// <summary>Checks the limits. Null when the draft is fine, otherwise one clear sentence about the first problem.</summary>
    public string? Problem()
    {
        if (Question.Length == 0)
            return "What's the question? For example `poll new \"What should our next session be about?\"`.";
        if (Question.Length > MaxQuestionLength)
            return $"The question is {Question.Length} characters long; a poll question can be up to {MaxQuestionLength}. Could you shorten it?";
        if (Options.Count == 1)
            return "A poll needs at least 2 options, or none at all to collect suggestions first.";
        return OptionsProblem(Options);
    }

    /// <summary>The limits on a list of options (count, length, duplicates); null when fine.</summary>
    public static string? OptionsProblem(IReadOnlyList<string> options)
    {
        if (options.Count > MaxOptions)
            return $"That's {options.Count} options; a poll can have up to {MaxOptions}. Could you combine or drop some?";
        for (var i = 0; i < options.Count; i++)
        {
            if (options[i].Length > MaxOptionLength)
                return $"Option {i + 1} is {options[i].Length} characters long; options can be up to {MaxOptionLength}. Could you shorten it?";
            for (var j = 0; j < i; j++)
                if (SameTopic(options[i], options[j]))
                    return $"Options {j + 1} and {i + 1} are the same (\"{options[j]}\"). Each option needs to be different.";
        }
        return null;
    }

    /// <summary>Two topics are the same when they differ only in case, spacing or closing punctuation.</summary>
    public static bool SameTopic(string a, string b) => Comparable(a) == Comparable(b);

    private static string Comparable(string text)
        => new(text.ToLowerInvariant().TrimEnd('.', '!', '?', ' ').Where(c => !char.IsWhiteSpace(c)).ToArray());

    /// <summary>Collapses whitespace and drops control characters, so nothing typed can break a card or a document.</summary>
    public static string CleanText(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '\u200b' or '\u200e' or '\u200f' or '\u2028' or '\u2029')
            {
                space = builder.Length > 0;
                continue;
            }
            if (space) builder.Append(' ');
            space = false;
            builder.Append(c);
        }
        return builder.ToString();
    }

    public static PollMode? ParseMode(string text) => CleanText(text).ToLowerInvariant().Replace('-', ' ') switch
    {
        "single" or "single choice" or "one" or "choice" or "one choice" => PollMode.Single,
        "approval" or "approve" or "multiple" or "multiple choice" or "multi" or "any" => PollMode.Approval,
        "ranked" or "rank" or "ranking" or "ranked choice" or "preference" or "preferences" => PollMode.Ranked,
        _ => null,
    };

    public static bool? ParseYesNo(string text) => CleanText(text).ToLowerInvariant() switch
    {
        "yes" or "y" or "true" or "on" or "anonymous" => true,
        "no" or "n" or "false" or "off" or "named" or "public" or "open" => false,
        _ => null,
    };

    /// <summary>"live" (or "live results"): anonymous, with results shown in steps while the poll is open.</summary>
    public static bool IsLive(string text) => CleanText(text).ToLowerInvariant() is "live" or "live results";

    public static string ModeName(PollMode mode) => mode switch
    {
        PollMode.Approval => "approval (pick any number)",
        PollMode.Ranked => "ranked (order your preferences)",
        _ => "single choice",
    };

    private static IReadOnlyList<string> SplitOptions(string text)
        => text.Split(Separators, StringSplitOptions.None)
            .Select(o => CleanText(ListMarker().Replace(o, "")))
            .Where(o => o.Length > 0)
            .ToList();

    private sealed record Settings(PollMode? Mode, bool? Anonymous, string? Closes, bool Live = false)
    {
        public static readonly Settings None = new(null, null, null);
    }

    /// <summary>
    /// Reads settings from <paramref name="start"/> to the end. False when those words are not all settings (then they
    /// are part of an option, like "Anonymous concerns"). True with an error when they are settings but wrong.
    /// </summary>
    private static bool TryReadSettings(string[] words, int start, out Settings settings, out string error)
    {
        settings = Settings.None;
        error = "";
        var i = start;
        while (i < words.Length)
        {
            var word = Keyword(words[i]);
            var first = i == start;
            if (word is "closes" or "closing" or "deadline")
            {
                if (settings.Closes is not null) return false;
                var j = i + 1;
                while (j < words.Length && !ClauseWords.Contains(Keyword(words[j]))) j++;
                var when = string.Join(' ', words[(i + 1)..j]);
                if (when.Length == 0)
                {
                    error = "When should the poll close? For example `closes friday 18:00` or `closes in 2 days`.";
                    return true;
                }
                settings = settings with { Closes = when };
                i = j;
            }
            else if (word == "mode")
            {
                if (i + 1 >= words.Length) return false;
                var mode = ParseMode(Keyword(words[i + 1]));
                if (mode is null)
                {
                    if (!first) return false;
                    error = $"I don't know the voting mode \"{Shorten(words[i + 1])}\". Use `mode single`, `mode approval` or `mode ranked`.";
                    return true;
                }
                settings = settings with { Mode = mode };
                i += 2;
                if (i < words.Length && Keyword(words[i]) == "choice") i++;
            }
            else if (word is "anonymous" or "anon")
            {
                var live = i + 1 < words.Length && IsLive(Keyword(words[i + 1]));
                var value = live ? true : i + 1 < words.Length ? ParseYesNo(Keyword(words[i + 1])) : null;
                if (value is null && first) return false; // "anonymous" alone at the start could be part of an option
                settings = settings with { Anonymous = value ?? true, Live = settings.Live || live };
                i += value is null ? 1 : 2;
            }
            else if (word is "named" or "public")
            {
                if (settings.Anonymous is not null) return false;
                settings = settings with { Anonymous = false };
                i++;
            }
            else if (word is "single" or "approval" or "ranked" && ParseMode(word) is { } bare)
            {
                settings = settings with { Mode = bare };
                i++;
            }
            else
            {
                return false;
            }
        }
        return true;
    }

    private static string Keyword(string word) => word.ToLowerInvariant().TrimEnd(':', ',', '.');

    private static char? ClosingQuote(char c) => c switch
    {
        '"' => '"',
        '\u201c' => '\u201d',
        '\u201e' => '\u201c',
        '\u00ab' => '\u00bb',
        _ => null,
    };

    private static string Shorten(string text) => text.Length > 30 ? text[..30] + "…" : text;

    [GeneratedRegex(@"^\s*(?:[-*•]|\d{1,2}[.)])\s+")]
    private static partial Regex ListMarker();
}
