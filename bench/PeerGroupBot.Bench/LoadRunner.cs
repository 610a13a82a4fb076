using System.Collections.Concurrent;
using System.Diagnostics;

namespace PeerGroupBot.Bench;

/// <summary>Storage calls counted so far: by the bot's own <c>CountingStateStore</c> (in-process hosts only) and at the <see cref="BlobProxy"/> (blob store only).</summary>
public sealed record StorageCount(long? InProcess, long? AtProxy, string Breakdown);

/// <summary>What one timed run measured. Storage calls per request are NaN where that count is not available.</summary>
public sealed record RunResult(
    string Scenario,
    int Requests,
    int Failures,
    int Unsent,
    double Seconds,
    double[] LatenciesMs,
    long PeakWorkingSetBytes,
    long PeakGcHeapBytes,
    double StorageCallsPerRequest,
    double ProxyCallsPerRequest,
    string StorageBreakdown,
    string? FirstFailure)
{
    /// <summary>Requests offered per second of the run, answered or not.</summary>
    public double Throughput => Requests / Seconds;

    /// <summary>Right answers per second, from the first request to the last answer.</summary>
    public double DonePerSecond => (Requests - Unsent - Failures) / Seconds;

    public double P(double q) => Stats.Percentile(LatenciesMs, q);
}

/// <summary>
/// An open-loop load generator: request i is started at <c>start + i / rate</c> (so a slow answer does not slow the
/// offered load), with at most <c>concurrency</c> requests in flight. Latency is measured from the moment a
/// request is sent to the moment its whole response is read. With <c>stopSendingAfter</c>, a request that cannot be sent
/// by then (all <c>concurrency</c> slots still busy) is not sent at all and counted as unsent: an overloaded bot does not
/// stretch the run out indefinitely.
/// </summary>
public static class LoadRunner
{
    public static async Task<RunResult> RunAsync(
        string scenario,
        HttpClient client,
        Func<int, HttpRequestMessage> next,
        Func<HttpResponseMessage, string, bool> succeeded,
        double rate,
        int concurrency,
        TimeSpan duration,
        Func<StorageCount> storage,
        TimeSpan? stopSendingAfter = null)
    {
        var total = (int)Math.Max(1, Math.Round(rate * duration.TotalSeconds));
        var latencies = new ConcurrentBag<double>();
        var failures = 0;
        var unsent = 0;
        string? firstFailure = null;
        using var gate = new SemaphoreSlim(concurrency);
        using var sampler = new MemorySampler();
        var storageBefore = storage();
        var clock = Stopwatch.StartNew();
        var inFlight = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait);
            if (stopSendingAfter is { } stop)
            {
                var left = stop - clock.Elapsed;
                if (left <= TimeSpan.Zero || !await gate.WaitAsync(left))
                {
                    unsent = total - i;
                    break;
                }
            }
            else
            {
                await gate.WaitAsync();
            }
            var index = i;
            inFlight.Add(Task.Run(async () =>
            {
                try
                {
                    using var request = next(index);
                    var sent = Stopwatch.GetTimestamp();
                    using var response = await client.SendAsync(request);
                    var body = await response.Content.ReadAsStringAsync();
                    latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                    if (!succeeded(response, body))
                    {
                        Interlocked.Increment(ref failures);
                        Interlocked.CompareExchange(ref firstFailure, $"{(int)response.StatusCode}: {body[..Math.Min(300, body.Length)]}", null);
                    }
                }
                catch (Exception ex)
                {
                    Interlocked.Increment(ref failures);
                    Interlocked.CompareExchange(ref firstFailure, ex.GetType().Name + ": " + ex.Message, null);
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
        await Task.WhenAll(inFlight);
        var seconds = clock.Elapsed.TotalSeconds;
        // Background work (Discord follow-ups, card refreshes) may still be settling; give it a moment so its storage calls count.
        await Task.Delay(300);
        var after = storage();
        static double PerRequest(long? before, long? now, int requests) => before is { } b && now is { } n ? (n - b) / (double)requests : double.NaN;
        return new RunResult(scenario, total, failures, unsent, seconds, [.. latencies], sampler.PeakWorkingSet, sampler.PeakGcHeap,
            PerRequest(storageBefore.InProcess, after.InProcess, total - unsent), PerRequest(storageBefore.AtProxy, after.AtProxy, total - unsent), after.Breakdown, firstFailure);
    }
}

/// <summary>Samples the process's working set and GC heap every 50 ms and keeps the highest values.</summary>
public sealed class MemorySampler : IDisposable
{
    private readonly Timer _timer;
    private long _peakWorkingSet, _peakGcHeap;

    public MemorySampler()
    {
        Sample();
        _timer = new Timer(_ => Sample(), null, 50, 50);
    }

    public long PeakWorkingSet => Interlocked.Read(ref _peakWorkingSet);
    public long PeakGcHeap => Interlocked.Read(ref _peakGcHeap);

    private void Sample()
    {
        using var process = Process.GetCurrentProcess();
        Max(ref _peakWorkingSet, process.WorkingSet64);
        Max(ref _peakGcHeap, GC.GetGCMemoryInfo().HeapSizeBytes);
    }

    private static void Max(ref long field, long value)
    {
        long seen;
        while (value > (seen = Interlocked.Read(ref field)) && Interlocked.CompareExchange(ref field, value, seen) != seen) { }
    }

    public void Dispose()
    {
        _timer.Dispose();
        Sample();
    }
}

public static class Stats
{
    public static double Percentile(IReadOnlyList<double> values, double q)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.OrderBy(v => v).ToArray();
        var rank = q * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }

    public static double Median(IEnumerable<double> values) => Percentile(values.ToArray(), 0.5);
}
