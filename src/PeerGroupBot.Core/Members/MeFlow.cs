using System.Text;
using System.Text.RegularExpressions;
using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Sessions;

namespace PeerGroupBot.Core.Members;

/// <summary>
/// <c>me</c>: a member's own settings — quiet hours, their time zone, private nudges on or off — and their data
/// rights: <c>me export</c> and <c>me erase</c>. Works in the group channel or in private chat, and answers only the member.
/// </summary>
public sealed partial class MeFlow(MemberPreferencesStore preferences, MemberData data) : IFlow
{
    public string Name => "me";

    public bool RequiresGroup => false;

    public IReadOnlyList<HelpEntry> Help { get; } =
    [
        new("me", "see your own settings"),
        new("me quiet 22:00-08:00", "hold private messages from me during these hours (`me quiet off` to stop); urgent safety messages still come"),
        new("me timezone Europe/London", "your own time zone, for quiet hours (`me timezone group` to use the group's)"),
        new("me nudges on|off", "private reminders and nudges; by default only rota reminders come"),
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
                return [Summary(await preferences.GetAsync(memberId, cancellationToken), context)];
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
                return [BotReply.Private($"`me {SessionText.Shown(context.Verb)}` isn't something I know. Try `me quiet 22:00-08:00`, `me timezone Europe/London`, `me nudges on`, `me export` or `me erase`.")];
        }
    }

    private static BotReply EraseQuestion() => new()
    {
        Title = "Erase your data?",
        Text = "This removes or anonymises everything I hold that is linked to you, in every group:\n"
            + "- your votes in polls still open are withdrawn (closed polls keep only their counts)\n"
            + "- agenda items you added stay, shown as from \"a member\"\n"
            + "- past rota turns stay without your name; upcoming rota slots open for others\n"
            + "- RSVPs, your settings and your place in each group's member list are deleted\n\n"
            + "Anonymous concerns were never linked to you, so they can't be found or changed. This can't be undone; "
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
            return BotReply.Private("Say `me nudges on` for private reminders and nudges, `me nudges off` for none, or `me nudges default` (only rota reminders).");
        bool? choice = argument is "on" or "yes" ? true : argument is "off" or "no" ? false : null;
        await preferences.UpdateAsync(context.Actor.MemberId, p => p with { Nudges = choice }, cancellationToken);
        return Done(choice switch
        {
            true => "Nudges are **on**: I'll message you privately about your rota turns and polls closing soon.",
            false => "Nudges are **off**: I won't message you privately with reminders. Replies to anything you raise, and rota swap requests from other members, still reach you (after your quiet hours).",
            _ => "Nudges are back to the default: a private reminder only when you're on the rota.",
        });
    }

    private static BotReply Summary(MemberPreferences prefs, FlowContext context)
    {
        var text = new StringBuilder();
        text.AppendLine(prefs.HasQuietHours
            ? $"**Quiet hours:** {SessionText.Time(prefs.QuietFrom!.Value)}–{SessionText.Time(prefs.QuietUntil!.Value)} ({ZoneName(prefs, context)})"
            : "**Quiet hours:** none (`me quiet 22:00-08:00` to set some)");
        text.AppendLine($"**Time zone:** {ZoneName(prefs, context)}");
        text.AppendLine($"**Private nudges:** {prefs.Nudges switch { true => "on", false => "off", _ => "default (only when you're on the rota)" }}");
        return new BotReply { Title = "Your settings", Text = text.ToString().TrimEnd(), Visibility = ReplyVisibility.Private };
    }

    private static string ZoneName(MemberPreferences prefs, FlowContext context)
        => prefs.TimeZone ?? (context.Group is null ? "the group's time zone" : $"the group's time zone, {context.Group.TimeZone}");

    private static BotReply Done(string text) => new() { Text = text, Tone = ReplyTone.Success, Visibility = ReplyVisibility.Private };
}
