using PeerGroupBot.Core.Polls;

namespace PeerGroupBot.Core.Tests.Polls;

public class PollDraftTests
{
    private static PollDraft Parse(string text)
    {
        Assert.True(PollDraft.TryParseLine(text, out var draft, out var error), error);
        return draft!;
    }

    [Fact]
    public void The_documented_one_line_form_reads_question_options_and_settings()
    {
        var draft = Parse("\"Question?\" option A | option B | option C closes friday 18:00 mode approval");
        Assert.Equal("Question?", draft.Question);
        Assert.Equal(["option A", "option B", "option C"], draft.Options);
        Assert.Equal("friday 18:00", draft.ClosesText);
        Assert.Equal(PollMode.Approval, draft.Mode);
        Assert.True(draft.Anonymous);
    }

    [Theory]
    [InlineData("What next? Sleep | Boundaries | Holidays", "What next?")]
    [InlineData("What next?Sleep|Boundaries|Holidays", "What next?")]
    [InlineData("Topics for December: Sleep; Boundaries; Holidays", "Topics for December")]
    [InlineData("“What next?” Sleep | Boundaries | Holidays", "What next?")]
    [InlineData("What next?\nSleep\nBoundaries\nHolidays", "What next?")]
    [InlineData("What next\n1. Sleep\n2. Boundaries\n- Holidays", "What next")]
    public void Questions_end_at_a_question_mark_colon_quote_or_line_break(string text, string question)
    {
        var draft = Parse(text);
        Assert.Equal(question, draft.Question);
        Assert.Equal(["Sleep", "Boundaries", "Holidays"], draft.Options);
    }

    [Theory]
    [InlineData("What next? A | B closes in 2 days", "in 2 days", PollMode.Single, true)]
    [InlineData("What next? A | B mode ranked closes tomorrow 6pm", "tomorrow 6pm", PollMode.Ranked, true)]
    [InlineData("What next? A | B closes fri 6pm ranked named", "fri 6pm", PollMode.Ranked, false)]
    [InlineData("What next? A | B anonymous no", null, PollMode.Single, false)]
    [InlineData("What next? A | B Mode: Approval, closes: 2026-12-01 18:30", "2026-12-01 18:30", PollMode.Approval, true)]
    [InlineData("What next? A | B mode ranked choice", null, PollMode.Ranked, true)]
    public void Settings_can_come_in_any_order_after_the_last_option(string text, string? closes, PollMode mode, bool anonymous)
    {
        var draft = Parse(text);
        Assert.Equal(["A", "B"], draft.Options);
        Assert.Equal(closes, draft.ClosesText);
        Assert.Equal(mode, draft.Mode);
        Assert.Equal(anonymous, draft.Anonymous);
    }

    [Theory]
    [InlineData("What next? A | B anonymous live", true)]
    [InlineData("What next? A | B closes friday anonymous live mode approval", true)]
    [InlineData("What next? A | B anonymous no", false)]
    public void Anonymous_live_asks_for_live_results_in_steps(string text, bool live)
    {
        var draft = Parse(text);
        Assert.Equal(["A", "B"], draft.Options);
        Assert.Equal(live, draft.LiveResults);
        Assert.Equal(live, draft.Anonymous);
    }

    [Theory]
    [InlineData("live", true, true)]
    [InlineData("yes", true, false)]
    [InlineData("no", false, false)]
    public void The_form_offers_live_results_as_a_kind_of_anonymous(string choice, bool anonymous, bool live)
    {
        Assert.True(PollDraft.TryParseForm(new Dictionary<string, string> { ["question"] = "What next?", ["options"] = "A\nB", ["anonymous"] = choice }, out var draft, out _));
        Assert.Equal(anonymous, draft!.Anonymous);
        Assert.Equal(live, draft.LiveResults);
    }

    [Theory]
    [InlineData("What next? Staying anonymous | Anonymous concerns", "Staying anonymous", "Anonymous concerns")]
    [InlineData("What next? Being single | Public speaking", "Being single", "Public speaking")]
    [InlineData("What next? Mode of support | Making ends meet", "Mode of support", "Making ends meet")]
    public void Words_that_look_like_settings_stay_in_options_when_they_are_not_settings(string text, string first, string second)
    {
        var draft = Parse(text);
        Assert.Equal([first, second], draft.Options);
        Assert.Equal(PollMode.Single, draft.Mode);
        Assert.True(draft.Anonymous);
        Assert.Null(draft.ClosesText);
    }

    [Fact]
    public void A_question_alone_collects_suggestions()
    {
        var draft = Parse("What should we talk about in December? closes in 1 week");
        Assert.Equal("What should we talk about in December?", draft.Question);
        Assert.Empty(draft.Options);
        Assert.Equal("in 1 week", draft.ClosesText);
        Assert.Null(draft.Problem());

        Assert.Equal("What should we talk about", Parse("What should we talk about").Question);
    }

    [Theory]
    [InlineData("\"What next? A | B", "closing quote")]
    [InlineData("Topics A | B | C", "where the question ends")]
    [InlineData("What next? A | B mode sideways", "voting mode")]
    [InlineData("What next? A | B closes", "When should the poll close")]
    public void Unreadable_lines_say_what_to_write_instead(string text, string expected)
    {
        Assert.False(PollDraft.TryParseLine(text, out _, out var error));
        Assert.Contains(expected, error);
    }

    [Fact]
    public void Limits_are_explained()
    {
        Assert.Contains("up to 300", Parse(new string('q', 301) + "? A | B").Problem());
        Assert.Null(Parse(new string('q', 299) + "? A | B").Problem());
        Assert.Contains("at least 2 options", Parse("Q? Only one").Problem());
        Assert.Contains("up to 20", Parse("Q? " + string.Join(" | ", Enumerable.Range(1, 21).Select(i => $"Topic {i}"))).Problem());
        Assert.Null(Parse("Q? " + string.Join(" | ", Enumerable.Range(1, 20).Select(i => $"Topic {i}"))).Problem());
        Assert.Contains("Option 2 is 101 characters", Parse("Q? A | " + new string('b', 101)).Problem());
        Assert.Null(Parse("Q? A | " + new string('b', 100)).Problem());
        Assert.Contains("Options 1 and 3 are the same", Parse("Q? Sleep | Rest | sleep ").Problem());
        Assert.Contains("What's the question", Parse("\"\" A | B").Problem());
    }

    [Theory]
    [InlineData("Sleep", "sleep")]
    [InlineData("Sleep  well", "sleep well")]
    [InlineData("Sleep well", "SleepWell")]
    [InlineData("Sleep well!", "sleep well")]
    public void Duplicates_ignore_case_spacing_and_closing_punctuation(string a, string b) => Assert.True(PollDraft.SameTopic(a, b));

    [Fact]
    public void Different_topics_are_not_duplicates() => Assert.False(PollDraft.SameTopic("Sleep", "Sleep hygiene"));

    [Fact]
    public void Control_characters_and_odd_spacing_are_cleaned_from_what_members_type()
    {
        Assert.Equal("Sleep and rest", PollDraft.CleanText(" Sleep\u0000\u200b and\t\trest \u2028"));
        var draft = Parse("Q?\u0007 A\u0001 | B");
        Assert.Equal(["A", "B"], draft.Options);
    }

    [Fact]
    public void The_form_reads_options_one_per_line_and_its_choices()
    {
        Assert.True(PollDraft.TryParseForm(new Dictionary<string, string>
        {
            ["question"] = "What next?",
            ["options"] = "Sleep\n\nBoundaries\r\nHolidays\n",
            ["mode"] = "ranked",
            ["anonymous"] = "no",
            ["closes"] = "friday 18:00",
        }, out var draft, out var error), error);
        Assert.Equal(["Sleep", "Boundaries", "Holidays"], draft!.Options);
        Assert.Equal(PollMode.Ranked, draft.Mode);
        Assert.False(draft.Anonymous);
        Assert.Equal("friday 18:00", draft.ClosesText);

        Assert.True(PollDraft.TryParseForm(new Dictionary<string, string> { ["question"] = "Q?" }, out var defaults, out _));
        Assert.Equal(PollMode.Single, defaults!.Mode);
        Assert.True(defaults.Anonymous);
        Assert.Null(defaults.ClosesText);

        Assert.False(PollDraft.TryParseForm(new Dictionary<string, string> { ["question"] = "Q?", ["mode"] = "sideways" }, out _, out var modeError));
        Assert.Contains("single, approval or ranked", modeError);
    }
}
