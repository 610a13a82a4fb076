using System.Diagnostics.Metrics;
using NodaTime;
using PeerGroupBot.Core.Scheduling;
using PeerGroupBot.Core.Sessions;
using PeerGroupBot.Core.State;
using PeerGroupBot.Core.Telemetry;
using PeerGroupBot.Core.Tests.Concerns;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Telemetry;

/// <summary>
/// The core's measurements, read with a <see cref="MeterListener"/> (the host's OpenTelemetry export is tested through
/// the real host in the Discord tests). Only measurements made on this test's own async flow are kept, because other
/// tests running at the same time record on the same meter.
/// </summary>
public sealed class BotTelemetryTests : IDisposable
{
    private static readonly AsyncLocal<bool> Mine = new();
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, long Value, Dictionary<string, string?> Tags)> _seen = [];

    public BotTelemetryTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == BotTelemetry.Name) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (!Mine.Value) return;
            var byKey = new Dictionary<string, string?>();
            foreach (var tag in tags) byKey[tag.Key] = tag.Value?.ToString();
            lock (_seen) _seen.Add((instrument.Name, value, byKey));
        });
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    private List<Dictionary<string, string?>> TagsOf(string instrument)
    {
        lock (_seen) return _seen.Where(s => s.Instrument == instrument).Select(s => s.Tags).ToList();
    }

    [Fact]
    public async Task A_timer_is_counted_once_as_delivered_and_a_second_claim_as_a_duplicate()
    {
        Mine.Value = true;
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();
        await bot.SendAsync(Fran, "session schedule weekly tuesday 18:30");
        bot.Playground.Clear();
        var group = await bot.GroupAsync();
        var timer = (await bot.Documents.GetValueAsync<TimerDocument>(TimerDocument.KeyFor(group.Id, SessionReminders.TimerId)))!;

        // Another instance got there first: its marker is already stored, so this one only counts a duplicate.
        await bot.Documents.TryCreateAsync(TimerDispatcher.MarkerKey(timer), new DeliveryMarker(timer.TimerId, timer.Due, timer.Due));
        bot.Clock.Reset(timer.Due);
        await bot.Get<TimerDispatcher>().FireAsync(timer, CancellationToken.None);
        Assert.Empty(bot.Playground.Posts);
        Assert.Equal([("session-reminder", "duplicate")], TagsOf("peergroupbot.timers.fired").Select(t => (t["kind"], t["outcome"])));

        // The next reminder is delivered here, once.
        await bot.SendAsync(Fran, "session reminders 24h 1h");
        await bot.RunUntilAsync(Instant.FromUtc(2026, 11, 3, 17, 30));
        Assert.Contains(("session-reminder", "delivered"), TagsOf("peergroupbot.timers.fired").Select(t => (t["kind"], t["outcome"])));
        Assert.Single(bot.Playground.Posts, p => p.Reply.Title!.Contains("starts in 1 hour", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_raised_concern_is_a_bare_count_and_storage_calls_carry_their_outcome()
    {
        Mine.Value = true;
        await using var bot = ConcernKit.NewBot();
        await bot.SetupGroupAsync();
        var group = await bot.GroupAsync();
        await bot.SubmitAsync(Alex, $"concern:raise:{group.Id}", new Dictionary<string, string> { ["text"] = "The room is too cold for me", ["replies"] = "no" }, PrivateOf(Alex));

        var raised = Assert.Single(TagsOf("peergroupbot.concerns.raised"));
        Assert.Empty(raised);

        var storage = TagsOf("peergroupbot.storage.calls").Select(t => (t["operation"], t["outcome"])).ToHashSet();
        Assert.Contains(("read", "ok"), storage);
        Assert.Contains(("read", "not_found"), storage);
        Assert.Contains(("create", "ok"), storage);
        await Assert.ThrowsAsync<StateConflictException>(() => bot.Documents.Store.CreateAsync(GroupDocumentKey(group.Id), new byte[] { 1 }));
        Assert.Contains(("create", "conflict"), TagsOf("peergroupbot.storage.calls").Select(t => (t["operation"], t["outcome"])));

        var inputs = TagsOf("peergroupbot.inputs");
        Assert.Contains(inputs, t => t["flow"] == "concern" && t["kind"] == "form" && t["platform"] == "playground");
        Assert.Contains(inputs, t => t["flow"] == "setup" && t["kind"] == "message");
    }

    private static string GroupDocumentKey(string groupId) => Core.Groups.GroupDocument.KeyFor(groupId);
}
