using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Core.Concerns;

/// <summary>A generated development key, stored at <see cref="ConcernKeyProvider.GeneratedKeyDocument"/>.</summary>
public sealed record GeneratedConcernKey(string Key, Instant CreatedAt);

/// <summary>
/// Supplies the AES-GCM key of delivery addresses: the configured <c>Concerns:EncryptionKey</c>, or, only where
/// <see cref="ConcernsOptions.AllowGeneratedKey"/> is set (Development), one generated once and kept in the state
/// store. The host calls <see cref="EnsureReadyAsync"/> at start so a missing key stops it with a clear message
/// instead of failing the first member who asks for a reply.
/// </summary>
public sealed class ConcernKeyProvider(IOptions<ConcernsOptions> options, Documents documents, IClock clock, ILogger<ConcernKeyProvider> logger)
{
    public const string GeneratedKeyDocument = "system/concerns-key";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private byte[]? _key;

    /// <summary>Validates the options and loads (or, in Development, generates) the key. Throws <see cref="OptionsValidationException"/> naming <c>Concerns:EncryptionKey</c> when it cannot.</summary>
    public async Task EnsureReadyAsync(CancellationToken cancellationToken) => _ = await GetKeyAsync(cancellationToken).ConfigureAwait(false);

    public async Task<byte[]> GetKeyAsync(CancellationToken cancellationToken)
    {
        if (_key is not null) return _key;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _key ??= await LoadAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<byte[]> LoadAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value; // runs ConcernsOptionsValidator: a missing key without AllowGeneratedKey throws here
        var configured = settings.ParseKey();
        if (configured is not null) return configured;

        var fresh = new GeneratedConcernKey(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), clock.GetCurrentInstant());
        var created = await documents.TryCreateAsync(GeneratedKeyDocument, fresh, cancellationToken).ConfigureAwait(false);
        var stored = created ? fresh : await documents.GetValueAsync<GeneratedConcernKey>(GeneratedKeyDocument, cancellationToken).ConfigureAwait(false);
        var key = stored is null ? null : TryDecode(stored.Key);
        if (key is null)
            throw new OptionsValidationException(ConcernsOptions.Section, typeof(ConcernsOptions),
                [$"The generated concerns key in {GeneratedKeyDocument} could not be read. Set Concerns:EncryptionKey instead."]);
        logger.LogWarning(
            "Concerns:EncryptionKey is not set, so {Action} key kept in the state store at {Document} is used. This is only acceptable in Development: set Concerns:EncryptionKey (base64 of 32 random bytes) everywhere else.",
            created ? "a newly generated" : "the previously generated", GeneratedKeyDocument);
        return key;
    }

    private static byte[]? TryDecode(string base64)
    {
        var buffer = new byte[64];
        return Convert.TryFromBase64String(base64, buffer, out var length) && length == 32 ? buffer[..32] : null;
    }
}
