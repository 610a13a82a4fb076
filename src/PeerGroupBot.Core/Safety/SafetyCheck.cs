using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using PeerGroupBot.Core.Concerns;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Outbound;

namespace PeerGroupBot.Core.Safety;

/// <summary>
/// The risk check the router runs on every text a member sends, before any flow sees it: the typed text (slash
/// command options arrive flattened into it) and every form value (Discord modal fields, Teams card inputs, playground
/// forms). When the words suggest risk the member gets <see cref="CrisisReply"/> privately at once and what they sent
/// is held (<see cref="HeldInputs"/>) until they choose what happens to it, so nothing reaches a channel first.
/// Concern forms are the exception: the concern goes on, marked urgent (the flow reads <see cref="FlowContext.SuggestsRisk"/>).
/// Nothing about a match is logged; a metric counts matches and nothing else.
/// </summary>
public sealed class SafetyCheck(HeldInputs held, ConcernDesk desk, IEnumerable<IPlatformMessenger> messengers, IOptions<ConcernsOptions> options)
{
    /// <summary>The first segment of the hold's button ids ("safety:add:{id}", "safety:drop:{id}").</summary>
    public const string ActionFlow = "safety";

    private static readonly Meter Meter = new("PeerGroupBot.Safety");
    private static readonly Counter<long> Matches = Meter.CreateCounter<long>(
        "peergroupbot.safety.risk_matches", description: "Inputs whose words suggested risk. A count only: nothing about who or what.");

    private readonly Lazy<RiskDetector> _detector = new(() => new RiskDetector(Settings(options).EffectiveRiskPhrases));

    /// <summary>
    /// The concern settings, or the defaults when they fail validation for a reason that has nothing to do with risk
    /// (no concerns key yet): the check and the crisis contacts must work whatever else is misconfigured.
    /// </summary>
    private static ConcernsOptions Settings(IOptions<ConcernsOptions> options)
    {
        try
        {
            return options.Value;
        }
        catch (OptionsValidationException)
        {
            return new ConcernsOptions();
        }
    }

    /// <summary>True when the input's text or any of its form values suggests risk.</summary>
    public bool SuggestsRisk(BotInput input)
    {
        var risky = _detector.Value.Matches(input.Text) || input.Values.Values.Any(_detector.Value.Matches);
        if (risky) Matches.Add(1);
        return risky;
    }

    /// <summary>
    /// Texts that are not a member speaking about themselves: a facilitator's reply to a concern and the group's crisis
    /// contacts (<c>concern support set</c>), which are about risk by nature.
    /// </summary>
    public static bool IsExempt(string flow, string verb, BotInput input)
        => flow == "concern" && ((input.Kind == InputKind.Form && verb == "reply") || (input.Kind == InputKind.Message && verb == "support"));

    /// <summary>Concern forms carry on: the concern is raised (or the answer sent) marked urgent, with crisis contacts.</summary>
    public static bool FlowHandlesRisk(string flow, string verb, BotInput input)
        => flow == "concern" && input.Kind == InputKind.Form && verb is "raise" or "answer";

    /// <summary>
    /// Holds <paramref name="input"/> (as the adapter built it, before linked accounts were resolved) and answers with
    /// the crisis contacts. <paramref name="releasable"/>: the input was on its way to a flow, so "add it as written" is
    /// offered; otherwise (free text, help) only the concern and support buttons.
    /// </summary>
    public async Task<BotReply> HoldAsync(BotInput input, GroupDocument? group, bool releasable, string concernText, CancellationToken cancellationToken)
    {
        var id = await held.HoldAsync(new HeldInput(input, input.Actor.MemberId, releasable, concernText.Trim()), cancellationToken).ConfigureAwait(false);
        return CrisisReply.For(await SignpostingAsync(group, cancellationToken).ConfigureAwait(false), id, releasable);
    }

    /// <summary>The words a concern form would be pre-filled with: the text after the command, or the form values that matched.</summary>
    public string ConcernTextOf(BotInput input, string arguments)
    {
        if (input.Kind == InputKind.Message) return arguments.Length > 0 ? arguments : input.Text;
        var matching = input.Values.Values.Where(_detector.Value.Matches).ToList();
        return string.Join("\n", matching.Count > 0 ? matching : input.Values.Values.Where(v => v.Length > 0));
    }

    /// <summary>
    /// "Add it as written" or "Drop it" on a hold. Adding runs the held input again through the router without the
    /// check (<paramref name="rerun"/>); what it would have said in the channel is posted there, the rest comes back
    /// privately to whoever clicked.
    /// </summary>
    public async Task<IReadOnlyList<BotReply>> ChoiceAsync(
        BotInput click, string accountId, string verb, IReadOnlyList<string> args,
        Func<BotInput, Task<IReadOnlyList<BotReply>>> rerun, CancellationToken cancellationToken)
    {
        var taken = args.Count == 1 && verb is "add" or "drop"
            ? await held.TakeAsync(args[0], click.Actor.MemberId, accountId, cancellationToken).ConfigureAwait(false)
            : null;
        if (taken is null)
            return [BotReply.Private("That choice has expired, so I dropped what you wrote: nothing was added or sent, and I haven't kept it. "
                + "You can send it again any time. If you'd like to talk to someone now, type `concern support`.")];
        if (verb == "drop" || !taken.Releasable)
            return [BotReply.Private("Dropped. Nothing was added or sent, and I haven't kept your words. "
                + "If you'd like to talk to someone, `concern support` lists people who can help right now, and `concern` reaches the facilitators anonymously.")];

        var original = taken.Input with { SourceMessageId = null };
        var replies = await rerun(original).ConfigureAwait(false);
        if (replies.Any(r => r.Form is not null)) return replies.Where(r => r.Form is not null).Take(1).ToList();
        var answer = new List<BotReply>();
        var messenger = messengers.FirstOrDefault(m => m.Platform == original.Place.Platform);
        foreach (var reply in replies)
        {
            var forChannel = reply.Visibility == ReplyVisibility.Channel && !original.Place.IsPrivate;
            if (forChannel && messenger is not null)
            {
                try
                {
                    await messenger.PostAsync(original.Place.ChannelId, reply with { UpdatesSource = false }, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    answer.Add(BotReply.Warn("It was added, but I couldn't post the confirmation in the channel just now."));
                    continue;
                }
            }
            answer.Add(reply with { UpdatesSource = false, Visibility = ReplyVisibility.Private });
        }
        answer.Insert(0, BotReply.Private("Done: I've sent it on as you wrote it."));
        return answer;
    }

    private async Task<string> SignpostingAsync(GroupDocument? group, CancellationToken cancellationToken)
        => (group is null ? null : (await desk.SettingsAsync(group.Id, cancellationToken).ConfigureAwait(false)).Signposting) ?? Settings(options).Signposting;
}
