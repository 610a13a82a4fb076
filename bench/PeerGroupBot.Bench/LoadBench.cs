using System.Net;
using PeerGroupBot.Testing.Storage;

namespace PeerGroupBot.Bench;

/// <summary>Settings of a load run, from the command line.</summary>
public sealed record LoadSettings(double Rate, int Concurrency, TimeSpan Duration, int Runs, int Groups, IReadOnlyList<string> Stores, IReadOnlyList<string> Scenarios, bool TraceOne = false);

/// <summary>
/// For each store: start the host, make <c>Groups</c> groups on Discord and on Teams each with an open poll, then run
/// every scenario <c>Runs</c> times at a fixed rate and report medians across runs.
/// </summary>
public static class LoadBench
{
    private const string Facilitator = "42";
    private const string ManageServer = "32";

    public static readonly string[] AllScenarios = ["discord-vote", "discord-poll-new", "discord-agenda-add", "teams-vote", "teams-agenda-add"];

    public static async Task<List<(string Store, string Scenario, List<RunResult> Runs)>> RunAsync(LoadSettings settings, AzuriteFixture? azurite)
    {
        var results = new List<(string, string, List<RunResult>)>();
        var folders = new List<string>();
        foreach (var storeName in settings.Stores)
        {
            var folder = Directory.CreateTempSubdirectory("pgb-bench-").FullName;
            var store = storeName == "blob"
                ? StoreChoice.Blob(azurite!.ConnectionString, AzuriteFixture.NewContainerName("bench"))
                : StoreChoice.Folder(folder);
            await using var upstream = await FakeUpstream.StartAsync();
            using var discord = new DiscordDriver();
            var teams = new TeamsDriver(upstream.BaseUrl + "/teams/");
            await using var host = await BenchHost.StartAsync(store, upstream.BaseUrl, discord.PublicKeyHex);
            Console.WriteLine($"[{storeName}] host started in {host.StartTime.TotalMilliseconds:0} ms; setting up {settings.Groups} Discord and {settings.Groups} Teams groups…");
            var cards = await SetUpGroupsAsync(host, upstream, discord, teams, settings.Groups);

            var scenarios = Scenarios(discord, teams, settings.Groups, cards);
            // Warm-up: JIT, connection pools, caches. Not reported.
            await LoadRunner.RunAsync("warmup", host.Client, scenarios["discord-vote"].Next, scenarios["discord-vote"].Ok,
                settings.Rate, settings.Concurrency, TimeSpan.FromSeconds(2), () => (host.Store.Total, host.Store.ToString()));

            if (settings.TraceOne) await TraceOneOfEachAsync(host, scenarios, settings.Scenarios, storeName);

            foreach (var name in settings.Scenarios)
            {
                var (next, ok) = scenarios[name];
                var runs = new List<RunResult>();
                for (var run = 1; run <= settings.Runs; run++)
                {
                    var result = await LoadRunner.RunAsync(name, host.Client, next, ok, settings.Rate, settings.Concurrency, settings.Duration,
                        () => (host.Store.Total, host.Store.ToString()));
                    runs.Add(result);
                    if (result.FirstFailure is not null) Console.WriteLine($"[{storeName}] {name} run {run}: first failure: {result.FirstFailure}");
                    Console.WriteLine($"[{storeName}] {name} run {run}: {result.Throughput:0.0}/s p50 {result.P(0.5):0.0} ms p95 {result.P(0.95):0.0} ms p99 {result.P(0.99):0.0} ms, "
                        + $"{result.Failures} failed of {result.Requests}, {result.StorageCallsPerRequest:0.00} storage calls/request, peak WS {result.PeakWorkingSetBytes / 1048576.0:0} MiB");
                }
                results.Add((storeName, name, runs));
            }
            Console.WriteLine($"[{storeName}] storage calls in all: {host.Store}");
            folders.Add(folder);
        }
        // Only now, with every host stopped: a host writes its lease release into the folder as it stops.
        foreach (var folder in folders)
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
        return results;
    }

    /// <summary>Makes the groups and their polls; returns the message ids of each group's poll card on Discord and on Teams.</summary>
    private static async Task<(string[] Discord, string[] Teams)> SetUpGroupsAsync(BenchHost host, FakeUpstream upstream, DiscordDriver discord, TeamsDriver teams, int groups)
    {
        var discordCards = new string[groups];
        var teamsCards = new string[groups];
        for (var g = 0; g < groups; g++)
        {
            var channel = DiscordChannel(g);
            await ExpectAsync(host, discord.Signed(Bytes(discord.Command(Facilitator, ManageServer, channel, "setup start", ("name", $"Bench Circle {g}")))), "setup (Discord)");
            await ExpectAsync(host, discord.Signed(Bytes(discord.Command(Facilitator, ManageServer, channel, "poll new", ("details", "\"Tea or coffee?\" Tea | Coffee anonymous no")))), "poll new (Discord)", "open for voting");

            var owner = $"owner-{g}";
            await ExpectAsync(host, TeamsDriver.Post(teams.BotAdded(g, owner)), "bot added (Teams)");
            await ExpectAsync(host, TeamsDriver.Post(teams.Message(g, owner, $"setup start Bench Team {g}")), "setup (Teams)");
            await ExpectAsync(host, TeamsDriver.Post(teams.Message(g, owner, "poll new \"Tea or coffee?\" Tea | Coffee anonymous no")), "poll new (Teams)");
            // The poll card is posted to the channel in the background (Discord) or proactively (Teams).
            discordCards[g] = await CardIdAsync(upstream, $"/api/v10/channels/{channel}/messages");
            teamsCards[g] = await CardIdAsync(upstream, $"/teams/v3/conversations/{TeamsDriver.TeamOf(g)}/activities");
        }
        return (discordCards, teamsCards);
    }

    private static async Task<string> CardIdAsync(FakeUpstream upstream, string path)
    {
        for (var i = 0; i < 200; i++)
        {
            if (upstream.LastCreatedAt(path) is { } id) return id;
            await Task.Delay(25);
        }
        throw new InvalidOperationException($"No poll card was posted at {path}.");
    }

    private static Dictionary<string, (Func<int, HttpRequestMessage> Next, Func<HttpResponseMessage, string, bool> Ok)> Scenarios(DiscordDriver discord, TeamsDriver teams, int groups, (string[] Discord, string[] Teams) cards)
    {
        static bool Fine(HttpResponseMessage r, string body) => r.StatusCode == HttpStatusCode.OK && !body.Contains("try again", StringComparison.OrdinalIgnoreCase);
        // Agenda items come from members 10000…11999; each vote is a new member's first vote on the poll, so every
        // request changes the tally (a repeated identical vote is answered without a write).
        static string Member(int i) => (10_000 + (int)((i * 7919L) % 2000)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var voters = 100_000L;
        string Voter() => Interlocked.Increment(ref voters).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new()
        {
            ["discord-vote"] = (i => discord.Signed(Bytes(discord.Click(Voter(), DiscordChannel(i % groups), $"poll:vote:1:{1 + i % 2}", cards.Discord[i % groups]))),
                (r, b) => Fine(r, b) && b.Contains("\"type\":7", StringComparison.Ordinal)),
            ["discord-poll-new"] = (i => discord.Signed(Bytes(discord.Command(Facilitator, ManageServer, DiscordChannel(i % groups), "poll new", ("details", $"\"Topic {i}?\" Rest | Boundaries anonymous no")))),
                (r, b) => Fine(r, b) && b.Contains("open for voting", StringComparison.Ordinal)),
            ["discord-agenda-add"] = (i => discord.Signed(Bytes(discord.Command(Member(i), "0", DiscordChannel(i % groups), "agenda add", ("text", $"Topic {i}: sleep and routines")))),
                Fine),
            ["teams-vote"] = (i => TeamsDriver.Post(teams.Execute(i % groups, Voter(), $"poll:vote:1:{1 + i % 2}", cards.Teams[i % groups])),
                (r, b) => Fine(r, b) && b.Contains("application/vnd.microsoft.card.adaptive", StringComparison.Ordinal)),
            ["teams-agenda-add"] = (i => TeamsDriver.Post(teams.Message(i % groups, Member(i), $"agenda add Topic {i}: sleep and routines")),
                Fine),
        };
    }

    /// <summary>Sends one request of each scenario alone and prints the storage calls it caused, grouped by key shape.</summary>
    private static async Task TraceOneOfEachAsync(BenchHost host, Dictionary<string, (Func<int, HttpRequestMessage> Next, Func<HttpResponseMessage, string, bool> Ok)> scenarios, IReadOnlyList<string> names, string storeName)
    {
        foreach (var name in names)
        {
            await Task.Delay(500);
            host.Trace.Clear();
            host.Trace.Enabled = true;
            using (var request = scenarios[name].Next(1_000_000))
            using (var response = await host.Client.SendAsync(request))
                await response.Content.ReadAsStringAsync();
            await Task.Delay(500); // background follow-ups
            host.Trace.Enabled = false;
            var shapes = host.Trace.Calls
                .Select(c => System.Text.RegularExpressions.Regex.Replace(c, "[0-9a-f]{16,}|[0-9]{6,}", "*"))
                .GroupBy(c => c).OrderByDescending(g => g.Count()).Select(g => $"{g.Count()}× {g.Key}");
            Console.WriteLine($"[{storeName}] one {name}: {host.Trace.Calls.Count} storage calls: {string.Join("; ", shapes)}");
        }
    }

    private static string DiscordChannel(int group) => (500_000_000 + group).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static byte[] Bytes(string json) => System.Text.Encoding.UTF8.GetBytes(json);

    private static async Task ExpectAsync(BenchHost host, HttpRequestMessage request, string what, string? contains = null)
    {
        using (request)
        {
            using var response = await host.Client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode || (contains is not null && !body.Contains(contains, StringComparison.Ordinal)))
                throw new InvalidOperationException($"Setting up the groups failed at {what}: {(int)response.StatusCode} {body[..Math.Min(400, body.Length)]}");
        }
    }
}
