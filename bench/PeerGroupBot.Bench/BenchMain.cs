using System.Globalization;
using System.Text;
using PeerGroupBot.Testing.Storage;

namespace PeerGroupBot.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/PeerGroupBot.Bench -- [all|load|baseline|scale] [--option value]…</c>.
/// Prints progress, then a markdown summary (medians across runs) that is also written to <c>--out</c>.
/// </summary>
public static class BenchMain
{
    public static async Task<int> Main(string[] args)
    {
        var command = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "all";
        var options = ParseOptions(args.SkipWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray());
        string Get(string name, string fallback) => options.TryGetValue(name, out var v) ? v : fallback;
        var runs = int.Parse(Get("runs", "5"), CultureInfo.InvariantCulture);
        var load = new LoadSettings(
            Rate: double.Parse(Get("rate", "40"), CultureInfo.InvariantCulture),
            Concurrency: int.Parse(Get("concurrency", "16"), CultureInfo.InvariantCulture),
            Duration: TimeSpan.FromSeconds(double.Parse(Get("seconds", "4"), CultureInfo.InvariantCulture)),
            Runs: runs,
            Groups: int.Parse(Get("groups", "20"), CultureInfo.InvariantCulture),
            Stores: Get("stores", "folder,blob").Split(',', StringSplitOptions.RemoveEmptyEntries),
            Scenarios: Get("scenarios", string.Join(',', LoadBench.AllScenarios)).Split(',', StringSplitOptions.RemoveEmptyEntries),
            TraceOne: Get("trace", "false") == "true");
        var scaleGroups = int.Parse(Get("scale-groups", "10000"), CultureInfo.InvariantCulture);
        var scaleRuns = int.Parse(Get("scale-runs", "3"), CultureInfo.InvariantCulture);
        var outPath = Get("out", "bench-results.md");
        if (command is not ("all" or "load" or "baseline" or "scale" or "side-by-side"))
        {
            Console.Error.WriteLine("usage: PeerGroupBot.Bench [all|load|baseline|scale] [--runs 5] [--rate 40] [--concurrency 16] [--seconds 4] [--groups 10] "
                + "[--stores folder,blob] [--scenarios a,b] [--scale-groups 10000] [--scale-runs 3] [--out bench-results.md]");
            Console.Error.WriteLine("       PeerGroupBot.Bench side-by-side [--rates 25,50,100,200,400] [--seconds 5] [--reps 2] [--warmup 2] [--groups 20] [--members 10] "
                + "[--concurrency 64] [--timeout 5] [--grace 2] [--bots peergroupbot,peer] [--rows steady,first] [--bot-dll path] [--bot-args \"--Key=value …\"] "
                + "[--peer-update inline|after] [--baseline-iterations 300] [--out bench-results.md]   (see bench/README.md)");
            return 2;
        }

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        report.AppendLine(CultureInfo.InvariantCulture, $"Command: `dotnet bench/PeerGroupBot.Bench/bin/Release/net10.0/PeerGroupBot.Bench.dll {string.Join(' ', args.Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a))}`");
        report.AppendLine();

        if (command == "side-by-side")
        {
            static double[] Numbers(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(r => double.Parse(r, CultureInfo.InvariantCulture)).ToArray();
            static TimeSpan Seconds(string value) => TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture));
            var side = new SideBySideSettings(
                Rates: Numbers(Get("rates", "25,50,100,200,400")),
                Duration: Seconds(Get("seconds", "5")),
                Reps: int.Parse(Get("reps", "2"), CultureInfo.InvariantCulture),
                Warmup: Seconds(Get("warmup", "2")),
                Groups: int.Parse(Get("groups", "20"), CultureInfo.InvariantCulture),
                MembersPerGroup: int.Parse(Get("members", "10"), CultureInfo.InvariantCulture),
                Concurrency: int.Parse(Get("concurrency", "64"), CultureInfo.InvariantCulture),
                Timeout: Seconds(Get("timeout", "5")),
                Grace: Seconds(Get("grace", "2")),
                Bots: Get("bots", $"{SideBySide.Ours},{SideBySide.Peer}").Split(',', StringSplitOptions.RemoveEmptyEntries),
                Rows: Get("rows", "steady,first").Split(',', StringSplitOptions.RemoveEmptyEntries),
                BotDll: options.TryGetValue("bot-dll", out var dll) ? Path.GetFullPath(dll) : null,
                BotArgs: Get("bot-args", "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
                BotEnvironment: Get("bot-env", "").Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Select(pair => pair.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "", StringComparer.Ordinal),
                PeerUpdate: Get("peer-update", "inline"),
                BaselineIterations: int.Parse(Get("baseline-iterations", "300"), CultureInfo.InvariantCulture));
            var (sideRuns, baselines) = await SideBySide.RunAsync(side);
            report.Append(SideBySide.Markdown(side, sideRuns, baselines));
            Console.WriteLine();
            Console.WriteLine(report);
            await File.WriteAllTextAsync(outPath, report.ToString());
            Console.WriteLine($"Written to {Path.GetFullPath(outPath)}");
            return 0;
        }

        var needsAzurite = command is "all" or "baseline" || (command == "load" && load.Stores.Contains("blob"));
        using var azurite = needsAzurite ? new AzuriteFixture() : null;
        double? azuriteBaseline = null, folderBaseline = null;

        if (command is "all" or "baseline" or "load")
        {
            var iterations = int.Parse(Get("baseline-iterations", "300"), CultureInfo.InvariantCulture);
            var blobRuns = new List<double[]>();
            var folderRuns = new List<double[]>();
            for (var run = 0; run < runs; run++)
            {
                if (azurite is not null) blobRuns.Add(await Baseline.AzuriteAsync(azurite, iterations));
                folderRuns.Add(await Baseline.FolderAsync(iterations));
            }
            report.AppendLine("### Baseline: one read + one conditional write of a small document, no bot (medians of " + runs + " runs)");
            report.AppendLine();
            report.AppendLine("| store | p50 ms | p95 ms | p99 ms |");
            report.AppendLine("|---|---:|---:|---:|");
            if (blobRuns.Count > 0)
            {
                azuriteBaseline = Stats.Median(blobRuns.Select(r => Stats.Percentile(r, 0.5)));
                report.AppendLine(Row("Azurite (Azure SDK)", azuriteBaseline.Value, Stats.Median(blobRuns.Select(r => Stats.Percentile(r, 0.95))), Stats.Median(blobRuns.Select(r => Stats.Percentile(r, 0.99)))));
            }
            folderBaseline = Stats.Median(folderRuns.Select(r => Stats.Percentile(r, 0.5)));
            report.AppendLine(Row("folder", folderBaseline.Value, Stats.Median(folderRuns.Select(r => Stats.Percentile(r, 0.95))), Stats.Median(folderRuns.Select(r => Stats.Percentile(r, 0.99)))));
            report.AppendLine();
            Console.WriteLine(report);
        }

        if (command is "all" or "load")
        {
            var results = await LoadBench.RunAsync(load, azurite);
            report.AppendLine(CultureInfo.InvariantCulture, $"### Load: {load.Rate:0} requests/s offered, at most {load.Concurrency} in flight, {load.Duration.TotalSeconds:0} s per run, {load.Runs} runs, {load.Groups} groups per platform (medians across runs)");
            report.AppendLine();
            report.AppendLine("| store | scenario | done/s | p50 ms | p95 ms | p99 ms | p50 / baseline p50 | storage calls / request | at the proxy / request | failed | peak working set MiB | peak GC heap MiB |");
            report.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var (store, scenario, runsOf) in results)
            {
                var p50 = Stats.Median(runsOf.Select(r => r.P(0.5)));
                var baseline = store == "blob" ? azuriteBaseline : folderBaseline;
                report.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {store} | {scenario} | {Stats.Median(runsOf.Select(r => r.Throughput)):0.0} | {p50:0.0} | {Stats.Median(runsOf.Select(r => r.P(0.95))):0.0} | {Stats.Median(runsOf.Select(r => r.P(0.99))):0.0} | "
                    + $"{(baseline is { } b ? (p50 / b).ToString("0.0", CultureInfo.InvariantCulture) + "×" : "–")} | {Stats.Median(runsOf.Select(r => r.StorageCallsPerRequest)):0.00} | {Report.Number(Stats.Median(runsOf.Select(r => r.ProxyCallsPerRequest)), "0.00")} | "
                    + $"{runsOf.Sum(r => r.Failures)}/{runsOf.Sum(r => r.Requests)} | {runsOf.Max(r => r.PeakWorkingSetBytes) / 1048576.0:0} | {runsOf.Max(r => r.PeakGcHeapBytes) / 1048576.0:0} |"));
            }
            report.AppendLine();
        }

        if (command is "all" or "scale")
        {
            var folder = await ScaleBench.SeedAsync(scaleGroups);
            try
            {
                var scale = new List<ScaleResult>();
                for (var run = 1; run <= scaleRuns; run++)
                {
                    var result = await ScaleBench.MeasureAsync(folder, scaleGroups, TimeSpan.FromSeconds(double.Parse(Get("idle-seconds", "6"), CultureInfo.InvariantCulture)));
                    scale.Add(result);
                    Console.WriteLine($"[scale] run {run}: started {result.StartMs:0} ms, {result.QuartzTriggers} Quartz triggers after {result.TriggersReadyMs:0} ms, "
                        + $"working set {result.WorkingSetBytes / 1048576.0:0} MiB, managed heap {result.ManagedHeapBytes / 1048576.0:0} MiB, {result.StorageCallsToReady} storage calls to ready, {result.IdleCallsPerSecond:0.0} calls/s idle");
                }
                report.AppendLine(CultureInfo.InvariantCulture, $"### Scale: {scaleGroups} groups with weekly schedules, folder store (medians of {scaleRuns} host starts)");
                report.AppendLine();
                report.AppendLine("| host started ms | all triggers in Quartz ms | Quartz triggers | working set MiB | managed heap MiB | storage calls to ready | storage calls/s idle |");
                report.AppendLine("|---:|---:|---:|---:|---:|---:|---:|");
                report.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {Stats.Median(scale.Select(s => s.StartMs)):0} | {Stats.Median(scale.Select(s => s.TriggersReadyMs)):0} | {Stats.Median(scale.Select(s => (double)s.QuartzTriggers)):0} | "
                    + $"{Stats.Median(scale.Select(s => (double)s.WorkingSetBytes)) / 1048576.0:0} | {Stats.Median(scale.Select(s => (double)s.ManagedHeapBytes)) / 1048576.0:0} | "
                    + $"{Stats.Median(scale.Select(s => (double)s.StorageCallsToReady)):0} | {Stats.Median(scale.Select(s => s.IdleCallsPerSecond)):0.0} |"));
                report.AppendLine();
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        Console.WriteLine();
        Console.WriteLine(report);
        await File.WriteAllTextAsync(outPath, report.ToString());
        Console.WriteLine($"Written to {Path.GetFullPath(outPath)}");
        return 0;
    }

    private static string Row(string name, double p50, double p95, double p99)
        => string.Create(CultureInfo.InvariantCulture, $"| {name} | {p50:0.00} | {p95:0.00} | {p99:0.00} |");

    private static Dictionary<string, string> ParseOptions(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 1 < args.Length; i += 2)
            options[args[i].TrimStart('-')] = args[i + 1];
        return options;
    }
}
