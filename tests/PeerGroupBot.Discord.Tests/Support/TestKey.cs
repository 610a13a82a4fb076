using System.Text;
using NSec.Cryptography;

namespace PeerGroupBot.Discord.Tests.Support;

/// <summary>An Ed25519 key pair made for the tests: it signs interactions the way Discord does.</summary>
public sealed class TestKey : IDisposable
{
    private readonly Key _key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.None });

    public string PublicKeyHex => Convert.ToHexStringLower(_key.PublicKey.Export(KeyBlobFormat.RawPublicKey));

    /// <summary>Signs timestamp + body, as the X-Signature-Ed25519 header carries it.</summary>
    public string Sign(string timestamp, byte[] body)
        => Convert.ToHexStringLower(SignatureAlgorithm.Ed25519.Sign(_key, [.. Encoding.UTF8.GetBytes(timestamp), .. body]));

    public void Dispose() => _key.Dispose();
}
