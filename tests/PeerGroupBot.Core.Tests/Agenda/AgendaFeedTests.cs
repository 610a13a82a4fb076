using NodaTime;
using PeerGroupBot.Core.Agenda;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Agenda;

public class AgendaFeedTests
{
    [Fact]
    public async Task A_winning_poll_topic_appears_once_marked_from_topic_poll()
    {
        var calendar = new FakeSessionCalendar().Weekly("Europe/London", AgendaBots.FirstSession, 3, Duration.FromHours(2));
        await using var bot = await AgendaBots.StartAsync(calendar);
        var feed = bot.Get<IAgendaFeed>();
        var group = await bot.GroupAsync();
        await bot.SendAsync(Alex, "agenda add Check-in 15m");

        await feed.AddFromPollAsync(group, "Sleep and routines", "poll-1", CancellationToken.None);
        await feed.AddFromPollAsync(group, "Sleep and routines", "poll-1", CancellationToken.None);

        var list = await bot.TextAsync(Alex, "agenda");
        Assert.Contains("2. Sleep and routines — from topic poll", list);
        await bot.SendAsync(Fran, "agenda post");
        var posted = Assert.Single(bot.Playground.Posts).Reply.Text;
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(posted, "Sleep and routines"));

        var refused = Assert.Single(await bot.SendAsync(Alex, "agenda remove 2"));
        Assert.Contains("chose in a poll", refused.Text);

        // Done, the session ends, and the poll engine repeats itself: the topic does not come back.
        await bot.SendAsync(Fran, "agenda done 2");
        await bot.AdvanceAsync(Duration.FromDays(4));
        await feed.AddFromPollAsync(group, "Sleep and routines", "poll-1", CancellationToken.None);
        Assert.DoesNotContain("Sleep and routines", await bot.TextAsync(Alex, "agenda"));
    }

    [Fact]
    public async Task Poll_topics_go_on_even_when_members_have_filled_the_agenda()
    {
        await using var bot = await AgendaBots.StartAsync();
        for (var i = 1; i <= 50; i++) await bot.SendAsync(Sam, $"agenda add Item {i}");
        await bot.Get<IAgendaFeed>().AddFromPollAsync(await bot.GroupAsync(), "Our chosen topic\nwith a line break", "poll-9", CancellationToken.None);

        Assert.Contains("51. Our chosen topic with a line break — from topic poll", await bot.TextAsync(Fran, "agenda"));
    }
}
