using System.Text.RegularExpressions;

namespace PeerGroupBot.Core.Rota;

/// <summary>
/// A group's rota choices: which roles it shares out and its optional load cap. Stored at
/// <c>groups/{groupId}/rota/settings</c>; absent means the defaults.
/// </summary>
public sealed record RotaSettings
{
    public static readonly IReadOnlyList<string> DefaultRoles = [RotaAssigner.Facilitator, RotaAssigner.CoFacilitator, "welcomer", "note-taker"];

    public List<string> Roles { get; init; } = [.. DefaultRoles];

    public LoadCap? Cap { get; init; }

    public static string KeyFor(string groupId) => $"groups/{groupId}/rota/settings";
}

/// <summary>The rules for role names, shared by <c>rota roles</c> and anything that reads them back.</summary>
public static partial class RotaRoleNames
{
    public const int MaxRoles = 8;
    public const int MaxLength = 30;

    [GeneratedRegex(@"^[\p{L}\p{N}][\p{L}\p{N} '&-]*$")]
    private static partial Regex Allowed();

    /// <summary>Parses "facilitator, co-facilitator, tea" into roles, or says what is wrong in a member's words.</summary>
    public static (List<string>? Roles, string? Problem) Parse(string text)
    {
        var roles = text.Split([',', ';', '\n'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(r => Regex.Replace(r, @"\s+", " ").ToLowerInvariant())
            .ToList();
        if (roles.Count == 0)
            return (null, "List the roles separated by commas, e.g. `rota roles facilitator, co-facilitator, welcomer`.");
        if (roles.Count > MaxRoles)
            return (null, $"A group can have up to {MaxRoles} roles; you listed {roles.Count}.");
        var bad = roles.FirstOrDefault(r => r.Length > MaxLength || !Allowed().IsMatch(r));
        if (bad is not null)
            return (null, $"Role names are up to {MaxLength} letters, numbers, spaces or hyphens; \"{Shorten(bad)}\" isn't one.");
        var duplicate = roles.GroupBy(r => r).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            return (null, $"\"{duplicate.Key}\" is listed twice.");
        return (roles, null);
    }

    /// <summary>Finds a role by name as typed ("Note taker", "note-taker", "note"): exact first, then a unique start.</summary>
    public static string? Match(IReadOnlyList<string> roles, string typed)
    {
        var wanted = Normalise(typed);
        if (wanted.Length == 0) return null;
        var exact = roles.FirstOrDefault(r => Normalise(r) == wanted);
        if (exact is not null) return exact;
        var starts = roles.Where(r => Normalise(r).StartsWith(wanted, StringComparison.Ordinal)).ToList();
        return starts.Count == 1 ? starts[0] : null;
    }

    private static string Normalise(string role) => new(role.ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());

    private static string Shorten(string text) => text.Length > 30 ? text[..30] + "…" : text;
}
