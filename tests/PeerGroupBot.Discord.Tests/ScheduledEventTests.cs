using NodaTime;
using PeerGroupBot.Discord.Tests.Support;

namespace PeerGroupBot.Discord.Tests;

/// <summary>
/// Sessions in the server's Events tab: each upcoming session of a Discord group is a guild scheduled event (external,
/// at the session's place), made, moved, cancelled and put back with the schedule; "Interested" counts show beside the
/// RSVPs; without Manage Events the group is told once what to grant. The fake Discord checks every body as Discord does.
/// </summary>
public sealed class ScheduledEventTests : IAsyncLifetime
{
    private static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];

    private DiscordHost _host = null!;

    public async Task InitializeAsync() => _host = await DiscordHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<string> StartGroupAsync(string name = "Tuesday Peers") => _host.StartGroupAsync(name);

    private Task<string> RunAsync(TestUser user, string channel, string path, params (string Name, object Value)[] options)
        => _host.RunAsync(user, channel, path, options);

    private List<FakeScheduledEvent> Active => _host.Fake.ScheduledEvents.Where(e => e.IsScheduled).OrderBy(e => e.Start).ToList();

    private static LocalDateTime InLondon(DateTimeOffset time) => Instant.FromDateTimeOffset(time).InZone(London).LocalDateTime;

    [Fact]
    public async Task Sessions_become_external_events_that_follow_every_change_to_the_schedule()
    {
        var channel = await StartGroupAsync();
        await RunAsync(TestUser.Dee, channel, "session schedule", ("details", "weekly tuesday 18:30 90m \"Room 4\""));

        var made = Active;
        Assert.Equal(4, made.Count); // Discord:ScheduledEventsAhead
        Assert.All(made, e =>
        {
            Assert.Equal("Tuesday Peers session", e.Name);
            Assert.Equal("Room 4", e.Location);
            Assert.Equal(3, e.Fields["entity_type"]!.GetValue<int>());
            Assert.Equal(IsoDayOfWeek.Tuesday, InLondon(e.Start).DayOfWeek);
            Assert.Equal(new LocalTime(18, 30), InLondon(e.Start).TimeOfDay);
            Assert.Equal(TimeSpan.FromMinutes(90), e.End - e.Start);
            Assert.Contains("(Europe/London time)", e.Fields["description"]!.GetValue<string>());
        });
        Assert.Equal([7, 7, 7], made.Zip(made.Skip(1)).Select(p => Period.DaysBetween(InLondon(p.First.Start).Date, InLondon(p.Second.Start).Date)));
        Assert.All(made, e => Assert.True(e.Start > DateTimeOffset.UtcNow));

        // Cancelling the second session cancels its event; restoring it makes a new one (Discord cannot un-cancel).
        var second = made[1];
        var date = InLondon(second.Start).Date.ToString("yyyy-MM-dd", null);
        await RunAsync(TestUser.Dee, channel, "session cancel", ("details", $"{date} bank holiday"));
        Assert.Equal(4, _host.Fake.ScheduledEvents.Single(e => e.Id == second.Id).Status);
        Assert.DoesNotContain(Active, e => e.Id == second.Id);

        await RunAsync(TestUser.Dee, channel, "session restore", ("date", date));
        var restored = Assert.Single(Active, e => InLondon(e.Start).Date.ToString("yyyy-MM-dd", null) == date);
        Assert.NotEqual(second.Id, restored.Id);
        Assert.Equal(4, Active.Count);

        // Moving the schedule to another time moves the same events (whoever was Interested stays so): nothing new is made.
        var ids = Active.Select(e => e.Id).ToList();
        int Creations() => _host.Fake.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/scheduled-events", StringComparison.Ordinal));
        var before = Creations();
        await RunAsync(TestUser.Dee, channel, "session schedule", ("details", "weekly tuesday 19:00 1h \"Room 5\""));
        Assert.Equal(before, Creations());
        Assert.Equal(ids, Active.Select(e => e.Id).ToList());
        Assert.All(Active, e => Assert.Equal((new LocalTime(19, 0), "Room 5", TimeSpan.FromHours(1)), (InLondon(e.Start).TimeOfDay, e.Location, e.End - e.Start)));

        // Stopping the schedule cancels them all; an extra session with no place gets one event, saying where to look.
        await RunAsync(TestUser.Dee, channel, "session schedule", ("details", "off"));
        Assert.Empty(Active);
        var extra = InLondon(DateTimeOffset.UtcNow).Date.PlusDays(10).ToString("yyyy-MM-dd", null);
        await RunAsync(TestUser.Dee, channel, "session add", ("details", $"{extra} 18:00"));
        var only = Assert.Single(Active);
        Assert.Equal("See the group's channel", only.Location);
        Assert.Equal((extra, new LocalTime(18, 0)), (InLondon(only.Start).Date.ToString("yyyy-MM-dd", null), InLondon(only.Start).TimeOfDay));
    }

    [Fact]
    public async Task A_changed_length_or_place_edits_the_existing_events()
    {
        var channel = await StartGroupAsync();
        await RunAsync(TestUser.Dee, channel, "session schedule", ("details", "weekly thursday 10:00 1h \"Library\""));
        var ids = Active.Select(e => e.Id).ToList();

        await RunAsync(TestUser.Dee, channel, "session schedule", ("details", "weekly thursday 10:00 2h \"Community centre\""));
        Assert.Equal(ids, Active.Select(e => e.Id).ToList());
        Assert.All(Active, e => Assert.Equal(("Community centre", TimeSpan.FromHours(2)), (e.Location, e.End - e.Start)));
        Assert.Contains(_host.Fake.Requests, r => r.Method == "PATCH" && r.Path.Contains("/scheduled-events/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Interested_counts_from_the_events_tab_show_beside_the_rsvps()
    {
        var channel = await StartGroupAsync();
        await RunAsync(TestUser.Dee, channel, "session schedule", ("details", "weekly wednesday 18:00"));
        Active[0].Interested = 3;

        var next = await RunAsync(TestUser.Ash, channel, "session next");
        Assert.Contains("0 going · 0 maybe · 0 not going · 3 interested in Discord's Events tab", next);
        var read = Assert.Single(_host.Fake.Requests, r => r.Method == "GET" && r.Path.EndsWith($"/scheduled-events/{Active[0].Id}", StringComparison.Ordinal));
        Assert.Equal(Payloads.GuildId, read.Path.Split('/')[4]);
    }

    [Fact]
    public async Task Without_manage_events_the_group_is_told_once_what_to_grant_and_a_403_is_never_repeated()
    {
        _host.Fake.DenyManageEvents = true;
        var channel = await StartGroupAsync("No Events Group");
        await RunAsync(TestUser.Dee, channel, "session schedule", ("details", "weekly monday 19:00"));
        await RunAsync(TestUser.Dee, channel, "session reminders", ("times", "2h"));

        bool IsNotice(RecordedRequest r) => r.Method == "POST" && r.Path == $"/api/v10/channels/{channel}/messages" && r.Json.VisibleText().Contains("Manage Events", StringComparison.Ordinal);
        var notice = Assert.Single(_host.Fake.Requests, IsNotice);
        Assert.Contains("Server Settings → Roles", notice.Json.VisibleText());
        notice.Json.AssertPingsNobody();
        // One refused request per sync: the bot stops at the first 403 instead of trying every session.
        Assert.Equal(2, _host.Fake.Requests.Count(r => r.Path.Contains("/scheduled-events", StringComparison.Ordinal)));

        // Once the permission is granted, the next change makes the events, and a later refusal is announced again.
        _host.Fake.DenyManageEvents = false;
        await RunAsync(TestUser.Dee, channel, "session reminders", ("times", "1h"));
        Assert.Equal(4, Active.Count);
        await RunAsync(TestUser.Dee, channel, "session reminders", ("times", "3h")); // nothing to change in Discord
        _host.Fake.DenyManageEvents = true;
        await RunAsync(TestUser.Dee, channel, "session schedule", ("details", "weekly monday 20:00"));
        Assert.Equal(2, _host.Fake.Requests.Count(IsNotice));
    }
}
