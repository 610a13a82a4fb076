using System.Globalization;
using Microsoft.Playwright;
using NodaTime;

namespace PeerGroupBot.Tests.Playground;

/// <summary>Sessions in the browser: a facilitator sets the schedule, members see the next session and say whether they're coming.</summary>
[Collection(PlaygroundCollection.Name)]
public sealed class SessionsBrowserTests(PlaygroundBrowserFixture browser, PlaygroundHostFixture host) : IClassFixture<PlaygroundHostFixture>
{
    [Fact]
    public async Task Members_see_the_next_session_and_their_answers_update_the_counts()
    {
        var p = await browser.OpenAsync(host);
        await p.SayAsync("setup Session Peers");

        // Fran sets a weekly schedule; the group is told in the channel.
        await p.SayAsync("session schedule weekly tuesday 18:30 90m \"Zoom link\"");
        await Assertions.Expect(p.Feed.Locator(".msg:not(.private):not(.human)").Filter(new() { HasText = "every Tuesday, 18:30–20:00 (Europe/London time, 90 minutes), at Zoom link" })).ToBeVisibleAsync();

        // Alex asks for the next session and says they're going.
        await p.AsAsync("alex");
        await p.SayAsync("session next");
        var card = p.Feed.Locator(".msg").Filter(new() { Has = p.Page.Locator(".title", new() { HasText = "Next session: Tuesday" }) }).Last;
        await Assertions.Expect(card).ToContainTextAsync($"When: {NextTuesday()}, 18:30–20:00 {NextTuesdayZone()} (Europe/London time)");
        await Assertions.Expect(card).ToContainTextAsync("Where: Zoom link");
        await Assertions.Expect(card).ToContainTextAsync("0 going · 0 maybe · 0 not going");
        await p.ClickAsync(p.Button(card, "Going"));
        await Assertions.Expect(card).ToContainTextAsync("1 going · 0 maybe · 0 not going");
        await Assertions.Expect(p.PrivateNote("You're down as")).ToContainTextAsync("going");
        await p.ScreenshotAsync("session-next.png");

        // Sam sees Alex's answer counted (never who) and answers maybe; a second click of the same answer changes nothing.
        await p.AsAsync("sam");
        await p.SayAsync("session next");
        var samsCard = p.Feed.Locator(".msg").Filter(new() { Has = p.Page.Locator(".title", new() { HasText = "Next session: Tuesday" }) }).Last;
        await Assertions.Expect(samsCard).ToContainTextAsync("1 going · 0 maybe · 0 not going");
        await Assertions.Expect(samsCard).Not.ToContainTextAsync("Alex");
        await p.ClickAsync(p.Button(samsCard, "Maybe"));
        await Assertions.Expect(samsCard).ToContainTextAsync("1 going · 1 maybe · 0 not going");
        await p.ClickAsync(p.Button(samsCard, "Maybe"));
        await Assertions.Expect(samsCard).ToContainTextAsync("1 going · 1 maybe · 0 not going");

        // Alex changes their mind.
        await p.AsAsync("alex");
        await p.SayAsync("session next");
        var again = p.Feed.Locator(".msg").Filter(new() { Has = p.Page.Locator(".title", new() { HasText = "Next session: Tuesday" }) }).Last;
        await Assertions.Expect(again).ToContainTextAsync("1 going · 1 maybe · 0 not going");
        await p.ClickAsync(p.Button(again, "Not going"));
        await Assertions.Expect(again).ToContainTextAsync("0 going · 1 maybe · 1 not going");
        await Assertions.Expect(p.PrivateNote("You're down as")).ToContainTextAsync("not going");

        // Jo, who hasn't asked for the card, sees none of the private cards.
        await p.AsAsync("jo");
        await Assertions.Expect(p.Feed.GetByText("Next session: Tuesday")).ToHaveCountAsync(0);
    }

    /// <summary>"Tuesday 20 May": the first Tuesday after today in the group's zone, by the host's pinned clock (never a Tuesday itself).</summary>
    /// <summary>London's abbreviation at 18:30 on the next Tuesday: GMT or BST by the pinned clock's season.</summary>
    private string NextTuesdayZone()
    {
        var london = DateTimeZoneProviders.Tzdb["Europe/London"];
        var today = host.Clock.GetCurrentInstant().InZone(london).Date;
        return today.With(DateAdjusters.Next(IsoDayOfWeek.Tuesday)).At(new LocalTime(18, 30)).InZoneLeniently(london).GetZoneInterval().Name;
    }

    private string NextTuesday()
    {
        var today = host.Clock.GetCurrentInstant().InZone(DateTimeZoneProviders.Tzdb["Europe/London"]).Date;
        Assert.NotEqual(IsoDayOfWeek.Tuesday, today.DayOfWeek); // on a Tuesday the next session could be today's or next week's
        return today.With(DateAdjusters.Next(IsoDayOfWeek.Tuesday)).ToString("dddd d MMMM", CultureInfo.InvariantCulture);
    }
}
