using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using NodaTime;
using PeerGroupBot.Core.Checkouts;
using PeerGroupBot.Core.Sessions;

namespace PeerGroupBot.Tests.Playground;

/// <summary>The playground host with a data folder this test can search.</summary>
public sealed class CheckoutPlaygroundHost : PlaygroundHostFixture
{
    public string DataFolder { get; } = Path.Combine(Path.GetTempPath(), "pgb-checkout-" + Guid.NewGuid().ToString("N"));

    protected override IEnumerable<string> Settings => ["--Storage:FolderPath", DataFolder];
}

/// <summary>
/// The anonymous check-out end to end through the playground's HTTP API (what the page calls): a member who said Going
/// finds it in their private chat, the form has the 1-5 questions, it counts once, and the stored files hold nothing
/// that ties the answer to anyone.
/// </summary>
public sealed class CheckoutPlaygroundTests(CheckoutPlaygroundHost host) : IClassFixture<CheckoutPlaygroundHost>, IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(host.BaseUrl) };

    public void Dispose()
    {
        _http.Dispose();
        try { Directory.Delete(host.DataFolder, recursive: true); } catch (DirectoryNotFoundException) { }
    }

    private async Task<JsonElement> SendAsync(string person, string place, string? text = null, string? actionId = null, Dictionary<string, string>? values = null)
    {
        using var response = await _http.PostAsJsonAsync("/playground/api/send", new { person, place, text, actionId, values });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task<List<JsonElement>> FeedAsync(string person)
    {
        var events = await _http.GetFromJsonAsync<JsonElement>($"/playground/api/feed?person={person}&since=0");
        return [.. events.EnumerateArray()];
    }

    private static string Said(JsonElement e)
        => e.TryGetProperty("reply", out var reply) && reply.ValueKind == JsonValueKind.Object
            ? (reply.TryGetProperty("title", out var t) ? t.GetString() + "\n" : "") + reply.GetProperty("text").GetString()
            : "";

    [Fact]
    public async Task A_member_who_said_going_checks_out_privately_once_and_the_stored_files_hold_nothing_that_ties_it_to_them()
    {
        await SendAsync("fran", "group", "setup Playground Peers");
        await SendAsync("fran", "group", "setup timezone Europe/London");
        await SendAsync("alex", "group", "help");
        await SendAsync("sam", "group", "help");

        // A weekly session that started ten minutes ago (the host's pinned clock: a Wednesday late morning in May).
        var local = host.Clock.GetCurrentInstant().InZone(DateTimeZoneProviders.Tzdb["Europe/London"]).LocalDateTime;
        var start = local.Date.At(new LocalTime(local.Hour, local.Minute)).PlusMinutes(-10);
        await SendAsync("fran", "group", $"session schedule weekly {start.DayOfWeek.ToString().ToLowerInvariant()} {start.TimeOfDay.ToString("HH:mm", CultureInfo.InvariantCulture)}");
        var sessionId = OccurrenceIds.Of(start);
        var key = OccurrenceIds.ToKey(sessionId);
        await SendAsync("alex", "group", actionId: SessionCards.RsvpActionId(sessionId, RsvpChoice.Going));

        await SendAsync("fran", "group", "session end");
        Assert.Contains(await FeedAsync("fran"), e => Said(e).Contains("sent it privately to 1 member", StringComparison.Ordinal));

        // Alex finds it in the private chat; the group channel has a button for anyone else.
        var alexFeed = await FeedAsync("alex");
        var invitation = Assert.Single(alexFeed, e => e.GetProperty("channel").GetString() == "dm-alex" && Said(e).StartsWith("Check-out: Playground Peers", StringComparison.Ordinal));
        var openId = invitation.GetProperty("reply").GetProperty("buttons")[0].GetProperty("actionId").GetString()!;
        Assert.EndsWith(":" + key, openId);
        Assert.Contains(alexFeed, e => e.GetProperty("channel").GetString() == "group-channel" && Said(e).Contains("how did the session go?", StringComparison.Ordinal));
        Assert.DoesNotContain(await FeedAsync("sam"), e => e.GetProperty("channel").GetString() == "dm-sam" && Said(e).StartsWith("Check-out:", StringComparison.Ordinal));

        // The button opens the form: the four questions on a 1-5 scale and a line.
        var form = (await SendAsync("alex", "private", actionId: openId)).GetProperty("forms")[0];
        var fields = form.GetProperty("fields").EnumerateArray().ToList();
        Assert.Equal(["q1", "q2", "q3", "q4", "comment"], fields.Select(f => f.GetProperty("id").GetString()));
        Assert.Equal("I'd feel able to raise a concern", fields[2].GetProperty("label").GetString());
        var answerId = form.GetProperty("actionId").GetString()!;

        await SendAsync("alex", "private", actionId: answerId, values: new() { ["q1"] = "4", ["q2"] = "4", ["q3"] = "5", ["q4"] = "", ["comment"] = "pebbleword good pace" });
        Assert.Contains(await FeedAsync("alex"), e => Said(e).StartsWith("Check-out sent anonymously", StringComparison.Ordinal));
        await SendAsync("alex", "private", actionId: answerId, values: new() { ["q1"] = "1" });
        Assert.Contains(await FeedAsync("alex"), e => Said(e).Contains("already checked out", StringComparison.Ordinal));

        // Sam, who came without saying so, uses the channel's button; the answer is private.
        Assert.Equal(answerId, (await SendAsync("sam", "group", actionId: openId)).GetProperty("forms")[0].GetProperty("actionId").GetString());
        await SendAsync("sam", "group", actionId: answerId, values: new() { ["q1"] = "2", ["q2"] = "3", ["q3"] = "3", ["q4"] = "3" });
        var thanks = Assert.Single(await FeedAsync("sam"), e => Said(e).StartsWith("Check-out sent anonymously", StringComparison.Ordinal));
        Assert.Equal("sam", thanks.GetProperty("visibleTo").GetString());
        Assert.DoesNotContain(await FeedAsync("alex"), e => e.GetProperty("channel").GetString() == "group-channel" && Said(e).StartsWith("Check-out sent", StringComparison.Ordinal));

        // The files on disk: the check-out holds counts and the line, no id, no name; the line is nowhere else.
        var files = Directory.EnumerateFiles(host.DataFolder, "*.json", SearchOption.AllDirectories).ToList();
        var checkout = Assert.Single(files, f => f.Replace('\\', '/').Contains("/checkouts/", StringComparison.Ordinal));
        var text = await File.ReadAllTextAsync(checkout);
        foreach (var who in new[] { "alex", "sam" }) Assert.DoesNotContain(who, text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("pebbleword", text);
        Assert.Contains("\"answers\":2", text);
        foreach (var other in files.Where(f => f != checkout))
            Assert.DoesNotContain("pebbleword", await File.ReadAllTextAsync(other));
    }
}
