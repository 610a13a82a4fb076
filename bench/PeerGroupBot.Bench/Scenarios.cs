using System.Globalization;
using System.Net;
using PeerGroupBot.Testing;

namespace PeerGroupBot.Bench;

/// <summary>
/// One kind of request the bench sends: <see cref="Next"/> builds request <c>i</c>, <see cref="Ok"/> says whether the
/// answer is the one a user should get. A steady-state scenario has members who have voted before: <see cref="Prime"/>
/// builds their first votes (<see cref="PrimeCount"/> of them), sent once per host before the scenario is measured.
/// </summary>
public sealed record Scenario(Func<int, HttpRequestMessage> Next, Func<HttpResponseMessage, string, bool> Ok, Func<int, HttpRequestMessage>? Prime = null, int PrimeCount = 0,
    Func<HttpResponseMessage, string, bool>? PrimeOk = null)
{
    private int _primed;

    /// <summary>Sends the priming requests (once; later calls do nothing), 8 at a time, and fails on the first wrong answer.</summary>
    public async Task PrimeOnceAsync(HttpClient client)
    {
        if (Prime is null || Interlocked.Exchange(ref _primed, 1) == 1) return;
        var next = -1;
        async Task WorkerAsync()
        {
            for (var i = Interlocked.Increment(ref next); i < PrimeCount; i = Interlocked.Increment(ref next))
            {
                using var request = Prime(i);
                using var response = await client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                if (!(PrimeOk ?? Ok)(response, body))
                    throw new InvalidOperationException($"A priming request (a member's first) failed: {(int)response.StatusCode} {body[..Math.Min(300, body.Length)]}");
            }
        }
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => WorkerAsync()));
    }
}

/// <summary>The groups the bench makes, the poll cards it votes on, and the requests it sends.</summary>
public static class Scenarios
{
    public const string Facilitator = "42";
    private const string ManageServer = "32";

    /// <summary>Members who vote in steady-state scenarios have ids from here up (first-time voters start at 100,001).</summary>
    private const long SteadyMembers = 5_000_000;

    /// <summary>Members who add agenda items in steady-state scenarios have ids from here up.</summary>
    private const long SteadyAdders = 6_000_000;

    public static readonly string[] All =
        ["discord-vote", "discord-vote-steady", "discord-poll-new", "discord-agenda-add", "discord-agenda-add-steady", "teams-vote", "teams-vote-steady", "teams-agenda-add", "teams-agenda-add-steady"];

    /// <summary>
    /// The scenarios over <paramref name="groups"/> groups whose poll cards are <paramref name="cards"/>. Discord ones need
    /// Discord cards; the Teams vote scenarios are the same requests whichever bot answers them.
    /// </summary>
    public static Dictionary<string, Scenario> For(DiscordDriver discord, TeamsDriver teams, int groups, (string[]? Discord, string[] Teams) cards, int membersPerGroup)
    {
        static bool Fine(HttpResponseMessage r, string body) => r.StatusCode == HttpStatusCode.OK && !body.Contains("try again", StringComparison.OrdinalIgnoreCase);
        static bool DiscordCard(HttpResponseMessage r, string b) => Fine(r, b) && b.Contains("\"type\":7", StringComparison.Ordinal);
        // A slash command's answer carries its text (the bench does not make the core slow enough to defer it).
        static bool DiscordAdded(HttpResponseMessage r, string b) => Fine(r, b) && b.Contains("to the agenda for", StringComparison.Ordinal);
        static bool TeamsCard(HttpResponseMessage r, string b) => Fine(r, b) && b.Contains("application/vnd.microsoft.card.adaptive", StringComparison.Ordinal);
        // Agenda items come from members 10000…11999.
        static string Member(int i) => (10_000 + (int)((i * 7919L) % 2000)).ToString(CultureInfo.InvariantCulture);
        // First-time voters: each vote is a new member's first vote on the poll, so every request changes the tally.
        var voters = 100_000L;
        string Voter() => Interlocked.Increment(ref voters).ToString(CultureInfo.InvariantCulture);
        var discordSteady = new SteadyVoters(groups, membersPerGroup);
        var teamsSteady = new SteadyVoters(groups, membersPerGroup);
        // Members seen before who add items: primed by looking at the agenda (which records them and, on Teams, opens
        // their personal chat for the private answer), so each measured request is a real add by a known member.
        var discordAdders = new SteadyVoters(groups, membersPerGroup, SteadyAdders);
        var teamsAdders = new SteadyVoters(groups, membersPerGroup, SteadyAdders);
        string DiscordCardOf(int g) => (cards.Discord ?? throw new InvalidOperationException("No Discord groups were set up."))[g];

        return new()
        {
            ["discord-vote"] = new(i => discord.Signed(Bytes(discord.Click(Voter(), DiscordChannel(i % groups), $"poll:vote:1:{1 + i % 2}", DiscordCardOf(i % groups)))), DiscordCard),
            ["discord-vote-steady"] = new(
                _ => discordSteady.Next(v => discord.Signed(Bytes(discord.Click(v.Member, DiscordChannel(v.Group), $"poll:vote:1:{v.Choice}", DiscordCardOf(v.Group))))),
                DiscordCard,
                p => discordSteady.First(p, v => discord.Signed(Bytes(discord.Click(v.Member, DiscordChannel(v.Group), $"poll:vote:1:{v.Choice}", DiscordCardOf(v.Group))))),
                discordSteady.Count),
            ["discord-poll-new"] = new(i => discord.Signed(Bytes(discord.Command(Facilitator, ManageServer, DiscordChannel(i % groups), "poll new", ("details", $"\"Topic {i}?\" Rest | Boundaries anonymous no")))),
                (r, b) => Fine(r, b) && b.Contains("open for voting", StringComparison.Ordinal)),
            ["discord-agenda-add"] = new(i => discord.Signed(Bytes(discord.Command(Member(i), "0", DiscordChannel(i % groups), "agenda add", ("text", $"Topic {i}: sleep and routines")))), DiscordAdded),
            ["discord-agenda-add-steady"] = new(
                i => discordAdders.Next(v => discord.Signed(Bytes(discord.Command(v.Member, "0", DiscordChannel(v.Group), "agenda add", ("text", $"Topic {i}: what helps on a bad day"))))),
                DiscordAdded,
                p => discordAdders.First(p, v => discord.Signed(Bytes(discord.Command(v.Member, "0", DiscordChannel(v.Group), "agenda list")))),
                discordAdders.Count, Fine),
            ["teams-vote"] = new(i => TeamsDriver.Post(teams.Execute(i % groups, Voter(), $"poll:vote:1:{1 + i % 2}", cards.Teams[i % groups])), TeamsCard),
            ["teams-vote-steady"] = new(
                _ => teamsSteady.Next(v => TeamsDriver.Post(teams.Execute(v.Group, v.Member, $"poll:vote:1:{v.Choice}", cards.Teams[v.Group]))),
                TeamsCard,
                p => teamsSteady.First(p, v => TeamsDriver.Post(teams.Execute(v.Group, v.Member, $"poll:vote:1:{v.Choice}", cards.Teams[v.Group]))),
                teamsSteady.Count),
            ["teams-agenda-add"] = new(i => TeamsDriver.Post(teams.Message(i % groups, Member(i), $"agenda add Topic {i}: sleep and routines")), Fine),
            ["teams-agenda-add-steady"] = new(
                i => teamsAdders.Next(v => TeamsDriver.Post(teams.Message(v.Group, v.Member, $"agenda add Topic {i}: what helps on a bad day"))),
                Fine,
                p => teamsAdders.First(p, v => TeamsDriver.Post(teams.Message(v.Group, v.Member, "agenda"))),
                teamsAdders.Count),
        };
    }

    /// <summary>
    /// <paramref name="membersPerGroup"/> members in each group seen once before (voters: a first vote for option 1;
    /// agenda adders: a look at the agenda). Each later vote
    /// of theirs changes their choice (2, then 1, …), so every vote is a real change by a member seen before. Members take
    /// turns, so one member's votes are <c>groups × membersPerGroup</c> requests apart.
    /// </summary>
    private sealed class SteadyVoters(int groups, int membersPerGroup, long firstId = SteadyMembers)
    {
        private long _next = -1;

        public int Count => groups * membersPerGroup;

        public HttpRequestMessage First(int slot, Func<(int Group, string Member, int Choice), HttpRequestMessage> build)
            => build((slot % groups, MemberId(slot), 1));

        public HttpRequestMessage Next(Func<(int Group, string Member, int Choice), HttpRequestMessage> build)
        {
            var n = Interlocked.Increment(ref _next);
            var slot = (int)(n % Count);
            return build((slot % groups, MemberId(slot), n / Count % 2 == 0 ? 2 : 1));
        }

        private string MemberId(int slot) => (firstId + slot).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Makes the groups and their polls on the platforms asked for; returns the ids of each group's poll card.</summary>
    public static async Task<(string[]? Discord, string[] Teams)> SetUpGroupsAsync(HttpClient client, FakeUpstream upstream, DiscordDriver? discord, TeamsDriver teams, int groups)
    {
        var discordCards = discord is null ? null : new string[groups];
        var teamsCards = new string[groups];
        for (var g = 0; g < groups; g++)
        {
            if (discord is not null)
            {
                var channel = DiscordChannel(g);
                await ExpectAsync(client, discord.Signed(Bytes(discord.Command(Facilitator, ManageServer, channel, "setup start", ("name", $"Bench Circle {g}")))), "setup (Discord)");
                await ExpectAsync(client, discord.Signed(Bytes(discord.Command(Facilitator, ManageServer, channel, "poll new", ("details", "\"Tea or coffee?\" Tea | Coffee anonymous no")))), "poll new (Discord)", "open for voting");
                // The poll card is posted to the channel in the background.
                discordCards![g] = await CardIdAsync(() => upstream.LastCreatedAt($"/api/v10/channels/{channel}/messages"), "the Discord channel");
            }

            var owner = $"owner-{g}";
            await ExpectAsync(client, TeamsDriver.Post(teams.BotAdded(g, owner)), "bot added (Teams)");
            await ExpectAsync(client, TeamsDriver.Post(teams.Message(g, owner, $"setup start Bench Team {g}")), "setup (Teams)");
            await ExpectAsync(client, TeamsDriver.Post(teams.Message(g, owner, "poll new \"Tea or coffee?\" Tea | Coffee anonymous no")), "poll new (Teams)");
            // Posted proactively to the channel.
            teamsCards[g] = await CardIdAsync(() => upstream.LastCreatedAt($"/teams/v3/conversations/{TeamsDriver.TeamOf(g)}/activities"), "the Teams channel");
        }
        return (discordCards, teamsCards);
    }

    /// <summary>The botbuilder peer's groups: one <c>poll new</c> per team, answered by a card posted as a reply in the thread.</summary>
    public static async Task<string[]> SetUpPeerPollsAsync(HttpClient client, FakeUpstream upstream, TeamsDriver teams, int groups)
    {
        var cards = new string[groups];
        for (var g = 0; g < groups; g++)
        {
            await ExpectAsync(client, TeamsDriver.Post(teams.Message(g, $"owner-{g}", "poll new \"Tea or coffee?\" Tea | Coffee anonymous no")), "poll new (peer)");
            cards[g] = await CardIdAsync(() => upstream.LastCreatedUnder($"/teams/v3/conversations/{TeamsDriver.TeamOf(g)}/activities/"), "the Teams thread");
        }
        return cards;
    }

    private static async Task<string> CardIdAsync(Func<string?> posted, string where)
    {
        for (var i = 0; i < 200; i++)
        {
            if (posted() is { } id) return id;
            await Task.Delay(25);
        }
        throw new InvalidOperationException($"No poll card was posted to {where}.");
    }

    public static string DiscordChannel(int group) => (500_000_000 + group).ToString(CultureInfo.InvariantCulture);

    private static byte[] Bytes(string json) => System.Text.Encoding.UTF8.GetBytes(json);

    private static async Task ExpectAsync(HttpClient client, HttpRequestMessage request, string what, string? contains = null)
    {
        using (request)
        {
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode || (contains is not null && !body.Contains(contains, StringComparison.Ordinal)))
                throw new InvalidOperationException($"Setting up the groups failed at {what}: {(int)response.StatusCode} {body[..Math.Min(400, body.Length)]}");
        }
    }
}
