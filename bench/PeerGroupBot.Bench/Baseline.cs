using System.Diagnostics;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using PeerGroupBot.Core.State;
using PeerGroupBot.Storage.Folder;
using PeerGroupBot.Testing.Storage;

namespace PeerGroupBot.Bench;

/// <summary>
/// The floor a vote cannot beat: one read and one conditional write of a small document, back to back, with no
/// bot in between. Against Azurite through the Azure SDK (the blob store's own client), and against the folder store.
/// </summary>
public static class Baseline
{
    private static readonly byte[] Document = System.Text.Encoding.UTF8.GetBytes(
        """{"id":"1","title":"Tea or coffee?","options":["Tea","Coffee"],"ballots":{"a1b2c3":[1],"d4e5f6":[2]}}""");

    public static Task<double[]> AzuriteAsync(AzuriteFixture azurite, int iterations) => BlobAsync(azurite.ConnectionString, iterations);

    /// <summary>
    /// The same against any blob endpoint: Azurite directly, or through the <see cref="BlobProxy"/> as the bots reach it.
    /// Back to back (<paramref name="pairsPerSecond"/> null), each pair starts when the last ends, so every process on
    /// the path is already awake; paced, pair <c>i</c> starts at <c>start + i / rate</c>, as the driver sends votes, so
    /// each pair meets an idle Azurite, proxy and client, as an unloaded vote does.
    /// </summary>
    public static async Task<double[]> BlobAsync(string connectionString, int iterations, double? pairsPerSecond = null)
    {
        var container = new BlobContainerClient(connectionString, AzuriteFixture.NewContainerName("base"));
        await container.CreateIfNotExistsAsync();
        var blob = container.GetBlobClient("groups/g1/polls/1");
        await blob.UploadAsync(BinaryData.FromBytes(Document), overwrite: true);
        var latencies = new double[iterations + 20];
        var began = Stopwatch.GetTimestamp();
        for (var i = 0; i < latencies.Length; i++)
        {
            if (pairsPerSecond is { } rate)
            {
                var wait = TimeSpan.FromSeconds(i / rate) - Stopwatch.GetElapsedTime(began);
                if (wait > TimeSpan.Zero) await Task.Delay(wait);
            }
            var start = Stopwatch.GetTimestamp();
            var read = await blob.DownloadContentAsync();
            await blob.UploadAsync(read.Value.Content, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfMatch = read.Value.Details.ETag } });
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        await container.DeleteAsync();
        return latencies[20..]; // the first 20 warm up the connection and the JIT
    }

    public static async Task<double[]> FolderAsync(int iterations)
    {
        var folder = Directory.CreateTempSubdirectory("pgb-base-").FullName;
        try
        {
            IStateStore store = new FolderStateStore(folder);
            await store.CreateAsync("groups/g1/polls/1", Document);
            var latencies = new double[iterations + 20];
            for (var i = 0; i < latencies.Length; i++)
            {
                var start = Stopwatch.GetTimestamp();
                var read = await store.GetAsync("groups/g1/polls/1");
                await store.ReplaceAsync(read!.Key, read.Content, read.ETag);
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
            return latencies[20..];
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
