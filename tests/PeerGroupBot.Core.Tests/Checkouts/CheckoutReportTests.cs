using System.Text;
using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Record;
using PeerGroupBot.Testing;
using static PeerGroupBot.Core.Tests.Checkouts.CheckoutKit;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Checkouts;

/// <summary>
/// A month of check-outs (Tuesdays 3, 10, 17 and 24 November 2026; k = 3) and the figures worked out by hand:
/// - 3 Nov: Alex 4 2 5 4, Sam 5 3 5 2, Priya 3 3 4 -: Q1 {3,4,5} = 4, Q2 {2,3,3} = 3, Q3 {4,5,5} = 5, Q4 has two answers (below k: not kept);
/// - 10 Nov: two answers: too few, nothing shown;
/// - 17 Nov: Alex 5 3 4 1, Sam 4 4 4 2, Priya 4 5 4 3, Jo 2 5 4 4: Q1 {2,4,4,5} = 4, Q2 {3,4,5,5} = 4.5, Q3 = 4, Q4 {1,2,3,4} = 2.5;
/// - 24 Nov: Alex 5 4 3 5, Sam 5 4 5 4, Priya 5 1 4 4: Q1 = 5, Q2 {1,4,4} = 4, Q3 {3,4,5} = 4, Q4 {4,4,5} = 4;
/// - the month: Q1 {2,3,4,4,4,5,5,5,5,5} = (4+5)/2 = 4.5; Q2 {1,2,3,3,3,4,4,4,5,5} = 3.5; Q3 {3,4,4,4,4,4,4,5,5,5} = 4;
///   Q4 {1,2,3,4,4,4,5} = 4 (7 answers); 10 answers after 3 sessions shown, 1 with too few.
/// </summary>
public class CheckoutReportTests
{
    [Fact]
    public async Task A_month_of_checkouts_shows_medians_session_by_session_with_the_hand_computed_figures()
    {
        var (bot, _, groupId) = await TuesdayGroupAsync();
        await using var _ = bot;
        await RunSessionAsync(bot, groupId, 3, (Alex, [4, 2, 5, 4]), (Sam, [5, 3, 5, 2]), (Priya, [3, 3, 4, null]));
        await RunSessionAsync(bot, groupId, 10, (Alex, [5, 5, 5, 5]), (Sam, [1, 1, 1, 1]));
        await RunSessionAsync(bot, groupId, 17, (Alex, [5, 3, 4, 1]), (Sam, [4, 4, 4, 2]), (Priya, [4, 5, 4, 3]), (Jo, [2, 5, 4, 4]));
        await RunSessionAsync(bot, groupId, 24, (Alex, [5, 4, 3, 5]), (Sam, [5, 4, 5, 4]), (Priya, [5, 1, 4, 4]));
        await bot.RunUntilAsync(Instant.FromUtc(2026, 12, 1, 10, 0));

        var report = Assert.Single(await bot.SendAsync(Fran, "record report 2026-11"));
        var text = report.Text.Replace("\r", "");
        Assert.Contains("- **How members felt (anonymous check-outs, medians out of 5):** 10 answers after 3 sessions; 1 check-out had too few answers to show anything", text);
        Assert.Contains("- *I felt listened to*: **4.5** (10 answered); by session: Tue 3 Nov: 4 → Tue 17 Nov: 4 → Tue 24 Nov: 5", text);
        Assert.Contains("- *Members, not staff, shaped today's session*: **3.5** (10 answered); by session: Tue 3 Nov: 3 → Tue 17 Nov: 4.5 → Tue 24 Nov: 4", text);
        Assert.Contains("- *I'd feel able to raise a concern*: **4** (10 answered); by session: Tue 3 Nov: 5 → Tue 17 Nov: 4 → Tue 24 Nov: 4", text);
        Assert.Contains("- *I felt safe to be myself here*: **4** (7 answered); by session: Tue 17 Nov: 2.5 → Tue 24 Nov: 4", text);
        Assert.DoesNotContain("Tue 10 Nov", text);
        Assert.Contains("- **Sessions:** 4 held, 0 cancelled", text); // alongside the existing measures
        Assert.Contains("`record checkout comments`", text);

        var csv = Encoding.UTF8.GetString(Assert.Single(report.Attachments, a => a.FileName.EndsWith(".csv", StringComparison.Ordinal)).Content);
        Assert.Contains("checkout_sessions,3,", csv);
        Assert.Contains("checkout_sessions_too_few,1,", csv);
        Assert.Contains("checkout_answers,10,", csv);
        Assert.Contains("checkout_median,4.5,I felt listened to\r\n", csv);
        Assert.Contains("checkout_median,3.5,\"Members, not staff, shaped today's session\"\r\n", csv);
        Assert.Contains("checkout_median,4.0,\"I'd feel able to raise a concern\"\r\n", csv);
        Assert.Contains("checkout_median,4.0,I felt safe to be myself here\r\n", csv);
        Assert.Contains("checkout_session_answers,4,\"Tue 17 Nov, 18:30\"\r\n", csv);
        Assert.Contains("checkout_session_median,2.5,\"Tue 17 Nov, 18:30: I felt safe to be myself here\"\r\n", csv);
        Assert.Contains("checkout_session_median,5.0,\"Tue 3 Nov, 18:30: I'd feel able to raise a concern\"\r\n", csv);
        Assert.DoesNotContain("Tue 10 Nov", csv);
        Assert.DoesNotContain("Tue 3 Nov, 18:30: I felt safe", csv); // two answered it that week: below k

        var chart = Assert.Single(report.Attachments, a => a.FileName.EndsWith("-checkouts.png", StringComparison.Ordinal));
        Assert.Equal("image/png", chart.MediaType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], chart.Content[..4]);
        Assert.Equal(2, report.Attachments.Count(a => a.MediaType == "image/png"));
    }

    [Fact]
    public void Medians_are_the_middle_answer_or_halfway_between_the_two_middle_ones()
    {
        Assert.Null(CheckoutScores.MedianOf([0, 0, 0, 0, 0]));
        Assert.Equal(3, CheckoutScores.MedianOf([0, 0, 1, 0, 0]));
        Assert.Equal(1.5, CheckoutScores.MedianOf([1, 1, 0, 0, 0]));
        Assert.Equal(4, CheckoutScores.MedianOf([1, 0, 0, 3, 1]));  // 1 4 4 4 5
        Assert.Equal(3, CheckoutScores.MedianOf([2, 0, 0, 0, 2]));  // 1 1 5 5
        Assert.Equal(4.5, CheckoutScores.MedianOf([0, 1, 1, 3, 5])); // 2 3 4 4 4 5 5 5 5 5
    }

    /// <summary>Runs to the end of the Tuesday session on <paramref name="day"/> November and sends each member's check-out.</summary>
    private static async Task RunSessionAsync(TestBot bot, string groupId, int day, params (Actor Who, int?[] Scores)[] answers)
    {
        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, day, 20, 0));
        var key = $"2026-11-{day:00}t18-30";
        foreach (var (who, scores) in answers)
            Assert.Equal("Check-out sent anonymously", Assert.Single(await AnswerAsync(bot, who, groupId, key, scores)).Title);
    }
}
