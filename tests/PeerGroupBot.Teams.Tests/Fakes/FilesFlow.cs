using System.Text;
using PeerGroupBot.Core.Conversation;

namespace PeerGroupBot.Teams.Tests.Fakes;

/// <summary>
/// A test-only flow whose replies carry files of chosen sizes, so the adapter's handling of files can be tested at
/// the edges (too large, refused by Teams, on a refreshed card) without building a group's worth of records.
/// <c>testfiles small</c> and <c>testfiles big</c> answer in the channel; <c>testfiles card</c> posts a card whose
/// button answers with files on the refreshed card (<see cref="BotReply.UpdatesSource"/>).
/// </summary>
public sealed class FilesFlow : IFlow
{
    public const string SmallCsv = "metric,value\r\nsessions_held,3\r\n";
    public const int BigImageBytes = 800 * 1024;
    public const int BigTextBytes = 30 * 1024;

    public string Name => "testfiles";
    public bool RequiresGroup => false;
    public IReadOnlyList<HelpEntry> Help { get; } = [new("testfiles", "test files")];

    public Task<IReadOnlyList<BotReply>> HandleAsync(FlowContext context, CancellationToken cancellationToken)
    {
        IReadOnlyList<BotReply> replies = (context.Input.Kind, context.Verb) switch
        {
            (InputKind.Action, _) => [WithFiles("Refreshed", small: true) with { UpdatesSource = true, Buttons = [Refresh] }],
            (_, "card") => [new BotReply { Title = "Files card", Text = "Click for files.", Buttons = [Refresh] }],
            (_, "big") => [WithFiles("Big files", small: false)],
            _ => [WithFiles("Small files", small: true)],
        };
        return Task.FromResult(replies);
    }

    private static readonly ReplyButton Refresh = new("Refresh", "testfiles:refresh", ButtonStyle.Primary);

    public static byte[] Png(int size)
    {
        var bytes = new byte[size];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(bytes, 0);
        return bytes;
    }

    public static string BigText() => string.Concat(Enumerable.Range(0, BigTextBytes / 16).Select(i => $"row_{i:D6},value\n"));

    private static BotReply WithFiles(string title, bool small) => new()
    {
        Title = title,
        Text = "Here are the files.",
        Attachments =
        [
            new ReplyAttachment("chart.png", "image/png", Png(small ? 2048 : BigImageBytes)),
            new ReplyAttachment("table.csv", "text/csv", Encoding.UTF8.GetBytes(small ? SmallCsv : BigText())),
            new ReplyAttachment("archive.zip", "application/zip", [1, 2, 3]),
        ],
    };
}
