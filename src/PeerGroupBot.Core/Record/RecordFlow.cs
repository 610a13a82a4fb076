using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using NodaTime;
using NodaTime.Text;
using PeerGroupBot.Core.Checkouts;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Rota;
using PeerGroupBot.Core.Sessions;

namespace PeerGroupBot.Core.Record;

/// <summary>
/// <c>record</c>: the group's co-production record. Any member sees "you said, we did" for recent weeks;
/// facilitators get the co-production report for a period (text, CSV and a PNG chart), publish a one-line outcome
/// for a resolved concern, and set how long history is kept.
/// </summary>
public sealed partial class RecordFlow(DecisionLog log, RecordRetention retention, CheckoutSettingsCommands checkouts, CheckoutOpener checkoutOpener) : IFlow
{
    public const int RecentDays = 42;
    public const int RecentEntries = 12;
    public const int MaxOutcomeLength = 200;
    public const int MaxKeepDays = 3650;

    public string Name => "record";

    public string HelpSummary => "the co-production record: you said, we did";

    public IReadOnlyList<HelpEntry> Help { get; } =
    [
        new("record", "you said, we did: recent polls, agendas, rota, concern outcomes and sessions"),
        new("record report [month|90d|quarter|year|2026-11] [post]", "co-production report for a period, with CSV and a chart; privately, or to everyone with `post`", true),
        new("record outcome 4 <one line>", "publish what came of resolved concern #4 (never its text)", true),
        new("record keep [polls|agendas|record] <days>", "how long closed polls, agenda texts and the record are kept", true),
        .. CheckoutSettingsCommands.Help,
    ];

    [GeneratedRegex(@"^(?<days>\d{1,4})\s*(d|days?)$", RegexOptions.IgnoreCase)]
    private static partial Regex DaysPattern();

    public async Task<IReadOnlyList<BotReply>> HandleAsync(FlowContext context, CancellationToken cancellationToken)
    {
        if (context.Input.Kind != InputKind.Message)
            return [BotReply.Warn("I couldn't read that button. Type `record` to see the record.")];
        switch (context.Verb)
        {
            case "" or "show" or "recent":
                return [await RecentAsync(context, cancellationToken)];
            case "report" or "summary":
                return context.IsFacilitator ? [await ReportAsync(context, cancellationToken)] : [FacilitatorsOnly("The co-production report")];
            case "outcome":
                return context.IsFacilitator ? [await OutcomeAsync(context, cancellationToken)] : [FacilitatorsOnly("Publishing a concern's outcome")];
            case "keep" or "retention":
                return context.IsFacilitator ? [await KeepAsync(context, cancellationToken)] : [FacilitatorsOnly("Changing how long history is kept")];
            case "checkout" or "checkouts" or "check-out":
                return context.IsFacilitator ? [await checkouts.HandleAsync(context, cancellationToken)] : [FacilitatorsOnly("Changing the session check-out")];
            default:
                return [BotReply.Private($"`record {SessionText.Shown(context.Verb)}` isn't something I know. Try `record`, or for facilitators `record report`.")];
        }
    }

    private static BotReply FacilitatorsOnly(string what)
        => BotReply.Private($"{what} is for facilitators. Anyone can see the group's record with `record`.");

    private async Task<BotReply> RecentAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        var entries = AtLeastK(await log.ReadAsync(group.Id, context.Now - Duration.FromDays(RecentDays), context.Now + Duration.FromDays(1), cancellationToken), group)
            .Where(e => e.Kind != RecordKind.Concern || e.Outcome is not null) // a concern shows only once facilitators publish an outcome
            .TakeLast(RecentEntries).ToList();
        if (entries.Count == 0)
            return BotReply.Private($"Nothing is on the record for the last {RecentDays / 7} weeks yet. Closed polls, posted agendas, the rota, "
                + "resolved concerns and sessions are added as they happen.");

        var said = entries.Where(e => e.Kind is RecordKind.Poll or RecordKind.Agenda or RecordKind.Checkout).Select(e => Line(e, group.Zone)).ToList();
        var did = entries.Where(e => e.Kind is RecordKind.Rota or RecordKind.Concern or RecordKind.Session).Select(e => Line(e, group.Zone)).ToList();
        var text = new StringBuilder();
        if (said.Count > 0) text.AppendLine("**You said**").AppendLine(string.Join('\n', said));
        if (did.Count > 0) text.AppendLine().AppendLine("**We did**").AppendLine(string.Join('\n', did));
        return new BotReply { Title = $"{group.Name}: you said, we did", Text = text.ToString().Trim(), Visibility = ReplyVisibility.Private };
    }

    /// <summary>
    /// Check-out counts are kept only from k answers at the close; a group that has raised k since sees no counts from a
    /// check-out with fewer answers than k is now.
    /// </summary>
    private IEnumerable<RecordEntry> AtLeastK(IEnumerable<RecordEntry> entries, Groups.GroupDocument group)
    {
        var k = checkoutOpener.MinAnswers(group);
        return entries.Select(e => e.Kind == RecordKind.Checkout && e.Answered < k && e.Scores.Count > 0 ? e with { Scores = [] } : e);
    }

    private static string Line(RecordEntry entry, DateTimeZone zone)
    {
        var day = entry.At.InZone(zone).Date.ToString("ddd d MMM", CultureInfo.InvariantCulture);
        // Session titles are stored without their zone ("Tue 3 Nov, 18:30"); every entry's At is that session's start.
        var session = RotaSession.Zoned(entry.Title, entry.At, zone);
        return entry.Kind switch
        {
            RecordKind.Poll => $"- {day}: poll \"{entry.Title}\": {entry.Outcome} ({entry.Voters} of {entry.Eligible} members voted)",
            RecordKind.Agenda => $"- Agenda for {session}: {entry.MemberItems + entry.PollItems} of {entry.MemberItems + entry.PollItems + entry.FacilitatorItems} items from members"
                + (string.IsNullOrEmpty(entry.Outcome) ? "" : $" ({entry.Outcome})"),
            RecordKind.Rota => $"- Rota for {session}: " + (entry.Holders.Count == 0 ? "nobody yet"
                : string.Join(", ", entry.Holders.Select(h => $"{h.Role} {h.Name}"))),
            RecordKind.Concern => $"- {day}: a concern{(entry.Category is null ? "" : $" about {entry.Category}")} was resolved: {entry.Outcome}",
            RecordKind.Checkout => $"- Check-out after {session}: " + (entry.Scores.Count == 0
                ? "too few members answered to show anything anonymously"
                : $"{entry.Answered} answered; medians out of 5: " + string.Join("; ", entry.Scores.Select(s => $"{s.Question} **{CoproductionReport.Score(s.Median)}**"))),
            _ => $"- {session}: session {entry.Outcome}",
        };
    }

    private async Task<BotReply> ReportAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        var (arguments, visibility, note) = context.PostOrPrivate();
        if (ParsePeriod(arguments, context.LocalNow.Date) is not { } period)
            return BotReply.Warn("Which period? Try `record report` (last 30 days), `record report 90d`, `record report year` or `record report 2026-11` for a calendar month.");
        var from = period.From.AtStartOfDayInZone(group.Zone).ToInstant();
        var until = period.To.PlusDays(1).AtStartOfDayInZone(group.Zone).ToInstant();
        var entries = AtLeastK(await log.ReadAsync(group.Id, from, until, cancellationToken), group).ToList();
        var report = CoproductionReport.Compute(group.Name, period.From, period.To, entries);
        var stem = $"coproduction-{period.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}-to-{period.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
        return new BotReply
        {
            Title = $"{group.Name}: co-production report, {report.Period}",
            Text = (note is null ? "" : note + "\n\n") + report.Text() + "\n\nThe figures come from the group's record (`record`). The CSV and chart are attached for reports."
                + (report.Checkouts.Count > 0 ? " What members wrote in their check-outs: `record checkout comments`." : "")
                + (visibility == ReplyVisibility.Private && note is null ? " Only you can see this; `record report … post` in the group's channel shows it to everyone." : ""),
            Visibility = visibility,
            Attachments =
            [
                new ReplyAttachment(stem + ".csv", "text/csv", Encoding.UTF8.GetBytes(report.Csv())),
                new ReplyAttachment(stem + ".png", "image/png", report.Png()),
                .. report.CheckoutPng() is { } checkouts ? [new ReplyAttachment(stem + "-checkouts.png", "image/png", checkouts)] : Array.Empty<ReplyAttachment>(),
            ],
        };
    }

    /// <summary>"" or "month": the last 30 days; "90d"; "quarter"; "year"; "2026-11": that calendar month.</summary>
    public static (LocalDate From, LocalDate To)? ParsePeriod(string text, LocalDate today)
    {
        text = text.Trim().ToLowerInvariant();
        int? days = text switch
        {
            "" or "month" or "30d" => 30,
            "week" => 7,
            "quarter" => 91,
            "year" => 365,
            _ => DaysPattern().Match(text) is { Success: true } m ? int.Parse(m.Groups["days"].Value, CultureInfo.InvariantCulture) : null,
        };
        if (days is > 0 and <= MaxKeepDays) return (today.PlusDays(1 - days.Value), today);
        if (days is not null) return null;
        var month = YearMonthPattern.Iso.Parse(text);
        if (!month.Success) return null;
        return (month.Value.OnDayOfMonth(1), month.Value.OnDayOfMonth(1).PlusMonths(1).PlusDays(-1));
    }

    private async Task<BotReply> OutcomeAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var parts = context.Arguments.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length < 2 || !int.TryParse(parts[0].TrimStart('#'), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            return BotReply.Warn("Give the concern's number and one line to publish, like `record outcome 4 We moved sessions to a quieter room`. Never include what the member wrote.");
        var outcome = string.Join(' ', parts[1].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (outcome.Length > MaxOutcomeLength)
            return BotReply.Warn($"Keep the outcome to one line of {MaxOutcomeLength} characters or fewer.");
        var found = await log.UpdateEntryAsync(context.RequiredGroup.Id, $"concern-{number}", e => e with { Outcome = outcome }, cancellationToken);
        return found
            ? new BotReply { Text = $"Published on the record: concern #{number} — {outcome}", Tone = ReplyTone.Success, Visibility = ReplyVisibility.Private }
            : BotReply.Warn($"Concern #{number} isn't on the record: only resolved concerns are. Resolve it first from `concern list`.");
    }

    private async Task<BotReply> KeepAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        var parts = context.Arguments.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 2)
        {
            if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var days) || days is < 1 or > MaxKeepDays)
                return BotReply.Warn($"Give a number of days from 1 to {MaxKeepDays}, like `record keep polls 180`.");
            Func<RetentionSettings, RetentionSettings>? change = parts[0] switch
            {
                "polls" or "poll" => s => s with { ClosedPollDays = days },
                "agendas" or "agenda" => s => s with { AgendaDays = days },
                "record" or "log" => s => s with { RecordDays = days },
                _ => null,
            };
            if (change is null) return BotReply.Warn("Say what to keep: `record keep polls 180`, `record keep agendas 90` or `record keep record 730`.");
            await retention.UpdateSettingsAsync(group.Id, change, cancellationToken);
            await retention.EnsureScheduledAsync(group.Id, cancellationToken);
        }
        else if (parts.Length != 0)
        {
            return BotReply.Warn("Say what to keep and for how many days: `record keep polls 180`, `record keep agendas 90` or `record keep record 730`.");
        }
        var settings = await retention.SettingsAsync(group.Id, cancellationToken);
        var defaults = retention.Defaults;
        return new BotReply
        {
            Title = "How long history is kept",
            Text = $"- Closed polls: **{settings.ClosedPollDays ?? defaults.ClosedPollDays} days** after closing\n"
                + $"- Agenda item texts on the record: **{settings.AgendaDays ?? defaults.AgendaDays} days** (the counts stay)\n"
                + $"- The record itself: **{settings.RecordDays ?? defaults.RecordDays} days**\n\n"
                + "Older history is removed once a day. Change one with `record keep polls 180`.",
            Tone = parts.Length == 2 ? ReplyTone.Success : ReplyTone.Info,
            Visibility = ReplyVisibility.Private,
        };
    }
}
