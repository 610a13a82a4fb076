using Microsoft.Extensions.DependencyInjection;
using PeerGroupBot.Core.Scheduling;
using PeerGroupBot.Discord.Tests.Support;

namespace PeerGroupBot.Discord.Tests;

/// <summary>What members write is shown as they wrote it: never as a live link, a heading or a mention.</summary>
public sealed class MemberTextTests : IAsyncLifetime
{
    private DiscordHost _host = null!;

    public async Task InitializeAsync() => _host = await DiscordHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_link_or_a_mention_in_a_poll_option_is_escaped_on_the_posted_card()
    {
        var channel = Payloads.NewChannel();
        await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "setup start", ("name", "Thursday Circle")));

        await _host.InteractAsync(Payloads.Command(TestUser.Ash, channel, "poll new", ("details", "\"What next?\" [login](https://evil.example) | <@&777> tea")));

        var posted = await _host.Fake.WaitForAsync(r => r.Method == "POST" && r.Path == $"/api/v10/channels/{channel}/messages" && r.Body.Contains("What next?", StringComparison.Ordinal));
        var shown = posted.Json.VisibleText();
        Assert.Contains(@"\[login\](https://evil.example)", shown);
        Assert.DoesNotContain(shown.Replace(@"\[login\](", "", StringComparison.Ordinal), "[login](");
        Assert.Contains(@"\<@&777> tea", shown);
        posted.Json.AssertPingsNobody();
    }

    [Fact]
    public async Task Backticks_in_a_poll_option_are_escaped_so_they_open_no_code_span_or_block()
    {
        var channel = await _host.StartGroupAsync();

        await _host.InteractAsync(Payloads.Command(TestUser.Ash, channel, "poll new", ("details", "\"What next?\" `code` tips | ``` fences | Boundaries")));

        var posted = await _host.Fake.WaitForAsync(r => r.Method == "POST" && r.Path == $"/api/v10/channels/{channel}/messages" && r.Body.Contains("What next?", StringComparison.Ordinal));
        var shown = posted.Json.VisibleText();
        Assert.Contains(@"1. \`code\` tips", shown);
        Assert.Contains(@"2. \`\`\` fences", shown);
        // Every backtick on those lines is escaped: none can open a code span or a block.
        var lines = shown.Split('\n').Where(l => l.StartsWith("1. ", StringComparison.Ordinal) || l.StartsWith("2. ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.Equal(l.Count(c => c == '`'), l.Split(@"\`").Length - 1));
    }

    [Fact]
    public async Task Backticks_in_a_concern_are_escaped_on_the_card_the_facilitators_get()
    {
        await using var host = await DiscordHost.StartAsync(new() { ["Concerns:PostDelayMinMinutes"] = "0", ["Concerns:PostDelayMaxMinutes"] = "0" });
        var channel = await host.StartGroupAsync();
        var group = (await host.GroupOfChannelAsync(channel))!;
        await host.InteractAsync(Payloads.ModalLabels(TestUser.Ash, channel, $"concern:raise:{group.Id}",
            ("text", "The handout said `x` and ``` and nobody explained it."), ("replies", "no")));
        await host.Services.GetRequiredService<TimerDispatcher>().FireDueAsync(CancellationToken.None);

        var card = await host.Fake.WaitForAsync(r => r.Method == "POST" && r.Path.EndsWith("/messages", StringComparison.Ordinal) && r.Body.Contains("nobody explained", StringComparison.Ordinal));
        var shown = card.Json.VisibleText();
        Assert.Contains(@"The handout said \`x\` and \`\`\` and nobody explained it.", shown);
        Assert.DoesNotContain('\uE060', shown);
    }

    [Fact]
    public async Task Backticks_in_a_sessions_place_are_escaped_in_the_session_list()
    {
        var channel = await _host.StartGroupAsync("Tuesday Peers");
        await _host.RunAsync(TestUser.Dee, channel, "session schedule", ("details", "weekly tuesday 18:30 90m \"Room `x` and ```\""));

        var shown = await _host.RunAsync(TestUser.Ash, channel, "session list");
        Assert.Contains(@"at Room \`x\` and \`\`\`", shown);
        Assert.DoesNotContain('\uE060', shown);
        Assert.Equal("Room `x` and ```", _host.Fake.ScheduledEvents.First().Location); // an event's location is plain text, as typed
    }
}
