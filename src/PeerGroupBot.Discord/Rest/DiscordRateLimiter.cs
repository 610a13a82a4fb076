using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using PeerGroupBot.Core.Telemetry;

namespace PeerGroupBot.Discord.Rest;

/// <summary>
/// Keeps the bot inside Discord's rate limits, learned from response headers rather than hard-coded: per bucket
/// (<c>X-RateLimit-Bucket</c>, <c>-Remaining</c>, <c>-Reset-After</c>, counted per channel, guild or webhook), the
/// global requests-per-second limit, and pauses announced by a 429. Staying under the limits matters beyond speed:
/// many 401/403/429 answers in a short time earn a temporary Cloudflare ban for the whole bot. Registered once.
/// </summary>
public sealed class DiscordRateLimiter(IOptions<DiscordOptions> options, TimeProvider time)
{
    private sealed class Bucket
    {
        public int? Limit;
        public int Remaining = 1;
        public DateTimeOffset ResetAt = DateTimeOffset.MinValue;
    }

    private readonly ConcurrentDictionary<string, string> _bucketOfRoute = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly Queue<DateTimeOffset> _globalWindow = new();
    private readonly Lock _globalLock = new();
    private DateTimeOffset _globalPausedUntil = DateTimeOffset.MinValue;

    private TimeSpan MaxWait => options.Value.MaxRateLimitWait;

    /// <summary>Waits until the route's bucket and the global limit allow one more request, then counts it.</summary>
    /// <exception cref="DiscordRateLimitedException">The wait would be longer than <c>Discord:MaxRateLimitWait</c>.</exception>
    public async Task AcquireAsync(DiscordRoute route, CancellationToken cancellationToken)
    {
        if (route.CountsGlobally) await AcquireGlobalAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var wait = TryTake(route);
            if (wait <= TimeSpan.Zero) return;
            await DelayAsync(wait, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Learns the bucket and what is left in it from a response's headers.</summary>
    public void Observe(DiscordRoute route, HttpResponseHeaders headers)
    {
        var hash = Header(headers, "X-RateLimit-Bucket");
        if (hash is not null) _bucketOfRoute[route.Template] = hash;
        if (!int.TryParse(Header(headers, "X-RateLimit-Remaining"), NumberStyles.None, CultureInfo.InvariantCulture, out var remaining)) return;
        var resetAfter = Seconds(Header(headers, "X-RateLimit-Reset-After")) ?? TimeSpan.FromSeconds(1);
        var bucket = BucketOf(route);
        lock (bucket)
        {
            bucket.Remaining = remaining;
            bucket.ResetAt = time.GetUtcNow() + resetAfter;
            if (int.TryParse(Header(headers, "X-RateLimit-Limit"), NumberStyles.None, CultureInfo.InvariantCulture, out var limit)) bucket.Limit = limit;
        }
    }

    /// <summary>After a 429: nothing more goes to that bucket (or anywhere, when global) until the wait is over.</summary>
    public void Exhausted(DiscordRoute route, TimeSpan retryAfter, bool global)
    {
        var until = time.GetUtcNow() + retryAfter;
        if (global)
        {
            lock (_globalLock) if (until > _globalPausedUntil) _globalPausedUntil = until;
            return;
        }
        var bucket = BucketOf(route);
        lock (bucket)
        {
            bucket.Remaining = 0;
            if (until > bucket.ResetAt) bucket.ResetAt = until;
        }
    }

    /// <summary>Waits out a given time, refusing waits past the configured maximum.</summary>
    public Task DelayAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        if (wait > MaxWait) throw new DiscordRateLimitedException(wait);
        BotTelemetry.RateLimitWaits.Record(wait.TotalMilliseconds, new KeyValuePair<string, object?>("platform", DiscordMessenger.PlatformName));
        return Task.Delay(wait, time, cancellationToken);
    }

    private TimeSpan TryTake(DiscordRoute route)
    {
        var bucket = BucketOf(route);
        var now = time.GetUtcNow();
        lock (bucket)
        {
            if (now >= bucket.ResetAt && bucket.Remaining <= 0) bucket.Remaining = bucket.Limit ?? 1;
            if (bucket.Remaining > 0)
            {
                bucket.Remaining--;
                return TimeSpan.Zero;
            }
            return bucket.ResetAt - now;
        }
    }

    private async Task AcquireGlobalAsync(CancellationToken cancellationToken)
    {
        var perSecond = Math.Max(1, options.Value.GlobalRequestsPerSecond);
        while (true)
        {
            TimeSpan wait;
            lock (_globalLock)
            {
                var now = time.GetUtcNow();
                while (_globalWindow.Count > 0 && now - _globalWindow.Peek() >= TimeSpan.FromSeconds(1)) _globalWindow.Dequeue();
                if (now < _globalPausedUntil) wait = _globalPausedUntil - now;
                else if (_globalWindow.Count >= perSecond) wait = _globalWindow.Peek() + TimeSpan.FromSeconds(1) - now;
                else
                {
                    _globalWindow.Enqueue(now);
                    return;
                }
            }
            await DelayAsync(wait, cancellationToken).ConfigureAwait(false);
        }
    }

    private Bucket BucketOf(DiscordRoute route)
    {
        // Until Discord names the bucket, the route template stands in for it.
        var name = _bucketOfRoute.TryGetValue(route.Template, out var hash) ? hash : route.Template;
        return _buckets.GetOrAdd($"{name}|{route.MajorParameter}", _ => new Bucket());
    }

    private static string? Header(HttpResponseHeaders headers, string name)
        => headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>Parses seconds with decimals ("1.25"); null when absent or malformed.</summary>
    public static TimeSpan? Seconds(string? value)
        => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 && seconds < 86_400
            ? TimeSpan.FromSeconds(seconds)
            : null;
}

/// <summary>Discord asked for a longer wait than the bot is willing to hold a request for.</summary>
public sealed class DiscordRateLimitedException(TimeSpan wait)
    : Exception($"Discord asked to wait {wait.TotalSeconds:0.#} s, longer than Discord:MaxRateLimitWait allows.");
