using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace PeerGroupBot.Tests.Playground;

/// <summary>Topic polls in the browser: open, vote on the card as several people, close, read the results.</summary>
[Collection(PlaygroundCollection.Name)]
public sealed class TopicPollBrowserTests(PlaygroundBrowserFixture browser, PlaygroundHostFixture host) : IClassFixture<PlaygroundHostFixture>
{
    [Fact]
    public async Task Members_vote_on_the_card_and_closing_posts_the_results_and_closes_the_card()
    {
        var p = await browser.OpenAsync(host);
        await p.SayAsync("setup Poll Peers");

        await p.SayAsync("poll new \"What should our next session be about?\" Sleep | Boundaries | Winter blues closes in 2 days");
        var id = await PollIdAsync(p);
        var card = p.Card($"Topic poll #{id}");
        await Assertions.Expect(card).ToContainTextAsync("What should our next session be about?");
        await Assertions.Expect(p.Button(card, "2. Boundaries")).ToBeVisibleAsync();

        // Four members vote by clicking the card; each sees a private confirmation in the channel.
        foreach (var (person, option) in new[] { ("alex", "2. Boundaries"), ("sam", "2. Boundaries"), ("priya", "1. Sleep"), ("jo", "2. Boundaries") })
        {
            await p.AsAsync(person);
            await p.ClickAsync(p.Button(p.Card($"Topic poll #{id}"), option));
            await Assertions.Expect(p.PrivateNote($"your vote on poll #{id} is in")).ToContainTextAsync(option[3..]);
        }

        // Priya changes her mind; a double click counts once.
        await p.AsAsync("priya");
        await p.ClickAsync(p.Button(p.Card($"Topic poll #{id}"), "3. Winter blues"));
        await Assertions.Expect(p.PrivateNote("is now")).ToContainTextAsync("Winter blues (it was Sleep)");
        await p.ClickAsync(p.Button(p.Card($"Topic poll #{id}"), "3. Winter blues"));
        await Assertions.Expect(p.PrivateNote("already voted")).ToContainTextAsync("nothing changed");

        // Sam sees the live card (anonymous: how many have voted, counts only at the close) and nobody's private notes.
        await p.AsAsync("sam");
        await Assertions.Expect(p.Card($"Topic poll #{id}")).ToContainTextAsync("Boundaries");
        await Assertions.Expect(p.Card($"Topic poll #{id}")).ToContainTextAsync(new Regex("4 (members|people) (have )?voted"));
        await Assertions.Expect(p.Feed.Locator(".msg.private")).ToHaveCountAsync(1);
        await p.ScreenshotAsync("poll-open.png");

        // Fran closes the poll: the results are posted and the card shows it is closed, with no buttons left.
        await p.AsAsync("fran");
        await p.SayAsync($"poll close {id}");
        var results = p.Card($"Topic poll #{id} has closed");
        await Assertions.Expect(results).ToContainTextAsync("Boundaries");
        await Assertions.Expect(results).ToContainTextAsync("75%");
        var closed = p.Card($"Topic poll #{id} (closed)");
        await Assertions.Expect(closed).ToBeVisibleAsync();
        await Assertions.Expect(closed.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);

        // A member sees the same: the closed card and the results.
        await p.AsAsync("alex");
        await Assertions.Expect(p.Card($"Topic poll #{id} (closed)")).ToBeVisibleAsync();
        await Assertions.Expect(p.Card($"Topic poll #{id} has closed")).ToContainTextAsync("Boundaries");
        await p.ScreenshotAsync("poll-closed.png");

        // The winner reached the agenda of the next session.
        await p.SayAsync("agenda");
        await Assertions.Expect(p.PrivateNote("Boundaries")).ToContainTextAsync("topic poll");
    }

    [Fact]
    public async Task An_approval_poll_votes_with_a_multiple_choice_select()
    {
        var p = await browser.OpenAsync(host);
        await p.SayAsync("setup Approval Peers");
        await p.SayAsync("poll new \"Which activities shall we try?\" Walk | Art | Music | Cooking closes in 3 days mode approval anonymous no");
        const string Select = "Choose every option you'd be happy with";

        await p.AsAsync("alex");
        await p.TickAsync(p.Card("Topic poll #"), Select, "1. Walk", "2. Art");
        await Assertions.Expect(p.PrivateNote("your vote on poll")).ToContainTextAsync("Walk and Art");

        await p.AsAsync("sam");
        await p.TickAsync(p.Card("Topic poll #"), Select, "2. Art", "4. Cooking");
        await Assertions.Expect(p.PrivateNote("your vote on poll")).ToContainTextAsync("Art and Cooking");
        await p.ScreenshotAsync("poll-approval.png");

        await p.AsAsync("fran");
        await p.SayAsync($"poll close {await PollIdAsync(p)}");
        var results = p.Card(new Regex(@"Topic poll #\d+ has closed"));
        await Assertions.Expect(results).ToContainTextAsync("Art");
        await Assertions.Expect(p.Card(new Regex(@"Topic poll #\d+ \(closed\)")).GetByRole(AriaRole.Checkbox)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_ranked_poll_is_ranked_step_by_step_on_a_private_page()
    {
        var p = await browser.OpenAsync(host);
        await p.SayAsync("setup Ranked Peers");
        await p.SayAsync("poll new \"Which first?\" Art | Books | Cooking closes in 2 days mode ranked");
        var id = await PollIdAsync(p);

        // Alex opens a ranking page from the public card; each pick replaces the page, never the card.
        await p.AsAsync("alex");
        await p.ClickAsync(p.Button(p.Card($"Topic poll #{id}"), "Rank my choices"));
        await p.ChooseAsync(p.PrivateNote("Rank your choices"), "Your 1st choice", "2. Books");
        await p.ChooseAsync(p.PrivateNote("Rank your choices"), "Your 2nd choice", "3. Cooking");
        await Assertions.Expect(p.Feed.Locator(".msg.private").Filter(new() { HasText = "Rank your choices" })).ToHaveCountAsync(1);
        await p.ScreenshotAsync("poll-ranking.png");
        await p.ClickAsync(p.Button(p.PrivateNote("Rank your choices"), "Submit my ranking"));
        await Assertions.Expect(p.PrivateNote($"your vote on poll #{id} is in")).ToContainTextAsync("Books > Cooking");

        // The public card is still there for everyone, with its button.
        await Assertions.Expect(p.Button(p.Card($"Topic poll #{id}"), "Rank my choices")).ToBeVisibleAsync();
        await p.AsAsync("sam");
        await Assertions.Expect(p.Card($"Topic poll #{id}")).ToContainTextAsync("1 member has voted");
        await Assertions.Expect(p.Feed.Locator(".msg.private").Filter(new() { HasText = "Rank your choices" })).ToHaveCountAsync(0);

        await p.AsAsync("fran");
        await p.SayAsync($"poll close {id}");
        // One voter is below the anonymity threshold: no winner is shown, since it would be Alex's vote.
        await Assertions.Expect(p.Card($"Topic poll #{id} has closed")).ToContainTextAsync("Not enough votes to show results anonymously");
        await Assertions.Expect(p.Card($"Topic poll #{id} has closed")).Not.ToContainTextAsync("Books");
    }

    /// <summary>The number of the newest topic poll card in the channel.</summary>
    private static async Task<string> PollIdAsync(PlaygroundPage p)
    {
        var title = await p.Card(new Regex(@"^Topic poll #\d+$")).Locator(".title").InnerTextAsync();
        return Regex.Match(title, @"#(\d+)").Groups[1].Value;
    }
}
