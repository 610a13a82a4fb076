using System.CommandLine;
using PeerGroupBot.Teams.Packaging;

namespace PeerGroupBot.Hosting;

/// <summary>
/// The command line. Running with no verb (or only host settings such as <c>--urls</c>) starts the bot; a verb
/// runs an admin task and exits. Verbs are added by the adapters' issues.
/// </summary>
public static class BotCommandLine
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = BuildVerbs();
        if (args.Length > 0 && root.Subcommands.Any(c => c.Name == args[0] || args[0] is "--help" or "-h" or "-?"))
            return await root.Parse(args).InvokeAsync();

        try
        {
            var app = BotHost.Build(args);
            await app.RunAsync();
            return 0;
        }
        catch (Exception ex) when (ex is Microsoft.Extensions.Options.OptionsValidationException or InvalidOperationException && IsConfigurationError(ex))
        {
            Console.Error.WriteLine($"PeerGroupBot cannot start: {ex.Message}");
            Console.Error.WriteLine("See appsettings.example.json for every setting and its meaning.");
            return 2;
        }
    }

    private static bool IsConfigurationError(Exception ex)
        => ex is Microsoft.Extensions.Options.OptionsValidationException
           || ex.Message.Contains("Failed to convert configuration value", StringComparison.Ordinal)
           || ex.Message.Contains(':', StringComparison.Ordinal) && ex.Message.Contains("must", StringComparison.Ordinal);

    public static RootCommand BuildVerbs()
    {
        var root = new RootCommand("PeerGroupBot: co-production habits for peer-led groups on Teams and Discord. Run with no verb to start the bot.");
        root.Subcommands.Add(TeamsCommandLine.Create());
        root.Subcommands.Add(DiscordVerbs.Build());
        return root;
    }
}
