using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Discord.Rest;
using PeerGroupBot.Discord.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace PeerGroupBot.Discord.Tests;

/// <summary>Through the real host: a message the bot posted can be deleted (Discord refuses an empty body sent as JSON with 50109).</summary>
public sealed class BodilessRequestTests : IAsyncLifetime
{
    private DiscordHost _host = null!;

    public async Task InitializeAsync() => _host = await DiscordHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_posted_message_is_deleted_with_a_request_that_claims_no_body()
    {
        var messenger = _host.Services.GetRequiredService<DiscordMessenger>();
        var id = await messenger.PostAsync("424242", BotReply.Say("Agenda for Tuesday"), CancellationToken.None);
        Assert.Contains($"424242/{id}", _host.Fake.Messages.Keys);

        await messenger.DeleteAsync("424242", id, CancellationToken.None);

        Assert.DoesNotContain($"424242/{id}", _host.Fake.Messages.Keys);
        var delete = Assert.Single(_host.Fake.Requests, r => r.Method == "DELETE");
        Assert.False(delete.Headers.ContainsKey("Content-Type"));
    }
}
