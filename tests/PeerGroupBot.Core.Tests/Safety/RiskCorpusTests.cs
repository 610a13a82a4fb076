using System.Diagnostics;
using PeerGroupBot.Core.Concerns;
using Xunit.Abstractions;

namespace PeerGroupBot.Core.Tests.Safety;

/// <summary>
/// The risk check measured, not asserted: every sentence of <c>risk-corpus.txt</c> (ways people say they are at risk,
/// and everyday sentences sharing their words) goes through the detector with the built-in settings. The figures are
/// printed and must stay at or above 97% recall and at or below 5% false alarms (the README quotes them).
/// </summary>
public class RiskCorpusTests(ITestOutputHelper output)
{
    public const double MinRecall = 0.97;
    public const double MaxFalseAlarms = 0.05;

    public sealed record Sentence(string Section, string Text, bool Risk);

    public const string TuningCorpus = "risk-corpus.txt";

    /// <summary>Reads a corpus file of this folder: <c>[risk: …]</c> / <c>[everyday: …]</c> sections, one sentence a line.</summary>
    public static IReadOnlyList<Sentence> Load(string file = TuningCorpus)
    {
        var path = Path.Combine(Testing.RepositoryRoot.Find(), "tests", "PeerGroupBot.Core.Tests", "Safety", file);
        var sentences = new List<Sentence>();
        string? section = null;
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.StartsWith('[')) { section = line.Trim('[', ']'); continue; }
            if (section is null) throw new InvalidDataException($"A sentence before any section: {line}");
            sentences.Add(new Sentence(section, line, section.StartsWith("risk", StringComparison.Ordinal)));
        }
        return sentences;
    }

    [Fact]
    public void The_corpus_holds_at_least_150_risk_phrasings_across_every_family_and_150_everyday_sentences()
        => AssertCoversEveryFamily(Load(), atLeast: 150);

    /// <summary>At least <paramref name="atLeast"/> risk and everyday sentences, and 15 or more in each of the six families.</summary>
    public static void AssertCoversEveryFamily(IReadOnlyList<Sentence> corpus, int atLeast)
    {
        Assert.True(corpus.Count(s => s.Risk) >= atLeast, $"{corpus.Count(s => s.Risk)} risk sentences");
        Assert.True(corpus.Count(s => !s.Risk) >= atLeast, $"{corpus.Count(s => !s.Risk)} everyday sentences");
        var families = corpus.Where(s => s.Risk).Select(s => s.Section).Distinct().ToList();
        Assert.Equal(6, families.Count);
        Assert.All(families, f => Assert.True(corpus.Count(s => s.Section == f) >= 15, f));
    }

    [Fact]
    public void Recall_is_at_least_97_percent_and_false_alarms_at_most_5_percent()
        => AssertMeetsThresholds(Load(), output);

    /// <summary>
    /// Runs every sentence through the detector with the built-in settings, prints recall, false alarms and each miss
    /// and alarm, and fails below <see cref="MinRecall"/> or above <see cref="MaxFalseAlarms"/>.
    /// </summary>
    public static void AssertMeetsThresholds(IReadOnlyList<Sentence> corpus, ITestOutputHelper output)
    {
        var detector = new RiskDetector(new ConcernsOptions().EffectiveRiskPhrases);
        var missed = corpus.Where(s => s.Risk && !detector.Matches(s.Text)).ToList();
        var alarms = corpus.Where(s => !s.Risk && detector.Matches(s.Text)).ToList();
        var risky = corpus.Count(s => s.Risk);
        var everyday = corpus.Count - risky;
        var recall = 1 - (double)missed.Count / risky;
        var falseAlarms = (double)alarms.Count / everyday;

        output.WriteLine($"recall {recall:P1} ({risky - missed.Count} of {risky}); false alarms {falseAlarms:P1} ({alarms.Count} of {everyday})");
        foreach (var s in missed) output.WriteLine($"missed   [{s.Section}] {s.Text}");
        foreach (var s in alarms) output.WriteLine($"alarmed  [{s.Section}] {s.Text}");

        Assert.True(recall >= MinRecall, $"Recall {recall:P1} is below {MinRecall:P0}. Missed: {string.Join(" | ", missed.Select(s => s.Text))}");
        Assert.True(falseAlarms <= MaxFalseAlarms, $"False alarms {falseAlarms:P1} are above {MaxFalseAlarms:P0}: {string.Join(" | ", alarms.Select(s => s.Text))}");
    }

    [Theory]
    [InlineData("this deadline is killing me")]
    [InlineData("that cake is to die for")]
    [InlineData("dying to hear how it went")]
    [InlineData("kill two birds with one stone")]
    [InlineData("my phone died")]
    [InlineData("dead tired")]
    [InlineData("end the meeting on time")]
    public void The_idioms_named_in_the_issue_never_trigger(string text)
        => Assert.False(new RiskDetector(RiskDetector.DefaultPhrases).Matches(text));

    /// <summary>
    /// Everyday sentences next to the phrasings the held-out review added (means named with a purpose, notes left "to
    /// find", "on purpose", "till it bleeds", a future or hope given up, threats reported): none of them may trigger.
    /// </summary>
    [Theory]
    [InlineData("the new cuts to the nhs budget are awful")]
    [InlineData("fresh cuts of meat at the market")]
    [InlineData("i cut my hair short on purpose")]
    [InlineData("i worked out how to do it in the end")]
    [InlineData("the best way to go is by train")]
    [InlineData("the easiest way to do it is online")]
    [InlineData("which tablets to take for a cold?")]
    [InlineData("i wrote notes for everyone in case they missed the session")]
    [InlineData("i left a note for my flatmate to find the keys")]
    [InlineData("nothing gets better than a sunday roast")]
    [InlineData("i dont see a future for me in this job")]
    [InlineData("lost hope in the council fixing the road")]
    [InlineData("thinking about jumping into the pool later")]
    [InlineData("thinking about driving into town")]
    [InlineData("this week is going to finish me off")]
    [InlineData("you wont have to see me again till tuesday")]
    [InlineData("people would be happier if the bus was on time")]
    [InlineData("we have a plan and a date for the wedding")]
    [InlineData("sick of living in this tiny flat")]
    [InlineData("we'll have fun, what the hell")]
    [InlineData("the egg shell cracked")]
    [InlineData("i keep picking at my nails, bad habit")]
    public void Everyday_sentences_next_to_the_held_out_phrasings_pass(string text)
        => Assert.False(new RiskDetector(RiskDetector.DefaultPhrases).Matches(text));

    [Theory]
    [InlineData("I DON’T want to be here anymore")]
    [InlineData("i dont want to be here anymore")]
    [InlineData("i do not want to be here anymore")]
    [InlineData("I cannot go on")]
    [InlineData("i cant go on")]
    [InlineData("Im going to end it")]
    [InlineData("i wanna diiiie")]
    [InlineData("i want 2 die")]
    [InlineData("suicdal")]
    [InlineData("kill my self")]
    [InlineData("self-harming again")]
    [InlineData("i od’d last night")]
    [InlineData("i sh'd again")]
    [InlineData("ive been cuttin again")]
    [InlineData("hes said next time he’ll finish me")]
    [InlineData("i want to dissapear forever")]
    public void Spelling_case_apostrophes_and_repeated_letters_do_not_hide_risk(string text)
        => Assert.True(new RiskDetector(RiskDetector.DefaultPhrases).Matches(text));

    [Theory]
    [InlineData("setup Tuesday Peers")]
    [InlineData("session schedule weekly tuesday 18:30 90m \"Zoom link\"")]
    [InlineData("poll new What next? Sleep | Boundaries | Holidays closes friday 18:00")]
    [InlineData("agenda add Tea and biscuits 15m")]
    [InlineData("me quiet 22:00-08:00")]
    public void Everyday_commands_pass(string text)
        => Assert.False(new RiskDetector(RiskDetector.DefaultPhrases).Matches(text));

    [Fact]
    public void A_phrase_does_not_run_across_sentences()
    {
        var detector = new RiskDetector([]);
        Assert.False(detector.Matches("I can't go. On Tuesday I'll bring cake."));
        Assert.True(detector.Matches("Honestly. I can't go on."));
    }

    [Fact]
    public void Checking_a_message_takes_microseconds_not_milliseconds()
    {
        var detector = new RiskDetector(new ConcernsOptions { ExtraRiskPhrases = ["no way out", "cant cope"] }.EffectiveRiskPhrases);
        var corpus = Load().Select(s => s.Text).ToList();
        var message = string.Join(' ', corpus.Where((_, i) => i % 40 == 1)); // several sentences, like a long concern
        foreach (var text in corpus) detector.Matches(text); // warm up
        var watch = Stopwatch.StartNew();
        var checks = 0;
        for (var round = 0; round < 20; round++)
        {
            foreach (var text in corpus) { detector.Matches(text); checks++; }
            detector.Matches(message);
            checks++;
        }
        watch.Stop();
        var perCheck = watch.Elapsed.TotalMilliseconds / checks;
        output.WriteLine($"{perCheck:F4} ms per check over {checks} checks");
        // A check costs microseconds on an idle machine; the bound is generous so a heavily loaded machine passes and
        // only a runaway (backtracking) pattern fails it.
        Assert.True(perCheck < 5.0, $"{perCheck:F3} ms per check");
    }
}
