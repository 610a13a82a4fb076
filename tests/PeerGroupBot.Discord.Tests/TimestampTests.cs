using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Time;
using PeerGroupBot.Discord.Rendering;
using PeerGroupBot.Discord.Tests.Support;

namespace PeerGroupBot.Discord.Tests;

/// <summary>
/// Times in each reader's own zone: session times, poll closing times and rota dates in Discord messages keep the
/// group's local wording and also carry Discord's timestamp markup, full (<c>&lt;t:unix:F&gt;</c>) and relative
/// (<c>&lt;t:unix:R&gt;</c>), which Discord shows in the reader's zone.
/// </summary>
public sealed partial class TimestampTests : IAsyncLifetime
{
    private DiscordHost _host = null!;

    public async Task InitializeAsync() => _host = await DiscordHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [GeneratedRegex("<t:(?<unix>[0-9]+):F> \\(<t:\\k<unix>:R>\\)")]
    private static partial Regex Stamp();

    private static List<Instant> Stamps(string text)
        => Stamp().Matches(text).Select(m => Instant.FromUnixTimeSeconds(long.Parse(m.Groups["unix"].Value, CultureInfo.InvariantCulture))).ToList();

    private Task<string> StartGroupAsync() => _host.StartGroupAsync("Zone Peers");

    private async Task<string> AnswerTextAsync(string payload)
    {
        var response = await _host.InteractAsync(payload);
        if (response.Type() == 4) return response.Data().VisibleText();
        var webhook = $"/api/v10/webhooks/{DiscordHost.ApplicationId}/{Payloads.TokenOf(payload)}";
        return (await _host.Fake.WaitForAsync(r => r.Path.StartsWith(webhook, StringComparison.Ordinal) && r.Method is "PATCH" or "POST")).Json.VisibleText();
    }

    [Fact]
    public async Task Session_times_carry_full_and_relative_timestamps_of_the_session_start()
    {
        var channel = await StartGroupAsync();
        await AnswerTextAsync(Payloads.Command(TestUser.Dee, channel, "session schedule", ("details", "weekly friday 18:30 90m")));
        var start = _host.Fake.ScheduledEvents.Where(e => e.IsScheduled).Min(e => e.Start);
        var first = Instant.FromDateTimeOffset(start);

        var announcement = await _host.Fake.WaitForAsync(r => r.Method == "POST" && r.Path == $"/api/v10/channels/{channel}/messages" && r.Json.VisibleText().Contains("Sessions are now", StringComparison.Ordinal));
        Assert.Contains(first, Stamps(announcement.Json.VisibleText()));
        Assert.DoesNotContain(TimeMarks.Open, announcement.Body);

        var next = await AnswerTextAsync(Payloads.Command(TestUser.Ash, channel, "session next"));
        Assert.Matches("\\*\\*When:\\*\\* Friday [0-9]+ [A-Z][a-z]+, 18:30–20:00 (?:GMT|BST) · <t:[0-9]+:F> \\(<t:[0-9]+:R>\\) \\(Europe/London time\\)", next);
        Assert.Equal(first, Assert.Single(Stamps(next)));

        var list = await AnswerTextAsync(Payloads.Command(TestUser.Ash, channel, "session list"));
        Assert.Equal(6, Stamps(list).Count);
        Assert.Equal(first, Stamps(list)[0]);
    }

    [Fact]
    public async Task A_poll_closing_time_carries_its_timestamps_on_the_card()
    {
        var channel = await StartGroupAsync();
        var before = SystemClock.Instance.GetCurrentInstant();
        await AnswerTextAsync(Payloads.Command(TestUser.Dee, channel, "poll new", ("details", "\"Tea or coffee?\" Tea | Coffee closes in 2 days")));

        var card = await _host.Fake.WaitForAsync(r => r.Method == "POST" && r.Path == $"/api/v10/channels/{channel}/messages" && r.Json.VisibleText().Contains("Tea or coffee?", StringComparison.Ordinal));
        var closes = Assert.Single(Stamps(card.Json.VisibleText()));
        Assert.InRange(closes, before + Duration.FromDays(2) - Duration.FromMinutes(1), SystemClock.Instance.GetCurrentInstant() + Duration.FromDays(2) + Duration.FromMinutes(1));
    }

    [Fact]
    public async Task The_rota_poll_deadline_and_the_rota_dates_carry_timestamps()
    {
        var channel = await StartGroupAsync();
        await AnswerTextAsync(Payloads.Command(TestUser.Dee, channel, "session schedule", ("details", "weekly monday 10:00")));
        var said = await AnswerTextAsync(Payloads.Command(TestUser.Dee, channel, "rota poll", ("details", "2")));
        Assert.Single(Stamps(said)); // the deadline

        await AnswerTextAsync(Payloads.Command(TestUser.Dee, channel, "rota close"));
        var board = await AnswerTextAsync(Payloads.Command(TestUser.Ash, channel, "rota show"));
        var sessions = _host.Fake.ScheduledEvents.Where(e => e.IsScheduled).OrderBy(e => e.Start).Take(2).Select(e => Instant.FromDateTimeOffset(e.Start)).ToList();
        Assert.Equal(sessions, Stamps(board));
    }

    [Fact]
    public void Marks_become_markup_in_text_and_vanish_from_titles_buttons_and_modals()
    {
        var at = Instant.FromUtc(2026, 12, 8, 18, 30);
        var mark = TimeMarks.Of(at);
        var reply = new BotReply
        {
            Title = "Tuesday 8 December" + mark,
            Text = "**When:** Tuesday 8 December, 18:30" + mark,
            Buttons = [new ReplyButton("Tue 8 Dec" + mark, "x:y")],
        };
        var message = ReplyRenderer.Message(reply, ephemeral: false);
        var embed = Assert.Single(message.Embeds!);
        Assert.Equal("Tuesday 8 December", embed.Title);
        Assert.Equal($"**When:** Tuesday 8 December, 18:30 · <t:{at.ToUnixTimeSeconds()}:F> (<t:{at.ToUnixTimeSeconds()}:R>)", embed.Description);
        Assert.Equal("Tue 8 Dec", message.Components![0].Components![0].Label);

        var modal = ReplyRenderer.Modal(new ReplyForm("x:y", "Until Tue 8 Dec" + mark, [new FormField("a", "When" + mark, Value: "18:30" + mark)]));
        Assert.Equal("Until Tue 8 Dec", modal.Title);
        Assert.Equal("When", modal.Components[0].Label);
        Assert.Equal("18:30", modal.Components[0].Child!.Value);
    }
}
