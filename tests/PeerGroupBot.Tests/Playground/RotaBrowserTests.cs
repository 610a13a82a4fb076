using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using NodaTime;

namespace PeerGroupBot.Tests.Playground;

/// <summary>The rota in the browser: a poll for explicit dates, members mark availability, the facilitator closes it, the rota shows who does what.</summary>
[Collection(PlaygroundCollection.Name)]
public sealed class RotaBrowserTests(PlaygroundBrowserFixture browser, PlaygroundHostFixture host) : IClassFixture<PlaygroundHostFixture>
{
    [Fact]
    public async Task Members_mark_availability_and_closing_assigns_the_roles()
    {
        // The group has no schedule, so the facilitator gives dates (two and three weeks from today, at 18:00).
        // "Today" is the group's (London) date by the host's pinned clock, not the machine's date or time zone.
        var today = host.Clock.GetCurrentInstant().InZone(DateTimeZoneProviders.Tzdb["Europe/London"]).Date.ToDateOnly();
        var first = today.AddDays(14);
        var second = today.AddDays(21);
        var firstLabel = Label(first);
        var secondLabel = Label(second);

        var p = await browser.OpenAsync(host);
        await p.SayAsync("setup Rota Peers");
        await p.SayAsync($"rota poll {first:yyyy-MM-dd} 18:00 {second:yyyy-MM-dd} 18:00");
        var card = p.Card("Rota poll: who can help run our sessions?");
        await Assertions.Expect(card).ToContainTextAsync($"{firstLabel}: 0 available");
        await Assertions.Expect(card).ToContainTextAsync($"{secondLabel}: 0 available");

        // Alex opens their own availability card from the poll: every date on one form, one button to save them all.
        await p.AsAsync("alex");
        await p.ClickAsync(p.Button(p.Card("Rota poll:"), "Mark my availability"));
        var mine = p.PrivateNote("Your rota availability");
        await Assertions.Expect(mine.GetByRole(AriaRole.Button, new() { Name = "Submit choices" })).ToHaveCountAsync(0);
        await Assertions.Expect(mine.GetByRole(AriaRole.Button, new() { Name = "Save my availability" })).ToHaveCountAsync(1);
        await p.TickOnlyAsync(mine, $"{firstLabel}: roles you could take", "facilitator", "welcomer");
        await p.TickOnlyAsync(mine, $"{secondLabel}: roles you could take", "note-taker");
        await p.ClickAsync(p.Button(mine, "Save my availability"));
        mine = p.PrivateNote("Your rota availability");
        await Assertions.Expect(mine).ToContainTextAsync("Saved: roles on 2 dates.");
        await Assertions.Expect(mine).ToContainTextAsync($"{firstLabel}: facilitator, welcomer");
        await Assertions.Expect(mine).ToContainTextAsync($"{secondLabel}: note-taker");
        await Assertions.Expect(p.Feed.Locator(".msg.private").Filter(new() { HasText = "Your rota availability" })).ToHaveCountAsync(1);
        await Assertions.Expect(p.Card("Rota poll:")).ToContainTextAsync($"{firstLabel}: 1 available");
        await Assertions.Expect(p.Card("Rota poll:")).ToContainTextAsync($"{secondLabel}: 1 available");
        await p.ScreenshotAsync("rota-availability.png");

        // Opened again, Alex's ticks are there on both dates; Alex takes note-taking off the second date and saves.
        await p.ClickAsync(p.Button(p.Card("Rota poll:"), "Mark my availability"));
        mine = p.PrivateNote("Your rota availability");
        var firstBoxes = mine.GetByRole(AriaRole.Group, new() { Name = $"{firstLabel}: roles you could take" });
        var secondBoxes = mine.GetByRole(AriaRole.Group, new() { Name = $"{secondLabel}: roles you could take" });
        await Assertions.Expect(firstBoxes.GetByRole(AriaRole.Checkbox, new() { Name = "facilitator", Exact = true })).ToBeCheckedAsync();
        await Assertions.Expect(firstBoxes.GetByRole(AriaRole.Checkbox, new() { Name = "welcomer", Exact = true })).ToBeCheckedAsync();
        await Assertions.Expect(firstBoxes.GetByRole(AriaRole.Checkbox, new() { Name = "note-taker", Exact = true })).Not.ToBeCheckedAsync();
        await Assertions.Expect(secondBoxes.GetByRole(AriaRole.Checkbox, new() { Name = "note-taker", Exact = true })).ToBeCheckedAsync();
        await p.TickOnlyAsync(mine, $"{secondLabel}: roles you could take");
        await p.ClickAsync(p.Button(mine, "Save my availability"));
        await Assertions.Expect(p.PrivateNote("Your rota availability")).ToContainTextAsync($"{secondLabel}: not this time");
        await Assertions.Expect(p.PrivateNote("Your rota availability")).ToContainTextAsync($"{firstLabel}: facilitator, welcomer");
        await Assertions.Expect(p.Card("Rota poll:")).ToContainTextAsync($"{secondLabel}: 0 available");

        // Sam can do anything; Priya and Jo pick a few roles.
        await p.AsAsync("sam");
        await p.ClickAsync(p.Button(p.Card("Rota poll:"), "Mark my availability"));
        await p.ClickAsync(p.Button(p.PrivateNote("Your rota availability"), "Any role, every date"));
        await Assertions.Expect(p.PrivateNote("Your rota availability")).ToContainTextAsync("Saved: any role, every date.");

        await p.AsAsync("priya");
        await p.ClickAsync(p.Button(p.Card("Rota poll:"), "Mark my availability"));
        await p.TickOnlyAsync(p.PrivateNote("Your rota availability"), $"{secondLabel}: roles you could take", "facilitator", "note-taker");
        await p.ClickAsync(p.Button(p.PrivateNote("Your rota availability"), "Save my availability"));
        await Assertions.Expect(p.PrivateNote("Your rota availability")).ToContainTextAsync($"{secondLabel}: facilitator, note-taker");

        await p.AsAsync("jo");
        await p.ClickAsync(p.Button(p.Card("Rota poll:"), "Mark my availability"));
        await p.TickOnlyAsync(p.PrivateNote("Your rota availability"), $"{firstLabel}: roles you could take", "note-taker");
        await p.ClickAsync(p.Button(p.PrivateNote("Your rota availability"), "Save my availability"));

        // The card counts who answered, never who.
        await Assertions.Expect(p.Card("Rota poll:")).ToContainTextAsync($"{firstLabel}: 3 available");
        await Assertions.Expect(p.Card("Rota poll:")).ToContainTextAsync($"{secondLabel}: 2 available");
        await Assertions.Expect(p.Card("Rota poll:")).Not.ToContainTextAsync("Alex");

        // Fran closes the poll: the card closes and the rota is posted.
        await p.AsAsync("fran");
        await p.SayAsync("rota close");
        await Assertions.Expect(p.Card("Rota poll (closed)")).ToBeVisibleAsync();
        await Assertions.Expect(p.Card("Rota poll (closed)").GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await Assertions.Expect(p.Card("The rota is ready")).ToContainTextAsync(firstLabel);

        // A member asks for the rota and sees the assignments with their reasons.
        await p.AsAsync("priya");
        await p.SayAsync("rota show");
        var rota = p.Messages("facilitator:").Last;
        await Assertions.Expect(rota).ToContainTextAsync(firstLabel);
        await Assertions.Expect(rota).ToContainTextAsync(secondLabel);
        await Assertions.Expect(rota).ToContainTextAsync("note-taker: Jo");
        await Assertions.Expect(rota).ToContainTextAsync("facilitator: Priya");
        await p.ScreenshotAsync("rota-show.png");

        // Alex can't make their slot and asks Priya, who accepts in her private chat; the request is answered in place.
        // Alex and Sam could both lead or welcome on the first date, so which of the two Alex holds depends on the
        // tie-break (keyed member hashes, generated afresh for each host); the swap works the same for either.
        await p.AsAsync("alex");
        await p.SayAsync("rota swap 1 @Priya");
        await Assertions.Expect(p.PrivateNote("asked Priya")).ToBeVisibleAsync();
        await p.AtAsync("priya", "private");
        var request = p.Message("asks if you could take their");
        await Assertions.Expect(request).ToContainTextAsync(new Regex($@"take their (facilitator|welcomer) slot at Rota Peers on {Regex.Escape(firstLabel)}"));
        var role = Regex.Match(await request.InnerTextAsync(), "take their (facilitator|welcomer) slot").Groups[1].Value;
        await p.ClickAsync(p.Button(request, "I'll take it"));
        await Assertions.Expect(p.Message("You're now the")).ToContainTextAsync($"{role} on {firstLabel}");
        await Assertions.Expect(p.Messages("asks if you could take their")).ToHaveCountAsync(0);
        await p.InAsync("group");
        await Assertions.Expect(p.Card("Rota update")).ToContainTextAsync($"Priya is now the {role} on {firstLabel}, taking over from Alex.");
    }

    /// <summary>"Thu 5 Nov, 18:00 GMT": the date at 18:00 with London's abbreviation that evening (GMT or BST, by the pinned clock's season).</summary>
    private static string Label(DateOnly date)
        => date.ToString("ddd d MMM", CultureInfo.InvariantCulture) + ", 18:00 "
           + LocalDate.FromDateOnly(date).At(new LocalTime(18, 0)).InZoneLeniently(DateTimeZoneProviders.Tzdb["Europe/London"]).GetZoneInterval().Name;
}
