using NodaTime;
using PeerGroupBot.Core.Checkouts;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Sessions;
using PeerGroupBot.Core.Tests.Concerns;
using PeerGroupBot.Core.Tests.Sessions;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Checkouts;

/// <summary>
/// A group meeting on Tuesdays 18:30-20:00 (UK time, GMT in November) from Monday 2 November 2026, with Fran
/// (facilitator), Alex, Sam, Priya and Jo on its member list, and helpers to answer a check-out as a member would.
/// </summary>
public static class CheckoutKit
{
    public const string FirstTuesday = "2026-11-03T18:30";
    public const string FirstTuesdayKey = "2026-11-03t18-30";

    /// <summary>Tuesday 3 November 2026, 20:00 UK time: the first session's end.</summary>
    public static readonly Instant FirstEnd = Instant.FromUtc(2026, 11, 3, 20, 0);

    public static async Task<(TestBot Bot, FakeFeatures Features, string GroupId)> TuesdayGroupAsync(bool schedule = true)
    {
        var features = new FakeFeatures();
        var bot = ConcernKit.NewBot(services: features.Register); // a concerns key, as production requires: a risky line offers a concern
        await bot.SetupGroupAsync();
        await bot.SendAsync(Jo, "help");
        if (schedule) await bot.SendAsync(Fran, "session schedule weekly tuesday 18:30 90m \"Room 4\"");
        bot.Playground.Clear();
        return (bot, features, (await bot.GroupAsync()).Id);
    }

    public static Task<IReadOnlyList<BotReply>> GoingAsync(TestBot bot, Actor who, string occurrenceId = FirstTuesday)
        => bot.ClickAsync(who, SessionCards.RsvpActionId(occurrenceId, RsvpChoice.Going));

    /// <summary>Sends a check-out privately: a score (or null to skip) per question, and an optional line.</summary>
    public static Task<IReadOnlyList<BotReply>> AnswerAsync(TestBot bot, Actor who, string groupId, string key, int?[] scores, string? comment = null)
    {
        var values = new Dictionary<string, string>();
        for (var i = 0; i < scores.Length; i++) values[CheckoutCards.QuestionField(i)] = scores[i]?.ToString() ?? "";
        if (comment is not null) values[CheckoutCards.CommentField] = comment;
        return bot.SubmitAsync(who, CheckoutCards.AnswerActionId(groupId, key), values, PrivateOf(who));
    }

    public static IEnumerable<SentMessage> Invitations(TestBot bot, Actor who)
        => bot.Playground.PrivatesTo(who.MemberId).Where(p => p.Reply.Title?.StartsWith("Check-out:", StringComparison.Ordinal) == true);

    public static IEnumerable<SentMessage> ChannelInvitations(TestBot bot)
        => bot.Playground.Posts.Where(p => p.Reply.Title?.EndsWith("how did the session go?", StringComparison.Ordinal) == true);

    public static Task<CheckoutBox?> BoxAsync(TestBot bot, string groupId, string key = FirstTuesdayKey)
        => bot.Get<CheckoutBoxes>().GetAsync(groupId, key, CancellationToken.None);
}
