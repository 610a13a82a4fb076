using System.Text;
using System.Text.RegularExpressions;
using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Sessions;

namespace PeerGroupBot.Core.Members;

/// <summary>
/// <c>me</c>: a member's own settings — quiet hours, their time zone, private nudges on or off — and their data
/// rights: <c>me export</c> and <c>me erase</c>; and <c>me link</c>, which makes their Teams and Discord accounts count as
/// one member. Works in the group channel or in private chat, and answers only the member.
/// </summary>
public sealed partial class MeFlow(MemberPreferencesStore preferences, MemberData data, AccountLinking linking, MemberLinks links) : IFlow
{
    public string Name => "me";

    public bool RequiresGroup => false;

    public string HelpSummary => "your settings, quiet hours, linked accounts, and your data";

    /// <summary>"help me" is someone asking for help, so this job's commands are <c>help settings</c> (and <c>help me settings</c>).</summary>
    public string HelpTopic => "settings";

    public IReadOnlyList<HelpEntry> Help { get; } =
    [
        new("me", "see your own settings"),
        new("me quiet 22:00-08:00", "hold private messages from me during these hours (`me quiet off` to stop); urgent safety messages still come"),
        new("me timezone Europe/London", "your own time zone, for quiet hours (`me timezone group` to use the group's)"),
        new("me nudges on|off|default", "private reminders and nudges; by default only rota reminders and session check-outs come"),
        new("me link", "link your Teams and Discord accounts so your votes and rota turns count once (I give you a code to send from the other account)"),
        new("me unlink", "separate your linked accounts again"),
        new("me export", "everything I hold that is linked to you, privately, as text and a file"),
        new("me erase", "remove or anonymise everything I hold about you (asks first)"),
    ];

    [GeneratedRegex(@"^(?<from>[0-9:.apm ]+?)\s*(?:-|–|to|until)\s*(?<until>[0-9:.apm ]+)$", RegexOptions.IgnoreCase)]
    private static partial Regex RangePattern();

    public async Task<IReadOnlyList<BotReply>> HandleAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var memberId = context.Actor.MemberId;
        var argument = context.Arguments.Trim();
        if (context.Input.Kind != InputKind.Message)
            return [await EraseActionAsync(context, cancellationToken)];
        switch (context.Verb)
        {
            case "" or "show" or "settings":
                return [Summary(await preferences.GetAsync(memberId, cancellationToken), await OtherPlatformAsync(context, cancellationToken), context)];
            case "link":
                return [argument.Length == 0 ? await IssueCodeAsync(context, cancellationToken) : await LinkAsync(context, argument, cancellationToken)];
            case "unlink":
                return [await UnlinkAsync(context, cancellationToken)];
            case "quiet":
                return [await QuietAsync(context, argument, cancellationToken)];
            case "timezone" or "tz" or "zone":
                return [await TimeZoneAsync(context, argument, cancellationToken)];
            case "nudges" or "nudge" or "reminders":
                return [await NudgesAsync(context, argument.ToLowerInvariant(), cancellationToken)];
            case "export" or "data":
                return [MemberExportText.Export(await data.ExportAsync(memberId, cancellationToken))];
            case "erase" or "delete" or "forget":
                return [EraseQuestion()];
            default:
                return [BotReply.Private($"`me {SessionText.Shown(context.Verb)}` isn't something I know. Try `me quiet 22:00-08:00`, `me timezone Europe/London`, `me nudges on`, `me link`, `me export` or `me erase`.")];
        }
    }

    private static BotReply EraseQuestion() => new()
    {
        Title = "Erase your data?",
        Text = "This removes or anonymises everything I hold that is linked to you, in every group:\n"
            + "- your votes in polls still open are withdrawn (closed polls keep only their counts)\n"
            + "- agenda items you added stay, shown as from \"a member\"\n"
            + "- past rota turns stay without your name; upcoming rota slots open for others\n"
            + "- RSVPs, your settings and your place in each group's member list are deleted\n"
            + "- messages I posted and still keep track of (the agenda, poll cards, reminders) are updated to leave your name out\n\n"
            + "Anonymous concerns were never linked to you, so they can't be found or changed. "
            + MemberExportText.OlderMessages + " This can't be undone; "
            + "`me export` first if you'd like a copy.",
        Tone = ReplyTone.Warning,
        Visibility = ReplyVisibility.Private,
        Buttons =
        [
            new ReplyButton("Yes, erase my data", FlowContext.ActionId("me", "erase", "confirm"), ButtonStyle.Danger),
            new ReplyButton("No, keep it", FlowContext.ActionId("me", "erase", "cancel")),
        ],
    };

    private async Task<BotReply> EraseActionAsync(FlowContext context, CancellationToken cancellationToken)
    {
        if (context.Verb != "erase" || context.ActionArgs.Count != 1)
            return BotReply.Warn("I couldn't read that button. Type `me erase` to start again.");
        if (context.ActionArgs[0] != "confirm")
            return new BotReply { Text = "Nothing was erased. Your data stays as it is.", Visibility = ReplyVisibility.Private, UpdatesSource = true };
        return MemberExportText.Erased(await data.EraseAsync(context.Actor.MemberId, cancellationToken));
    }

    private async Task<BotReply> QuietAsync(FlowContext context, string argument, CancellationToken cancellationToken)
    {
        if (argument.ToLowerInvariant() is "off" or "none" or "clear")
        {
            await preferences.UpdateAsync(context.Actor.MemberId, p => p with { QuietFrom = null, QuietUntil = null }, cancellationToken);
            return Done("Quiet hours are off. Private messages from me come whenever they're sent.");
        }
        var match = RangePattern().Match(argument);
        if (!match.Success
            || !SessionText.TryParseTime(match.Groups["from"].Value.Replace(" ", ""), out var from)
            || !SessionText.TryParseTime(match.Groups["until"].Value.Replace(" ", ""), out var until))
            return BotReply.Warn("Give a start and an end, like `me quiet 22:00-08:00` or `me quiet 9pm-7:30am`. `me quiet off` turns them off.");
        if (from == until)
            return BotReply.Warn("The start and end are the same time. Try something like `me quiet 22:00-08:00`.");
        var saved = await preferences.UpdateAsync(context.Actor.MemberId, p => p with { QuietFrom = from, QuietUntil = until }, cancellationToken);
        return Done($"Quiet hours set: **{SessionText.Time(from)}–{SessionText.Time(until)}** ({ZoneName(saved, context)}). "
            + "Private reminders and nudges wait until they end; messages in the group channel and urgent safety messages are not held.");
    }

    private async Task<BotReply> TimeZoneAsync(FlowContext context, string argument, CancellationToken cancellationToken)
    {
        if (argument.Length == 0)
            return BotReply.Private("Give an Area/City name, like `me timezone Europe/London` or `me timezone America/New_York`. `me timezone group` uses the group's.");
        if (argument.ToLowerInvariant() is "group" or "default" or "off")
        {
            var reset = await preferences.UpdateAsync(context.Actor.MemberId, p => p with { TimeZone = null }, cancellationToken);
            return Done($"Your quiet hours now follow {ZoneName(reset, context)}.");
        }
        var zone = SetupFlow.ResolveZone(argument);
        if (zone is null)
            return BotReply.Warn($"I don't know the time zone \"{SessionText.Shown(argument)}\". Use an Area/City name like `Europe/London` or `Australia/Sydney`.");
        await preferences.UpdateAsync(context.Actor.MemberId, p => p with { TimeZone = zone }, cancellationToken);
        var now = context.Now.InZone(DateTimeZoneProviders.Tzdb[zone]);
        return Done($"Your time zone is **{zone}** (it's {SessionText.Time(now.TimeOfDay)} there now).");
    }

    private async Task<BotReply> NudgesAsync(FlowContext context, string argument, CancellationToken cancellationToken)
    {
        if (argument is not ("on" or "yes" or "off" or "no" or "default" or "reset"))
            return BotReply.Private("Say `me nudges on` for private reminders and nudges, `me nudges off` for none, or `me nudges default` (only rota reminders and session check-outs).");
        bool? choice = argument is "on" or "yes" ? true : argument is "off" or "no" ? false : null;
        await preferences.UpdateAsync(context.Actor.MemberId, p => p with { Nudges = choice }, cancellationToken);
        return Done(choice switch
        {
            true => "Nudges are **on**: I'll message you privately about your rota turns, session check-outs and polls closing soon.",
            false => "Nudges are **off**: I won't message you privately with reminders or session check-outs. Replies to anything you raise, and rota swap requests from other members, still reach you (after your quiet hours).",
            _ => "Nudges are back to the default: a private reminder when you're on the rota, and the anonymous check-out after a session you came to.",
        });
    }

    private async Task<BotReply> IssueCodeAsync(FlowContext context, CancellationToken cancellationToken)
    {
        if (await OtherPlatformAsync(context, cancellationToken) is { } other)
            return BotReply.Private($"This account is already linked with your {other} account. `me unlink` first if you'd like to link a different one.");
        var code = await linking.IssueAsync(context.AccountId, cancellationToken);
        return BotReply.Private($"Your one-time code is **{code}**. Send it to me from your account on the other platform: "
            + $"on Discord `/me link code:{code}`, or in your personal chat with me on Teams `me link {code}`. "
            + "It works once and expires in 15 minutes.\n\nOnce linked, your votes, rota turns and RSVPs count once, whichever account you use. "
            + "Nobody else is told, and I keep no readable pair of your two accounts.");
    }

    private async Task<BotReply> LinkAsync(FlowContext context, string code, CancellationToken cancellationToken)
    {
        if (!context.Input.Place.IsPrivate && context.Input.Place.Platform != "discord")
        {
            // Others in the channel may have seen it: burn it so nobody else can link their account to this member's.
            await linking.CancelAsync(code, cancellationToken);
            return BotReply.Warn("Please send link codes to me privately, never in a group channel. I've cancelled that code in case someone saw it: type `me link` on your other account for a new one.");
        }
        if (await OtherPlatformAsync(context, cancellationToken) is { } other)
            return BotReply.Warn($"This account is already linked with your {other} account. `me unlink` first if you'd like to link a different one.");
        var result = await linking.RedeemAsync(context.AccountId, code, cancellationToken);
        switch (result.Outcome)
        {
            case LinkOutcome.Linked:
                var text = new StringBuilder($"Linked: this account and your {Platforms.DisplayName(result.OtherPlatform!)} account are now one member to me. "
                    + "Your votes, rota turns and RSVPs count once, whichever you use, and private messages go to the one you used last.");
                if (result.Merged!.PollsVotedTwice.Count > 0)
                    text.Append($"\n\nYou had voted from both accounts in {Polls(result.Merged.PollsVotedTwice)}: I kept the vote from this account, "
                        + "the one you just used, and dropped the other. Vote again if you'd like to change it.");
                return Done(text.ToString());
            case LinkOutcome.SamePlatform:
                return BotReply.Warn($"That code was made on {Platforms.DisplayName(result.OtherPlatform!)} too, and linking joins accounts on two different platforms. "
                    + "Send it from your account on the other platform (on Discord `/me link code:…`, in Teams personal chat `me link …`). The code still works until it expires.");
            case LinkOutcome.Expired:
                return BotReply.Warn("That code has expired: codes last 15 minutes. Type `me link` on your other account for a new one.");
            case LinkOutcome.AlreadyLinked:
                return BotReply.Warn("The account that made this code has been linked meanwhile. `me unlink` there first if you'd like to link it with this one.");
            default:
                return BotReply.Warn("I don't know that code: it may be mistyped or already used. Type `me link` on your other account for a new one.");
        }
    }

    private async Task<BotReply> UnlinkAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var other = MemberLinks.IsPerson(context.Actor.MemberId)
            ? await linking.UnlinkAsync(context.Actor.MemberId, context.AccountId, cancellationToken)
            : null;
        if (other is null) return BotReply.Private("This account isn't linked with another. `me link` links your Teams and Discord accounts.");
        return Done($"Unlinked: your {Platforms.DisplayName(other)} account is separate again. Your votes, rota turns, RSVPs and settings stay with this account; "
            + "the other keeps its place in your groups and starts afresh.");
    }

    /// <summary>The display name of the platform of the member's other linked account, or null when not linked.</summary>
    private async Task<string?> OtherPlatformAsync(FlowContext context, CancellationToken cancellationToken)
    {
        if (!MemberLinks.IsPerson(context.Actor.MemberId)) return null;
        var accounts = await links.AccountsAsync(context.Actor.MemberId, cancellationToken);
        if (accounts.Count == 0) return null; // unlinked meanwhile on another instance
        return accounts.FirstOrDefault(a => a.MemberId != context.AccountId) is { } other ? Platforms.DisplayName(other.Platform) : "other platform's";
    }

    private static string Polls(IReadOnlyList<string> ids)
        => ids.Count == 1 ? $"poll #{ids[0]}" : $"polls {string.Join(", ", ids.Select(i => "#" + i))}";

    private static BotReply Summary(MemberPreferences prefs, string? linkedWith, FlowContext context)
    {
        var text = new StringBuilder();
        text.AppendLine(prefs.HasQuietHours
            ? $"**Quiet hours:** {SessionText.Time(prefs.QuietFrom!.Value)}–{SessionText.Time(prefs.QuietUntil!.Value)} ({ZoneName(prefs, context)})"
            : "**Quiet hours:** none (`me quiet 22:00-08:00` to set some)");
        text.AppendLine($"**Time zone:** {ZoneName(prefs, context)}");
        text.AppendLine($"**Private nudges:** {prefs.Nudges switch { true => "on", false => "off", _ => "default (rota reminders and session check-outs)" }}");
        text.AppendLine(linkedWith is null
            ? "**Linked account:** none (`me link` links your Teams and Discord accounts so they count as one)"
            : $"**Linked account:** your {linkedWith} account (`me unlink` to separate them)");
        return new BotReply { Title = "Your settings", Text = text.ToString().TrimEnd(), Visibility = ReplyVisibility.Private };
    }

    private static string ZoneName(MemberPreferences prefs, FlowContext context)
        => prefs.TimeZone ?? (context.Group is null ? "the group's time zone" : $"the group's time zone, {context.Group.TimeZone}");

    private static BotReply Done(string text) => new() { Text = text, Tone = ReplyTone.Success, Visibility = ReplyVisibility.Private };
}
