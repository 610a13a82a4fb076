using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Teams.Tests.Fakes;

/// <summary>A stored counter per channel, kept by a test-only flow.</summary>
public sealed record Tally(int Count);

/// <summary>
/// A test-only flow shaped like a poll card: <c>tally</c> posts a card with a button, each click adds one and answers
/// with the refreshed card (<see cref="BotReply.UpdatesSource"/>) plus a private thank-you. It lets the adapter's card
/// refresh be tested without depending on a feature flow.
/// </summary>
public sealed class TallyFlow(Documents documents) : IFlow
{
    public string Name => "tally";
    public bool RequiresGroup => false;
    public IReadOnlyList<HelpEntry> Help { get; } = [new("tally", "a test counter")];

    public static string Key(Place place) => "test/tally/" + GroupDirectoryKey(place.ChannelId);

    public async Task<IReadOnlyList<BotReply>> HandleAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var key = Key(context.Input.Place);
        if (context.Input.Kind == InputKind.Message)
        {
            var current = await documents.GetValueAsync<Tally>(key, cancellationToken) ?? new Tally(0);
            return [Card(current.Count)];
        }
        var stored = await documents.UpdateAsync<Tally>(key, t => new Tally((t?.Count ?? 0) + 1), cancellationToken);
        return [Card(stored!.Count) with { UpdatesSource = true }, BotReply.Private("Thanks, your click counted.")];
    }

    public static BotReply Card(int count) => new()
    {
        Title = "Tally",
        Text = $"Clicked **{count}** time{(count == 1 ? "" : "s")}.",
        Buttons = [new ReplyButton("Add one", "tally:add", ButtonStyle.Primary)],
    };

    private static string GroupDirectoryKey(string channelId)
        => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(channelId)))[..32];
}
