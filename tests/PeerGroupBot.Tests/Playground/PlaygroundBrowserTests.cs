using Microsoft.Playwright;

namespace PeerGroupBot.Tests.Playground;

/// <summary>The playground as a person uses it: a real page in headless Chromium talking to the real host.</summary>
[Collection(PlaygroundCollection.Name)]
public sealed class PlaygroundBrowserTests(PlaygroundBrowserFixture browser, PlaygroundHostFixture host) : IClassFixture<PlaygroundHostFixture>
{
    [Fact]
    public async Task Setup_help_and_a_form_work_end_to_end_in_the_browser()
    {
        var p = await browser.OpenAsync(host);

        // Fran, a facilitator, starts the group in the channel.
        await p.SayAsync("setup Browser Peers");
        await Assertions.Expect(p.Feed.GetByText("Welcome, Browser Peers!")).ToBeVisibleAsync();

        // Fran opens the settings form from the button, changes the name and saves.
        await p.ClickAsync(p.Feed.GetByRole(AriaRole.Button, new() { Name = "Edit settings" }).Last);
        await p.FillFormAsync(new Dictionary<string, string> { ["name"] = "Thursday Circle" }, "Save");
        await Assertions.Expect(p.Feed.GetByText("The group is Thursday Circle", new() { Exact = false })).ToBeVisibleAsync();

        // Alex, a member, asks for help and sees member commands only, privately.
        await p.AsAsync("alex");
        await p.SayAsync("help");
        var help = p.PrivateNote("Here's what you can do in Thursday Circle");
        await Assertions.Expect(help).ToBeVisibleAsync();
        await Assertions.Expect(help).Not.ToContainTextAsync("setup link");

        await p.ScreenshotAsync("playground-help.png");

        // Fran does not see Alex's private help.
        await p.AsAsync("fran");
        await Assertions.Expect(p.Feed.GetByText("Welcome, Browser Peers!")).ToBeVisibleAsync();
        await Assertions.Expect(p.Feed.GetByText("Here's what you can do in Thursday Circle")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_unknown_command_gets_a_helpful_answer()
    {
        var p = await browser.OpenAsync(host);
        await p.InAsync("private");
        await p.SayAsync("hepl");
        await Assertions.Expect(p.Message("I don't know the command")).ToContainTextAsync("Did you mean help?");
    }
}
