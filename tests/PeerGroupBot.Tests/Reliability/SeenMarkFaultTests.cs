using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using PeerGroupBot.Core.Agenda;
using PeerGroupBot.Storage;
using PeerGroupBot.Testing.Storage;

namespace PeerGroupBot.Tests.Reliability;

/// <summary>
/// Each Discord interaction is handled once (a mark under <c>discord/seen/</c>), through the real endpoint on Kestrel
/// and real Blob Storage (Azurite) with faults injected into the Azure SDK pipeline. A fault while the mark is written,
/// or a core that fails after it, must neither lose the interaction without a word nor handle it twice: the member is
/// told to try again, and the very same signed interaction sent again is handled (once), not refused as a replay.
/// Agenda items are what is counted, because adding one twice would show as two.
/// </summary>
[Collection(ReliabilityAzurite.Name)]
public sealed class SeenMarkFaultTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly StorageFaultPolicy _faults = new();
    private ReliabilityHost _host = null!;
    private string _channel = "";

    public async Task InitializeAsync()
    {
        _host = await ReliabilityHost.StartAsync(
            [
                "--Storage:Provider=AzureBlob",
                $"--Storage:ConnectionString={azurite.ConnectionString}",
                $"--Storage:Container={AzuriteFixture.NewContainerName("seen")}",
            ],
            builder => builder.Services.PostConfigure<StorageOptions>(o => o.ConfigureBlobClient = client =>
            {
                _faults.AttachTo(client);
                client.Retry.MaxRetries = 1; // two attempts: two planned faults exhaust them
                client.Retry.Delay = TimeSpan.FromMilliseconds(20);
            }));
        _channel = "53" + Random.Shared.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture);
        Assert.Contains("Seen Circle", await _host.AnswerAsync(_host.Discord.Command("42", "32", _channel, "setup start", ("name", "Seen Circle")), "Seen Circle"));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static bool IsSeenMarkWrite(HttpMessage message)
        => StorageFaultPolicy.IsBlobWrite(message) && message.Request.Uri.Path.Contains("/discord/seen/", StringComparison.Ordinal);

    private static bool IsOtherWrite(HttpMessage message)
        => StorageFaultPolicy.IsBlobWrite(message) && !message.Request.Uri.Path.Contains("/discord/seen/", StringComparison.Ordinal);

    /// <summary>One signed request, kept so exactly the same bytes, signature and timestamp can be sent again.</summary>
    private sealed record Captured(byte[] Body, string Signature, string Timestamp);

    private Captured Capture(string interaction)
    {
        var body = Encoding.UTF8.GetBytes(interaction);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return new Captured(body, _host.Discord.Sign(timestamp, body), timestamp);
    }

    /// <summary>Sends the captured request and returns its status and what the member was shown (deferrals followed).</summary>
    private async Task<(HttpStatusCode Status, string Shown)> SendAsync(Captured request, string expected)
    {
        using var response = await _host.PostDiscordAsync(request.Body, request.Signature, request.Timestamp);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode == HttpStatusCode.OK && (body.StartsWith("{\"type\":5", StringComparison.Ordinal) || body.StartsWith("{\"type\":6", StringComparison.Ordinal)))
        {
            var token = JsonDocument.Parse(request.Body).RootElement.GetProperty("token").GetString()!;
            body = await _host.Upstream.BodiesSentToAsync(token, sent => sent.Contains(expected, StringComparison.OrdinalIgnoreCase) || sent.Contains("try again", StringComparison.OrdinalIgnoreCase));
        }
        return (response.StatusCode, body);
    }

    private async Task<int> TimesOnTheAgendaAsync(string text)
    {
        var group = await _host.GroupOfDiscordChannelAsync(_channel);
        var agenda = await _host.Services.GetRequiredService<AgendaBook>().ReadAsync(group!, CancellationToken.None);
        return agenda.Items.Count(i => i.Text == text);
    }

    /// <summary>
    /// The first send is told to try again (privately) and adds nothing; the same request sent again is handled and adds
    /// <paramref name="item"/> once; a third send is refused as a replay and adds nothing.
    /// </summary>
    private async Task AssertFailsThenIsHandledOnceAsync(Captured add, string item)
    {
        var (status, shown) = await SendAsync(add, item);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("try again", shown, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"flags\":64", shown, StringComparison.Ordinal);
        Assert.Equal(0, await TimesOnTheAgendaAsync(item));

        var (again, _) = await SendAsync(add, item);
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(1, await TimesOnTheAgendaAsync(item));

        var (third, _) = await SendAsync(add, item);
        Assert.Equal(HttpStatusCode.Conflict, third);
        Assert.Equal(1, await TimesOnTheAgendaAsync(item));
    }

    [Fact]
    public async Task Storage_down_while_the_mark_is_written_tells_the_member_to_try_again_and_the_same_interaction_sent_again_is_handled_once()
    {
        var add = Capture(_host.Discord.Command("55", "0", _channel, "agenda add", ("text", "Sleep and screens")));
        _faults.InjectOnce(StorageFault.ServiceUnavailable, IsSeenMarkWrite);
        _faults.InjectOnce(StorageFault.ServiceUnavailable, IsSeenMarkWrite);

        await AssertFailsThenIsHandledOnceAsync(add, "Sleep and screens");
    }

    [Fact]
    public async Task A_mark_stored_but_its_answer_lost_is_handled_once_and_a_replay_is_refused()
    {
        var add = Capture(_host.Discord.Command("55", "0", _channel, "agenda add", ("text", "Tea and biscuits")));
        // The mark is written, then the answer is lost: the SDK retries and meets 409 from its own write.
        _faults.InjectOnce(StorageFault.TimeoutAfterSending, IsSeenMarkWrite);

        var (status, shown) = await SendAsync(add, "Tea and biscuits");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain("try again", shown, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, await TimesOnTheAgendaAsync("Tea and biscuits"));

        var (replay, _) = await SendAsync(add, "Tea and biscuits");
        Assert.Equal(HttpStatusCode.Conflict, replay);
        Assert.Equal(1, await TimesOnTheAgendaAsync("Tea and biscuits"));
    }

    [Fact]
    public async Task An_interaction_whose_first_handling_failed_in_the_core_is_handled_when_it_comes_again()
    {
        var add = Capture(_host.Discord.Command("55", "0", _channel, "agenda add", ("text", "Boundaries")));
        // The mark is written; then the agenda write fails on both attempts, so the core fails and nothing is added.
        _faults.InjectOnce(StorageFault.ServiceUnavailable, IsOtherWrite);
        _faults.InjectOnce(StorageFault.ServiceUnavailable, IsOtherWrite);

        await AssertFailsThenIsHandledOnceAsync(add, "Boundaries");
    }
}
