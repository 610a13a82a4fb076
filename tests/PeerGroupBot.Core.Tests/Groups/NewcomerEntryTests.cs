using System.Collections.Concurrent;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Polls;
using PeerGroupBot.Core.State;
using PeerGroupBot.Core.Tests.Polls;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Groups;

/// <summary>
/// A member's first input in a group: their group index is created first (so erasure can always find the group), then
/// their roster entry is written while the input itself is handled. The answer waits for both, a roster read in the
/// meantime waits for the entry, and an entry that fails to be written undoes nothing and is written next time.
/// </summary>
public sealed class NewcomerEntryTests
{
    private static readonly Actor Nia = new("playground:nia", "Nia");

    [Fact]
    public async Task A_newcomers_vote_is_written_while_their_roster_entry_is_and_is_answered_once_both_are_stored()
    {
        var store = new RosterGate(new InMemoryStateStore());
        var (bot, _) = await PollTestKit.StartAsync(store);
        await using var _ = bot;
        await bot.SendAsync(Alex, "poll new \"Which topic?\" Sleep | Boundaries | Holidays");
        await bot.ClickOnCardAsync(Alex, "poll:vote:1:1", "1");
        var group = await bot.GroupAsync();
        var niaKey = bot.Directory.MemberKey(Nia.MemberId);

        store.Started.Clear();
        store.Hold();
        var vote = bot.ClickOnCardAsync(Nia, "poll:vote:1:3", "1");
        await store.WaitForStartAsync(k => k.Contains("/ballots/", StringComparison.Ordinal));

        // The ballot went to storage while the roster entry was still on its way, both after the index listed the group.
        Assert.False(vote.IsCompleted);
        var started = store.Started.ToList();
        Assert.Equal(GroupDirectory.MemberIndexKey(niaKey), started[0]);
        Assert.Contains(GroupDirectory.MemberDocKey(group.Id, niaKey), started);
        Assert.Null(await store.GetAsync(GroupDirectory.MemberDocKey(group.Id, niaKey)));

        store.Release();
        var replies = await vote;
        Assert.Contains(replies, r => r.Text.Contains("your vote on poll #1 is in: **Holidays**", StringComparison.Ordinal));
        Assert.Contains(await bot.Directory.ListMembersAsync(group.Id, CancellationToken.None), m => m.MemberId == Nia.MemberId);
        Assert.Equal([group.Id], (await bot.Documents.GetValueAsync<MemberGroups>(GroupDirectory.MemberIndexKey(niaKey)))!.GroupIds);
    }

    [Fact]
    public async Task A_roster_read_while_a_newcomers_entry_is_on_its_way_waits_for_it()
    {
        var store = new RosterGate(new InMemoryStateStore());
        await using var bot = new TestBot(store);
        var group = await bot.SetupGroupAsync();

        store.Hold();
        var recorded = await bot.Directory.TryRecordNewcomerAsync(group.Id, Nia, contact: null, CancellationToken.None);
        Assert.True(recorded.Recorded);
        Assert.NotNull(recorded.Entry);
        var listing = bot.Directory.ListMembersAsync(group.Id, CancellationToken.None);
        var one = bot.Directory.GetMemberAsync(group.Id, Nia.MemberId, CancellationToken.None);
        await Task.Delay(50);
        Assert.False(listing.IsCompleted);
        Assert.False(one.IsCompleted);

        store.Release();
        Assert.Contains(await listing, m => m.MemberId == Nia.MemberId);
        Assert.Equal("Nia", (await one)?.DisplayName);
        await recorded.Entry!;
    }

    [Fact]
    public async Task A_newcomers_vote_stands_when_their_roster_entry_fails_and_the_entry_is_written_at_their_next_input()
    {
        var store = new RosterGate(new InMemoryStateStore());
        var (bot, _) = await PollTestKit.StartAsync(store);
        await using var _ = bot;
        await bot.SendAsync(Alex, "poll new \"Which topic?\" Sleep | Boundaries | Holidays");
        var group = await bot.GroupAsync();

        store.FailNext = true;
        var replies = await bot.ClickOnCardAsync(Nia, "poll:vote:1:2", "1");

        Assert.Contains(replies, r => r.Text.Contains("your vote on poll #1 is in: **Boundaries**", StringComparison.Ordinal));
        Assert.DoesNotContain(replies, r => r.Tone == ReplyTone.Warning || r.NothingDone);
        Assert.Contains("1 member has voted", Assert.Single(replies, r => r.UpdatesSource).Text);
        Assert.NotNull(await bot.Get<PollStore>().GetBallotAsync(group.Id, "1", Nia.MemberId, CancellationToken.None));
        Assert.DoesNotContain(await bot.Directory.ListMembersAsync(group.Id, CancellationToken.None), m => m.MemberId == Nia.MemberId);
        var warning = Assert.Single(bot.Logs.Lines, l => l.Contains("first input in a group failed", StringComparison.Ordinal));
        Assert.DoesNotContain("nia", warning, StringComparison.OrdinalIgnoreCase);

        await bot.SendAsync(Nia, "poll list");
        Assert.Contains(await bot.Directory.ListMembersAsync(group.Id, CancellationToken.None), m => m.MemberId == Nia.MemberId);
    }

    /// <summary>Logs the keys of calls as they start; can hold roster-entry creates until released, or fail the next one as an unreachable store would.</summary>
    private sealed class RosterGate(IStateStore inner) : IStateStore
    {
        private TaskCompletionSource? _gate;

        public ConcurrentQueue<string> Started { get; } = new();
        public bool FailNext { get; set; }

        public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _gate?.TrySetResult();

        public async Task WaitForStartAsync(Func<string, bool> match)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!Started.Any(match))
            {
                Assert.True(DateTime.UtcNow < deadline, "the call never started");
                await Task.Delay(5);
            }
        }

        private static bool IsRosterEntry(string key) => key.StartsWith("groups/", StringComparison.Ordinal) && key.Contains("/members/", StringComparison.Ordinal);

        public Task<StoredDocument?> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

        public async Task<string> CreateAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
        {
            Started.Enqueue(key);
            if (IsRosterEntry(key))
            {
                if (_gate is { } gate) await gate.Task.WaitAsync(cancellationToken);
                if (FailNext)
                {
                    FailNext = false;
                    throw new StateUnavailableException("The state store is unreachable.", new IOException("storage unreachable"));
                }
            }
            return await inner.CreateAsync(key, content, cancellationToken);
        }

        public Task<string> ReplaceAsync(string key, ReadOnlyMemory<byte> content, string etag, CancellationToken cancellationToken = default)
        {
            Started.Enqueue(key);
            return inner.ReplaceAsync(key, content, etag, cancellationToken);
        }

        public Task DeleteAsync(string key, string etag, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, etag, cancellationToken);

        public IAsyncEnumerable<string> ListKeysAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListKeysAsync(prefix, cancellationToken);

        public Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default) => inner.IsHealthyAsync(cancellationToken);
    }
}
