using System.Text;
using Azure.Storage.Blobs;
using PeerGroupBot.Core.State;
using PeerGroupBot.Storage.Blob;
using PeerGroupBot.Storage.Tests.Contract;
using PeerGroupBot.Testing.Storage;

namespace PeerGroupBot.Storage.Tests.Blob;

/// <summary>The blob store on a flaky network: SDK retries must neither lose nor double a change.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlobStateStoreTests(AzuriteFixture azurite)
{
    private readonly string _container = AzuriteFixture.NewContainerName();
    private readonly StorageFaultPolicy _faults = new();

    private BlobStateStore NewStore(StorageFaultPolicy? faults = null)
    {
        var options = BlobStateStore.CreateDefaultClientOptions();
        options.Retry.Delay = TimeSpan.FromMilliseconds(5);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(20);
        faults?.AttachTo(options);
        return new BlobStateStore(azurite.ConnectionString, _container, options);
    }

    private static string Text(StoredDocument? document) => Encoding.UTF8.GetString(document!.Content.Span);

    [Fact]
    public async Task A_replace_whose_answer_was_lost_and_whose_resend_was_refused_still_succeeds_once()
    {
        var store = NewStore(_faults);
        var first = await store.CreateAsync("groups/g1/poll", "v1"u8.ToArray());

        _faults.InjectOnce(StorageFault.TimeoutAfterSending, StorageFaultPolicy.IsBlobWrite);
        var second = await store.ReplaceAsync("groups/g1/poll", "v2"u8.ToArray(), first);

        Assert.Single(_faults.Injected);
        var read = await store.GetAsync("groups/g1/poll");
        Assert.Equal("v2", Text(read));
        Assert.Equal(second, read!.ETag);
        await store.ReplaceAsync("groups/g1/poll", "v3"u8.ToArray(), second);
        Assert.Equal("v3", Text(await store.GetAsync("groups/g1/poll")));
    }

    [Fact]
    public async Task A_create_whose_answer_was_lost_and_whose_resend_was_refused_still_succeeds()
    {
        var store = NewStore(_faults);

        _faults.InjectOnce(StorageFault.TimeoutAfterSending, StorageFaultPolicy.IsBlobWrite);
        var etag = await store.CreateAsync("groups/g1/poll", "v1"u8.ToArray());

        Assert.Single(_faults.Injected);
        var read = await store.GetAsync("groups/g1/poll");
        Assert.Equal("v1", Text(read));
        Assert.Equal(etag, read!.ETag);
        // A real second create is still a conflict.
        await Assert.ThrowsAsync<StateConflictException>(() => store.CreateAsync("groups/g1/poll", "again"u8.ToArray()));
    }

    [Fact]
    public async Task Increments_whose_answers_were_lost_are_applied_exactly_once()
    {
        var store = NewStore(_faults);
        var documents = new Documents(store);

        for (var i = 0; i < 10; i++)
        {
            _faults.InjectOnce(StorageFault.TimeoutAfterSending, StorageFaultPolicy.IsBlobWrite);
            await documents.UpdateAsync<Counter>("groups/g1/tally", c => new Counter((c?.Value ?? 0) + 1));
        }

        Assert.Equal(10, _faults.Injected.Count);
        Assert.Equal(10, (await documents.GetAsync<Counter>("groups/g1/tally"))!.Value.Value);
    }

    [Fact]
    public async Task A_lost_answer_is_recognised_even_after_another_writer_built_on_it()
    {
        var store = NewStore(_faults);
        var other = NewStore();
        var documents = new Documents(store);
        await documents.UpdateAsync<Counter>("groups/g1/tally", _ => new Counter(0));

        // Our increment lands; before our resend, another instance reads our version and increments it too.
        _faults.InjectOnce(StorageFault.TimeoutAfterSending, StorageFaultPolicy.IsBlobWrite, afterSending: () =>
            new Documents(other).UpdateAsync<Counter>("groups/g1/tally", c => new Counter(c!.Value + 1)));
        await documents.UpdateAsync<Counter>("groups/g1/tally", c => new Counter(c!.Value + 1));

        Assert.Single(_faults.Injected);
        var final = await documents.GetAsync<Counter>("groups/g1/tally");
        Assert.Equal(2, final!.Value.Value); // not 3: our increment was not applied twice
    }

    [Fact]
    public async Task The_etag_reported_for_a_version_already_replaced_matches_nothing()
    {
        var store = NewStore(_faults);
        var other = NewStore();
        var first = await store.CreateAsync("groups/g1/poll", "v1"u8.ToArray());

        _faults.InjectOnce(StorageFault.TimeoutAfterSending, StorageFaultPolicy.IsBlobWrite, afterSending: async () =>
        {
            var ours = await other.GetAsync("groups/g1/poll");
            await other.ReplaceAsync("groups/g1/poll", "v3 by another instance"u8.ToArray(), ours!.ETag);
        });
        var reported = await store.ReplaceAsync("groups/g1/poll", "v2"u8.ToArray(), first);

        // Writing with it must conflict rather than overwrite the other instance's version.
        await Assert.ThrowsAsync<StateConflictException>(() => store.ReplaceAsync("groups/g1/poll", "v4"u8.ToArray(), reported));
        Assert.Equal("v3 by another instance", Text(await store.GetAsync("groups/g1/poll")));
    }

    [Fact]
    public async Task A_delete_whose_answer_was_lost_still_succeeds()
    {
        var store = NewStore(_faults);
        var etag = await store.CreateAsync("groups/g1/concern", "{}"u8.ToArray());

        _faults.InjectOnce(StorageFault.TimeoutAfterSending, StorageFaultPolicy.IsBlobDelete);
        await store.DeleteAsync("groups/g1/concern", etag);

        Assert.Single(_faults.Injected);
        Assert.Null(await store.GetAsync("groups/g1/concern"));
    }

    [Fact]
    public async Task A_real_conflict_on_a_retried_write_is_still_a_conflict()
    {
        var store = NewStore(_faults);
        var first = await store.CreateAsync("groups/g1/poll", "v1"u8.ToArray());
        await store.ReplaceAsync("groups/g1/poll", "v2"u8.ToArray(), first);

        // The first attempt never reaches the server; the resend is refused because our etag is stale.
        _faults.InjectOnce(StorageFault.TimeoutBeforeSending, StorageFaultPolicy.IsBlobWrite);
        await Assert.ThrowsAsync<StateConflictException>(() => store.ReplaceAsync("groups/g1/poll", "lost update"u8.ToArray(), first));

        Assert.Single(_faults.Injected);
        Assert.Equal("v2", Text(await store.GetAsync("groups/g1/poll")));
    }

    [Fact]
    public async Task A_503_is_retried_and_persistent_503s_say_storage_is_unavailable_without_the_document()
    {
        var store = NewStore(_faults);
        var etag = await store.CreateAsync("groups/g1/concerns/c1", """{"text":"private words"}"""u8.ToArray());

        _faults.InjectOnce(StorageFault.ServiceUnavailable);
        Assert.Equal(etag, (await store.GetAsync("groups/g1/concerns/c1"))!.ETag); // retried transparently

        for (var i = 0; i < 4; i++) _faults.InjectOnce(StorageFault.ServiceUnavailable); // the first try and 3 retries
        var failure = await Assert.ThrowsAsync<StateUnavailableException>(() =>
            store.ReplaceAsync("groups/g1/concerns/c1", """{"text":"more private words"}"""u8.ToArray(), etag));

        Assert.Contains("groups/g1/concerns/c1", failure.Message);
        Assert.Contains("503", failure.Message);
        Assert.DoesNotContain("private", failure.Message);
        Assert.Equal(5, _faults.Injected.Count);
        Assert.Equal("""{"text":"private words"}""", Text(await store.GetAsync("groups/g1/concerns/c1")));
        for (var i = 0; i < 4; i++) _faults.InjectOnce(StorageFault.ServiceUnavailable);
        await Assert.ThrowsAsync<StateUnavailableException>(() => store.GetAsync("groups/g1/concerns/c1"));
    }

    [Fact]
    public async Task Blobs_that_are_not_documents_are_not_listed()
    {
        var store = NewStore();
        await store.CreateAsync("groups/g1/group", "{}"u8.ToArray());
        var container = new BlobContainerClient(azurite.ConnectionString, _container);
        await container.UploadBlobAsync("Uploaded By Hand.txt", BinaryData.FromString("x"));

        Assert.Equal(["groups/g1/group"], await store.ListKeysAsync("").ToListAsync());
    }

    [Fact]
    public async Task Ten_percent_random_faults_lose_and_double_nothing()
    {
        // What the reliability suite does at scale, in small: every increment either lands once or reports
        // "unavailable" (and then is known not to have landed).
        _faults.FailRandomly(0.1, seed: 7);
        var store = NewStore(_faults);
        var documents = new Documents(store);
        var landed = 0;
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            try
            {
                await documents.UpdateAsync<Counter>("groups/g1/tally", c => new Counter((c?.Value ?? 0) + 1));
                Interlocked.Increment(ref landed);
            }
            catch (StateUnavailableException)
            {
                // The member would be told to try again.
            }
        })));
        _faults.StopFailing();

        Assert.NotEmpty(_faults.Injected);
        Assert.Equal(landed, (await documents.GetAsync<Counter>("groups/g1/tally"))!.Value.Value);
    }
}
