using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PeerGroupBot.Core.Polls;
using PeerGroupBot.Storage;
using PeerGroupBot.Storage.Blob;
using PeerGroupBot.Testing.Storage;

namespace PeerGroupBot.Tests.Reliability;

[CollectionDefinition(Name)]
public sealed class ReliabilityAzurite : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "reliability-azurite";
}

/// <summary>
/// Members vote through the real Discord endpoint while the Azure SDK pipeline fails about one storage request in five
/// (503, a timeout before sending, or a timeout after the request was applied). Every member hears either that the vote
/// is in or that they should try again; a member who is told to try again does, and in the end every vote is counted
/// exactly once and every stored document still parses.
/// </summary>
[Collection(ReliabilityAzurite.Name)]
public sealed class StorageFaultTests(AzuriteFixture azurite)
{
    private const int Members = 40;
    private const int MaxTriesPerMember = 12;

    [Fact]
    public async Task With_one_storage_request_in_five_failing_every_vote_is_recorded_or_the_member_is_told_to_try_again()
    {
        var container = AzuriteFixture.NewContainerName("faults");
        var faults = new StorageFaultPolicy();
        await using var host = await ReliabilityHost.StartAsync(
            [
                "--Storage:Provider=AzureBlob",
                $"--Storage:ConnectionString={azurite.ConnectionString}",
                $"--Storage:Container={container}",
            ],
            builder => builder.Services.PostConfigure<StorageOptions>(o => o.ConfigureBlobClient = client =>
            {
                faults.AttachTo(client);
                // One retry instead of three, so faults reach the bot often enough to test what members are told.
                client.Retry.MaxRetries = 1;
                client.Retry.Delay = TimeSpan.FromMilliseconds(20);
            }));

        var channel = "510000001";
        await ExpectOkAsync(host, host.Discord.Command("42", "32", channel, "setup start", ("name", "Fault Circle")), "group set up");
        await ExpectOkAsync(host, host.Discord.Command("42", "32", channel, "poll new", ("details", "\"Tea or coffee?\" Tea | Coffee anonymous no")), "open for voting");
        var card = await host.Upstream.CreatedAtAsync($"/api/v10/channels/{channel}/messages");

        // One in five, so that (with the SDK's one retry) about a quarter of votes meet a failure the bot must handle:
        // with 40 members, some are always told to try again, and nobody needs more than a few tries.
        faults.FailRandomly(0.20, seed: 20261122);
        var told = new ConcurrentDictionary<string, List<string>>();
        var serverErrors = new ConcurrentQueue<string>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await Parallel.ForEachAsync(Enumerable.Range(0, Members), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = deadline.Token }, async (m, ct) =>
        {
            var member = (20_000 + m).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var answers = told.GetOrAdd(member, _ => []);
            for (var attempt = 0; attempt < MaxTriesPerMember; attempt++)
            {
                var click = host.Discord.Click(member, channel, $"poll:vote:1:{1 + m % 2}", card);
                using var response = await host.PostSignedAsync(Encoding.UTF8.GetBytes(click), ct);
                var body = await response.Content.ReadAsStringAsync(ct);
                if ((int)response.StatusCode >= 500) serverErrors.Enqueue($"{(int)response.StatusCode} {body}");
                var outcome = Outcome(response.StatusCode, body);
                if (outcome == "deferred")
                {
                    // Slow storage made the bot defer: what the member is told arrives through the interaction's webhook.
                    var token = JsonDocument.Parse(click).RootElement.GetProperty("token").GetString()!;
                    outcome = FollowUpOutcome(await host.Upstream.BodiesSentToAsync(token, bodies => !FollowUpOutcome(bodies).StartsWith("follow-up: ", StringComparison.Ordinal)));
                }
                lock (answers) answers.Add(outcome);
                if (outcome is "recorded" or "already") return;
            }
        });
        faults.StopFailing();

        Assert.Empty(serverErrors);
        Assert.True(faults.Injected.Count > 20, $"Only {faults.Injected.Count} faults were injected; the test did not exercise failures.");
        var unexpected = told.SelectMany(t => t.Value).Where(o => o is not ("recorded" or "already" or "retry")).ToList();
        Assert.True(unexpected.Count == 0, "Answers that are neither 'your vote is in' nor 'try again': " + string.Join(" | ", unexpected));
        Assert.All(told, t => Assert.Contains(t.Value, o => o is "recorded" or "already"));
        Assert.Contains(told, t => t.Value.Contains("retry")); // some members really were told to try again

        // Every member's vote is stored, exactly once, with the option they picked.
        var group = await host.GroupOfDiscordChannelAsync(channel);
        Assert.NotNull(group);
        var polls = host.Services.GetRequiredService<PollStore>();
        var box = await polls.GetBallotsAsync(group.Id, "1", CancellationToken.None);
        Assert.Equal(Members, box.Ballots.Count);
        for (var m = 0; m < Members; m++)
        {
            var ballot = await polls.GetBallotAsync(group.Id, "1", $"discord:{20_000 + m}", CancellationToken.None);
            Assert.NotNull(ballot);
            Assert.Equal(new[] { 1 + m % 2 }, ballot.Choices.ToArray());
        }

        // No document was half-written: every blob in the container parses as JSON.
        var store = StorageServices.CreateStore(new StorageOptions { Provider = StorageProviders.AzureBlob, ConnectionString = azurite.ConnectionString, Container = container });
        Assert.IsType<BlobStateStore>(store);
        var keys = new List<string>();
        // The scheduler's blob lease (leases/…) shares the container but is an empty lease blob, not a document.
        await foreach (var key in store.ListKeysAsync("")) if (!key.StartsWith("leases/", StringComparison.Ordinal)) keys.Add(key);
        Assert.True(keys.Count > Members, $"Only {keys.Count} documents are stored.");
        foreach (var key in keys)
        {
            var document = await store.GetAsync(key);
            Assert.NotNull(document);
            var parsed = Record.Exception(() => JsonDocument.Parse(document.Content).Dispose());
            Assert.True(parsed is null, $"{key} does not parse: {parsed?.Message}");
        }
    }

    /// <summary>What the member was told: their vote is in, it already was, try again, or something else (the raw text).</summary>
    private static string Outcome(HttpStatusCode status, string body)
    {
        if (status != HttpStatusCode.OK) return $"HTTP {(int)status}: {body}";
        using var json = JsonDocument.Parse(body);
        var type = json.RootElement.GetProperty("type").GetInt32();
        if (type is 5 or 6) return "deferred";
        var text = json.RootElement.TryGetProperty("data", out var data) ? data.GetRawText() : "";
        if (type == 7 && text.Contains("Topic poll #1", StringComparison.Ordinal)) return "recorded"; // the card, refreshed with the vote
        if (text.Contains("already voted", StringComparison.Ordinal)) return "already";
        if (text.Contains("try again", StringComparison.OrdinalIgnoreCase)) return "retry";
        return $"type {type}: {text}";
    }

    private static string FollowUpOutcome(string body)
    {
        if (body.Contains("Topic poll #1", StringComparison.Ordinal) || body.Contains("your vote on poll #1 is in", StringComparison.Ordinal)) return "recorded";
        if (body.Contains("already voted", StringComparison.Ordinal)) return "already";
        if (body.Contains("try again", StringComparison.OrdinalIgnoreCase)) return "retry";
        return "follow-up: " + body;
    }

    private static async Task ExpectOkAsync(ReliabilityHost host, string interaction, string expected)
    {
        var shown = await host.AnswerAsync(interaction, expected);
        Assert.True(shown.Contains(expected, StringComparison.OrdinalIgnoreCase) || expected == "group set up", shown);
    }
}
