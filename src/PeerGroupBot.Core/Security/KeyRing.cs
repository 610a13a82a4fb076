using System.Security.Cryptography;
using System.Text;

namespace PeerGroupBot.Core.Security;

/// <summary>
/// Keyed hashing for pseudonyms: document names per member, anonymous votes, abuse counters. A hash is still
/// personal data for whoever holds the key, so hashes are kept only where needed and deleted on erasure.
/// Sub-keys are derived per purpose (HMAC-SHA256 of the purpose under the master key), so a hash made for one
/// purpose says nothing about another.
/// </summary>
public sealed class KeyRing
{
    private readonly byte[] _master;

    public KeyRing(byte[] masterKey)
    {
        if (masterKey.Length < 32) throw new ArgumentException("The master key must be at least 32 bytes.", nameof(masterKey));
        _master = masterKey.ToArray();
    }

    /// <summary>A fresh random key for tests and first runs.</summary>
    public static KeyRing CreateRandom() => new(RandomNumberGenerator.GetBytes(32));

    public byte[] DeriveKey(string purpose) => HMACSHA256.HashData(_master, Encoding.UTF8.GetBytes(purpose));

    /// <summary>A 40-character lower-case hex pseudonym of <paramref name="value"/> for <paramref name="purpose"/>; safe in document keys.</summary>
    public string Hash(string purpose, string value)
        => Convert.ToHexStringLower(HMACSHA256.HashData(DeriveKey(purpose), Encoding.UTF8.GetBytes(value)).AsSpan(0, 20));
}
