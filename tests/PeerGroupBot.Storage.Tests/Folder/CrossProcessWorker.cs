using PeerGroupBot.Core.State;
using PeerGroupBot.Storage.Folder;
using PeerGroupBot.Storage.Tests.Contract;

namespace PeerGroupBot.Storage.Tests.Folder;

/// <summary>
/// The test assembly's entry point (the test runner never calls it): lets a test start a second real process
/// that writes to the same folder, e.g. <c>dotnet PeerGroupBot.Storage.Tests.dll folder-increment ROOT KEY 25</c>.
/// </summary>
public static class CrossProcessWorker
{
    public const string IncrementCommand = "folder-increment";

    public static async Task<int> Main(string[] args)
    {
        if (args is not [IncrementCommand, var root, var key, var countText] || !int.TryParse(countText, out var count))
        {
            await Console.Error.WriteLineAsync($"usage: {IncrementCommand} ROOT KEY COUNT");
            return 2;
        }
        await IncrementAsync(new FolderStateStore(root), key, count);
        return 0;
    }

    /// <summary>Increments a counter <paramref name="count"/> times, five at a time.</summary>
    public static async Task IncrementAsync(IStateStore store, string key, int count)
    {
        var documents = new Documents(store);
        var remaining = count;
        var workers = Enumerable.Range(0, 5).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
                await documents.UpdateAsync<Counter>(key, c => new Counter((c?.Value ?? 0) + 1));
        }));
        await Task.WhenAll(workers);
    }
}
