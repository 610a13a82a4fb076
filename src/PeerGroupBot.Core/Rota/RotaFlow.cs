using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Sessions;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Core.Rota;

/// <summary>
/// <c>rota</c>: peers take turns at the roles that run a session. Facilitators ask who can take what
/// (<c>rota poll</c>), the bot assigns fairly and explains why, and members can swap, step back and return
/// without pressure. This class reads commands and hands the work to <see cref="RotaPolls"/>,
/// <see cref="RotaSwaps"/> and <see cref="RotaChanges"/>.
/// </summary>
public sealed partial class RotaFlow(
    Documents documents,
    GroupDirectory directory,
    ISessionCalendar calendar,
    RotaPolls polls,
    RotaSwaps swaps,
    RotaChanges changes,
    IOptions<RotaOptions> options) : IFlow
{
    public string Name => "rota";

    public string HelpSummary => "the rota: who takes each role at upcoming sessions, swaps and stepping back";

    public IReadOnlyList<HelpEntry> Help { get; } =
    [
        new("rota show [n]", "see who is doing what at upcoming sessions, and why (`rota` alone works too); with a number or date, just that session"),
        new("rota post", "show the rota to everyone in the group's channel (`rota stats post` for the stats)", true),
        new("rota swap <number> @member", "ask someone to take your slot; they can accept or decline"),
        new("rota stepback", "pause your rota turns, no reason needed; your upcoming slots are passed on"),
        new("rota return", "take rota turns again after stepping back"),
        new("rota stats", "turns per member recently, to see whether leadership is shared"),
        new("rota roles", "see the roles the rota shares out"),
        new("rota poll [sessions | dates]", "ask who can take each role for the next sessions (default 4, up to 12), or for dates like `2026-12-01 18:00`", true),
        new("rota close", "close the rota poll now and post the rota", true),
        new("rota set <number> <role> @member|nobody", "change any slot on the rota", true),
        new("rota roles <role>, <role>, …", "change the roles (up to 8; `rota roles reset` for the defaults)", true),
        new("rota cap <turns> in <sessions> [role] | off", "limit how often one member is asked, e.g. `rota cap 2 in 6 facilitator`", true),
    ];

    public async Task<IReadOnlyList<BotReply>> HandleAsync(FlowContext context, CancellationToken cancellationToken)
    {
        if (context.Input.Kind == InputKind.Action)
        {
            return context.Verb switch
            {
                "avail" or "page" or "save" or "mark" or "all" or "none" => await polls.HandleActionAsync(context, cancellationToken),
                "swapyes" => [await swaps.AnswerAsync(context, accept: true, cancellationToken)],
                "swapno" => [await swaps.AnswerAsync(context, accept: false, cancellationToken)],
                "take" => [await changes.TakeOpenAsync(context, cancellationToken)],
                _ => [BotReply.Private("I couldn't understand that button. Try `rota show`.")],
            };
        }
        if (context.Input.Kind == InputKind.Form)
        {
            if (context.Verb != "dates") return [BotReply.Private("I couldn't understand that form. Try `rota poll` again.")];
            if (!context.IsFacilitator) return [FacilitatorsOnly("start a rota poll")];
            return [await PollForDatesAsync(context, context.Input.Values.GetValueOrDefault("dates", ""), cancellationToken)];
        }

        var words = WordsWithoutMentions(context.Arguments, context.Input.Mentions);
        switch (context.Verb)
        {
            case "" or "show" or "post":
                return [await ShowAsync(context, cancellationToken)];
            case "stats":
                return [await StatsAsync(context, cancellationToken)];
            case "swap":
                return [await swaps.RequestAsync(context, words.FirstOrDefault(RotaDates.LooksLikeSession) ?? "", cancellationToken)];
            case "stepback" or "step-back" or "pause":
                return [await changes.StepBackAsync(context, cancellationToken)];
            case "return" or "back" or "resume":
                return [await changes.ReturnAsync(context, cancellationToken)];
            case "roles":
                return [await RolesAsync(context, cancellationToken)];
            case "poll":
                if (!context.IsFacilitator) return [FacilitatorsOnly("start a rota poll")];
                return await PollAsync(context, cancellationToken);
            case "close":
                if (!context.IsFacilitator) return [FacilitatorsOnly("close the rota poll")];
                return [await CloseAsync(context, cancellationToken)];
            case "set":
                if (!context.IsFacilitator) return [FacilitatorsOnly("change other people's slots. To hand on your own, use `rota swap` or `rota stepback`")];
                return [await SetAsync(context, words, cancellationToken)];
            case "cap":
                return [await CapAsync(context, cancellationToken)];
            default:
                return [BotReply.Private($"`rota {Shorten(context.Verb)}` isn't something I know. Try `help rota`.")];
        }
    }

    private async Task<BotReply> ShowAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        var rota = await documents.GetValueAsync<RotaDocument>(RotaDocument.KeyFor(group.Id), cancellationToken) ?? new RotaDocument();
        var (arguments, visibility, note) = context.PostOrPrivate(verbWasPost: context.Verb == "post");
        var words = WordsWithoutMentions(arguments, context.Input.Mentions);
        if (words.Count > 0)
        {
            var upcoming = rota.Upcoming(context.Now, group.Zone).ToList();
            var entry = RotaDates.FindSession(upcoming, words[0]);
            return entry is null
                ? BotReply.Warn($"There's no upcoming session \"{Shorten(words[0])}\" on the rota. Type `rota show` to see them all with their numbers.")
                : WithNote(RotaText.Session(rota, entry, upcoming.IndexOf(entry) + 1, group.Zone) with { Visibility = visibility }, note);
        }
        var settings = await documents.GetValueAsync<RotaSettings>(RotaSettings.KeyFor(group.Id), cancellationToken) ?? new RotaSettings();
        var board = RotaText.Board(group, rota, context.Now, $"Rota for {group.Name}", settings.Cap);
        var poll = await documents.GetValueAsync<RotaPoll>(RotaPoll.KeyFor(group.Id), cancellationToken);
        if (poll is { IsOpen: true })
            board = board with { Text = board.Text + $"\n\nA rota poll is open until {RotaText.When(poll.Deadline, group.Zone)}: tap **Mark my availability** on it to say which roles you could take." };
        return WithNote(board with { Visibility = visibility }, note);
    }

    private static BotReply WithNote(BotReply reply, string? note) => note is null ? reply : reply with { Text = note + "\n\n" + reply.Text };

    private async Task<BotReply> StatsAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        var rota = await documents.GetValueAsync<RotaDocument>(RotaDocument.KeyFor(group.Id), cancellationToken) ?? new RotaDocument();
        var roster = await directory.ListMembersAsync(group.Id, cancellationToken);
        var stats = RotaText.Stats(rota, roster, options.Value.RecentWindowSessions, group.Zone);
        var (_, visibility, note) = context.PostOrPrivate();
        return WithNote(stats with { Visibility = visibility }, note);
    }

    private async Task<IReadOnlyList<BotReply>> PollAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        var arguments = context.Arguments.Trim();
        if (arguments.Length > 0 && !int.TryParse(arguments, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            return [await PollForDatesAsync(context, arguments, cancellationToken)];

        var count = arguments.Length == 0 ? Math.Clamp(options.Value.DefaultPollSessions, 1, RotaPoll.MaxSessions) : int.Parse(arguments, CultureInfo.InvariantCulture);
        if (count < 1 || count > RotaPoll.MaxSessions)
            return [BotReply.Warn($"A rota poll can cover 1 to {RotaPoll.MaxSessions} sessions. Try `rota poll 4`.")];

        var rota = await documents.GetValueAsync<RotaDocument>(RotaDocument.KeyFor(group.Id), cancellationToken);
        var onRota = rota?.Upcoming(context.Now, group.Zone).Count() ?? 0;
        var occurrences = await calendar.GetUpcomingAsync(group, context.Now, count + onRota, cancellationToken);
        var dated = occurrences.Where(o => o.Start is not null).ToList();
        if (dated.Count == 0) return [AskForDates()];

        var sessions = dated
            .Select(o => new RotaSession(o.Id, o.Start!.Value.InZone(group.Zone).Date, o.Start!.Value.InZone(group.Zone).TimeOfDay))
            .Where(s => rota?.Find(s.Id) is null)
            .Take(count)
            .ToList();
        if (sessions.Count == 0)
            return [BotReply.Warn("Every upcoming session I can see already has a rota. Type `rota show` to see it, or give later dates: `rota poll 2026-12-01 2026-12-08`.")];
        var reply = await polls.OpenAsync(group, sessions, context.Now, cancellationToken);
        if (sessions.Count < count && reply.Tone == ReplyTone.Success)
            reply = reply with { Text = $"I could only find {RotaText.Count(sessions.Count, "scheduled session", "scheduled sessions")} without a rota yet. " + reply.Text };
        return [reply];
    }

    private async Task<BotReply> PollForDatesAsync(FlowContext context, string text, CancellationToken cancellationToken)
    {
        var (sessions, problem) = RotaDates.ParseSessions(text, context.Now.InZone(context.RequiredGroup.Zone));
        if (problem is not null) return BotReply.Warn(problem);
        return await polls.OpenAsync(context.RequiredGroup, sessions!, context.Now, cancellationToken);
    }

    private static BotReply AskForDates() => BotReply.ShowForm(new ReplyForm(
        FlowContext.ActionId("rota", "dates"),
        "Dates for the rota poll",
        [
            new FormField("dates", $"Session dates (up to {RotaPoll.MaxSessions})", FormFieldKind.LongText, MaxLength: 400,
                Placeholder: "2026-12-01 18:00, 2026-12-08 18:00"),
        ],
        "Start the poll")) with
    {
        Text = "This group has no session schedule yet, so tell me the dates to ask about, e.g. `2026-12-01 18:00, 2026-12-08 18:00`. "
             + "You can also type them: `rota poll 2026-12-01 2026-12-08`.",
    };

    private async Task<BotReply> CloseAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        var result = await polls.CloseAsync(group, null, context.Now, cancellationToken);
        if (!result.Closed) return BotReply.Private("There's no open rota poll to close. Start one with `rota poll`.");
        var filled = result.Decisions.Count(d => d.IsFilled);
        var capped = result.Decisions.Count(d => d.BlockedByCap);
        var text = $"Closed. The rota is posted: {filled} of {RotaText.Count(result.Decisions.Count, "slot", "slots")} filled.";
        if (filled < result.Decisions.Count) text += " The empty ones are marked *nobody yet*; fill them with `rota set <number> <role> @member`.";
        if (capped > 0) text += $" The group's load cap left {RotaText.Count(capped, "slot", "slots")} empty, so it's your call whether to ask someone anyway.";
        return new BotReply { Text = text, Tone = ReplyTone.Success, Visibility = ReplyVisibility.Private };
    }

    private async Task<BotReply> SetAsync(FlowContext context, IReadOnlyList<string> words, CancellationToken cancellationToken)
    {
        const string usage = "Use `rota set <number> <role> @member`, or `rota set <number> <role> nobody` to empty a slot (numbers are from `rota show`).";
        var group = context.RequiredGroup;
        var nobody = words.Any(w => w.ToLowerInvariant() is "nobody" or "none" or "empty");
        var mentions = context.Input.Mentions.DistinctBy(m => m.MemberId).ToList();
        if (mentions.Count == 0 && !nobody && context.UnknownMention() is { } unknown) return BotReply.Warn(FlowContext.UnknownMemberText(unknown));
        if (words.Count < 2 || (mentions.Count != 1 && !nobody) || (mentions.Count > 0 && nobody)) return BotReply.Warn(usage);

        var rota = await documents.GetValueAsync<RotaDocument>(RotaDocument.KeyFor(group.Id), cancellationToken) ?? new RotaDocument();
        var upcoming = rota.Upcoming(context.Now, group.Zone).ToList();
        var entry = RotaDates.FindSession(upcoming, words[0]);
        if (entry is null)
            return BotReply.Warn($"There's no upcoming session \"{Shorten(words[0])}\" on the rota. {usage}");
        var roleText = string.Join(' ', words.Skip(1).Where(w => w.ToLowerInvariant() is not ("nobody" or "none" or "empty")));
        var role = RotaRoleNames.Match(entry.Slots.Select(s => s.Role).ToList(), roleText);
        if (role is null)
            return BotReply.Warn($"Which role? {entry.Session.LabelIn(group.Zone)} has: {string.Join(", ", entry.Slots.Select(s => s.Role))}.");
        return await changes.SetAsync(context, entry, role, nobody ? null : mentions[0], cancellationToken);
    }

    private async Task<BotReply> RolesAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        var key = RotaSettings.KeyFor(group.Id);
        var settings = await documents.GetValueAsync<RotaSettings>(key, cancellationToken) ?? new RotaSettings();
        var arguments = context.Arguments.Trim();
        if (arguments.Length == 0)
        {
            var change = context.IsFacilitator ? " Change them with `rota roles facilitator, co-facilitator, welcomer` (up to 8)." : "";
            return BotReply.Private($"The rota shares out these roles: **{string.Join(", ", settings.Roles)}**.{change}");
        }
        if (!context.IsFacilitator) return FacilitatorsOnly("change the rota's roles");

        List<string> roles;
        if (arguments.ToLowerInvariant() is "reset" or "default" or "defaults") roles = [.. RotaSettings.DefaultRoles];
        else
        {
            var (parsed, problem) = RotaRoleNames.Parse(arguments);
            if (problem is not null) return BotReply.Warn(problem + " Nothing was changed.");
            roles = parsed!;
        }
        var capDropped = false;
        await documents.UpdateAsync<RotaSettings>(key, current =>
        {
            var now = current ?? new RotaSettings();
            capDropped = now.Cap?.Role is { } capRole && !roles.Contains(capRole);
            return now with { Roles = roles, Cap = capDropped ? null : now.Cap };
        }, cancellationToken);

        var poll = await documents.GetValueAsync<RotaPoll>(RotaPoll.KeyFor(group.Id), cancellationToken);
        var text = $"The rota's roles are now: **{string.Join(", ", roles)}**. They apply from the next rota poll"
            + (poll is { IsOpen: true } ? "; the poll that's open now keeps its roles." : ".");
        if (capDropped) text += " The load cap was for a role that's gone, so it's switched off; set a new one with `rota cap`.";
        if (!roles.Contains(RotaAssigner.CoFacilitator))
            text += $" (Without a \"{RotaAssigner.CoFacilitator}\" role, first-timers can't be paired with an experienced co-facilitator.)";
        return new BotReply { Text = text, Tone = ReplyTone.Success };
    }

    [GeneratedRegex(@"^(\d{1,2})\s+(?:in|per|/)\s+(\d{1,2})(?:\s+sessions?)?(?:\s+(?:as\s+)?(.+))?$", RegexOptions.IgnoreCase)]
    private static partial Regex CapPattern();

    private async Task<BotReply> CapAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        var key = RotaSettings.KeyFor(group.Id);
        var settings = await documents.GetValueAsync<RotaSettings>(key, cancellationToken) ?? new RotaSettings();
        var arguments = context.Arguments.Trim();
        if (arguments.Length == 0)
        {
            return BotReply.Private(settings.Cap is null
                ? "There's no load cap: members can be given any number of turns (fewest turns still come first)."
                  + (context.IsFacilitator ? " Set one with `rota cap 2 in 6` or `rota cap 2 in 6 facilitator`." : "")
                : $"Load cap: at most {settings.Cap.Describe()}." + (context.IsFacilitator ? " `rota cap off` removes it." : ""));
        }
        if (!context.IsFacilitator) return FacilitatorsOnly("change the load cap");

        LoadCap? cap = null;
        if (arguments.ToLowerInvariant() is not ("off" or "none" or "remove"))
        {
            var match = CapPattern().Match(arguments);
            if (!match.Success)
                return BotReply.Warn("Write the cap as turns in sessions: `rota cap 2 in 6` (any role) or `rota cap 2 in 6 facilitator`; `rota cap off` removes it.");
            var turns = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            var window = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            if (turns < 1 || window < 2 || turns >= window)
                return BotReply.Warn("The cap needs at least 1 turn, and fewer turns than sessions (e.g. `rota cap 2 in 6`); otherwise it would never limit anything.");
            string? role = null;
            if (match.Groups[3].Success)
            {
                role = RotaRoleNames.Match(settings.Roles, match.Groups[3].Value);
                if (role is null) return BotReply.Warn($"\"{Shorten(match.Groups[3].Value)}\" isn't one of the rota's roles ({string.Join(", ", settings.Roles)}).");
            }
            cap = new LoadCap(turns, window, role);
        }
        await documents.UpdateAsync<RotaSettings>(key, current => (current ?? new RotaSettings()) with { Cap = cap }, cancellationToken);
        return new BotReply
        {
            Text = cap is null
                ? "The load cap is off. Fewest turns still come first when the rota is made."
                : $"Load cap set: nobody will be given more than {cap.Describe()}. When that leaves a slot empty, the rota says so and a facilitator can decide.",
            Tone = ReplyTone.Success,
        };
    }

    private static BotReply FacilitatorsOnly(string what)
        => BotReply.Private($"Only facilitators can {what}. Type `help rota` to see what you can do.");

    /// <summary>The words of a command with the mentioned members' names (and platform mention markup) taken out.</summary>
    internal static IReadOnlyList<string> WordsWithoutMentions(string text, IReadOnlyList<Mention> mentions)
        => FlowContext.WithoutMentions(text, mentions).Split([' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).Where(w => !w.StartsWith('@')).ToList();

    private static string Shorten(string text) => text.Length > 30 ? text[..30] + "…" : text;
}
