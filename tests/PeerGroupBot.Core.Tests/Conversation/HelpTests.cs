using System.Text.RegularExpressions;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Conversation;

/// <summary>
/// <c>help</c> is how members learn the bot, so it must list every command they can use, only commands that exist,
/// and the same ones the README documents.
/// </summary>
public class HelpTests
{
    /// <summary>What each flow answers to a word it doesn't know (concern: typed text it refuses to keep in a channel).</summary>
    private static readonly string[] UnknownCommandAnswers = ["isn't something I know", "I don't know the command", "haven't kept what you typed"];

    private static readonly string[] FacilitatorRefusals = ["Only facilitators", "is for facilitators"];

    [Fact]
    public async Task Help_fits_on_one_screen_with_a_line_per_job_for_the_role()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();

        var forFacilitator = Assert.Single(await bot.SendAsync(Fran, "help")).Text;
        var forMember = Assert.Single(await bot.SendAsync(Alex, "help")).Text;
        var forMemberInPrivate = Assert.Single(await bot.SendAsync(Alex, PrivateOf(Alex), "help")).Text;

        Assert.InRange(forFacilitator.Split('\n').Length, 1, 15);
        Assert.InRange(forMember.Split('\n').Length, 1, 15);
        foreach (var flow in bot.Router.Flows)
        {
            Assert.Contains($"`help {flow.HelpTopic}`: {flow.HelpSummary}", forFacilitator);
            if (flow.Help.Any(e => !e.FacilitatorsOnly)) Assert.Contains($"`help {flow.HelpTopic}`", forMember);
            else Assert.DoesNotContain($"`help {flow.HelpTopic}`", forMember); // setup: nothing a member can do there
        }
        Assert.Contains("`help <topic>`", forMember);
        Assert.Equal(forMember, forMemberInPrivate);
    }

    [Fact]
    public async Task Help_on_a_topic_lists_every_command_of_that_job_for_the_role()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();

        foreach (var flow in bot.Router.Flows)
        {
            var forFacilitator = Assert.Single(await bot.SendAsync(Fran, $"help {flow.HelpTopic}")).Text;
            var forMember = Assert.Single(await bot.SendAsync(Alex, $"help {flow.HelpTopic}")).Text;
            Assert.All(flow.Help, e => Assert.Contains($"`{e.Usage}`", forFacilitator));
            Assert.All(flow.Help.Where(e => !e.FacilitatorsOnly), e => Assert.Contains($"`{e.Usage}`", forMember));
            Assert.All(flow.Help.Where(e => e.FacilitatorsOnly), e => Assert.DoesNotContain($"`{e.Usage}`", forMember));
        }
        Assert.Contains("The `setup` commands are for facilitators", Assert.Single(await bot.SendAsync(Alex, "help setup")).Text);
    }

    [Fact]
    public async Task Help_on_a_topic_it_does_not_know_says_so_and_lists_the_topics()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();

        var text = Assert.Single(await bot.SendAsync(Alex, "help pols")).Text;

        Assert.Contains("I don't have help on \"pols\"", text);
        Assert.Contains("`help poll`", text);
    }

    [Fact]
    public async Task Help_on_one_topic_lists_that_flows_commands_only()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();

        // "help me" is someone asking for help, so it gets the one-screen help, whose line for the `me` job says
        // `help settings`; that (and "help me settings") lists the `me` commands.
        var helpMe = Assert.Single(await bot.SendAsync(Fran, "help me")).Text;
        Assert.Contains("`help poll`", helpMe);
        Assert.Contains("`help settings`", helpMe);
        Assert.DoesNotContain("`help me`", helpMe);
        var me = bot.Router.Flows.Single(f => f.Name == "me");
        foreach (var asked in new[] { "help settings", "help me settings" })
        {
            var settings = Assert.Single(await bot.SendAsync(Fran, asked)).Text;
            Assert.All(me.Help, e => Assert.Contains($"`{e.Usage}`", settings));
        }

        foreach (var flow in bot.Router.Flows.Where(f => f.Name != "me"))
        {
            var text = Assert.Single(await bot.SendAsync(Fran, $"help {flow.Name}")).Text;
            Assert.All(flow.Help, e => Assert.Contains($"`{e.Usage}`", text));
            var others = bot.Router.Flows.Where(f => f != flow).SelectMany(f => f.Help).Where(e => !flow.Help.Any(own => own.Usage == e.Usage));
            Assert.All(others, e => Assert.DoesNotContain($"`{e.Usage}`", text));
        }
    }

    [Fact]
    public async Task Every_command_help_names_is_one_its_flow_understands_and_member_commands_are_open_to_members()
    {
        await using var probe = new TestBot();
        foreach (var flow in probe.Router.Flows)
        foreach (var entry in flow.Help)
        foreach (var verb in CommandWords.Parse(entry.Usage, [flow.Name])!.Value.Verbs)
        {
            // A fresh group for each command, so one (setup unlink, me erase) can't change what the next one meets.
            await using var bot = new TestBot();
            await bot.SetupGroupAsync();
            var typed = verb.Length == 0 ? flow.Name : $"{flow.Name} {verb}";
            var who = entry.FacilitatorsOnly ? Fran : Alex;

            var answer = string.Join("\n", (await bot.SendAsync(who, typed)).Select(r => r.Text));

            Assert.All(UnknownCommandAnswers, unknown => Assert.False(answer.Contains(unknown), $"`{typed}` (from help `{entry.Usage}`) is not understood: {answer}"));
            if (!entry.FacilitatorsOnly)
                Assert.All(FacilitatorRefusals, refusal => Assert.False(answer.Contains(refusal), $"`{typed}` is in members' help but refused to a member: {answer}"));
        }
    }

    [Fact]
    public async Task The_readme_documents_every_command_in_help_and_help_lists_every_command_in_the_readme()
    {
        await using var bot = new TestBot();
        var flows = bot.Router.Flows;
        var names = flows.Select(f => f.Name).ToList();
        var help = CommandWords.OfHelp(flows);
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "README.md"));
        var documented = names.ToDictionary(n => n, _ => new HashSet<string>(StringComparer.Ordinal));
        foreach (Match span in Regex.Matches(readme, "`([^`\n]+)`"))
        {
            if (CommandWords.Parse(span.Groups[1].Value, names) is { } parsed) documented[parsed.Flow].UnionWith(parsed.Verbs);
        }

        var notInReadme = help.SelectMany(h => h.Value.Where(v => !CommandWords.Covers(h.Key, documented[h.Key], v)).Select(v => $"{h.Key} {v}".Trim()));
        var notInHelp = documented.SelectMany(d => d.Value.Where(v => !CommandWords.Covers(d.Key, help[d.Key], v)).Select(v => $"{d.Key} {v}".Trim()));
        Assert.Empty(notInReadme);
        Assert.Empty(notInHelp);
    }
}
