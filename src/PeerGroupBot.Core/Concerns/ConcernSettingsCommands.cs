using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;

namespace PeerGroupBot.Core.Concerns;

/// <summary>
/// The group settings of <c>concern</c>: when facilitators read concerns (<c>concern hours</c>), who is alerted about
/// urgent ones (<c>concern lead</c>), the group's crisis contacts (<c>concern support</c>) and the privacy note
/// (<c>concern privacy</c>). Anyone may look; only facilitators may change.
/// </summary>
public sealed class ConcernSettingsCommands(ConcernDesk desk)
{
    public const int MaxSignpostingLength = 1500;

    private ConcernsOptions Options => desk.Options;

    public async Task<BotReply> HoursAsync(FlowContext context, CancellationToken cancellationToken)
    {
        if (context.Group is null) return ConcernFlow.NeedGroup(context, "concern hours");
        var group = context.Group;
        var arguments = context.Arguments.Trim();
        if (arguments.Length == 0)
        {
            var hours = (await desk.SettingsAsync(group.Id, cancellationToken)).Hours;
            var text = hours is null
                ? $"**{MarkdownText.Member(group.Name)}** hasn't set when its facilitators read concerns."
                : $"The facilitators of **{MarkdownText.Member(group.Name)}** read concerns {hours.Describe()} ({group.TimeZone} time).";
            if (context.IsFacilitator)
                text += " Change it with `concern hours weekdays 09:00-17:00` (days, then times), or `concern hours off`.";
            return BotReply.Private(text);
        }
        if (!context.IsFacilitator) return BotReply.Private("Only facilitators can change when concerns are read. Type `concern hours` to see when they are.");
        if (arguments.ToLowerInvariant() is "off" or "none" or "clear" or "always")
        {
            await desk.UpdateSettingsAsync(group.Id, s => s.Hours is null ? null : s with { Hours = null }, cancellationToken);
            return new BotReply { Text = "Reading hours cleared: concerns no longer get an out-of-hours notice.", Tone = ReplyTone.Success, Visibility = ReplyVisibility.Private };
        }
        var parsed = ReadingHours.TryParse(arguments, out var error);
        if (parsed is null) return BotReply.Warn(error + " Nothing was changed.");
        await desk.UpdateSettingsAsync(group.Id, s => s with { Hours = parsed }, cancellationToken);
        return new BotReply
        {
            Text = $"Facilitators read concerns {parsed.Describe()} ({group.TimeZone} time). A concern raised outside these hours is answered at once "
                 + "with when it will be read and with crisis contacts.",
            Tone = ReplyTone.Success,
            Visibility = ReplyVisibility.Private,
        };
    }

    public async Task<BotReply> LeadsAsync(FlowContext context, CancellationToken cancellationToken)
    {
        if (context.Group is null) return ConcernFlow.NeedGroup(context, "concern lead");
        if (!context.IsFacilitator) return BotReply.Private("Only facilitators can name safeguarding leads.");
        var group = context.Group;
        var action = ConversationRouter.SplitWord(context.Arguments).Word.ToLowerInvariant();
        var mentions = context.Input.Mentions;
        if (action is "add" or "remove" && mentions.Count == 0)
            return BotReply.Warn(context.UnknownMention() is { } unknown ? FlowContext.UnknownMemberText(unknown) : $"Mention the member: `concern lead {action} @name`.");
        var names = string.Join(", ", mentions.Select(m => m.DisplayName));
        switch (action)
        {
            case "add":
                await desk.UpdateSettingsAsync(group.Id, s => s with
                {
                    SafeguardingLeads = [.. s.SafeguardingLeads, .. mentions.Where(m => !s.IsLead(m.MemberId)).DistinctBy(m => m.MemberId).Select(m => new Facilitator(m.MemberId, m.DisplayName))],
                }, cancellationToken);
                return new BotReply
                {
                    Text = $"{names} {(mentions.Count == 1 ? "is" : "are")} now a safeguarding lead for **{MarkdownText.Member(group.Name)}**: I'll alert them privately about urgent concerns straight away.",
                    Tone = ReplyTone.Success,
                    Visibility = ReplyVisibility.Private,
                };
            case "remove":
                var removing = mentions.Select(m => m.MemberId).ToHashSet();
                await desk.UpdateSettingsAsync(group.Id, s => s with { SafeguardingLeads = [.. s.SafeguardingLeads.Where(l => !removing.Contains(l.MemberId))] }, cancellationToken);
                return new BotReply { Text = $"{names} will no longer be alerted about urgent concerns.", Tone = ReplyTone.Success, Visibility = ReplyVisibility.Private };
            default:
                var leads = (await desk.SettingsAsync(group.Id, cancellationToken)).SafeguardingLeads;
                return BotReply.Private(leads.Count == 0
                    ? "No safeguarding leads are named yet. Add one with `concern lead add @member`: they'll be alerted privately about urgent concerns."
                    : $"Safeguarding leads: {string.Join(", ", leads.Select(l => l.DisplayName))}. Use `concern lead add @member` or `concern lead remove @member`.");
        }
    }

    public async Task<BotReply> SupportAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var (word, rest) = ConversationRouter.SplitWord(context.Arguments);
        word = word.ToLowerInvariant();
        if (word.Length == 0)
        {
            var settings = context.Group is null ? new ConcernSettings() : await desk.SettingsAsync(context.Group.Id, cancellationToken);
            return ConcernCards.Signposting(desk.SignpostingFor(settings));
        }
        if (context.Group is null) return ConcernFlow.NeedGroup(context, "concern support");
        if (!context.IsFacilitator) return BotReply.Private("Only facilitators can change the group's crisis contacts. Type `concern support` to see them.");
        var group = context.Group;
        if (word is "default" or "reset")
        {
            await desk.UpdateSettingsAsync(group.Id, s => s.Signposting is null ? null : s with { Signposting = null }, cancellationToken);
            return new BotReply { Text = "Crisis contacts reset to the default (UK) list.", Tone = ReplyTone.Success, Visibility = ReplyVisibility.Private };
        }
        if (word != "set" || rest.Length == 0)
            return BotReply.Private("Use `concern support` to see the crisis contacts, `concern support set <text>` to use your group's own, or `concern support default`.");
        if (rest.Length > MaxSignpostingLength) return BotReply.Warn($"Crisis contacts can be up to {MaxSignpostingLength:N0} characters. Nothing was changed.");
        await desk.UpdateSettingsAsync(group.Id, s => s with { Signposting = rest }, cancellationToken);
        return new BotReply { Text = "Saved. Members whose concern suggests risk, or who raise one out of hours, will now see:\n\n" + rest, Tone = ReplyTone.Success, Visibility = ReplyVisibility.Private };
    }

    public BotReply PrivacyNote() => new()
    {
        Title = "How anonymous concerns work",
        Text = "- Type `concern` and fill in the form. Only you see it; nothing appears in the group's channel.\n"
             + "- The facilitators see your words, the category you picked and a number. Never your name or account.\n"
             + (Options.PostDelayMaxMinutes == 0
                 ? "- It reaches them straight away (this group's bot is set up with no delay).\n"
                 : $"- It reaches them after a random delay ({Options.PostDelayWords()}; straight away if it sounds urgent), so the timing doesn't point to you either.\n")
             + "- If you allow replies, I keep your account id encrypted, apart from the concern, only until it is resolved. If you choose no replies, nothing links it back to you.\n"
             + $"- To stop anyone flooding the facilitators, I count concerns per person per day under a code that changes daily; the counts are deleted the next day. The limit is {Options.MaxPerMemberPerDay} a day.\n"
             + $"- Resolved concerns are deleted after {Options.RetentionDays} days.\n"
             + "- I'm a bot, not a clinician. For support right now, type `concern support`.",
        Visibility = ReplyVisibility.Private,
    };
}
