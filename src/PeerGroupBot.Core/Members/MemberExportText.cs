using System.Globalization;
using System.Text;
using System.Text.Json;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Sessions;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Core.Members;

/// <summary>How an export and an erasure read to the member: plain text in chat, and the same data as a JSON file.</summary>
public static class MemberExportText
{
    private static readonly JsonSerializerOptions Indented = new(Documents.JsonOptions) { WriteIndented = true };

    public static BotReply Export(MemberExport export)
    {
        var text = new StringBuilder();
        var prefs = export.Preferences;
        if (export.LinkedAccounts.Count > 0)
            text.AppendLine($"**Linked accounts:** your {string.Join(" and ", export.LinkedAccounts)} accounts are linked, so everything below is held once for both.").AppendLine();
        text.AppendLine("**Your settings**");
        text.AppendLine(prefs.HasQuietHours ? $"- Quiet hours {SessionText.Time(prefs.QuietFrom!.Value)}–{SessionText.Time(prefs.QuietUntil!.Value)}" : "- No quiet hours");
        text.AppendLine($"- Time zone: {prefs.TimeZone ?? "the group's"}");
        text.AppendLine($"- Private nudges: {prefs.Nudges switch { true => "on", false => "off", _ => "default" }}");
        if (export.Groups.Count == 0) text.AppendLine().AppendLine("I haven't seen you in any group.");
        foreach (var group in export.Groups)
        {
            text.AppendLine().AppendLine($"**{group.GroupName}**");
            text.AppendLine($"- Shown as: {group.DisplayName ?? "(no name kept)"}{(group.ListedFacilitator ? ", listed as a facilitator" : "")}{(group.SafeguardingLead ? ", listed as a safeguarding lead (alerted about urgent concerns)" : "")}");
            if (group.HeldMessages > 0)
                text.AppendLine($"- {Count(group.HeldMessages, "private message")} waiting for you (stored sealed until it can be delivered)");
            if (group.FirstSeen is { } first)
                text.AppendLine($"- First seen {Date(first)}, last seen {Date(group.LastSeen ?? first)}");
            foreach (var vote in group.OpenPollVotes)
                text.AppendLine($"- Your vote in open poll #{vote.PollId} \"{vote.Question}\": {string.Join(", ", vote.Choices)}");
            foreach (var item in group.AgendaItems)
                text.AppendLine($"- Agenda item you added: \"{item.Text}\"{(item.Done ? " (done)" : "")}");
            foreach (var turn in group.RotaTurns)
                text.AppendLine($"- Rota: {turn.Role} on {SessionName(turn.Session, group)}");
            foreach (var available in group.RotaAvailability)
                text.AppendLine($"- You said you could be {string.Join(" or ", available.Roles)} on {SessionName(available.Session, group)}");
            if (group.RotaSteppedBack) text.AppendLine("- You've stepped back from the rota for now");
            foreach (var rsvp in group.Rsvps)
                text.AppendLine($"- RSVP for {SessionName(rsvp.Session, group)}: {SessionCards.Describe(rsvp.Choice)}");
            if (group.RecordedRotaTurns > 0)
                text.AppendLine($"- The group's record names you for {group.RecordedRotaTurns} rota {(group.RecordedRotaTurns == 1 ? "turn" : "turns")}");
            foreach (var session in group.CheckoutsAnswered)
                text.AppendLine($"- You've answered the check-out for {session} (only that you did: your answers were never linked to you)");
        }
        if (export.PlatformRecords.Count > 0 || export.ConcernsCountedToday is not null || export.ConcernReplyRoutes > 0)
        {
            text.AppendLine().AppendLine("**Also held**");
            foreach (var line in export.PlatformRecords) text.AppendLine($"- {line}");
            if (export.ConcernsCountedToday is { } counted)
                text.AppendLine($"- A count of {counted} for today's limit on concerns (under a key deleted at midnight UTC; it says nothing about which concerns)");
            if (export.ConcernReplyRoutes > 0)
                text.AppendLine($"- {Count(export.ConcernReplyRoutes, "sealed way")} back to you for replies to concerns you raised (which concerns is not shown)");
        }
        text.AppendLine().AppendLine(export.Concerns);
        text.AppendLine().Append("The attached file holds the same, for keeping. `me erase` removes it all.");
        return new BotReply
        {
            Title = "What I hold about you",
            Text = text.ToString(),
            Visibility = ReplyVisibility.Private,
            Attachments = [new ReplyAttachment("my-data.json", "application/json", Json(export))],
        };
    }

    public static byte[] Json(MemberExport export) => JsonSerializer.SerializeToUtf8Bytes(export, Indented);

    /// <summary>What erasure cannot reach: messages in the channel history the bot keeps no reference to.</summary>
    public const string OlderMessages = "Older messages in the channel history (earlier announcements and replies) can't be changed by the bot; "
        + "ask a facilitator or the platform to delete them if they show your name.";

    public static BotReply Erased(ErasureSummary summary)
    {
        var lines = new List<string>();
        if (summary.OpenVotesWithdrawn > 0) lines.Add($"- {Count(summary.OpenVotesWithdrawn, "vote")} in open polls withdrawn; closed polls keep only their counts");
        if (summary.AgendaItemsAnonymised > 0) lines.Add($"- {Count(summary.AgendaItemsAnonymised, "agenda item")} now shown as from \"a member\"");
        if (summary.RotaTurnsAnonymised > 0) lines.Add($"- {Count(summary.RotaTurnsAnonymised, "past rota turn")} kept without your name");
        if (summary.UpcomingTurnsFreed > 0) lines.Add($"- {Count(summary.UpcomingTurnsFreed, "upcoming rota slot")} opened for someone else");
        if (summary.RecordTurnsAnonymised > 0) lines.Add($"- {Count(summary.RecordTurnsAnonymised, "rota turn")} on the group's record now shown as \"a member\"");
        if (summary.Rsvps > 0) lines.Add($"- {Count(summary.Rsvps, "RSVP")} removed");
        if (summary.ConcernRoutesDeleted > 0) lines.Add($"- {Count(summary.ConcernRoutesDeleted, "private reply route")} for concerns deleted");
        if (summary.HeldMessagesDeleted > 0) lines.Add($"- {Count(summary.HeldMessagesDeleted, "waiting message")} deleted");
        lines.Add("- your settings, your place in each group's member list, any facilitator or safeguarding-lead listing (in every group) and your platform contact details deleted");
        if (summary.LinkedAccounts > 0) lines.Add("- the link between your accounts deleted: this covered both of them");
        if (summary.PostedMessagesUpdated > 0) lines.Add($"- {Count(summary.PostedMessagesUpdated, "posted message")} updated to leave your name out (the agenda, poll cards and reminders I keep track of)");
        return new BotReply
        {
            Title = "Your data is erased",
            Text = $"Done. From {Count(summary.Groups, "group")}:\n{string.Join('\n', lines)}\n\n"
                + "Anonymous concerns were never linked to you, so there was nothing to find; they stay as the facilitators saw them. "
                + $"{OlderMessages}\n\n"
                + "If you use the bot again, it will only know what you do from now on.",
            Tone = ReplyTone.Success,
            Visibility = ReplyVisibility.Private,
            UpdatesSource = true,
        };
    }

    private static string Count(int n, string noun) => $"{n.ToString(CultureInfo.InvariantCulture)} {noun}{(n == 1 ? "" : "s")}";

    private static string Date(NodaTime.Instant at) => at.InUtc().Date.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>A session as a member reads it ("Tuesday 8 December, 18:30 GMT"), not its stored id ("2026-12-08T18:30"); a rota label passes through.</summary>
    private static string SessionName(string occurrenceId, ExportedGroup group)
    {
        if (!OccurrenceIds.TryParse(occurrenceId, out var start)) return occurrenceId;
        var zone = Groups.GroupDocument.ZoneOf(group.TimeZone);
        return $"{SessionText.Date(start.Date)}, {SessionText.Time(start.TimeOfDay)} {Time.WhenParser.Abbreviation(start.InZoneLeniently(zone))}";
    }
}
