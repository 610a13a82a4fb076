using Microsoft.Playwright;

namespace PeerGroupBot.Tests.Playground;

/// <summary>The playground as a person uses it: a real page in headless Chromium talking to the real host.</summary>
[Collection(PlaygroundCollection.Name)]
public sealed class PlaygroundBrowserTests(PlaygroundBrowserFixture fixture)
{
    private static ILocator Feed(IPage page) => page.GetByTestId("feed");

    private static async Task SayAsync(IPage page, string text)
    {
        await page.GetByTestId("composer").FillAsync(text);
        await page.GetByTestId("composer").PressAsync("Enter");
    }

    /// <summary>Saves a screenshot when PGB_SCREENSHOTS names a folder, so a person can look at the page.</summary>
    private static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var folder = Environment.GetEnvironmentVariable("PGB_SCREENSHOTS");
        if (!string.IsNullOrEmpty(folder)) await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name), FullPage = true });
    }

    [Fact]
    public async Task Setup_help_and_a_form_work_end_to_end_in_the_browser()
    {
        var page = await fixture.NewPageAsync();

        // Fran, a facilitator, starts the group in the channel.
        await SayAsync(page, "setup Browser Peers");
        await Assertions.Expect(Feed(page).GetByText("Welcome, Browser Peers!")).ToBeVisibleAsync();

        // Fran opens the settings form from the button, changes the name and saves.
        await Feed(page).GetByRole(AriaRole.Button, new() { Name = "Edit settings" }).Last.ClickAsync();
        var dialog = page.GetByTestId("form-dialog");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await dialog.Locator("[data-field=name]").FillAsync("Thursday Circle");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(Feed(page).GetByText("The group is Thursday Circle", new() { Exact = false })).ToBeVisibleAsync();

        // Alex, a member, asks for help and sees member commands only, privately.
        await page.GetByTestId("person-alex").CheckAsync();
        await SayAsync(page, "help");
        var help = Feed(page).Locator(".msg.private").Filter(new() { HasText = "Here's what you can do in Thursday Circle" });
        await Assertions.Expect(help).ToBeVisibleAsync();
        await Assertions.Expect(help).Not.ToContainTextAsync("setup link");

        await SaveScreenshotAsync(page, "playground-help.png");

        // Fran does not see Alex's private help.
        await page.GetByTestId("person-fran").CheckAsync();
        await Assertions.Expect(Feed(page).GetByText("Welcome, Browser Peers!")).ToBeVisibleAsync();
        await Assertions.Expect(Feed(page).GetByText("Here's what you can do in Thursday Circle")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_unknown_command_gets_a_helpful_answer()
    {
        var page = await fixture.NewPageAsync();
        await page.GetByTestId("place-private").CheckAsync();
        await SayAsync(page, "hepl");
        var answer = Feed(page).Locator(".msg").Filter(new() { HasText = "I don't know the command" });
        await Assertions.Expect(answer).ToContainTextAsync("Did you mean help?");
    }
}
