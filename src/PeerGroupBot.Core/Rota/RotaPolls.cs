using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Outbound;
using PeerGroupBot.Core.Scheduling;
using PeerGroupBot.Core.State;

using PeerGroupBot.Core.Record;

namespace PeerGroupBot.Core.Rota;

/// <summary>The result of closing a rota poll: whether this call closed it, and the decisions it made.</summary>
public sealed record RotaPollClosed(bool Closed, RotaPoll? Poll, IReadOnlyList<SlotDecision> Decisions);

/// <summary>
/// A rota poll's life: posted to every channel of the group, answered privately (one form of every date with one
/// submit; on Discord, pages of up to four dates whose selects save as they are picked, to fit five component rows),
/// closed by a facilitator or at
/// its deadline, when the answers are turned into the rota.
/// </summary>
public sealed class RotaPolls(
    Documents documents,
    IOutbound outbound,
    ITimers timers,
    IOptions<RotaOptions> options,
    IRecord record,
    ILogger<RotaPolls> logger)
{
    public const string TimerId = "rota-poll";

    /// <summary>Sessions per private page: four selects and one row of buttons fill Discord's five rows.</summary>
    public const int PageSize = 4;

    public async Task<BotReply> OpenAsync(GroupDocument group, IReadOnlyList<RotaSession> sessions, Instant now, CancellationToken cancellationToken)
    {
        if (sessions.Count == 0)
            return BotReply.Warn("There are no sessions to ask about. Give dates like `rota poll 2026-12-01 2026-12-08`.");
        if (sessions.Count > RotaPoll.MaxSessions)
            return BotReply.Warn($"A rota poll can cover up to {RotaPoll.MaxSessions} sessions at a time. Try `rota poll {RotaPoll.MaxSessions}`.");

        var settings = await documents.GetValueAsync<RotaSettings>(RotaSettings.KeyFor(group.Id), cancellationToken).ConfigureAwait(false) ?? new RotaSettings();
        var rota = await documents.GetValueAsync<RotaDocument>(RotaDocument.KeyFor(group.Id), cancellationToken).ConfigureAwait(false);
        var already = sessions.Where(s => rota?.Find(s.Id) is not null).ToList();
        if (already.Count > 0)
            return BotReply.Warn($"{string.Join(", ", already.Select(s => s.LabelIn(group.Zone)))} {(already.Count == 1 ? "is" : "are")} already on the rota. "
                + "Leave out dates that already have a rota, or change a slot with `rota set <number> <role> @member`.");

        var deadline = Deadline(now, sessions[0].StartIn(group.Zone));
        var poll = new RotaPoll
        {
            Id = "rp" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5)),
            Sessions = [.. sessions],
            Roles = [.. settings.Roles],
            OpenedAt = now,
            Deadline = deadline,
        };
        RotaPoll? openAlready = null;
        await documents.UpdateAsync<RotaPoll>(RotaPoll.KeyFor(group.Id), current =>
        {
            openAlready = current is { IsOpen: true } ? current : null;
            return openAlready is null ? poll : null;
        }, cancellationToken).ConfigureAwait(false);
        if (openAlready is not null)
            return BotReply.Warn($"A rota poll is already open (it closes {RotaText.When(openAlready.Deadline, group.Zone)}). Close it with `rota close` before starting another.");

        var posted = await outbound.PostToGroupAsync(group, Card(poll, group.Zone), cancellationToken).ConfigureAwait(false);
        await documents.UpdateAsync<RotaPoll>(RotaPoll.KeyFor(group.Id), current => current?.Id == poll.Id ? current with { Posted = posted } : null, cancellationToken).ConfigureAwait(false);
        await timers.ScheduleAsync(new TimerDocument(group.Id, TimerId, RotaPollDeadline.TimerKind, deadline, poll.Id), cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Rota poll {PollId} opened in group {GroupId} for {Count} sessions.", poll.Id, group.Id, sessions.Count);
        return new BotReply
        {
            Text = $"I've posted a rota poll for {RotaText.Count(sessions.Count, "session", "sessions")} ({sessions[0].LabelIn(group.Zone)}{(sessions.Count > 1 ? " to " + sessions[^1].LabelIn(group.Zone) : "")}). "
                 + $"It closes on **{RotaText.When(deadline, group.Zone)}**; `rota close` closes it sooner.",
            Tone = ReplyTone.Success,
            Visibility = ReplyVisibility.Private,
        };
    }

    /// <summary>
    /// Clicks and choices on a poll: "avail" (open my answers), "page", "save" (every date's selects sent together),
    /// "mark" (one date's select, saved as it is picked where selects cannot be gathered), "all", "none".
    /// </summary>
    public async Task<IReadOnlyList<BotReply>> HandleActionAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        var pollId = context.ActionArgs.Count > 0 ? context.ActionArgs[0] : "";
        var number = context.ActionArgs.Count > 1 && int.TryParse(context.ActionArgs[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        var poll = await documents.GetValueAsync<RotaPoll>(RotaPoll.KeyFor(group.Id), cancellationToken).ConfigureAwait(false);
        if (poll is null || poll.Id != pollId || !poll.IsOpen)
            return [BotReply.Private("This rota poll has closed. Type `rota show` to see the rota.")];

        var actor = context.Actor;
        var gathers = context.Input.GathersSelects;
        switch (context.Verb)
        {
            case "avail":
                return [await PageAsync(group, poll, actor.MemberId, 0, null, updatesSource: false, gathers, cancellationToken).ConfigureAwait(false)];
            case "page":
                return [await PageAsync(group, poll, actor.MemberId, Math.Clamp(number, 0, PageCount(poll, gathers) - 1), null, updatesSource: true, gathers, cancellationToken).ConfigureAwait(false)];
            case "save":
                var picked = poll.Sessions
                    .Select((s, i) => (Session: s, Values: context.Input.Choices.GetValueOrDefault(SelectId(poll, i))))
                    .Where(p => p.Values is not null)
                    .Select(p => (p.Session, Roles: RolesFrom(poll, p.Values!)))
                    .ToList();
                if (picked.Count == 0)
                    return [await PageAsync(group, poll, actor.MemberId, 0, "Nothing came with that, so nothing has changed. Tick the roles on each date, then press **Save my availability**.",
                        updatesSource: true, gathers, cancellationToken).ConfigureAwait(false)];
                var withRoles = picked.Count(p => p.Roles.Count > 0);
                return await AnswerAsync(group, poll.Id, actor, roles => { foreach (var (s, r) in picked) roles[s.Id] = r; }, 0,
                    withRoles == 0 ? "Saved: you're not down for any of these dates." : $"Saved: roles on {RotaText.Count(withRoles, "date", "dates")}. Thank you!",
                    gathers, cancellationToken).ConfigureAwait(false);
            case "mark" when number < poll.Sessions.Count:
                var session = poll.Sessions[number];
                var chosen = RolesFrom(poll, context.Input.Selected);
                return await AnswerAsync(group, poll.Id, actor, roles => roles[session.Id] = chosen, gathers ? 0 : number / PageSize,
                    chosen.Count == 0 ? $"Saved: not {session.LabelIn(group.Zone)}." : $"Saved: {session.LabelIn(group.Zone)}, {string.Join(", ", chosen)}.", gathers, cancellationToken).ConfigureAwait(false);
            case "all":
                return await AnswerAsync(group, poll.Id, actor, roles => { foreach (var s in poll.Sessions) roles[s.Id] = [.. poll.Roles]; }, number,
                    "Saved: any role, every date. Thank you!", gathers, cancellationToken).ConfigureAwait(false);
            case "none":
                return await AnswerAsync(group, poll.Id, actor, roles => roles.Clear(), number,
                    "Cleared: you're not down as available for any of these dates.", gathers, cancellationToken).ConfigureAwait(false);
            default:
                return [BotReply.Private("I couldn't understand that button. Try `rota show`.")];
        }
    }

    /// <summary>The action id of the select for the poll's <paramref name="index"/>th session (0-based).</summary>
    private static string SelectId(RotaPoll poll, int index) => FlowContext.ActionId("rota", "mark", poll.Id, index.ToString(CultureInfo.InvariantCulture));

    /// <summary>The roles named by a select's values (each a role's index), in the poll's order; anything else is ignored.</summary>
    private static List<string> RolesFrom(RotaPoll poll, IEnumerable<string> values)
    {
        var indexes = values.Select(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : -1).ToHashSet();
        return poll.Roles.Where((_, i) => indexes.Contains(i)).ToList();
    }

    private async Task<IReadOnlyList<BotReply>> AnswerAsync(GroupDocument group, string pollId, Actor actor, Action<Dictionary<string, List<string>>> change,
        int page, string notice, bool gathers, CancellationToken cancellationToken)
    {
        var updated = await documents.UpdateAsync<RotaPoll>(RotaPoll.KeyFor(group.Id), current =>
        {
            if (current is null || current.Id != pollId || !current.IsOpen) return null;
            var roles = new Dictionary<string, List<string>>(current.Answers.GetValueOrDefault(actor.MemberId)?.Roles ?? []);
            change(roles);
            var kept = roles.Where(r => r.Value.Count > 0 && current.Sessions.Any(s => s.Id == r.Key)).ToDictionary();
            var answers = new Dictionary<string, PollAnswer>(current.Answers);
            if (kept.Count == 0) answers.Remove(actor.MemberId);
            else answers[actor.MemberId] = new PollAnswer(actor.DisplayName, kept);
            return current with { Answers = answers };
        }, cancellationToken).ConfigureAwait(false);
        if (updated is null || updated.Id != pollId || !updated.IsOpen)
            return [BotReply.Private("This rota poll closed just now, so that answer wasn't saved. Type `rota show` to see the rota.")];

        await outbound.UpdateAsync(updated.Posted, Card(updated, group.Zone), cancellationToken).ConfigureAwait(false);
        return [await PageAsync(group, updated, actor.MemberId, Math.Clamp(page, 0, PageCount(updated, gathers) - 1), notice, updatesSource: true, gathers, cancellationToken).ConfigureAwait(false)];
    }

    /// <summary>Closes the open poll (or only <paramref name="pollId"/>) and puts its answers on the rota. Safe to call twice.</summary>
    public async Task<RotaPollClosed> CloseAsync(GroupDocument group, string? pollId, Instant now, CancellationToken cancellationToken)
    {
        RotaPoll? closing = null;
        await documents.UpdateAsync<RotaPoll>(RotaPoll.KeyFor(group.Id), current =>
        {
            closing = current is not null && (pollId is null || current.Id == pollId) ? current with { Status = RotaPollStatus.Closed } : null;
            return current is { IsOpen: true } ? closing : null;
        }, cancellationToken).ConfigureAwait(false);
        if (closing is null) return new RotaPollClosed(false, null, []);
        var poll = closing;

        var settings = await documents.GetValueAsync<RotaSettings>(RotaSettings.KeyFor(group.Id), cancellationToken).ConfigureAwait(false) ?? new RotaSettings();
        IReadOnlyList<SlotDecision> decisions = [];
        var applied = false;
        var rota = await documents.UpdateAsync<RotaDocument>(RotaDocument.KeyFor(group.Id), current =>
        {
            applied = false;
            var doc = current ?? new RotaDocument();
            if (doc.AppliedPolls.Contains(poll.Id)) return null;
            foreach (var (memberId, answer) in poll.Answers) doc.Names[memberId] = answer.DisplayName;
            var open = new HashSet<(string, string)>();
            foreach (var session in poll.Sessions.Where(s => doc.Find(s.Id) is null))
            {
                var available = poll.Roles.ToDictionary(r => r, r => poll.Answers
                    .Where(a => a.Value.Roles.GetValueOrDefault(session.Id)?.Contains(r) == true)
                    .Select(a => a.Key).Order(StringComparer.Ordinal).ToList());
                doc.Sessions.Add(new RotaEntry(session, [.. poll.Roles.Select(r => new RotaSlot(r, null, ""))], available));
                foreach (var role in poll.Roles) open.Add((session.Id, role));
            }
            doc.Sessions.Sort((a, b) => a.Session.SortKey.CompareTo(b.Session.SortKey));
            decisions = RotaPlanning.Fill(doc, open, options.Value.RecentWindowSessions, settings.Cap);
            doc.AppliedPolls.Add(poll.Id);
            RotaPlanning.Trim(doc, options.Value.KeepSessions, now, group.Zone);
            applied = true;
            return doc;
        }, cancellationToken).ConfigureAwait(false);
        await timers.CancelAsync(group.Id, TimerId, cancellationToken).ConfigureAwait(false);
        if (!applied || rota is null) return new RotaPollClosed(false, poll, []);

        var answered = poll.Answers.Count;
        var board = RotaText.Board(group, rota, now, "The rota is ready", settings.Cap);
        var intro = answered == 0
            ? "Nobody answered the rota poll this time, so the slots are empty for now. A facilitator can fill them with `rota set <number> <role> @member`, or start a new poll with `rota poll`."
            : $"The rota poll has closed. Thank you to the {RotaText.Count(answered, "person", "people")} who answered! Here's who is doing what, and why:";
        await outbound.PostToGroupAsync(group, board with { Text = intro + "\n\n" + board.Text, Tone = ReplyTone.Success }, cancellationToken).ConfigureAwait(false);
        await outbound.UpdateAsync(poll.Posted, ClosedCard(), cancellationToken).ConfigureAwait(false);
        await record.RotaAssignedAsync(group, rota, poll.Sessions.Select(s => s.Id), cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Rota poll {PollId} of group {GroupId} closed: {Filled} of {Slots} slots filled.",
            poll.Id, group.Id, decisions.Count(d => d.IsFilled), decisions.Count);
        return new RotaPollClosed(true, poll, decisions);
    }

    /// <summary>The card posted to the group: dates, roles, how many are available per date (never who).</summary>
    public static BotReply Card(RotaPoll poll, DateTimeZone zone)
    {
        var text = new StringBuilder();
        text.AppendLine("Taking turns at a role is how we share running the group. If you'd like to, tap **Mark my availability** and pick the roles you could take on each date. "
            + $"There's no pressure, and you can change your answers until **{RotaText.When(poll.Deadline, zone)}**.");
        text.AppendLine();
        text.AppendLine($"**Roles:** {string.Join(", ", poll.Roles)}");
        text.AppendLine("**Sessions:**");
        foreach (var session in poll.Sessions)
            text.AppendLine($"- {session.LabelIn(zone)}: {poll.AvailableCount(session.Id)} available");
        text.AppendLine();
        text.Append(poll.Answers.Count == 0 ? "Nobody has answered yet." : $"{RotaText.Count(poll.Answers.Count, "person has", "people have")} answered so far.");
        return new BotReply
        {
            Title = "Rota poll: who can help run our sessions?",
            Text = text.ToString(),
            Buttons = [new ReplyButton("Mark my availability", FlowContext.ActionId("rota", "avail", poll.Id), ButtonStyle.Primary)],
        };
    }

    public static BotReply ClosedCard() => new()
    {
        Title = "Rota poll (closed)",
        Text = "This rota poll has closed and the rota has been posted. Type `rota show` to see it.",
    };

    /// <summary>
    /// A member's own availability, pre-filled with what they answered before. Where the adapter gathers selects
    /// (<see cref="BotInput.GathersSelects"/>) it is one form: every date, one <b>Save my availability</b>. Elsewhere
    /// (Discord) it is pages of <see cref="PageSize"/> dates whose selects each save as soon as they are picked, and the
    /// page says so.
    /// </summary>
    private async Task<BotReply> PageAsync(GroupDocument group, RotaPoll poll, string memberId, int page, string? notice, bool updatesSource, bool gathers, CancellationToken cancellationToken)
    {
        var rota = await documents.GetValueAsync<RotaDocument>(RotaDocument.KeyFor(group.Id), cancellationToken).ConfigureAwait(false);
        var text = new StringBuilder();
        if (notice is not null) text.AppendLine(notice).AppendLine();
        if (rota?.SteppedBack.Contains(memberId) == true)
            text.AppendLine("You've stepped back from the rota, so you won't be given a slot until you type `rota return`. Your answers are kept for when you do.").AppendLine();
        text.AppendLine((gathers
                ? "Tick the roles you could take on each date, then press **Save my availability** once: every date is saved together. "
                : "For each date, pick the roles you could take. Each date saves as soon as you pick its roles; there's nothing else to press. ")
            + "Leave a date empty if you can't make it or would rather not; no reason needed. "
            + $"You can change this until {RotaText.When(poll.Deadline, group.Zone)}.");
        text.AppendLine().AppendLine("**Your answers so far:**");
        foreach (var session in poll.Sessions)
        {
            var roles = poll.RolesOf(memberId, session.Id);
            var answer = roles.Count == 0 ? "not this time" : roles.Count == poll.Roles.Count && poll.Roles.Count > 1 ? "any role" : string.Join(", ", roles);
            text.AppendLine($"- {session.LabelIn(group.Zone)}: {answer}");
        }

        var size = gathers ? Math.Max(1, poll.Sessions.Count) : PageSize;
        var pages = PageCount(poll, gathers);
        var first = page * size;
        var selects = poll.Sessions.Skip(first).Take(size).Select((session, i) =>
        {
            var mine = poll.RolesOf(memberId, session.Id);
            return new ReplySelect(
                SelectId(poll, first + i),
                $"{session.LabelIn(group.Zone)}: roles you could take",
                [.. poll.Roles.Select((role, r) => new SelectOption(role, r.ToString(CultureInfo.InvariantCulture), Selected: mine.Contains(role)))],
                MinValues: 0,
                MaxValues: poll.Roles.Count);
        }).ToList();

        var buttons = new List<ReplyButton>();
        if (page > 0) buttons.Add(new ReplyButton("◀ Earlier dates", FlowContext.ActionId("rota", "page", poll.Id, (page - 1).ToString(CultureInfo.InvariantCulture))));
        if (page + 1 < pages) buttons.Add(new ReplyButton("Later dates ▶", FlowContext.ActionId("rota", "page", poll.Id, (page + 1).ToString(CultureInfo.InvariantCulture))));
        buttons.Add(new ReplyButton("Any role, every date", FlowContext.ActionId("rota", "all", poll.Id, page.ToString(CultureInfo.InvariantCulture)), ButtonStyle.Success));
        buttons.Add(new ReplyButton("Clear my answers", FlowContext.ActionId("rota", "none", poll.Id, page.ToString(CultureInfo.InvariantCulture))));

        return new BotReply
        {
            Title = pages == 1 ? "Your rota availability" : $"Your rota availability (dates {first + 1}–{Math.Min(first + size, poll.Sessions.Count)} of {poll.Sessions.Count})",
            Text = text.ToString().TrimEnd(),
            Selects = selects,
            SubmitSelects = gathers ? new ReplyButton("Save my availability", FlowContext.ActionId("rota", "save", poll.Id), ButtonStyle.Primary) : null,
            Buttons = buttons,
            Visibility = ReplyVisibility.Private,
            UpdatesSource = updatesSource,
        };
    }

    private static int PageCount(RotaPoll poll, bool gathers) => gathers ? 1 : Math.Max(1, (poll.Sessions.Count + PageSize - 1) / PageSize);

    /// <summary>Open for the configured hours, but closed an hour before the first session, and never sooner than 15 minutes from now.</summary>
    private Instant Deadline(Instant now, Instant firstStart)
    {
        var deadline = now + Duration.FromHours(Math.Max(1, options.Value.PollOpenHours));
        var beforeFirst = firstStart - Duration.FromHours(1);
        if (deadline > beforeFirst) deadline = beforeFirst;
        var soonest = now + Duration.FromMinutes(15);
        return deadline < soonest ? soonest : deadline;
    }
}
