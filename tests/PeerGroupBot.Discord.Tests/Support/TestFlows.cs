using PeerGroupBot.Core.Conversation;

namespace PeerGroupBot.Discord.Tests.Support;

/// <summary>Flows that exist only in these tests, registered into the real host next to the product's flows.</summary>
public sealed class TestFlows
{
    public SlowFlow Slow { get; } = new();
    public CounterFlow Counter { get; } = new();
    public LongFlow Long { get; } = new();
    public FilesFlow Files { get; } = new();
}

/// <summary>
/// <c>slow [private|channel|form|click|file]</c>: takes <see cref="Delay"/> before answering, like a flow waiting on busy storage.
/// </summary>
public sealed class SlowFlow : IFlow
{
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(3);
    public string Name => "slow";
    public bool RequiresGroup => false;
    public IReadOnlyList<HelpEntry> Help { get; } = [];

    public async Task<IReadOnlyList<BotReply>> HandleAsync(FlowContext context, CancellationToken cancellationToken)
    {
        await Task.Delay(Delay, cancellationToken);
        return context.Verb switch
        {
            "channel" => [BotReply.Say("Slow but public: the answer for everyone.")],
            "both" => [BotReply.Say("Slow public part."), BotReply.Private("Slow private part.")],
            "form" => [BotReply.ShowForm(new ReplyForm("slow:saved", "Slow form", [new FormField("note", "A note")]))],
            "click" => [new BotReply { Text = "Slow update of the clicked message.", UpdatesSource = true }, BotReply.Private("Slow click noted.")],
            "file" => [BotReply.Private("Slow, with a file.") with { Attachments = [FilesFlow.Text("slow.txt", "made slowly")] }],
            _ => [BotReply.Private("Slow but private: only you see this.")],
        };
    }
}

/// <summary><c>counter</c> posts a card with a button; each click replaces the card with the new count and confirms privately.</summary>
public sealed class CounterFlow : IFlow
{
    private int _count;
    public string Name => "counter";
    public bool RequiresGroup => false;
    public IReadOnlyList<HelpEntry> Help { get; } = [];

    public Task<IReadOnlyList<BotReply>> HandleAsync(FlowContext context, CancellationToken cancellationToken)
    {
        if (context.Input.Kind == InputKind.Action && context.Verb == "private")
            return Task.FromResult<IReadOnlyList<BotReply>>([BotReply.Private("A private card.") with { UpdatesSource = true }]);
        if (context.Input.Kind == InputKind.Action && context.Verb == "set")
        {
            _count = int.Parse(context.Input.Selected.Single());
            return Task.FromResult<IReadOnlyList<BotReply>>([Card(_count) with { UpdatesSource = true }]);
        }
        if (context.Input.Kind == InputKind.Action)
        {
            var count = Interlocked.Increment(ref _count);
            return Task.FromResult<IReadOnlyList<BotReply>>(
            [
                Card(count) with { UpdatesSource = true },
                BotReply.Private($"Thanks, counted. Total {count}."),
            ]);
        }
        return Task.FromResult<IReadOnlyList<BotReply>>([Card(_count)]);
    }

    private static BotReply Card(int count) => new()
    {
        Title = "Counter",
        Text = $"Count: **{count}**",
        Buttons = [new ReplyButton("Add one", "counter:add", ButtonStyle.Primary)],
        Selects = [new ReplySelect("counter:set", "Set the count", [new SelectOption("Ten", "10"), new SelectOption("Twenty", "20")])],
    };
}

/// <summary><c>long</c> answers with more text, buttons and choices than a Discord message can hold.</summary>
public sealed class LongFlow : IFlow
{
    public string Name => "long";
    public bool RequiresGroup => false;
    public IReadOnlyList<HelpEntry> Help { get; } = [];

    public Task<IReadOnlyList<BotReply>> HandleAsync(FlowContext context, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<BotReply>>(
        [
            new BotReply
            {
                Text = string.Join("\n", Enumerable.Range(1, 400).Select(i => $"- Line {i} of a very long agenda")),
                Buttons = Enumerable.Range(1, 30).Select(i => new ReplyButton($"Option {i}", $"long:pick:{i}")).ToList(),
                Selects = [new ReplySelect("long:choose", "Choose", Enumerable.Range(1, 40).Select(i => new SelectOption($"Choice {i}", $"{i}")).ToList())],
            },
        ]);
}

/// <summary>
/// <c>files [big|many|both|click]</c>: replies with files. <c>big</c> holds one file over Discord's default 10 MiB limit next to a
/// small one; <c>many</c> holds 12 files (Discord takes 10); <c>both</c> a public and a private reply, each with a file;
/// <c>click</c> replaces the clicked message with one that has a file.
/// </summary>
public sealed class FilesFlow : IFlow
{
    public const int BigBytes = 11 * 1024 * 1024;

    public string Name => "files";
    public bool RequiresGroup => false;
    public IReadOnlyList<HelpEntry> Help { get; } = [];

    public static ReplyAttachment Text(string name, string text) => new(name, "text/plain", System.Text.Encoding.UTF8.GetBytes(text));

    public Task<IReadOnlyList<BotReply>> HandleAsync(FlowContext context, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<BotReply>>(context.Verb switch
        {
            "big" => [BotReply.Private("Your files.") with
            {
                Attachments = [Text("summary.txt", "the short one"), new ReplyAttachment("everything.csv", "text/csv", new byte[BigBytes])],
            }],
            "many" => [BotReply.Say("Lots of files.") with
            {
                Attachments = Enumerable.Range(1, 12).Select(i => Text($"part-{i}.txt", $"part {i}")).ToList(),
            }],
            "both" => [BotReply.Say("A file for everyone.") with { Attachments = [Text("public.txt", "for all")] },
                BotReply.Private("A file just for you.") with { Attachments = [Text("private.txt", "for you")] }],
            "click" => [new BotReply { Text = "The card, now with a file.", UpdatesSource = true, Attachments = [Text("card.txt", "card file")] }],
            _ => [BotReply.Private("Try `files big`, `files many`, `files both` or `files click`.")],
        });
}
