using System.Text;

namespace PeerGroupBot.Core.Concerns;

/// <summary>
/// Spots words that suggest someone may be at immediate risk, so the member gets crisis signposting at once and the
/// concern jumps the queue. It is a plain phrase match, deliberately generous: a false alarm costs a kind message,
/// a miss costs much more. It makes no judgement beyond that and the bot never presents it as one.
/// </summary>
public static class RiskDetector
{
    /// <summary>Sensible English defaults; configure <c>Concerns:RiskPhrases</c> / <c>Concerns:ExtraRiskPhrases</c> to change them.</summary>
    public static readonly IReadOnlyList<string> DefaultPhrases =
    [
        "suicide", "suicidal", "kill myself", "killing myself", "end my life", "ending my life", "end it all",
        "take my own life", "taking my own life", "want to die", "wanna die", "want to be dead", "better off dead",
        "better off without me", "don't want to be alive", "don't want to live", "no reason to live",
        "can't go on", "cannot go on", "can't keep going", "hurt myself", "hurting myself", "harm myself",
        "harming myself", "self harm", "self harming", "cut myself", "cutting myself", "overdose", "overdosed",
        "not safe", "unsafe at home", "in danger", "going to hurt", "threatened to kill", "threatening to kill",
        "hurting me", "abusing me", "being abused", "hurting a child", "abusing a child",
    ];

    /// <summary>True when <paramref name="text"/> contains any of <paramref name="phrases"/> as whole words, ignoring case, punctuation and apostrophes.</summary>
    public static bool SuggestsRisk(string text, IEnumerable<string> phrases)
    {
        var normalized = Normalize(text);
        foreach (var phrase in phrases)
        {
            var needle = Normalize(phrase);
            if (needle.Length > 2 && normalized.Contains(needle, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    /// <summary>Lower case, apostrophes dropped ("don't" = "dont"), everything else that is not a letter or digit a single space, padded with spaces.</summary>
    private static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append(' ');
        foreach (var c in text)
        {
            if (c is '\'' or '\u2019' or '\u2018' or '`') continue;
            if (char.IsLetterOrDigit(c)) builder.Append(char.ToLowerInvariant(c));
            else if (builder[^1] != ' ') builder.Append(' ');
        }
        if (builder[^1] != ' ') builder.Append(' ');
        return builder.ToString();
    }
}
