using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using PeerGroupBot.Testing;

namespace PeerGroupBot.Tests.Reliability;

/// <summary>
/// 10,000 malformed or random requests at both endpoints: unsigned, wrongly signed and stale Discord interactions,
/// validly signed garbage (random bytes, cut-off JSON, real interactions with fields of the wrong type), and Teams
/// activities from loopback that are broken the same ways. The host answers none with a 5xx, stays healthy, and
/// stores nothing. Seeded, so a failure reproduces.
/// </summary>
public sealed class FuzzTests : IAsyncLifetime
{
    private const int Requests = 10_000;
    private const int Seed = 1122;
    private readonly string _folder = Directory.CreateTempSubdirectory("pgb-fuzz-").FullName;
    private ReliabilityHost? _host;

    private readonly PeerGroupBot.Testing.CapturingLoggerProvider _logs = new();

    public async Task InitializeAsync()
        => _host = await ReliabilityHost.StartAsync(
            ["--Storage:Provider=Folder", $"--Storage:FolderPath={_folder}", "--Scheduling:LeaseSeconds=60"],
            builder => builder.Logging.AddProvider(_logs));

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Ten_thousand_malformed_requests_get_no_5xx_leave_the_host_healthy_and_change_nothing_stored()
    {
        var host = _host!;
        // A real group with an open poll, so fuzzed requests have something to damage.
        var channel = "520000001";
        // Waited for even when deferred (a busy machine): the poll below needs the group to exist.
        Assert.Contains("Fuzz Circle", await host.AnswerAsync(host.Discord.Command("42", "32", channel, "setup start", ("name", "Fuzz Circle")), "Fuzz Circle"));
        Assert.Contains("open for voting", await host.AnswerAsync(host.Discord.Command("42", "32", channel, "poll new", ("details", "\"Tea or coffee?\" Tea | Coffee anonymous no")), "open for voting"));
        // The poll card is posted (and its message id stored) in the background: wait for both, not a fixed time.
        await host.Upstream.CreatedAtAsync($"/api/v10/channels/{channel}/messages");
        var before = await SettledSnapshotAsync();

        var cases = Enumerable.Range(0, Requests).Select(i => new FuzzCase(i, new Random(Seed * 100_003 + i))).ToList();
        var statuses = new ConcurrentDictionary<string, int>();
        var serverErrors = new ConcurrentQueue<string>();
        var accepted = new ConcurrentQueue<string>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = deadline.Token }, async (fuzz, ct) =>
        {
            using var response = await fuzz.SendAsync(host, channel, ct);
            var code = (int)response.StatusCode;
            statuses.AddOrUpdate($"{fuzz.Kind} {code}", 1, (_, n) => n + 1);
            if (code < 300 && fuzz.Json is not null) accepted.Enqueue($"case {fuzz.Index} ({fuzz.Kind}) {code}: {fuzz.Json}");
            if (code >= 500) serverErrors.Enqueue($"case {fuzz.Index} ({fuzz.Kind}): {code} {await response.Content.ReadAsStringAsync(ct)}");
            if (fuzz.Index % 1000 == 999)
            {
                using var health = await host.Client.GetAsync("/healthz", ct);
                if (!health.IsSuccessStatusCode) serverErrors.Enqueue($"/healthz answered {(int)health.StatusCode} after case {fuzz.Index}");
            }
        });

        var summary = string.Join(", ", statuses.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}: {s.Value}"));
        Assert.True(serverErrors.IsEmpty, string.Join(Environment.NewLine, serverErrors.Take(20)) + Environment.NewLine + summary);
        Assert.Equal(Requests, statuses.Values.Sum());
        // Every validly signed but malformed interaction got a clean 4xx: none was accepted, none failed on the server.
        Assert.All(statuses.Where(s => s.Key.StartsWith("discord-signed", StringComparison.Ordinal)),
            s => Assert.InRange(int.Parse(s.Key[(s.Key.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture), 400, 499));
        // And no request ended in an unhandled exception (the server logs those as errors, whatever status it sent).
        var unhandled = _logs.Lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal)).ToList();
        Assert.True(unhandled.Count == 0, string.Join(Environment.NewLine, unhandled.Take(5)));
        // Nothing unsigned or wrongly signed got past the signature check.
        Assert.All(statuses.Where(s => s.Key.StartsWith("discord-unsigned", StringComparison.Ordinal) || s.Key.StartsWith("discord-badsig", StringComparison.Ordinal)),
            s => Assert.EndsWith(" 401", s.Key, StringComparison.Ordinal));
        using (var health = await host.Client.GetAsync("/healthz"))
            Assert.True(health.IsSuccessStatusCode, summary);

        var after = Snapshot();
        var changed = after.Where(a => !before.TryGetValue(a.Key, out var hash) || hash != a.Value).Select(a => a.Key)
            .Concat(before.Keys.Where(k => !after.ContainsKey(k))).ToList();
        Assert.True(changed.Count == 0, "Stored documents changed: " + string.Join(", ", changed) + Environment.NewLine + summary
            + Environment.NewLine + "Accepted: " + string.Join(Environment.NewLine, accepted.Take(5)));

        // The bot still works after the storm: a real vote goes through.
        var card = await host.Upstream.CreatedAtAsync($"/api/v10/channels/{channel}/messages");
        Assert.Contains("Topic poll #1", await host.AnswerAsync(host.Discord.Click("30001", channel, "poll:vote:1:1", card), "Topic poll #1"));
    }

    /// <summary>
    /// The stored state once it has stopped changing: the same snapshot twice, half a second apart (up to 30 seconds,
    /// for a slow machine).
    /// </summary>
    private async Task<Dictionary<string, string>> SettledSnapshotAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        Dictionary<string, string>? previous = null;
        while (true)
        {
            Dictionary<string, string>? current;
            try { current = Snapshot(); }
            catch (IOException) { current = null; } // a file replaced while it was read: still changing
            if (current is not null && previous is not null && current.Count == previous.Count
                && current.All(c => previous.TryGetValue(c.Key, out var hash) && hash == c.Value))
                return current;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The stored state kept changing after the poll was opened.");
            previous = current;
            await Task.Delay(500);
        }
    }

    /// <summary>Every stored file with a hash of its bytes, except the scheduler's lease (renewed on a timer) and the folder store's lock files.</summary>
    private Dictionary<string, string> Snapshot()
        => Directory.EnumerateFiles(_folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(_folder, f).Replace('\\', '/'))
            .Where(k => !k.StartsWith("scheduling/leases/", StringComparison.Ordinal) && !k.StartsWith(".locks/", StringComparison.Ordinal))
            .ToDictionary(k => k, k => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(_folder, k)))), StringComparer.Ordinal);

    /// <summary>One fuzzed request, decided entirely by its seeded <see cref="Random"/>.</summary>
    private sealed class FuzzCase(int index, Random random)
    {
        public int Index => index;
        public string Kind { get; private set; } = "";

        /// <summary>The JSON sent, for the structured cases (to show in a failure message).</summary>
        public string? Json { get; private set; }

        public Task<HttpResponseMessage> SendAsync(ReliabilityHost host, string channel, CancellationToken ct)
            => index % 2 == 0 ? SendDiscordAsync(host, channel, ct) : SendTeamsAsync(host, channel, ct);

        private Task<HttpResponseMessage> SendDiscordAsync(ReliabilityHost host, string channel, CancellationToken ct)
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            var valid = Encoding.UTF8.GetBytes(ValidInteraction(channel).ToJsonString());
            switch (random.Next(8))
            {
                case 0:
                    Kind = "discord-unsigned";
                    return host.PostDiscordAsync(valid, random.Next(2) == 0 ? null : "", random.Next(2) == 0 ? null : now, ct);
                case 1:
                    Kind = "discord-badsig";
                    var signature = random.Next(3) switch
                    {
                        0 => Convert.ToHexStringLower(RandomBytes(64)),
                        1 => host.Discord.Sign(now, RandomBytes(40)), // a real signature over other bytes
                        _ => RandomAscii(random.Next(0, 200)),
                    };
                    return host.PostDiscordAsync(valid, signature, random.Next(4) == 0 ? RandomAscii(12) : now, ct);
                case 2:
                    Kind = "discord-badsig"; // validly signed, but too old or from the future
                    var stale = DateTimeOffset.UtcNow.AddMinutes(random.Next(2) == 0 ? -30 : 30).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                    return host.PostDiscordAsync(valid, host.Discord.Sign(stale, valid), stale, ct);
                case 3:
                    Kind = "discord-signed-bytes";
                    return Signed(host, RandomBytes(random.Next(0, 2000)), ct);
                case 4:
                    Kind = "discord-signed-cut";
                    return Signed(host, valid[..random.Next(0, valid.Length)], ct);
                default:
                    Kind = "discord-signed-types";
                    var interaction = ValidInteraction(channel);
                    // Nested mutations first, then the break, so a mutation can never repair the broken field.
                    MutateNested(interaction);
                    Break(interaction, ["token", "type", "data", "member", "channel_id", "application_id"], ["token", "type", "data"]);
                    Json = interaction.ToJsonString();
                    return Signed(host, Encoding.UTF8.GetBytes(Json), ct);
            }
        }

        private Task<HttpResponseMessage> SendTeamsAsync(ReliabilityHost host, string channel, CancellationToken ct)
        {
            switch (random.Next(6))
            {
                case 0:
                    Kind = "teams-bytes";
                    return host.PostTeamsAsync(RandomBytes(random.Next(0, 2000)), ct, random.Next(2) == 0 ? "application/json" : "text/plain");
                case 1:
                    Kind = "teams-cut";
                    var valid = Encoding.UTF8.GetBytes(ValidActivity(host).ToJsonString());
                    return host.PostTeamsAsync(valid[..random.Next(0, valid.Length)], ct);
                case 2:
                    Kind = "teams-notobject";
                    return host.PostTeamsAsync(Encoding.UTF8.GetBytes(RandomValue(0)?.ToJsonString() ?? "null"), ct);
                default:
                    Kind = "teams-types";
                    var activity = ValidActivity(host);
                    // Breaking one of these stops the activity before anything is stored.
                    MutateNested(activity);
                    Break(activity, ["type", "serviceUrl", "conversation", "from", "channelData", "entities", "value", "recipient"], ["type", "serviceUrl", "conversation"]);
                    Json = activity.ToJsonString();
                    return host.PostTeamsAsync(Encoding.UTF8.GetBytes(Json), ct);
            }
        }

        private Task<HttpResponseMessage> Signed(ReliabilityHost host, byte[] body, CancellationToken ct) => host.PostSignedAsync(body, ct);

        /// <summary>Gives 1–3 of <paramref name="fields"/> a value of the wrong kind, always including one of <paramref name="essential"/>.</summary>
        private void Break(JsonObject target, string[] fields, string[] essential)
        {
            var chosen = new HashSet<string> { essential[random.Next(essential.Length)] };
            for (var i = random.Next(0, 3); i > 0; i--) chosen.Add(fields[random.Next(fields.Length)]);
            foreach (var field in chosen)
            {
                if (random.Next(5) == 0) target.Remove(field);
                else target[field] = WrongValue(field);
            }
        }

        /// <summary>Replaces random values deeper in the tree with random JSON.</summary>
        private void MutateNested(JsonNode node)
        {
            for (var i = random.Next(0, 4); i > 0; i--)
            {
                var current = node;
                for (var depth = 0; depth < 4; depth++)
                {
                    JsonNode? next = current switch
                    {
                        JsonObject o when o.Count > 0 => o.ElementAt(random.Next(o.Count)).Value,
                        JsonArray a when a.Count > 0 => a[random.Next(a.Count)],
                        _ => null,
                    };
                    if (next is null || random.Next(3) == 0)
                    {
                        if (current is JsonObject obj && obj.Count > 0)
                            obj[obj.ElementAt(random.Next(obj.Count)).Key] = RandomValue(0);
                        break;
                    }
                    current = next;
                }
            }
        }

        private JsonNode? WrongValue(string field) => field switch
        {
            "serviceUrl" => random.Next(4) switch
            {
                0 => JsonValue.Create(RandomText(20)),
                1 => JsonValue.Create("file:///etc/passwd"),
                2 => JsonValue.Create("https://user:pw@evil.example/"),
                _ => JsonValue.Create(random.Next()),
            },
            "type" => random.Next(3) == 0 ? JsonValue.Create(random.Next(-5, 100) + 0.5) : RandomContainer(),
            "token" => random.Next(3) switch { 0 => JsonValue.Create(""), 1 => JsonValue.Create(RandomText(random.Next(1, 300)) + "/../x"), _ => RandomContainer() },
            _ => random.Next(2) == 0 ? JsonValue.Create(random.NextDouble() * 1e300) : RandomContainer(),
        };

        private JsonNode RandomContainer() => random.Next(3) switch
        {
            0 => new JsonArray(RandomValue(2), RandomValue(2)),
            1 => new JsonObject { [RandomText(5)] = RandomValue(2) },
            _ => JsonValue.Create(random.Next(2) == 0),
        };

        private JsonNode? RandomValue(int depth) => random.Next(depth > 3 ? 5 : 8) switch
        {
            0 => null,
            1 => JsonValue.Create(random.Next(2) == 0),
            2 => JsonValue.Create(random.NextInt64(long.MinValue, long.MaxValue)),
            3 => JsonValue.Create(RandomText(random.Next(0, 60))),
            4 => JsonValue.Create(random.NextDouble() * Math.Pow(10, random.Next(-300, 300))),
            5 => new JsonArray([.. Enumerable.Range(0, random.Next(0, 4)).Select(_ => RandomValue(depth + 1))]),
            6 => new JsonObject(Enumerable.Range(0, random.Next(0, 4)).Select(i => KeyValuePair.Create(RandomText(6) + i, RandomValue(depth + 1)))),
            _ => JsonValue.Create(new string('x', random.Next(0, 5000))),
        };

        private byte[] RandomBytes(int length)
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            return bytes;
        }

        /// <summary>Printable ASCII: what an HTTP header can carry.</summary>
        private string RandomAscii(int length)
        {
            var text = new StringBuilder(length);
            for (var i = 0; i < length; i++) text.Append((char)random.Next(33, 127));
            return text.ToString();
        }

        private string RandomText(int length)
        {
            const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 :/@#*_-\\\"'<>{}[]\u00e9\u2603\U0001F600\u0000\u202e";
            var text = new StringBuilder(length);
            for (var i = 0; i < length; i++) text.Append(alphabet[random.Next(alphabet.Length)]);
            return text.ToString();
        }

        private JsonObject ValidInteraction(string channel)
        {
            var type = random.Next(3);
            var data = type switch
            {
                0 => new JsonObject { ["id"] = "3000", ["name"] = "poll", ["type"] = 1, ["options"] = new JsonArray(new JsonObject { ["name"] = "vote", ["type"] = 1, ["options"] = new JsonArray(new JsonObject { ["name"] = "choices", ["type"] = 3, ["value"] = "1" }) }) },
                1 => new JsonObject { ["custom_id"] = "poll:vote:1:1", ["component_type"] = 2 },
                _ => new JsonObject { ["custom_id"] = "agenda:add", ["components"] = new JsonArray(new JsonObject { ["type"] = 1, ["components"] = new JsonArray(new JsonObject { ["type"] = 4, ["custom_id"] = "text", ["value"] = "A topic" }) }) },
            };
            var interaction = new JsonObject
            {
                ["id"] = (1_000_000_000L + index).ToString(CultureInfo.InvariantCulture),
                ["application_id"] = DiscordDriver.ApplicationId,
                ["type"] = type switch { 0 => 2, 1 => 3, _ => 5 }, // command, component, modal submit
                ["token"] = $"itok-fuzz-{index}",
                ["version"] = 1,
                ["channel_id"] = channel,
                ["channel"] = new JsonObject { ["id"] = channel, ["type"] = 0 },
                ["guild_id"] = DiscordDriver.GuildId,
                ["member"] = new JsonObject
                {
                    ["user"] = new JsonObject { ["id"] = "31337", ["username"] = "fuzzer", ["global_name"] = "Fuzzer" },
                    ["roles"] = new JsonArray(),
                    ["permissions"] = "32",
                },
                ["data"] = data,
            };
            if (type == 1) interaction["message"] = new JsonObject { ["id"] = "7000001", ["channel_id"] = channel, ["flags"] = 0 };
            return interaction;
        }

        private JsonObject ValidActivity(ReliabilityHost host)
        {
            var team = "19:fuzz-team@thread.tacv2";
            var activity = new JsonObject
            {
                ["type"] = random.Next(2) == 0 ? "message" : "invoke",
                ["id"] = $"fuzz-{index}",
                ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
                ["serviceUrl"] = host.Upstream.BaseUrl + "/teams/",
                ["channelId"] = "msteams",
                ["from"] = new JsonObject { ["id"] = "29:fuzzer", ["name"] = "Fuzzer", ["aadObjectId"] = "00000000-0000-0000-0000-000000000001" },
                ["conversation"] = new JsonObject { ["id"] = team, ["conversationType"] = "channel", ["isGroup"] = true, ["tenantId"] = "fuzz-tenant" },
                ["recipient"] = new JsonObject { ["id"] = "28:bot", ["name"] = "PeerGroupBot" },
                ["text"] = "<at>PeerGroupBot</at> agenda add A topic",
                ["entities"] = new JsonArray(new JsonObject { ["type"] = "mention", ["text"] = "<at>PeerGroupBot</at>", ["mentioned"] = new JsonObject { ["id"] = "28:bot", ["name"] = "PeerGroupBot" } }),
                ["channelData"] = new JsonObject
                {
                    ["tenant"] = new JsonObject { ["id"] = "fuzz-tenant" },
                    ["team"] = new JsonObject { ["id"] = team, ["name"] = "Fuzz team" },
                    ["channel"] = new JsonObject { ["id"] = team, ["name"] = "General" },
                },
                ["name"] = "adaptiveCard/action",
                ["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = "poll:vote:1:1" } },
            };
            return activity;
        }
    }
}
