using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Record;
using PeerGroupBot.Core.Tests.Concerns;
using PeerGroupBot.Core.Tests.Polls;
using PeerGroupBot.Core.Tests.Rota;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Record;

/// <summary>
/// A scripted November for a group that meets on Thursdays at 18:00 (5, 12, 19 and 26 November; the 19th is
/// cancelled). The roster is Fran (facilitator), Alex, Sam and Priya: four members. Hand-computed figures:
/// - agenda for 5 Nov: Alex 2 items, Priya 1 anonymous, Fran 1, and the winners of polls 1 and 2:
///   members 3 + polls 2 = 5 of 6 items, 83%;
/// - rota: Alex facilitates 5 and 12 Nov, Sam co-facilitates the 5th, Priya the 12th: 4 leading turns,
///   Alex 2, Priya 1, Sam 1, evenness 1 ÷ 2 = 50%;
/// - polls: 3 of 4 voted in poll 1, 1 of 4 in poll 2: 4 of 8 possible votes, 50%;
/// - concerns: #1 acknowledged within minutes, #2 after 30 hours (target 24): 1 of 2;
/// - sessions: 5, 12 and 26 held, 19 cancelled.
/// </summary>
public class RecordReportTests
{
    private static async Task<TestBot> ScriptedNovemberAsync()
    {
        var bot = ConcernKit.NewBot();
        await bot.SetupWithConcernsChannelAsync();
        await bot.SendAsync(Fran, "session schedule weekly thursday 18:00");

        await bot.SendAsync(Alex, "poll new \"What next?\" Sleep | Boundaries anonymous no");
        foreach (var (who, option) in new[] { (Alex, 1), (Sam, 1), (Priya, 2) })
            await bot.ClickOnCardAsync(who, $"poll:vote:1:{option}", "1");
        await bot.SendAsync(Alex, "poll close #1");
        await bot.SendAsync(Sam, "poll new \"Which game?\" Quiz | Bingo anonymous no");
        await bot.ClickOnCardAsync(Sam, "poll:vote:2:2", "2");
        await bot.SendAsync(Sam, "poll close #2");

        await bot.SendAsync(Alex, "agenda add Check-in round");
        await bot.SendAsync(Alex, "agenda add Sharing what helps at night");
        await bot.SendAsync(Priya, PrivateOf(Priya), "agenda add anon Feeling talked over");
        await bot.SendAsync(Fran, "agenda add Room booking for December");
        await bot.SendAsync(Fran, "agenda post");

        await bot.SendAsync(Fran, "rota poll 2");
        var rota = RotaTestKit.PollId(bot);
        await RotaTestKit.MarkAsync(bot, Alex, rota, 0, "facilitator");
        await RotaTestKit.MarkAsync(bot, Alex, rota, 1, "facilitator");
        await RotaTestKit.MarkAsync(bot, Sam, rota, 0, "co-facilitator");
        await RotaTestKit.MarkAsync(bot, Priya, rota, 1, "co-facilitator");
        await bot.SendAsync(Fran, "rota close");

        await bot.RaiseAsync(Sam, "The room is too noisy to talk.", category: "How the group is run");
        await bot.PassDelayAsync();
        await bot.ClickCardAsync(Fran, 1, "Acknowledge");
        await bot.ClickCardAsync(Fran, 1, "Resolve");
        await bot.SendAsync(Fran, "record outcome 1 We have booked a quieter room from December.");
        await bot.RaiseAsync(Priya, "Someone keeps interrupting me.");
        await bot.PassDelayAsync();
        await bot.AdvanceAsync(Duration.FromHours(30));
        await bot.ClickCardAsync(Fran, 2, "Acknowledge");
        await bot.ClickCardAsync(Fran, 2, "Resolve");

        await bot.SendAsync(Fran, "session cancel 2026-11-19 staff training");
        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 30, 12, 0));
        return bot;
    }

    [Fact]
    public async Task The_report_for_a_scripted_month_matches_the_hand_computed_figures()
    {
        await using var bot = await ScriptedNovemberAsync();

        var refused = Assert.Single(await bot.SendAsync(Alex, "record report"));
        Assert.Contains("for facilitators", refused.Text);
        Assert.Empty(refused.Attachments);

        var report = Assert.Single(await bot.SendAsync(Fran, "record report 2026-11"));
        Assert.Equal(ReplyVisibility.Private, report.Visibility); // asked for, so private; `post` shares it
        var posted = Assert.Single(await bot.SendAsync(Fran, "record report 2026-11 post"));
        Assert.Equal(ReplyVisibility.Channel, posted.Visibility);
        Assert.Equal(report.Title, posted.Title);
        Assert.Equal(2, posted.Attachments.Count);
        Assert.Equal("Tuesday Peers: co-production report, 1 Nov 2026 – 30 Nov 2026", report.Title);
        Assert.Contains("- **Agenda items proposed by members:** 83% (5 of 6; 2 from topic polls, 1 from facilitators)", report.Text);
        Assert.Contains("- **Facilitation:** 3 members led 4 times: Alex 2, Priya 1, Sam 1 (evenness 50%: fewest ÷ most turns)", report.Text);
        Assert.Contains("- **Poll turnout:** 50% (4 of 8 possible votes: 2 polls, each counted against the members the group had when it closed)", report.Text);
        Assert.Contains("- **Concerns acknowledged within the target time:** 1 of 2 (50%)", report.Text);
        Assert.Contains("- **Sessions:** 3 held, 1 cancelled", report.Text);
        Assert.DoesNotContain("noisy", report.Text);

        var csv = Encoding.UTF8.GetString(Assert.Single(report.Attachments, a => a.MediaType == "text/csv").Content);
        Assert.Contains("member_proposed_share,0.833,", csv);
        Assert.Contains("facilitation_evenness,0.500,", csv);
        Assert.Contains("poll_turnout,0.500,", csv);
        Assert.Contains("concerns_acknowledged_in_time,1,", csv);
        Assert.Contains("sessions_held,3,", csv);
        Assert.Contains("sessions_cancelled,1,", csv);
        Assert.Contains("turns,2,Alex\r\n", csv);

        var png = Assert.Single(report.Attachments, a => a.MediaType == "image/png");
        Assert.Equal("coproduction-2026-11-01-to-2026-11-30.png", png.FileName);
        AssertValidPng(png.Content);
        // The title drawn on the chart reads as the report's title does (the file name and CSV keep ISO dates).
        const string human = "Tuesday Peers  1 Nov 2026 – 30 Nov 2026";
        var columns = 16 + PngChart.Measure(human) + 16;
        Assert.Equal(TitleBand(PngChart.Bars(human, []), columns), TitleBand(png.Content, columns));
        Assert.NotEqual(TitleBand(PngChart.Bars("Tuesday Peers  2026-11-01 - 2026-11-30", []), columns), TitleBand(png.Content, columns));

        // A period with nothing in it says so rather than dividing by zero.
        var empty = Assert.Single(await bot.SendAsync(Fran, "record report 2026-10"));
        Assert.Contains("no data (0 of 0", empty.Text);
        Assert.Contains("Warning", Assert.Single(await bot.SendAsync(Fran, "record report last tuesday")).Tone.ToString());
    }

    [Fact]
    public async Task Members_see_you_said_we_did_and_concerns_only_with_a_published_outcome()
    {
        await using var bot = await ScriptedNovemberAsync();
        var reply = Assert.Single(await bot.SendAsync(Sam, "record"));
        Assert.Equal(ReplyVisibility.Private, reply.Visibility);
        Assert.True(reply.Text.Contains("**You said**"), reply.Text);
        Assert.Contains("poll \"What next?\": chosen: Sleep (3 of 4 members voted)", reply.Text);
        Assert.Contains("poll \"Which game?\": chosen: Bingo (1 of 4 members voted)", reply.Text);
        Assert.Contains("- Agenda for Thu 5 Nov, 18:00 GMT: 5 of 6 items from members", reply.Text);
        Assert.Contains("**We did**", reply.Text);
        Assert.Contains("- Rota for Thu 5 Nov, 18:00 GMT: facilitator Alex, co-facilitator Sam", reply.Text);
        Assert.True(reply.Text.Contains("a concern about How the group is run was resolved: We have booked a quieter room from December."), reply.Text);
        Assert.True(reply.Text.Contains("- Thu 19 Nov, 18:00 GMT: session cancelled: staff training"), reply.Text);
        Assert.Contains("- Thu 26 Nov, 18:00 GMT: session held", reply.Text);
        // Concern #2 has no published outcome, and no concern's text is ever on the record.
        Assert.Single(reply.Text.Split('\n'), l => l.Contains("concern"));
        Assert.DoesNotContain(await bot.DumpStoreAsync(), d => d.Key.Contains("/record/") && (d.Text.Contains("noisy") || d.Text.Contains("interrupting")));
    }

    [Fact]
    public async Task After_a_member_erases_their_data_the_record_and_report_still_count_their_turns()
    {
        await using var bot = await ScriptedNovemberAsync();
        await bot.ClickAsync(Alex, "me:erase:confirm", PrivateOf(Alex));

        var report = Assert.Single(await bot.SendAsync(Fran, "record report 2026-11"));
        Assert.Contains("- **Facilitation:** 3 members led 4 times: a member 2, Priya 1, Sam 1 (evenness 50%", report.Text);
        Assert.Contains("83% (5 of 6;", report.Text);
        Assert.Contains("50% (4 of 8 possible votes", report.Text);
        Assert.Contains("facilitator a member, co-facilitator Sam", Assert.Single(await bot.SendAsync(Sam, "record")).Text);
        var alexKey = bot.Directory.MemberKey(Alex.MemberId);
        Assert.DoesNotContain(await bot.DumpStoreAsync(), d => d.Text.Contains("Alex") || d.Text.Contains("playground:alex") || d.Text.Contains(alexKey) || d.Key.Contains(alexKey));
    }

    [Fact]
    public async Task The_record_counts_who_actually_led_after_a_swap_and_drops_turns_of_a_cancelled_session()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();
        await bot.SendAsync(Fran, "session schedule weekly thursday 18:00");
        await bot.SendAsync(Fran, "rota poll 2");
        var rota = RotaTestKit.PollId(bot);
        await RotaTestKit.MarkAsync(bot, Alex, rota, 0, "facilitator");
        await RotaTestKit.MarkAsync(bot, Sam, rota, 1, "facilitator");
        await bot.SendAsync(Fran, "rota close");

        // Alex hands the 5 Nov turn to Priya; the 12 Nov session is cancelled.
        await bot.SendAsync(Alex, "rota swap 1 @Priya", RotaTestKit.Mention(Priya));
        var request = bot.Playground.PrivatesTo(Priya.MemberId).Last().Reply;
        await bot.ClickAsync(Priya, request.Buttons[0].ActionId, PrivateOf(Priya));
        await bot.SendAsync(Fran, "session cancel 2026-11-12");
        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 30, 12, 0));

        var text = Assert.Single(await bot.SendAsync(Fran, "record report 2026-11")).Text;
        Assert.Contains("- **Facilitation:** 1 member led 1 time: Priya 1 (evenness 100%", text);
        Assert.Contains("- **Sessions:** 3 held, 1 cancelled", text);
    }

    [Fact]
    public async Task Facilitators_set_retention_and_the_weekly_sweep_removes_old_history()
    {
        await using var bot = await ScriptedNovemberAsync();
        Assert.Contains("for facilitators", Assert.Single(await bot.SendAsync(Alex, "record keep polls 30")).Text);
        var shown = Assert.Single(await bot.SendAsync(Fran, "record keep"));
        Assert.Contains("Closed polls: **365 days**", shown.Text);
        var set = Assert.Single(await bot.SendAsync(Fran, "record keep polls 30"));
        Assert.Equal(ReplyTone.Success, set.Tone);
        Assert.Contains("Closed polls: **30 days**", set.Text);
        await bot.SendAsync(Fran, "record keep agendas 20");
        await bot.SendAsync(Fran, "record keep record 60");
        Assert.Equal(ReplyTone.Warning, Assert.Single(await bot.SendAsync(Fran, "record keep polls forever")).Tone);

        // The sweep runs weekly at 03:00 UTC (10 Nov, 17 Nov, … 1 Dec, 8 Dec). Poll 1 closed on 2 Nov: the 1 Dec sweep
        // keeps it (30 days back is 1 Nov), the 8 Dec sweep removes it.
        await bot.RunUntilAsync(Instant.FromUtc(2026, 12, 7, 12, 0));
        Assert.NotNull(await bot.Documents.GetValueAsync<Core.Polls.PollDocument>(Core.Polls.PollDocument.KeyFor((await bot.GroupAsync()).Id, "1")));
        await bot.RunUntilAsync(Instant.FromUtc(2026, 12, 8, 12, 0));
        Assert.Null(await bot.Documents.GetValueAsync<Core.Polls.PollDocument>(Core.Polls.PollDocument.KeyFor((await bot.GroupAsync()).Id, "1")));
        // Agenda texts go after 20 days (the counts stay); November's record goes at the first sweep 60 days after
        // the month ended (2 Feb 2027).
        var text = Assert.Single(await bot.SendAsync(Fran, "record report 2026-11")).Text;
        Assert.Contains("83% (5 of 6;", text);
        Assert.DoesNotContain(await bot.DumpStoreAsync(), d => d.Key.Contains("/record/") && d.Text.Contains("Check-in round"));
        await bot.RunUntilAsync(Instant.FromUtc(2027, 1, 31, 12, 0));
        Assert.Contains(await bot.DumpStoreAsync(), d => d.Key.EndsWith("/record/2026-11"));
        await bot.RunUntilAsync(Instant.FromUtc(2027, 2, 3, 12, 0));
        Assert.DoesNotContain(await bot.DumpStoreAsync(), d => d.Key.EndsWith("/record/2026-11"));
    }

    [Fact]
    public void The_chart_is_wide_enough_for_its_longest_value_and_title()
    {
        const string title = "A group with a really rather long name indeed  1 Nov 2026 – 30 Nov 2026";
        var png = PngChart.Bars(title,
            [new PngChart.Bar("Items from members", null, "no data"), new PngChart.Bar("Poll turnout", 0.8, "80%")]);
        var (width, height, pixels) = Decode(png);
        Assert.True(width > 640 && width >= 16 + PngChart.Measure(title) + 16, $"{width} px");
        AssertNothingAtTheRightEdge(width, height, pixels);
    }

    /// <summary>The columns (x) where the first bar's label has ink, read back from the decoded PNG.</summary>
    private static List<int> InkedColumnsOfFirstLabel(string label)
    {
        var (width, _, pixels) = Decode(PngChart.Bars("Chart", [new PngChart.Bar(label, 0.5, "50%")]));
        var columns = new List<int>();
        for (var x = 0; x < 300; x++)
            for (var y = 56 + 8; y < 56 + 8 + 18; y++)
            {
                var at = y * (1 + width * 3) + 1 + x * 3;
                if (pixels[at] != 255) { columns.Add(x); break; }
            }
        return columns;
    }

    /// <summary>The pixels of the title row (above the first bar), over the first <paramref name="columns"/> columns.</summary>
    private static byte[] TitleBand(byte[] png, int columns)
    {
        var (width, _, pixels) = Decode(png);
        Assert.True(width >= columns, $"the chart is {width} px wide, narrower than its title's {columns} px");
        return [.. Enumerable.Range(0, 56).SelectMany(y => pixels.Skip(y * (1 + width * 3) + 1).Take(columns * 3))];
    }

    private static byte[] LabelPixels(string label)
    {
        var (width, _, pixels) = Decode(PngChart.Bars("Chart", [new PngChart.Bar(label, 0.5, "50%")]));
        return [.. Enumerable.Range(56, 44).SelectMany(y => pixels.Skip(y * (1 + width * 3) + 1).Take(300 * 3))];
    }

    [Fact]
    public void The_chart_font_is_proportional_narrow_letters_take_less_room_than_wide_ones()
    {
        var narrow = InkedColumnsOfFirstLabel("il");
        var wide = InkedColumnsOfFirstLabel("WM");
        var narrowSpan = narrow.Max() - narrow.Min() + 1;
        var wideSpan = wide.Max() - wide.Min() + 1;
        Assert.True(narrowSpan * 3 < wideSpan, $"'il' spans {narrowSpan} px, 'WM' {wideSpan} px");
        Assert.True(PngChart.Measure("il") < PngChart.Measure("WM"));
        Assert.True(PngChart.Measure("Poll turnout") < PngChart.Measure("POLL TURNOUT"));
    }

    [Fact]
    public void The_chart_draws_lower_case_as_lower_case()
    {
        Assert.NotEqual(LabelPixels("A"), LabelPixels("a"));
        Assert.NotEqual(LabelPixels("Poll turnout"), LabelPixels("POLL TURNOUT"));
        Assert.NotEmpty(InkedColumnsOfFirstLabel("a"));
        // A descender reaches below the baseline, where "o" has no ink.
        Assert.NotEqual(LabelPixels("g"), LabelPixels("o"));
    }

    [Fact]
    public void Every_letter_and_digit_has_a_glyph_of_its_own_and_accents_fall_back_to_the_base_letter()
    {
        var question = ChartFont.Of('?');
        foreach (var c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789%:-–/.,()'&+!")
            Assert.NotSame(question, ChartFont.Of(c));
        Assert.Equal(26 * 2 + 10, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".Select(ChartFont.Of).Distinct().Count());
        Assert.Same(ChartFont.Of('e'), ChartFont.Of('é'));
        Assert.Same(question, ChartFont.Of('☃')); // drawn as '?', never silently left out
    }

    private static void AssertValidPng(byte[] png)
    {
        var (width, height, pixels) = Decode(png);
        Assert.InRange(width, 560, 1200); // sized to fit the longest label, value or title
        // The member-share bar (83% of 240 px) is drawn in the bar colour.
        var row = 56 + 15;
        var x = 300 + 100;
        var p = row * (1 + width * 3) + 1 + x * 3;
        Assert.Equal(new byte[] { 46, 125, 110 }, pixels[p..(p + 3)]);
        AssertNothingAtTheRightEdge(width, height, pixels);
    }

    /// <summary>Checks the PNG's structure and returns its size and raw scanlines (filter byte + RGB per row).</summary>
    private static (int Width, int Height, byte[] Pixels) Decode(byte[] png)
    {
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        var at = 8;
        int width = 0, height = 0;
        using var idat = new MemoryStream();
        var types = new List<string>();
        while (at < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var type = Encoding.ASCII.GetString(png, at + 4, 4);
            types.Add(type);
            var data = png.AsSpan(at + 8, length);
            if (type == "IHDR") { width = BinaryPrimitives.ReadInt32BigEndian(data); height = BinaryPrimitives.ReadInt32BigEndian(data[4..]); }
            if (type == "IDAT") idat.Write(data);
            if (type == "IEND") Assert.Equal(0xAE426082u, BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length))); // every PNG's IEND CRC
            at += 12 + length;
        }
        Assert.Equal(["IHDR", "IDAT", "IEND"], types);
        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress)) zlib.CopyTo(inflated);
        var pixels = inflated.ToArray();
        Assert.Equal(height * (1 + width * 3), pixels.Length);
        return (width, height, pixels);
    }

    /// <summary>Nothing is cut off: the last 8 pixel columns are background (white) on every row.</summary>
    private static void AssertNothingAtTheRightEdge(int width, int height, byte[] pixels)
    {
        for (var y = 0; y < height; y++)
        {
            var at = y * (1 + width * 3) + 1 + (width - 8) * 3;
            Assert.True(pixels[at..(at + 8 * 3)].All(b => b == 255), $"Something is drawn at the right edge, row {y}.");
        }
    }
}
