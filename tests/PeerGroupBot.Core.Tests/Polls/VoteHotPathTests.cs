using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Polls;
using PeerGroupBot.Core.Security;
using PeerGroupBot.Core.State;
using PeerGroupBot.Testing;
using Microsoft.Extensions.DependencyInjection;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Polls;

/// <summary>
/// What a vote costs in storage calls (counted, never timed), how the ballot box settles a vote racing the close, and
/// what the caches behind the hot path may and may not show: this instance sees its own writes at once; another
/// instance sees a changed group within <see cref="GroupDirectory.GroupCacheTtl"/>, and a removed facilitator
/// never gets to act on an old copy.
/// </summary>
public sealed class VoteHotPathTests
{
    [Fact]
    public async Task A_vote_by_a_member_seen_before_is_one_conditional_write_of_the_ballot_box_this_instance_holds()
    {
        var store = new CountingStateStore(new InMemoryStateStore());
        var (bot, _) = await PollTestKit.StartAsync(store);
        await using var _ = bot;
        await bot.SendAsync(Alex, "poll new \"Which topic?\" Sleep | Boundaries | Holidays");
        await bot.ClickOnCardAsync(Alex, "poll:vote:1:1", "1");
        await bot.ClickOnCardAsync(Sam, "poll:vote:1:1", "1");

        store.Reset();
        var replies = await bot.ClickOnCardAsync(Sam, "poll:vote:1:2", "1");

        Assert.Equal(0, store.Gets); // the box as this instance last wrote it, its ETag checked by the write
        Assert.Equal(1, store.Replaces);
        Assert.Equal(1, store.Total);
        // The card comes from the box just written: both votes counted, and Sam is told their new choice.
        var card = Assert.Single(replies, r => r.UpdatesSource);
        Assert.Contains("2 members have voted", card.Text);
        Assert.Contains(replies, r => r.Visibility == ReplyVisibility.Private && r.Text.Contains("is now **Boundaries**", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_members_first_input_anywhere_adds_two_creates_and_they_are_on_the_roster_at_once()
    {
        var store = new CountingStateStore(new InMemoryStateStore());
        var (bot, _) = await PollTestKit.StartAsync(store);
        await using var _ = bot;
        await bot.SendAsync(Alex, "poll new \"Which topic?\" Sleep | Boundaries | Holidays");
        await bot.ClickOnCardAsync(Alex, "poll:vote:1:1", "1");
        var newcomer = new Actor("playground:newcomer", "Nia");

        store.Reset();
        var replies = await bot.ClickOnCardAsync(newcomer, "poll:vote:1:3", "1");

        Assert.Equal(2, store.Creates); // the member's group index and roster entry
        Assert.Equal(3, store.Total); // + the ballot box write
        Assert.Contains(replies, r => r.Text.Contains("your vote on poll #1 is in: **Holidays**", StringComparison.Ordinal));
        var group = await bot.GroupAsync();
        Assert.Contains(await bot.Directory.ListMembersAsync(group.Id, CancellationToken.None), m => m.MemberId == newcomer.MemberId);
        // Their private chat knows their group straight away.
        var list = await bot.SendAsync(newcomer, PrivateOf(newcomer), "poll list");
        Assert.Contains("#1", list.Seen());
    }

    [Fact]
    public async Task A_vote_that_lands_as_the_poll_closes_is_told_the_poll_closed_and_is_not_counted()
    {
        var store = new CloseBeforeNextBallotWrite(new InMemoryStateStore());
        var (bot, _) = await PollTestKit.StartAsync(store);
        await using var _ = bot;
        await bot.SendAsync(Alex, "poll new \"Which topic?\" Sleep | Boundaries | Holidays anonymous no");
        await bot.ClickOnCardAsync(Alex, "poll:vote:1:1", "1");
        await bot.ClickOnCardAsync(Priya, "poll:vote:1:2", "1");

        // Sam's vote reads the open box; before its write lands, Alex closes the poll.
        store.BeforeNextBallotWrite = () => bot.SendAsync(Alex, "poll close #1");
        var replies = await bot.ClickOnCardAsync(Sam, "poll:vote:1:3", "1");

        Assert.True(store.Fired);
        var answer = Assert.Single(replies);
        Assert.Contains("Poll #1 has closed", answer.Text);
        Assert.DoesNotContain("is in", answer.Text);
        var poll = await bot.PollAsync("1");
        Assert.Equal(PollPhase.Closed, poll.Phase);
        Assert.Equal(2, poll.Result!.Voters);
        Assert.DoesNotContain("Holidays: 1", bot.Playground.ResultsPost("1").Reply.Text);
        Assert.Equal(0, await bot.BallotCountAsync("1")); // and nothing of Sam's stayed behind
        Assert.DoesNotContain((await bot.DumpStoreAsync()).Where(d => d.Key.Contains("/ballots/", StringComparison.Ordinal)), d => d.Text.Contains("Sam", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_box_changed_on_another_instance_costs_this_one_a_lost_write_and_a_read_never_a_ballot()
    {
        var store = new CountingStateStore(new InMemoryStateStore());
        var (a, b) = await TwoInstancesAsync(store);
        await using var _ = a;
        await using var __ = b;
        await a.SendAsync(Alex, "poll new \"Which topic?\" Sleep | Boundaries | Holidays");
        await a.ClickOnCardAsync(Alex, "poll:vote:1:1", "1");
        await a.ClickOnCardAsync(Sam, "poll:vote:1:1", "1"); // A holds the box with two ballots
        await b.ClickAsync(Priya, "poll:vote:1:3", Channel, sourceMessageId: a.Playground.PostedCard("1").MessageId); // B adds a third under A's copy

        store.Reset();
        var replies = await a.ClickOnCardAsync(Sam, "poll:vote:1:2", "1");

        // A's write from its old copy loses (412), the box is read and Sam's change written on top of Priya's ballot.
        Assert.Equal((1, 2, 3), (store.Gets, store.Replaces, store.Total));
        var card = Assert.Single(replies, r => r.UpdatesSource);
        Assert.Contains("3 members have voted", card.Text);
        Assert.Contains(replies, r => r.Visibility == ReplyVisibility.Private && r.Text.Contains("is now **Boundaries**", StringComparison.Ordinal));
        Assert.Equal(3, await a.BallotCountAsync("1"));

        // The poll is being voted on elsewhere too, so A reads before it writes for a while (no more lost writes)...
        store.Reset();
        await a.ClickOnCardAsync(Alex, "poll:vote:1:3", "1");
        Assert.Equal((1, 1, 2), (store.Gets, store.Replaces, store.Total));

        // ...and goes back to writing from its copy once that time is up.
        a.Clock.Advance(PollStore.BallotBoxCacheTtl + Duration.FromSeconds(1));
        await a.ClickOnCardAsync(Alex, "poll:vote:1:1", "1"); // read (the copy is too old) and kept
        store.Reset();
        await a.ClickOnCardAsync(Alex, "poll:vote:1:2", "1");
        Assert.Equal((0, 1, 1), (store.Gets, store.Replaces, store.Total));
    }

    [Fact]
    public async Task A_vote_this_instances_copy_calls_unchanged_is_checked_against_storage_before_nothing_is_done()
    {
        var (a, b) = await TwoInstancesAsync();
        await using var _ = a;
        await using var __ = b;
        await a.SendAsync(Alex, "poll new \"Which topic?\" Sleep | Boundaries | Holidays");
        await a.ClickOnCardAsync(Sam, "poll:vote:1:1", "1"); // A's copy: Sam chose Sleep
        await b.ClickAsync(Sam, "poll:vote:1:2", Channel, sourceMessageId: a.Playground.PostedCard("1").MessageId); // on B, Sam moved to Boundaries

        var replies = await a.ClickOnCardAsync(Sam, "poll:vote:1:1", "1"); // back to Sleep, on A

        Assert.DoesNotContain(replies, r => r.Text.Contains("already voted", StringComparison.Ordinal));
        Assert.Contains(replies, r => r.Visibility == ReplyVisibility.Private && r.Text.Contains("is now **Sleep**", StringComparison.Ordinal));
        var stored = await b.Get<PollStore>().GetBallotAsync((await b.GroupAsync()).Id, "1", Sam.MemberId, CancellationToken.None);
        Assert.Equal([1], stored!.Choices); // Sleep, as Sam last chose
        Assert.Equal(1, await b.BallotCountAsync("1"));
    }

    [Fact]
    public async Task A_renamed_group_is_seen_at_once_on_this_instance_and_within_the_cache_time_on_another()
    {
        var (a, b) = await TwoInstancesAsync();
        await using var _ = a;
        await using var __ = b;
        Assert.Contains("**Tuesday Peers**", (await b.SendAsync(Sam, "help")).Seen());

        await a.SendAsync(Fran, "setup name Thursday Circle");

        Assert.Contains("**Thursday Circle**", (await a.SendAsync(Sam, "help")).Seen()); // own write: at once
        b.Clock.Advance(GroupDirectory.GroupCacheTtl + Duration.FromSeconds(1));
        Assert.Contains("**Thursday Circle**", (await b.SendAsync(Sam, "help")).Seen()); // another instance: within the bound
    }

    [Fact]
    public async Task A_channel_linked_here_is_found_at_once_on_this_instance()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _ = bot;
        var other = new Place("playground", "second-channel", IsPrivate: false);
        Assert.Contains("isn't linked to a group", (await bot.SendAsync(Sam, other, "agenda")).Seen()); // read and remembered as unlinked
        var group = await bot.GroupAsync();

        await bot.Directory.LinkChannelAsync(other.Channel, group.Id, ChannelPurpose.Main, CancellationToken.None);

        Assert.DoesNotContain("isn't linked to a group", (await bot.SendAsync(Sam, other, "help")).Seen());
        Assert.Contains("**Tuesday Peers**", (await bot.SendAsync(Sam, other, "help")).Seen());
    }

    [Fact]
    public async Task A_facilitator_removed_on_another_instance_cannot_act_here_even_while_the_group_is_remembered()
    {
        var (a, b) = await TwoInstancesAsync();
        await using var _ = a;
        await using var __ = b;
        await a.SendAsync(Fran, "setup facilitator add @Sam", new Mention(Sam.MemberId, Sam.DisplayName));
        b.Clock.Advance(GroupDirectory.GroupCacheTtl + Duration.FromSeconds(1));
        Assert.Contains("Thursday", (await b.SendAsync(Sam, "setup name Thursday")).Seen()); // B now remembers a group listing Sam

        await a.SendAsync(Fran, "setup facilitator remove @Sam", new Mention(Sam.MemberId, Sam.DisplayName));
        var refused = await b.SendAsync(Sam, "setup name Sam's Group");

        Assert.DoesNotContain("Sam's Group", refused.Seen());
        Assert.Equal("Thursday", (await a.GroupAsync()).Name);
    }

    /// <summary>Runs <see cref="BeforeNextBallotWrite"/> once, just before the next write of a ballot box reaches storage.</summary>
    private sealed class CloseBeforeNextBallotWrite(IStateStore inner) : IStateStore
    {
        public Func<Task>? BeforeNextBallotWrite { get; set; }
        public bool Fired { get; private set; }

        private async Task BeforeAsync(string key)
        {
            if (!key.Contains("/ballots/", StringComparison.Ordinal) || BeforeNextBallotWrite is not { } before) return;
            BeforeNextBallotWrite = null;
            Fired = true;
            await before();
        }

        public Task<StoredDocument?> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

        public async Task<string> CreateAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
        {
            await BeforeAsync(key);
            return await inner.CreateAsync(key, content, cancellationToken);
        }

        public async Task<string> ReplaceAsync(string key, ReadOnlyMemory<byte> content, string etag, CancellationToken cancellationToken = default)
        {
            await BeforeAsync(key);
            return await inner.ReplaceAsync(key, content, etag, cancellationToken);
        }

        public Task DeleteAsync(string key, string etag, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, etag, cancellationToken);

        public IAsyncEnumerable<string> ListKeysAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListKeysAsync(prefix, cancellationToken);

        public Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default) => inner.IsHealthyAsync(cancellationToken);
    }
}
