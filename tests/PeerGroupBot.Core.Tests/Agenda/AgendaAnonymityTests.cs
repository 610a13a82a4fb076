using System.Text.RegularExpressions;
using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Agenda;

public partial class AgendaAnonymityTests
{
    [GeneratedRegex(@"`agenda remove ([A-Z0-9]{4}-[A-Z0-9]{4})`")]
    private static partial Regex CodePattern();

    private static FakeSessionCalendar Thursdays() => new FakeSessionCalendar().Weekly("Europe/London", AgendaBots.FirstSession, 3, Duration.FromHours(2));

    [Fact]
    public async Task An_anonymous_item_leaves_nothing_in_storage_or_logs_that_points_at_its_author()
    {
        await using var bot = await AgendaBots.StartAsync(Thursdays());
        await bot.SendAsync(Alex, "agenda add Check-in 15m");
        var before = (await bot.DumpStoreAsync()).ToDictionary(d => d.Key, d => d.Text);

        var reply = Assert.Single(await bot.SendAsync(Priya, PrivateOf(Priya), "agenda add anon I feel talked over in the group 20m"));
        Assert.Equal(ReplyVisibility.Private, reply.Visibility);
        Assert.Contains("Added anonymously", reply.Text);
        Assert.Matches(CodePattern(), reply.Text);

        var changed = (await bot.DumpStoreAsync()).Where(d => !before.TryGetValue(d.Key, out var old) || old != d.Text).ToList();
        var agendaDoc = Assert.Single(changed);
        Assert.Contains("I feel talked over in the group", agendaDoc.Text);
        var traces = new[] { Priya.MemberId, MemberIds.PlatformUserIdOf(Priya.MemberId), "Priya", bot.Directory.MemberKey(Priya.MemberId) };
        foreach (var trace in traces) Assert.DoesNotContain(trace, agendaDoc.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(bot.Logs.Lines, l => l.Contains("talked over", StringComparison.Ordinal) || l.Contains("priya", StringComparison.OrdinalIgnoreCase));

        await bot.SendAsync(Fran, "agenda post");
        var posted = Assert.Single(bot.Playground.Posts).Reply.Text;
        Assert.Contains("2. I feel talked over in the group (20 min) — a member", posted);
        Assert.DoesNotContain("Priya", posted);
        Assert.DoesNotContain("Priya", await bot.TextAsync(Fran, "agenda"));
    }

    [Fact]
    public async Task Only_the_code_holder_or_a_facilitator_can_remove_an_anonymous_item()
    {
        await using var bot = await AgendaBots.StartAsync(Thursdays());
        var added = Assert.Single(await bot.SendAsync(Priya, PrivateOf(Priya), "agenda add anonymously Money worries"));
        var code = CodePattern().Match(added.Text).Groups[1].Value;
        var button = Assert.Single(added.Buttons);

        var refused = Assert.Single(await bot.SendAsync(Alex, "agenda remove 1"));
        Assert.Contains("added anonymously, so I can't tell whether it's yours", refused.Text);
        Assert.Contains("doesn't match", await bot.TextAsync(Alex, "agenda remove ZZZZ-ZZZZ"));
        Assert.Contains("Money worries", await bot.TextAsync(Alex, "agenda"));

        Assert.Contains("Taken back", await bot.TextAsync(Priya, $"agenda remove {code.ToLowerInvariant()}"));
        Assert.Contains("Nothing on the agenda yet", await bot.TextAsync(Alex, "agenda"));
        Assert.Contains("doesn't match", Assert.Single(await bot.ClickAsync(Priya, button.ActionId, PrivateOf(Priya))).Text);

        await bot.SendAsync(Sam, PrivateOf(Sam), "agenda add anon Another one");
        Assert.Contains("Removed item 1", await bot.TextAsync(Fran, "agenda remove 1"));
    }

    [Fact]
    public async Task The_take_it_back_button_withdraws_the_item_even_after_it_carried_over()
    {
        await using var bot = await AgendaBots.StartAsync(Thursdays());
        var added = Assert.Single(await bot.SendAsync(Sam, PrivateOf(Sam), "agenda add anon Quiet worry"));
        await bot.AdvanceAsync(Duration.FromDays(4));
        Assert.Contains("Quiet worry — a member · carried over", await bot.TextAsync(Alex, "agenda"));

        var reply = Assert.Single(await bot.ClickAsync(Sam, Assert.Single(added.Buttons).ActionId, PrivateOf(Sam)));
        Assert.Contains("Taken back", reply.Text);
        Assert.DoesNotContain("Quiet worry", await bot.TextAsync(Alex, "agenda"));
    }

    [Fact]
    public async Task Typing_an_anonymous_item_in_the_group_channel_is_refused_and_the_form_is_offered()
    {
        await using var bot = await AgendaBots.StartAsync(Thursdays());
        var before = await bot.DumpStoreAsync();

        var reply = Assert.Single(await bot.SendAsync(Alex, "agenda add anon Something personal"));
        Assert.Equal(ReplyVisibility.Private, reply.Visibility);
        Assert.Contains("haven't added", reply.Text);
        Assert.Equal(before, await bot.DumpStoreAsync());

        var form = Assert.Single(await bot.ClickAsync(Alex, Assert.Single(reply.Buttons).ActionId)).Form;
        Assert.NotNull(form);
        Assert.Equal("anon", form.Fields.Single(f => f.Id == "show").Value);
        var added = Assert.Single(await bot.SubmitAsync(Alex, form.ActionId, new Dictionary<string, string> { ["text"] = "Something personal", ["minutes"] = "", ["show"] = "anon" }));
        Assert.Equal(ReplyVisibility.Private, added.Visibility);
        Assert.Contains("1. Something personal — a member", await bot.TextAsync(Sam, "agenda"));
    }

    [Fact]
    public async Task On_discord_a_slash_command_answered_privately_can_add_an_anonymous_item_in_the_channel()
    {
        await using var bot = await AgendaBots.StartAsync(Thursdays());
        var discordChannel = new Place("discord", "111", IsPrivate: false);
        var codeReply = Assert.Single(await bot.SendAsync(Fran, "setup link"));
        var code = Regex.Match(codeReply.Text, @"\*\*([A-Z0-9]{8})\*\*").Groups[1].Value;
        await bot.SendAsync(new Actor("discord:42", "Dee", IsPlatformFacilitator: true), discordChannel, $"setup link {code}");

        var reply = Assert.Single(await bot.SendAsync(new Actor("discord:77", "Kim"), discordChannel, "agenda add anon Feeling stuck"));
        Assert.Equal(ReplyVisibility.Private, reply.Visibility);
        Assert.Contains("Added anonymously", reply.Text);
        Assert.Contains("1. Feeling stuck — a member", await bot.TextAsync(Alex, "agenda"));
    }

    [Fact]
    public async Task Anonymous_items_are_not_simply_appended_so_their_place_does_not_tell_when_they_arrived()
    {
        await using var bot = await AgendaBots.StartAsync(Thursdays());
        foreach (var item in new[] { "Opening", "Second", "Third" }) await bot.SendAsync(Alex, $"agenda add {item}");

        var positions = new List<(int Position, int Count)>();
        for (var i = 1; i <= 12; i++)
        {
            var reply = await bot.TextAsync(Sam, PrivateOf(Sam), $"agenda add anon Worry {i}");
            positions.Add((int.Parse(Regex.Match(reply, @"as item (\d+)").Groups[1].Value), 3 + i));
        }

        Assert.All(positions, p => Assert.InRange(p.Position, 2, p.Count));
        Assert.Contains(positions, p => p.Position < p.Count);
        Assert.Contains("1. Opening — Alex", await bot.TextAsync(Alex, "agenda"));
    }
}
