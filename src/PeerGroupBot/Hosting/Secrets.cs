using System.Security.Cryptography;
using PeerGroupBot.Core.Security;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Hosting;

/// <summary>Secret keys from configuration. <c>Security:PseudonymKey</c>: base64 of 32 random bytes.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>Key for member pseudonyms (keyed hashes). Required in Production; generated into storage in Development.</summary>
    public string? PseudonymKey { get; set; }
}

/// <summary>A secret generated on first run in Development and kept in the state store (never in Production).</summary>
public sealed record GeneratedSecret(string Value);

public static class SecretsRegistration
{
    public const string GeneratedPseudonymKey = "system/pseudonym-key";

    public static IServiceCollection AddPeerGroupBotSecrets(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var options = configuration.GetSection(SecurityOptions.Section).Get<SecurityOptions>() ?? new SecurityOptions();
        var configured = ParseKey(options.PseudonymKey, "Security:PseudonymKey");
        if (configured is null && !environment.IsDevelopment())
            throw new InvalidOperationException("Security:PseudonymKey is required outside Development: set it to the base64 of 32 random bytes (e.g. `openssl rand -base64 32`).");

        services.AddSingleton(provider =>
        {
            if (configured is not null) return new KeyRing(configured);
            var documents = provider.GetRequiredService<Documents>();
            var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("PeerGroupBot.Secrets");
            var key = GetOrCreateAsync(documents, GeneratedPseudonymKey, logger).GetAwaiter().GetResult();
            return new KeyRing(key);
        });
        return services;
    }

    /// <summary>Parses a base64 32-byte key; null when unset; an exception naming the setting when malformed.</summary>
    public static byte[]? ParseKey(string? value, string settingName)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        try
        {
            var bytes = Convert.FromBase64String(value.Trim());
            if (bytes.Length == 32) return bytes;
        }
        catch (FormatException) { }
        throw new InvalidOperationException($"{settingName} must be the base64 of exactly 32 bytes (e.g. `openssl rand -base64 32`).");
    }

    private static async Task<byte[]> GetOrCreateAsync(Documents documents, string key, ILogger logger)
    {
        var existing = await documents.GetValueAsync<GeneratedSecret>(key);
        if (existing is not null) return Convert.FromBase64String(existing.Value);
        var created = new GeneratedSecret(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        if (await documents.TryCreateAsync(key, created))
        {
            logger.LogWarning("No {Setting} is configured, so a key was generated and stored for Development. Set one in Production.", "Security:PseudonymKey");
            return Convert.FromBase64String(created.Value);
        }
        var winner = await documents.GetValueAsync<GeneratedSecret>(key) ?? throw new StateUnavailableException("The generated key could not be read back.");
        return Convert.FromBase64String(winner.Value);
    }
}
