using System.Net;
using System.Text;
using PeerGroupBot.Discord.Tests.Support;

namespace PeerGroupBot.Discord.Tests;

/// <summary>Only Discord may speak to the endpoint: every tampered, stale or unsigned request is refused before it touches anything.</summary>
public sealed class SignatureTests : IAsyncLifetime
{
    private DiscordHost _host = null!;

    public async Task InitializeAsync() => _host = await DiscordHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_signed_ping_gets_a_pong()
    {
        var response = await _host.InteractAsync(Payloads.Ping());
        Assert.Equal(1, response.Type());
    }

    public static TheoryData<string> Tamperings => ["body", "timestamp", "signature", "stale", "future", "no signature", "no timestamp", "short signature", "not hex"];

    [Theory]
    [MemberData(nameof(Tamperings))]
    public async Task A_tampered_or_stale_request_gets_401_and_changes_nothing(string tampering)
    {
        var channel = Payloads.NewChannel();
        var setup = Payloads.Command(TestUser.Dee, channel, "setup start", ("name", "Tuesday Peers"));
        var before = AppDocumentCount();

        using var response = tampering switch
        {
            "body" => await _host.PostAsync(setup, s => s with { Body = Encoding.UTF8.GetBytes(setup.Replace("Tuesday", "Hijacked")) }),
            "timestamp" => await _host.PostAsync(setup, s => s with { Timestamp = (long.Parse(s.Timestamp) - 1).ToString() }),
            "signature" => await _host.PostAsync(setup, s => s with { Signature = Flip(s.Signature) }),
            "stale" => await _host.PostAsync(setup, signedAt: DateTimeOffset.UtcNow.AddMinutes(-6)),
            "future" => await _host.PostAsync(setup, signedAt: DateTimeOffset.UtcNow.AddMinutes(6)),
            "no signature" => await _host.PostAsync(setup, s => s with { Signature = "" }),
            "no timestamp" => await _host.PostAsync(setup, s => s with { Timestamp = "" }),
            "short signature" => await _host.PostAsync(setup, s => s with { Signature = s.Signature[..64] }),
            _ => await _host.PostAsync(setup, s => s with { Signature = new string('z', 128) }),
        };

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before, AppDocumentCount());
        Assert.Null(await _host.GroupOfChannelAsync(channel));
        Assert.Empty(_host.Fake.Requests);
    }

    [Fact]
    public async Task A_slightly_old_timestamp_within_five_minutes_is_accepted()
    {
        using var response = await _host.PostAsync(Payloads.Ping(), signedAt: DateTimeOffset.UtcNow.AddMinutes(-4));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Another_key_signing_is_refused()
    {
        using var other = new TestKey();
        var body = Encoding.UTF8.GetBytes(Payloads.Ping());
        using var response = await _host.PostAsync(Payloads.Ping(), s => s with { Signature = other.Sign(s.Timestamp, body) });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_body_over_the_size_cap_is_refused_without_trusting_content_length()
    {
        var huge = Payloads.Ping().Replace("\"tok\"", "\"" + new string('a', 300 * 1024) + "\"");
        using var response = await _host.PostAsync(huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);

        // Chunked, so no Content-Length to go by.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/discord/interactions")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge))),
        };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Add("X-Signature-Ed25519", new string('0', 128));
        request.Headers.Add("X-Signature-Timestamp", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString());
        using var chunked = await _host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked.StatusCode);
    }

    public static TheoryData<string> Malformed =>
    [
        "not json at all",
        "[]",
        "{}",
        """{"type":2,"token":"t1","channel_id":"5","data":[]}""",
        """{"type":2,"token":"t1","channel_id":"5","member":{"user":{"id":"42"}},"data":{"options":[]}}""",
        """{"type":3,"token":"t1","channel_id":"5","member":{"user":{"id":"42"}},"data":{"component_type":2}}""",
        """{"type":3,"token":"t1","channel_id":"5","member":{"user":{"id":"not-a-snowflake"}},"data":{"custom_id":"setup:edit"}}""",
        """{"type":2,"token":"t1","member":{"user":{"id":"42"}},"data":{"name":"help"}}""",
        """{"type":2,"token":"../../x","channel_id":"5","member":{"user":{"id":"42"}},"data":{"name":"help"}}""",
        """{"type":99,"token":"t1","channel_id":"5","member":{"user":{"id":"42"}},"data":{"name":"help"}}""",
        """{"type":"two","token":"t1"}""",
    ];

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task A_validly_signed_but_malformed_payload_gets_400_not_500(string json)
    {
        using var response = await _host.PostAsync(json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static string Flip(string hex) => (hex[0] == '0' ? '1' : '0') + hex[1..];

    /// <summary>Documents a request could have written; the scheduler's own lease bookkeeping runs on its own clock.</summary>
    private int AppDocumentCount() => _host.Store.Snapshot().Count(d => !d.Key.StartsWith("scheduling/", StringComparison.Ordinal));
}
