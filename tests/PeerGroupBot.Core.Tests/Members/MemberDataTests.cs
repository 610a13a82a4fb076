using System.Text;
using System.Text.Json;
using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Polls;
using PeerGroupBot.Core.Rota;
using PeerGroupBot.Core.Sessions;
using PeerGroupBot.Core.State;
using PeerGroupBot.Core.Members;
using PeerGroupBot.Core.Tests.Concerns;
using PeerGroupBot.Core.Tests.Polls;
using PeerGroupBot.Core.Tests.Rota;
using PeerGroupBot.Storage.Folder;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Members;

/// <summary>
/// <c>me export</c> and <c>me erase</c> over a group with some of everything: a named open poll, an anonymous open
/// poll, a closed named poll, agenda items, a rota with a past and an upcoming session, RSVPs and settings.
/// The clock starts Monday 2 November 2026; the group meets Thursdays at 18:00.
/// </summary>
public class MemberDataTests
{
    private const string NextThursday = "2026-11-12T18:00";

    /// <summary>Builds the group's month so far. Returns once Thursday 5 November's session is over.</summary>
    private static async Task BuildActivityAsync(TestBot bot)
    {
        await bot.SetupGroupAsync();
        await bot.SendAsync(Fran, "session schedule weekly thursday 18:00");
        await bot.SendAsync(Alex, "me quiet 22:00-08:00");
        await bot.SendAsync(Sam, "me nudges on");

        // Poll 1: named, open. Alex and Sam vote.
        await bot.SendAsync(Sam, "poll new \"Which evening?\" Tuesday | Wednesday anonymous no");
        await bot.ClickOnCardAsync(Alex, "poll:vote:1:1", "1");
        await bot.ClickOnCardAsync(Sam, "poll:vote:1:2", "1");
        // Poll 2: anonymous, open, opened by Alex.
        await bot.SendAsync(Alex, "poll new \"Snacks?\" Fruit | Biscuits");
        await bot.ClickOnCardAsync(Alex, "poll:vote:2:1", "2");
        await bot.ClickOnCardAsync(Priya, "poll:vote:2:2", "2");
        // Poll 3: named, closed. Alex and Priya pick Sleep, Sam picks Boundaries.
        await bot.SendAsync(Sam, "poll new \"Next topic?\" Sleep | Boundaries anonymous no");
        await bot.ClickOnCardAsync(Alex, "poll:vote:3:1", "3");
        await bot.ClickOnCardAsync(Priya, "poll:vote:3:1", "3");
        await bot.ClickOnCardAsync(Sam, "poll:vote:3:2", "3");
        await bot.SendAsync(Sam, "poll close #3");

        await bot.SendAsync(Alex, "agenda add Sharing what helps at night");
        await bot.SendAsync(Sam, "agenda add Money worries");

        // Rota for 5 and 12 November: Alex facilitates the 5th and welcomes on the 12th; Sam facilitates the 12th.
        await bot.SendAsync(Fran, "rota poll 2");
        var rotaPoll = RotaTestKit.PollId(bot);
        await RotaTestKit.MarkAsync(bot, Alex, rotaPoll, 0, "facilitator");
        await RotaTestKit.MarkAsync(bot, Alex, rotaPoll, 1, "welcomer");
        await RotaTestKit.MarkAsync(bot, Sam, rotaPoll, 1, "facilitator");
        await RotaTestKit.MarkAsync(bot, Priya, rotaPoll, 0, "note-taker");
        await bot.SendAsync(Fran, "rota close");

        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 6, 9, 0));
        await bot.ClickAsync(Alex, SessionCards.RsvpActionId(NextThursday, RsvpChoice.Going));
        await bot.ClickAsync(Sam, SessionCards.RsvpActionId(NextThursday, RsvpChoice.Maybe));
    }

    [Fact]
    public async Task Export_returns_exactly_the_members_own_data_privately_as_text_and_json()
    {
        await using var bot = new TestBot();
        await BuildActivityAsync(bot);

        var reply = Assert.Single(await bot.SendAsync(Alex, "me export"));
        Assert.Equal(ReplyVisibility.Private, reply.Visibility);
        Assert.Equal("What I hold about you", reply.Title);
        Assert.Contains("Quiet hours 22:00–08:00", reply.Text);
        Assert.Contains("**Tuesday Peers**", reply.Text);
        Assert.Contains("- Shown as: Alex", reply.Text);
        Assert.Contains("- Your vote in open poll #1 \"Which evening?\": Tuesday", reply.Text);
        Assert.Contains("- Agenda item you added: \"Sharing what helps at night\"", reply.Text);
        Assert.Contains("- Rota: facilitator on Thu 5 Nov, 18:00", reply.Text);
        Assert.Contains("- Rota: welcomer on Thu 12 Nov, 18:00", reply.Text);
        Assert.Contains("- You said you could be welcomer on Thu 12 Nov, 18:00", reply.Text);
        Assert.Contains("- RSVP for Thursday 12 November, 18:00 GMT: going", reply.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Concerns are anonymous", reply.Text);

        // Nobody else's data: not Sam's vote, item or turn, not the anonymous poll, not the closed poll's names.
        foreach (var other in new[] { "Sam", "Priya", "Fran", "Money worries", "Wednesday", "Snacks", "Next topic" })
            Assert.DoesNotContain(other, reply.Text);

        var file = Assert.Single(reply.Attachments);
        Assert.Equal("my-data.json", file.FileName);
        Assert.Equal("application/json", file.MediaType);
        var json = Encoding.UTF8.GetString(file.Content);
        using var parsed = JsonDocument.Parse(json);
        var group = Assert.Single(parsed.RootElement.GetProperty("groups").EnumerateArray());
        Assert.Equal("playground:alex", parsed.RootElement.GetProperty("memberId").GetString());
        Assert.Equal("Tuesday", Assert.Single(Assert.Single(group.GetProperty("openPollVotes").EnumerateArray()).GetProperty("choices").EnumerateArray()).GetString());
        Assert.Equal("Sharing what helps at night", Assert.Single(group.GetProperty("agendaItems").EnumerateArray()).GetProperty("text").GetString());
        Assert.Equal(2, group.GetProperty("rotaTurns").GetArrayLength());
        Assert.Single(group.GetProperty("rsvps").EnumerateArray());
        foreach (var other in new[] { "sam", "priya", "fran", "Money worries", "Wednesday", "Snacks" })
            Assert.DoesNotContain(other, json, StringComparison.OrdinalIgnoreCase);

        // Sam's export holds Sam's own, and none of Alex's.
        var sams = Assert.Single(await bot.SendAsync(Sam, PrivateOf(Sam), "me export"));
        Assert.Contains("Money worries", sams.Text);
        Assert.Contains("Private nudges: on", sams.Text);
        Assert.DoesNotContain("Sharing what helps", sams.Text);
        Assert.DoesNotContain("Alex", sams.Text);
    }

    [Fact]
    public async Task Erase_cuts_the_way_back_from_a_concern_and_held_messages_but_the_concern_stays_anonymous()
    {
        await using var bot = ConcernKit.NewBot();
        var group = await bot.SetupWithConcernsChannelAsync();
        await bot.RaiseAsync(Sam, "The room is too noisy to talk.");
        await bot.PassDelayAsync();
        Assert.Contains(await bot.DumpStoreAsync(), d => d.Key.Contains("/concerns/delivery/"));
        // A private message held for Sam's quiet hours (it is 09:00: quiet until 10:00).
        await bot.SendAsync(Sam, "me quiet 08:00-10:00");
        var held = await bot.Get<INudges>().SendAsync(group.Id, Sam.MemberId, BotReply.Private("Rota tomorrow"), NudgeKind.RotaReminder, false, CancellationToken.None);
        Assert.Equal(NudgeOutcome.Held, held.Outcome);

        var done = Assert.Single(await bot.ClickAsync(Sam, "me:erase:confirm", PrivateOf(Sam)));
        Assert.Contains("1 private reply route for concerns deleted", done.Text);
        Assert.Contains("1 waiting message deleted", done.Text);
        Assert.Contains("Anonymous concerns were never linked to you", done.Text);

        var dump = await bot.DumpStoreAsync();
        Assert.DoesNotContain(dump, d => d.Key.Contains("/concerns/delivery/") || d.Key.Contains("/nudges/"));
        Assert.Contains(dump, d => d.Key.Contains("/concerns/items/") && d.Text.Contains("too noisy"));
        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 2, 11, 0));
        Assert.DoesNotContain(bot.Playground.PrivatesTo(Sam.MemberId), p => p.Reply.Text.Contains("Rota tomorrow"));
    }

    [Fact]
    public async Task Erase_asks_first_and_cancel_keeps_everything()
    {
        await using var bot = new TestBot();
        await BuildActivityAsync(bot);
        var before = await bot.DumpStoreAsync();

        var question = Assert.Single(await bot.SendAsync(Alex, "me erase"));
        Assert.Equal(ReplyVisibility.Private, question.Visibility);
        Assert.Contains("Anonymous concerns were never linked to you", question.Text);
        Assert.Equal(["Yes, erase my data", "No, keep it"], question.Buttons.Select(b => b.Label));

        var kept = Assert.Single(await bot.ClickAsync(Alex, question.Buttons[1].ActionId));
        Assert.Contains("Nothing was erased", kept.Text);
        Assert.Equal(before.Count, (await bot.DumpStoreAsync()).Count);
        Assert.Contains("Sharing what helps", Assert.Single(await bot.SendAsync(Alex, "me export")).Text);
    }

    [Fact]
    public async Task Erase_leaves_no_trace_in_memory_store_while_counts_stay_right()
        => await EraseLeavesNoTraceAsync(new InMemoryStateStore(), () => []);

    [Fact]
    public async Task Erase_leaves_no_trace_in_the_folder_store()
    {
        var root = Directory.CreateTempSubdirectory("pgb-erase-");
        try
        {
            await EraseLeavesNoTraceAsync(new FolderStateStore(root.FullName), () =>
                Directory.EnumerateFiles(root.FullName, "*", SearchOption.AllDirectories)
                    .Select(f => (Path.GetRelativePath(root.FullName, f), File.ReadAllText(f))).ToList());
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private static async Task EraseLeavesNoTraceAsync(IStateStore store, Func<IReadOnlyList<(string Name, string Text)>> rawFiles)
    {
        await using var bot = new TestBot(store);
        await BuildActivityAsync(bot);
        var group = await bot.GroupAsync();
        var alexKey = bot.Directory.MemberKey(Alex.MemberId);
        // The Teams adapter keeps a conversation reference under the member key; erasure must reach it too.
        Assert.True(await bot.Documents.TryCreateAsync($"teams/members/{alexKey}", new Dictionary<string, string> { ["userId"] = "29:alex-teams-id" }));
        // Alex is traceable before.
        Assert.Contains(await bot.DumpStoreAsync(), d => d.Key.Contains(alexKey) || d.Text.Contains(alexKey));
        Assert.Contains(await bot.DumpStoreAsync(), d => d.Text.Contains("Alex"));

        Assert.Single(await bot.SendAsync(Alex, PrivateOf(Alex), "me erase"));
        var done = Assert.Single(await bot.ClickAsync(Alex, "me:erase:confirm", PrivateOf(Alex)));
        Assert.Equal(ReplyTone.Success, done.Tone);
        Assert.Contains("2 votes in open polls withdrawn", done.Text);
        Assert.Contains("1 agenda item now shown as from \"a member\"", done.Text);
        Assert.Contains("1 past rota turn kept without your name", done.Text);
        Assert.Contains("1 upcoming rota slot opened for someone else", done.Text);
        Assert.Contains("1 RSVP removed", done.Text);
        Assert.Contains("2 rota turns on the group's record now shown as \"a member\"", done.Text);
        Assert.Contains("Anonymous concerns were never linked to you", done.Text);

        var dump = await bot.DumpStoreAsync();
        string[] traces = ["playground:alex", "Alex", alexKey, "alex-teams-id"];
        var leftovers = (from d in dump.Concat(rawFiles())
                         from trace in traces
                         where d.Item1.Contains(trace, StringComparison.OrdinalIgnoreCase) || d.Item2.Contains(trace, StringComparison.OrdinalIgnoreCase)
                         select $"{d.Item1} holds {trace}").ToList();
        Assert.True(leftovers.Count == 0, string.Join("\n", leftovers));

        // Counts stay: the closed poll still has 2 for Sleep and 1 for Boundaries, with only Sam and Priya named.
        var closed = await bot.PollAsync("3");
        Assert.Equal(3, closed.Result!.Voters);
        Assert.Equal(2, closed.Result.Counts.Single(c => c.OptionId == 1).Votes);
        Assert.Equal(["Priya", "Sam"], closed.Result.Named.Select(n => n.Name).Order());
        // Open polls: Alex's votes are withdrawn, the others stay.
        Assert.Equal(1, await bot.BallotCountAsync("1"));
        Assert.Equal(1, await bot.BallotCountAsync("2"));
        // The agenda keeps the item, from "a member".
        var agenda = string.Join("\n", await bot.Get<PeerGroupBot.Core.Agenda.IAgendaFeed>().GetLinesAsync(group, NextThursday, CancellationToken.None));
        Assert.Contains("Sharing what helps at night", agenda);
        Assert.Contains("Money worries", agenda);
        // The rota keeps the past turn without a name, and frees the upcoming one.
        var rota = await RotaTestKit.RotaAsync(bot);
        var fifth = rota.Sessions.Single(s => s.Session.Date == new LocalDate(2026, 11, 5));
        Assert.NotNull(fifth.Slots.Single(s => s.Role == "facilitator").MemberId);
        Assert.Equal("a member", rota.NameOf(fifth.Slots.Single(s => s.Role == "facilitator").MemberId!));
        var twelfth = rota.Sessions.Single(s => s.Session.Date == new LocalDate(2026, 11, 12));
        Assert.Null(twelfth.Slots.Single(s => s.Role == "welcomer").MemberId);
        Assert.Equal(Sam.MemberId, twelfth.Slots.Single(s => s.Role == "facilitator").MemberId);
        // Sam's RSVP stays.
        var rsvps = await bot.Documents.GetValueAsync<SessionOccurrenceDocument>(SessionOccurrenceDocument.KeyFor(group.Id, NextThursday));
        Assert.Equal(RsvpChoice.Maybe, Assert.Single(rsvps!.Rsvps).Value);

        // A fresh export finds nothing of the old data (the erase click itself was the last thing seen).
        var after = Assert.Single(await bot.SendAsync(Alex, PrivateOf(Alex), "me export")).Text;
        Assert.DoesNotContain("Sharing what helps", after);
        Assert.DoesNotContain("Rota:", after);
        Assert.Contains("No quiet hours", after);
    }
}
