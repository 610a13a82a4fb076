using System.Diagnostics;
using System.Diagnostics.Metrics;
using PeerGroupBot.Core.Conversation;

namespace PeerGroupBot.Core.Telemetry;

/// <summary>
/// The bot's metrics and traces, with nothing but System.Diagnostics: one <see cref="Meter"/> and one
/// <see cref="ActivitySource"/>, both named "PeerGroupBot". The host exports them with OpenTelemetry when
/// <c>Telemetry:OtlpEndpoint</c> is set; otherwise nobody listens and recording costs next to nothing.
/// Every attribute is a word from a fixed set (platform, flow, endpoint template, operation, outcome, status code,
/// timer kind): never an id, a name, a key or anything a member wrote. Concerns are a bare count.
/// </summary>
public static class BotTelemetry
{
    public const string Name = "PeerGroupBot";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Requests = Meter.CreateCounter<long>("peergroupbot.http.requests", "{request}", "Inbound HTTP requests by endpoint template and status code.");
    public static readonly Histogram<double> RequestDuration = Meter.CreateHistogram<double>("peergroupbot.http.request.duration", "ms", "Time to answer an inbound HTTP request, by endpoint template.");
    public static readonly Counter<long> Inputs = Meter.CreateCounter<long>("peergroupbot.inputs", "{input}", "Inputs handled by the core, by platform, flow and kind.");
    public static readonly Histogram<double> InputDuration = Meter.CreateHistogram<double>("peergroupbot.input.duration", "ms", "Time the core took for an input, by platform, flow and kind.");
    public static readonly Counter<long> StorageCalls = Meter.CreateCounter<long>("peergroupbot.storage.calls", "{call}", "Storage calls by operation and outcome.");
    public static readonly Histogram<double> StorageDuration = Meter.CreateHistogram<double>("peergroupbot.storage.duration", "ms", "Storage call latency by operation and outcome.");
    public static readonly Counter<long> OutboundCalls = Meter.CreateCounter<long>("peergroupbot.outbound.calls", "{call}", "Requests to a platform's API (each attempt), by platform, route template and status.");
    public static readonly Histogram<double> OutboundDuration = Meter.CreateHistogram<double>("peergroupbot.outbound.duration", "ms", "Latency of requests to a platform's API, by platform.");
    public static readonly Counter<long> OutboundRetries = Meter.CreateCounter<long>("peergroupbot.outbound.retries", "{retry}", "Requests to a platform repeated, by platform and reason.");
    public static readonly Histogram<double> RateLimitWaits = Meter.CreateHistogram<double>("peergroupbot.outbound.rate_limit_wait", "ms", "Time spent waiting for a platform's rate limit, by platform.");
    public static readonly Counter<long> TimersFired = Meter.CreateCounter<long>("peergroupbot.timers.fired", "{timer}", "Due timers picked up, by kind and outcome (delivered, duplicate, missed, unhandled).");
    public static readonly Counter<long> ConcernsRaised = Meter.CreateCounter<long>("peergroupbot.concerns.raised", "{concern}", "Concerns raised. A count only: no attribute at all.");

    /// <summary>The flow an input goes to, as a tag: a known flow's name, "help", or "other" (never the words typed).</summary>
    public static string FlowOf(BotInput input, IReadOnlySet<string> flows)
    {
        var first = input.Kind == InputKind.Message
            ? ConversationRouter.SplitWord(input.Text.Trim().TrimStart('/', '!').Trim()).Word
            : input.ActionId.Split(':')[0];
        first = first.ToLowerInvariant();
        return first is "help" or "?" ? "help" : flows.Contains(first) ? first : "other";
    }

    /// <summary>A platform as a tag ("teams", "discord", "playground"), or "other".</summary>
    public static string PlatformTag(string platform) => platform is "teams" or "discord" or "playground" ? platform : "other";

    /// <summary>Starts timing an input (and a span for it); dispose to record it.</summary>
    public static Measurement Input(BotInput input, IReadOnlySet<string> flows)
    {
        var tags = new TagList
        {
            { "platform", PlatformTag(input.Place.Platform) },
            { "flow", FlowOf(input, flows) },
            { "kind", input.Kind.ToString().ToLowerInvariant() },
        };
        return new Measurement(Inputs, InputDuration, tags, Source.StartActivity("bot.input"));
    }

    /// <summary>Starts timing a storage call; <see cref="Measurement.Done"/> sets the outcome.</summary>
    public static Measurement Storage(string operation)
        => new(StorageCalls, StorageDuration, new TagList { { "operation", operation } }, Source.StartActivity("storage." + operation));

    /// <summary>One timed operation: a counter and a histogram recorded with the same tags, and its span.</summary>
    public sealed class Measurement(Counter<long> counter, Histogram<double> duration, TagList tags, Activity? activity) : IDisposable
    {
        private readonly long _started = Stopwatch.GetTimestamp();
        private TagList _tags = tags;
        private bool _recorded;

        /// <summary>Adds the outcome (ok, not_found, conflict, unavailable, error…).</summary>
        public void Done(string outcome) => _tags.Add("outcome", outcome);

        public void Dispose()
        {
            if (_recorded) return;
            _recorded = true;
            foreach (var tag in _tags) activity?.SetTag("peergroupbot." + tag.Key, tag.Value);
            counter.Add(1, _tags);
            duration.Record(Stopwatch.GetElapsedTime(_started).TotalMilliseconds, _tags);
            activity?.Dispose();
        }
    }
}
