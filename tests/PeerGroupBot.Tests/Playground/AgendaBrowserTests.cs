using Microsoft.Playwright;

namespace PeerGroupBot.Tests.Playground;

/// <summary>The agenda in the browser: members add items (named and anonymous), the facilitator posts it, posting again updates the same message.</summary>
[Collection(PlaygroundCollection.Name)]
public sealed class AgendaBrowserTests(PlaygroundBrowserFixture browser, PlaygroundHostFixture host) : IClassFixture<PlaygroundHostFixture>
{
    private const string AgendaTitle = "Agenda Peers: agenda for the next session";

    [Fact]
    public async Task Members_add_items_and_posting_twice_updates_one_agenda_message()
    {
        var p = await browser.OpenAsync(host);
        await p.SayAsync("setup Agenda Peers");

        // Named items, typed in the channel.
        await p.AsAsync("alex");
        await p.SayAsync("agenda add Check-in round 15m");
        await Assertions.Expect(p.PrivateNote("Check-in round")).ToBeVisibleAsync();
        await p.AsAsync("sam");
        await p.SayAsync("agenda add Plans for the summer");

        // Typing an anonymous item in the channel would show the name, so it is refused with a way forward.
        await p.AsAsync("priya");
        await p.SayAsync("agenda add anon I feel unheard");
        await Assertions.Expect(p.PrivateNote("I haven't added that")).ToContainTextAsync("private chat");
        // Priya sends it privately instead.
        await p.InAsync("private");
        await p.SayAsync("agenda add anon Feeling unheard lately 20m");
        await Assertions.Expect(p.Message("Feeling unheard lately")).ToBeVisibleAsync();
        await Assertions.Expect(p.Button(p.Feed.Locator(".msg").Last, "Take it back")).ToBeVisibleAsync();

        // Jo uses the form from the channel and chooses not to show their name.
        await p.AtAsync("jo", "group");
        await p.SayAsync("agenda add");
        await Assertions.Expect(p.Dialog).ToContainTextAsync("Add to the agenda");
        await p.ScreenshotAsync("agenda-form.png");
        await p.FillFormAsync(new Dictionary<string, string>
        {
            ["text"] = "Tea and biscuits budget",
            ["minutes"] = "10",
            ["show"] = "No, add it anonymously",
        }, "Add");
        await Assertions.Expect(p.PrivateNote("Tea and biscuits budget")).ToBeVisibleAsync();

        // Fran posts the agenda: names, "a member" for anonymous items, time boxes.
        await p.AsAsync("fran");
        await p.SayAsync("agenda post");
        var agenda = p.Card(AgendaTitle);
        await Assertions.Expect(agenda).ToContainTextAsync("Check-in round (15 min) — Alex");
        await Assertions.Expect(agenda).ToContainTextAsync("Plans for the summer — Sam");
        await Assertions.Expect(agenda).ToContainTextAsync("Feeling unheard lately (20 min) — a member");
        await Assertions.Expect(agenda).ToContainTextAsync("Tea and biscuits budget (10 min) — a member");
        await Assertions.Expect(agenda).Not.ToContainTextAsync("Priya");
        await Assertions.Expect(agenda).Not.ToContainTextAsync("Jo");

        // Alex adds one more with the button on the posted agenda.
        await p.AsAsync("alex");
        await p.ClickAsync(p.Button(p.Card(AgendaTitle), "Add an item"));
        await p.FillFormAsync(new Dictionary<string, string> { ["text"] = "Sharing good news" }, "Add");

        // Posting again updates the message already posted: still one agenda in the channel, now with the new item.
        await p.AsAsync("fran");
        await p.SayAsync("agenda post");
        await Assertions.Expect(p.PrivateNote("Updated the agenda already posted")).ToBeVisibleAsync();
        await Assertions.Expect(p.Card(AgendaTitle)).ToContainTextAsync("Sharing good news — Alex");
        await Assertions.Expect(p.Feed.Locator(".msg:not(.private)").Filter(new() { HasText = AgendaTitle })).ToHaveCountAsync(1);

        // A member sees the same single, updated agenda.
        await p.AsAsync("sam");
        await Assertions.Expect(p.Feed.Locator(".msg:not(.private)").Filter(new() { HasText = AgendaTitle })).ToHaveCountAsync(1);
        await Assertions.Expect(p.Card(AgendaTitle)).ToContainTextAsync("Sharing good news — Alex");
        await p.ScreenshotAsync("agenda-posted.png");
    }
}
