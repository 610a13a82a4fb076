using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using PeerGroupBot.Discord.Tests.Support;
using PeerGroupBot.IntegrationTests.Support;
using PeerGroupBot.Teams.Tests.Fakes;
using PeerGroupBot.Testing;
using PeerGroupBot.Testing.Storage;

namespace PeerGroupBot.IntegrationTests;

/// <summary>
/// Issue 11's "done when": one group living in a Teams channel and a Discord channel, driven only through the two
/// real HTTP endpoints. The bot's clock is a fake, so a session reminder can be made due without waiting a day. It
/// starts at a fixed instant years ahead (<see cref="PinnedClock.DefaultStart"/>), not at the real time: the test's
/// dates are then the same on every run (never a daylight saving change, a midnight or a month end), and the host's
/// Quartz triggers, which run on real time, cannot fire a timer while the fake clock says it is not yet due (so only
/// the test's <c>FireDueTimersAsync</c> delivers timers). Tokens and signatures still use the real time.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class BridgedGroupTests(AzuriteFixture azurite)
{
    private static readonly TestUser Dee = TestUser.Dee;   // Manage Server on Discord: a facilitator there
    private static readonly TestUser Ash = TestUser.Ash;

    [Fact]
    public async Task A_poll_opened_on_Teams_is_voted_on_from_both_platforms_and_both_copies_agree_the_winner_reaches_the_agenda_and_reminders_reach_both_channels_once()
    {
        await using var deployment = await Deployment.StartAsync(azurite.ConnectionString, AzuriteFixture.NewContainerName("bridge"));
        var clock = new FakeClock(PinnedClock.DefaultStart);
        await using var host = await BridgeHost.StartAsync(deployment, "bridge-1", s => s.AddSingleton<IClock>(clock));
        var teams = deployment.Teams;
        var discord = deployment.Discord;

        // A Teams team owner starts the group and asks for a link code.
        var scene = new Scene(teams);
        var owner = TeamsUser.New("Olu");
        var alex = TeamsUser.New("Alex");
        teams.TeamOwners[scene.AadGroupId] = [owner.AadObjectId];
        Assert.Equal(200, (await host.TeamsAsync(scene.Message(owner, "setup Tuesday Peers"))).Status);
        Assert.Equal(200, (await host.TeamsAsync(scene.Message(owner, "setup link"))).Status);
        var codeMessage = teams.Sent.Last(c => c.Visible.Contains("one-time code", StringComparison.Ordinal));
        var code = CodePattern().Match(codeMessage.Visible).Groups[1].Value;
        Assert.Equal(8, code.Length);

        // A Discord facilitator redeems it in their channel: one group, announced in both channels.
        var channel = Payloads.NewChannel();
        var (status, linked) = await host.DiscordAsync(Payloads.Command(Dee, channel, "setup link", ("code", code)));
        Assert.Equal(200, status);
        Assert.Contains("Tuesday Peers", Visible(linked));
        Assert.True(await BridgeHost.EventuallyAsync(() => teams.SentTo(scene.TeamId).Any(c => c.Visible.Contains("Discord", StringComparison.OrdinalIgnoreCase))),
            "the Teams channel should hear that a Discord channel joined");

        // A poll opened on Teams is posted to both channels.
        Assert.Equal(200, (await host.TeamsAsync(scene.Message(alex, "poll new \"What next?\" Sleep | Boundaries closes in 2 days"))).Status);
        var teamsCopy = teams.SentTo(scene.TeamId).Last(c => c.Visible.Contains("poll #1", StringComparison.OrdinalIgnoreCase));
        var discordCopy = await discord.WaitForAsync(r => r.Method == "POST" && r.Path == $"/api/v10/channels/{channel}/messages" && r.Body.Contains("poll:vote:1:", StringComparison.Ordinal));
        Assert.Single(discord.Requests, r => r.Method == "POST" && r.Path == $"/api/v10/channels/{channel}/messages" && r.Body.Contains("poll:vote:1:", StringComparison.Ordinal));
        Assert.Single(teams.SentTo(scene.TeamId), c => c.Visible.Contains("poll #1", StringComparison.OrdinalIgnoreCase) && c.Card is not null && HasVoteAction(c.Card));

        // Two votes from Discord (a click on the Discord copy), one from Teams (Action.Execute on the Teams card).
        var (clickStatus, clicked) = await host.DiscordAsync(Payloads.Click(Dee, channel, "poll:vote:1:1", discordCopy.CreatedId!));
        Assert.Equal(200, clickStatus);
        Assert.Equal(7, clicked.Type()); // UPDATE_MESSAGE: the clicked copy is refreshed in the response
        Assert.Contains("1 member has voted so far", Visible(clicked));
        Assert.Equal(200, (await host.DiscordAsync(Payloads.Click(Ash, channel, "poll:vote:1:2", discordCopy.CreatedId!))).Status);
        var vote = VoteAction(teamsCopy.Card!, "poll:vote:1:1");
        var (invokeStatus, invoke) = await host.TeamsAsync(scene.Execute(alex, vote, teamsCopy.ResponseId!));
        Assert.Equal(200, invokeStatus);
        Assert.Contains("3 members have voted so far", invoke!["value"]!.ToJsonString());

        // Both posted copies now show the same tally: the fake Discord's last edit and the fake connector's last PUT.
        Assert.True(await BridgeHost.EventuallyAsync(() => LastDiscordEdit(discord, channel, discordCopy.CreatedId!)?.Contains("3 members have voted so far") == true),
            "the Discord copy should be edited to show the Teams vote");
        var teamsEdits = teams.Updates.Where(u => u.Path.EndsWith("/activities/" + teamsCopy.ResponseId, StringComparison.Ordinal)).ToList();
        Assert.Contains(teamsEdits, u => u.Visible.Contains("2 members have voted so far", StringComparison.Ordinal)); // Ash's vote reached Teams
        Assert.DoesNotContain(teamsEdits, u => u.Visible.Contains("4 members", StringComparison.Ordinal));

        // Closing puts the winner on the one agenda, which both platforms read.
        Assert.Equal(200, (await host.TeamsAsync(scene.Message(owner, "poll close 1"))).Status);
        Assert.True(await BridgeHost.EventuallyAsync(() => LastDiscordEdit(discord, channel, discordCopy.CreatedId!)?.Contains("Sleep") == true
            && !LastDiscordEdit(discord, channel, discordCopy.CreatedId!)!.Contains("poll:vote:1:1")), "the Discord copy should show the closed result");
        var (_, agenda) = await host.DiscordAsync(Payloads.Command(Ash, channel, "agenda list"));
        Assert.Contains("Sleep", Visible(agenda));
        Assert.DoesNotContain("Boundaries", Visible(agenda));

        // A session tomorrow: its 24-hour reminder falls due two hours from now.
        var zone = DateTimeZoneProviders.Tzdb["Europe/London"];
        var start = (clock.GetCurrentInstant() + Duration.FromHours(26)).InZone(zone).LocalDateTime;
        var (addStatus, added) = await host.DiscordAsync(Payloads.Command(Dee, channel, "session add", ("details", start.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " 60m \"Zoom\"")));
        Assert.Equal(200, addStatus);
        teams.Clear();
        discord.Clear();

        clock.Advance(Duration.FromHours(2) + Duration.FromMinutes(1));
        Assert.True(await host.FireDueTimersAsync() >= 1);
        Assert.Equal(0, await host.FireDueTimersAsync()); // nothing fires twice
        await Task.Delay(300);

        var teamsReminders = teams.SentTo(scene.TeamId).Where(c => c.Visible.Contains("Zoom", StringComparison.Ordinal)).ToList();
        var discordReminders = discord.Requests.Where(r => r.Method == "POST" && r.Path == $"/api/v10/channels/{channel}/messages" && r.Body.Contains("Zoom", StringComparison.Ordinal)).ToList();
        Assert.Single(teamsReminders);
        Assert.Single(discordReminders);
        Assert.Contains("Sleep", teamsReminders[0].Visible); // the reminder carries the one agenda on both platforms
        Assert.Contains("Sleep", discordReminders[0].Body);
    }

    [Fact]
    public async Task When_Teams_is_unreachable_Discord_keeps_working_and_the_Teams_copy_catches_up_later()
    {
        await using var deployment = await Deployment.StartAsync(azurite.ConnectionString, AzuriteFixture.NewContainerName("outage"));
        var clock = new FakeClock(PinnedClock.DefaultStart);
        await using var host = await BridgeHost.StartAsync(deployment, "bridge-2", s => s.AddSingleton<IClock>(clock));
        var teams = deployment.Teams;
        var discord = deployment.Discord;
        var scene = new Scene(teams);
        var owner = TeamsUser.New("Olu");
        teams.TeamOwners[scene.AadGroupId] = [owner.AadObjectId];
        await host.TeamsAsync(scene.Message(owner, "setup Thursday Peers"));
        await host.TeamsAsync(scene.Message(owner, "setup link"));
        var code = CodePattern().Match(teams.Sent.Last(c => c.Visible.Contains("one-time code", StringComparison.Ordinal)).Visible).Groups[1].Value;
        var channel = Payloads.NewChannel();
        Assert.Equal(200, (await host.DiscordAsync(Payloads.Command(Dee, channel, "setup link", ("code", code)))).Status);
        Assert.Equal(200, (await host.DiscordAsync(Payloads.Command(Dee, channel, "poll new", ("details", "\"Which topic?\" Sleep | Boundaries")))).Status);
        var discordCopy = await discord.WaitForAsync(r => r.Method == "POST" && r.Path == $"/api/v10/channels/{channel}/messages" && r.Body.Contains("poll:vote:1:", StringComparison.Ordinal));
        var teamsCopy = await WaitForTeamsAsync(teams, () => teams.SentTo(scene.TeamId).LastOrDefault(c => c.Card is not null && HasVoteAction(c.Card)));

        // The connector fails every update for a while: the Discord member still votes and sees the card change.
        // (The connector client itself tries a PUT five times: the first try and four retries.)
        for (var i = 0; i < 5; i++) teams.FailNext("PUT", "/activities/", 503);
        var (status, clicked) = await host.DiscordAsync(Payloads.Click(Ash, channel, "poll:vote:1:2", discordCopy.CreatedId!));
        Assert.Equal(200, status);
        Assert.True(await BridgeHost.EventuallyAsync(() => Visible(clicked).Contains("1 member has voted so far", StringComparison.Ordinal)
            || discord.Requests.Any(r => r.Method == "PATCH" && r.Body.Contains("1 member has voted so far", StringComparison.Ordinal)), 20),
            "the Discord member should see the card change");
        Assert.True(await BridgeHost.EventuallyAsync(() => teams.Updates.Count(u => u.Path.EndsWith(teamsCopy.ResponseId!, StringComparison.Ordinal)) >= 5, 30),
            "the connector client should have tried the update five times");
        await Task.Delay(500);
        Assert.Equal(5, teams.Updates.Count);

        // The connector recovers; the queued update goes through on the next retry, once.
        teams.Clear();
        clock.Advance(Duration.FromMinutes(1));
        Assert.True(await host.FireDueTimersAsync() >= 1);
        var caughtUp = Assert.Single(teams.Updates, u => u.Path.EndsWith("/activities/" + teamsCopy.ResponseId, StringComparison.Ordinal));
        Assert.Contains("1 member has voted so far", caughtUp.Visible);
        clock.Advance(Duration.FromHours(2));
        await host.FireDueTimersAsync();
        Assert.Single(teams.Updates);
    }

    [Fact]
    public async Task A_member_links_their_Teams_and_Discord_accounts_and_votes_from_both_count_once()
    {
        await using var deployment = await Deployment.StartAsync(azurite.ConnectionString, AzuriteFixture.NewContainerName("melink"));
        await using var host = await BridgeHost.StartAsync(deployment, "bridge-3");
        var teams = deployment.Teams;
        var discord = deployment.Discord;
        var alexOnTeams = TeamsUser.New("Alex");
        var (scene, channel, discordCopy, teamsCopy) = await BridgedPollAsync(host, deployment, "Friday Peers", alexOnTeams);

        // Alex asks for a code in their Teams personal chat and gives it to the bot in a Discord DM as Ash.
        Assert.Equal(200, (await host.TeamsAsync(scene.Personal(alexOnTeams, "me link"))).Status);
        var personal = FakeBotFramework.PersonalConversationOf(alexOnTeams.Id);
        var offer = await WaitForTeamsAsync(teams, () => teams.SentTo(personal).LastOrDefault(c => c.Visible.Contains("one-time code", StringComparison.Ordinal)));
        var code = CodePattern().Match(offer.Visible).Groups[1].Value;
        var (status, linked) = await host.DiscordAsync(Payloads.AsDirectMessage(Payloads.Command(Ash, channel, "me link", ("code", code))));
        Assert.Equal(200, status);
        Assert.Contains("Microsoft Teams account are now one member", Visible(linked));
        await WaitForTeamsAsync(teams, () => teams.SentTo(personal).LastOrDefault(c => c.Visible.Contains("Discord account is now linked", StringComparison.Ordinal)));

        // One vote from Discord, then one from Teams: still one member has voted, on both copies.
        var (clickStatus, clicked) = await host.DiscordAsync(Payloads.Click(Ash, channel, "poll:vote:1:1", discordCopy.CreatedId!));
        Assert.Equal(200, clickStatus);
        Assert.Contains("1 member has voted so far", Visible(clicked));
        var (invokeStatus, invoke) = await host.TeamsAsync(scene.Execute(alexOnTeams, VoteAction(teamsCopy.Card!, "poll:vote:1:2"), teamsCopy.ResponseId!));
        Assert.Equal(200, invokeStatus);
        Assert.Contains("1 member has voted so far", invoke!["value"]!.ToJsonString());
        Assert.DoesNotContain("2 members", invoke!["value"]!.ToJsonString());
        Assert.True(await BridgeHost.EventuallyAsync(() => LastDiscordEdit(discord, channel, discordCopy.CreatedId!)?.Contains("1 member has voted so far") == true),
            "the Discord copy should still count one member after the Teams vote");
        Assert.DoesNotContain(discord.Requests, r => r.Method == "PATCH" && r.Body.Contains("2 members have voted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_Discord_click_answered_after_a_newer_Teams_vote_is_corrected_so_the_Discord_copy_is_not_left_behind()
    {
        await using var deployment = await Deployment.StartAsync(azurite.ConnectionString, AzuriteFixture.NewContainerName("race"));
        await using var host = await BridgeHost.StartAsync(deployment, "bridge-race");
        var teams = deployment.Teams;
        var discord = deployment.Discord;
        var alex = TeamsUser.New("Alex");
        var (scene, channel, discordCopy, teamsCopy) = await BridgedPollAsync(host, deployment, "Race Peers", alex);
        var discordEdits = $"/api/v10/channels/{channel}/messages/{discordCopy.CreatedId}";

        // Ash clicks on Discord; while that click's answer (one vote) is still on its way (the Teams connector is slow to
        // take the update of its copy), Alex votes on Teams and the Discord copy is edited to show two votes.
        var slowTeams = teams.Hold("PUT", "/activities/" + teamsCopy.ResponseId);
        var click = host.DiscordAsync(Payloads.Click(Ash, channel, "poll:vote:1:1", discordCopy.CreatedId!));
        await FakeBotFramework.WaitUntilAsync(() => teams.Updates.Any(u => u.Path.EndsWith("/activities/" + teamsCopy.ResponseId, StringComparison.Ordinal)), "the Discord click's update of the Teams copy");
        Assert.Equal(200, (await host.TeamsAsync(scene.Execute(alex, VoteAction(teamsCopy.Card!, "poll:vote:1:2"), teamsCopy.ResponseId!))).Status);
        Assert.True(await BridgeHost.EventuallyAsync(() => discord.Requests.Any(r => r.Method == "PATCH" && r.Path == discordEdits && r.Body.Contains("2 members have voted so far", StringComparison.Ordinal))),
            "the Teams vote should edit the Discord copy");
        slowTeams.SetResult();
        var (clickStatus, _) = await click;
        Assert.Equal(200, clickStatus);

        // The older answer reached Discord last, so the bot edits the copy again with what is stored now.
        Assert.True(await BridgeHost.EventuallyAsync(() => discord.Requests.Count(r => r.Method == "PATCH" && r.Path == discordEdits && r.Body.Contains("2 members have voted so far", StringComparison.Ordinal)) == 2),
            "the Discord copy should be brought up to date after the older answer");
        Assert.DoesNotContain(discord.Requests.Where(r => r.Method == "PATCH" && r.Path == discordEdits).SkipWhile(r => !r.Body.Contains("2 members", StringComparison.Ordinal)),
            r => r.Body.Contains("1 member has voted", StringComparison.Ordinal));
    }

    /// <summary>A group set up on Teams and linked to a new Discord channel, with a poll opened by <paramref name="opener"/>, and both copies of its card.</summary>
    private static async Task<(Scene Scene, string Channel, RecordedRequest DiscordCopy, RecordedCall TeamsCopy)> BridgedPollAsync(BridgeHost host, Deployment deployment, string name, TeamsUser opener)
    {
        var teams = deployment.Teams;
        var scene = new Scene(teams);
        var owner = TeamsUser.New("Olu");
        teams.TeamOwners[scene.AadGroupId] = [owner.AadObjectId];
        await host.TeamsAsync(scene.Message(owner, "setup " + name));
        await host.TeamsAsync(scene.Message(owner, "setup link"));
        var groupCode = CodePattern().Match(teams.Sent.Last(c => c.Visible.Contains("one-time code", StringComparison.Ordinal)).Visible).Groups[1].Value;
        var channel = Payloads.NewChannel();
        Assert.Equal(200, (await host.DiscordAsync(Payloads.Command(Dee, channel, "setup link", ("code", groupCode)))).Status);
        Assert.Equal(200, (await host.TeamsAsync(scene.Message(opener, "poll new \"Which topic?\" Sleep | Boundaries"))).Status);
        var discordCopy = await deployment.Discord.WaitForAsync(r => r.Method == "POST" && r.Path == $"/api/v10/channels/{channel}/messages" && r.Body.Contains("poll:vote:1:", StringComparison.Ordinal));
        var teamsCopy = await WaitForTeamsAsync(teams, () => teams.SentTo(scene.TeamId).LastOrDefault(c => c.Card is not null && HasVoteAction(c.Card)));
        return (scene, channel, discordCopy, teamsCopy);
    }

    private static async Task<RecordedCall> WaitForTeamsAsync(FakeBotFramework teams, Func<RecordedCall?> find)
    {
        for (var i = 0; i < 600; i++) // up to 30 s: a loaded 2-core machine may need it
        {
            if (find() is { } found) return found;
            await Task.Delay(50);
        }
        throw new TimeoutException("The fake connector never received the expected activity.");
    }

    [GeneratedRegex(@"\*\*([A-Z0-9]{8})\*\*")]
    private static partial Regex CodePattern();

    internal static string Visible(JsonElement response)
        => response.TryGetProperty("data", out var data) ? data.VisibleText() : response.VisibleText();

    private static string? LastDiscordEdit(FakeDiscord discord, string channel, string messageId)
        => discord.Requests.LastOrDefault(r => r.Method == "PATCH" && r.Path == $"/api/v10/channels/{channel}/messages/{messageId}")?.Body;

    internal static IEnumerable<JsonObject> Actions(JsonObject card)
        => card["body"]!.AsArray().OfType<JsonObject>()
            .Where(e => e["type"]?.GetValue<string>() == "ActionSet")
            .SelectMany(e => e["actions"]!.AsArray().OfType<JsonObject>())
            .Concat(card["actions"]?.AsArray().OfType<JsonObject>() ?? []);

    private static bool HasVoteAction(JsonObject card) => Actions(card).Any(a => a["verb"]?.GetValue<string>()?.StartsWith("poll:vote:1:", StringComparison.Ordinal) == true);

    internal static JsonObject VoteAction(JsonObject card, string verb) => Actions(card).First(a => a["verb"]?.GetValue<string>() == verb);
}
