using System.Text.Json;
using PeerGroupBot.Discord.Tests.Support;
using PeerGroupBot.IntegrationTests.Support;
using PeerGroupBot.Testing.Storage;

namespace PeerGroupBot.IntegrationTests;

/// <summary>
/// Issue 10: three hosts behind a (round-robin) load balancer on one Azurite; 100 members click a vote button at
/// once on one poll through the signed Discord endpoint. Every vote is counted exactly once.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConcurrentVoteTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_hundred_members_voting_at_once_through_three_hosts_give_an_exact_tally()
    {
        await using var deployment = await Deployment.StartAsync(azurite.ConnectionString, AzuriteFixture.NewContainerName("votes"));
        var hosts = new List<BridgeHost>();
        try
        {
            foreach (var name in (string[])["v1", "v2", "v3"])
                hosts.Add(await BridgeHost.StartAsync(deployment, name));
            var channel = Payloads.NewChannel();
            Assert.Equal(200, (await hosts[0].DiscordAsync(Payloads.Command(TestUser.Dee, channel, "setup start", ("name", "Busy group")))).Status);
            Assert.Equal(200, (await hosts[1].DiscordAsync(Payloads.Command(TestUser.Dee, channel, "poll new", ("details", "\"Which topic?\" Sleep | Boundaries | Holidays")))).Status);
            var posted = await deployment.Discord.WaitForAsync(r => r.Method == "POST" && r.Path == $"/api/v10/channels/{channel}/messages" && r.Body.Contains("poll:vote:1:", StringComparison.Ordinal));

            // Member i votes for option i % 3 + 1: 34 Sleep, 33 Boundaries, 33 Holidays.
            var members = Enumerable.Range(0, 100).Select(i => new TestUser((100_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), "Member" + i)).ToList();
            var clicks = members.Select((member, i) => Payloads.Click(member, channel, $"poll:vote:1:{i % 3 + 1}", posted.CreatedId!)).ToList();
            using var start = new ManualResetEventSlim();
            var votes = clicks.Select((click, i) => Task.Run(async () =>
            {
                start.Wait();
                return await hosts[i % 3].DiscordAsync(click);
            })).ToList();
            start.Set();
            var answers = await Task.WhenAll(votes);

            // A vote answered with a deferral finishes in the background: wait for its follow-up before closing.
            for (var i = 0; i < clicks.Count; i++)
            {
                if (answers[i].Body.Type() is 5 or 6)
                {
                    var token = Payloads.TokenOf(clicks[i]);
                    await deployment.Discord.WaitForAsync(r => r.Path.Contains(token, StringComparison.Ordinal), TimeSpan.FromSeconds(60));
                }
            }
            Assert.All(answers, a => Assert.Equal(200, a.Status));
            // Each member sees their vote taken (the refreshed card, or a private confirmation), never an error.
            Assert.All(answers, a => Assert.DoesNotContain("try again", BridgedGroupTests.Visible(a.Body), StringComparison.OrdinalIgnoreCase));

            // Answers that were deferred under load follow up through the interaction webhook: none of them is an error either.
            Assert.DoesNotContain(deployment.Discord.Requests, r => r.Path.Contains("/webhooks/", StringComparison.Ordinal) && r.Body.Contains("try again", StringComparison.OrdinalIgnoreCase));

            var close = await hosts[2].DiscordAsync(Payloads.Command(TestUser.Dee, channel, "poll close", ("poll", "1")));
            Assert.True(close.Status == 200, close.Body.ToString());
            var result = await deployment.Discord.WaitForAsync(r => r.Path.StartsWith($"/api/v10/channels/{channel}/messages", StringComparison.Ordinal)
            && r.Body.Contains("members voted", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            var text = JsonDocument.Parse(result.Body).RootElement.VisibleText();
            Assert.Contains("100 members voted.", text);
            Assert.Matches(@"Sleep\*\*\n`[^`]*` 34 votes \(34%\)", text);
            Assert.Matches(@"Boundaries\*\*\n`[^`]*` 33 votes \(33%\)", text);
            Assert.Matches(@"Holidays\*\*\n`[^`]*` 33 votes \(33%\)", text);
        }
        finally
        {
            foreach (var host in hosts) await host.DisposeAsync();
        }
    }
}
