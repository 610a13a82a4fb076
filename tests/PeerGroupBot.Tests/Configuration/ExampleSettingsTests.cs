using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Discord;
using PeerGroupBot.Hosting;
using PeerGroupBot.Scheduling;
using PeerGroupBot.Storage;
using PeerGroupBot.Teams;
using PeerGroupBot.Testing;
using SchedulingOptions = PeerGroupBot.Core.Scheduling.SchedulingOptions;

namespace PeerGroupBot.Tests.Configuration;

/// <summary>
/// appsettings.example.json promises every setting with its default and a description, and the README's settings
/// table names settings and defaults: both are checked against the options classes the bot binds.
/// </summary>
public sealed class ExampleSettingsTests
{
    private static readonly Assembly[] Assemblies =
    [
        typeof(BotHost).Assembly, typeof(ConversationRouter).Assembly, typeof(StorageOptions).Assembly,
        typeof(TeamsOptions).Assembly, typeof(DiscordOptions).Assembly,
    ];

    /// <summary>Public and settable, but set by the host from the environment rather than read as a setting.</summary>
    private static readonly HashSet<string> NotSettings = ["Concerns:AllowGeneratedKey"];

    /// <summary>Settings whose default depends on the environment: the example shows the Development value.</summary>
    private static readonly HashSet<string> EnvironmentDefaults = ["Playground:Enabled"];

    /// <summary>Sections read by .NET itself rather than by an options class of the bot (log levels).</summary>
    private static readonly HashSet<string> FrameworkSections = ["Logging"];

    private static readonly string Root = RepositoryRoot.Find();

    /// <summary>Every options class (a public <c>Section</c> or <c>SectionName</c> constant names its section) and its settings.</summary>
    private static List<(string Section, Type Type, List<PropertyInfo> Settings)> OptionsClasses()
    {
        var classes = new List<(string, Type)>();
        foreach (var type in Assemblies.SelectMany(a => a.GetTypes()))
        {
            var field = type.GetField("Section", BindingFlags.Public | BindingFlags.Static) ?? type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static);
            if (field is { IsLiteral: true } && field.FieldType == typeof(string)) classes.Add(((string)field.GetRawConstantValue()!, type));
        }
        classes.Add((SchedulingOptions.Section, typeof(SchedulingHostOptions))); // the host's half of the Scheduling section
        return classes.Select(c => (c.Item1, c.Item2, c.Item2.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.SetMethod is { IsPublic: true } && !typeof(Delegate).IsAssignableFrom(p.PropertyType) && !NotSettings.Contains($"{c.Item1}:{p.Name}"))
                .ToList()))
            .ToList();
    }

    private static JsonElement Example()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Root, "appsettings.example.json")));
        return document.RootElement.Clone();
    }

    private static bool IsComment(string key) => key.StartsWith("//", StringComparison.Ordinal);

    [Fact]
    public void Every_setting_of_every_options_class_is_in_the_example_with_a_description()
    {
        var example = Example();
        var missing = new List<string>();
        foreach (var (section, _, settings) in OptionsClasses())
        foreach (var setting in settings)
        {
            var hasSection = example.TryGetProperty(section, out var values);
            if (!hasSection || !values.TryGetProperty(setting.Name, out _)) missing.Add($"{section}:{setting.Name}");
            else if (!values.TryGetProperty("//" + setting.Name, out var description) || description.GetString() is not { Length: > 0 })
                missing.Add($"a //{setting.Name} description in {section}");
        }
        Assert.Empty(missing);
    }

    [Fact]
    public void Every_key_in_the_example_is_read_by_an_options_class_and_every_description_has_its_key()
    {
        var classes = OptionsClasses();
        var unknown = new List<string>();
        foreach (var section in Example().EnumerateObject().Where(s => !IsComment(s.Name) && !FrameworkSections.Contains(s.Name)))
        {
            var settings = classes.Where(c => c.Section == section.Name).SelectMany(c => c.Settings).Select(p => p.Name).ToHashSet();
            if (settings.Count == 0) { unknown.Add(section.Name); continue; }
            var keys = section.Value.EnumerateObject().Select(k => k.Name).ToList();
            unknown.AddRange(keys.Where(k => !IsComment(k) && !settings.Contains(k)).Select(k => $"{section.Name}:{k}"));
            unknown.AddRange(keys.Where(k => IsComment(k) && !keys.Contains(k[2..])).Select(k => $"{section.Name}:{k} (a description of nothing)"));
        }
        Assert.Empty(unknown);
    }

    [Fact]
    public void The_example_shows_each_settings_default()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(Root, "appsettings.example.json")).Build();
        var differences = new List<string>();
        foreach (var (section, type, settings) in OptionsClasses())
        {
            var defaults = Activator.CreateInstance(type)!;
            var bound = configuration.GetSection(section).Get(type)!;
            foreach (var setting in settings.Where(s => !EnvironmentDefaults.Contains($"{section}:{s.Name}")))
            {
                var (expected, actual) = (Shown(setting.GetValue(defaults)), Shown(setting.GetValue(bound)));
                if (expected != actual) differences.Add($"{section}:{setting.Name} is {actual} in the example but defaults to {expected}");
            }
        }
        Assert.Empty(differences);

        static string Shown(object? value) => value switch
        {
            null => "",
            string text => text,
            IEnumerable items => "[" + string.Join(", ", items.Cast<object>()) + "]",
            _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
        };
    }

    [Fact]
    public void The_readme_names_every_setting_and_only_real_ones_with_the_defaults_it_gives()
    {
        var classes = OptionsClasses();
        var problems = new List<string>();
        var named = new HashSet<string>(StringComparer.Ordinal);
        var readme = File.ReadAllLines(Path.Combine(Root, "README.md"));
        foreach (var line in readme)
        {
            foreach (Match setting in Regex.Matches(line, @"`(?<section>[A-Z][A-Za-z]+)(?::|__)(?<key>[A-Z][A-Za-z]+)"))
            {
                var (section, key) = (setting.Groups["section"].Value, setting.Groups["key"].Value);
                named.Add($"{section}:{key}");
                if (!classes.Any(c => c.Section == section && c.Settings.Any(s => s.Name == key)))
                    problems.Add($"{section}:{key} (README: {line.Trim()})");
            }

            // Table rows: | `Section:A` / `B` / `C` | default-of-A / default-of-B / default-of-C | meaning |
            var row = Regex.Match(line, @"^\| `(?<section>[A-Z][A-Za-z]+):(?<first>[A-Za-z]+)`(?<more>(?: / `[A-Za-z]+`)*) \| (?<defaults>[^|]+) \|");
            if (!row.Success) continue;
            var rowSection = row.Groups["section"].Value;
            var keys = new[] { row.Groups["first"].Value }.Concat(Regex.Matches(row.Groups["more"].Value, "`([A-Za-z]+)`").Select(m => m.Groups[1].Value)).ToList();
            var shownDefaults = row.Groups["defaults"].Value.Split(" / ").Select(d => d.Trim().Trim('`')).ToList();
            foreach (var key in keys)
            {
                named.Add($"{rowSection}:{key}");
                var owner = classes.FirstOrDefault(c => c.Section == rowSection && c.Settings.Any(s => s.Name == key));
                if (owner.Type is null) { problems.Add($"{rowSection}:{key} (README table)"); continue; }
                var value = owner.Type.GetProperty(key)!.GetValue(Activator.CreateInstance(owner.Type));
                var shown = keys.Count == shownDefaults.Count ? shownDefaults[keys.IndexOf(key)] : shownDefaults[0];
                var expected = value switch
                {
                    int or double => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
                    string { Length: > 0 } text => text,
                    null or "" => "—",
                    _ => null, // booleans and the like depend on the environment; the row explains them in words
                };
                var generated = shown.StartsWith("generated", StringComparison.Ordinal) && expected == "—";
                if (expected is not null && shown != expected && !generated) problems.Add($"{rowSection}:{key} defaults to {expected}, the README says {shown}");
            }
        }
        Assert.Empty(problems);
        Assert.DoesNotContain(classes.SelectMany(c => c.Settings.Select(s => $"{c.Section}:{s.Name}")), s => !named.Contains(s));
    }
}
