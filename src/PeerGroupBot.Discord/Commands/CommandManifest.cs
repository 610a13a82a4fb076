using System.Text.Json;

namespace PeerGroupBot.Discord.Commands;

/// <summary>
/// The slash command definitions in <c>manifests/discord/commands.json</c> (embedded in this assembly): what
/// <c>discord register-commands</c> sends to Discord, and the order of each command's options, so a command always
/// flattens to the same text ("/agenda add text:Tea" is "agenda add Tea") whatever order the member filled it in.
/// </summary>
public sealed class CommandManifest
{
    public const string ResourceName = "discord-commands.json";

    /// <summary>Subcommands that mean the bare command in the core's text form ("/setup show" is "setup").</summary>
    private static readonly HashSet<string> BareSubcommands = new(StringComparer.Ordinal) { "setup show", "me show" };

    private readonly Dictionary<string, List<string>> _optionOrder = new(StringComparer.Ordinal);

    public CommandManifest(JsonElement commands)
    {
        if (commands.ValueKind != JsonValueKind.Array) throw new InvalidOperationException("The Discord command manifest must be a JSON array of commands.");
        Commands = commands.Clone();
        foreach (var command in Commands.EnumerateArray()) Index(command.GetProperty("name").GetString()!, command);
    }

    /// <summary>The definitions exactly as registered with Discord.</summary>
    public JsonElement Commands { get; }

    /// <summary>The manifest compiled into the adapter.</summary>
    public static CommandManifest Embedded()
    {
        using var stream = typeof(CommandManifest).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException("The Discord command manifest is missing from the build.");
        using var document = JsonDocument.Parse(stream);
        return new CommandManifest(document.RootElement);
    }

    public static CommandManifest FromFile(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return new CommandManifest(document.RootElement);
    }

    /// <summary>Where an option sits among its command's options; unknown options go last, in the order received.</summary>
    public int OptionPosition(string commandPath, string optionName)
        => _optionOrder.TryGetValue(commandPath, out var order) && order.IndexOf(optionName) is var index and >= 0 ? index : int.MaxValue;

    public static bool IsBare(string commandPath) => BareSubcommands.Contains(commandPath);

    private void Index(string path, JsonElement node)
    {
        if (!node.TryGetProperty("options", out var options) || options.ValueKind != JsonValueKind.Array) return;
        var values = new List<string>();
        foreach (var option in options.EnumerateArray())
        {
            var name = option.GetProperty("name").GetString()!;
            var type = option.GetProperty("type").GetInt32();
            if (type is 1 or 2) Index($"{path} {name}", option); // a subcommand or a group of them
            else values.Add(name);
        }
        if (values.Count > 0) _optionOrder[path] = values;
    }
}
