using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Testing;
using PeerGroupBot.Core;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Outbound;
using PeerGroupBot.Core.Scheduling;
using PeerGroupBot.Core.Security;
using PeerGroupBot.Core.State;
using PeerGroupBot.Core.Time;

namespace PeerGroupBot.Testing;

/// <summary>
/// The whole core wired with fakes: an in-memory store (or one you pass), a fake clock, recording messengers for
/// every platform and captured logs. Drive it like a member would: <see cref="SendAsync"/>, <see cref="ClickAsync"/>,
/// <see cref="SubmitAsync"/>, and move time with <see cref="AdvanceAsync"/> (which fires due timers).
/// </summary>
public sealed class TestBot : IAsyncDisposable
{
    public static readonly Instant DefaultStart = Instant.FromUtc(2026, 11, 2, 9, 0); // a Monday

    public static readonly Actor Fran = new("playground:fran", "Fran (facilitator)", IsPlatformFacilitator: true);
    public static readonly Actor Alex = new("playground:alex", "Alex");
    public static readonly Actor Sam = new("playground:sam", "Sam");
    public static readonly Actor Priya = new("playground:priya", "Priya");
    public static readonly Actor Jo = new("playground:jo", "Jo");

    public static readonly Place Channel = new("playground", "group-channel", IsPrivate: false);
    public static readonly Place StaffChannel = new("playground", "staff-channel", IsPrivate: false);

    public static Place PrivateOf(Actor actor) => new(actor.Platform, "dm-" + MemberIds.PlatformUserIdOf(actor.MemberId), IsPrivate: true);

    public ServiceProvider Services { get; }
    public IStateStore Store { get; }
    public FakeClock Clock { get; }
    public CapturingLoggerProvider Logs { get; } = new();
    public RecordingMessenger Playground { get; } = new("playground");
    public RecordingMessenger Teams { get; } = new("teams");
    public RecordingMessenger Discord { get; } = new("discord");
    public ConversationRouter Router => Services.GetRequiredService<ConversationRouter>();
    public Documents Documents => Services.GetRequiredService<Documents>();
    public GroupDirectory Directory => Services.GetRequiredService<GroupDirectory>();

    public TestBot(IStateStore? store = null, Instant? start = null, Action<IServiceCollection>? configure = null)
    {
        Store = store ?? new InMemoryStateStore();
        Clock = new FakeClock(start ?? DefaultStart);
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton(Store);
        services.AddSingleton<IClock>(Clock);
        services.AddSingleton(KeyRing.CreateRandom());
        services.AddSingleton<IPlatformMessenger>(Playground);
        services.AddSingleton<IPlatformMessenger>(Teams);
        services.AddSingleton<IPlatformMessenger>(Discord);
        services.AddPeerGroupBotCore();
        configure?.Invoke(services); // after the core, so a test's fakes replace the real lookups

        Services = services.BuildServiceProvider();
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Two bots over one store with the same keys, as two instances behind a load balancer; the group is set up on the first.</summary>
    public static async Task<(TestBot A, TestBot B)> TwoInstancesAsync(IStateStore? shared = null)
    {
        var store = shared ?? new InMemoryStateStore();
        var keys = KeyRing.CreateRandom();
        var a = new TestBot(store, configure: s => s.AddSingleton(keys));
        var b = new TestBot(store, configure: s => s.AddSingleton(keys));
        await a.SetupGroupAsync();
        return (a, b);
    }

    public Task<IReadOnlyList<BotReply>> SendAsync(Actor actor, Place place, string text)
        => HandleAsync(new BotInput { Actor = actor, Place = place, Kind = InputKind.Message, Text = text, TypedInView = TypedInView(place) }, CancellationToken.None);

    public Task<IReadOnlyList<BotReply>> SendAsync(Actor actor, string text, params Mention[] mentions)
        => HandleAsync(new BotInput { Actor = actor, Place = Channel, Kind = InputKind.Message, Text = text, Mentions = mentions, TypedInView = TypedInView(Channel) }, CancellationToken.None);

    /// <summary>As the adapters say it: a Discord command is a slash command nobody else sees; elsewhere typing shows.</summary>
    private static bool TypedInView(Place place) => place.Platform != "discord";

    public Task<IReadOnlyList<BotReply>> ClickAsync(Actor actor, string actionId, Place? place = null, IReadOnlyList<string>? selected = null, string? sourceMessageId = null)
        => HandleAsync(new BotInput
        {
            Actor = actor,
            Place = place ?? Channel,
            Kind = InputKind.Action,
            ActionId = actionId,
            Selected = selected ?? [],
            SourceMessageId = sourceMessageId,
            GathersSelects = GathersSelects(place ?? Channel),
        }, CancellationToken.None);

    /// <summary>One submit for every select on a card (<see cref="BotReply.SubmitSelects"/>): each select's action id and its ticks.</summary>
    public Task<IReadOnlyList<BotReply>> SubmitChoicesAsync(Actor actor, string actionId, IReadOnlyDictionary<string, IReadOnlyList<string>> choices, Place? place = null)
        => HandleAsync(new BotInput
        {
            Actor = actor,
            Place = place ?? Channel,
            Kind = InputKind.Action,
            ActionId = actionId,
            Choices = choices,
            GathersSelects = GathersSelects(place ?? Channel),
        }, CancellationToken.None);

    /// <summary>As the adapters say it: each Discord select sends its own interaction; a card or HTML form gathers them.</summary>
    private static bool GathersSelects(Place place) => place.Platform != "discord";

    public Task<IReadOnlyList<BotReply>> SubmitAsync(Actor actor, string actionId, IReadOnlyDictionary<string, string> values, Place? place = null)
        => HandleAsync(new BotInput { Actor = actor, Place = place ?? Channel, Kind = InputKind.Form, ActionId = actionId, Values = values }, CancellationToken.None);

    /// <summary>
    /// The replies as the playground shows them: times in the group's zone as written, without the marks that only
    /// Discord turns into its own timestamps (tests of the marks call <see cref="Router"/> directly).
    /// </summary>
    private async Task<IReadOnlyList<BotReply>> HandleAsync(BotInput input, CancellationToken cancellationToken)
    {
        if (ContactOf?.Invoke(input.Actor, input.Place) is { } contact) input = input with { Contact = contact };
        return (await Router.HandleAsync(input, cancellationToken)).Select(TimeMarks.Plain).ToList();
    }

    /// <summary>
    /// What an adapter would hand the core with each input about how to reach the actor (<see cref="BotInput.Contact"/>),
    /// as the Teams adapter does; none unless a test says.
    /// </summary>
    public Func<Actor, Place, System.Text.Json.JsonElement?>? ContactOf { get; set; }

    /// <summary>Starts a group in <see cref="Channel"/> with Fran as facilitator and Alex, Sam and Priya seen as members.</summary>
    public async Task<GroupDocument> SetupGroupAsync(string name = "Tuesday Peers", string timeZone = "Europe/London")
    {
        await SendAsync(Fran, $"setup {name}");
        await SendAsync(Fran, $"setup timezone {timeZone}");
        foreach (var member in new[] { Alex, Sam, Priya })
            await SendAsync(member, "help");
        return await GroupAsync();
    }

    public async Task<GroupDocument> GroupAsync(Place? place = null)
    {
        var index = await Directory.FindChannelAsync((place ?? Channel).Channel, CancellationToken.None)
            ?? throw new InvalidOperationException("No group in that channel.");
        return await Directory.GetGroupAsync(index.GroupId, CancellationToken.None) ?? throw new InvalidOperationException("Group missing.");
    }

    /// <summary>Moves the fake clock and fires every timer that fell due, like the scheduler would.</summary>
    public async Task<int> AdvanceAsync(Duration by)
    {
        Clock.Advance(by);
        return await Get<TimerDispatcher>().FireDueAsync(CancellationToken.None);
    }

    /// <summary>
    /// Moves the clock to <paramref name="until"/> like a scheduler that never oversleeps: each stored timer due on
    /// the way fires at its own due time, including timers scheduled by the ones that fire. Returns how many fired.
    /// </summary>
    public async Task<int> RunUntilAsync(Instant until)
    {
        var fired = 0;
        while (true)
        {
            Instant? next = null;
            await foreach (var timer in Documents.ListAsync<TimerDocument>("timers/"))
                if (timer.Value.Due <= until && (next is null || timer.Value.Due < next)) next = timer.Value.Due;
            if (next is null) break;
            if (next > Clock.GetCurrentInstant()) Clock.Reset(next.Value);
            var count = await Get<TimerDispatcher>().FireDueAsync(CancellationToken.None);
            fired += count;
            if (count == 0 && next <= Clock.GetCurrentInstant())
            {
                // Due timers that did not fire (already delivered or skipped) are gone now; guard against a loop.
                var stillDue = false;
                await foreach (var timer in Documents.ListAsync<TimerDocument>("timers/"))
                    stillDue |= timer.Value.Due <= Clock.GetCurrentInstant();
                if (stillDue) break;
            }
        }
        if (until > Clock.GetCurrentInstant()) Clock.Reset(until);
        return fired;
    }

    /// <summary>Everything stored, as text, for privacy searches.</summary>
    public async Task<IReadOnlyList<(string Key, string Text)>> DumpStoreAsync()
    {
        var all = new List<(string, string)>();
        await foreach (var key in Store.ListKeysAsync(""))
        {
            var doc = await Store.GetAsync(key);
            if (doc is not null) all.Add((key, System.Text.Encoding.UTF8.GetString(doc.Content.Span)));
        }
        return all;
    }

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
