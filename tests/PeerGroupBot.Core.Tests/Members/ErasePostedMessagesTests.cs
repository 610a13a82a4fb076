using System.Runtime.CompilerServices;
using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Members;
using PeerGroupBot.Core.State;
using PeerGroupBot.Core.Tests.Polls;
using PeerGroupBot.Core.Tests.Rota;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Members;

/// <summary>
/// <c>me erase</c> edits the messages the bot already posted and keeps track of: the posted agenda, open polls' cards
/// and the reminder cards, so they no longer show the member's name. The group meets Thursdays at 18:00; the clock
/// starts Monday 2 November 2026, and the 24-hour reminder for Thursday 5 November goes out on Wednesday at 18:00.
/// </summary>
public class ErasePostedMessagesTests
{
    /// <summary>
    /// Alex has a named agenda item, the welcomer slot on 5 November, a named vote in poll #1 and a reminder card showing
    /// them; Sam has an item, the facilitator slot and votes in both polls; Alex did not vote in poll #2. Each poll keeps
    /// at least three voters after the erasure, so its card still shows counts and names. Votes are typed, so every
    /// version of a card goes through the recording messenger (a click's own copy is replaced in the click's reply).
    /// </summary>
    private static async Task BuildAsync(TestBot bot)
    {
        await StartAsync(bot);
        await bot.SendAsync(Alex, "agenda add Sharing what helps at night");
        await bot.SendAsync(Sam, "agenda add Money worries");
        await RotaPollAsync(bot);
        await bot.SendAsync(Fran, "rota close");

        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 4, 18, 1)); // the 24-hour reminder is posted

        await NamedPollAsync(bot, "1", "\"Which evening?\" Tuesday | Wednesday", (Alex, 1), (Sam, 2), (Priya, 2), (Fran, 1));
        await NamedPollAsync(bot, "2", "\"Snacks?\" Fruit | Biscuits", (Sam, 1), (Priya, 2), (Fran, 2));
        await bot.SendAsync(Fran, "agenda post");
    }

    /// <summary>The group, meeting Thursdays at 18:00.</summary>
    private static async Task StartAsync(TestBot bot)
    {
        await bot.SetupGroupAsync();
        await bot.SendAsync(Fran, "session schedule weekly thursday 18:00");
    }

    /// <summary>Sam opens named poll #<paramref name="pollId"/> and each voter types a vote for one option.</summary>
    private static async Task NamedPollAsync(TestBot bot, string pollId, string questionAndOptions, params (Actor Voter, int Option)[] votes)
    {
        await bot.SendAsync(Sam, $"poll new {questionAndOptions} anonymous no");
        foreach (var (voter, option) in votes)
            await bot.SendAsync(voter, $"poll vote #{pollId} {option}");
    }

    /// <summary>A rota poll for the next session, answered by Alex (welcomer) and Sam (facilitator).</summary>
    private static async Task RotaPollAsync(TestBot bot)
    {
        await bot.SendAsync(Fran, "rota poll 1");
        var rotaPoll = RotaTestKit.PollId(bot);
        await RotaTestKit.MarkAsync(bot, Alex, rotaPoll, 0, "welcomer");
        await RotaTestKit.MarkAsync(bot, Sam, rotaPoll, 0, "facilitator");
    }

    private static SentMessage Agenda(RecordingMessenger messenger) => messenger.Posts.Single(p => p.Reply.Title?.Contains("agenda for", StringComparison.Ordinal) == true);

    private static SentMessage Reminder(RecordingMessenger messenger) => messenger.Posts.Single(p => p.Reply.Buttons.Any(b => b.ActionId.StartsWith("session:rsvp:", StringComparison.Ordinal)));

    /// <summary>What the channel shows now for a posted message: its newest update, or the post itself.</summary>
    private static string Latest(RecordingMessenger messenger, SentMessage post)
    {
        var latest = messenger.Sent.Last(s => s.MessageId == post.MessageId && s.Target == post.Target).Reply;
        return $"{latest.Title}\n{latest.Text}";
    }

    private static int VersionsOf(RecordingMessenger messenger, SentMessage post) => messenger.Sent.Count(s => s.MessageId == post.MessageId && s.Target == post.Target);

    private static async Task<BotReply> EraseAsync(TestBot bot, Actor actor)
    {
        Assert.Single(await bot.SendAsync(actor, PrivateOf(actor), "me erase"));
        return Assert.Single(await bot.ClickAsync(actor, "me:erase:confirm", PrivateOf(actor)));
    }

    [Fact]
    public async Task Erase_updates_the_posted_agenda_poll_card_and_reminder_to_leave_the_name_out_and_nothing_else()
    {
        await using var bot = new TestBot();
        await BuildAsync(bot);
        var messenger = bot.Playground;
        var agenda = Agenda(messenger);
        var poll1 = messenger.PostedCard("1");
        var poll2 = messenger.PostedCard("2");
        var reminder = Reminder(messenger);
        // Before: each of them shows Alex.
        Assert.Contains("Alex", Latest(messenger, agenda));
        Assert.Contains("Alex", Latest(messenger, poll1));
        Assert.Contains("Alex", Latest(messenger, reminder));
        Assert.DoesNotContain("Alex", Latest(messenger, poll2));
        var poll2Versions = VersionsOf(messenger, poll2);
        var reminderBefore = Latest(messenger, reminder);

        var done = await EraseAsync(bot, Alex);
        Assert.Contains("3 posted messages updated to leave your name out", done.Text);
        Assert.Contains("can't be changed by the bot; ask a facilitator or the platform to delete them", done.Text);

        var agendaNow = Latest(messenger, agenda);
        Assert.DoesNotContain("Alex", agendaNow);
        Assert.Contains("Sharing what helps at night", agendaNow);
        Assert.Contains("Money worries — Sam", agendaNow);
        Assert.Contains("Facilitator: Sam", agendaNow);
        Assert.Contains("Tuesday Peers: agenda for", agendaNow);

        var pollNow = Latest(messenger, poll1);
        Assert.DoesNotContain("Alex", pollNow);
        Assert.Contains("Which evening?", pollNow);
        Assert.Contains("Sam", pollNow);
        Assert.Contains("Fran (facilitator)", pollNow);
        Assert.Contains("3 members have voted", pollNow, StringComparison.OrdinalIgnoreCase);

        var reminderNow = Latest(messenger, reminder);
        Assert.DoesNotContain("Alex", reminderNow);
        Assert.Contains("facilitator: Sam", reminderNow);
        Assert.Contains("Money worries", reminderNow);
        Assert.Contains("Sharing what helps at night", reminderNow);
        // Only the name changed: the rest of the card reads as it did.
        Assert.Equal(reminderBefore.Replace("Alex", "a member", StringComparison.Ordinal), reminderNow);

        // Poll #2 never showed Alex, so it was not touched.
        Assert.Equal(poll2Versions, VersionsOf(messenger, poll2));
        Assert.Contains("Priya", Latest(messenger, poll2));
        // Names and texts stay out of the logs.
        Assert.DoesNotContain(bot.Logs.Lines, l => l.Contains("Alex") || l.Contains("Money worries") || l.Contains("Which evening"));
    }

    [Fact]
    public async Task Erase_updates_a_closed_named_polls_card_and_results_and_the_open_rota_poll_card()
    {
        await using var bot = new TestBot();
        await StartAsync(bot);
        await NamedPollAsync(bot, "1", "\"Next topic?\" Sleep | Boundaries", (Alex, 1), (Fran, 1), (Sam, 1), (Priya, 2));
        await bot.SendAsync(Sam, "poll close #1");
        await RotaPollAsync(bot);

        var messenger = bot.Playground;
        var card = messenger.PostedCard("1");
        var results = messenger.ResultsPost("1");
        var rotaCard = messenger.Posts.Last(p => p.Reply.Title?.StartsWith("Rota poll", StringComparison.Ordinal) == true);
        var resultsBefore = Latest(messenger, results);
        Assert.Contains("Sleep** goes onto the agenda", resultsBefore);
        Assert.Contains("— Alex, Fran (facilitator), Sam", resultsBefore);
        Assert.Contains("2 people have answered so far.", Latest(messenger, rotaCard));

        var done = await EraseAsync(bot, Alex);

        Assert.Contains("3 posted messages updated to leave your name out", done.Text);
        // Closed polls keep their counts: only the name goes, the rest of the results reads as before.
        Assert.Equal(resultsBefore.Replace("Alex, ", "", StringComparison.Ordinal), Latest(messenger, results));
        Assert.Contains("3 votes", Latest(messenger, results));
        Assert.DoesNotContain("Alex", Latest(messenger, card));
        Assert.Contains("(closed)", Latest(messenger, card));
        Assert.Contains("Fran (facilitator), Sam", Latest(messenger, card));
        // The rota poll card never names anyone; it now counts one answer.
        Assert.Contains("1 person has answered so far.", Latest(messenger, rotaCard));
    }

    [Fact]
    public async Task A_member_with_nothing_posted_about_them_causes_no_updates()
    {
        await using var bot = new TestBot();
        await BuildAsync(bot);
        await bot.SendAsync(Jo, "help"); // Jo is in the group's member list, and in nothing posted
        var updates = bot.Playground.Updates.Count();

        var done = await EraseAsync(bot, Jo);
        Assert.Contains("From 1 group", done.Text);

        Assert.DoesNotContain("posted message", done.Text);
        Assert.Equal(updates, bot.Playground.Updates.Count());
    }

    [Fact]
    public async Task Updates_missed_while_the_platform_is_down_are_retried_and_the_erasure_stands()
    {
        await using var bot = new TestBot();
        await BuildAsync(bot);
        var messenger = bot.Playground;
        var agenda = Agenda(messenger);
        var poll1 = messenger.PostedCard("1");
        var reminder = Reminder(messenger);

        messenger.Down = true;
        var done = await EraseAsync(bot, Alex);
        Assert.Equal(ReplyTone.Success, done.Tone);
        Assert.DoesNotContain(await bot.DumpStoreAsync(), d => d.Text.Contains("Alex"));
        Assert.Contains("Alex", Latest(messenger, agenda)); // not yet

        messenger.Down = false;
        await bot.AdvanceAsync(Duration.FromMinutes(1));
        foreach (var post in new[] { agenda, poll1, reminder })
            Assert.DoesNotContain("Alex", Latest(messenger, post));
        Assert.Contains("Money worries", Latest(messenger, agenda));
    }

    [Fact]
    public async Task Storage_failing_while_the_messages_are_updated_does_not_lose_the_erasure()
    {
        var store = new FailingStore(new InMemoryStateStore());
        await using var bot = new TestBot(store);
        await BuildAsync(bot);
        var agenda = Agenda(bot.Playground);

        // The platform is down, so every update goes to the retry queue, and storing the retries fails too.
        bot.Playground.Down = true;
        store.FailWrites = key => key.StartsWith("timers/outbound/", StringComparison.Ordinal);
        var done = await EraseAsync(bot, Alex);

        Assert.Equal(ReplyTone.Success, done.Tone);
        Assert.Contains("Your data is erased", done.Title);
        store.FailWrites = null;
        Assert.DoesNotContain(await bot.DumpStoreAsync(), d => d.Text.Contains("Alex") || d.Key.Contains(bot.Directory.MemberKey(Alex.MemberId)));
        Assert.Contains(bot.Logs.Lines, l => l.Contains("could not be queued for retry"));
        Assert.Contains("Money worries", Latest(bot.Playground, agenda));
    }

    [Fact]
    public async Task Storage_failing_while_the_messages_are_read_again_does_not_lose_the_erasure()
    {
        var store = new FailingStore(new InMemoryStateStore());
        await using var bot = new TestBot(store);
        await BuildAsync(bot);

        // Reading the reminder cards works for the erasure itself, then fails when the cards are read again afterwards.
        var listings = 0;
        store.FailLists = prefix => prefix.Contains("/sessions/occurrences/", StringComparison.Ordinal) && ++listings > 2;
        var done = await EraseAsync(bot, Alex);

        Assert.Equal(ReplyTone.Success, done.Tone);
        store.FailLists = null;
        Assert.DoesNotContain(await bot.DumpStoreAsync(), d => d.Text.Contains("Alex"));
        Assert.Contains(bot.Logs.Lines, l => l.Contains("Updating the posted messages of group") && l.Contains(nameof(IOException)));
    }

    /// <summary>A store that throws for the keys a test chooses, to stand in for a storage outage.</summary>
    private sealed class FailingStore(IStateStore inner) : IStateStore
    {
        public Func<string, bool>? FailWrites { get; set; }
        public Func<string, bool>? FailLists { get; set; }

        private void Write(string key)
        {
            if (FailWrites?.Invoke(key) == true) throw new IOException("storage unavailable");
        }

        public Task<StoredDocument?> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

        public Task<string> CreateAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
        {
            Write(key);
            return inner.CreateAsync(key, content, cancellationToken);
        }

        public Task<string> ReplaceAsync(string key, ReadOnlyMemory<byte> content, string etag, CancellationToken cancellationToken = default)
        {
            Write(key);
            return inner.ReplaceAsync(key, content, etag, cancellationToken);
        }

        public Task DeleteAsync(string key, string etag, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, etag, cancellationToken);

        public async IAsyncEnumerable<string> ListKeysAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            if (FailLists?.Invoke(prefix) == true) throw new IOException("storage unavailable");
            await foreach (var key in inner.ListKeysAsync(prefix, cancellationToken).ConfigureAwait(false))
                yield return key;
        }

        public Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default) => inner.IsHealthyAsync(cancellationToken);
    }
}
