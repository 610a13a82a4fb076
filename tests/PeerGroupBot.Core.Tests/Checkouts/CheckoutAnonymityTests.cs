using System.Text.Json;
using System.Text.RegularExpressions;
using NodaTime;
using PeerGroupBot.Core.Checkouts;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Record;
using PeerGroupBot.Testing;
using static PeerGroupBot.Core.Tests.Checkouts.CheckoutKit;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Checkouts;

/// <summary>
/// Anonymous by construction: everything stored and logged is searched for anything that ties an answer to a member,
/// and what members and facilitators are shown respects k and keeps the lines apart from any name or time.
/// </summary>
public class CheckoutAnonymityTests
{
    private static readonly Actor[] Members = [Alex, Sam, Priya, Jo];

    [Fact]
    public async Task Nothing_stored_or_logged_ties_an_answer_to_a_member()
    {
        var (bot, _, groupId) = await TuesdayGroupAsync();
        await using var _ = bot;
        foreach (var who in new[] { Alex, Sam, Priya }) await GoingAsync(bot, who);
        await bot.RunUntilAsync(FirstEnd);
        await AnswerAsync(bot, Alex, groupId, FirstTuesdayKey, [5, 4, 3, 2], "kettleword the tea was lovely");
        await AnswerAsync(bot, Sam, groupId, FirstTuesdayKey, [1, null, 5, 5], "clockword it felt rushed");
        await AnswerAsync(bot, Priya, groupId, FirstTuesdayKey, [3, 3, 3, 3]);
        await AnswerAsync(bot, Jo, groupId, FirstTuesdayKey, [4, 4, 4, 4], "mapleword more breaks please"); // through the channel button: Jo never said Going

        var memberKeys = Members.Select(m => bot.Directory.MemberKey(m.MemberId)).ToList();
        var answerKeys = Members.Select(m => bot.Get<CheckoutBoxes>().AnswerKey(groupId, FirstTuesdayKey, m.MemberId)).ToList();
        var store = await bot.DumpStoreAsync();
        var (boxKey, boxText) = Assert.Single(store, d => d.Key.StartsWith(CheckoutBox.Prefix(groupId), StringComparison.Ordinal));

        // The box: no id, no name, no member key, no time of answering, and who answered is a sorted list with nothing beside it.
        foreach (var member in Members)
        {
            Assert.DoesNotContain(member.MemberId, boxText);
            Assert.DoesNotContain(member.DisplayName, boxText, StringComparison.OrdinalIgnoreCase);
        }
        Assert.All(memberKeys, k => Assert.DoesNotContain(k, boxText));
        var box = (await BoxAsync(bot, groupId))!;
        Assert.Equal(answerKeys.Order(StringComparer.Ordinal), box.Answered);
        Assert.Equal(4, box.Answers);
        Assert.Equal([[1, 0, 1, 1, 1], [0, 0, 1, 2, 0], [0, 0, 2, 1, 1], [0, 1, 1, 1, 1]], box.Counts);
        Assert.Equal(3, box.Comments.Count);
        using (var json = JsonDocument.Parse(JsonSerializer.Serialize(box, PeerGroupBot.Core.State.Documents.JsonOptions)))
        {
            // Only the answered list holds hashes, and no property of the box is keyed by one.
            foreach (var property in json.RootElement.EnumerateObject())
                Assert.DoesNotMatch("^[0-9a-f]{16,}$", property.Name);
        }
        Assert.DoesNotMatch(@"\b\d{1,2}:\d{2}:\d{2}\b", boxText); // no time of answering anywhere in it

        // These hashes exist nowhere else, and the words members wrote are only in the box.
        foreach (var (key, text) in store.Where(d => d.Key != boxKey))
        {
            Assert.All(answerKeys, k => Assert.DoesNotContain(k, text));
            foreach (var word in new[] { "kettleword", "clockword", "mapleword" }) Assert.DoesNotContain(word, text);
        }

        // The logs hold nothing of who or what.
        foreach (var line in bot.Logs.Lines)
        {
            foreach (var member in Members)
            {
                Assert.DoesNotContain(member.MemberId, line);
                Assert.DoesNotContain(member.DisplayName, line);
            }
            Assert.All(answerKeys.Concat(memberKeys), k => Assert.DoesNotContain(k, line));
            foreach (var word in new[] { "kettleword", "clockword", "mapleword", "tea", "rushed" }) Assert.DoesNotContain(word, line);
        }

        // At the close the answered list goes; the record keeps counts only.
        await bot.RunUntilAsync(FirstEnd + Duration.FromHours(48));
        store = await bot.DumpStoreAsync();
        foreach (var (_, text) in store)
            Assert.All(answerKeys, k => Assert.DoesNotContain(k, text));
        var record = Assert.Single(store, d => d.Key.StartsWith(DecisionLog.Prefix(groupId), StringComparison.Ordinal)
            && d.Text.Contains("\"checkout\"", StringComparison.OrdinalIgnoreCase)).Text;
        foreach (var word in new[] { "kettleword", "clockword", "mapleword" }) Assert.DoesNotContain(word, record);
        Assert.All(Members, m => Assert.DoesNotContain(m.MemberId, record));
        Assert.All(memberKeys, k => Assert.DoesNotContain(k, record));
    }

    [Fact]
    public async Task Erasure_removes_the_members_hash_from_an_open_checkout_and_the_answer_stays_in_the_counts()
    {
        var (bot, _, groupId) = await TuesdayGroupAsync();
        await using var _ = bot;
        await bot.RunUntilAsync(FirstEnd);
        await AnswerAsync(bot, Alex, groupId, FirstTuesdayKey, [5, 4, 3, 2]);
        await AnswerAsync(bot, Sam, groupId, FirstTuesdayKey, [1, 1, 1, 1]);
        var alexKey = bot.Get<CheckoutBoxes>().AnswerKey(groupId, FirstTuesdayKey, Alex.MemberId);
        Assert.Contains(alexKey, (await BoxAsync(bot, groupId))!.Answered);

        // Export says only that Alex answered; erasure removes even that.
        var export = string.Join("\n", (await bot.SendAsync(Alex, PrivateOf(Alex), "me export")).Select(r => r.Text));
        Assert.Contains("You've answered the check-out for Tue 3 Nov, 18:30 GMT (only that you did", export);
        Assert.DoesNotContain("You've answered the check-out", string.Join("\n", (await bot.SendAsync(Priya, PrivateOf(Priya), "me export")).Select(r => r.Text)));

        await bot.ClickAsync(Alex, "me:erase:confirm", PrivateOf(Alex));
        var box = (await BoxAsync(bot, groupId))!;
        Assert.DoesNotContain(alexKey, box.Answered);
        Assert.Single(box.Answered);
        Assert.Equal(2, box.Answers);
        Assert.Equal([1, 0, 0, 0, 1], box.Counts[0]);
    }

    [Fact]
    public async Task Totals_are_shown_only_from_k_answers_and_the_lines_only_to_facilitators_after_the_close_shuffled()
    {
        var (bot, _, groupId) = await TuesdayGroupAsync();
        await using var _ = bot;
        await bot.RunUntilAsync(FirstEnd);
        await AnswerAsync(bot, Alex, groupId, FirstTuesdayKey, [5, 5, 5, 5], "first line");
        await AnswerAsync(bot, Sam, groupId, FirstTuesdayKey, [4, 4, 4, 4], "second line");

        // Open: nobody sees anything yet, not even facilitators.
        Assert.Contains("No closed check-out", Assert.Single(await bot.SendAsync(Fran, "record checkout comments")).Text);
        Assert.Contains("for facilitators", Assert.Single(await bot.SendAsync(Alex, "record checkout comments")).Text);

        // Closed with two answers (k is 3): the record says too few, and the lines stay hidden.
        await bot.RunUntilAsync(FirstEnd + Duration.FromHours(48));
        var record = Assert.Single(await bot.SendAsync(Alex, "record")).Text;
        Assert.Contains("Check-out after Tue 3 Nov, 18:30 GMT: too few members answered to show anything anonymously", record);
        Assert.DoesNotContain("2 answered", record);
        var hidden = Assert.Single(await bot.SendAsync(Fran, "record checkout comments")).Text;
        Assert.Contains("fewer than 3 members answered", hidden);
        Assert.DoesNotContain("first line", hidden);

        // The next week three answer: medians shown to everyone, the lines to facilitators, never with a time or a name.
        var next = "2026-11-10t18-30";
        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 10, 20, 0));
        await AnswerAsync(bot, Alex, groupId, next, [5, 2, 4, 3], "alpha");
        await AnswerAsync(bot, Sam, groupId, next, [4, 3, 4, null], "bravo");
        await AnswerAsync(bot, Priya, groupId, next, [2, 5, 4, null], "charlie");
        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 12, 20, 0));
        record = Assert.Single(await bot.SendAsync(Priya, "record")).Text;
        Assert.Contains("Check-out after Tue 10 Nov, 18:30 GMT: 3 answered; medians out of 5: I felt listened to **4**; Members, not staff, shaped today's session **3**; I'd feel able to raise a concern **4**", record);
        Assert.DoesNotContain("safe to be myself", record); // only one answered that question: below k
        Assert.DoesNotContain("alpha", record);

        var orders = new HashSet<string>();
        for (var i = 0; i < 30; i++)
        {
            var comments = Assert.Single(await bot.SendAsync(Fran, "record checkout comments"));
            Assert.Equal(ReplyVisibility.Private, comments.Visibility);
            var lines = comments.Text.Split('\n').Where(l => l.StartsWith("- \"", StringComparison.Ordinal)).ToList();
            Assert.Equal(["- \"alpha\"", "- \"bravo\"", "- \"charlie\""], lines.Order(StringComparer.Ordinal));
            Assert.All(Members, m => Assert.DoesNotContain(m.DisplayName, comments.Text));
            Assert.DoesNotMatch(new Regex(@"- "".*\d{1,2}:\d{2}"), comments.Text);
            orders.Add(string.Join('|', lines));
        }
        Assert.True(orders.Count > 1, "The lines should be shown in a new random order each time.");

        // A group that raises k to 4 sees nothing from a check-out with three answers.
        await bot.SendAsync(Fran, "poll minvoters 4");
        var third = "2026-11-17t18-30";
        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 17, 20, 0));
        foreach (var who in new[] { Alex, Sam, Priya }) await AnswerAsync(bot, who, groupId, third, [5, 5, 5, 5]);
        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 19, 20, 0));
        record = Assert.Single(await bot.SendAsync(Alex, "record")).Text;
        Assert.Contains("Check-out after Tue 17 Nov, 18:30 GMT: too few members answered", record);
        // and the earlier check-out with three answers is now below k too.
        Assert.Contains("Check-out after Tue 10 Nov, 18:30 GMT: too few members answered", record);
        Assert.DoesNotContain("3 answered", record);
    }
}
