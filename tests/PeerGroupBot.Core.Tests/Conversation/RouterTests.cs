using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.State;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Conversation;

public class RouterTests
{
    [Fact]
    public async Task Help_lists_member_commands_and_hides_facilitator_ones_from_members()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();

        var forMember = Assert.Single(await bot.SendAsync(Alex, "help setup"));
        var forFacilitator = Assert.Single(await bot.SendAsync(Fran, "help setup"));

        Assert.Equal(ReplyVisibility.Private, forMember.Visibility);
        Assert.DoesNotContain("setup link", forMember.Text);
        Assert.Contains("setup link", forFacilitator.Text);
        Assert.Contains("Tuesday Peers", forMember.Text);
    }

    [Fact]
    public async Task Help_in_an_unlinked_channel_points_at_setup()
    {
        await using var bot = new TestBot();
        var reply = Assert.Single(await bot.SendAsync(Alex, "/help"));
        Assert.Contains("setup", reply.Text);
    }

    [Fact]
    public async Task Unknown_commands_get_a_helpful_answer_with_a_guess()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();
        var reply = Assert.Single(await bot.SendAsync(Alex, "stup"));
        Assert.Contains("Did you mean `setup`", reply.Text);
        Assert.Contains("help", reply.Text);
    }

    [Fact]
    public async Task Oversized_text_is_refused_without_touching_storage()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();
        var before = await bot.DumpStoreAsync();

        var reply = Assert.Single(await bot.SendAsync(Fran, "setup name " + new string('x', 5000)));

        Assert.Contains("4,000", reply.Text);
        Assert.Equal(before, await bot.DumpStoreAsync());
    }

    [Fact]
    public async Task Storage_outage_answers_try_again_shortly()
    {
        var store = new InMemoryStateStore();
        await using var bot = new TestBot(store);
        await bot.SetupGroupAsync();
        store.Unavailable = true;

        var reply = Assert.Single(await bot.SendAsync(Fran, "setup name New name"));

        Assert.Contains("try again shortly", reply.Text);
        store.Unavailable = false;
        Assert.Equal("Tuesday Peers", (await bot.GroupAsync()).Name);
    }

    [Fact]
    public async Task A_corrupt_document_is_reported_and_left_untouched()
    {
        var store = new InMemoryStateStore();
        await using var bot = new TestBot(store);
        var group = await bot.SetupGroupAsync();
        var key = PeerGroupBot.Core.Groups.GroupDocument.KeyFor(group.Id);
        var current = await store.GetAsync(key);
        await store.ReplaceAsync(key, "{not json"u8.ToArray(), current!.ETag);

        var reply = Assert.Single(await bot.SendAsync(Fran, "setup name Fresh"));

        Assert.Contains("could not be read", reply.Text);
        Assert.Equal("{not json", System.Text.Encoding.UTF8.GetString((await store.GetAsync(key))!.Content.Span));
        Assert.Contains(bot.Logs.Lines, l => l.Contains(key));
    }
}

/// <summary>A member of two groups with the same name is told which is which, not "Our group, Our group".</summary>
public class SameNamedGroupsTests
{
    [Fact]
    public async Task Two_groups_with_one_name_are_told_apart_where_the_bot_lists_them()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync("Our group");
        var secondPlayground = new Place("playground", "second-channel", false);
        await bot.SendAsync(Fran, secondPlayground, "setup Our group");
        await bot.SendAsync(Fran, "help");
        await bot.SendAsync(Fran, secondPlayground, "help");

        var reply = Assert.Single(await bot.SendAsync(Fran, PrivateOf(Fran), "agenda"));

        Assert.DoesNotContain("Our group, Our group", reply.Text);
        Assert.Contains("Our group (meets on playground) #1, Our group (meets on playground) #2", reply.Text);
    }
}
