using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using PeerGroupBot.Discord.Tests.Support;

namespace PeerGroupBot.Discord.Tests;

/// <summary>
/// OpenTelemetry through the real host, read back with the in-memory exporter: requests per endpoint and flow, storage
/// calls with their outcome, Discord calls with retries and rate-limit waits, concerns as a bare count, and one trace
/// from the inbound request through the core to storage. Every attribute the run produced is checked for personal
/// data. Other tests in this process share the meter, so counts are checked as "at least".
/// </summary>
public sealed partial class TelemetryTests : IAsyncLifetime
{
    private const string ConcernText = "Someone keeps talking over Mo in sessions";
    private const string Question = "Biscuits or cake next week?";

    private readonly List<Metric> _metrics = [];
    private readonly List<Activity> _spans = [];
    private DiscordHost _host = null!;

    public async Task InitializeAsync()
        => _host = await DiscordHost.StartAsync(
            new() { ["Telemetry:OtlpEndpoint"] = "http://127.0.0.1:9" }, // nothing listens there: only the in-memory copies are read
            services =>
            {
                services.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(_metrics));
                services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(_spans));
            });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [GeneratedRegex(@"^([a-z][a-z_.-]*|[0-9]{3}|(GET|POST|PUT|PATCH|DELETE) [a-z@{}/_-]+|/[a-z/{}_-]*)$")]
    private static partial Regex Word();

    private async Task RunAsync()
    {
        var channel = Payloads.NewChannel();
        await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "setup start", ("name", "Metrics Peers")));
        // A rate-limited post: the REST client waits it out and repeats it.
        _host.Fake.Answer(new ScriptedAnswer("POST", $"/channels/{channel}/messages", 429, """{"message":"You are being rate limited.","retry_after":0.2,"global":false}"""));
        await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "poll new", ("details", $"\"{Question}\" Biscuits | Cake")));
        var card = await _host.Fake.WaitForAsync(r => r.Method == "POST" && r.Path == $"/api/v10/channels/{channel}/messages" && r.CreatedId is not null && r.Body.Contains("Biscuits", StringComparison.Ordinal));
        var vote = card.Json.CustomIds().First(id => id.StartsWith("poll:vote:", StringComparison.Ordinal));
        await _host.InteractAsync(Payloads.Click(TestUser.Ash, channel, vote, card.CreatedId!));
        var group = (await _host.GroupOfChannelAsync(channel))!;
        await _host.InteractAsync(Payloads.ModalLabels(TestUser.Ash, channel, $"concern:raise:{group.Id}", ("text", ConcernText), ("replies", "no")));
        await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "session schedule", ("details", "weekly friday 18:00 \"Room 2\"")));
        await _host.Fake.WaitForAsync(r => r.Path.EndsWith("/scheduled-events", StringComparison.Ordinal));

        _host.Services.GetRequiredService<MeterProvider>().ForceFlush();
        _host.Services.GetRequiredService<TracerProvider>().ForceFlush();
    }

    private IEnumerable<(string Metric, IReadOnlyDictionary<string, object?> Tags, double Value)> Points()
    {
        foreach (var metric in _metrics.ToList())
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                var tags = new Dictionary<string, object?>();
                foreach (var tag in point.Tags) tags[tag.Key] = tag.Value;
                var value = metric.MetricType switch
                {
                    MetricType.LongSum => point.GetSumLong(),
                    MetricType.Histogram => point.GetHistogramCount(),
                    _ => 0,
                };
                yield return (metric.Name, tags, value);
            }
        }
    }

    private bool Has(string metric, params (string Key, string Value)[] tags)
        => Points().Any(p => p.Metric == metric && p.Value > 0 && tags.All(t => p.Tags.TryGetValue(t.Key, out var v) && Equals(v, t.Value)));

    [Fact]
    public async Task A_run_is_measured_and_traced_and_no_attribute_carries_personal_data()
    {
        await RunAsync();

        Assert.True(Has("peergroupbot.http.requests", ("endpoint", "/api/discord/interactions"), ("outcome", "200")));
        Assert.True(Has("peergroupbot.http.request.duration", ("endpoint", "/api/discord/interactions")));
        Assert.True(Has("peergroupbot.inputs", ("platform", "discord"), ("flow", "poll"), ("kind", "message")));
        Assert.True(Has("peergroupbot.inputs", ("platform", "discord"), ("flow", "poll"), ("kind", "action")));
        Assert.True(Has("peergroupbot.input.duration", ("flow", "concern"), ("kind", "form")));
        Assert.True(Has("peergroupbot.storage.calls", ("operation", "read"), ("outcome", "ok")));
        Assert.True(Has("peergroupbot.storage.calls", ("operation", "create"), ("outcome", "ok")));
        Assert.True(Has("peergroupbot.storage.duration", ("operation", "replace")));
        Assert.True(Has("peergroupbot.outbound.calls", ("platform", "discord"), ("route", "POST channels/{major}/messages"), ("outcome", "429")));
        Assert.True(Has("peergroupbot.outbound.calls", ("platform", "discord"), ("route", "POST guilds/{major}/scheduled-events"), ("outcome", "200")));
        Assert.True(Has("peergroupbot.outbound.retries", ("platform", "discord"), ("reason", "rate_limited")));
        Assert.True(Has("peergroupbot.outbound.rate_limit_wait", ("platform", "discord")));
        var concerns = Assert.Single(Points(), p => p.Metric == "peergroupbot.concerns.raised");
        Assert.Empty(concerns.Tags); // a bare count
        Assert.True(concerns.Value >= 1);

        // One trace from the inbound request through the core to storage.
        var spans = _spans.ToList();
        var input = spans.First(s => s.DisplayName == "bot.input" && Equals(s.GetTagItem("peergroupbot.flow"), "concern"));
        var request = Assert.Single(spans, s => s.SpanId == input.ParentSpanId);
        Assert.Equal("http.request", request.DisplayName);
        Assert.Contains(spans, s => s.DisplayName.StartsWith("storage.", StringComparison.Ordinal) && s.TraceId == input.TraceId);

        // Every attribute of every point and span is a word from a fixed set, and none names anybody or repeats their words.
        var personal = new[]
        {
            TestUser.Dee.Id, TestUser.Ash.Id, TestUser.Dee.Name, TestUser.Ash.Name, "dee", "ash", Payloads.GuildId, "Metrics Peers",
            ConcernText, "Mo", Question, "Biscuits", "Cake", "Room 2", DiscordHost.BotToken, "itok-",
        };
        var values = Points().SelectMany(p => p.Tags.Select(t => (Where: p.Metric, t.Key, Value: t.Value?.ToString() ?? "")))
            .Concat(spans.SelectMany(s => s.TagObjects.Select(t => (Where: s.DisplayName, t.Key, Value: t.Value?.ToString() ?? ""))))
            .ToList();
        Assert.NotEmpty(values);
        Assert.All(values, v =>
        {
            Assert.Matches(Word(), v.Value);
            Assert.DoesNotContain(personal, p => p.Length >= 4 ? v.Value.Contains(p, StringComparison.OrdinalIgnoreCase) : v.Value == p);
        });
        Assert.All(spans, s => Assert.Matches(Word(), s.DisplayName));
    }

    [Fact]
    public async Task Without_an_endpoint_nothing_is_exported()
    {
        await using var plain = await DiscordHost.StartAsync();
        Assert.Null(plain.Services.GetService<MeterProvider>());
        Assert.Null(plain.Services.GetService<TracerProvider>());
    }
}
