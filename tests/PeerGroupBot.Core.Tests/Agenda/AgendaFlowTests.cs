using NodaTime;
using PeerGroupBot.Core.Agenda;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Rota;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Agenda;

public class AgendaFlowTests
{
    private static FakeSessionCalendar Thursdays(string zone = "Europe/London", Duration? length = null, string? location = null)
        => new FakeSessionCalendar().Weekly(zone, AgendaBots.FirstSession, 4, length ?? Duration.FromHours(2), location);

    [Fact]
    public async Task Members_add_items_with_forgiving_time_estimates_and_see_them_in_order()
    {
        await using var bot = await AgendaBots.StartAsync(Thursdays());

        var added = Assert.Single(await bot.SendAsync(Alex, "agenda add Check-in round 15m"));
        Assert.Equal(ReplyVisibility.Private, added.Visibility);
        Assert.Equal(ReplyTone.Success, added.Tone);
        Assert.Contains("Thursday 5 November", added.Text);
        Assert.Contains("item 1: “Check-in round” (15 min)", added.Text);
        await bot.SendAsync(Sam, "agenda add Sleep and routines ~20 min");
        await bot.SendAsync(Priya, "agenda add Money worries (1h)");
        await bot.SendAsync(Alex, "agenda add Going from 60 to 90 minutes");

        var list = await bot.TextAsync(Alex, "agenda");
        Assert.Contains("1. Check-in round (15 min) — Alex", list);
        Assert.Contains("2. Sleep and routines (20 min) — Sam", list);
        Assert.Contains("3. Money worries (1 h) — Priya", list);
        Assert.Contains("4. Going from 60 to 90 minutes — Alex", list);
        Assert.Contains("1 h 35 min planned of 2 h, so 25 min to spare. One item has no estimate.", list);
    }

    [Fact]
    public async Task Add_without_text_opens_a_form_and_the_form_adds_the_item()
    {
        await using var bot = await AgendaBots.StartAsync(Thursdays());

        var form = Assert.Single(await bot.SendAsync(Alex, "agenda add")).Form;
        Assert.NotNull(form);
        Assert.Equal(["text", "minutes", "show"], form.Fields.Select(f => f.Id));
        Assert.Equal("name", form.Fields[2].Value);

        var added = Assert.Single(await bot.SubmitAsync(Alex, form.ActionId, new Dictionary<string, string> { ["text"] = "Tea rota", ["minutes"] = "10", ["show"] = "name" }));
        Assert.Equal(ReplyTone.Success, added.Tone);
        var bad = Assert.Single(await bot.SubmitAsync(Alex, form.ActionId, new Dictionary<string, string> { ["text"] = "Walks", ["minutes"] = "soon", ["show"] = "name" }));
        Assert.Contains("couldn't read that time", bad.Text);

        var list = await bot.TextAsync(Sam, "agenda list");
        Assert.Contains("1. Tea rota (10 min) — Alex", list);
        Assert.DoesNotContain("Walks", list);
    }

    [Fact]
    public async Task Items_are_limited_in_length_and_number_with_clear_messages()
    {
        await using var bot = await AgendaBots.StartAsync(Thursdays());

        var tooLong = Assert.Single(await bot.SendAsync(Alex, "agenda add " + new string('a', 501)));
        Assert.Equal(ReplyTone.Warning, tooLong.Tone);
        Assert.Contains("up to 500 characters", tooLong.Text);
        Assert.Equal(ReplyTone.Success, Assert.Single(await bot.SendAsync(Alex, "agenda add " + new string('b', 500))).Tone);
        var tooMuchTime = Assert.Single(await bot.SendAsync(Alex, "agenda add Long walk 5h"));
        Assert.Contains("up to 4 h", tooMuchTime.Text);

        for (var i = 2; i <= 50; i++) await bot.SendAsync(Sam, $"agenda add Item {i}");
        var full = Assert.Single(await bot.SendAsync(Priya, "agenda add One too many"));
        Assert.Contains("already has 50 items", full.Text);
        var list = await bot.TextAsync(Fran, "agenda list");
        Assert.Contains("50. Item 50 — Sam", list);
        Assert.DoesNotContain("One too many", list);
    }

    [Fact]
    public async Task Members_remove_their_own_items_and_facilitators_remove_any()
    {
        await using var bot = await AgendaBots.StartAsync(Thursdays());
        await bot.SendAsync(Alex, "agenda add Alex's item");
        await bot.SendAsync(Sam, "agenda add Sam's item");

        var refused = Assert.Single(await bot.SendAsync(Alex, "agenda remove 2"));
        Assert.Contains("added by Sam, so only they or a facilitator can remove it", refused.Text);
        var missing = Assert.Single(await bot.SendAsync(Alex, "agenda remove 7"));
        Assert.Contains("There's no item 7: the agenda has 2 items", missing.Text);

        Assert.Contains("Removed item 1: “Alex's item”", await bot.TextAsync(Alex, "agenda remove 1"));
        Assert.Contains("Removed item 1: “Sam's item”", await bot.TextAsync(Fran, "agenda remove 1"));
        Assert.Contains("Nothing on the agenda yet", await bot.TextAsync(Alex, "agenda"));
    }

    [Fact]
    public async Task Facilitators_reorder_items_and_members_cannot()
    {
        await using var bot = await AgendaBots.StartAsync(Thursdays());
        foreach (var item in new[] { "Welcome", "Topic", "Check-in" }) await bot.SendAsync(Alex, $"agenda add {item}");

        var refused = Assert.Single(await bot.SendAsync(Alex, "agenda move 3 1"));
        Assert.Contains("Only facilitators can reorder", refused.Text);
        Assert.Contains("1. Welcome", await bot.TextAsync(Alex, "agenda"));

        var moved = await bot.TextAsync(Fran, "agenda move 3 to 1");
        Assert.Contains("Moved “Check-in” to position 1", moved);
        await bot.SendAsync(Fran, "agenda move 2 last");
        var list = await bot.TextAsync(Alex, "agenda");
        Assert.True(list.IndexOf("1. Check-in", StringComparison.Ordinal) < list.IndexOf("2. Topic", StringComparison.Ordinal), list);
        Assert.Contains("3. Welcome", list);
        Assert.Contains("position can be 1 to 3", await bot.TextAsync(Fran, "agenda move 1 9"));
    }

    [Fact]
    public async Task Done_is_marked_by_the_author_a_rota_holder_or_a_facilitator_and_leaves_the_time_total()
    {
        var rota = new FakeRotaLookup();
        await using var bot = await AgendaBots.StartAsync(Thursdays(), rota);
        await bot.SendAsync(Alex, "agenda add Check-in 15m");
        await bot.SendAsync(Alex, "agenda add Topic 45m");
        await bot.SendAsync(Alex, "agenda add Close 10m");

        var refused = Assert.Single(await bot.SendAsync(Sam, "agenda done 1"));
        Assert.Contains("rota", refused.Text);
        Assert.DoesNotContain("✓", await bot.TextAsync(Sam, "agenda"));

        Assert.Contains("Marked item 1 as done", await bot.TextAsync(Alex, "agenda done 1"));
        rota.Holders.Add(new RotaHolder("facilitator", Sam.MemberId, Sam.DisplayName));
        Assert.Contains("Marked item 2 as done", await bot.TextAsync(Sam, "agenda done 2"));
        Assert.Contains("already marked done", await bot.TextAsync(Fran, "agenda done 2"));
        Assert.Contains("no longer marked done", await bot.TextAsync(Fran, "agenda undone 2"));

        var list = await bot.TextAsync(Alex, "agenda");
        Assert.Contains("1. ✓ Check-in (15 min) — Alex · done", list);
        Assert.Contains("2. Topic (45 min) — Alex", list);
        Assert.Contains("55 min planned of 2 h", list);
    }

    [Fact]
    public async Task A_member_asking_to_post_is_told_who_can_and_nothing_is_posted()
    {
        await using var bot = await AgendaBots.StartAsync(Thursdays());
        await bot.SendAsync(Alex, "agenda add Check-in");

        var refused = Assert.Single(await bot.SendAsync(Alex, "agenda post"));
        Assert.Equal(ReplyVisibility.Private, refused.Visibility);
        Assert.Contains("Only facilitators can post the agenda: Fran (facilitator)", refused.Text);
        Assert.Contains("`agenda add <text>`", refused.Text);
        Assert.Empty(bot.Playground.Sent);

        var viaButton = Assert.Single(await bot.ClickAsync(Alex, "agenda:post"));
        Assert.Contains("Only facilitators", viaButton.Text);
        Assert.Empty(bot.Playground.Sent);
    }

    [Fact]
    public async Task Posting_shows_the_session_in_the_group_time_zone_the_rota_the_items_and_the_total()
    {
        var rota = new FakeRotaLookup();
        rota.Holders.Add(new RotaHolder("facilitator", Sam.MemberId, Sam.DisplayName));
        rota.Holders.Add(new RotaHolder("welcomer", Priya.MemberId, Priya.DisplayName));
        var calendar = Thursdays("America/New_York", Duration.FromMinutes(90), "Community room");
        await using var bot = await AgendaBots.StartAsync(calendar, rota, "America/New_York");
        await bot.SendAsync(Alex, "agenda add Check-in round 15m");
        await bot.SendAsync(Priya, PrivateOf(Priya), "agenda add anon Feeling unheard lately 1h30");
        await bot.SendAsync(Sam, "agenda add Plans for the summer");

        var confirmation = Assert.Single(await bot.SendAsync(Fran, "agenda post"));
        Assert.Contains("Posted the agenda for Thursday 5 November", confirmation.Text);

        var post = Assert.Single(bot.Playground.Posts);
        Assert.Equal("group-channel", post.Target);
        Assert.Equal(ReplyVisibility.Channel, post.Reply.Visibility);
        Assert.Contains("Thursday 5 November", post.Reply.Title);
        var text = post.Reply.Text;
        Assert.Contains("**When:** Thursday 5 November 2026, 18:00–19:30 EST (America/New_York)", text);
        Assert.Contains("**Where:** Community room", text);
        Assert.Contains("**On the rota:** Facilitator: Sam · Welcomer: Priya", text);
        Assert.Contains("1. Check-in round (15 min) — Alex", text);
        Assert.Contains("Feeling unheard lately (1 h 30 min) — a member", text);
        Assert.Contains("Plans for the summer — Sam", text);
        Assert.Contains("1 h 45 min planned of 1 h 30 min: 15 min over", text);
        Assert.Contains("One item has no estimate", text);
        Assert.Contains(post.Reply.Buttons, b => b.ActionId == "agenda:form:anon");
    }

    [Fact]
    public async Task Posting_again_updates_the_one_posted_message()
    {
        await using var bot = await AgendaBots.StartAsync(Thursdays());
        await bot.SendAsync(Alex, "agenda add Check-in");
        await bot.SendAsync(Fran, "agenda post");
        await bot.SendAsync(Sam, "agenda add Sleep 20m");

        var again = Assert.Single(await bot.ClickAsync(Fran, "agenda:post"));
        Assert.Contains("Updated the agenda already posted", again.Text);

        var post = Assert.Single(bot.Playground.Posts);
        var update = Assert.Single(bot.Playground.Updates);
        Assert.Equal(post.MessageId, update.MessageId);
        Assert.Equal(post.Target, update.Target);
        Assert.DoesNotContain("Sleep", post.Reply.Text);
        Assert.Contains("2. Sleep (20 min) — Sam", update.Reply.Text);
        Assert.Contains("It has been posted", await bot.TextAsync(Fran, "agenda"));
    }

    [Fact]
    public async Task Without_a_schedule_the_agenda_is_for_the_undated_next_session_until_a_facilitator_moves_it_on()
    {
        await using var bot = await AgendaBots.StartAsync();
        await bot.SendAsync(Alex, "agenda add Check-in");
        await bot.SendAsync(Alex, "agenda add Topic");
        await bot.SendAsync(Fran, "agenda done 1");

        Assert.Contains("the next session (no date set yet)", await bot.TextAsync(Alex, "agenda"));
        await bot.SendAsync(Fran, "agenda post");
        Assert.Contains("agenda for the next session", Assert.Single(bot.Playground.Posts).Reply.Title);

        Assert.Contains("Only facilitators", await bot.TextAsync(Alex, "agenda next"));
        Assert.Contains("One unfinished item carried over", await bot.TextAsync(Fran, "agenda next"));
        var list = await bot.TextAsync(Alex, "agenda");
        Assert.Contains("1. Topic — Alex · carried over", list);
        Assert.DoesNotContain("Check-in", list);

        await bot.SendAsync(Fran, "agenda post");
        Assert.Equal(2, bot.Playground.Posts.Count());
        Assert.Empty(bot.Playground.Updates);
    }

    [Fact]
    public async Task Unknown_verbs_and_missing_numbers_get_helpful_answers()
    {
        await using var bot = await AgendaBots.StartAsync(Thursdays());
        Assert.Contains("help agenda", await bot.TextAsync(Alex, "agenda frobnicate"));
        Assert.Contains("Which item?", await bot.TextAsync(Alex, "agenda remove"));
        Assert.Contains("Which item?", await bot.TextAsync(Alex, "agenda done last"));
        Assert.Contains("agenda is empty", await bot.TextAsync(Fran, "agenda done 1"));
        Assert.Contains("moves on by itself", await bot.TextAsync(Fran, "agenda next"));
        var help = await bot.TextAsync(Alex, "help agenda");
        Assert.Contains("agenda add <text> [time]", help);
        Assert.DoesNotContain("agenda post", help);
    }
}
