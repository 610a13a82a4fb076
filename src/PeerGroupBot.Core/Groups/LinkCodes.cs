using System.Security.Cryptography;
using NodaTime;
using PeerGroupBot.Core.Security;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Core.Groups;

/// <summary>What a channel link code carries: the group to join, and as which kind of channel.</summary>
public sealed record LinkCode(string GroupId, ChannelPurpose Purpose);

/// <summary>A stored one-time code: what it carries and when it stops working.</summary>
public sealed record OneTimeCode<T>(T Payload, Instant ExpiresAt);

/// <summary>How redeeming a one-time code went.</summary>
public enum CodeOutcome
{
    Redeemed,
    /// <summary>Mistyped, never issued, or already used: the bot cannot tell these apart, by design.</summary>
    Unknown,
    Expired,
    /// <summary>The code is real and still valid, but the caller refused it here; it stays usable.</summary>
    Refused,
}

/// <summary>The outcome of a redemption and, unless the code was unknown, what it carried.</summary>
public sealed record CodeRedemption<T>(CodeOutcome Outcome, T? Payload) where T : class;

/// <summary>
/// Issues and redeems single-use codes (valid 15 minutes): codes that join a channel to a group (<c>setup link</c>),
/// and codes that link a member's two accounts (<c>me link</c>). A code is stored under a keyed hash of itself at
/// <c>linkcodes/{kind}/{hash}</c>, so a document key (which may reach a log) never shows a usable code, and the few
/// possible codes cannot be tried against it without the key.
/// </summary>
public sealed class LinkCodes(Documents documents, KeyRing keys, IClock clock)
{
    public static readonly Duration Lifetime = Duration.FromMinutes(15);
    private const string Alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"; // no 0/O, 1/I/L
    private const string ChannelKind = "channel";

    public async Task<string> IssueAsync(string groupId, ChannelPurpose purpose, CancellationToken cancellationToken)
        => await IssueAsync(ChannelKind, new LinkCode(groupId, purpose), cancellationToken).ConfigureAwait(false);

    /// <summary>Redeems a channel code once. Null when unknown, used or expired.</summary>
    public async Task<LinkCode?> RedeemAsync(string code, CancellationToken cancellationToken)
    {
        var redeemed = await RedeemAsync<LinkCode>(ChannelKind, code, _ => true, cancellationToken).ConfigureAwait(false);
        return redeemed.Outcome == CodeOutcome.Redeemed ? redeemed.Payload : null;
    }

    /// <summary>Stores <paramref name="payload"/> under a fresh code of the given kind and returns the code.</summary>
    public async Task<string> IssueAsync<T>(string kind, T payload, CancellationToken cancellationToken)
    {
        while (true)
        {
            var code = new string(Enumerable.Range(0, 8).Select(_ => Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)]).ToArray());
            var stored = new OneTimeCode<T>(payload, clock.GetCurrentInstant() + Lifetime);
            if (await documents.TryCreateAsync(Key(kind, code), stored, cancellationToken).ConfigureAwait(false))
                return code;
        }
    }

    /// <summary>
    /// Redeems a code of the given kind once. <paramref name="accept"/> sees what the code carries before it is used
    /// up: when it says no, the code is left for its rightful use and the outcome is <see cref="CodeOutcome.Refused"/>.
    /// An expired code is deleted when tried.
    /// </summary>
    public async Task<CodeRedemption<T>> RedeemAsync<T>(string kind, string code, Func<T, bool> accept, CancellationToken cancellationToken) where T : class
    {
        code = code.Trim().ToUpperInvariant().Replace("-", "", StringComparison.Ordinal);
        if (code.Length != 8 || code.Any(c => !Alphabet.Contains(c))) return new(CodeOutcome.Unknown, null);
        var stored = await documents.Store.GetAsync(Key(kind, code), cancellationToken).ConfigureAwait(false);
        if (stored is null) return new(CodeOutcome.Unknown, null);
        var value = Documents.Deserialize<OneTimeCode<T>>(stored);
        var expired = value.ExpiresAt <= clock.GetCurrentInstant();
        if (!expired && !accept(value.Payload)) return new(CodeOutcome.Refused, value.Payload);
        try
        {
            await documents.Store.DeleteAsync(stored.Key, stored.ETag, cancellationToken).ConfigureAwait(false);
        }
        catch (StateConflictException)
        {
            return new(CodeOutcome.Unknown, null); // someone else redeemed it first
        }
        return expired ? new(CodeOutcome.Expired, null) : new(CodeOutcome.Redeemed, value.Payload);
    }

    private string Key(string kind, string code) => $"linkcodes/{kind}/{keys.Hash($"link-code:{kind}", code)}";
}
