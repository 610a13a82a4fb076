using System.Security.Cryptography;
using NodaTime;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Core.Groups;

/// <summary>A one-time code that joins another channel to a group. Stored at <c>linkcodes/{code}</c>.</summary>
public sealed record LinkCode(string GroupId, ChannelPurpose Purpose, Instant ExpiresAt);

/// <summary>Issues and redeems single-use link codes (valid 15 minutes).</summary>
public sealed class LinkCodes(Documents documents, IClock clock)
{
    public static readonly Duration Lifetime = Duration.FromMinutes(15);
    private const string Alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"; // no 0/O, 1/I/L

    public async Task<string> IssueAsync(string groupId, ChannelPurpose purpose, CancellationToken cancellationToken)
    {
        while (true)
        {
            var code = new string(Enumerable.Range(0, 8).Select(_ => Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)]).ToArray());
            if (await documents.TryCreateAsync(Key(code), new LinkCode(groupId, purpose, clock.GetCurrentInstant() + Lifetime), cancellationToken).ConfigureAwait(false))
                return code;
        }
    }

    /// <summary>Redeems a code once. Null when unknown, used or expired.</summary>
    public async Task<LinkCode?> RedeemAsync(string code, CancellationToken cancellationToken)
    {
        code = code.Trim().ToUpperInvariant().Replace("-", "", StringComparison.Ordinal);
        if (code.Length != 8 || code.Any(c => !Alphabet.Contains(c))) return null;
        var stored = await documents.Store.GetAsync(Key(code), cancellationToken).ConfigureAwait(false);
        if (stored is null) return null;
        try
        {
            await documents.Store.DeleteAsync(stored.Key, stored.ETag, cancellationToken).ConfigureAwait(false);
        }
        catch (StateConflictException)
        {
            return null; // someone else redeemed it first
        }
        var link = Documents.Deserialize<LinkCode>(stored);
        return link.ExpiresAt > clock.GetCurrentInstant() ? link : null;
    }

    private static string Key(string code) => $"linkcodes/{code.ToLowerInvariant()}";
}
