using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Testing;
using static PeerGroupBot.Core.Tests.Rota.RotaTestKit;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Rota;

/// <summary>
/// The availability card is one form: every date on it, one "Save my availability" that records every date's ticks at
/// once, and what a member answered before is ticked when they open it again. On Discord, where each select menu sends
/// its own interaction, each date saves as it is picked and the page says so.
/// </summary>
public class AvailabilitySubmitTests
{
    private static IReadOnlyList<string> Ticks(params string[] roles) => [.. roles.Select(r => Array.IndexOf(Roles, r).ToString())];

    private static IReadOnlyList<string> Ticked(ReplySelect select) => [.. select.Options.Where(o => o.Selected).Select(o => o.Label)];

    [Fact]
    public async Task One_submit_records_the_ticks_on_every_date_and_the_card_comes_back_prefilled()
    {
        await using var bot = WithThursdaySessions();
        await bot.SetupGroupAsync();
        await bot.SendAsync(Fran, "rota poll 6");
        var poll = PollId(bot);

        var page = Assert.Single(await bot.ClickAsync(Alex, $"rota:avail:{poll}"));
        Assert.Equal("Your rota availability", page.Title);
        Assert.Equal(6, page.Selects.Count); // every date on one card, not pages
        Assert.Equal("Save my availability", page.SubmitSelects?.Label);
        Assert.Contains("then press **Save my availability** once", page.Text);
        Assert.DoesNotContain(page.Buttons, b => b.Label.StartsWith("Later", StringComparison.Ordinal));

        var saved = Assert.Single(await bot.SubmitChoicesAsync(Alex, page.SubmitSelects!.ActionId, new Dictionary<string, IReadOnlyList<string>>
        {
            [page.Selects[0].ActionId] = Ticks("facilitator", "welcomer"),
            [page.Selects[1].ActionId] = [],
            [page.Selects[2].ActionId] = Ticks("note-taker"),
            [page.Selects[3].ActionId] = [],
            [page.Selects[4].ActionId] = [],
            [page.Selects[5].ActionId] = Ticks("co-facilitator", "note-taker"),
        }));

        Assert.True(saved.UpdatesSource);
        Assert.Equal(ReplyVisibility.Private, saved.Visibility);
        Assert.Contains("Saved: roles on 3 dates.", saved.Text);
        Assert.Contains("- Thu 5 Nov, 18:00 GMT: facilitator, welcomer", saved.Text);
        Assert.Contains("- Thu 12 Nov, 18:00 GMT: not this time", saved.Text);
        Assert.Contains("- Thu 19 Nov, 18:00 GMT: note-taker", saved.Text);
        Assert.Contains("- Thu 10 Dec, 18:00 GMT: co-facilitator, note-taker", saved.Text);
        Assert.Equal(["facilitator", "welcomer"], Ticked(saved.Selects[0]));
        Assert.Equal(["note-taker"], Ticked(saved.Selects[2]));
        Assert.Equal(["co-facilitator", "note-taker"], Ticked(saved.Selects[5]));

        var card = bot.Playground.Updates.Last().Reply.Text;
        Assert.Contains("Thu 5 Nov, 18:00 GMT: 1 available", card);
        Assert.Contains("Thu 12 Nov, 18:00 GMT: 0 available", card);
        Assert.Contains("Thu 19 Nov, 18:00 GMT: 1 available", card);
        Assert.Contains("Thu 10 Dec, 18:00 GMT: 1 available", card);

        // Opened again later, the card shows what was saved.
        var again = Assert.Single(await bot.ClickAsync(Alex, $"rota:avail:{poll}"));
        Assert.Equal(["facilitator", "welcomer"], Ticked(again.Selects[0]));
        Assert.Empty(Ticked(again.Selects[1]));
        Assert.Equal(["note-taker"], Ticked(again.Selects[2]));
        Assert.Equal(["co-facilitator", "note-taker"], Ticked(again.Selects[5]));

        // Unticking a date and saving again takes it off; the other dates stay as they were.
        var choices = again.Selects.ToDictionary(s => s.ActionId, s => (IReadOnlyList<string>)[.. s.Options.Where(o => o.Selected).Select(o => o.Value)]);
        choices[again.Selects[0].ActionId] = [];
        var changed = Assert.Single(await bot.SubmitChoicesAsync(Alex, again.SubmitSelects!.ActionId, choices));
        Assert.Contains("- Thu 5 Nov, 18:00 GMT: not this time", changed.Text);
        Assert.Contains("- Thu 19 Nov, 18:00 GMT: note-taker", changed.Text);

        // And the rota uses every date's answer.
        await bot.SendAsync(Fran, "rota close");
        var board = bot.Playground.Posts.Last().Reply.Text;
        Assert.Contains("note-taker: **Alex**", board);
    }

    [Fact]
    public async Task A_submit_with_nothing_in_it_changes_nothing_and_says_so()
    {
        await using var bot = WithThursdaySessions();
        await bot.SetupGroupAsync();
        await bot.SendAsync(Fran, "rota poll 2");
        var poll = PollId(bot);
        await MarkAsync(bot, Alex, poll, 0, "welcomer");

        var reply = Assert.Single(await bot.SubmitChoicesAsync(Alex, $"rota:save:{poll}", new Dictionary<string, IReadOnlyList<string>>()));

        Assert.Contains("nothing has changed", reply.Text);
        Assert.Contains("- Thu 5 Nov, 18:00 GMT: welcomer", reply.Text);
    }

    [Fact]
    public async Task On_discord_each_date_saves_as_it_is_picked_and_the_page_says_so()
    {
        await using var bot = WithThursdaySessions();
        await bot.SetupGroupAsync();
        var discord = await LinkDiscordAsync(bot);
        await bot.SendAsync(Fran, "rota poll 6");
        var poll = PollId(bot);
        var kai = new Actor("discord:77", "Kai");

        var page = Assert.Single(await bot.ClickAsync(kai, $"rota:avail:{poll}", discord));
        Assert.Null(page.SubmitSelects);
        Assert.Equal(4, page.Selects.Count);
        Assert.Contains("Each date saves as soon as you pick its roles; there's nothing else to press.", page.Text);

        await bot.ClickAsync(kai, page.Selects[0].ActionId, discord, selected: Ticks("welcomer"));
        var later = Assert.Single(await bot.ClickAsync(kai, $"rota:page:{poll}:1", discord));
        var last = Assert.Single(await bot.ClickAsync(kai, later.Selects[1].ActionId, discord, selected: Ticks("facilitator")));

        Assert.Contains("- Thu 5 Nov, 18:00 GMT: welcomer", last.Text);
        Assert.Contains("- Thu 10 Dec, 18:00 GMT: facilitator", last.Text);
        Assert.Equal(["facilitator"], Ticked(last.Selects[1]));
    }
}
