using System.Text;
using NodaTime;
using PeerGroupBot.Core.Checkouts;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Outbound;
using PeerGroupBot.Core.State;

using PeerGroupBot.Core.Record;
using PeerGroupBot.Core.Time;

namespace PeerGroupBot.Core.Sessions;

/// <summary>
/// <c>session</c>: when the group meets. Members see the next session and the list, and say whether they are coming;
/// facilitators set the regular schedule (a form, or one line), add one-off sessions, cancel or restore one, and
/// choose when reminders go out. Every change is announced to the group and recomputes the reminder chain.
/// </summary>
public sealed class SessionFlow(
    SessionCalendar calendar,
    SessionReminders reminders,
    GroupDirectory directory,
    Documents documents,
    IOutbound outbound,
    IRecord record,
    CheckoutOpener checkouts) : IFlow
{
    public const int ListLength = 6;
    public const int MaxReminders = 3;
    public static readonly int MinReminderMinutes = 10;
    public static readonly int MaxReminderMinutes = 14 * 24 * 60;

    /// <summary>Past cancellations and one-off sessions are forgotten this long after they happened.</summary>
    private static readonly Duration KeepPast = Duration.FromDays(14);

    public string Name => "session";

    public string HelpSummary => "sessions: when and where the group meets, and saying if you are coming";

    public IReadOnlyList<HelpEntry> Help { get; } =
    [
        new("session next", "when and where the next session is, and say if you're coming"),
        new("session list", "the next few sessions"),
        new("session calendar", "a calendar file (.ics) of the upcoming sessions to add to your own calendar"),
        new("session schedule", "set when the group meets: a form, or one line like `session schedule weekly tuesday 18:30 90m \"Zoom link\"` "
            + "(also `fortnightly thursday 6pm`, `first monday 10:30 2h \"Room 4\"`, `last friday 14:00`, `… from 2026-12-01`; `session schedule off` stops it)", true),
        new("session add <date> <time> [length] [place]", "an extra one-off session, e.g. `session add 2026-12-22 18:30 90m \"Zoom\"`; one that overlaps another is added only with `anyway` at the end", true),
        new("session cancel <date> [reason]", "skip one session and tell the group, e.g. `session cancel 2026-12-29 bank holiday` or `session cancel next tuesday`", true),
        new("session restore <date>", "put a cancelled session back", true),
        new("session reminders 24h 1h", "when reminders are posted before each session (`off` for none)", true),
        new("session end", "end today's session now and open its anonymous check-out (otherwise it opens at the scheduled end)", true),
    ];

    public async Task<IReadOnlyList<BotReply>> HandleAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var verb = context.Verb;
        if (context.Input.Kind == InputKind.Action)
        {
            return verb switch
            {
                "rsvp" => await RsvpAsync(context, cancellationToken),
                "schedule" => [context.IsFacilitator ? await ScheduleFormAsync(context, cancellationToken) : FacilitatorsOnly()],
                "list" => [await ListAsync(context, cancellationToken)],
                _ => [await NextAsync(context, cancellationToken)],
            };
        }
        if (context.Input.Kind == InputKind.Form)
        {
            if (verb != "schedule") return [BotReply.Warn("I couldn't understand that form. Please try the command again.")];
            if (!context.IsFacilitator) return [FacilitatorsOnly()];
            var fromForm = ScheduleRequest.FromForm(context.Input.Values, out var formError);
            return [fromForm is null ? BotReply.Warn(formError + " Nothing was changed.") : await SaveScheduleAsync(context, fromForm, cancellationToken)];
        }

        switch (verb)
        {
            case "" or "next":
                return [await NextAsync(context, cancellationToken)];
            case "list" or "upcoming" or "all":
                return [await ListAsync(context, cancellationToken)];
            case "calendar" or "ics":
                return [await CalendarAsync(context, cancellationToken)];
            case "schedule" or "when" or "set":
                return [await ScheduleAsync(context, cancellationToken)];
            case "add" or "extra":
                return [context.IsFacilitator ? await AddAsync(context, cancellationToken) : FacilitatorsOnly()];
            case "cancel" or "skip":
                return [context.IsFacilitator ? await CancelAsync(context, cancellationToken) : FacilitatorsOnly()];
            case "restore" or "uncancel":
                return [context.IsFacilitator ? await RestoreAsync(context, cancellationToken) : FacilitatorsOnly()];
            case "reminders" or "reminder":
                return [await RemindersAsync(context, cancellationToken)];
            case "end" or "ended" or "finish":
                return [context.IsFacilitator ? await EndAsync(context, cancellationToken) : FacilitatorsOnly()];
            default:
                return [BotReply.Private($"`session {SessionText.Shown(verb)}` isn't something I know. Try `session next`, `session list`, or `help session`.")];
        }
    }

    private static BotReply FacilitatorsOnly()
        => BotReply.Private("Only facilitators can change sessions. `session next` and `session list` show what's planned.");

    // ---- seeing sessions -------------------------------------------------------------------------------------

    private async Task<BotReply> NextAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        var schedule = await calendar.GetScheduleAsync(group.Id, cancellationToken);
        var next = SessionRecurrence.Upcoming(schedule, group.Zone, context.Now).FirstOrDefault();
        if (next is null) return BotReply.Private(NothingPlanned(schedule, context));
        return await NextCardAsync(group, next, cancellationToken) with { Visibility = ReplyVisibility.Private };
    }

    private async Task<BotReply> NextCardAsync(GroupDocument group, PlannedSession session, CancellationToken cancellationToken)
    {
        var (body, _) = await reminders.BodyAsync(group, session, cancellationToken);
        var rsvps = await reminders.RsvpsAsync(group, session.Id, cancellationToken);
        return SessionCards.Card($"Next session: {SessionText.Date(session.LocalStart.Date)}", body, rsvps, session.Id, group.Id);
    }

    private static string NothingPlanned(SessionSchedule schedule, FlowContext context)
        => schedule.IsEmpty
            ? "No sessions are planned yet. " + (context.IsFacilitator ? "Set when the group meets with `session schedule`." : "A facilitator can set them with `session schedule`.")
            : "There are no sessions coming up. " + (context.IsFacilitator ? "Add one with `session add <date> <time>` or set a schedule with `session schedule`." : "A facilitator can add one.");

    private async Task<BotReply> ListAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        var schedule = await calendar.GetScheduleAsync(group.Id, cancellationToken);
        var sessions = SessionRecurrence.After(schedule, group.Zone, context.Now).Take(ListLength).ToList();
        var text = new StringBuilder();
        text.AppendLine(schedule.Rule is null
            ? "**Regular sessions:** none set"
            : $"**Regular sessions:** {SessionCards.Describe(schedule.Rule, group.Zone)}");
        text.AppendLine($"**Time zone:** {group.TimeZone}");
        text.AppendLine($"**Reminders:** {SessionCards.DescribeReminders(schedule.ReminderMinutes)}");
        text.AppendLine();
        if (sessions.Count == 0)
            text.AppendLine(NothingPlanned(schedule, context));
        else
            foreach (var session in sessions) text.AppendLine($"- {SessionCards.Line(session, group.Zone)}");
        return new BotReply
        {
            Title = $"{group.Name}: upcoming sessions",
            Text = text.ToString().TrimEnd(),
            Visibility = ReplyVisibility.Private,
            Buttons = context.IsFacilitator ? [new ReplyButton("Change schedule", FlowContext.ActionId("session", "schedule"), ButtonStyle.Primary)] : [],
        };
    }

    private async Task<BotReply> CalendarAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        var schedule = await calendar.GetScheduleAsync(group.Id, cancellationToken);
        if (!SessionRecurrence.Upcoming(schedule, group.Zone, context.Now).Any()) return BotReply.Private(NothingPlanned(schedule, context));
        return new BotReply
        {
            Text = $"Here are {group.Name}'s upcoming sessions as a calendar file, in {group.TimeZone} time. Open it to add them to your calendar. "
                + "It doesn't change by itself: after the schedule changes, type `session calendar` again for a fresh copy.",
            Visibility = ReplyVisibility.Private,
            Attachments = [SessionCalendarFile.Build(group, schedule, context.Now)],
        };
    }

    // ---- the regular schedule --------------------------------------------------------------------------------

    private async Task<BotReply> ScheduleAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var arguments = context.Arguments.Trim();
        if (!context.IsFacilitator)
        {
            return arguments.Length == 0
                ? await ListAsync(context, cancellationToken)
                : FacilitatorsOnly();
        }
        if (arguments.Length == 0) return await ScheduleFormAsync(context, cancellationToken);
        if (arguments.ToLowerInvariant() is "off" or "clear" or "stop" or "none" or "remove")
            return await ClearScheduleAsync(context, cancellationToken);
        var request = ScheduleRequest.Parse(arguments, context.LocalNow.Date, out var error);
        return request is null ? BotReply.Warn(error) : await SaveScheduleAsync(context, request, cancellationToken);
    }

    private async Task<BotReply> ScheduleFormAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var rule = (await calendar.GetScheduleAsync(context.RequiredGroup.Id, cancellationToken)).Rule;
        var days = Enum.GetValues<IsoDayOfWeek>().Where(d => d != IsoDayOfWeek.None)
            .Select(d => new SelectOption(d.ToString(), d.ToString().ToLowerInvariant(), Selected: rule?.Day == d)).ToList();
        var repeats = ScheduleRequest.RepeatChoices
            .Select(c => new SelectOption(c.Label, c.Value, Selected: rule is null ? c.Value == "weekly" : ScheduleRequest.RepeatValue(rule) == c.Value)).ToList();
        return BotReply.ShowForm(new ReplyForm(FlowContext.ActionId("session", "schedule"), "When does the group meet?",
        [
            new FormField("repeat", "Repeats", FormFieldKind.Choice, Value: rule is null ? "weekly" : ScheduleRequest.RepeatValue(rule), Choices: repeats),
            new FormField("day", "Day", FormFieldKind.Choice, Value: rule?.Day.ToString().ToLowerInvariant(), Choices: days),
            new FormField("time", $"Start time ({context.RequiredGroup.TimeZone})", MaxLength: 10, Placeholder: "18:30", Value: rule is null ? null : SessionText.Time(rule.Time)),
            new FormField("length", "Length", Required: false, MaxLength: 12, Placeholder: "90m or 2h", Value: rule is null ? null : SessionText.ShortSpan(rule.LengthMinutes)),
            new FormField("place", "Place or meeting link", Required: false, MaxLength: SessionText.MaxPlaceLength, Placeholder: "Room 4, or a Zoom/Teams link", Value: rule?.Place),
        ], "Save schedule"));
    }

    private async Task<BotReply> SaveScheduleAsync(FlowContext context, ScheduleRequest request, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        var unchanged = false;
        SessionRule? rule = null;
        var saved = await calendar.UpdateScheduleAsync(group.Id, current =>
        {
            rule = request.ToRule(current.Rule, context.LocalNow.Date);
            unchanged = current.Rule == rule;
            return unchanged ? null : Tidy(current with { Rule = rule }, group.Zone, context.Now);
        }, cancellationToken);
        if (unchanged) return BotReply.Private($"That's already the schedule: {SessionCards.Describe(rule!, group.Zone)}.");

        await reminders.RescheduleAsync(group, saved, context.Now, cancellationToken);
        var next = SessionRecurrence.Upcoming(saved, group.Zone, context.Now).FirstOrDefault();
        var text = $"Sessions are now **{SessionCards.Describe(saved.Rule!, group.Zone)}**."
            + (next is null ? "" : $"\n\nThe next one is **{SessionText.When(next, group.Zone)}**.")
            + $"\n\nReminders: {SessionCards.DescribeReminders(saved.ReminderMinutes)}. Type `session list` to see what's coming.";
        await outbound.PostToGroupAsync(group, new BotReply { Title = $"{group.Name}: session schedule", Text = text, Tone = ReplyTone.Success }, cancellationToken);
        return new BotReply { Text = "Saved, and I've told the group.\n\n" + text, Tone = ReplyTone.Success, Visibility = ReplyVisibility.Private };
    }

    private async Task<BotReply> ClearScheduleAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        var had = false;
        var saved = await calendar.UpdateScheduleAsync(group.Id, current =>
        {
            had = current.Rule is not null;
            return had ? current with { Rule = null } : null;
        }, cancellationToken);
        if (!had) return BotReply.Private("There's no regular schedule to stop.");
        await reminders.RescheduleAsync(group, saved, context.Now, cancellationToken);
        var extras = SessionRecurrence.Upcoming(saved, group.Zone, context.Now).Take(3).ToList();
        var text = "Regular sessions have stopped." + (extras.Count == 0 ? "" : " These extra sessions still go ahead:\n" + string.Join("\n", extras.Select(s => $"- {SessionCards.Line(s, group.Zone)}")));
        await outbound.PostToGroupAsync(group, new BotReply { Title = $"{group.Name}: session schedule", Text = text, Tone = ReplyTone.Warning }, cancellationToken);
        return new BotReply { Text = "Done, and I've told the group.", Tone = ReplyTone.Success, Visibility = ReplyVisibility.Private };
    }

    // ---- one-off changes -------------------------------------------------------------------------------------

    private async Task<BotReply> AddAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        const string usage = "Give the date and start time, like `session add 2026-12-22 18:30 90m \"Room 4\"` or `session add next friday 6pm`.";
        // "… anyway" confirms a session that overlaps another one (the warning below says to type it).
        var arguments = context.Arguments.TrimEnd();
        var anyway = arguments.EndsWith(" anyway", StringComparison.OrdinalIgnoreCase);
        if (anyway) arguments = arguments[..^" anyway".Length].TrimEnd();
        if (!SessionText.TryParseDate(arguments, context.LocalNow.Date, out var date, out var time, out var rest, out var dateError))
            return BotReply.Warn(dateError.Length > 0 ? dateError : usage);
        var extras = ReadExtras(rest);
        if (extras.Error is not null) return BotReply.Warn(extras.Error);
        time ??= extras.Time;
        var schedule = await calendar.GetScheduleAsync(group.Id, cancellationToken);
        time ??= schedule.Rule?.Time;
        if (time is null) return BotReply.Warn(usage);

        var start = date.At(time.Value);
        if (SessionRecurrence.ToInstant(start, group.Zone) <= context.Now)
            return BotReply.Warn($"{SessionText.Date(date)} at {SessionText.Time(time.Value)} has already passed. Pick a future date and time.");
        var id = OccurrenceIds.Of(start);
        var length = extras.Length ?? schedule.Rule?.LengthMinutes ?? SessionSchedule.DefaultLengthMinutes;
        var place = extras.Place ?? schedule.Rule?.Place;

        var newStart = SessionRecurrence.ToInstant(start, group.Zone);
        var newEnd = newStart + Duration.FromMinutes(length);
        var outcome = "";
        PlannedSession? overlapped = null;
        var saved = await calendar.UpdateScheduleAsync(group.Id, current =>
        {
            overlapped = null;
            var existing = SessionRecurrence.After(current, group.Zone, context.Now).FirstOrDefault(s => s.Id == id);
            if (existing is { Cancelled: false }) { outcome = "exists"; return null; }
            overlapped = SessionRecurrence.After(current, group.Zone, context.Now)
                .TakeWhile(s => s.Start < newEnd)
                .FirstOrDefault(s => !s.Cancelled && s.Id != id && s.End > newStart);
            if (overlapped is not null && !anyway) { outcome = "overlaps"; return null; }
            if (existing is { Cancelled: true, OneOff: false }) { outcome = "restored"; return current with { Cancelled = Without(current.Cancelled, id) }; }
            outcome = "added";
            return Tidy(current with
            {
                OneOffs = [.. current.OneOffs.Where(o => OccurrenceIds.Of(o.Start) != id), new OneOffSession(start, length, place)],
                Cancelled = Without(current.Cancelled, id),
            }, group.Zone, context.Now);
        }, cancellationToken);
        if (outcome == "exists") return BotReply.Warn($"There's already a session on {SessionText.Date(date)} at {SessionText.Time(time.Value)}.");
        if (outcome == "overlaps")
            return BotReply.Warn($"That would overlap the session on **{SessionText.When(overlapped!, group.Zone)}** ({group.TimeZone} time), so I haven't added it. "
                + $"If you do want both, type `session add {arguments} anyway`; to move the session that day instead, "
                + $"`session cancel {overlapped!.LocalStart.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}` first.");

        await reminders.RescheduleAsync(group, saved, context.Now, cancellationToken);
        var session = SessionRecurrence.Upcoming(saved, group.Zone, context.Now).First(s => s.Id == id);
        var text = $"Extra session: **{SessionText.When(session, group.Zone)}** ({group.TimeZone} time)" + (string.IsNullOrWhiteSpace(session.Place) ? "." : $", at {MarkdownText.Member(session.Place)}.");
        if (outcome == "restored") text = $"The session on **{SessionText.When(session, group.Zone)}** is back on.";
        await outbound.PostToGroupAsync(group, new BotReply { Title = $"{group.Name}: sessions", Text = text, Tone = ReplyTone.Success }, cancellationToken);
        return new BotReply { Text = "Added, and I've told the group.", Tone = ReplyTone.Success, Visibility = ReplyVisibility.Private };
    }

    private async Task<BotReply> CancelAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        if (!SessionText.TryParseDate(context.Arguments, context.LocalNow.Date, out var date, out var time, out var rest, out var dateError))
            return BotReply.Warn(dateError.Length > 0 ? dateError : "Which session? Give its date, like `session cancel 2026-12-29`, `session cancel next tuesday` or `session cancel 29 december bank holiday`.");
        var reason = SessionText.Unquote(rest.Trim());
        if (reason.Length > SessionText.MaxReasonLength) return BotReply.Warn($"Keep the reason to {SessionText.MaxReasonLength} characters or fewer.");

        var cancelled = new List<PlannedSession>();
        var saved = await calendar.UpdateScheduleAsync(group.Id, current =>
        {
            cancelled.Clear();
            cancelled.AddRange(SessionRecurrence.Upcoming(current, group.Zone, context.Now)
                .TakeWhile(s => s.LocalStart.Date <= date)
                .Where(s => s.LocalStart.Date == date && (time is null || s.LocalStart.TimeOfDay == time)));
            if (cancelled.Count == 0) return null;
            var marks = new Dictionary<string, string>(current.Cancelled);
            foreach (var s in cancelled) marks[s.Id] = reason;
            return Tidy(current with { Cancelled = marks }, group.Zone, context.Now);
        }, cancellationToken);
        if (cancelled.Count == 0)
            return BotReply.Warn($"There's no session planned on {SessionText.Date(date)}{(time is null ? "" : $" at {SessionText.Time(time.Value)}")}. Type `session list` to see what's coming.");

        await reminders.RescheduleAsync(group, saved, context.Now, cancellationToken);
        foreach (var s in cancelled) await record.SessionAsync(group, s with { CancelledReason = reason }, cancellationToken);
        var next = SessionRecurrence.Upcoming(saved, group.Zone, context.Now).FirstOrDefault();
        var text = new StringBuilder();
        foreach (var s in cancelled) text.AppendLine($"The session on **{SessionText.When(s, group.Zone)}** is cancelled{(reason.Length > 0 ? $": {reason}" : ".")}");
        text.AppendLine();
        text.Append(next is null ? "No other sessions are planned yet." : $"The next session is **{SessionText.When(next, group.Zone)}**.");
        await outbound.PostToGroupAsync(group, new BotReply { Title = $"{group.Name}: session cancelled", Text = text.ToString(), Tone = ReplyTone.Warning }, cancellationToken);
        return new BotReply { Text = "Cancelled, and I've told the group. `session restore` puts it back.", Tone = ReplyTone.Success, Visibility = ReplyVisibility.Private };
    }

    private async Task<BotReply> RestoreAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        if (!SessionText.TryParseDate(context.Arguments, context.LocalNow.Date, out var date, out var time, out _, out var dateError))
            return BotReply.Warn(dateError.Length > 0 ? dateError : "Which session? Give its date, like `session restore 2026-12-29`.");
        var restored = new List<PlannedSession>();
        var saved = await calendar.UpdateScheduleAsync(group.Id, current =>
        {
            restored.Clear();
            restored.AddRange(SessionRecurrence.After(current, group.Zone, context.Now)
                .TakeWhile(s => s.LocalStart.Date <= date)
                .Where(s => s.Cancelled && s.LocalStart.Date == date && (time is null || s.LocalStart.TimeOfDay == time)));
            if (restored.Count == 0) return null;
            var marks = new Dictionary<string, string>(current.Cancelled);
            foreach (var s in restored) marks.Remove(s.Id);
            return current with { Cancelled = marks };
        }, cancellationToken);
        if (restored.Count == 0)
            return BotReply.Warn($"There's no cancelled session on {SessionText.Date(date)}. Type `session list` to see what's coming.");

        await reminders.RescheduleAsync(group, saved, context.Now, cancellationToken);
        var text = string.Join("\n", restored.Select(s => $"Good news: the session on **{SessionText.When(s, group.Zone)}** is back on."));
        await outbound.PostToGroupAsync(group, new BotReply { Title = $"{group.Name}: sessions", Text = text, Tone = ReplyTone.Success }, cancellationToken);
        return new BotReply { Text = "Restored, and I've told the group.", Tone = ReplyTone.Success, Visibility = ReplyVisibility.Private };
    }

    private async Task<BotReply> RemindersAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        var words = SessionText.Words(context.Arguments.Replace(",", " ", StringComparison.Ordinal))
            .Where(w => w.ToLowerInvariant() is not ("and" or "before")).ToList();
        if (words.Count == 0)
        {
            var current = await calendar.GetScheduleAsync(group.Id, cancellationToken);
            return BotReply.Private($"Reminders are posted {SessionCards.DescribeReminders(current.ReminderMinutes)} each session."
                + (context.IsFacilitator ? " Change with e.g. `session reminders 24h 1h`, or `session reminders off`." : ""));
        }
        if (!context.IsFacilitator) return FacilitatorsOnly();

        List<int> offsets;
        var first = words[0].ToLowerInvariant();
        if (first is "off" or "none") offsets = [];
        else if (first is "default" or "reset") offsets = [.. SessionSchedule.DefaultReminderMinutes];
        else
        {
            offsets = [];
            foreach (var word in words)
            {
                if (!SessionText.TryParseOffset(word, out var minutes) || minutes < MinReminderMinutes || minutes > MaxReminderMinutes)
                    return BotReply.Warn($"\"{SessionText.Shown(word)}\" isn't a time I can use. Give times before the session like `24h 1h`, `2d`, or `30m` (between 10 minutes and 14 days).");
                offsets.Add(minutes);
            }
            offsets = offsets.Distinct().OrderDescending().ToList();
            if (offsets.Count > MaxReminders) return BotReply.Warn($"Up to {MaxReminders} reminders per session, please. Fewer messages are kinder.");
        }

        var saved = await calendar.UpdateScheduleAsync(group.Id, current =>
            current.ReminderMinutes.SequenceEqual(offsets) ? null : current with { ReminderMinutes = offsets }, cancellationToken);
        await reminders.RescheduleAsync(group, saved, context.Now, cancellationToken);
        return new BotReply
        {
            Text = offsets.Count == 0
                ? "Session reminders are off. `session reminders 24h 1h` turns them back on."
                : $"Reminders will be posted {SessionCards.DescribeReminders(offsets)} each session.",
            Tone = ReplyTone.Success,
        };
    }

    // ---- the end of a session --------------------------------------------------------------------------------

    private async Task<BotReply> EndAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var opened = await checkouts.EndNowAsync(context.RequiredGroup, cancellationToken);
        return opened switch
        {
            { Opened: true } => new BotReply
            {
                Text = $"Thanks for running the session. The anonymous check-out is open: I've sent it privately to {SessionText.Plural(opened.Invited, "member")} "
                     + "who said Going or were on the rota (or it waits for their quiet hours), and posted a button in the channel for anyone else who came.",
                Tone = ReplyTone.Success,
                Visibility = ReplyVisibility.Private,
            },
            { Why: "off" } => BotReply.Private("Check-outs are off for this group, so nothing was sent. `record checkout on` turns them on."),
            _ => BotReply.Private("This session's check-out is already open. It closes on its own; `record` shows the totals afterwards."),
        };
    }

    // ---- RSVP ------------------------------------------------------------------------------------------------

    private async Task<IReadOnlyList<BotReply>> RsvpAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        var args = context.ActionArgs;
        if (args.Count != 2 || !OccurrenceIds.TryParse(args[0], out var local) || SessionCards.ParseChoice(args[1]) is not { } choice)
            return [BotReply.Warn("I couldn't read that button. Type `session next` to answer again.")];

        var schedule = await calendar.GetScheduleAsync(group.Id, cancellationToken);
        var session = SessionCalendar.Find(schedule, group.Zone, OccurrenceIds.Of(local), context.Now);
        if (session is null)
            return [BotReply.Private("That session has finished or is no longer planned. Type `session next` to see the next one.")];
        if (session.Cancelled)
            return [BotReply.Private($"The session on {SessionText.When(session, group.Zone)} was cancelled. Type `session next` to see the next one.")];

        var memberKey = directory.MemberKey(context.Actor.MemberId);
        var doc = await documents.UpdateAsync<SessionOccurrenceDocument>(SessionOccurrenceDocument.KeyFor(group.Id, session.Id), current =>
        {
            var existing = current ?? new SessionOccurrenceDocument { OccurrenceId = session.Id };
            if (existing.Rsvps.TryGetValue(memberKey, out var had) && had == choice) return null;
            return existing with { Rsvps = new Dictionary<string, RsvpChoice>(existing.Rsvps) { [memberKey] = choice } };
        }, cancellationToken) ?? new SessionOccurrenceDocument { OccurrenceId = session.Id };

        // Refresh every posted reminder card for this session; the one clicked is replaced by the reply below.
        var source = FindSource(doc, context.Input);
        foreach (var card in doc.Cards)
            await outbound.UpdateAsync(card.Posted, SessionCards.Card(card.Title, card.Body, doc, session.Id, group.Id), cancellationToken, skip: source.Copy);

        var updated = source.Card is { } clicked
            ? SessionCards.Card(clicked.Title, clicked.Body, doc, session.Id, group.Id)
            : await NextCardAsync(group, session, cancellationToken) with { Visibility = context.Input.Place.IsPrivate ? ReplyVisibility.Private : ReplyVisibility.Channel };
        var thanks = choice switch
        {
            RsvpChoice.Going => "Thanks, see you there!",
            RsvpChoice.Maybe => "Thanks for letting us know.",
            _ => "Thanks for letting us know. We'll miss you, and you're welcome back any time.",
        };
        return
        [
            updated with { UpdatesSource = true },
            BotReply.Private($"You're down as **{SessionCards.Describe(choice)}** for {SessionText.When(session, group.Zone)}. {thanks} You can change your answer with the buttons."),
        ];
    }

    private static (ReminderCard? Card, PostedCopy? Copy) FindSource(SessionOccurrenceDocument doc, BotInput input)
    {
        if (input.SourceMessageId is null) return (null, null);
        foreach (var card in doc.Cards)
        {
            var copy = card.Posted.Copies.FirstOrDefault(c =>
                c.MessageId == input.SourceMessageId && c.Platform == input.Place.Platform && c.ChannelId == input.Place.ChannelId);
            if (copy is not null) return (card, copy);
        }
        return (null, null);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private sealed record Extras(LocalTime? Time, int? Length, string? Place, string? Error);

    /// <summary>After a date: an optional time, length and place ("18:30 90m "Room 4"").</summary>
    private static Extras ReadExtras(string text)
    {
        LocalTime? time = null;
        int? length = null;
        var placeWords = new List<string>();
        var words = SessionText.Words(text);
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            var lower = word.ToLowerInvariant();
            if (placeWords.Count == 0 && !SessionText.IsQuoted(word))
            {
                var end = i;
                if (time is null && DateWords.ReadTime(words, ref end, out var t, out _) == WordsRead.Read) { time = t; i = end - 1; continue; }
                if (length is null && SessionText.TryParseLength(lower, out var m)) { length = m; continue; }
                if (lower is "at" or "for" or "in") continue;
            }
            placeWords.Add(SessionText.Unquote(word));
        }
        var place = placeWords.Count == 0 ? null : string.Join(' ', placeWords).Trim();
        return place is { Length: > SessionText.MaxPlaceLength }
            ? new Extras(null, null, null, $"The place can be up to {SessionText.MaxPlaceLength} characters.")
            : new Extras(time, length, string.IsNullOrEmpty(place) ? null : place, null);
    }

    private static Dictionary<string, string> Without(Dictionary<string, string> cancelled, string id)
        => cancelled.Where(kv => kv.Key != id).ToDictionary(kv => kv.Key, kv => kv.Value);

    /// <summary>Forgets cancellations and one-off sessions that are well in the past, so the schedule stays small.</summary>
    private static SessionSchedule Tidy(SessionSchedule schedule, DateTimeZone zone, Instant now)
    {
        var cutoff = now - KeepPast;
        bool Recent(LocalDateTime start) => SessionRecurrence.ToInstant(start, zone) > cutoff;
        return schedule with
        {
            Cancelled = schedule.Cancelled.Where(kv => !OccurrenceIds.TryParse(kv.Key, out var l) || Recent(l)).ToDictionary(kv => kv.Key, kv => kv.Value),
            OneOffs = schedule.OneOffs.Where(o => Recent(o.Start)).ToList(),
        };
    }
}
