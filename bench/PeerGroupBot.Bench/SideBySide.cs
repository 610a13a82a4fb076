using System.Diagnostics;
using System.Globalization;
using System.Text;
using PeerGroupBot.Testing;
using PeerGroupBot.Testing.Storage;

namespace PeerGroupBot.Bench;

/// <summary>Settings of a side-by-side run, from the command line.</summary>
public sealed record SideBySideSettings(
    IReadOnlyList<double> Rates,
    TimeSpan Duration,
    int Reps,
    TimeSpan Warmup,
    int Groups,
    int MembersPerGroup,
    int Concurrency,
    TimeSpan Timeout,
    TimeSpan Grace,
    IReadOnlyList<string> Bots,
    IReadOnlyList<string> Rows,
    string? BotDll,
    IReadOnlyList<string> BotArgs,
    IReadOnlyDictionary<string, string> BotEnvironment,
    string PeerUpdate,
    int BaselineIterations);

/// <summary>
/// The floor a vote is compared with, one read + one conditional write: directly on Azurite and through the proxy back
/// to back, and through the proxy paced at <see cref="PacedRate"/> pairs/s (the lowest rate offered), as the votes are sent.
/// </summary>
public sealed record SideBaselines(double[] Direct, double[] ViaProxy, double[] ViaProxyPaced, double PacedRate);

/// <summary>One measured row of one run: a bot, a rate, steady or first votes, one repetition.</summary>
public sealed record SideRun(string Bot, double Rate, string Row, int Rep, RunResult Run, string ConnectorBreakdown, double ConnectorCallsPerVote, double LogLinesPerVote, double BotCpuMsPerVote, double AzuriteCpuMsPerVote, double BenchCpuMsPerVote, double MachineBusyPercent, long BotPeakRssBytes, double ReadyMs)
{
    /// <summary>At least 95% of the offered rate answered right, and no wrong answer, error or timeout.</summary>
    public bool KeptUp => Run.DonePerSecond >= 0.95 * Rate && Run.Failures == 0;
}

/// <summary>
/// PeerGroupBot and the botbuilder peer (bench/peer) under the same Teams vote driver. For every rate and repetition each
/// bot gets a fresh Azurite process, a fresh <see cref="BlobProxy"/> in front of it, a fresh fake connector and a
/// fresh bot process; the bots take turns (A B A B). In each run: the groups and polls are made, the steady-state
/// members cast their first votes (not measured), steady-state votes are sent for the warm-up (not measured), then
/// each row is measured: <c>steady</c> (members who voted before change their vote) and <c>first</c> (first-time voters).
/// </summary>
public static class SideBySide
{
    public const string Ours = "peergroupbot";
    public const string Peer = "peer";

    private static readonly Dictionary<string, string> RowScenario = new(StringComparer.Ordinal)
    {
        ["steady"] = "teams-vote-steady",
        ["first"] = "teams-vote",
    };

    public static async Task<(List<SideRun> Runs, SideBaselines Baselines)> RunAsync(SideBySideSettings settings)
    {
        var root = RepositoryRoot.Find();
        var botDll = settings.BotDll ?? DefaultBotDll(root);
        var peerDir = Path.Combine(root, "bench", "peer");
        Check(settings, botDll, peerDir);

        SideBaselines baselines;
        using (var azurite = StartAzurite(root, out var azuritePort))
        {
            await azurite.WaitForPortAsync(azuritePort, TimeSpan.FromSeconds(30));
            await using var proxy = await BlobProxy.StartAsync(azuritePort);
            var pacedRate = settings.Rates.Min();
            baselines = new SideBaselines(
                await Baseline.BlobAsync(AzuriteConnectionString(azuritePort), settings.BaselineIterations),
                await Baseline.BlobAsync(proxy.ConnectionString, settings.BaselineIterations),
                await Baseline.BlobAsync(proxy.ConnectionString, settings.BaselineIterations, pacedRate),
                pacedRate);
            Console.WriteLine($"[baseline] read + conditional write: p50 {Stats.Percentile(baselines.Direct, 0.5):0.00} ms direct, {Stats.Percentile(baselines.ViaProxy, 0.5):0.00} ms through the proxy, "
                + $"{Stats.Percentile(baselines.ViaProxyPaced, 0.5):0.00} ms through the proxy at {pacedRate:0} pairs/s");
        }

        var runs = new List<SideRun>();
        foreach (var rate in settings.Rates)
        {
            for (var rep = 1; rep <= settings.Reps; rep++)
            {
                foreach (var bot in settings.Bots)
                {
                    var took = Stopwatch.StartNew();
                    runs.AddRange(await OneRunAsync(settings, root, bot, botDll, peerDir, rate, rep));
                    Console.WriteLine($"[{bot} {rate:0}/s #{rep}] run took {took.Elapsed.TotalSeconds:0.0} s (start, set-up, priming, warm-up, rows, stop)");
                }
            }
        }
        return (runs, baselines);
    }

    private static void Check(SideBySideSettings settings, string botDll, string peerDir)
    {
        foreach (var bot in settings.Bots)
            if (bot is not (Ours or Peer)) throw new ArgumentException($"--bots takes {Ours} and/or {Peer}, not '{bot}'.");
        foreach (var row in settings.Rows)
            if (!RowScenario.ContainsKey(row)) throw new ArgumentException($"--rows takes steady and/or first, not '{row}'.");
        if (settings.PeerUpdate is not ("inline" or "after")) throw new ArgumentException("--peer-update takes inline or after.");
        if (settings.Bots.Contains(Ours) && !File.Exists(botDll))
            throw new InvalidOperationException($"PeerGroupBot is not built at {botDll}: run `dotnet build -c Release src/PeerGroupBot` (or pass --bot-dll).");
        if (settings.Bots.Contains(Peer) && !Directory.Exists(Path.Combine(peerDir, "node_modules", "botbuilder")))
            throw new InvalidOperationException($"The peer's packages are not installed: run `npm ci --no-audit --no-fund` in {peerDir}.");
    }

    /// <summary>The host the bench itself was built with: src/PeerGroupBot/bin/&lt;same configuration&gt;/net10.0/PeerGroupBot.dll.</summary>
    private static string DefaultBotDll(string root)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        return Path.Combine(root, "src", "PeerGroupBot", "bin", configuration, "net10.0", "PeerGroupBot.dll");
    }

    private static string AzuriteConnectionString(int port)
        => $"DefaultEndpointsProtocol=http;AccountName={AzuriteFixture.AccountName};AccountKey={AzuriteFixture.AccountKey};BlobEndpoint=http://127.0.0.1:{port}/{AzuriteFixture.AccountName};";

    /// <summary>A new Azurite process, in memory, as the tests start it (tests/PeerGroupBot.Testing/Storage/AzuriteFixture.cs), but with its pid at hand.</summary>
    private static ChildProcess StartAzurite(string root, out int port)
    {
        port = ChildProcess.FreeLoopbackPort();
        var executable = Path.Combine(root, "node_modules", ".bin", "azurite-blob");
        if (!File.Exists(executable)) throw new InvalidOperationException($"Azurite is not installed ({executable} is missing): run `npm ci` in {root}.");
        return ChildProcess.Start("Azurite", executable,
            ["--blobHost", "127.0.0.1", "--blobPort", port.ToString(CultureInfo.InvariantCulture), "--skipApiVersionCheck", "--disableTelemetry", "--silent", "--inMemoryPersistence"], stopGrace: TimeSpan.Zero);
    }

    private static async Task<List<SideRun>> OneRunAsync(SideBySideSettings settings, string root, string botName, string botDll, string peerDir, double rate, int rep)
    {
        using var azurite = StartAzurite(root, out var azuritePort);
        await azurite.WaitForPortAsync(azuritePort, TimeSpan.FromSeconds(30));
        await using var proxy = await BlobProxy.StartAsync(azuritePort);
        await using var upstream = await FakeUpstream.StartAsync();
        using var discord = new DiscordDriver();
        var teams = new TeamsDriver(upstream.BaseUrl + "/teams/");
        var port = ChildProcess.FreeLoopbackPort();
        var container = AzuriteFixture.NewContainerName(botName == Ours ? "pgb" : "peer");

        var clock = Stopwatch.StartNew();
        using var bot = botName == Ours
            ? ChildProcess.Start("PeerGroupBot", Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
                [botDll, $"--urls=http://127.0.0.1:{port}", .. BenchHost.Settings(StoreChoice.Blob(proxy.ConnectionString, container), upstream.BaseUrl, discord.PublicKeyHex), .. settings.BotArgs],
                settings.BotEnvironment, workingDirectory: Path.GetDirectoryName(botDll))
            : ChildProcess.Start("the botbuilder peer", "node", [Path.Combine(peerDir, "peer.js")],
                new Dictionary<string, string>
                {
                    ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
                    ["STORAGE_CONNECTION_STRING"] = proxy.ConnectionString,
                    ["STORAGE_CONTAINER"] = container,
                    ["PEER_UPDATE"] = settings.PeerUpdate,
                },
                workingDirectory: peerDir);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            Timeout = settings.Timeout,
        };
        await bot.WaitForPortAsync(port, TimeSpan.FromSeconds(60));
        if (botName == Ours) await WaitHealthyAsync(client, bot);
        var readyMs = clock.Elapsed.TotalMilliseconds;
        var phases = new List<string> { $"ready {readyMs / 1000:0.0} s" };
        void Phase(string name) => phases.Add($"{name} {clock.Elapsed.TotalSeconds:0.0} s");

        var teamsCards = botName == Ours
            ? (await Scenarios.SetUpGroupsAsync(client, upstream, null, teams, settings.Groups)).Teams
            : await Scenarios.SetUpPeerPollsAsync(client, upstream, teams, settings.Groups);
        var scenarios = Scenarios.For(discord, teams, settings.Groups, (null, teamsCards), settings.MembersPerGroup);
        StorageCount Count() => new(null, proxy.Requests, proxy.ToString());
        Phase("set up");
        var steady = scenarios[RowScenario["steady"]];
        await steady.PrimeOnceAsync(client);
        Phase("primed");
        if (settings.Warmup > TimeSpan.Zero)
            await LoadRunner.RunAsync("warmup", client, steady.Next, steady.Ok, rate, settings.Concurrency, settings.Warmup, Count, settings.Warmup + settings.Grace);
        Phase("warmed up");

        var results = new List<SideRun>();
        foreach (var row in settings.Rows)
        {
            var scenario = scenarios[RowScenario[row]];
            var (botCpu, azuriteCpu, benchCpu, machine, connector, lines) = (bot.CpuTime, azurite.CpuTime, BenchCpuTime(), MachineCpu.Sample(), upstream.Requests, bot.Lines);
            var run = await LoadRunner.RunAsync(row, client, scenario.Next, scenario.Ok, rate, settings.Concurrency, settings.Duration, Count, settings.Duration + settings.Grace);
            var done = Math.Max(1, run.Requests - run.Unsent - run.Failures);
            var sent = (double)Math.Max(1, run.Requests - run.Unsent);
            var result = new SideRun(botName, rate, row, rep, run, upstream.Breakdown, (upstream.Requests - connector) / sent, (bot.Lines - lines) / sent,
                (bot.CpuTime - botCpu).TotalMilliseconds / done, (azurite.CpuTime - azuriteCpu).TotalMilliseconds / done,
                (BenchCpuTime() - benchCpu).TotalMilliseconds / done, MachineCpu.Sample().BusyPercentSince(machine), bot.PeakResidentBytes, readyMs);
            results.Add(result);
            if (run.FirstFailure is not null) Console.WriteLine($"[{botName} {rate:0}/s {row} #{rep}] first failure: {run.FirstFailure}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{botName} {rate:0}/s {row} #{rep}] done {run.DonePerSecond:0.0}/s, p50 {run.P(0.5):0.0} ms p95 {run.P(0.95):0.0} ms p99 {run.P(0.99):0.0} ms, {run.Failures} failed, {run.Unsent} unsent of {run.Requests}, "
                + $"{run.ProxyCallsPerRequest:0.00} storage and {result.ConnectorCallsPerVote:0.00} connector calls/vote, {result.LogLinesPerVote:0.0} log lines/vote, CPU/vote bot {result.BotCpuMsPerVote:0.00} ms Azurite {result.AzuriteCpuMsPerVote:0.00} ms driver and proxy {result.BenchCpuMsPerVote:0.00} ms, machine {result.MachineBusyPercent:0}% busy, bot peak RSS {result.BotPeakRssBytes / 1048576.0:0} MiB, ready after {readyMs:0} ms"));
        }
        if (bot.HasExited) throw new InvalidOperationException($"{bot.Name} exited during the run. Its output:{Environment.NewLine}{bot.RecentOutput}");
        Phase("measured");
        Console.WriteLine($"[{botName} {rate:0}/s #{rep}] {string.Join(", ", phases)} after start");
        return results;
    }

    /// <summary>CPU time of this process so far: the driver, the counting proxy and the fake connector.</summary>
    private static TimeSpan BenchCpuTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private static async Task WaitHealthyAsync(HttpClient client, ChildProcess bot)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await client.GetAsync("/healthz");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not yet.
            }
            if (bot.HasExited) break;
            await Task.Delay(50);
        }
        throw new InvalidOperationException($"PeerGroupBot did not become healthy. Its output:{Environment.NewLine}{bot.RecentOutput}");
    }

    /// <summary>The markdown report: baseline, a summary per row (medians across repetitions), and every run.</summary>
    public static string Markdown(SideBySideSettings settings, List<SideRun> runs, SideBaselines baselines)
    {
        var report = new StringBuilder();
        var (direct, viaProxy, paced) = (baselines.Direct, baselines.ViaProxy, baselines.ViaProxyPaced);
        var baseline = Stats.Percentile(viaProxy, 0.5);
        var pacedBaseline = Stats.Percentile(paced, 0.5);
        report.AppendLine(CultureInfo.InvariantCulture, $"### Side by side: Teams votes, PeerGroupBot and the botbuilder peer (bench/peer, botbuilder 4.23.3 + botbuilder-azure-blobs 4.23.3, card update {settings.PeerUpdate})");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"Open loop, at most {settings.Concurrency} in flight, {settings.Duration.TotalSeconds:0.#} s per row after a {settings.Warmup.TotalSeconds:0.#} s warm-up, "
            + $"{settings.Reps} repetition(s) per bot and rate (A B A B), each on a fresh Azurite and a fresh bot process; {settings.Groups} groups, "
            + $"{settings.MembersPerGroup} steady-state members per group; a request not answered in {settings.Timeout.TotalSeconds:0.#} s failed; "
            + $"nothing is sent after {(settings.Duration + settings.Grace).TotalSeconds:0.#} s (unsent).");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"Baseline, one read + one conditional write of a small document on the same kind of Azurite (Azure SDK, {settings.BaselineIterations} pairs): "
            + $"back to back, p50 {Stats.Percentile(direct, 0.5):0.00} ms direct, p50 {baseline:0.00} ms / p95 {Stats.Percentile(viaProxy, 0.95):0.00} ms / p99 {Stats.Percentile(viaProxy, 0.99):0.00} ms through the proxy (the bots' path); "
            + $"paced at {baselines.PacedRate:0} pairs/s through the proxy, as the votes are sent (each pair meets idle processes, as an unloaded vote does), "
            + $"p50 {pacedBaseline:0.00} ms / p95 {Stats.Percentile(paced, 0.95):0.00} ms / p99 {Stats.Percentile(paced, 0.99):0.00} ms. "
            + $"The ratios below are a row's p50 over each.");
        report.AppendLine();

        foreach (var row in settings.Rows)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"#### {(row == "steady" ? "Steady state: members who have voted before change their vote" : "First votes: members voting for the first time")} (medians across repetitions)");
            report.AppendLine();
            report.AppendLine("| votes/s offered | bot | done/s | p50 ms | p95 ms | p99 ms | p50 / baseline paced | p50 / baseline back to back | failed | unsent | storage calls / vote | connector calls / vote | log lines / vote | bot CPU ms / vote | Azurite CPU ms / vote | driver + proxy CPU ms / vote | machine busy % | bot peak RSS MiB | kept up |");
            report.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
            foreach (var group in runs.Where(r => r.Row == row).GroupBy(r => (r.Rate, r.Bot)))
            {
                var of = group.ToList();
                var p50 = Stats.Median(of.Select(r => r.Run.P(0.5)));
                report.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {group.Key.Rate:0} | {group.Key.Bot} | {Stats.Median(of.Select(r => r.Run.DonePerSecond)):0.0} | {p50:0.0} | {Stats.Median(of.Select(r => r.Run.P(0.95))):0.0} | {Stats.Median(of.Select(r => r.Run.P(0.99))):0.0} | "
                    + $"{p50 / pacedBaseline:0.00}× | {p50 / baseline:0.0}× | {of.Sum(r => r.Run.Failures)}/{of.Sum(r => r.Run.Requests)} | {of.Sum(r => r.Run.Unsent)} | {Stats.Median(of.Select(r => r.Run.ProxyCallsPerRequest)):0.00} | {Stats.Median(of.Select(r => r.ConnectorCallsPerVote)):0.00} | {Stats.Median(of.Select(r => r.LogLinesPerVote)):0.0} | "
                    + $"{Stats.Median(of.Select(r => r.BotCpuMsPerVote)):0.00} | {Stats.Median(of.Select(r => r.AzuriteCpuMsPerVote)):0.00} | {Stats.Median(of.Select(r => r.BenchCpuMsPerVote)):0.00} | {Stats.Median(of.Select(r => r.MachineBusyPercent)):0} | {of.Max(r => r.BotPeakRssBytes) / 1048576.0:0} | "
                    + $"{(of.All(r => r.KeptUp) ? "yes" : "no")} |"));
            }
            report.AppendLine();
            foreach (var bot in settings.Bots)
            {
                var kept = runs.Where(r => r.Row == row && r.Bot == bot).GroupBy(r => r.Rate).Where(g => g.All(r => r.KeptUp)).Select(g => g.Key).DefaultIfEmpty(double.NaN).Max();
                report.AppendLine(CultureInfo.InvariantCulture, $"- {bot}: highest rate kept up with (every repetition ≥ 95% done, nothing failed): {(double.IsNaN(kept) ? "none of those offered" : kept.ToString("0", CultureInfo.InvariantCulture) + " votes/s")}");
            }
            report.AppendLine();
        }

        report.AppendLine("#### Every run");
        report.AppendLine();
        report.AppendLine("| votes/s | bot | row | rep | done/s | p50 ms | p99 ms | failed | unsent | storage calls / vote | connector calls / vote | log lines / vote | bot CPU ms / vote | Azurite CPU ms / vote | driver + proxy CPU ms / vote | machine busy % | bot peak RSS MiB | bot ready ms |");
        report.AppendLine("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in runs)
        {
            report.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Rate:0} | {r.Bot} | {r.Row} | {r.Rep} | {r.Run.DonePerSecond:0.0} | {r.Run.P(0.5):0.0} | {r.Run.P(0.99):0.0} | {r.Run.Failures}/{r.Run.Requests} | {r.Run.Unsent} | {r.Run.ProxyCallsPerRequest:0.00} | {r.ConnectorCallsPerVote:0.00} | {r.LogLinesPerVote:0.0} | "
                + $"{r.BotCpuMsPerVote:0.00} | {r.AzuriteCpuMsPerVote:0.00} | {r.BenchCpuMsPerVote:0.00} | {r.MachineBusyPercent:0} | {r.BotPeakRssBytes / 1048576.0:0} | {r.ReadyMs:0} |"));
        }
        report.AppendLine();
        report.AppendLine("Storage calls at the proxy by method, REST operation and status, over the whole last run of each bot (set-up and priming included):");
        report.AppendLine();
        foreach (var bot in settings.Bots)
            if (runs.LastOrDefault(r => r.Bot == bot) is { } last) report.AppendLine(CultureInfo.InvariantCulture, $"- {bot}: {last.Run.StorageBreakdown}");
        report.AppendLine();
        report.AppendLine("Connector calls by method and path (ids as *), over the same runs:");
        report.AppendLine();
        foreach (var bot in settings.Bots)
            if (runs.LastOrDefault(r => r.Bot == bot) is { } last) report.AppendLine(CultureInfo.InvariantCulture, $"- {bot}: {last.ConnectorBreakdown}");
        report.AppendLine();
        return report.ToString();
    }
}
