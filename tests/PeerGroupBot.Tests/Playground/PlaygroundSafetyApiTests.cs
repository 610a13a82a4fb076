using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace PeerGroupBot.Tests.Playground;

/// <summary>
/// The risk check through the playground's own HTTP API (no browser): crisis contacts reach only the member who wrote,
/// in the channel as a message only they see, or in their private chat; nobody else sees anything from the bot.
/// </summary>
public class PlaygroundSafetyApiTests(PlaygroundHostFixture host) : IClassFixture<PlaygroundHostFixture>
{
    private readonly HttpClient _client = new() { BaseAddress = new Uri(host.BaseUrl), Timeout = TimeSpan.FromSeconds(60) };

    private async Task SendAsync(string person, string place, string text)
    {
        using var response = await _client.PostAsJsonAsync("/playground/api/send", new { person, place, text });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The text of every bot message <paramref name="person"/> can see, with the channel it is in.</summary>
    private async Task<List<(string Channel, string? VisibleTo, string Text)>> BotMessagesSeenByAsync(string person)
    {
        var feed = await _client.GetFromJsonAsync<JsonElement>($"/playground/api/feed?since=0&person={person}");
        return feed.EnumerateArray()
            .Where(e => e.GetProperty("author").GetString() == "PeerGroupBot")
            .Select(e => (e.GetProperty("channel").GetString()!,
                e.GetProperty("visibleTo").ValueKind == JsonValueKind.String ? e.GetProperty("visibleTo").GetString() : null,
                e.GetProperty("reply").GetRawText()))
            .ToList();
    }

    [Fact]
    public async Task Words_at_risk_in_the_channel_or_private_chat_get_contacts_only_the_writer_sees()
    {
        await SendAsync("fran", "group", "setup Safety Circle");
        await SendAsync("alex", "group", "help");
        var before = (await BotMessagesSeenByAsync("sam")).Count;

        await SendAsync("alex", "group", "agenda add i want to end my life");
        await SendAsync("alex", "private", "I feel suicidal");

        var alexSees = await BotMessagesSeenByAsync("alex");
        Assert.Contains(alexSees, m => m.Channel == "group-channel" && m.VisibleTo == "alex" && m.Text.Contains("116 123"));
        Assert.Contains(alexSees, m => m.Channel == "dm-alex" && m.Text.Contains("116 123") && m.Text.Contains("not a clinician"));

        var samSees = await BotMessagesSeenByAsync("sam");
        Assert.Equal(before, samSees.Count);
        Assert.DoesNotContain(samSees, m => m.Text.Contains("116 123") || m.Text.Contains("end my life"));

        await SendAsync("sam", "group", "agenda");
        Assert.DoesNotContain(await BotMessagesSeenByAsync("sam"), m => m.Text.Contains("end my life"));
    }
}
