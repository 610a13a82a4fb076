using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using NodaTime;
using PeerGroupBot.Core.Concerns;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Concerns;

/// <summary>
/// The promise of the feature: after concerns are raised, answered, relayed, nudged and resolved, no stored document
/// (outside the group's member roster, which records who was seen in the group's channels and is separate), no log
/// line and no message to facilitators holds a reporter's id or name, in plain text, base64 or hex, nor the keyed
/// member hash that names their roster and dialog documents.
/// </summary>
public class ConcernAnonymityTests
{
    private static readonly Actor Zephyrine = new("discord:918273645546372819", "Zephyrine Quillfeather");
    private static readonly Actor Bartholomew = new("teams:29:1qXvB7sKmDistinctTeamsUser", "Bartholomew Okonkwo-Frost");
    private static readonly Actor Kestrel = new("playground:kestrel-vantablack-77", "Kestrel Vantablack");
    private static readonly Actor[] Reporters = [Zephyrine, Bartholomew, Kestrel];

    private static readonly string[] ConcernTexts =
    [
        "The snack rota makes me feel excluded, marmalade-penguin.",
        "Someone keeps interrupting, ultramarine-otter.",
        "I feel like I want to end my life, cobalt-heron.",
    ];

    [Fact]
    public async Task Nothing_stored_logged_or_sent_to_facilitators_identifies_a_reporter()
    {
        await using var bot = ConcernKit.NewBot();
        var group = await bot.SetupWithConcernsChannelAsync();
        var discordChannel = new Place("discord", "5550001", IsPrivate: false);
        var teamsChannel = new Place("teams", "19:teamschannel@thread.tacv2", IsPrivate: false);
        await LinkAsync(bot, discordChannel, new Actor("discord:42", "Dee", IsPlatformFacilitator: true));
        await LinkAsync(bot, teamsChannel, new Actor("teams:29:owner", "Tom", IsPlatformFacilitator: true));
        await bot.SendAsync(Zephyrine, discordChannel, "help");
        await bot.SendAsync(Bartholomew, teamsChannel, "help");
        await bot.SendAsync(Kestrel, Channel, "help");
        await bot.SendAsync(Fran, "concern lead add @Priya", new Mention(Priya.MemberId, Priya.DisplayName));
        await bot.SendAsync(Fran, "concern hours weekdays 10:00-16:00");

        // Zephyrine (Discord, private chat): replies allowed, the full two-way journey, then resolved.
        await bot.RaiseAsync(Zephyrine, ConcernTexts[0], replies: true, category: "Someone's behaviour");
        // Bartholomew (Teams, from the group channel): no replies.
        await bot.RaiseAsync(Bartholomew, ConcernTexts[1], replies: false, place: teamsChannel);
        // Kestrel (playground, private chat): urgent, replies allowed, stays open.
        await bot.RaiseAsync(Kestrel, ConcernTexts[2], replies: true);
        await bot.PassDelayAsync();

        await bot.ClickCardAsync(Fran, 1, "Acknowledge");
        await ReplyAsync(bot, 1, "We hear you and will change how the snack rota works.");
        var toZephyrine = bot.Discord.PrivatesTo(Zephyrine.MemberId).Last().Reply;
        await AnswerAsync(bot, Zephyrine, toZephyrine, "Thank you, that helps.");
        await ReplyAsync(bot, 3, "Thank you for telling us. Please reach out to the contacts shown. Can we help today?");
        var toKestrel = bot.Playground.PrivatesTo(Kestrel.MemberId).Last().Reply;
        await AnswerAsync(bot, Kestrel, toKestrel, "I still feel suicidal tonight.");
        await bot.PassDelayAsync();
        await bot.ClickCardAsync(Fran, 1, "Resolve");
        await bot.AdvanceAsync(Duration.FromHours(24)); // re-nudges for the unacknowledged ones
        await bot.SendAsync(Fran, StaffChannel, "concern list");
        await bot.ClickAsync(Fran, $"concern:show:{group.Id}:2", StaffChannel);

        // The journeys really happened (so the searches below search something).
        Assert.Equal("Reply from the facilitators about your concern #1", toZephyrine.Title);
        Assert.Contains(bot.StaffPosts(), p => p.Reply.Text.Contains("Thank you, that helps."));
        Assert.Contains(bot.StaffPosts(), p => p.Reply.Text.Contains("still feel suicidal"));
        Assert.Contains(bot.StaffPosts(), p => p.Reply.Title?.EndsWith("still needs acknowledging", StringComparison.Ordinal) == true);
        Assert.NotEmpty(bot.Playground.PrivatesTo(Priya.MemberId));
        Assert.NotNull(await bot.Store.GetAsync(ConcernDelivery.KeyFor(group.Id, 3)));
        Assert.Null(await bot.Store.GetAsync(ConcernDelivery.KeyFor(group.Id, 2)));
        Assert.Null(await bot.Store.GetAsync(ConcernDelivery.KeyFor(group.Id, 1)));

        var dump = await bot.DumpStoreAsync();
        Assert.DoesNotContain(dump, d => d.Key.StartsWith("dialogs/", StringComparison.Ordinal));
        var roster = dump.Where(d => IsRoster(d.Key, group.Id)).ToList();
        var documents = dump.Where(d => !IsRoster(d.Key, group.Id)).Select(d => ($"document {d.Key}", d.Key + "\n" + Searchable(d.Text))).ToList();
        var logs = bot.Logs.Lines.Select((line, i) => ($"log line {i}", line)).ToList();

        foreach (var reporter in Reporters)
        {
            var memberKey = bot.Directory.MemberKey(reporter.MemberId);
            var (plain, encoded) = Tokens(reporter, memberKey);

            // Positive control: the same search finds the member in the separate roster.
            Assert.Contains(roster, d => Found(Searchable(d.Text), plain, encoded) is not null);

            var messages = new[] { bot.Playground, bot.Teams, bot.Discord }.SelectMany(m => m.Sent)
                .Select((m, i) => ($"{m.Kind} #{i} on {m.Platform}", MessageText(m, reporter)))
                .ToList();
            foreach (var (where, text) in documents.Concat(logs).Concat(messages))
            {
                var hit = Found(text, plain, encoded);
                Assert.True(hit is null, $"{reporter.DisplayName}: \"{hit}\" found in {where}:\n{text}");
            }
        }

        // Concern text and answers never reach the logs.
        foreach (var secret in new[] { "marmalade-penguin", "ultramarine-otter", "cobalt-heron", "Thank you, that helps", "still feel suicidal" })
            Assert.DoesNotContain(bot.Logs.Lines, l => l.Contains(secret, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(bot.Logs.Lines, l => l.Contains("Concern 1 of group", StringComparison.Ordinal)); // logs were captured
    }

    /// <summary>
    /// A facilitators' reply that waits for the reporter's quiet hours is held sealed: while it waits, nothing stored
    /// (outside the roster and the member's own settings), logged or shown to the facilitators identifies the reporter,
    /// and the facilitators are told the same as when it goes at once. A reply on an urgent concern is never held.
    /// </summary>
    [Fact]
    public async Task A_reply_held_for_the_reporters_quiet_hours_identifies_nobody_and_an_urgent_one_is_not_held()
    {
        await using var bot = ConcernKit.NewBot();
        var group = await bot.SetupWithConcernsChannelAsync();
        await bot.SendAsync(Kestrel, Channel, "help");
        await bot.SendAsync(Kestrel, PrivateOf(Kestrel), "me quiet 09:00-18:00");

        // Raising is the member's own action: its answer comes at once, quiet hours or not.
        Assert.Contains(await bot.RaiseAsync(Kestrel, ConcernTexts[0], replies: true), r => r.Title == "Concern #1 sent anonymously");
        await bot.PassDelayAsync();
        await bot.ClickCardAsync(Fran, 1, "Acknowledge");
        await ReplyAsync(bot, 1, "Thank you, we will look at the snack rota together.");
        Assert.Empty(bot.Playground.PrivatesTo(Kestrel.MemberId));

        var dump = await bot.DumpStoreAsync();
        var held = dump.Where(d => d.Key.StartsWith($"groups/{group.Id}/nudges/", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, held.Count); // "acknowledged" and the reply
        Assert.DoesNotContain(held, d => d.Text.Contains("snack rota", StringComparison.OrdinalIgnoreCase) || d.Text.Contains("Reply", StringComparison.Ordinal));
        var memberKey = bot.Directory.MemberKey(Kestrel.MemberId);
        var (plain, encoded) = Tokens(Kestrel, memberKey);
        var searched = dump.Where(d => !IsRoster(d.Key, group.Id) && !d.Key.StartsWith("preferences/", StringComparison.Ordinal))
            .Select(d => ($"document {d.Key}", d.Key + "\n" + Searchable(d.Text)))
            .Concat(bot.Logs.Lines.Select((line, i) => ($"log line {i}", line)))
            .Concat(bot.Playground.Sent.Select((m, i) => ($"{m.Kind} #{i}", MessageText(m, Kestrel))));
        foreach (var (where, text) in searched)
        {
            var hit = Found(text, plain, encoded);
            Assert.True(hit is null, $"\"{hit}\" found in {where}:\n{text}");
        }

        // At 18:00 both arrive, and the reply can be answered.
        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 2, 18, 0));
        var received = bot.Playground.PrivatesTo(Kestrel.MemberId).Select(p => p.Reply).ToList();
        Assert.Equal(2, received.Count);
        var reply = Assert.Single(received, r => r.Title == "Reply from the facilitators about your concern #1");
        await AnswerAsync(bot, Kestrel, reply, "Thanks, that sounds good.");
        Assert.DoesNotContain(await bot.DumpStoreAsync(), d => d.Key.Contains("/nudges/", StringComparison.Ordinal));

        // An urgent concern: during quiet hours again, the reply still goes at once.
        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 3, 9, 30));
        await bot.RaiseAsync(Kestrel, ConcernTexts[2], replies: true);
        await ReplyAsync(bot, 2, "Please call one of the numbers shown. We are here.");
        Assert.Contains(bot.Playground.PrivatesTo(Kestrel.MemberId), p => p.Reply.Title == "Reply from the facilitators about your concern #2");
    }

    [Fact]
    public async Task The_search_would_find_an_id_hidden_in_base64_or_hex()
    {
        var (plain, encoded) = Tokens(Zephyrine, "0123456789abcdef0123456789abcdef01234567");
        var bytes = Encoding.UTF8.GetBytes(Zephyrine.MemberId);
        Assert.NotNull(Found("x" + Convert.ToBase64String([.. "ab"u8.ToArray(), .. bytes]) + "x", plain, encoded));
        Assert.NotNull(Found(Convert.ToBase64String([.. "a"u8.ToArray(), .. bytes]), plain, encoded));
        Assert.NotNull(Found(Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_'), plain, encoded));
        Assert.NotNull(Found(Convert.ToHexStringLower(bytes), plain, encoded));
        Assert.NotNull(Found("hello ZEPHYRINE", plain, encoded));
        Assert.NotNull(Found(Searchable(JsonSerializer.Serialize(new { v = Convert.ToBase64String([.. "abc"u8.ToArray(), .. bytes]) })), plain, encoded));
        Assert.Null(Found("nothing to see here", plain, encoded));
    }

    private static async Task LinkAsync(TestBot bot, Place channel, Actor facilitator)
    {
        var codeReply = Assert.Single(await bot.SendAsync(Fran, "setup link"));
        var code = Regex.Match(codeReply.Text, @"\*\*([A-Z0-9]{8})\*\*").Groups[1].Value;
        Assert.Contains("now part of", Assert.Single(await bot.SendAsync(facilitator, channel, $"setup link {code}")).Text);
    }

    private static async Task ReplyAsync(TestBot bot, int number, string text)
    {
        var form = await bot.ClickCardAsync(Fran, number, "Reply");
        var sent = Assert.Single(await bot.SubmitAsync(Fran, form.Form!.ActionId, new Dictionary<string, string> { ["text"] = text }, StaffChannel));
        Assert.Contains("on its way", sent.Text);
    }

    private static async Task AnswerAsync(TestBot bot, Actor reporter, BotReply received, string text)
    {
        var form = Assert.Single(await bot.ClickAsync(reporter, received.Button("Answer").ActionId, PrivateOf(reporter)));
        var replies = await bot.SubmitAsync(reporter, form.Form!.ActionId, new Dictionary<string, string> { ["text"] = text }, PrivateOf(reporter));
        Assert.Contains(replies, r => r.Text.Contains("Thank you."));
    }

    private static bool IsRoster(string key, string groupId)
        => key.StartsWith($"groups/{groupId}/members/", StringComparison.Ordinal) || key.StartsWith("members/", StringComparison.Ordinal);

    /// <summary>A message as the facilitators' side could see it; a private message to the reporter is searched without its address.</summary>
    private static string MessageText(SentMessage message, Actor reporter)
    {
        var body = JsonSerializer.Serialize(message.Reply, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        return message.Kind == "private" && message.Target == reporter.MemberId ? body : message.Target + "\n" + body;
    }

    /// <summary>The raw text plus every JSON string unescaped (stored JSON escapes '+' in base64 as \u002B).</summary>
    internal static string Searchable(string text)
    {
        var builder = new StringBuilder(text);
        try
        {
            using var json = JsonDocument.Parse(text);
            Collect(json.RootElement, builder);
        }
        catch (JsonException)
        {
            // not JSON: the raw text is searched
        }
        return builder.ToString();
    }

    private static void Collect(JsonElement element, StringBuilder into)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                into.Append('\n').Append(element.GetString());
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    into.Append('\n').Append(property.Name);
                    Collect(property.Value, into);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) Collect(item, into);
                break;
        }
    }

    /// <summary>Case-insensitive plain tokens; case-sensitive encodings (base64 at each byte alignment, base64url, hex).</summary>
    internal static (List<string> Plain, List<string> Encoded) Tokens(Actor reporter, string memberKey)
    {
        var platformUserId = MemberIds.PlatformUserIdOf(reporter.MemberId);
        var plain = new List<string> { reporter.MemberId, platformUserId, reporter.DisplayName, memberKey };
        plain.AddRange(reporter.DisplayName.Split(' ', '-').Where(part => part.Length >= 4));
        var encoded = new List<string>();
        foreach (var value in new[] { reporter.MemberId, platformUserId, reporter.DisplayName })
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            encoded.Add(Convert.ToHexStringLower(bytes));
            encoded.Add(Convert.ToHexString(bytes));
            for (var shift = 0; shift < 3; shift++)
            {
                var base64 = Convert.ToBase64String([.. new byte[shift], .. bytes]);
                var first = (8 * shift + 5) / 6;
                var last = 8 * (shift + bytes.Length) / 6;
                var core = base64[first..last];
                encoded.Add(core);
                encoded.Add(core.Replace('+', '-').Replace('/', '_'));
            }
        }
        return (plain, encoded);
    }

    internal static string? Found(string text, List<string> plain, List<string> encoded)
        => plain.FirstOrDefault(t => text.Contains(t, StringComparison.OrdinalIgnoreCase))
           ?? encoded.FirstOrDefault(t => text.Contains(t, StringComparison.Ordinal));
}
