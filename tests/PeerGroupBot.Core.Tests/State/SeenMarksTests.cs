using Microsoft.Extensions.Logging.Abstractions;
using PeerGroupBot.Core.State;
using PeerGroupBot.Testing;

namespace PeerGroupBot.Core.Tests.State;

/// <summary>"Handle this id once": one create-if-absent per arrival, marks that hold no time, kept at least the window.</summary>
public sealed class SeenMarksTests
{
    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class Marks(Documents documents, TimeProvider time) : SeenMarks(documents, "test/seen/", time, NullLogger.Instance)
    {
        protected override TimeSpan Window => TimeSpan.FromMinutes(10);
    }

    [Fact]
    public async Task The_first_arrival_is_one_create_and_a_repeat_is_refused()
    {
        var store = new CountingStateStore(new InMemoryStateStore());
        var marks = new Marks(new Documents(store), new ManualTime());

        Assert.True(await marks.TryBeginAsync("abc", CancellationToken.None));
        Assert.Equal(1, store.Total);
        Assert.False(await marks.TryBeginAsync("abc", CancellationToken.None));
        Assert.True(await marks.TryBeginAsync("def", CancellationToken.None));
        var keys = new List<string>();
        await foreach (var key in store.ListKeysAsync("test/seen/")) keys.Add(key);
        Assert.Equal(["test/seen/abc", "test/seen/def"], keys.Order()); // no time in the name
        Assert.Equal("{}", System.Text.Encoding.UTF8.GetString((await store.GetAsync("test/seen/abc"))!.Content.Span)); // nor in the mark
    }

    [Fact]
    public async Task A_mark_is_kept_for_at_least_the_window_and_swept_after()
    {
        var time = new ManualTime();
        var marks = new Marks(new Documents(new InMemoryStateStore()), time);
        await marks.TryBeginAsync("abc", CancellationToken.None);

        Assert.Equal(0, await marks.SweepAsync(CancellationToken.None)); // first seen now
        time.Now += TimeSpan.FromMinutes(9);
        Assert.Equal(0, await marks.SweepAsync(CancellationToken.None));
        Assert.False(await marks.TryBeginAsync("abc", CancellationToken.None)); // still a repeat 9 minutes on
        time.Now += TimeSpan.FromMinutes(1);
        Assert.Equal(1, await marks.SweepAsync(CancellationToken.None));
        Assert.True(await marks.TryBeginAsync("abc", CancellationToken.None)); // long after, the id is new again
    }

    [Fact]
    public void A_harmless_repeat_is_caught_in_memory_for_the_window()
    {
        var time = new ManualTime();
        var marks = new Marks(new Documents(new InMemoryStateStore()), time);

        Assert.True(marks.TryBeginHere("vote-1"));
        time.Now += TimeSpan.FromMinutes(9);
        Assert.False(marks.TryBeginHere("vote-1"));
        time.Now += TimeSpan.FromMinutes(2);
        Assert.True(marks.TryBeginHere("vote-1"));
    }
}
