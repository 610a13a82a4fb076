using System.Text.Encodings.Web;
using System.Text.Json;
using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Tests.Concerns;
using PeerGroupBot.Core.Tests.Polls;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Safety;

/// <summary>
/// "No participant lists on anonymous polls, anywhere (messages, exports, logs)" and "an anonymous poll stores no
/// member id next to a choice". Members with distinctive names and ids vote, change and withdraw votes, are nudged
/// before the close, ask for results and see the poll close; then every stored document (outside the roster and each
/// member's own settings), every log line, every message the bot sent and every reply it gave is searched for each
/// member's id, name and keyed member hash, in plain text, base64 and hex.
/// </summary>
public class AnonymousPollParticipantsTests
{
    private static readonly Actor[] Members =
    [
        new("playground:wren-obsidian-31", "Wren Obsidian"),
        new("playground:ottoline-marchbank", "Ottoline Marchbank"),
        new("playground:caspian-thistlewood", "Caspian Thistlewood"),
        new("playground:isolde-farrowmere", "Isolde Farrowmere"),
        new("playground:balthazar-quince", "Balthazar Quince"),
    ];

    [Fact]
    public async Task Nothing_anywhere_lists_who_voted_or_who_did_not()
    {
        var (bot, _) = await PollTestKit.StartAsync();
        await using var _bot = bot;
        var replies = new List<BotReply>();
        // Votes on anonymous polls are typed privately (typed in the channel they are refused: everyone would read them).
        async Task SayAsync(Actor actor, string text)
            => replies.AddRange(await bot.SendAsync(actor, text.StartsWith("poll vote", StringComparison.Ordinal) ? PrivateOf(actor) : Channel, text));

        foreach (var member in Members) await SayAsync(member, "me nudges on");
        await SayAsync(Members[0], "poll new \"Which topic next?\" Sleep | Boundaries | Holidays closes in 2 days");
        await SayAsync(Members[0], "poll new \"Rank them\" Sleep | Boundaries | Holidays mode ranked closes in 2 days");
        await SayAsync(Members[0], "poll vote #1 1");
        await SayAsync(Members[1], "poll vote #1 2");
        await SayAsync(Members[1], "poll results #1"); // below k: only how many
        await SayAsync(Members[2], "poll vote #1 1");
        await SayAsync(Members[1], "poll vote #1 1"); // changed
        await SayAsync(Members[2], "poll withdraw #1");
        await SayAsync(Members[3], "poll vote #2 3 1 2");
        await SayAsync(Members[4], "poll vote #2 1 3");
        await SayAsync(Members[0], "poll vote #2 1");
        await SayAsync(Members[3], "poll results #1");
        await SayAsync(Members[3], "poll list");

        await bot.AdvanceAsync(Duration.FromDays(1)); // the nudges to non-voters
        var dumpWhileOpen = await bot.DumpStoreAsync();
        await bot.AdvanceAsync(Duration.FromDays(1)); // the close
        await SayAsync(Members[4], "poll results #1");
        await SayAsync(Members[4], "poll results #2");

        // The journeys happened, so the searches below search something.
        Assert.Equal(2, bot.Playground.Posts.Count(p => p.Reply.Title?.EndsWith("has closed", StringComparison.Ordinal) == true));
        Assert.Contains("Not enough votes to show results anonymously: 2 members voted", bot.Playground.ResultsPost("1").Reply.Text); // 2 voters: under k
        Assert.Contains(bot.Playground.Privates, p => p.Target == Members[2].MemberId && p.Reply.Title == "Topic poll #1 closes soon");
        Assert.DoesNotContain(bot.Playground.Privates, p => p.Target == Members[0].MemberId && p.Reply.Title == "Topic poll #1 closes soon");
        Assert.Contains(dumpWhileOpen, d => d.Key.Contains("/ballots/", StringComparison.Ordinal));
        Assert.Contains(bot.Logs.Lines, l => l.Contains("Poll 1 of group", StringComparison.Ordinal));

        var group = await bot.GroupAsync();
        bool Personal(string key) => key.StartsWith($"groups/{group.Id}/members/", StringComparison.Ordinal)
            || key.StartsWith("members/", StringComparison.Ordinal) || key.StartsWith("preferences/", StringComparison.Ordinal);
        var json = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        var finalDump = await bot.DumpStoreAsync();
        var places = dumpWhileOpen.Concat(finalDump)
            .Where(d => !Personal(d.Key))
            .Select(d => ($"document {d.Key}", d.Key + "\n" + ConcernAnonymityTests.Searchable(d.Text)))
            .Concat(bot.Logs.Lines.Select((line, i) => ($"log line {i}", line)))
            .Concat(replies.Select((r, i) => ($"reply #{i}", JsonSerializer.Serialize(r, json))))
            .ToList();

        foreach (var member in Members)
        {
            var (plain, encoded) = ConcernAnonymityTests.Tokens(member, bot.Directory.MemberKey(member.MemberId));
            // Positive control: the same search finds the member in the roster, which is kept apart from polls.
            Assert.Contains(finalDump, d => Personal(d.Key) && ConcernAnonymityTests.Found(ConcernAnonymityTests.Searchable(d.Text), plain, encoded) is not null);
            // Messages: a private message may be addressed to the member, but its words name nobody.
            var messages = bot.Playground.Sent.Select((m, i) => ($"{m.Kind} #{i} to {m.Target}",
                (m.Kind == "private" && m.Target == member.MemberId ? "" : m.Target + "\n") + JsonSerializer.Serialize(m.Reply, json)));
            foreach (var (where, text) in places.Concat(messages))
            {
                var hit = ConcernAnonymityTests.Found(text, plain, encoded);
                Assert.True(hit is null, $"{member.DisplayName}: \"{hit}\" found in {where}:\n{text}");
            }
        }
    }
}
