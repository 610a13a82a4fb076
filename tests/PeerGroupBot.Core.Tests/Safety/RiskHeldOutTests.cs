using Xunit.Abstractions;

namespace PeerGroupBot.Core.Tests.Safety;

/// <summary>
/// The risk check on <c>risk-heldout.txt</c>: phrasings written by someone who had not seen the detector or its tuning
/// corpus, committed before the detector was measured on them. The tuning corpus says how well the detector fits what
/// it was built from; this set says how it does on text it was not built from. The same thresholds apply.
/// </summary>
public class RiskHeldOutTests(ITestOutputHelper output)
{
    public const string HeldOutCorpus = "risk-heldout.txt";

    [Fact]
    public void The_held_out_set_holds_at_least_100_risk_phrasings_across_every_family_and_100_everyday_sentences()
        => RiskCorpusTests.AssertCoversEveryFamily(RiskCorpusTests.Load(HeldOutCorpus), atLeast: 100);

    [Fact]
    public void The_held_out_set_shares_no_sentence_with_the_tuning_corpus()
    {
        static string Key(string text) => new string(text.ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());
        var tuning = RiskCorpusTests.Load().Select(s => Key(s.Text)).ToHashSet();
        var shared = RiskCorpusTests.Load(HeldOutCorpus).Where(s => tuning.Contains(Key(s.Text))).Select(s => s.Text).ToList();
        Assert.True(shared.Count == 0, "In both sets: " + string.Join(" | ", shared));
    }

    [Fact]
    public void Recall_on_the_held_out_set_is_at_least_97_percent_and_false_alarms_at_most_5_percent()
        => RiskCorpusTests.AssertMeetsThresholds(RiskCorpusTests.Load(HeldOutCorpus), output);
}
