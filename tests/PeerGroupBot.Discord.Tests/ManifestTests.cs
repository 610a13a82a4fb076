using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Discord.Commands;
using PeerGroupBot.Discord.Tests.Support;
using PeerGroupBot.Testing;

namespace PeerGroupBot.Discord.Tests;

/// <summary>
/// On Discord a member can only use what <c>manifests/discord/commands.json</c> declares (no typed messages reach an
/// HTTP-interactions bot), so every command the core's <c>help</c> names must be declared there, and the README's
/// Discord table must show what is declared.
/// </summary>
public sealed class ManifestTests : IAsyncLifetime
{
    private DiscordHost _host = null!;

    public async Task InitializeAsync() => _host = await DiscordHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private IReadOnlyList<IFlow> CoreFlows => _host.Services.GetRequiredService<ConversationRouter>().Flows
        .Where(f => f.GetType().Assembly == typeof(ConversationRouter).Assembly).ToList();

    [Fact]
    public void Every_command_in_help_is_declared_on_Discord_and_every_declared_one_is_in_help()
    {
        var help = CommandWords.OfHelp(CoreFlows);
        var declared = CommandManifest.Embedded().Commands.EnumerateArray()
            .Where(c => c.GetProperty("name").GetString() != "help")
            .ToDictionary(c => c.GetProperty("name").GetString()!, DeclaredVerbs);

        Assert.Equal(help.Keys.Order(), declared.Keys.Order());
        var undeclared = help.SelectMany(h => h.Value.Where(v => !CommandWords.Covers(h.Key, declared[h.Key], v)).Select(v => $"{h.Key} {v}".Trim()));
        var notInHelp = declared.SelectMany(d => d.Value.Where(v => !CommandWords.Covers(d.Key, help[d.Key], v)).Select(v => $"/{d.Key} {v}".Trim()));
        Assert.Empty(undeclared);
        Assert.Empty(notInHelp);

        var topics = CommandManifest.Embedded().Commands.EnumerateArray().Single(c => c.GetProperty("name").GetString() == "help")
            .GetProperty("options")[0].GetProperty("choices").EnumerateArray().Select(c => c.GetProperty("value").GetString()!);
        Assert.Equal(CoreFlows.Select(f => f.HelpTopic).Order(), topics.Order());
    }

    [Fact]
    public void The_readme_discord_table_shows_every_declared_command_with_its_options()
    {
        var readme = File.ReadAllLines(Path.Combine(RepositoryRoot.Find(), "README.md"));
        foreach (var command in CommandManifest.Embedded().Commands.EnumerateArray())
        {
            var name = command.GetProperty("name").GetString()!;
            var row = readme.SingleOrDefault(l => l.StartsWith($"| `/{name}` |", StringComparison.Ordinal));
            Assert.True(row is not null, $"README.md has no row for /{name} in its Discord table.");
            var options = Options(command).ToList();
            var subcommands = options.Where(o => o.GetProperty("type").GetInt32() == 1).ToList();
            var expected = subcommands.Count > 0
                ? string.Join(" · ", subcommands.Select(s => string.Join(' ', [s.GetProperty("name").GetString()!, .. Options(s).Select(Shown)])))
                : string.Join(' ', ["(no subcommand)", .. options.Select(Shown)]);
            Assert.Equal(expected, row.Split('|')[2].Trim());
        }

        static string Shown(JsonElement option)
        {
            var name = option.GetProperty("name").GetString()!;
            return option.TryGetProperty("required", out var required) && required.GetBoolean() ? name : $"[{name}]";
        }
    }

    [Fact]
    public async Task Concern_views_take_a_facilitators_setting_and_member()
    {
        var channel = Payloads.NewChannel();
        await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "setup start", ("name", "Concern desk")));

        var before = await _host.InteractAsync(Payloads.Command(TestUser.Ash, channel, "concern", ("view", "hours")));
        Assert.Contains("hasn't set when its facilitators read concerns", before.Data().VisibleText());

        var set = await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "concern", ("setting", "weekdays 09:00-17:00"), ("view", "hours")));
        Assert.True(set.Data().IsEphemeral());
        Assert.Contains("Facilitators read concerns weekdays 09:00–17:00", set.Data().VisibleText());

        var after = await _host.InteractAsync(Payloads.Command(TestUser.Ash, channel, "concern", ("view", "hours")));
        Assert.Contains("read concerns weekdays 09:00–17:00", after.Data().VisibleText());

        var lead = await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "concern", ("member", TestUser.Ash), ("view", "lead"), ("setting", "add")));
        Assert.Contains("Ash (nick) is now a safeguarding lead for **Concern desk**", lead.Data().VisibleText());
    }

    [Fact]
    public async Task A_concern_typed_into_the_setting_option_in_a_server_is_answered_privately_and_kept_nowhere()
    {
        var channel = Payloads.NewChannel();
        await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "setup start", ("name", "Typed concern")));
        const string words = "Someone in the group keeps messaging me late at night";

        var response = await _host.InteractAsync(Payloads.Command(TestUser.Ash, channel, "concern", ("setting", words)));

        Assert.True(response.Data().IsEphemeral());
        Assert.Contains("haven't kept what you typed", response.Data().VisibleText());
        Assert.DoesNotContain(_host.Store.Snapshot(), d => System.Text.Encoding.UTF8.GetString(d.Content.Span).Contains(words, StringComparison.Ordinal));
        Assert.DoesNotContain(_host.Logs.Lines, l => l.Contains(words, StringComparison.Ordinal));
    }

    [Fact]
    public async Task New_rota_agenda_and_me_subcommands_and_choices_reach_the_core()
    {
        var channel = Payloads.NewChannel();
        await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "setup start", ("name", "Rota desk")));

        var roles = await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "rota roles", ("roles", "host, welcomer")));
        Assert.Contains("host", (await _host.InteractAsync(Payloads.Command(TestUser.Ash, channel, "rota roles"))).Data().VisibleText());
        Assert.DoesNotContain("isn't something I know", roles.Data().VisibleText());

        var cap = await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "rota cap", ("details", "2 in 6")));
        Assert.DoesNotContain("isn't something I know", cap.Data().VisibleText());
        Assert.Contains("2", cap.Data().VisibleText());

        await _host.InteractAsync(Payloads.Command(TestUser.Ash, channel, "agenda add", ("text", "Tea and biscuits")));
        await _host.InteractAsync(Payloads.Command(TestUser.Ash, channel, "agenda done", ("item", "1")));
        var undone = await _host.InteractAsync(Payloads.Command(TestUser.Ash, channel, "agenda undone", ("item", "1")));
        Assert.Contains("Tea and biscuits", undone.Data().VisibleText());
        Assert.DoesNotContain("isn't something I know", undone.Data().VisibleText());

        var nudges = await _host.InteractAsync(Payloads.Command(TestUser.Ash, channel, "me nudges", ("state", "default")));
        Assert.Contains("Nudges are back to the default", nudges.Data().VisibleText());
    }

    /// <summary>What a command declares: its subcommands, or, without any, the bare command and the values of its first choice option.</summary>
    private static HashSet<string> DeclaredVerbs(JsonElement command)
    {
        var options = Options(command).ToList();
        var subcommands = options.Where(o => o.GetProperty("type").GetInt32() is 1 or 2).Select(o => o.GetProperty("name").GetString()!).ToHashSet();
        if (subcommands.Count > 0) return subcommands;
        var choices = options.FirstOrDefault(o => o.TryGetProperty("choices", out _)) is { ValueKind: JsonValueKind.Object } first
            ? first.GetProperty("choices").EnumerateArray().Select(c => c.GetProperty("value").GetString()!)
            : [];
        return [CommandWords.Bare, .. choices];
    }

    private static IEnumerable<JsonElement> Options(JsonElement node)
        => node.TryGetProperty("options", out var options) ? options.EnumerateArray() : [];
}
