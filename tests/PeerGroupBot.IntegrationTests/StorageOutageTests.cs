using System.Text.Json;
using Azure.Storage.Blobs;
using PeerGroupBot.Discord.Tests.Support;
using PeerGroupBot.IntegrationTests.Support;
using PeerGroupBot.Testing.Storage;

namespace PeerGroupBot.IntegrationTests;

/// <summary>
/// Issue 10: Azurite (keeping its data on disk) is stopped and restarted while a host is serving votes. The host says
/// it is unhealthy, recovers on its own, and every stored document is whole and nothing written before is lost.
/// </summary>
[Collection(PersistentAzuriteCollection.Name)]
public sealed class StorageOutageTests(PersistentAzuriteFixture azurite)
{
    [Fact]
    public async Task Azurite_stopped_and_restarted_mid_run_makes_the_host_unhealthy_then_it_recovers_with_nothing_lost_or_half_written()
    {
        var container = AzuriteFixture.NewContainerName("outage");
        await using var deployment = await Deployment.StartAsync(azurite.ConnectionString, container);
        await using var host = await BridgeHost.StartAsync(deployment, "o1");
        var channel = Payloads.NewChannel();
        Assert.Equal(200, (await host.DiscordAsync(Payloads.Command(TestUser.Dee, channel, "setup start", ("name", "Steady group")))).Status);
        Assert.Equal(200, (await host.DiscordAsync(Payloads.Command(TestUser.Dee, channel, "poll new", ("details", "\"Which topic?\" Sleep | Boundaries")))).Status);
        var posted = await deployment.Discord.WaitForAsync(r => r.Method == "POST" && r.Path == $"/api/v10/channels/{channel}/messages" && r.Body.Contains("poll:vote:1:", StringComparison.Ordinal));
        var member = 200_000;
        async Task<(int Status, JsonElement Body)> VoteAsync(int option)
            => await host.DiscordAsync(Payloads.Click(new TestUser((member++).ToString(System.Globalization.CultureInfo.InvariantCulture), "M"), channel, $"poll:vote:1:{option}", posted.CreatedId!));

        // Votes keep arriving while storage goes away and comes back.
        var counted = new List<int>();
        for (var i = 0; i < 6; i++) { Assert.Equal(200, (await VoteAsync(1)).Status); counted.Add(1); }
        Assert.Equal(200, await host.HealthAsync());

        azurite.Stop();
        Assert.Equal(503, await host.HealthAsync());
        var during = await VoteAsync(2);
        Assert.True(during.Status < 500, $"a vote during the outage answered {during.Status}");
        var duringText = BridgedGroupTests.Visible(during.Body);
        Assert.Contains("try again", duringText, StringComparison.OrdinalIgnoreCase); // the member is told, not left guessing

        azurite.Start();
        var healthy = false;
        for (var i = 0; i < 40 && !healthy; i++)
        {
            healthy = await host.HealthAsync() == 200;
            if (!healthy) await Task.Delay(250);
        }
        Assert.True(healthy, "the host should report healthy again once storage is back");

        for (var i = 0; i < 4; i++) { Assert.Equal(200, (await VoteAsync(2)).Status); counted.Add(2); }

        // Nothing written before the outage is lost: the poll's tally holds every vote that was confirmed.
        Assert.Equal(200, (await host.DiscordAsync(Payloads.Command(TestUser.Dee, channel, "poll close", ("poll", "1")))).Status);
        var result = await deployment.Discord.WaitForAsync(r => r.Path.StartsWith($"/api/v10/channels/{channel}/messages", StringComparison.Ordinal)
            && r.Body.Contains("members voted", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        var text = JsonDocument.Parse(result.Body).RootElement.VisibleText();
        Assert.Contains("10 members voted.", text);
        Assert.Matches(@"Sleep\*\*\n`[^`]*` 6 votes \(60%\)", text);
        Assert.Matches(@"Boundaries\*\*\n`[^`]*` 4 votes \(40%\)", text);

        // No document is half-written: every stored blob (but the empty lease blob) parses as JSON.
        var blobs = new BlobContainerClient(azurite.ConnectionString, container);
        var checkedDocuments = 0;
        await foreach (var blob in blobs.GetBlobsAsync())
        {
            if (blob.Name.StartsWith("leases/", StringComparison.Ordinal)) continue;
            var content = (await blobs.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content;
            using var _ = JsonDocument.Parse(content.ToMemory());
            checkedDocuments++;
        }
        Assert.True(checkedDocuments >= 3, $"expected the group, its channel index and the poll; found {checkedDocuments}");
    }
}
