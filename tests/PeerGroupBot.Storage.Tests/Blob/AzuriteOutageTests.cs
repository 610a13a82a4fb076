using PeerGroupBot.Core.State;
using PeerGroupBot.Storage.Blob;
using PeerGroupBot.Testing.Storage;

namespace PeerGroupBot.Storage.Tests.Blob;

/// <summary>Storage going away and coming back: reported as unavailable, never as a crash, and recovered from.</summary>
[Collection(PersistentAzuriteCollection.Name)]
public sealed class AzuriteOutageTests(PersistentAzuriteFixture azurite)
{
    private BlobStateStore NewStore(string container)
    {
        var options = BlobStateStore.CreateDefaultClientOptions();
        options.Retry.Delay = TimeSpan.FromMilliseconds(5);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(20);
        return new BlobStateStore(azurite.ConnectionString, container, options);
    }

    [Fact]
    public async Task While_storage_is_down_the_store_is_unhealthy_and_afterwards_nothing_is_lost()
    {
        var store = NewStore(AzuriteFixture.NewContainerName());
        var documents = new Documents(store);
        await documents.UpdateAsync<Contract.Counter>("groups/g1/tally", _ => new Contract.Counter(1));
        var before = await store.GetAsync("groups/g1/tally");
        var unused = NewStore(AzuriteFixture.NewContainerName()); // never reached: its container is created later

        azurite.Stop();
        try
        {
            Assert.False(await store.IsHealthyAsync());
            await Assert.ThrowsAsync<StateUnavailableException>(() => store.GetAsync("groups/g1/tally"));
            await Assert.ThrowsAsync<StateUnavailableException>(() =>
                documents.UpdateAsync<Contract.Counter>("groups/g1/tally", c => new Contract.Counter(c!.Value + 1)));
            await Assert.ThrowsAsync<StateUnavailableException>(() => store.ListKeysAsync("groups/").ToListAsync().AsTask());
            await Assert.ThrowsAsync<StateUnavailableException>(() => unused.CreateAsync("groups/g2/group", "{}"u8.ToArray()));
        }
        finally
        {
            azurite.Start();
        }

        Assert.True(await store.IsHealthyAsync());
        var after = await store.GetAsync("groups/g1/tally");
        Assert.Equal(before!.ETag, after!.ETag);
        Assert.Equal(before.Content.ToArray(), after.Content.ToArray());
        await documents.UpdateAsync<Contract.Counter>("groups/g1/tally", c => new Contract.Counter(c!.Value + 1));
        Assert.Equal(2, (await documents.GetAsync<Contract.Counter>("groups/g1/tally"))!.Value.Value);
        await unused.CreateAsync("groups/g2/group", "{}"u8.ToArray());
        Assert.Equal(["groups/g2/group"], await unused.ListKeysAsync("").ToListAsync());
    }
}
