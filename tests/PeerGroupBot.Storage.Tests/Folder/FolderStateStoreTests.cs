using System.Diagnostics;
using System.Text;
using PeerGroupBot.Core.State;
using PeerGroupBot.Storage.Folder;
using PeerGroupBot.Storage.Tests.Contract;

namespace PeerGroupBot.Storage.Tests.Folder;

/// <summary>What the folder store promises beyond the contract: several writers on one folder, crash leftovers, hand edits.</summary>
public sealed class FolderStateStoreTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("pgb-folder-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public async Task Two_stores_on_one_folder_racing_fifty_increments_end_at_exactly_fifty()
    {
        // Two instances share no in-process lock, so only the OS file lock keeps them apart (as two processes).
        var first = new FolderStateStore(_root.FullName);
        var second = new FolderStateStore(_root.FullName);

        await Task.WhenAll(
            CrossProcessWorker.IncrementAsync(first, "groups/g1/tally", 25),
            CrossProcessWorker.IncrementAsync(second, "groups/g1/tally", 25));

        Assert.Equal(50, (await new Documents(first).GetAsync<Counter>("groups/g1/tally"))!.Value.Value);
    }

    [Fact]
    public async Task Two_processes_on_one_folder_racing_fifty_increments_end_at_exactly_fifty()
    {
        var store = new FolderStateStore(_root.FullName);
        var worker = StartWorker("groups/g1/tally", 25);

        await CrossProcessWorker.IncrementAsync(store, "groups/g1/tally", 25);
        await worker.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(worker.ExitCode == 0, await worker.StandardError.ReadToEndAsync());
        Assert.Equal(50, (await new Documents(store).GetAsync<Counter>("groups/g1/tally"))!.Value.Value);
    }

    [Fact]
    public async Task A_key_is_a_json_file_under_the_root()
    {
        var store = new FolderStateStore(_root.FullName);
        await store.CreateAsync("groups/g1/group", """{"name":"Tuesday Peers"}"""u8.ToArray());

        var path = Path.Combine(_root.FullName, "groups", "g1", "group.json");
        Assert.Equal(path, store.PathOf("groups/g1/group"));
        var file = await File.ReadAllTextAsync(path);
        Assert.EndsWith("""{"name":"Tuesday Peers"}""", file);
        Assert.StartsWith("#peergroupbot write=", file);
    }

    [Fact]
    public async Task Leftover_temporary_files_and_the_lock_folder_are_never_listed_or_read()
    {
        var store = new FolderStateStore(_root.FullName);
        await store.CreateAsync("groups/g1/group", "{}"u8.ToArray());
        // What a crash between writing and renaming leaves behind, and stray files an operator might drop in.
        var folder = Path.Combine(_root.FullName, "groups", "g1");
        await File.WriteAllTextAsync(Path.Combine(folder, $".group.json.{Guid.NewGuid():N}.tmp"), "{\"half\":");
        await File.WriteAllTextAsync(Path.Combine(folder, ".poll.json"), "{}");
        await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "not a document");
        await File.WriteAllTextAsync(Path.Combine(folder, "Upper.json"), "{}");

        Assert.Equal(["groups/g1/group"], await store.ListKeysAsync("").ToListAsync());
        Assert.Equal(["groups/g1/group"], await store.ListKeysAsync("groups/g1/").ToListAsync());
        Assert.Equal("{}", Encoding.UTF8.GetString((await store.GetAsync("groups/g1/group"))!.Content.Span));
    }

    [Fact]
    public async Task A_file_written_by_hand_is_read_whole_and_a_hand_edit_changes_the_etag()
    {
        var store = new FolderStateStore(_root.FullName);
        Directory.CreateDirectory(Path.Combine(_root.FullName, "groups", "g1"));
        var path = store.PathOf("groups/g1/settings");
        await File.WriteAllTextAsync(path, """{"value":1}""");

        var read = await store.GetAsync("groups/g1/settings");
        Assert.Equal("""{"value":1}""", Encoding.UTF8.GetString(read!.Content.Span));
        Assert.Equal(["groups/g1/settings"], await store.ListKeysAsync("groups/").ToListAsync());

        var written = await store.ReplaceAsync("groups/g1/settings", """{"value":2}"""u8.ToArray(), read.ETag);
        // An operator edits the file while the bot holds the ETag it wrote: the bot must not write over the edit.
        var edited = (await File.ReadAllTextAsync(path)).Replace("\"value\":2", "\"value\":7", StringComparison.Ordinal);
        await File.WriteAllTextAsync(path, edited);

        await Assert.ThrowsAsync<StateConflictException>(() => store.ReplaceAsync("groups/g1/settings", "{}"u8.ToArray(), written));
        Assert.Equal("""{"value":7}""", Encoding.UTF8.GetString((await store.GetAsync("groups/g1/settings"))!.Content.Span));
    }

    [Fact]
    public async Task A_folder_that_cannot_be_created_is_unhealthy_and_writes_say_storage_is_unavailable()
    {
        // A file where the folder should be: nothing can be created under it, whoever runs the test.
        var blocker = Path.Combine(_root.FullName, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "");
        var store = new FolderStateStore(Path.Combine(blocker, "data"));

        Assert.False(await store.IsHealthyAsync());
        await Assert.ThrowsAsync<StateUnavailableException>(() => store.EnsureReadyAsync());
        var failure = await Assert.ThrowsAsync<StateUnavailableException>(() => store.CreateAsync("groups/g1/group", "{\"secret\":1}"u8.ToArray()));
        Assert.Contains("groups/g1/group", failure.Message);
        Assert.DoesNotContain("secret", failure.Message);
    }

    [Fact]
    public async Task A_missing_folder_is_created_on_first_use()
    {
        var store = new FolderStateStore(Path.Combine(_root.FullName, "later", "data"));

        Assert.Null(await store.GetAsync("groups/g1/group"));
        Assert.Empty(await store.ListKeysAsync("").ToListAsync());
        await store.CreateAsync("groups/g1/group", "{}"u8.ToArray());
        Assert.True(await store.IsHealthyAsync());
        Assert.True(File.Exists(Path.Combine(_root.FullName, "later", "data", "groups", "g1", "group.json")));
    }

    [Fact]
    public async Task A_key_whose_folder_would_collide_with_a_document_file_is_refused()
    {
        var store = new FolderStateStore(_root.FullName);
        await Assert.ThrowsAsync<ArgumentException>(() => store.CreateAsync("groups/g1.json/x", "{}"u8.ToArray()));
        await store.CreateAsync("groups/g1/export.json", "{}"u8.ToArray());
        Assert.Equal(["groups/g1/export.json"], await store.ListKeysAsync("groups/").ToListAsync());
    }

    [Fact]
    public void Lock_stripes_are_the_same_in_every_process()
    {
        // string.GetHashCode differs per process; two processes must agree on a key's lock file.
        Assert.Equal(FolderLocks.StripeOf("groups/g1/polls/p1"), FolderLocks.StripeOf(new string("groups/g1/polls/p1".ToCharArray())));
        Assert.Equal(63, FolderLocks.StripeOf("groups/g1/polls/p1"));
    }

    private Process StartWorker(string key, int count)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var info = new ProcessStartInfo(dotnet) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { typeof(CrossProcessWorker).Assembly.Location, CrossProcessWorker.IncrementCommand, _root.FullName, key, count.ToString() })
            info.ArgumentList.Add(arg);
        return Process.Start(info)!;
    }
}
