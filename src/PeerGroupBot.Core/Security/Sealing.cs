using System.Security.Cryptography;
using System.Text;

namespace PeerGroupBot.Core.Security;

/// <summary>
/// AES-GCM sealing of one short text (a member id) under a key, bound to its place by associated data so a sealed
/// value cannot be moved to another document. Used for concern delivery addresses and linked accounts.
/// </summary>
public static class Sealing
{
    private const string Version = "v1.";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public static string Seal(byte[] key, string associatedData, string text)
    {
        var plaintext = Encoding.UTF8.GetBytes(text);
        var output = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceSize, plaintext.Length), output.AsSpan(NonceSize + plaintext.Length), Encoding.UTF8.GetBytes(associatedData));
        return Version + Convert.ToBase64String(output);
    }

    /// <summary>The sealed text, or null when it was sealed under another key or place, or was tampered with.</summary>
    public static string? Open(byte[] key, string associatedData, string sealedText)
    {
        if (!sealedText.StartsWith(Version, StringComparison.Ordinal)) return null;
        byte[] input;
        try
        {
            input = Convert.FromBase64String(sealedText[Version.Length..]);
        }
        catch (FormatException)
        {
            return null;
        }
        if (input.Length < NonceSize + TagSize) return null;
        var length = input.Length - NonceSize - TagSize;
        var plaintext = new byte[length];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize, length), input.AsSpan(NonceSize + length), plaintext, Encoding.UTF8.GetBytes(associatedData));
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        return Encoding.UTF8.GetString(plaintext);
    }
}
