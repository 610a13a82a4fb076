using Microsoft.Extensions.Logging;
using PeerGroupBot.Discord.Rest;

namespace PeerGroupBot.Discord.Commands;

/// <summary>
/// Registers the slash commands by bulk overwrite: Discord replaces the whole set with the manifest, so removed
/// commands disappear and nothing is registered twice. A guild registration shows at once (good for trying the bot);
/// a global one reaches every server the bot is in.
/// </summary>
public sealed class CommandRegistrar(DiscordRestClient rest, ILogger<CommandRegistrar> logger)
{
    /// <summary>Overwrites the commands; returns how many Discord now holds.</summary>
    public async Task<int> RegisterAsync(CommandManifest manifest, string? guildId, CancellationToken cancellationToken)
    {
        var count = await rest.OverwriteCommandsAsync(manifest.Commands, guildId, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Registered {Count} Discord commands {Scope}.", count, guildId is null ? "globally" : "in one guild");
        return count;
    }
}
