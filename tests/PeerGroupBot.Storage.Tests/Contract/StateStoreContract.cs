using System.Text;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Storage.Tests.Contract;

/// <summary>A small typed document for the contract's read-modify-write checks.</summary>
public sealed record Counter(int Value);

/// <summary>
/// What every <see cref="IStateStore"/> promises, run against each store by a subclass that supplies a fresh,
/// empty <see cref="Store"/> per test. If one store behaves differently, a flow that passes its tests on the
/// in-memory store could lose a vote in production.
/// </summary>
public abstract class StateStoreContract
{
    protected abstract IStateStore Store { get; }

    protected Documents Documents => new(Store);

    protected static ReadOnlyMemory<byte> Bytes(string text) => Encoding.UTF8.GetBytes(text);

    protected static string Text(StoredDocument? document)
    {
        Assert.NotNull(document);
        return Encoding.UTF8.GetString(document.Content.Span);
    }

    [Fact]
    public async Task Get_of_a_missing_document_is_null()
    {
        Assert.Null(await Store.GetAsync("groups/g1/nothing-here"));
    }

    [Fact]
    public async Task A_created_document_reads_back_with_the_etag_create_returned()
    {
        var etag = await Store.CreateAsync("groups/g1/group", Bytes("""{"name":"Tuesday Peers"}"""));

        var read = await Store.GetAsync("groups/g1/group");
        Assert.Equal("""{"name":"Tuesday Peers"}""", Text(read));
        Assert.Equal(etag, read!.ETag);
        Assert.Equal("groups/g1/group", read.Key);
    }

    [Fact]
    public async Task Content_round_trips_byte_for_byte()
    {
        byte[] awkward = [0, 1, 2, 255, 10, 13, .. "#peergroupbot write=0123\n"u8.ToArray(), 0xE2, 0x82, 0xAC];
        await Store.CreateAsync("groups/g1/binary", awkward);
        await Store.CreateAsync("groups/g1/empty", ReadOnlyMemory<byte>.Empty);
        await Store.CreateAsync("groups/g1/looks-like-a-header", "#peergroupbot write=00000000000000000000000000000000\n{}"u8.ToArray());

        Assert.Equal(awkward, (await Store.GetAsync("groups/g1/binary"))!.Content.ToArray());
        Assert.Empty((await Store.GetAsync("groups/g1/empty"))!.Content.ToArray());
        Assert.Equal("#peergroupbot write=00000000000000000000000000000000\n{}", Text(await Store.GetAsync("groups/g1/looks-like-a-header")));
    }

    [Fact]
    public async Task Creating_an_existing_document_conflicts_and_keeps_the_first()
    {
        var etag = await Store.CreateAsync("groups/g1/poll", Bytes("first"));

        var conflict = await Assert.ThrowsAsync<StateConflictException>(() => Store.CreateAsync("groups/g1/poll", Bytes("second")));
        Assert.Equal("groups/g1/poll", conflict.Key);
        var read = await Store.GetAsync("groups/g1/poll");
        Assert.Equal("first", Text(read));
        Assert.Equal(etag, read!.ETag);
    }

    [Fact]
    public async Task Replacing_with_a_stale_etag_conflicts_and_keeps_the_newer_version()
    {
        var first = await Store.CreateAsync("groups/g1/poll", Bytes("v1"));
        var second = await Store.ReplaceAsync("groups/g1/poll", Bytes("v2"), first);
        Assert.NotEqual(first, second);

        await Assert.ThrowsAsync<StateConflictException>(() => Store.ReplaceAsync("groups/g1/poll", Bytes("lost update"), first));
        var read = await Store.GetAsync("groups/g1/poll");
        Assert.Equal("v2", Text(read));
        Assert.Equal(second, read!.ETag);
    }

    [Fact]
    public async Task Replacing_a_missing_document_conflicts_and_creates_nothing()
    {
        var etag = await Store.CreateAsync("groups/g1/poll", Bytes("v1"));
        await Store.DeleteAsync("groups/g1/poll", etag);

        await Assert.ThrowsAsync<StateConflictException>(() => Store.ReplaceAsync("groups/g1/poll", Bytes("v2"), etag));
        await Assert.ThrowsAsync<StateConflictException>(() => Store.ReplaceAsync("groups/g1/never", Bytes("v2"), etag));
        Assert.Null(await Store.GetAsync("groups/g1/poll"));
        Assert.Null(await Store.GetAsync("groups/g1/never"));
    }

    [Fact]
    public async Task Deleting_with_a_stale_etag_conflicts_and_keeps_the_document()
    {
        var first = await Store.CreateAsync("groups/g1/agenda", Bytes("v1"));
        var second = await Store.ReplaceAsync("groups/g1/agenda", Bytes("v2"), first);

        await Assert.ThrowsAsync<StateConflictException>(() => Store.DeleteAsync("groups/g1/agenda", first));
        var read = await Store.GetAsync("groups/g1/agenda");
        Assert.Equal("v2", Text(read));
        Assert.Equal(second, read!.ETag);
    }

    [Fact]
    public async Task Deleting_a_missing_document_conflicts()
    {
        var etag = await Store.CreateAsync("groups/g1/agenda", Bytes("v1"));
        await Store.DeleteAsync("groups/g1/agenda", etag);

        await Assert.ThrowsAsync<StateConflictException>(() => Store.DeleteAsync("groups/g1/agenda", etag));
        await Assert.ThrowsAsync<StateConflictException>(() => Store.DeleteAsync("groups/g1/never", etag));
    }

    [Fact]
    public async Task A_deleted_document_is_gone_and_can_be_created_again()
    {
        var etag = await Store.CreateAsync("groups/g1/concern", Bytes("v1"));
        await Store.DeleteAsync("groups/g1/concern", etag);

        Assert.Null(await Store.GetAsync("groups/g1/concern"));
        Assert.Empty(await Store.ListKeysAsync("groups/g1/").ToListAsync());
        var again = await Store.CreateAsync("groups/g1/concern", Bytes("v1"));
        Assert.NotEqual(etag, again);
        Assert.Equal("v1", Text(await Store.GetAsync("groups/g1/concern")));
    }

    [Fact]
    public async Task The_etag_changes_when_identical_content_is_written_again()
    {
        var first = await Store.CreateAsync("groups/g1/rota", Bytes("same"));
        var second = await Store.ReplaceAsync("groups/g1/rota", Bytes("same"), first);
        var third = await Store.ReplaceAsync("groups/g1/rota", Bytes("same"), second);

        Assert.Equal(3, new[] { first, second, third }.Distinct().Count());
        // A writer holding the first version cannot write over a later one that happens to look the same (no ABA).
        await Assert.ThrowsAsync<StateConflictException>(() => Store.ReplaceAsync("groups/g1/rota", Bytes("stale"), first));
        await Assert.ThrowsAsync<StateConflictException>(() => Store.DeleteAsync("groups/g1/rota", second));
        Assert.Equal(third, (await Store.GetAsync("groups/g1/rota"))!.ETag);
    }

    [Fact]
    public async Task Listing_returns_the_keys_under_a_folder_prefix_in_ordinal_order()
    {
        string[] keys =
        [
            "groups/g1/polls/p2", "groups/g1/group", "groups/g1/polls/p10", "groups/g10/group",
            "groups/g1-old/group", "groups/g1.x", "groups/g2/group", "timers/g1/t1", "groups/g1",
        ];
        foreach (var key in keys) await Store.CreateAsync(key, Bytes("{}"));

        Assert.Equal(["groups/g1/group", "groups/g1/polls/p10", "groups/g1/polls/p2"], await Store.ListKeysAsync("groups/g1/").ToListAsync());
        Assert.Equal(["groups/g1/polls/p10", "groups/g1/polls/p2"], await Store.ListKeysAsync("groups/g1/polls/").ToListAsync());
        Assert.Equal(keys.Order(StringComparer.Ordinal), await Store.ListKeysAsync("").ToListAsync());
        Assert.Empty(await Store.ListKeysAsync("groups/g3/").ToListAsync());
        Assert.Empty(await Store.ListKeysAsync("nothing/").ToListAsync());
    }

    [Fact]
    public async Task A_prefix_is_a_plain_string_prefix_not_a_folder()
    {
        string[] keys = ["groups/g1", "groups/g1/group", "groups/g1-old/group", "groups/g1.x", "groups/g10/group", "groups/g2/group"];
        foreach (var key in keys) await Store.CreateAsync(key, Bytes("{}"));

        // '-' < '.' < '/' < '0' in ordinal order.
        Assert.Equal(["groups/g1", "groups/g1-old/group", "groups/g1.x", "groups/g1/group", "groups/g10/group"],
            await Store.ListKeysAsync("groups/g1").ToListAsync());
        Assert.Equal(["groups/g10/group"], await Store.ListKeysAsync("groups/g10").ToListAsync());
        Assert.Equal(["groups/g1/group"], await Store.ListKeysAsync("groups/g1/gr").ToListAsync());
        Assert.Equal(["groups/g1/group"], await Store.ListKeysAsync("groups/g1/group").ToListAsync());
    }

    [Fact]
    public async Task Invalid_keys_are_refused_before_anything_is_stored()
    {
        foreach (var key in new[] { "", "Groups/g1", "groups//g1", "groups/../secrets", "/groups/g1", "groups/g1/", "groups/g 1", "groups/.hidden" })
        {
            await Assert.ThrowsAsync<ArgumentException>(() => Store.CreateAsync(key, Bytes("{}")));
            await Assert.ThrowsAsync<ArgumentException>(() => Store.GetAsync(key));
        }
        Assert.Empty(await Store.ListKeysAsync("").ToListAsync());
    }

    [Fact]
    public async Task Fifty_parallel_updates_of_one_document_count_exactly_fifty()
    {
        const string key = "groups/g1/polls/p1/tally";
        var racing = new InterleavingStore(Store);
        var documents = new Documents(racing);

        var increments = Enumerable.Range(0, 50).Select(_ => Task.Run(() =>
            documents.UpdateAsync<Counter>(key, current => new Counter((current?.Value ?? 0) + 1))));
        await Task.WhenAll(increments);

        Assert.True(racing.Conflicts > 0, "the updates never raced, so this test proved nothing");
        var final = await Documents.GetAsync<Counter>(key);
        Assert.Equal(50, final!.Value.Value);
    }

    [Fact]
    public async Task A_corrupt_document_is_reported_with_its_key_and_left_byte_identical()
    {
        const string key = "groups/g1/polls/p1";
        var corrupt = Bytes("""{"value": 3, oops""");
        var etag = await Store.CreateAsync(key, corrupt);

        var onRead = await Assert.ThrowsAsync<StateCorruptException>(() => Documents.GetAsync<Counter>(key));
        Assert.Equal(key, onRead.Key);
        Assert.Contains(key, onRead.Message);
        var onUpdate = await Assert.ThrowsAsync<StateCorruptException>(() =>
            Documents.UpdateAsync<Counter>(key, current => new Counter((current?.Value ?? 0) + 1)));
        Assert.Equal(key, onUpdate.Key);

        var after = await Store.GetAsync(key);
        Assert.Equal(corrupt.ToArray(), after!.Content.ToArray());
        Assert.Equal(etag, after.ETag);
    }

    [Fact]
    public async Task A_reachable_store_is_healthy()
    {
        Assert.True(await Store.IsHealthyAsync());
    }
}
