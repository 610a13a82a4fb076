using Microsoft.Extensions.DependencyInjection;
using PeerGroupBot.Core.Agenda;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Polls;
using PeerGroupBot.Core.State;
using PeerGroupBot.Testing;

namespace PeerGroupBot.Core.Tests.Polls;

/// <summary>An agenda that records what polls put on it, so tests can see a winner reach the next session.</summary>
public sealed class RecordingAgendaFeed : IAgendaFeed
{
    private readonly List<(string GroupId, string Topic, string PollId)> _added = [];

    public IReadOnlyList<(string GroupId, string Topic, string PollId)> Added
    {
        get { lock (_added) return _added.ToList(); }
    }

    public Task AddFromPollAsync(GroupDocument group, string topic, string pollId, CancellationToken cancellationToken)
    {
        lock (_added)
        {
            if (!_added.Contains((group.Id, topic, pollId))) _added.Add((group.Id, topic, pollId));
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> GetLinesAsync(GroupDocument group, string occurrenceId, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<string>>(Added.Where(a => a.GroupId == group.Id).Select(a => a.Topic).ToList());
}

/// <summary>Shortcuts for poll tests: open a poll, find its card, click its buttons like a member would.</summary>
public static class PollTestKit
{
    /// <summary>A bot with a group set up (Fran facilitates; Alex, Sam and Priya are members) and an agenda that records.</summary>
    public static async Task<(TestBot Bot, RecordingAgendaFeed Agenda)> StartAsync(IStateStore? store = null)
    {
        var agenda = new RecordingAgendaFeed();
        var bot = new TestBot(store, configure: services => services.AddSingleton<IAgendaFeed>(agenda));
        await bot.SetupGroupAsync();
        bot.Playground.Clear();
        return (bot, agenda);
    }

    /// <summary>The latest version of the poll card with this title prefix in the playground channel (posted or updated).</summary>
    public static SentMessage LatestCard(this RecordingMessenger messenger, string pollId)
        => messenger.Sent.Last(s => s.Kind is "post" or "update" && s.Reply.Title is { } t && t.StartsWith($"Topic poll #{pollId}", StringComparison.Ordinal) && !t.Contains("has closed", StringComparison.Ordinal));

    /// <summary>The text of the poll card as it stands now, closed or open.</summary>
    public static string LatestCardText(this RecordingMessenger messenger, string pollId)
        => messenger.Sent.Last(s => s.Kind is "post" or "update" && s.Reply.Title is { } t && t.StartsWith($"Topic poll #{pollId}", StringComparison.Ordinal)
            && !t.Contains("has closed", StringComparison.Ordinal)).Reply.Text;

    /// <summary>The posted poll card (the first post of it).</summary>
    public static SentMessage PostedCard(this RecordingMessenger messenger, string pollId)
        => messenger.Posts.Last(s => s.Reply.Title is { } t && (t == $"Topic poll #{pollId}" || t == $"Topic poll #{pollId}: suggestions"));

    public static SentMessage ResultsPost(this RecordingMessenger messenger, string pollId)
        => messenger.Posts.Last(s => s.Reply.Title == $"Topic poll #{pollId} has closed");

    public static Task<IReadOnlyList<BotReply>> ClickOnCardAsync(this TestBot bot, Actor actor, string actionId, string pollId, IReadOnlyList<string>? selected = null)
        => bot.ClickAsync(actor, actionId, TestBot.Channel, selected, bot.Playground.PostedCard(pollId).MessageId);

    public static async Task<PollDocument> PollAsync(this TestBot bot, string pollId)
        => await bot.Documents.GetValueAsync<PollDocument>(PollDocument.KeyFor((await bot.GroupAsync()).Id, pollId))
           ?? throw new InvalidOperationException($"No poll {pollId}.");

    public static async Task<int> BallotCountAsync(this TestBot bot, string pollId)
        => (await bot.Get<PollStore>().GetBallotsAsync((await bot.GroupAsync()).Id, pollId, CancellationToken.None)).Ballots.Count;

    /// <summary>All text a member would see in these replies.</summary>
    public static string Seen(this IEnumerable<BotReply> replies) => string.Join("\n", replies.Select(r => $"{r.Title}\n{r.Text}"));

    public static Actor Voter(int i) => new($"playground:voter{i}", $"Voter {i}");
}
