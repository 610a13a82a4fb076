using PeerGroupBot.Testing;
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
    public static readonly string[] AllScenarios = Scenarios.All;

    /// <summary>Members per group who vote in the steady-state scenarios.</summary>
    private const int SteadyMembersPerGroup = 10;

    public static async Task<List<(string Store, string Scenario, List<RunResult> Runs)>> RunAsync(LoadSettings settings, AzuriteFixture? azurite)
    {
        var results = new List<(string, string, List<RunResult>)>();
        var folders = new List<string>();
        foreach (var storeName in settings.Stores)
        {
            var folder = Directory.CreateTempSubdirectory("pgb-bench-").FullName;
            // The blob store reaches Azurite through the counting proxy, so its calls are counted twice: by the bot's
            // CountingStateStore (logical calls) and at the proxy (HTTP requests, retries included). They should agree.
            await using var proxy = storeName == "blob" ? await BlobProxy.StartAsync(azurite!.Port) : null;
            var store = proxy is not null
                ? StoreChoice.Blob(proxy.ConnectionString, AzuriteFixture.NewContainerName("bench"))
                : StoreChoice.Folder(folder);
            await using var upstream = await FakeUpstream.StartAsync();
            using var discord = new DiscordDriver();
            var teams = new TeamsDriver(upstream.BaseUrl + "/teams/");
            await using var host = await BenchHost.StartAsync(store, upstream.BaseUrl, discord.PublicKeyHex);
            Console.WriteLine($"[{storeName}] host started in {host.StartTime.TotalMilliseconds:0} ms; setting up {settings.Groups} Discord and {settings.Groups} Teams groups…");
            var cards = await Scenarios.SetUpGroupsAsync(host.Client, upstream, discord, teams, settings.Groups);
            StorageCount Count() => new(host.Store.Total, proxy?.Requests, host.Store + (proxy is null ? "" : $"; at the proxy: {proxy}"));

            var scenarios = Scenarios.For(discord, teams, settings.Groups, cards, SteadyMembersPerGroup);
            // Warm-up: JIT, connection pools, caches. Not reported.
            await LoadRunner.RunAsync("warmup", host.Client, scenarios["discord-vote"].Next, scenarios["discord-vote"].Ok,
                settings.Rate, settings.Concurrency, TimeSpan.FromSeconds(2), Count);

            if (settings.TraceOne) await TraceOneOfEachAsync(host, scenarios, settings.Scenarios, storeName);

            foreach (var name in settings.Scenarios)
            {
                var scenario = scenarios[name];
                await scenario.PrimeOnceAsync(host.Client);
                var runs = new List<RunResult>();
                for (var run = 1; run <= settings.Runs; run++)
                {
                    var result = await LoadRunner.RunAsync(name, host.Client, scenario.Next, scenario.Ok, settings.Rate, settings.Concurrency, settings.Duration, Count);
                    runs.Add(result);
                    if (result.FirstFailure is not null) Console.WriteLine($"[{storeName}] {name} run {run}: first failure: {result.FirstFailure}");
                    Console.WriteLine($"[{storeName}] {name} run {run}: {result.Throughput:0.0}/s p50 {result.P(0.5):0.0} ms p95 {result.P(0.95):0.0} ms p99 {result.P(0.99):0.0} ms, "
                        + $"{result.Failures} failed of {result.Requests}, {result.StorageCallsPerRequest:0.00} storage calls/request"
                        + (proxy is null ? "" : $" ({result.ProxyCallsPerRequest:0.00} at the proxy)") + $", peak WS {result.PeakWorkingSetBytes / 1048576.0:0} MiB");
                }
                results.Add((storeName, name, runs));
            }
            Console.WriteLine($"[{storeName}] storage calls in all: {Count().Breakdown}");
            folders.Add(folder);
        }
        // Only now, with every host stopped: a host writes its lease release into the folder as it stops.
        foreach (var folder in folders)
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
        return results;
    }

    /// <summary>Sends one request of each scenario alone and prints the storage calls it caused, grouped by key shape.</summary>
    private static async Task TraceOneOfEachAsync(BenchHost host, Dictionary<string, Scenario> scenarios, IReadOnlyList<string> names, string storeName)
    {
        foreach (var name in names)
        {
            await scenarios[name].PrimeOnceAsync(host.Client);
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
}
