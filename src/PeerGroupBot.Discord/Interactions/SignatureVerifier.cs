using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using NSec.Cryptography;

namespace PeerGroupBot.Discord.Interactions;

/// <summary>
/// Decides whether an interaction request really comes from Discord: an Ed25519 signature over the timestamp header
/// followed by the raw body bytes exactly as received, made with the key whose public half is <c>Discord:PublicKey</c>,
/// and a timestamp recent enough that an old captured request cannot be replayed. Immutable, shared by all requests.
/// </summary>
public sealed class SignatureVerifier
{
    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;
    private readonly PublicKey? _key;
    private readonly TimeSpan _tolerance;
    private readonly TimeProvider _time;

    public SignatureVerifier(IOptions<DiscordOptions> options, TimeProvider time)
    {
        _key = ParsePublicKey(options.Value.PublicKey);
        _tolerance = options.Value.TimestampTolerance;
        _time = time;
    }

    /// <summary>False when no public key is configured: then every interaction is refused.</summary>
    public bool IsConfigured => _key is not null;

    /// <summary>Parses the hex public key; null when unset; an exception naming the setting when malformed.</summary>
    public static PublicKey? ParsePublicKey(string? hex)
    {
        if (string.IsNullOrWhiteSpace(hex)) return null;
        try
        {
            var bytes = Convert.FromHexString(hex.Trim());
            if (PublicKey.TryImport(Algorithm, bytes, KeyBlobFormat.RawPublicKey, out var key) && key is not null) return key;
        }
        catch (FormatException) { }
        throw new InvalidOperationException("Discord:PublicKey must be the application's public key as 64 hex characters (Developer Portal, General Information).");
    }

    /// <summary>True when unset or well-formed (for options validation).</summary>
    public static bool IsValidPublicKey(string? hex)
    {
        try
        {
            _ = ParsePublicKey(hex);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>True only when the signature checks out and the timestamp is within the tolerance of now.</summary>
    public bool IsAuthentic(string? signatureHex, string? timestamp, ReadOnlySpan<byte> body)
    {
        if (_key is null || string.IsNullOrEmpty(signatureHex) || string.IsNullOrEmpty(timestamp)) return false;
        if (signatureHex.Length != Algorithm.SignatureSize * 2 || timestamp.Length > 20) return false;
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return false;
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (Math.Abs(now - seconds) > _tolerance.TotalSeconds) return false;

        Span<byte> signature = stackalloc byte[Algorithm.SignatureSize];
        if (Convert.FromHexString(signatureHex, signature, out _, out var written) != System.Buffers.OperationStatus.Done || written != signature.Length)
            return false;

        var timestampBytes = Encoding.ASCII.GetByteCount(timestamp);
        var signed = new byte[timestampBytes + body.Length];
        Encoding.ASCII.GetBytes(timestamp, signed);
        body.CopyTo(signed.AsSpan(timestampBytes));
        return Algorithm.Verify(_key, signed, signature);
    }
}
