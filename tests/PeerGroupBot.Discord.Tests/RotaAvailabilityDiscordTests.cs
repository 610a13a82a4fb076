using System.Globalization;
using System.Text.Json;
using NodaTime;
using PeerGroupBot.Discord.Tests.Support;

namespace PeerGroupBot.Discord.Tests;

/// <summary>
/// The rota availability page on Discord: a message holds at most five action rows with one select each, and each
/// select menu sends its own interaction, so a date saves as soon as it is picked, the page says so, and every date
/// picked (on any page) is kept.
/// </summary>
public sealed class RotaAvailabilityDiscordTests : IAsyncLifetime
{
    private DiscordHost _host = null!;

    public async Task InitializeAsync() => _host = await DiscordHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>"Thu 5 Nov, 18:00 GMT": the date at 18:00 with London's abbreviation that evening (GMT or BST).</summary>
    private static string Label(DateTime day) => day.ToString("ddd d MMM", CultureInfo.InvariantCulture) + ", 18:00 "
        + LocalDate.FromDateTime(day).At(new LocalTime(18, 0)).InZoneLeniently(DateTimeZoneProviders.Tzdb["Europe/London"]).GetZoneInterval().Name;

    private static List<JsonElement> Rows(JsonElement message) => [.. message.GetProperty("components").EnumerateArray()];

    private static List<JsonElement> Selects(JsonElement message)
        => [.. Rows(message).SelectMany(r => r.GetProperty("components").EnumerateArray()).Where(c => c.GetProperty("type").GetInt32() == 3)];

    private static void AssertFitsDiscord(JsonElement message)
    {
        Assert.InRange(Rows(message).Count, 1, 5);
        Assert.All(Rows(message), r => Assert.True(r.GetProperty("components").EnumerateArray().Count(c => c.GetProperty("type").GetInt32() == 3) <= 1));
    }

    [Fact]
    public async Task Each_date_saves_as_it_is_picked_and_nothing_picked_on_another_page_is_lost()
    {
        var channel = Payloads.NewChannel();
        await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "setup start", ("name", "Thursday Circle")));
        var today = DateTime.UtcNow.Date;
        var days = Enumerable.Range(2, 6).Select(w => today.AddDays(7 * w)).ToList();
        var details = string.Join(" ", days.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " 18:00"));
        var started = await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "rota poll", ("details", details)));
        Assert.Contains("I've posted a rota poll for 6 sessions", started.Data().VisibleText());
        var posted = await _host.Fake.WaitForAsync(r => r.Method == "POST" && r.Path == $"/api/v10/channels/{channel}/messages" && r.Body.Contains("Rota poll", StringComparison.Ordinal));
        var avail = Assert.Single(posted.Json.CustomIds(), id => id.StartsWith("rota:avail:", StringComparison.Ordinal));

        var page = await _host.InteractAsync(Payloads.Click(TestUser.Ash, channel, avail, "7001"));
        Assert.True(page.Data().IsEphemeral());
        Assert.Contains("Each date saves as soon as you pick its roles; there's nothing else to press.", page.Data().VisibleText());
        AssertFitsDiscord(page.Data());
        var first = Selects(page.Data());
        Assert.Equal(4, first.Count);
        Assert.DoesNotContain("Save my availability", page.Data().GetRawText());

        // Ash picks roles on the first date: saved at once, the page is redrawn with them ticked.
        var markFirst = first[0].GetProperty("custom_id").GetString()!;
        var saved = await _host.InteractAsync(Payloads.Click(TestUser.Ash, channel, markFirst, "7002", ephemeralSource: true, "0", "2"));
        Assert.Equal(7, saved.Type());
        Assert.Contains($"Saved: {Label(days[0])}, facilitator, welcomer.", saved.Data().VisibleText());

        // Then a date on the second page: the first date's answer is still there.
        var later = Assert.Single(saved.Data().CustomIds(), id => id.StartsWith("rota:page:", StringComparison.Ordinal));
        var second = await _host.InteractAsync(Payloads.Click(TestUser.Ash, channel, later, "7002", ephemeralSource: true));
        AssertFitsDiscord(second.Data());
        var sixth = Selects(second.Data())[1];
        Assert.Equal($"{Label(days[5])}: roles you could take", sixth.GetProperty("placeholder").GetString());
        var done = await _host.InteractAsync(Payloads.Click(TestUser.Ash, channel, sixth.GetProperty("custom_id").GetString()!, "7002", ephemeralSource: true, "3"));

        var text = done.Data().VisibleText();
        Assert.Contains($"- {Label(days[0])}: facilitator, welcomer", text);
        Assert.Contains($"- {Label(days[5])}: note-taker", text);
        var ticked = Selects(done.Data())[1].GetProperty("options").EnumerateArray()
            .Where(o => o.TryGetProperty("default", out var d) && d.GetBoolean()).Select(o => o.GetProperty("label").GetString());
        Assert.Equal(["note-taker"], ticked);

        // Opened again from the poll card, the first page is pre-filled with the first date's answer.
        var again = await _host.InteractAsync(Payloads.Click(TestUser.Ash, channel, avail, "7001"));
        var prefilled = Selects(again.Data())[0].GetProperty("options").EnumerateArray()
            .Where(o => o.TryGetProperty("default", out var d) && d.GetBoolean()).Select(o => o.GetProperty("label").GetString());
        Assert.Equal(["facilitator", "welcomer"], prefilled);
    }
}
