using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.State;
using PeerGroupBot.Testing;
using Microsoft.Extensions.Logging;

namespace PeerGroupBot.Discord.Tests.Support;

/// <summary>A request as signed: tests tamper with any part of it after signing.</summary>
public sealed record SignedRequest(byte[] Body, string Timestamp, string Signature);

/// <summary>
/// The real bot host (WebApplicationFactory over Program) configured for Discord with a test key, an in-memory store,
/// a local fake Discord REST API, and the test flows. Interactions go in over HTTP with real signatures.
/// </summary>
public sealed class DiscordHost : IAsyncDisposable
{
    public const string ApplicationId = "1000";
    public const string BotToken = "test-bot-token";
    public const string FacilitatorRoleId = "777";

    private readonly WebApplicationFactory<Program> _factory;

    private DiscordHost(FakeDiscord fake, TestKey key, InMemoryStateStore store, WebApplicationFactory<Program> factory)
    {
        Fake = fake;
        Key = key;
        Store = store;
        _factory = factory;
        Client = factory.CreateClient();
    }

    public FakeDiscord Fake { get; }
    public TestKey Key { get; }
    public HttpClient Client { get; }
    public InMemoryStateStore Store { get; }
    public CapturingLoggerProvider Logs { get; private init; } = new();
    public IServiceProvider Services => _factory.Services;
    public TestFlows Flows => Services.GetRequiredService<TestFlows>();

    public static async Task<DiscordHost> StartAsync(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var fake = await FakeDiscord.StartAsync();
        var key = new TestKey();
        var store = new InMemoryStateStore();
        var logs = new CapturingLoggerProvider();
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Testing");
            // UseSetting, not ConfigureAppConfiguration: the host reads some settings while it is being built.
            foreach (var (name, value) in new Dictionary<string, string?>
            {
                ["Discord:PublicKey"] = key.PublicKeyHex,
                ["Discord:BotToken"] = BotToken,
                ["Discord:ApplicationId"] = ApplicationId,
                ["Discord:ApiBaseUrl"] = fake.ApiBaseUrl,
                ["Discord:FacilitatorRoleIds:0"] = FacilitatorRoleId,
                ["Security:PseudonymKey"] = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i * 7 + 1)).ToArray()),
                ["Concerns:EncryptionKey"] = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i * 5 + 3)).ToArray()),
            }.Concat(settings ?? []))
                builder.UseSetting(name, value);
            builder.ConfigureLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
            builder.ConfigureTestServices(testServices =>
            {
                services?.Invoke(testServices);
                testServices.AddSingleton<IStateStore>(store);
                testServices.AddSingleton<TestFlows>();
                testServices.AddSingleton<IFlow>(sp => sp.GetRequiredService<TestFlows>().Slow);
                testServices.AddSingleton<IFlow>(sp => sp.GetRequiredService<TestFlows>().Counter);
                testServices.AddSingleton<IFlow>(sp => sp.GetRequiredService<TestFlows>().Long);
                testServices.AddSingleton<IFlow>(sp => sp.GetRequiredService<TestFlows>().Files);
            });
        });
        return new DiscordHost(fake, key, store, factory) { Logs = logs };
    }

    /// <summary>Signs and posts an interaction. <paramref name="tamper"/> may change the request after signing.</summary>
    public async Task<HttpResponseMessage> PostAsync(string json, Func<SignedRequest, SignedRequest>? tamper = null, DateTimeOffset? signedAt = null)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var timestamp = (signedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signed = new SignedRequest(body, timestamp, Key.Sign(timestamp, body));
        if (tamper is not null) signed = tamper(signed);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/discord/interactions") { Content = new ByteArrayContent(signed.Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Signature-Ed25519", signed.Signature);
        request.Headers.Add("X-Signature-Timestamp", signed.Timestamp);
        return await Client.SendAsync(request);
    }

    /// <summary>Posts an interaction that must succeed, and returns Discord's view of the response body.</summary>
    public async Task<JsonElement> InteractAsync(string json)
    {
        using var response = await PostAsync(json);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A new channel where Dee (a facilitator from then on) has run <c>/setup start</c>; returns the channel id.</summary>
    public async Task<string> StartGroupAsync(string name = "Thursday Circle")
    {
        var channel = Payloads.NewChannel();
        await InteractAsync(Payloads.Command(TestUser.Dee, channel, "setup start", ("name", name)));
        return channel;
    }

    /// <summary>Runs a command and waits for its answer, deferred or not, so everything it changed has happened; returns what it shows.</summary>
    public async Task<string> RunAsync(TestUser user, string channel, string path, params (string Name, object Value)[] options)
    {
        var payload = Payloads.Command(user, channel, path, options);
        var response = await InteractAsync(payload);
        if (response.Type() == 4) return response.Data().VisibleText();
        var webhook = $"/api/v10/webhooks/{ApplicationId}/{Payloads.TokenOf(payload)}";
        var followed = await Fake.WaitForAsync(r => r.Path.StartsWith(webhook, StringComparison.Ordinal) && r.Method is "PATCH" or "POST");
        return followed.Json.VisibleText();
    }

    public async Task<GroupDocument?> GroupOfChannelAsync(string channelId)
    {
        var directory = Services.GetRequiredService<GroupDirectory>();
        var index = await directory.FindChannelAsync(new ChannelRef("discord", channelId), CancellationToken.None);
        return index is null ? null : await directory.GetGroupAsync(index.GroupId, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
        await Fake.DisposeAsync();
        Key.Dispose();
    }
}
