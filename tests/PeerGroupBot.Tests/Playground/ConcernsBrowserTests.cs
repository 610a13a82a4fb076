using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace PeerGroupBot.Tests.Playground;

/// <summary>
/// A host whose concerns reach the facilitators at once: the random delay that hides who raised a concern runs on
/// real time in the playground, so the test sets both of its bounds to zero minutes (the options allow it).
/// </summary>
public sealed class ConcernsPlaygroundHostFixture : PlaygroundHostFixture
{
    protected override IEnumerable<string> Settings =>
        ["--Concerns:PostDelayMinMinutes", "0", "--Concerns:PostDelayMaxMinutes", "0"];
}

/// <summary>Anonymous concerns in the browser: raised in private chat, triaged in the facilitators' channel without the reporter's name, replied to both ways.</summary>
[Collection(PlaygroundCollection.Name)]
public sealed class ConcernsBrowserTests(PlaygroundBrowserFixture browser, ConcernsPlaygroundHostFixture host) : IClassFixture<ConcernsPlaygroundHostFixture>
{
    [Fact]
    public async Task A_member_raises_a_concern_privately_and_the_facilitators_reply_without_learning_who()
    {
        var p = await browser.OpenAsync(host);
        await p.SayAsync("setup Concern Peers");

        // Fran gets a code in the group channel and redeems it in the facilitators' private channel.
        await p.SayAsync("setup concerns");
        var codeNote = p.PrivateNote("setup concerns ");
        await Assertions.Expect(codeNote).ToContainTextAsync(new Regex("[A-Z0-9]{8}"));
        var code = Regex.Match(await codeNote.InnerTextAsync(), @"\b[A-Z0-9]{8}\b").Value;
        await p.InAsync("staff");
        await p.SayAsync($"setup concerns {code}");
        await Assertions.Expect(p.Message("will arrive in this channel")).ToBeVisibleAsync();

        // Sam, a member of the group, raises a concern through the form in private chat.
        await p.AtAsync("sam", "group");
        await p.SayAsync("help");
        await p.InAsync("private");
        await p.SayAsync("concern");
        await Assertions.Expect(p.Dialog).ToContainTextAsync("Concern for Concern Peers");
        await Assertions.Expect(p.Dialog.Locator("[data-field=replies] option:checked")).ToHaveTextAsync("Choose…");
        await p.ScreenshotAsync("concern-form.png");
        await p.FillFormAsync(new Dictionary<string, string>
        {
            ["text"] = "The room was too cold and nobody listened when I said so.",
            ["category"] = "Something in a session",
            ["replies"] = "Yes, they may reply to me privately",
        }, "Send anonymously");
        await Assertions.Expect(p.Message("Concern #1 sent anonymously")).ToBeVisibleAsync();

        // Nothing shows in the group channel.
        await p.InAsync("group");
        await Assertions.Expect(p.Feed).Not.ToContainTextAsync("too cold");

        // The card reaches the facilitators' channel, without Sam's name.
        await p.AtAsync("fran", "staff");
        var card = p.Card("Concern #1 (anonymous)");
        await Assertions.Expect(card).ToContainTextAsync("The room was too cold");
        await Assertions.Expect(card).ToContainTextAsync("Something in a session");
        await Assertions.Expect(p.Feed).Not.ToContainTextAsync("Sam");

        // Fran acknowledges (the card changes in place) and replies through the form.
        await p.ClickAsync(p.Button(card, "Acknowledge"));
        await Assertions.Expect(p.Card("Concern #1 (anonymous)")).ToContainTextAsync("acknowledged by Fran");
        await Assertions.Expect(p.Button(p.Card("Concern #1 (anonymous)"), "Acknowledge")).ToHaveCountAsync(0);
        await p.ClickAsync(p.Button(p.Card("Concern #1 (anonymous)"), "Reply"));
        await p.FillFormAsync(new Dictionary<string, string> { ["text"] = "Thank you for telling us. We'll ask the venue to fix the heating." }, "Send privately");
        await Assertions.Expect(p.PrivateNote("on its way")).ToBeVisibleAsync();
        await Assertions.Expect(p.Feed.Locator(".msg:not(.private)").Filter(new() { HasText = "Concern #1" })).ToHaveCountAsync(1);
        await p.ScreenshotAsync("concern-staff.png");

        // The reply reaches Sam's private chat as from "the facilitators", and Sam answers back.
        await p.AtAsync("sam", "private");
        var reply = p.Message("Reply from the facilitators about your concern #1");
        await Assertions.Expect(reply).ToContainTextAsync("fix the heating");
        await Assertions.Expect(reply).Not.ToContainTextAsync("Fran");
        await p.ClickAsync(p.Button(reply, "Answer"));
        await p.FillFormAsync(new Dictionary<string, string> { ["text"] = "Thanks, that would help a lot." }, "Send anonymously");
        await Assertions.Expect(p.Message("will reach the facilitators")).ToBeVisibleAsync();
        await p.ScreenshotAsync("concern-member.png");

        // The answer reaches the facilitators, still anonymous.
        await p.AtAsync("fran", "staff");
        await Assertions.Expect(p.Card("Concern #1 (anonymous): the member answered")).ToContainTextAsync("that would help a lot");
        await Assertions.Expect(p.Feed).Not.ToContainTextAsync("Sam");
    }
}
