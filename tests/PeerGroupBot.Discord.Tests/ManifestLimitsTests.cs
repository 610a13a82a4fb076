using System.Text.Json;
using System.Text.RegularExpressions;
using PeerGroupBot.Discord.Commands;

namespace PeerGroupBot.Discord.Tests;

/// <summary>
/// Discord refuses a whole command registration (400) when one command breaks its limits, so the manifest is checked
/// against them here rather than at `discord register-commands` time: names of 1–32 lower-case letters, digits, '-' or
/// '_'; descriptions of 1–100 characters; at most 25 options per level and 25 choices per option; required options
/// before optional ones; at most 4,000 characters of names, descriptions and choice values per command.
/// </summary>
public sealed partial class ManifestLimitsTests
{
    [GeneratedRegex(@"^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$")]
    private static partial Regex NamePattern();

    [Fact]
    public void Every_command_keeps_within_Discords_limits()
    {
        var commands = CommandManifest.Embedded().Commands;
        Assert.InRange(commands.GetArrayLength(), 1, 100);
        var problems = Problems(commands);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void The_check_finds_each_kind_of_problem()
    {
        var choices = string.Join(",", Enumerable.Range(0, 26).Select(i => $$"""{"name":"c{{i}}","value":"{{i}}"}"""));
        using var broken = JsonDocument.Parse($$"""
            [
              {"name":"Poll","description":"{{new string('x', 101)}}","options":[
                {"name":"when","type":3,"description":"optional first"},
                {"name":"what","type":3,"description":"then required","required":true},
                {"name":"pick","type":3,"description":"too many","choices":[{{choices}}]}
              ]},
              {"name":"poll","description":"{{new string('y', 100)}}"},
              {"name":"poll","description":"again"}
            ]
            """);
        var problems = Problems(broken.RootElement);
        Assert.Contains(problems, p => p.Contains("the name \"Poll\"", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("101 characters", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("what: a required option after an optional one", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("26 choices", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("/poll is declared twice", StringComparison.Ordinal));
        Assert.Equal(5, problems.Count);
    }

    private static List<string> Problems(JsonElement commands)
    {
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var command in commands.EnumerateArray())
        {
            var name = command.GetProperty("name").GetString()!;
            if (!seen.Add(name)) problems.Add($"/{name} is declared twice");
            Check(name, command, problems);
            var characters = Characters(command);
            if (characters > 4000) problems.Add($"/{name}: {characters} characters in all (at most 4000)");
        }
        return problems;
    }

    private static void Check(string path, JsonElement node, List<string> problems)
    {
        var name = node.GetProperty("name").GetString() ?? "";
        if (!NamePattern().IsMatch(name)) problems.Add($"{path}: the name \"{name}\" is not 1–32 lower-case letters, digits, '-' or '_'");
        var description = node.TryGetProperty("description", out var d) ? d.GetString() ?? "" : "";
        if (description.Length is < 1 or > 100) problems.Add($"{path}: the description has {description.Length} characters (1–100)");
        if (node.TryGetProperty("choices", out var choices))
        {
            if (choices.GetArrayLength() > 25) problems.Add($"{path}: {choices.GetArrayLength()} choices (at most 25)");
            foreach (var choice in choices.EnumerateArray())
                if (choice.GetProperty("name").GetString()!.Length is < 1 or > 100) problems.Add($"{path}: a choice name is not 1–100 characters");
        }
        if (!node.TryGetProperty("options", out var options)) return;
        if (options.GetArrayLength() > 25) problems.Add($"{path}: {options.GetArrayLength()} options (at most 25)");
        var names = new HashSet<string>(StringComparer.Ordinal);
        var optionalSeen = false;
        foreach (var option in options.EnumerateArray())
        {
            var optionName = option.GetProperty("name").GetString()!;
            if (!names.Add(optionName)) problems.Add($"{path}: the option {optionName} appears twice");
            var isSubcommand = option.GetProperty("type").GetInt32() is 1 or 2;
            var required = option.TryGetProperty("required", out var r) && r.GetBoolean();
            if (!isSubcommand && required && optionalSeen) problems.Add($"{path} {optionName}: a required option after an optional one");
            if (!isSubcommand && !required) optionalSeen = true;
            Check($"{path} {optionName}", option, problems);
        }
    }

    /// <summary>What Discord counts towards the 4,000: names, descriptions and choice names and values, at every level.</summary>
    private static int Characters(JsonElement node)
    {
        var count = (node.GetProperty("name").GetString()?.Length ?? 0) + (node.TryGetProperty("description", out var d) ? d.GetString()?.Length ?? 0 : 0);
        if (node.TryGetProperty("choices", out var choices))
            foreach (var choice in choices.EnumerateArray())
                count += choice.GetProperty("name").GetString()!.Length + choice.GetProperty("value").ToString().Length;
        if (node.TryGetProperty("options", out var options))
            foreach (var option in options.EnumerateArray()) count += Characters(option);
        return count;
    }
}
