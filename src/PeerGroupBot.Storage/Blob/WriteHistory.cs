using System.Security.Cryptography;

namespace PeerGroupBot.Storage.Blob;

/// <summary>
/// Every write stamps the blob's metadata with a new write id, appended to the ids of the last few writes.
/// After an ambiguous conflict (our retry was refused with 409/412), reading the blob's metadata tells whether our
/// first attempt had in fact succeeded: our id is the last one (the blob is still our version) or an earlier one
/// (our version was written and another writer has built on it since).
/// </summary>
internal static class WriteHistory
{
    /// <summary>The metadata name (metadata names must be C# identifiers; Azure treats them case-insensitively).</summary>
    public const string MetadataName = "pgbwrites";

    public const int Length = 16;

    public static string NewWriteId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>The history to store with a write: the previous one (if known), trimmed, plus <paramref name="writeId"/>.</summary>
    public static string Append(string? previous, string writeId)
    {
        var ids = Parse(previous);
        ids.Add(writeId);
        return string.Join(',', ids.Skip(Math.Max(0, ids.Count - Length)));
    }

    public static List<string> Parse(string? history)
        => string.IsNullOrEmpty(history) ? [] : [.. history.Split(',', StringSplitOptions.RemoveEmptyEntries)];

    public static string? Of(IDictionary<string, string>? metadata)
    {
        if (metadata is null) return null;
        foreach (var (name, value) in metadata)
            if (string.Equals(name, MetadataName, StringComparison.OrdinalIgnoreCase)) return value;
        return null;
    }
}
