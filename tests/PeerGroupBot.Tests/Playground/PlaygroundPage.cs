using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace PeerGroupBot.Tests.Playground;

/// <summary>
/// The playground as a person uses it: pick who you are and where you are talking, type, click, fill forms, read
/// the feed. Every action that reaches the bot waits for the bot's answer, so a test reads like a conversation.
/// </summary>
public sealed class PlaygroundPage(IPage page)
{
    public IPage Page => page;

    /// <summary>What the current person sees in the current place.</summary>
    public ILocator Feed => page.GetByTestId("feed");

    /// <summary>The form dialog (a Discord modal, an Adaptive Card form).</summary>
    public ILocator Dialog => page.GetByTestId("form-dialog");

    public async Task WaitUntilReadyAsync()
    {
        await Assertions.Expect(page.GetByTestId("person-fran")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#whoami")).ToContainTextAsync("Fran");
    }

    /// <summary>Become one of the sample people: fran (facilitator), alex, sam, priya, jo.</summary>
    public async Task AsAsync(string person)
    {
        await page.GetByTestId($"person-{person}").CheckAsync();
        await Assertions.Expect(page.Locator("#whoami")).ToContainTextAsync(char.ToUpperInvariant(person[0]) + person[1..]);
    }

    /// <summary>Talk in a place: group (the group channel), staff (the facilitators' private channel), private (chat with the bot).</summary>
    public Task InAsync(string place) => page.GetByTestId($"place-{place}").CheckAsync();

    public async Task AtAsync(string person, string place)
    {
        await AsAsync(person);
        await InAsync(place);
    }

    /// <summary>Types a message and waits until the bot has answered it.</summary>
    public async Task SayAsync(string text)
    {
        await page.GetByTestId("composer").FillAsync(text);
        await SendingAsync(() => page.GetByTestId("composer").PressAsync("Enter"));
        await Assertions.Expect(Feed.Locator(".msg.human").Filter(new() { HasText = text }).Last).ToBeVisibleAsync();
    }

    /// <summary>Clicks a button (on a card or in a form) that talks to the bot, and waits for the answer.</summary>
    public Task ClickAsync(ILocator button) => SendingAsync(() => button.ClickAsync());

    /// <summary>Chooses one option in a select on a card (it sends at once).</summary>
    public Task ChooseAsync(ILocator message, string selectName, string label)
        => SendingAsync(() => message.GetByRole(AriaRole.Combobox, new() { Name = selectName }).SelectOptionAsync(new SelectOptionValue { Label = label }));

    /// <summary>Ticks exactly <paramref name="labels"/> in a several-choice list on a card and submits them.</summary>
    public async Task TickAsync(ILocator message, string groupName, params string[] labels)
    {
        var group = await TickOnlyAsync(message, groupName, labels);
        await ClickAsync(group.GetByRole(AriaRole.Button, new() { Name = "Submit choices" }));
    }

    /// <summary>Ticks exactly <paramref name="labels"/> in one group of checkboxes and sends nothing (a form with one submit for all).</summary>
    public async Task<ILocator> TickOnlyAsync(ILocator message, string groupName, params string[] labels)
    {
        var group = message.GetByRole(AriaRole.Group, new() { Name = groupName });
        foreach (var box in await group.GetByRole(AriaRole.Checkbox).AllAsync())
            await box.SetCheckedAsync(false);
        foreach (var label in labels)
            await group.GetByRole(AriaRole.Checkbox, new() { Name = label, Exact = true }).CheckAsync();
        return group;
    }

    /// <summary>Runs an action and waits for the page's request to the bot to be answered.</summary>
    public async Task SendingAsync(Func<Task> action)
    {
        var response = await page.RunAndWaitForResponseAsync(action, r => r.Url.Contains("/playground/api/send", StringComparison.Ordinal));
        Assert.True(response.Ok, $"The playground answered {response.Status}: {await response.TextAsync()}");
    }

    /// <summary>Messages in the feed holding <paramref name="text"/>.</summary>
    public ILocator Messages(string text) => Feed.Locator(".msg").Filter(new() { HasText = text });

    public ILocator Messages(Regex text) => Feed.Locator(".msg").Filter(new() { HasTextRegex = text });

    /// <summary>The latest message holding <paramref name="text"/>.</summary>
    public ILocator Message(string text) => Messages(text).Last;

    /// <summary>Bot messages everyone in the place sees (cards, results), by the start of their title.</summary>
    public ILocator Card(string titleStart)
        => Card(new Regex("^" + Regex.Escape(titleStart)));

    public ILocator Card(Regex title)
        => Feed.Locator(".msg:not(.private):not(.human)").Filter(new() { Has = page.Locator(".title").Filter(new() { HasTextRegex = title }) }).Last;

    /// <summary>Messages of the bot that only the current person can see, holding <paramref name="text"/>.</summary>
    public ILocator PrivateNote(string text) => Feed.Locator(".msg.private").Filter(new() { HasText = text }).Last;

    public ILocator Button(ILocator message, string name) => message.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    /// <summary>Fills the open form dialog (field id → value; a choice field takes the choice's label) and submits it.</summary>
    public async Task FillFormAsync(IReadOnlyDictionary<string, string> values, string submit)
    {
        await Assertions.Expect(Dialog).ToBeVisibleAsync();
        foreach (var (field, value) in values)
        {
            var input = Dialog.Locator($"[data-field=\"{field}\"]");
            if (await input.EvaluateAsync<string>("e => e.tagName") == "SELECT")
            {
                // A choice is picked by the start of its label (the page adds the choice's description after a dash).
                var labels = await input.Locator("option").AllTextContentsAsync();
                var label = labels.FirstOrDefault(l => l.StartsWith(value, StringComparison.Ordinal))
                    ?? throw new InvalidOperationException($"No choice \"{value}\" in field {field}: {string.Join(" | ", labels)}");
                await input.SelectOptionAsync(new SelectOptionValue { Label = label });
            }
            else
                await input.FillAsync(value);
        }
        await ClickAsync(Dialog.GetByRole(AriaRole.Button, new() { Name = submit, Exact = true }));
        await Assertions.Expect(Dialog).Not.ToBeVisibleAsync();
    }

    /// <summary>Saves a full-page screenshot when PGB_SCREENSHOTS names a folder, so a person can look at the page.</summary>
    public async Task ScreenshotAsync(string name)
    {
        var folder = Environment.GetEnvironmentVariable("PGB_SCREENSHOTS");
        if (string.IsNullOrEmpty(folder)) return;
        await Feed.EvaluateAsync("f => f.scrollTop = f.scrollHeight");
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name), FullPage = true });
    }
}
