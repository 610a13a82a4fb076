using System.Text.RegularExpressions;

namespace PeerGroupBot.Core.Members;

/// <summary>
/// Finds and replaces a member's display names in stored text (rota reasons, reminder cards) when they erase their
/// data. Only whole names count: erasing "Sam" turns "Sam facilitates" into "a member facilitates" but leaves
/// "Samaritans" alone, so other members' words are never damaged. Names are matched case-sensitively, as shown.
/// </summary>
public static class NameScrubber
{
    /// <summary>Whether <paramref name="text"/> mentions any of <paramref name="names"/> as a whole name.</summary>
    public static bool Mentions(string text, IEnumerable<string> names) => Pattern(names) is { } pattern && pattern.IsMatch(text);

    /// <summary><paramref name="text"/> with every whole-name mention of <paramref name="names"/> replaced by <paramref name="replacement"/>.</summary>
    public static string Scrub(string text, IEnumerable<string> names, string replacement)
        => Pattern(names) is { } pattern ? pattern.Replace(text, _ => replacement) : text;

    /// <summary>
    /// One pattern for all the names, longest first (so "Sam Jones" wins over "Sam"), each bounded by anything that is
    /// not a letter or digit. Null when there is no name to look for.
    /// </summary>
    private static Regex? Pattern(IEnumerable<string> names)
    {
        var alternatives = names.Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).OrderByDescending(n => n.Length).Select(Regex.Escape).ToList();
        if (alternatives.Count == 0) return null;
        return new Regex($@"(?<![\p{{L}}\p{{N}}])(?:{string.Join('|', alternatives)})(?![\p{{L}}\p{{N}}])", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
