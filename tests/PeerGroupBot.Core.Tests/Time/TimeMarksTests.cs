using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Time;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Time;

/// <summary>
/// The core marks each moment it names (session times, poll closes, rota dates) right after its human text, so Discord
/// can add its own timestamps; every other renderer drops the marks and shows the text exactly as before.
/// </summary>
public class TimeMarksTests
{
    private static Task<IReadOnlyList<BotReply>> RawAsync(TestBot bot, Actor actor, string text)
        => bot.Router.HandleAsync(new BotInput { Actor = actor, Place = Channel, Kind = InputKind.Message, Text = text }, CancellationToken.None);

    [Fact]
    public void A_mark_follows_the_text_and_strips_away_completely()
    {
        var at = Instant.FromUtc(2026, 12, 8, 18, 30);
        var text = "Tuesday 8 December, 18:30" + TimeMarks.Of(at) + " (Europe/London time)";
        Assert.Equal([at.ToUnixTimeSeconds()], TimeMarks.In(text));
        Assert.Equal("Tuesday 8 December, 18:30 (Europe/London time)", TimeMarks.Strip(text));
        Assert.Equal($"Tuesday 8 December, 18:30 [{at.ToUnixTimeSeconds()}] (Europe/London time)", TimeMarks.Render(text, unix => $" [{unix}]"));
        Assert.Equal("odd", TimeMarks.Strip("\uE000od\uE001d")); // a stray or forged mark character never survives
    }

    [Fact]
    public async Task Session_times_poll_closes_and_rota_dates_are_marked_with_their_instants()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();
        await bot.SendAsync(Fran, "session schedule weekly tuesday 18:30 90m");

        var next = Assert.Single(await RawAsync(bot, Alex, "session next"));
        Assert.Contains(Instant.FromUtc(2026, 11, 3, 18, 30).ToUnixTimeSeconds(), TimeMarks.In(next.Text));

        var poll = await RawAsync(bot, Fran, "poll new \"Tea or coffee?\" Tea | Coffee closes 2026-11-06 18:00");
        Assert.Contains(poll, r => TimeMarks.In(r.Text).Contains(Instant.FromUtc(2026, 11, 6, 18, 0).ToUnixTimeSeconds()));

        await bot.SendAsync(Fran, "rota poll 2");
        await bot.SendAsync(Fran, "rota close");
        var board = Assert.Single(await RawAsync(bot, Alex, "rota"));
        Assert.Equal([Instant.FromUtc(2026, 11, 3, 18, 30).ToUnixTimeSeconds(), Instant.FromUtc(2026, 11, 10, 18, 30).ToUnixTimeSeconds()], TimeMarks.In(board.Text));

        // What the playground (and Teams) show has none of it.
        var plain = TimeMarks.Plain(next);
        Assert.DoesNotContain(TimeMarks.Open, plain.Text);
        Assert.Contains("**When:** Tuesday 3 November, 18:30–20:00 GMT (Europe/London time)", plain.Text);
    }
}
