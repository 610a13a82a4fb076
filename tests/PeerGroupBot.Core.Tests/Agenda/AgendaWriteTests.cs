using PeerGroupBot.Core.State;
using PeerGroupBot.Core.Tests.Polls;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Agenda;

/// <summary>
/// What adding to the agenda costs in storage calls (counted, never timed), and that this instance's copy of the
/// agenda never hides an item added on another instance: from what is added, to what is shown.
/// </summary>
public sealed class AgendaWriteTests
{
    [Fact]
    public async Task An_item_added_by_a_member_seen_before_is_one_conditional_write_of_the_agenda()
    {
        var store = new CountingStateStore(new InMemoryStateStore());
        await using var bot = new TestBot(store);
        await bot.SetupGroupAsync();
        await bot.SendAsync(Sam, "agenda add Check-in");

        store.Reset();
        var replies = await bot.SendAsync(Alex, "agenda add Sleep and routines");

        Assert.Equal((0, 1, 1), (store.Gets, store.Replaces, store.Total)); // the agenda as this instance last wrote it, its ETag checked by the write
        Assert.Contains("as item 2", replies.Seen());
    }

    [Fact]
    public async Task Items_added_on_two_instances_all_stay_and_are_all_shown_on_either()
    {
        var store = new CountingStateStore(new InMemoryStateStore());
        var (a, b) = await TwoInstancesAsync(store);
        await using var _ = a;
        await using var __ = b;
        await a.SendAsync(Sam, "agenda add Check-in"); // A keeps its copy
        await b.SendAsync(Priya, "agenda add Money worries"); // B adds under A's copy

        store.Reset();
        var added = await a.SendAsync(Alex, "agenda add Sleep and routines");

        Assert.Equal((1, 2, 3), (store.Gets, store.Replaces, store.Total)); // A's write from its copy loses, then read and written
        Assert.Contains("as item 3", added.Seen());
        foreach (var bot in new[] { a, b })
        {
            var shown = (await bot.SendAsync(Jo, "agenda")).Seen();
            Assert.Contains("Check-in", shown);
            Assert.Contains("Money worries", shown);
            Assert.Contains("Sleep and routines", shown);
        }

        // Showing the agenda reads it from storage, even on the instance holding a copy.
        await b.SendAsync(Priya, "agenda add Boundaries");
        Assert.Contains("Boundaries", (await a.SendAsync(Jo, "agenda")).Seen());
    }
}
