using PeerGroupBot.Core.Conversation;

namespace PeerGroupBot.Testing;

/// <summary>
/// Reads the command words out of a written usage such as <c>agenda done|undone &lt;n&gt;</c> (flow "agenda", verbs
/// "done" and "undone") or <c>rota</c> (flow "rota", no verb: the bare command). Used to check that <c>help</c>, the
/// README and the platform manifests name the same commands.
/// </summary>
public static class CommandWords
{
    /// <summary>The verb written for a bare command (the flow name alone, or followed only by arguments).</summary>
    public const string Bare = "";

    /// <summary>The flow a usage belongs to and the verbs it names; null when it does not start with one of <paramref name="flows"/>.</summary>
    public static (string Flow, IReadOnlyList<string> Verbs)? Parse(string usage, IEnumerable<string> flows)
    {
        var words = usage.Trim().TrimStart('/').Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || !flows.Contains(words[0], StringComparer.Ordinal)) return null;
        if (words.Length == 1 || !IsVerb(words[1])) return (words[0], [Bare]);
        return (words[0], words[1].Split('|'));
    }

    /// <summary>Every (flow, verb) pair that the core's <c>help</c> names, by flow.</summary>
    public static Dictionary<string, HashSet<string>> OfHelp(IEnumerable<IFlow> flows)
    {
        var list = flows.ToList();
        var names = list.Select(f => f.Name).ToList();
        var verbs = list.ToDictionary(f => f.Name, _ => new HashSet<string>(StringComparer.Ordinal));
        foreach (var flow in list)
        foreach (var entry in flow.Help)
        {
            var parsed = Parse(entry.Usage, names) ?? throw new InvalidOperationException($"Help of `{flow.Name}` has a line that doesn't start with it: {entry.Usage}");
            verbs[parsed.Flow].UnionWith(parsed.Verbs);
        }
        return verbs;
    }

    /// <summary>
    /// Whether <paramref name="verb"/> of <paramref name="flow"/> is named in <paramref name="verbs"/>. "show" and "list"
    /// are the words every flow with a bare view accepts for it (and Discord, which needs a subcommand, spells the bare
    /// command so), so they and the bare command stand for each other; <c>setup start</c> is Discord's spelling of
    /// <c>setup [name]</c>.
    /// </summary>
    public static bool Covers(string flow, IReadOnlySet<string> verbs, string verb)
    {
        if (verbs.Contains(verb)) return true;
        string[] bareSpellings = flow == "setup" ? ["show", "start"] : ["show", "list"];
        return verb == Bare
            ? bareSpellings.Any(verbs.Contains)
            : bareSpellings.Contains(verb) && verbs.Contains(Bare);
    }

    private static bool IsVerb(string word) => word.Length > 0 && word.All(c => char.IsAsciiLetterLower(c) || c == '|');
}
