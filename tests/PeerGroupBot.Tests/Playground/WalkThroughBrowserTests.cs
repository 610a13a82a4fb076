using System.Net;
using System.Text.Json;
using Microsoft.Playwright;

namespace PeerGroupBot.Tests.Playground;

/// <summary>
/// What a new group met first in the playground: news arriving in another place is marked, the facilitators' channel
/// is only for facilitators (on the server, not only on the page), the quick start says when concerns arrive, the page
/// fits a phone, and there is a favicon.
/// </summary>
[Collection(PlaygroundCollection.Name)]
public sealed class WalkThroughBrowserTests(PlaygroundBrowserFixture browser, PlaygroundHostFixture host) : IClassFixture<PlaygroundHostFixture>
{
    [Fact]
    public async Task A_place_with_news_shows_an_unread_badge_until_it_is_opened()
    {
        var p = await browser.OpenAsync(host);
        await p.SayAsync("setup Badge Peers");
        await p.AsAsync("alex");

        // While Alex reads the group channel, the bot answers him in private chat (as a swap request would arrive).
        await p.InAsync("private");
        await p.SayAsync("help");
        await p.InAsync("group");
        await Assertions.Expect(p.Page.GetByTestId("unread-private")).Not.ToBeVisibleAsync(); // he read that answer already

        await SendAsync(p, "alex", "private", "me");
        await Assertions.Expect(p.Page.GetByTestId("unread-private")).ToHaveTextAsync("1");
        await Assertions.Expect(p.Page.GetByTestId("unread-group")).Not.ToBeVisibleAsync();

        // Someone else writes in the group channel while Alex is in private chat.
        await p.InAsync("private");
        await Assertions.Expect(p.Page.GetByTestId("unread-private")).Not.ToBeVisibleAsync();
        await SendAsync(p, "fran", "group", "poll new \"Which day?\" Monday | Friday");
        await Assertions.Expect(p.Page.GetByTestId("unread-group")).ToHaveTextAsync("2"); // Fran's message and the poll card
        await p.InAsync("group");
        await Assertions.Expect(p.Page.GetByTestId("unread-group")).Not.ToBeVisibleAsync();
        await Assertions.Expect(p.Card("Topic poll #1")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Only_facilitators_have_the_facilitators_channel_and_the_server_holds_to_it()
    {
        var p = await browser.OpenAsync(host);
        await p.SayAsync("setup Staff Peers");
        await p.InAsync("staff");
        await p.SayAsync("help");
        await Assertions.Expect(p.PrivateNote("help <topic>")).ToBeVisibleAsync();

        await p.AsAsync("alex");
        await Assertions.Expect(p.Page.GetByTestId("place-staff")).Not.ToBeVisibleAsync();
        await Assertions.Expect(p.Page.Locator("#where")).ToHaveTextAsync("# group channel");

        var refused = await p.Page.APIRequest.PostAsync(host.BaseUrl + "/playground/api/send", new()
        {
            DataObject = new { person = "alex", place = "staff", text = "concern list" },
        });
        Assert.Equal((int)HttpStatusCode.Forbidden, refused.Status);
        Assert.Contains("only for facilitators", await refused.TextAsync());

        var alexFeed = await p.Page.APIRequest.GetAsync(host.BaseUrl + "/playground/api/feed?since=0&person=alex");
        var channels = JsonDocument.Parse(await alexFeed.TextAsync()).RootElement.EnumerateArray().Select(e => e.GetProperty("channel").GetString()).ToList();
        Assert.DoesNotContain("staff-channel", channels);
        var franFeed = await p.Page.APIRequest.GetAsync(host.BaseUrl + "/playground/api/feed?since=0&person=fran");
        Assert.Contains("staff-channel", await franFeed.TextAsync());

        await p.AsAsync("fran");
        await Assertions.Expect(p.Page.GetByTestId("place-staff")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_quick_start_says_when_a_concern_reaches_the_facilitators()
    {
        var p = await browser.OpenAsync(host);
        await Assertions.Expect(p.Page.GetByTestId("concern-delay"))
            .ToHaveTextAsync("An anonymous concern reaches the facilitators' channel in 2 to 10 minutes (a random delay, so its timing can't point to who raised it; urgent ones at once).");
    }

    [Theory]
    [InlineData(360)]
    [InlineData(390)]
    public async Task The_page_fits_a_phone_and_works_there(int width)
    {
        var p = await browser.OpenAsync(host, width, 780);

        Assert.True(await p.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "The page is wider than the screen.");
        await Assertions.Expect(p.Page.GetByTestId("composer")).ToBeInViewportAsync();
        await Assertions.Expect(p.Page.GetByTestId("person-sam")).ToBeInViewportAsync();
        await Assertions.Expect(p.Page.GetByTestId("place-private")).ToBeInViewportAsync();
        await p.AsAsync("sam");
        await p.SayAsync("help");
        await Assertions.Expect(p.PrivateNote("help <topic>")).ToBeVisibleAsync();
        var box = await p.PrivateNote("help <topic>").BoundingBoxAsync();
        Assert.True(box!.X >= 0 && box.X + box.Width <= width, $"The answer runs off the screen: {box.X} + {box.Width} > {width}.");
        Assert.True(await p.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "The page became wider than the screen.");
        await p.ScreenshotAsync($"playground-phone-{width}.png");
    }

    [Fact]
    public async Task The_page_has_a_favicon_and_asks_for_nothing_that_is_missing()
    {
        var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var missing = new List<string>();
        page.Response += (_, response) => { if (response.Status >= 400) missing.Add($"{response.Status} {response.Url}"); };

        await page.GotoAsync(host.BaseUrl + "/playground");
        await Assertions.Expect(page.GetByTestId("person-fran")).ToBeVisibleAsync();

        var icon = await page.Locator("link[rel=icon]").GetAttributeAsync("href");
        Assert.StartsWith("data:image/svg+xml,", icon);
        Assert.Empty(missing);
        await context.CloseAsync();
    }

    private static async Task SendAsync(PlaygroundPage p, string person, string place, string text)
    {
        var response = await p.Page.APIRequest.PostAsync(p.Page.Url.Split("/playground")[0] + "/playground/api/send", new() { DataObject = new { person, place, text } });
        Assert.True(response.Ok, await response.TextAsync());
    }
}
