using System.Diagnostics;
using PeerGroupBot.Discord.Tests.Support;

namespace PeerGroupBot.Discord.Tests;

/// <summary>
/// Discord wants a first response within 3 seconds. A flow that needs longer is deferred after about 2 seconds and its
/// replies arrive through the interaction webhook, which the fake Discord records.
/// </summary>
public sealed class DeferralTests : IAsyncLifetime
{
    private DiscordHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await DiscordHost.StartAsync();
        // One request first, so the timed ones below measure the bot's answer rather than a fresh host's first-request
        // start-up (which a slow, shared machine can stretch past Discord's 3 seconds on its own).
        Assert.Equal(1, (await _host.InteractAsync(Payloads.Ping())).Type());
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private string WebhookPath(string payload) => $"/api/v10/webhooks/{DiscordHost.ApplicationId}/{Payloads.TokenOf(payload)}";

    [Fact]
    public async Task A_slow_command_is_deferred_ephemerally_in_time_and_its_private_reply_fills_the_deferred_message()
    {
        var command = Payloads.Command(TestUser.Ash, Payloads.NewChannel(), "slow");
        var clock = Stopwatch.StartNew();
        var response = await _host.InteractAsync(command);
        var answeredIn = clock.Elapsed;

        Assert.Equal(5, response.Type());
        Assert.True(response.Data().IsEphemeral());
        Assert.InRange(answeredIn, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(2.9));
        Assert.Empty(_host.Fake.Requests); // nothing follows before the flow is done

        var edit = await _host.Fake.WaitForAsync(r => r.Method == "PATCH" && r.Path == WebhookPath(command) + "/messages/@original");
        Assert.Contains("Slow but private: only you see this.", edit.Json.VisibleText());
        edit.Json.AssertPingsNobody();
        Assert.StartsWith("DiscordBot (", edit.Headers["User-Agent"]);
        Assert.False(edit.Headers.ContainsKey("Authorization")); // interaction webhooks need no bot token

        // The interaction token is a credential and replies are members' business: neither reaches the logs.
        Assert.Contains(_host.Logs.Lines, l => l.Contains("Deferred a Discord ApplicationCommand interaction"));
        Assert.DoesNotContain(_host.Logs.Lines, l => l.Contains(Payloads.TokenOf(command)) || l.Contains("only you see this"));
    }

    [Fact]
    public async Task A_slow_public_reply_follows_as_its_own_message_after_a_private_note()
    {
        var command = Payloads.Command(TestUser.Ash, Payloads.NewChannel(), "slow channel");
        Assert.Equal(5, (await _host.InteractAsync(command)).Type());

        var followUp = await _host.Fake.WaitForAsync(r => r.Method == "POST" && r.Path == WebhookPath(command));
        Assert.Contains("Slow but public", followUp.Json.VisibleText());
        Assert.False(followUp.Json.IsEphemeral());
        followUp.Json.AssertPingsNobody();
        var note = Assert.Single(_host.Fake.Requests, r => r.Method == "PATCH");
        Assert.Contains("My reply is in the channel", note.Json.VisibleText());
        Assert.True(note.At <= followUp.At);
    }

    [Fact]
    public async Task A_slow_click_is_deferred_as_an_update_and_then_edits_the_clicked_message()
    {
        var click = Payloads.Click(TestUser.Ash, Payloads.NewChannel(), "slow:click", "6100");
        var response = await _host.InteractAsync(click);
        Assert.Equal(6, response.Type());

        var edit = await _host.Fake.WaitForAsync(r => r.Method == "PATCH" && r.Path == WebhookPath(click) + "/messages/@original");
        Assert.Contains("Slow update of the clicked message.", edit.Json.VisibleText());
        var followUp = await _host.Fake.WaitForAsync(r => r.Method == "POST" && r.Path.StartsWith(WebhookPath(click), StringComparison.Ordinal));
        Assert.True(followUp.Json.IsEphemeral());
        Assert.Contains("Slow click noted.", followUp.Json.VisibleText());
    }

    [Fact]
    public async Task A_form_that_took_too_long_is_offered_behind_a_button_that_opens_the_modal()
    {
        var channel = Payloads.NewChannel();
        var command = Payloads.Command(TestUser.Ash, channel, "slow form");
        Assert.Equal(5, (await _host.InteractAsync(command)).Type());

        var offer = await _host.Fake.WaitForAsync(r => r.Method == "PATCH" && r.Path == WebhookPath(command) + "/messages/@original");
        Assert.Contains("Press **Open the form**", offer.Json.VisibleText());
        var reopen = Assert.Single(offer.Json.CustomIds());

        _host.Flows.Slow.Delay = TimeSpan.Zero; // the second time round the flow answers at once
        var response = await _host.InteractAsync(Payloads.Click(TestUser.Ash, channel, reopen, "6200", ephemeralSource: true));
        Assert.Equal(9, response.Type());
        Assert.Equal("slow:saved", response.Data().GetProperty("custom_id").GetString());
    }

    [Fact]
    public async Task A_fast_command_is_answered_directly_and_further_replies_follow_up()
    {
        _host.Flows.Slow.Delay = TimeSpan.FromMilliseconds(100);
        var response = await _host.InteractAsync(Payloads.Command(TestUser.Ash, Payloads.NewChannel(), "slow both"));
        Assert.Equal(4, response.Type());
        Assert.Contains("Slow public part.", response.Data().VisibleText());
        Assert.False(response.Data().IsEphemeral());
        var followUp = await _host.Fake.WaitForAsync(r => r.Method == "POST");
        Assert.True(followUp.Json.IsEphemeral());
        Assert.Contains("Slow private part.", followUp.Json.VisibleText());
    }
}
