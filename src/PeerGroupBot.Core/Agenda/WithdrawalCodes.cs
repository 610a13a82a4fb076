using System.Security.Cryptography;
using PeerGroupBot.Core.Security;

namespace PeerGroupBot.Core.Agenda;

/// <summary>
/// Lets the author of an anonymous item take it back without the bot knowing who they are. Anything the bot could
/// match against a member id (even a keyed hash of it) would let whoever holds the key find the author, so instead
/// the author gets a random code privately and the item keeps only a keyed hash of that code. The code says nothing
/// about anyone; whoever holds it may withdraw the item.
/// </summary>
public sealed class WithdrawalCodes(KeyRing keys)
{
    private const string Alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"; // no 0/O, 1/I/L
    private const int Length = 8;

    /// <summary>A new code, e.g. "K7QX2MPA" (shown as "K7QX-2MPA").</summary>
    public static string NewCode()
        => new(Enumerable.Range(0, Length).Select(_ => Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)]).ToArray());

    /// <summary>The code as typed ("k7qx-2mpa") in its stored form, or null when it cannot be a code.</summary>
    public static string? Normalise(string typed)
    {
        var code = typed.Trim().Trim('`', '"', '\'').Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();
        return code.Length == Length && code.All(c => Alphabet.Contains(c)) ? code : null;
    }

    public static string Display(string code) => $"{code[..4]}-{code[4..]}";

    public string Hash(string code) => keys.Hash("agenda-withdrawal", code);
}
