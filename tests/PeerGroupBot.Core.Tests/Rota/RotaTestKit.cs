using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Rota;
using PeerGroupBot.Core.Sessions;
using PeerGroupBot.Testing;

namespace PeerGroupBot.Core.Tests.Rota;

/// <summary>A schedule that meets every week on one day at one time, standing in for the sessions feature.</summary>
public sealed class WeeklyCalendar(IsoDayOfWeek day, LocalTime time) : ISessionCalendar
{
    private static readonly LocalDateTimePattern IdPattern = LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm");

    public async Task<SessionOccurrence> GetNextAsync(GroupDocument group, Instant after, CancellationToken cancellationToken)
        => (await GetUpcomingAsync(group, after, 1, cancellationToken))[0];

    public Task<IReadOnlyList<SessionOccurrence>> GetUpcomingAsync(GroupDocument group, Instant after, int count, CancellationToken cancellationToken)
    {
        var list = new List<SessionOccurrence>();
        for (var date = after.InZone(group.Zone).Date; list.Count < count; date = date.PlusDays(1))
        {
            var start = date.At(time).InZoneLeniently(group.Zone).ToInstant();
            if (date.DayOfWeek == day && start > after)
                list.Add(new SessionOccurrence(IdPattern.Format(date.At(time)), start, Duration.FromHours(2)));
        }
        return Task.FromResult<IReadOnlyList<SessionOccurrence>>(list);
    }
}

/// <summary>Drives the rota like members do: start a poll, read its id off the posted card, mark availability.</summary>
public static class RotaTestKit
{
    public static readonly string[] Roles = [.. RotaSettings.DefaultRoles];

    /// <summary>A bot whose group meets on Thursdays at 18:00 (5, 12, 19, 26 Nov 2026 from the kit's Monday start).</summary>
    public static TestBot WithThursdaySessions()
        => new(configure: s => s.AddSingleton<ISessionCalendar>(new WeeklyCalendar(IsoDayOfWeek.Thursday, new LocalTime(18, 0))));

    /// <summary>The id of the last rota poll posted to the playground channel, read from its button.</summary>
    public static string PollId(TestBot bot)
    {
        var card = bot.Playground.Posts.Last(p => p.Reply.Title?.StartsWith("Rota poll", StringComparison.Ordinal) == true);
        return Assert.Single(card.Reply.Buttons).ActionId.Split(':')[2];
    }

    /// <summary>Chooses roles for one session (0-based, in poll order) in the availability select.</summary>
    public static Task<IReadOnlyList<BotReply>> MarkAsync(TestBot bot, Actor actor, string pollId, int session, params string[] roles)
        => bot.ClickAsync(actor, $"rota:mark:{pollId}:{session}", selected: [.. roles.Select(r => Array.IndexOf(Roles, r).ToString())]);

    /// <summary>Links a Discord channel (111) to the group as Dee, a Discord facilitator, would; returns the channel.</summary>
    public static async Task<Place> LinkDiscordAsync(TestBot bot)
    {
        var codeReply = Assert.Single(await bot.SendAsync(TestBot.Fran, "setup link"));
        var code = System.Text.RegularExpressions.Regex.Match(codeReply.Text, @"\*\*([A-Z0-9]{8})\*\*").Groups[1].Value;
        var discordChannel = new Place("discord", "111", IsPrivate: false);
        await bot.SendAsync(new Actor("discord:42", "Dee", IsPlatformFacilitator: true), discordChannel, $"setup link {code}");
        return discordChannel;
    }

    public static Task<IReadOnlyList<BotReply>> AnyRoleEveryDateAsync(TestBot bot, Actor actor, string pollId)
        => bot.ClickAsync(actor, $"rota:all:{pollId}:0");

    public static Mention Mention(Actor actor) => new(actor.MemberId, actor.DisplayName);

    public static async Task<IReadOnlyList<RotaHolder>> HoldersAsync(TestBot bot, string occurrenceId)
        => await bot.Get<IRotaLookup>().GetHoldersAsync(await bot.GroupAsync(), occurrenceId, CancellationToken.None);

    public static async Task<RotaDocument> RotaAsync(TestBot bot)
        => await bot.Documents.GetValueAsync<RotaDocument>(RotaDocument.KeyFor((await bot.GroupAsync()).Id)) ?? new RotaDocument();

    public static string Text(IEnumerable<BotReply> replies) => string.Join("\n---\n", replies.Select(r => $"{r.Title}\n{r.Text}"));
}
