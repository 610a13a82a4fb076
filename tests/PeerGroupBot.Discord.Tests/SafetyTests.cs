using PeerGroupBot.Discord.Tests.Support;

namespace PeerGroupBot.Discord.Tests;

/// <summary>
/// The risk check over real signed HTTP on Discord: a modal field or a slash command's string option that suggests risk
/// gets the crisis contacts in an ephemeral answer at once, and nothing is posted to the channel.
/// </summary>
public sealed class SafetyTests : IAsyncLifetime
{
    private DiscordHost _host = null!;

    public async Task InitializeAsync() => _host = await DiscordHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<string> StartGroupAsync()
    {
        var channel = await _host.StartGroupAsync();
        await _host.InteractAsync(Payloads.Command(TestUser.Ash, channel, "help"));
        _host.Fake.Clear();
        return channel;
    }

    private void NothingPostedTo(string channel)
        => Assert.DoesNotContain(_host.Fake.Requests, r => r.Method == "POST" && r.Path.Contains($"/channels/{channel}/messages", StringComparison.Ordinal));

    [Fact]
    public async Task A_concern_modal_that_suggests_risk_answers_ephemerally_with_crisis_contacts_and_is_marked_urgent()
    {
        var channel = await StartGroupAsync();
        var group = await _host.GroupOfChannelAsync(channel);
        var response = await _host.InteractAsync(Payloads.ModalLabels(TestUser.Ash, channel, $"concern:raise:{group!.Id}",
            ("text", "I don't want to be here anymore and I have been thinking about ending it."), ("replies", "no")));

        Assert.Equal(4, response.Type());
        Assert.True(response.Data().IsEphemeral());
        Assert.Contains("116 123", response.Data().VisibleText());
        NothingPostedTo(channel);
        var follow = await _host.Fake.WaitForAsync(r => r.Method == "POST" && r.Path.StartsWith("/api/v10/webhooks/", StringComparison.Ordinal));
        Assert.True(follow.Json.IsEphemeral());
        Assert.Contains("marked it urgent", follow.Json.VisibleText());
    }

    [Fact]
    public async Task An_agenda_modal_that_suggests_risk_is_held_and_the_answer_is_ephemeral()
    {
        var channel = await StartGroupAsync();
        var response = await _host.InteractAsync(Payloads.ModalLabels(TestUser.Ash, channel, "agenda:add",
            ("text", "everyone would be better off without me"), ("minutes", ""), ("show", "name")));

        Assert.True(response.Data().IsEphemeral());
        var text = response.Data().VisibleText();
        Assert.Contains("Samaritans", text);
        Assert.Contains("not a clinician", text);
        Assert.Contains(response.Data().CustomIds(), id => id.StartsWith("safety:add:", StringComparison.Ordinal));
        Assert.Contains(response.Data().CustomIds(), id => id.StartsWith("concern:held:", StringComparison.Ordinal));
        NothingPostedTo(channel);

        var agenda = await _host.InteractAsync(Payloads.Command(TestUser.Ash, channel, "agenda list"));
        Assert.DoesNotContain("better off without me", agenda.Data().VisibleText());
    }

    [Fact]
    public async Task A_string_option_of_a_slash_command_is_checked_like_typed_text()
    {
        var channel = await StartGroupAsync();
        var response = await _host.InteractAsync(Payloads.Command(TestUser.Ash, channel, "poll suggest", ("topic", "i want to kms")));

        Assert.True(response.Data().IsEphemeral());
        Assert.Contains("116 123", response.Data().VisibleText());
        NothingPostedTo(channel);
    }
}
