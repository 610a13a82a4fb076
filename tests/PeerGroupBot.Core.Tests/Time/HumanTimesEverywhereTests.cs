using System.Text.RegularExpressions;
using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Tests.Checkouts;
using PeerGroupBot.Core.Tests.Concerns;
using PeerGroupBot.Testing;
using static PeerGroupBot.Core.Tests.Rota.RotaTestKit;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Time;

/// <summary>
/// Every date and time a member reads is human and says its zone. A walk-through of a group's first weeks drives each
/// flow that prints a time (polls with closing times, the rota poll and its availability card, sessions and reminders,
/// RSVPs and check-outs, the agenda, concerns and their cards, the record and its report, a member's export) and reads
/// everything the bot said: answers, channel posts, card updates and private messages. No ISO-8601 date-time may
/// appear, and every clock time must carry the zone ("18:30 GMT", "18:30–20:00 GMT", "(Europe/London)"), except inside
/// `…` commands a member types. So a string added later cannot regress.
/// </summary>
public partial class HumanTimesEverywhereTests
{
    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}|t\d{2}-\d{2})?(?!\d)")]
    private static partial Regex IsoDateTime();

    /// <summary>A clock time (or range) and what follows it.</summary>
    [GeneratedRegex(@"(?<![\d:.])([01]\d|2[0-3]):[0-5]\d(?:\s*[–-]\s*(?:[A-Z][a-z]+day \d{1,2} [A-Z][a-z]+ )?([01]\d|2[0-3]):[0-5]\d)?(?!\d|:\d)(?<after>.{0,40})", RegexOptions.Singleline)]
    private static partial Regex ClockTime();

    /// <summary>What says the zone right after a time: an abbreviation ("GMT", "BST", "UTC+03") or the zone's name.</summary>
    [GeneratedRegex(@"^\**\s*(?:\(?(?:GMT|BST|UTC(?:[+-]\d{2}(?::\d{2})?)?|[A-Z]{3,4})\b|\**\s*\((?:[A-Z][A-Za-z_]+/[A-Za-z_/]+)|\**\s*\(?[A-Z][A-Za-z_]+/[A-Za-z_]+ time)")]
    private static partial Regex ZoneFollows();

    [GeneratedRegex("`[^`\n]*`")]
    private static partial Regex Code();

    private static IEnumerable<string> TextsOf(BotReply reply)
    {
        if (reply.Title is not null) yield return reply.Title;
        yield return reply.Text;
        foreach (var button in reply.Buttons) yield return button.Label;
        if (reply.SubmitSelects is { } submit) yield return submit.Label;
        foreach (var select in reply.Selects)
        {
            yield return select.Placeholder;
            foreach (var option in select.Options) yield return option.Label + " " + option.Description;
        }
        if (reply.Form is { } form)
        {
            yield return form.Title;
            foreach (var field in form.Fields)
            {
                yield return field.Label + " " + field.Placeholder;
                if (field.Value is not null) yield return field.Value;
                foreach (var choice in field.Choices ?? []) yield return choice.Label + " " + choice.Description;
            }
        }
    }

    /// <summary>What is wrong with the times in <paramref name="text"/>: ISO date-times, and clock times with no zone.</summary>
    public static IEnumerable<string> Problems(string text)
    {
        var prose = Code().Replace(text, "`…`");
        foreach (Match iso in IsoDateTime().Matches(prose)) yield return $"ISO date \"{iso.Value}\"";
        foreach (Match time in ClockTime().Matches(prose))
            if (!ZoneFollows().IsMatch(time.Groups["after"].Value))
                yield return $"time without a zone \"{prose[Math.Max(0, time.Index - 30)..time.Index]}{time.Value[..Math.Min(time.Value.Length, 50)]}\"";
    }

    [Theory]
    [InlineData("Rota poll closes Sat 5 Dec, 04:41 GMT.", true)]
    [InlineData("**Tuesday 3 November, 18:30–20:00 GMT**", true)]
    [InlineData("It closes on Saturday 12 December 2026, 18:00 GMT (Europe/London).", true)]
    [InlineData("Extra session: **Saturday 12 December, 18:00–20:00** (Europe/London time)", true)]
    [InlineData("Type `rota poll 2026-12-01 18:00` to start.", true)]
    [InlineData("RSVP for 2026-12-08T18:30", false)]
    [InlineData("Check-outs 2026-11-01 to 2026-11-30", false)]
    [InlineData("Rota poll closes Sat 5 Dec, 04:41.", false)]
    [InlineData("The session on Tuesday 8 December, 18:30–20:30 is cancelled", false)]
    [InlineData("resolved by Fran (Thu 5 Nov 18:00)", false)]
    [InlineData("- Thu 5 Nov, 18:00: 2 available", false)]
    [InlineData("- Thu 5 Nov, 18:00 GMT: 2 available", true)]
    [InlineData("Open until Thursday 5 November at 18:00 GMT.", true)]
    public void The_checker_tells_a_human_time_from_a_bare_or_iso_one(string text, bool fine)
        => Assert.Equal(fine, !Problems(text).Any());

    [Fact]
    public async Task Every_time_the_walk_through_shows_a_member_is_human_and_carries_its_zone()
    {
        var (bot, _, _) = await CheckoutKit.TuesdayGroupAsync();
        await using var _bot = bot;
        var seen = new List<(string Where, BotReply Reply)>();
        async Task<IReadOnlyList<BotReply>> Say(Actor who, string text, Place? place = null)
        {
            var replies = await bot.SendAsync(who, place ?? Channel, text);
            seen.AddRange(replies.Select(r => ($"answer to `{text}`", r)));
            return replies;
        }
        async Task<IReadOnlyList<BotReply>> Click(Actor who, string actionId, Place? place = null)
        {
            var replies = await bot.ClickAsync(who, actionId, place);
            seen.AddRange(replies.Select(r => ($"answer to {actionId}", r)));
            return replies;
        }

        // Concerns: a channel for facilitators, one raised, acknowledged, replied to.
        var code = Regex.Match(Assert.Single(await bot.SendAsync(Fran, "setup concerns")).Text, @"\*\*([A-Z0-9]{8})\*\*").Groups[1].Value;
        await bot.SendAsync(Fran, StaffChannel, $"setup concerns {code}");

        // Sessions: the weekly one (set up by the kit), an extra, a cancellation, lists.
        await Say(Fran, "session add 12 Dec 6pm \"Room 4\"");
        await Say(Sam, "session next");
        await Say(Sam, "session list");
        await Say(Fran, "session cancel 24 Nov bank holiday");
        await Say(Alex, "session");

        // Polls with closing times, listed and closed.
        await Say(Fran, "poll new \"Which evening?\" Monday | Wednesday | Saturday closes friday 18:00");
        await Say(Fran, "poll new \"Best day for a social?\" Monday | Wednesday ranked closes 20 Nov 12:00");
        await Say(Alex, "poll vote 1 2");
        await Say(Alex, "poll list");
        await Say(Alex, "poll results 1");

        // The rota poll, the availability card, the rota.
        await Say(Fran, "rota poll 2");
        var rotaPoll = PollId(bot);
        await Click(Alex, $"rota:avail:{rotaPoll}");
        await MarkAsync(bot, Alex, rotaPoll, 0, "facilitator");
        await MarkAsync(bot, Sam, rotaPoll, 1, "welcomer");
        await Say(Priya, "rota poll");
        await Say(Fran, "rota close");
        await Say(Alex, "rota");
        await Say(Alex, "rota show 1");

        // The agenda, RSVPs, a concern.
        await Say(Alex, "agenda add Sleep and screens 15m");
        await Say(Alex, "agenda");
        await CheckoutKit.GoingAsync(bot, Sam);
        await bot.RaiseAsync(Priya, "The room was too cold and nobody listened when I said so.");
        await bot.PassDelayAsync();
        await Say(Fran, "concern list", StaffChannel);
        var card = bot.StaffPosts().Last(p => ConcernKit.IsCard(p.Reply, 1));
        seen.AddRange((await bot.ClickAsync(Fran, card.Reply.Buttons.First(b => b.Label.StartsWith("Acknowledge", StringComparison.Ordinal)).ActionId, StaffChannel, sourceMessageId: card.MessageId))
            .Select(r => ("acknowledging the concern", r)));
        await Say(Priya, "concern hours");
        await Say(Priya, "concern list", PrivateOf(Priya));

        // Reminders, the session itself and its check-out, a week on.
        await bot.RunUntilAsync(CheckoutKit.FirstEnd + Duration.FromHours(30));
        await Say(Fran, "record");
        await Say(Fran, "record report 2026-11");
        await Say(Priya, "me");
        await Say(Priya, "me export", PrivateOf(Priya));

        seen.AddRange(bot.Playground.Sent.Select(s => ($"{s.Kind} to {s.Target}", s.Reply)));
        Assert.True(seen.Count > 30, $"the walk-through should show plenty, but showed {seen.Count} messages");
        var times = seen.SelectMany(s => TextsOf(s.Reply)).Sum(t => ClockTime().Matches(Code().Replace(t, "")).Count);
        Assert.True(times >= 20, $"the walk-through should show plenty of times, but showed {times}");

        var problems = seen
            .SelectMany(s => TextsOf(s.Reply).SelectMany(Problems).Select(p => $"{s.Where}: {p}"))
            .Distinct().ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
