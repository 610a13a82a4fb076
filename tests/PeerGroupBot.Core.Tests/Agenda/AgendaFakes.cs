using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Rota;
using PeerGroupBot.Core.Sessions;
using PeerGroupBot.Testing;

namespace PeerGroupBot.Core.Tests.Agenda;

/// <summary>A schedule the test sets by hand: the next occurrence is the first listed one starting after the time asked.</summary>
public sealed class FakeSessionCalendar : ISessionCalendar
{
    public List<SessionOccurrence> Occurrences { get; } = [];

    public FakeSessionCalendar Weekly(string zone, LocalDateTime first, int count, Duration length, string? location = null)
    {
        for (var i = 0; i < count; i++) Occurrences.Add(At(zone, first.PlusWeeks(i), length, location));
        return this;
    }

    public static SessionOccurrence At(string zone, LocalDateTime local, Duration length, string? location = null)
        => new(local.ToString("uuuu-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
            local.InZoneStrictly(DateTimeZoneProviders.Tzdb[zone]).ToInstant(), length, location);

    public Task<SessionOccurrence> GetNextAsync(GroupDocument group, Instant after, CancellationToken cancellationToken)
        => Task.FromResult(Occurrences.Where(o => o.Start > after).OrderBy(o => o.Start).FirstOrDefault() ?? SessionOccurrence.Undated);

    public Task<IReadOnlyList<SessionOccurrence>> GetUpcomingAsync(GroupDocument group, Instant after, int count, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<SessionOccurrence>>(Occurrences.Where(o => o.Start > after).OrderBy(o => o.Start).Take(count).ToList());
}

/// <summary>The same people on the rota for every session.</summary>
public sealed class FakeRotaLookup : IRotaLookup
{
    public List<RotaHolder> Holders { get; } = [];

    public Task<IReadOnlyList<RotaHolder>> GetHoldersAsync(GroupDocument group, string occurrenceId, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<RotaHolder>>(Holders.ToList());
}

internal static class AgendaBots
{
    /// <summary>Thursday 5 November 2026, 18:00, a week into the test clock's month.</summary>
    public static readonly LocalDateTime FirstSession = new(2026, 11, 5, 18, 0);

    /// <summary>A bot with a group set up, the given calendar (none: no schedule) and rota.</summary>
    public static async Task<TestBot> StartAsync(FakeSessionCalendar? calendar = null, FakeRotaLookup? rota = null, string timeZone = "Europe/London")
    {
        var bot = new TestBot(configure: services =>
        {
            if (calendar is not null) services.AddSingleton<ISessionCalendar>(calendar);
            if (rota is not null) services.AddSingleton<IRotaLookup>(rota);
        });
        await bot.SetupGroupAsync(timeZone: timeZone);
        return bot;
    }

    public static async Task<string> TextAsync(this TestBot bot, PeerGroupBot.Core.Conversation.Actor actor, string text)
        => Assert.Single(await bot.SendAsync(actor, text)).Text;

    public static async Task<string> TextAsync(this TestBot bot, PeerGroupBot.Core.Conversation.Actor actor, PeerGroupBot.Core.Conversation.Place place, string text)
        => Assert.Single(await bot.SendAsync(actor, place, text)).Text;
}
