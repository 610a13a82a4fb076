using System.Text.RegularExpressions;

namespace PeerGroupBot.Core.State;

/// <summary>
/// Key rules shared by every store: lower-case ASCII letters, digits, '-', '_', '.', separated by '/'.
/// Everything a group owns lives under <c>groups/{groupId}/</c>, so groups never contend.
/// </summary>
public static partial class StateKeys
{
    public const int MaxLength = 512;

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*$")]
    private static partial Regex KeyPattern();

    public static bool IsValid(string key) => key.Length <= MaxLength && KeyPattern().IsMatch(key) && !key.Contains("..", StringComparison.Ordinal);

    public static void Validate(string key)
    {
        if (!IsValid(key))
            throw new ArgumentException($"'{key}' is not a valid state key (lower-case letters, digits, '-', '_', '.', separated by '/').", nameof(key));
    }

    public static void ValidatePrefix(string prefix)
    {
        if (prefix.Length == 0) return;
        var trimmed = prefix.TrimEnd('/');
        if (trimmed.Length > 0) Validate(trimmed);
    }

    /// <summary>The folder of one group: <c>groups/{groupId}</c>.</summary>
    public static string Group(string groupId) => $"groups/{groupId}";
}
