using System.Security.Cryptography;
using System.Text;
using NodaTime;
using PeerGroupBot.Core.Concerns;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Outbound;

namespace PeerGroupBot.Core.Groups;

/// <summary>
/// <c>setup</c>: start a group in a channel, change its settings, name facilitators, link more channels
/// (a bridged group, or the facilitators' concerns channel).
/// </summary>
public sealed class SetupFlow(GroupDirectory directory, LinkCodes codes, IOutbound outbound, IClock clock) : IFlow
{
    public const int MaxNameLength = 80;

    public string Name => "setup";

    public bool RequiresGroup => false;

    public string HelpSummary => "setting up the group: name, time zone, facilitators, linked channels";

    public IReadOnlyList<HelpEntry> Help { get; } =
    [
        new("setup [name]", "start a group in this channel (named, if you like), or show its settings", true),
        new("setup name <name>", "rename the group", true),
        new("setup timezone <Area/City>", "set the group's time zone, e.g. Europe/London", true),
        new("setup facilitator add|remove @member", "name or remove a facilitator", true),
        new("setup polls everyone|facilitators", "who may open topic polls", true),
        new("setup concerns", "get a code to make a private facilitators' channel receive anonymous concerns", true),
        new("setup concerns <code>", "make this private facilitators' channel receive the group's anonymous concerns", true),
        new("setup link", "get a code to join another channel (Teams or Discord) to this group", true),
        new("setup link <code>", "join this channel to a group with a code", true),
        new("setup unlink", "separate this channel from its group", true),
    ];

    public async Task<IReadOnlyList<BotReply>> HandleAsync(FlowContext context, CancellationToken cancellationToken)
    {
        if (!context.IsFacilitator)
        {
            var who = context.Input.Place.Platform switch
            {
                "discord" => "someone with the Manage Server permission or the facilitator role",
                "teams" => "a team owner",
                _ => "a facilitator",
            };
            return [BotReply.Private(context.Group is null
                ? $"Only {who} can set up a group here. Ask them to run `setup` in this channel."
                : "Only facilitators can change the group's setup. Type `help` to see what you can do.")];
        }

        if (context.Input.Kind == InputKind.Form && context.Verb == "edit") return [await SaveFormAsync(context, cancellationToken)];
        if (context.Input.Kind == InputKind.Action && context.Verb == "edit") return [EditForm(context)];

        var (word, rest) = ConversationRouter.SplitWord(context.Arguments);
        var verb = context.Verb;
        if (verb == "link" && word.Length > 0) return [await RedeemAsync(context, word, ChannelPurpose.Main, cancellationToken)];
        if (verb == "concerns" && word.Length > 0) return [await RedeemAsync(context, word, ChannelPurpose.Concerns, cancellationToken)];

        if (context.Group is null)
        {
            if (verb is "link" or "concerns")
                return [BotReply.Private($"To join this channel to an existing group, run `setup {verb}` in the group's channel and then `setup {verb} <code>` here.")];
            // "setup", "setup start Name" or "setup Name" all start a group.
            return [await StartGroupAsync(context, verb == "start" ? context.Arguments : context.AfterName, cancellationToken)];
        }

        var group = context.Group;
        switch (verb)
        {
            case "" or "show":
                return [Summary(group, context)];
            case "name":
                return [await RenameAsync(context, context.Arguments, cancellationToken)];
            case "timezone" or "tz":
                return [await SetTimeZoneAsync(context, context.Arguments, cancellationToken)];
            case "facilitator" or "facilitators":
                return [await FacilitatorAsync(context, word.ToLowerInvariant(), cancellationToken)];
            case "polls":
                return [await PollsAsync(context, word.ToLowerInvariant(), cancellationToken)];
            case "link" or "concerns":
                if (context.Input.Place.IsPrivate) return [BotReply.Private("Run this in the group's channel.")];
                var purpose = verb == "link" ? ChannelPurpose.Main : ChannelPurpose.Concerns;
                var code = await codes.IssueAsync(group.Id, purpose, cancellationToken);
                var where = purpose == ChannelPurpose.Main
                    ? "in a channel on Teams or Discord to join it to this group"
                    : "in the private facilitators' channel where anonymous concerns should arrive";
                return [BotReply.Private($"Your one-time code is **{code}**. Run `setup {verb} {code}` {where}. It works once and expires in 15 minutes.")];
            case "unlink":
                return [await UnlinkAsync(context, cancellationToken)];
            default:
                return [BotReply.Private($"`setup {verb}` isn't something I know. Try `help setup`.")];
        }
    }

    private async Task<BotReply> StartGroupAsync(FlowContext context, string name, CancellationToken cancellationToken)
    {
        if (context.Input.Place.IsPrivate)
            return BotReply.Private("Run `setup` in the channel where your group meets, not in a private chat.");
        name = name.Trim();
        if (name.Length > MaxNameLength) return BotReply.Warn($"Group names can be up to {MaxNameLength} characters.");
        var group = new GroupDocument
        {
            Id = NewGroupId(),
            Name = name.Length > 0 ? name : "Our group",
            CreatedAt = clock.GetCurrentInstant(),
            Facilitators = [new Facilitator(context.Actor.MemberId, context.Actor.DisplayName)],
        };
        await directory.UpdateGroupAsync(group.Id, current => current is null ? group : null, cancellationToken);
        if (!await directory.LinkChannelAsync(context.Input.Place.Channel, group.Id, ChannelPurpose.Main, cancellationToken))
            return BotReply.Warn("This channel was linked to a group a moment ago. Run `setup` again to see it.");
        await directory.RecordMemberAsync(group.Id, context.Actor, cancellationToken);
        var stored = await directory.GetGroupAsync(group.Id, cancellationToken) ?? group;
        return Summary(stored, context) with
        {
            Title = $"Welcome, {stored.Name}!",
            Visibility = ReplyVisibility.Channel,
            Tone = ReplyTone.Success,
            Text = "This channel is now home to a peer group. Members can type `help` to see what they can do: suggest and vote on topics, "
                 + "sign up for roles, add agenda items, and raise concerns anonymously (with the button below, which only you see the answer to).\n\n" + Summary(stored, context).Text,
            Buttons = [.. Summary(stored, context).Buttons, ConcernCards.RaiseButton(stored.Id)],
        };
    }

    private static BotReply Summary(GroupDocument group, FlowContext context)
    {
        var text = new StringBuilder();
        text.AppendLine($"**Name:** {group.Name}");
        text.AppendLine($"**Time zone:** {group.TimeZone} (now {context.Now.InZone(group.Zone):ddd d MMM HH:mm})");
        text.AppendLine($"**Language:** {group.Language}");
        text.AppendLine($"**Facilitators:** {(group.Facilitators.Count == 0 ? "set by the platform only" : string.Join(", ", group.Facilitators.Select(f => f.DisplayName)))}");
        text.AppendLine($"**Topic polls opened by:** {(group.PollsFacilitatorsOnly ? "facilitators" : "everyone")}");
        var main = group.MainChannels.ToList();
        text.AppendLine($"**Channels:** {main.Count} ({string.Join(", ", main.Select(c => Platforms.DisplayName(c.Platform)).Distinct())})");
        text.AppendLine($"**Concerns go to:** {(group.ConcernChannels.Any() ? "a private facilitators' channel" : "not set yet — run `setup concerns`")}");
        return new BotReply
        {
            Title = $"{group.Name}: setup",
            Text = text.ToString().TrimEnd(),
            Visibility = ReplyVisibility.Private,
            Buttons = [new ReplyButton("Edit settings", FlowContext.ActionId("setup", "edit"), ButtonStyle.Primary)],
        };
    }

    private static BotReply EditForm(FlowContext context)
    {
        var group = context.RequiredGroup;
        return BotReply.ShowForm(new ReplyForm(FlowContext.ActionId("setup", "edit"), "Group settings",
        [
            new FormField("name", "Group name", MaxLength: MaxNameLength, Value: group.Name),
            new FormField("timezone", "Time zone (Area/City)", MaxLength: 64, Value: group.TimeZone, Placeholder: "Europe/London"),
        ], "Save"));
    }

    private async Task<BotReply> SaveFormAsync(FlowContext context, CancellationToken cancellationToken)
    {
        if (context.Group is null) return BotReply.Private("This channel isn't linked to a group yet.");
        var name = context.Input.Values.GetValueOrDefault("name", context.Group.Name).Trim();
        var zone = context.Input.Values.GetValueOrDefault("timezone", context.Group.TimeZone).Trim();
        if (name.Length is 0 or > MaxNameLength) return BotReply.Warn($"The group name needs 1 to {MaxNameLength} characters. Nothing was changed.");
        var resolved = ResolveZone(zone);
        if (resolved is null) return BotReply.Warn(UnknownZone(zone) + " Nothing was changed.");
        await directory.UpdateGroupAsync(context.Group.Id, g => g is null ? null : g with { Name = name, TimeZone = resolved }, cancellationToken);
        return new BotReply { Text = $"Saved. The group is **{name}**, in time zone **{resolved}**.", Tone = ReplyTone.Success, Visibility = ReplyVisibility.Private };
    }

    private async Task<BotReply> RenameAsync(FlowContext context, string name, CancellationToken cancellationToken)
    {
        name = name.Trim();
        if (name.Length is 0 or > MaxNameLength) return BotReply.Warn($"Give the new name after the command, up to {MaxNameLength} characters: `setup name Tuesday Peer Group`.");
        await directory.UpdateGroupAsync(context.RequiredGroup.Id, g => g is null ? null : g with { Name = name }, cancellationToken);
        return new BotReply { Text = $"The group is now called **{name}**.", Tone = ReplyTone.Success };
    }

    private async Task<BotReply> SetTimeZoneAsync(FlowContext context, string input, CancellationToken cancellationToken)
    {
        var zone = ResolveZone(input.Trim());
        if (zone is null) return BotReply.Warn(UnknownZone(input.Trim()));
        await directory.UpdateGroupAsync(context.RequiredGroup.Id, g => g is null ? null : g with { TimeZone = zone }, cancellationToken);
        var now = context.Now.InZone(DateTimeZoneProviders.Tzdb[zone]);
        return new BotReply { Text = $"Time zone set to **{zone}**. It's {now:dddd d MMMM, HH:mm} there now.", Tone = ReplyTone.Success };
    }

    private async Task<BotReply> FacilitatorAsync(FlowContext context, string action, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        if (action is not ("add" or "remove"))
            return BotReply.Private($"Facilitators: {string.Join(", ", group.Facilitators.Select(f => f.DisplayName).DefaultIfEmpty("none listed"))}. Use `setup facilitator add @member` or `setup facilitator remove @member`.");
        if (context.Input.Mentions.Count == 0)
            return BotReply.Warn(context.UnknownMention() is { } unknown ? FlowContext.UnknownMemberText(unknown) : $"Mention the member: `setup facilitator {action} @name`.");
        var names = string.Join(", ", context.Input.Mentions.Select(m => m.DisplayName));
        if (action == "add")
        {
            await directory.UpdateGroupAsync(group.Id, g => g is null ? null : g with
            {
                Facilitators = [.. g.Facilitators, .. context.Input.Mentions.Where(m => !g.IsListedFacilitator(m.MemberId)).Select(m => new Facilitator(m.MemberId, m.DisplayName))],
            }, cancellationToken);
            return new BotReply { Text = $"{names} can now use facilitator commands.", Tone = ReplyTone.Success };
        }
        var removing = context.Input.Mentions.Select(m => m.MemberId).ToHashSet();
        if (group.Facilitators.All(f => removing.Contains(f.MemberId)) && !context.Actor.IsPlatformFacilitator)
            return BotReply.Warn("That would leave the group with no listed facilitator. Add someone else first.");
        await directory.UpdateGroupAsync(group.Id, g => g is null ? null : g with
        {
            Facilitators = [.. g.Facilitators.Where(f => !removing.Contains(f.MemberId))],
        }, cancellationToken);
        return new BotReply { Text = $"{names} {(removing.Count == 1 ? "is" : "are")} no longer listed as facilitator{(removing.Count == 1 ? "" : "s")}.", Tone = ReplyTone.Success };
    }

    private async Task<BotReply> PollsAsync(FlowContext context, string who, CancellationToken cancellationToken)
    {
        if (who is not ("everyone" or "facilitators"))
            return BotReply.Private("Use `setup polls everyone` or `setup polls facilitators`.");
        await directory.UpdateGroupAsync(context.RequiredGroup.Id, g => g is null ? null : g with { PollsFacilitatorsOnly = who == "facilitators" }, cancellationToken);
        return new BotReply { Text = who == "everyone" ? "Any member can now open a topic poll." : "Only facilitators can now open topic polls.", Tone = ReplyTone.Success };
    }

    private async Task<BotReply> RedeemAsync(FlowContext context, string code, ChannelPurpose purpose, CancellationToken cancellationToken)
    {
        if (context.Input.Place.IsPrivate) return BotReply.Private("Run this in the channel you want to link, not in a private chat.");
        if (context.Group is not null)
            return BotReply.Warn($"This channel already belongs to **{context.Group.Name}**. Run `setup unlink` here first.");
        var link = await codes.RedeemAsync(code, cancellationToken);
        if (link is null || link.Purpose != purpose)
            return BotReply.Warn("That code isn't valid: it may be mistyped, already used, or older than 15 minutes. Ask for a new one with `setup " + (purpose == ChannelPurpose.Main ? "link" : "concerns") + "`.");
        var group = await directory.GetGroupAsync(link.GroupId, cancellationToken);
        if (group is null) return BotReply.Warn("The group behind that code no longer exists.");
        if (!await directory.LinkChannelAsync(context.Input.Place.Channel, group.Id, purpose, cancellationToken))
            return BotReply.Warn("This channel was just linked to another group. Run `setup` to see it.");
        // The facilitator who redeemed the code is trusted in this group from now on.
        await directory.UpdateGroupAsync(group.Id, g => g is null || g.IsListedFacilitator(context.Actor.MemberId) ? null : g with
        {
            Facilitators = [.. g.Facilitators, new Facilitator(context.Actor.MemberId, context.Actor.DisplayName)],
        }, cancellationToken);
        if (purpose == ChannelPurpose.Concerns)
            return new BotReply { Text = $"Anonymous concerns for **{MarkdownText.Member(group.Name)}** will arrive in this channel. Keep it private to facilitators.", Tone = ReplyTone.Success };

        var platformName = Platforms.DisplayName(context.Input.Place.Platform);
        var fresh = await directory.GetGroupAsync(group.Id, cancellationToken) ?? group;
        await outbound.PostToGroupAsync(fresh with { Channels = [.. fresh.Channels.Where(c => c.Channel != context.Input.Place.Channel)] },
            new BotReply { Text = $"A {platformName} channel has joined **{MarkdownText.Member(group.Name)}**. Polls, agendas, rota and reminders are now shared with it.", Tone = ReplyTone.Success },
            cancellationToken);
        return new BotReply { Text = $"This channel is now part of **{MarkdownText.Member(group.Name)}**. Polls, agendas, rota and reminders are shared with its other channels.", Tone = ReplyTone.Success };
    }

    private async Task<BotReply> UnlinkAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var group = context.RequiredGroup;
        if (!context.InGroupChannel) return BotReply.Private("Run `setup unlink` in the channel you want to separate.");
        var channel = context.Input.Place.Channel;
        var isMain = context.ChannelPurpose == ChannelPurpose.Main;
        if (isMain && group.MainChannels.Count() <= 1)
            return BotReply.Warn("This is the group's only channel, so it can't be unlinked. The group's data stays here.");
        await directory.UnlinkChannelAsync(channel, group.Id, cancellationToken);
        if (isMain)
        {
            var fresh = await directory.GetGroupAsync(group.Id, cancellationToken) ?? group;
            await outbound.PostToGroupAsync(fresh, new BotReply { Text = $"A {Platforms.DisplayName(channel.Platform)} channel has left **{MarkdownText.Member(group.Name)}**." }, cancellationToken);
        }
        return new BotReply { Text = $"This channel is no longer part of **{MarkdownText.Member(group.Name)}**.", Tone = ReplyTone.Success };
    }

    /// <summary>Accepts an IANA id in any case ("europe/london"); null when unknown.</summary>
    public static string? ResolveZone(string input)
    {
        if (input.Length == 0) return null;
        var provider = DateTimeZoneProviders.Tzdb;
        return provider.Ids.FirstOrDefault(id => id.Equals(input.Replace(' ', '_'), StringComparison.OrdinalIgnoreCase));
    }

    private static string UnknownZone(string input)
    {
        var city = input.Split('/').Last().Replace(' ', '_');
        var guesses = city.Length < 3 ? [] : DateTimeZoneProviders.Tzdb.Ids.Where(id => id.Contains(city, StringComparison.OrdinalIgnoreCase)).Take(3).ToList();
        var shown = input.Length > 40 ? input[..40] + "…" : input;
        return $"I don't know the time zone \"{shown}\". Use an Area/City name like `Europe/London` or `America/New_York`."
            + (guesses.Count > 0 ? $" Did you mean {string.Join(" or ", guesses.Select(g => $"`{g}`"))}?" : "");
    }

    private static string NewGroupId() => "g" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
}

public static class Platforms
{
    public static string DisplayName(string platform) => platform switch
    {
        "teams" => "Microsoft Teams",
        "discord" => "Discord",
        "playground" => "playground",
        _ => platform,
    };
}
