using System.Net;
using PeerGroupBot.Discord.Tests.Support;

namespace PeerGroupBot.Discord.Tests;

/// <summary>
/// A signed interaction stays valid for the whole timestamp tolerance, so whoever captured one could send it again.
/// Each interaction id is handled once: the same signed bytes sent three times add one agenda item, not three.
/// </summary>
public sealed class ReplayTests : IAsyncLifetime
{
    private DiscordHost _host = null!;

    public async Task InitializeAsync() => _host = await DiscordHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_same_signed_interaction_sent_three_times_is_handled_once()
    {
        var channel = Payloads.NewChannel();
        await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "setup start", ("name", "Replay Circle")));
        SignedRequest? captured = null;
        using var first = await _host.PostAsync(Payloads.Command(TestUser.Ash, channel, "agenda add", ("text", "Sleep and screens")), s => captured = s);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var second = await _host.PostAsync("", _ => captured!);
        using var third = await _host.PostAsync("", _ => captured!);

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, third.StatusCode);
        var list = await _host.InteractAsync(Payloads.Command(TestUser.Ash, channel, "agenda list"));
        var text = list.Data().VisibleText();
        Assert.Equal(1, text.Split("Sleep and screens").Length - 1);
        Assert.Contains(_host.Store.Snapshot(), d => d.Key.StartsWith("discord/seen/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_interactions_from_the_same_member_a_moment_apart_are_both_handled()
    {
        var channel = Payloads.NewChannel();
        await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "setup start", ("name", "Twice Circle")));

        await _host.InteractAsync(Payloads.Command(TestUser.Ash, channel, "agenda add", ("text", "Tea")));
        await _host.InteractAsync(Payloads.Command(TestUser.Ash, channel, "agenda add", ("text", "Tea break")));

        var text = (await _host.InteractAsync(Payloads.Command(TestUser.Ash, channel, "agenda list"))).Data().VisibleText();
        Assert.Equal(2, text.Split("Tea").Length - 1);
    }
}
