using System.Globalization;
using System.Text;
using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;

namespace PeerGroupBot.Core.Concerns;

/// <summary>
/// The messages of the concerns feature, in one place so their wording can be read and reviewed together. Nothing
/// here ever names the member who raised a concern: facilitators see "the member", members see "the facilitators".
/// </summary>
internal static class ConcernCards
{
    public const int PreviewLength = 300;

    public static string ActionId(string verb, string groupId, int number)
        => FlowContext.ActionId("concern", verb, groupId, number.ToString(CultureInfo.InvariantCulture));

    public static string Title(ConcernDocument concern) => $"Concern #{concern.Number} (anonymous){(concern.Urgent ? " — urgent" : "")}";

    /// <summary>The triage card facilitators see, kept up to date in place.</summary>
    public static BotReply Card(ConcernDocument concern, GroupDocument group, bool canReply)
    {
        var text = new StringBuilder();
        text.AppendLine($"**Status:** {StatusLine(concern, group)}");
        if (concern.Category is not null) text.AppendLine($"**About:** {concern.Category}");
        text.AppendLine($"**Replies:** {RepliesLine(concern, canReply)}");
        if (concern.Urgent && concern.Status != ConcernStatus.Resolved)
            text.AppendLine("**Urgent:** the words suggest someone may be at risk. The member was shown crisis contacts straight away. "
                + "Please look at this first and follow your group's safeguarding procedure.");
        text.AppendLine().AppendLine("**What they wrote**").AppendLine(MarkdownText.Member(concern.Text));
        var shared = concern.Thread.Where(m => m.SharedAt is not null).ToList();
        if (shared.Count > 0)
        {
            text.AppendLine().AppendLine($"**Conversation** ({shared.Count} message{(shared.Count == 1 ? "" : "s")}{(shared.Count > 6 ? ", latest 6 shown" : "")})");
            foreach (var message in shared.TakeLast(6))
                text.AppendLine($"- *{(message.From == ConcernAuthor.Facilitators ? "Facilitators" : "Member")}:* {MarkdownText.Member(Preview(message.Text))}");
        }

        var buttons = new List<ReplyButton>();
        if (concern.Status == ConcernStatus.New)
            buttons.Add(new ReplyButton("Acknowledge", ActionId("ack", group.Id, concern.Number), ButtonStyle.Primary));
        if (concern.IsOpen && canReply)
            buttons.Add(new ReplyButton("Reply", ActionId("reply", group.Id, concern.Number)));
        if (concern.IsOpen)
            buttons.Add(new ReplyButton("Resolve", ActionId("resolve", group.Id, concern.Number), ButtonStyle.Success));
        return new BotReply
        {
            Title = Title(concern),
            Text = text.ToString().TrimEnd(),
            Tone = concern.Status == ConcernStatus.Resolved ? ReplyTone.Success : concern.Urgent ? ReplyTone.Urgent : ReplyTone.Info,
            Buttons = buttons,
        };
    }

    /// <summary>What replaces a card when its concern is deleted at the end of retention: the text leaves the channel too.</summary>
    /// <summary>
    /// The button that opens the concern form privately, carried by the cards the group sees (welcome, agenda,
    /// reminders) so nobody has to type <c>concern</c> where others read it.
    /// </summary>
    public static ReplyButton RaiseButton(string groupId) => new("Raise a concern privately", FlowContext.ActionId("concern", "start", groupId));

    public static BotReply Deleted(int number) => new()
    {
        Title = $"Concern #{number} (deleted)",
        Text = "This concern was resolved and has now been deleted after the retention period, so its text is no longer shown.",
    };

    public static BotReply Nudge(ConcernDocument concern, GroupDocument group, Instant now)
    {
        var waited = concern.PostedAt is { } posted ? $" arrived {Ago(now - posted)} ago and" : "";
        return new BotReply
        {
            Title = $"{Title(concern)} still needs acknowledging",
            Text = $"Concern #{concern.Number}{waited} hasn't been acknowledged yet. Someone is waiting to know it was seen. "
                + "Acknowledge it with the button below (or on its card), or type `concern list` to see every open concern.",
            Tone = concern.Urgent ? ReplyTone.Urgent : ReplyTone.Warning,
            Buttons =
            [
                new ReplyButton("Acknowledge", ActionId("ack", group.Id, concern.Number), ButtonStyle.Primary),
                new ReplyButton("Show it", ActionId("show", group.Id, concern.Number)),
            ],
        };
    }

    public static BotReply MemberAnswered(ConcernDocument concern, GroupDocument group, IReadOnlyList<ConcernMessage> answers, bool canReply)
    {
        var text = new StringBuilder($"The member who raised concern #{concern.Number} answered:");
        foreach (var answer in answers) text.AppendLine().AppendLine().Append(MarkdownText.Member(answer.Text));
        var buttons = new List<ReplyButton>();
        if (concern.IsOpen && canReply) buttons.Add(new ReplyButton("Reply", ActionId("reply", group.Id, concern.Number), ButtonStyle.Primary));
        if (concern.IsOpen) buttons.Add(new ReplyButton("Resolve", ActionId("resolve", group.Id, concern.Number), ButtonStyle.Success));
        return new BotReply
        {
            Title = $"{Title(concern)}: the member answered",
            Text = text.ToString(),
            Tone = concern.Urgent ? ReplyTone.Urgent : ReplyTone.Info,
            Buttons = buttons,
        };
    }

    public static BotReply ReplyRouteExpired(ConcernDocument concern, int retentionDays) => new()
    {
        Title = $"{Title(concern)}: replies closed",
        Text = $"Concern #{concern.Number} has been open for {retentionDays} days. To keep as little as possible, I've deleted the private "
             + "route back to the member, so replies are no longer possible. Please resolve it when you can.",
        Tone = ReplyTone.Warning,
    };

    public const string NoConcernsChannelNote =
        "\n\n*This group has no private facilitators' channel for concerns yet, so I've sent this to each facilitator privately. "
        + "Run `setup concerns` in the group's channel to choose one.*";

    /// <summary>A facilitators' reply as the member receives it: no names, a way to answer.</summary>
    public static BotReply ToMember(GroupDocument group, ConcernDocument concern, string reply) => new()
    {
        Title = $"Reply from the facilitators about your concern #{concern.Number}",
        Text = $"The facilitators of **{MarkdownText.Member(group.Name)}** wrote:\n\n{MarkdownText.Member(reply)}\n\n"
             + "They don't know who you are, and they won't unless you tell them. You can answer with the button below.",
        Visibility = ReplyVisibility.Private,
        Buttons = [new ReplyButton("Answer", ActionId("answer", group.Id, concern.Number), ButtonStyle.Primary)],
    };

    public static BotReply AcknowledgedToMember(GroupDocument group, ConcernDocument concern) => new()
    {
        Text = $"The facilitators of **{MarkdownText.Member(group.Name)}** have seen your concern #{concern.Number}. They still don't know who raised it.",
        Visibility = ReplyVisibility.Private,
    };

    public static BotReply ResolvedToMember(GroupDocument group, ConcernDocument concern) => new()
    {
        Text = $"The facilitators of **{MarkdownText.Member(group.Name)}** have marked your concern #{concern.Number} as resolved. I've now deleted the only link "
             + "between you and it, so this conversation has closed. If something is still wrong, you can raise a new concern any time with `concern`.",
        Visibility = ReplyVisibility.Private,
    };

    public static BotReply Signposting(string signposting, string? lead = null) => new()
    {
        Title = "Support you can reach right now",
        Text = (lead is null ? "" : lead + "\n\n") + signposting
             + (signposting.Contains("clinician", StringComparison.OrdinalIgnoreCase) ? "" : "\n\nI'm a bot, not a clinician, so I can't give advice, but the people above can help now."),
        Tone = ReplyTone.Urgent,
        Visibility = ReplyVisibility.Private,
    };

    public static string Preview(string text)
    {
        var flat = text.ReplaceLineEndings(" ");
        return flat.Length <= PreviewLength ? flat : flat[..PreviewLength] + "…";
    }

    public static string When(Instant instant, GroupDocument group)
        => PeerGroupBot.Core.Time.WhenParser.DescribeShort(instant, group.Zone);

    private static string StatusLine(ConcernDocument concern, GroupDocument group) => concern.Status switch
    {
        ConcernStatus.New => "new — waiting to be acknowledged" + (concern.PostedAt is { } at ? $" (arrived {When(at, group)})" : ""),
        ConcernStatus.Acknowledged => $"acknowledged{By(concern.AcknowledgedBy)}{At(concern.AcknowledgedAt, group)}",
        ConcernStatus.Resolved => $"resolved{By(concern.ResolvedBy)}{At(concern.ResolvedAt, group)}",
        _ => "waiting to be shared",
    };

    private static string RepliesLine(ConcernDocument concern, bool canReply)
    {
        if (!concern.RepliesAllowed) return "the member chose no replies, so nothing links this concern back to them.";
        if (canReply) return "the member would welcome a reply. Use **Reply**: they'll see it privately, and neither side learns who the other is.";
        if (concern.Status == ConcernStatus.Resolved) return "closed: the concern is resolved and the route back to the member was deleted.";
        return concern.ReplyRouteExpired
            ? "closed: the route back to the member was deleted when the retention period ended."
            : "closed: there is no longer a way to reach the member.";
    }

    private static string By(string? name) => string.IsNullOrEmpty(name) ? "" : $" by {name}";

    private static string At(Instant? at, GroupDocument group) => at is null ? "" : $" ({When(at.Value, group)})";

    private static string Ago(Duration duration)
    {
        if (duration.TotalDays >= 2) return $"{(int)duration.TotalDays} days";
        if (duration.TotalHours >= 1) return $"{(int)duration.TotalHours} hour{((int)duration.TotalHours == 1 ? "" : "s")}";
        return $"{Math.Max(1, (int)duration.TotalMinutes)} minutes";
    }
}
