using System.CommandLine;
using PeerGroupBot.Discord;
using PeerGroupBot.Discord.Commands;
using PeerGroupBot.Discord.Rest;

namespace PeerGroupBot.Hosting;

/// <summary><c>discord register-commands [--guild ID] [--file PATH]</c>: bulk-overwrites the slash commands from the manifest.</summary>
public static class DiscordVerbs
{
    public static Command Build()
    {
        var guild = new Option<string?>("--guild") { Description = "Register in one server only (shows at once; good for trying the bot). Without it, commands are global." };
        var file = new Option<string?>("--file") { Description = "A commands.json to use instead of the one built in (manifests/discord/commands.json)." };
        var register = new Command("register-commands", "Replace the bot's slash commands with those in manifests/discord/commands.json. Needs Discord:BotToken and Discord:ApplicationId.");
        register.Options.Add(guild);
        register.Options.Add(file);
        register.SetAction((parse, cancellationToken) => RegisterAsync(parse.GetValue(guild), parse.GetValue(file), cancellationToken));

        var discord = new Command("discord", "Discord admin tasks.");
        discord.Subcommands.Add(register);
        return discord;
    }

    private static async Task<int> RegisterAsync(string? guildId, string? file, CancellationToken cancellationToken)
    {
        if (guildId is not null && (guildId.Length is 0 or > 25 || !guildId.All(char.IsAsciiDigit)))
        {
            Console.Error.WriteLine("--guild must be a server id (digits). In Discord: Settings > Advanced > Developer Mode, then right-click the server > Copy Server ID.");
            return 2;
        }
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddDiscordRestClient(builder.Configuration);
        using var host = builder.Build();
        try
        {
            var manifest = file is null ? CommandManifest.Embedded() : CommandManifest.FromFile(file);
            var count = await host.Services.GetRequiredService<CommandRegistrar>().RegisterAsync(manifest, guildId, cancellationToken);
            Console.WriteLine(guildId is null
                ? $"Registered {count} slash commands globally. New commands can take a few minutes to show in Discord."
                : $"Registered {count} slash commands in server {guildId}. They show straight away there.");
            return 0;
        }
        catch (Exception ex) when (ex is InvalidOperationException or DiscordApiException or IOException or System.Text.Json.JsonException or Microsoft.Extensions.Options.OptionsValidationException)
        {
            Console.Error.WriteLine($"Could not register the commands: {ex.Message}");
            return 1;
        }
    }
}
