using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Teams.Outbound;

namespace PeerGroupBot.Teams.Tests;

/// <summary>Files waiting for a member's answer to a file consent card: handed out once, only where offered, only while fresh.</summary>
public class PendingFilesTests
{
    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static ReplyAttachment File(string name) => new(name, "application/json", [0x7B, 0x7D]);

    [Fact]
    public void A_file_is_handed_out_once_and_only_to_the_conversation_it_was_offered_in()
    {
        var pending = new PendingFiles(new Clock());
        var token = pending.Offer("a:personal-sam", File("my-data.json"));

        Assert.Null(pending.Take(token, "a:personal-eve"));
        Assert.Equal("my-data.json", pending.Take(token, "a:personal-sam")?.FileName);
        Assert.Null(pending.Take(token, "a:personal-sam"));
        Assert.Null(pending.Take("not-a-token", "a:personal-sam"));
    }

    [Fact]
    public void A_file_expires_after_its_lifetime_and_the_oldest_give_way_when_too_many_wait()
    {
        var clock = new Clock();
        var pending = new PendingFiles(clock);
        var stale = pending.Offer("a:personal-sam", File("old.json"));
        clock.Now += PendingFiles.Lifetime + TimeSpan.FromSeconds(1);
        Assert.Null(pending.Take(stale, "a:personal-sam"));

        var first = pending.Offer("a:personal-sam", File("first.json"));
        for (var i = 1; i <= PendingFiles.MaxWaiting; i++)
        {
            clock.Now += TimeSpan.FromMilliseconds(1);
            pending.Offer("a:personal-sam", File($"f{i}.json"));
        }

        Assert.Equal(PendingFiles.MaxWaiting, pending.Count);
        Assert.Null(pending.Take(first, "a:personal-sam"));
    }
}
