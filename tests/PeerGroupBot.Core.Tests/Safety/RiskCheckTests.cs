using NodaTime;
using PeerGroupBot.Core.Concerns;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Safety;
using PeerGroupBot.Core.Tests.Agenda;
using PeerGroupBot.Core.Tests.Concerns;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Safety;

/// <summary>
/// The router's risk check on every text a member sends: crisis contacts privately at once, nothing reaching a channel,
/// channel-bound words held until the member chooses, concern forms still marked urgent, and free text answered kindly.
/// </summary>
public class RiskCheckTests
{
    private static BotReply Crisis(IReadOnlyList<BotReply> replies)
    {
        var reply = Assert.Single(replies);
        Assert.Equal(CrisisReply.Title, reply.Title);
        Assert.Equal(ReplyVisibility.Private, reply.Visibility);
        Assert.Equal(ReplyTone.Urgent, reply.Tone);
        Assert.Contains("Samaritans", reply.Text);
        Assert.Contains("116 123", reply.Text);
        Assert.Contains("not a clinician", reply.Text);
        Assert.Contains(reply.Buttons, b => b.ActionId == "concern:support");
        Assert.Contains(reply.Buttons, b => b.ActionId.StartsWith("concern:held:", StringComparison.Ordinal));
        return reply;
    }

    private static string HeldId(BotReply crisis)
        => crisis.Buttons.Single(b => b.ActionId.StartsWith("concern:held:", StringComparison.Ordinal)).ActionId["concern:held:".Length..];

    [Theory]
    [InlineData("I feel suicidal")]
    [InlineData("i want to die")]
    [InlineData("I don't want to be here anymore and I have been thinking about ending it.")]
    [InlineData("my partner hits me")]
    [InlineData("help me i want to kill myself")]
    public async Task Free_text_in_private_chat_that_suggests_risk_gets_crisis_contacts_not_a_command_error(string text)
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();
        var crisis = Crisis(await bot.SendAsync(Alex, PrivateOf(Alex), text));
        Assert.DoesNotContain("command", crisis.Text);
        Assert.DoesNotContain(crisis.Buttons, b => b.Label == "Add it as written");
        Assert.Empty(bot.Playground.Posts);
    }

    [Fact]
    public async Task A_message_too_long_to_act_on_that_suggests_risk_still_gets_crisis_contacts_and_nothing_is_posted()
    {
        await using var bot = ConcernKit.NewBot();
        await bot.SetupWithConcernsChannelAsync();
        var story = string.Concat(Enumerable.Repeat("It has been a long week and I have been writing this down for a while. ", 60));
        var text = $"agenda add {story} Honestly I want to die.";
        Assert.True(text.Length > ConversationRouter.MaxTextLength);
        var postsBefore = bot.Playground.Posts.Count();

        var crisis = Crisis(await bot.SendAsync(Alex, text)); // in the group channel
        Assert.DoesNotContain("longer than I can take", crisis.Text);
        Assert.Equal(postsBefore, bot.Playground.Posts.Count());
        Assert.Empty(bot.StaffPosts());
        // The concern button opens the form with the words (as much of them as a concern can hold).
        var form = Assert.Single(await bot.ClickAsync(Alex, $"concern:held:{HeldId(crisis)}", PrivateOf(Alex))).Form;
        Assert.NotNull(form);
        Assert.StartsWith("agenda add It has been a long week", form.Fields.Single(f => f.Id == "text").Value);

        // Too long and nothing suggesting risk: the usual refusal.
        var plain = Assert.Single(await bot.SendAsync(Alex, "agenda add " + story));
        Assert.Contains("longer than I can take", plain.Text);
    }

    [Fact]
    public async Task The_concern_button_opens_the_form_pre_filled_and_nothing_is_sent_until_the_member_submits()
    {
        await using var bot = ConcernKit.NewBot();
        await bot.SetupWithConcernsChannelAsync();
        var crisis = Crisis(await bot.SendAsync(Alex, PrivateOf(Alex), "i dont want to live anymore"));
        Assert.Empty(bot.StaffPosts());

        var form = Assert.Single(await bot.ClickAsync(Alex, $"concern:held:{HeldId(crisis)}", PrivateOf(Alex))).Form;
        Assert.NotNull(form);
        Assert.Equal("i dont want to live anymore", form.Fields.Single(f => f.Id == "text").Value);
        Assert.Empty(bot.StaffPosts());

        var sent = await bot.SubmitAsync(Alex, form.ActionId, new Dictionary<string, string> { ["text"] = "i dont want to live anymore", ["replies"] = "no" }, PrivateOf(Alex));
        Assert.Contains(sent, r => r.Tone == ReplyTone.Urgent && r.Text.Contains("116 123"));
        var card = Assert.Single(bot.StaffPosts()).Reply;
        Assert.Contains("urgent", card.Text, StringComparison.OrdinalIgnoreCase);

        // The held words are gone once used: the button cannot open them again.
        var again = Assert.Single(await bot.ClickAsync(Alex, $"concern:held:{HeldId(crisis)}", PrivateOf(Alex)));
        Assert.Null(again.Form);
        Assert.Contains("expired", again.Text);
    }

    [Fact]
    public async Task An_agenda_item_that_suggests_risk_is_held_privately_and_added_only_when_the_member_says_so()
    {
        await using var bot = await AgendaBots.StartAsync();
        var crisis = Crisis(await bot.SendAsync(Alex, "agenda add I can't go on like this, I want to end it all"));
        Assert.Contains(crisis.Buttons, b => b.Label == "Add it as written");
        Assert.Contains(crisis.Buttons, b => b.Label == "Drop it");
        Assert.Empty(bot.Playground.Posts);
        Assert.DoesNotContain("end it all", await bot.TextAsync(Sam, "agenda"));
        // Held sealed: no stored document holds the words.
        Assert.DoesNotContain(await bot.DumpStoreAsync(), d => d.Text.Contains("end it all", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(bot.Logs.Lines, l => l.Contains("end it all", StringComparison.OrdinalIgnoreCase));

        var add = crisis.Buttons.Single(b => b.Label == "Add it as written").ActionId;
        var done = await bot.ClickAsync(Alex, add, PrivateOf(Alex));
        Assert.All(done, r => Assert.Equal(ReplyVisibility.Private, r.Visibility));
        Assert.Contains(done, r => r.Text.Contains("as you wrote it"));
        Assert.Contains("I can't go on like this, I want to end it all — Alex", await bot.TextAsync(Sam, "agenda"));

        // A second click (or someone else's) finds nothing held.
        Assert.Contains("expired", Assert.Single(await bot.ClickAsync(Alex, add, PrivateOf(Alex))).Text);
    }

    [Fact]
    public async Task Dropping_held_words_adds_nothing_and_keeps_nothing_and_nobody_else_can_release_them()
    {
        await using var bot = await AgendaBots.StartAsync();
        var crisis = Crisis(await bot.SendAsync(Alex, "agenda add im going to kill myself"));
        var add = crisis.Buttons.Single(b => b.Label == "Add it as written").ActionId;
        var drop = crisis.Buttons.Single(b => b.Label == "Drop it").ActionId;

        Assert.Contains("expired", Assert.Single(await bot.ClickAsync(Sam, add)).Text);
        Assert.Contains("Dropped", Assert.Single(await bot.ClickAsync(Alex, drop)).Text);
        Assert.DoesNotContain("kill myself", await bot.TextAsync(Sam, "agenda"));
        Assert.DoesNotContain(await bot.DumpStoreAsync(), d => d.Key.StartsWith("safety/", StringComparison.Ordinal));
        Assert.Contains("expired", Assert.Single(await bot.ClickAsync(Alex, add)).Text);
    }

    [Fact]
    public async Task Held_words_are_deleted_when_the_member_does_not_choose_within_the_hour()
    {
        await using var bot = await AgendaBots.StartAsync();
        var crisis = Crisis(await bot.SendAsync(Alex, "agenda add nobody would care if i died"));
        Assert.Contains(await bot.DumpStoreAsync(), d => d.Key.StartsWith("safety/held/", StringComparison.Ordinal));

        await bot.AdvanceAsync(Duration.FromMinutes(61));
        Assert.DoesNotContain(await bot.DumpStoreAsync(), d => d.Key.StartsWith("safety/", StringComparison.Ordinal));
        var add = crisis.Buttons.Single(b => b.Label == "Add it as written").ActionId;
        Assert.Contains("expired", Assert.Single(await bot.ClickAsync(Alex, add)).Text);
        Assert.DoesNotContain("care if i died", await bot.TextAsync(Sam, "agenda"));
    }

    [Fact]
    public async Task Form_values_are_checked_too_so_a_poll_option_is_held_before_the_poll_opens()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();
        var form = Assert.Single(await bot.SendAsync(Alex, "poll new")).Form;
        Assert.NotNull(form);
        var values = form.Fields.ToDictionary(f => f.Id, f => f.Value ?? "");
        values["question"] = "What next?";
        values["options"] = "Sleep\nim self harming again";
        Crisis(await bot.SubmitAsync(Alex, form.ActionId, values));
        Assert.Empty(bot.Playground.Posts);
        Assert.Contains("No polls are open", (await bot.SendAsync(Alex, "poll list")).Single().Text);
    }

    [Fact]
    public async Task A_concern_typed_in_the_channel_gets_crisis_contacts_privately_and_the_form_pre_filled_on_request()
    {
        await using var bot = ConcernKit.NewBot();
        await bot.SetupWithConcernsChannelAsync();
        var crisis = Crisis(await bot.SendAsync(Alex, "concern Someone in the group is hurting me and I feel unsafe"));
        Assert.Empty(bot.Playground.Posts);
        var form = Assert.Single(await bot.ClickAsync(Alex, $"concern:held:{HeldId(crisis)}")).Form;
        Assert.Equal("Someone in the group is hurting me and I feel unsafe", form!.Fields.Single(f => f.Id == "text").Value);
    }

    [Fact]
    public async Task A_concern_form_that_suggests_risk_is_still_raised_urgent_and_alerts_the_safeguarding_lead()
    {
        await using var bot = ConcernKit.NewBot();
        await bot.SetupWithConcernsChannelAsync();
        await bot.SendAsync(Fran, "concern lead add @Priya", new Mention(Priya.MemberId, Priya.DisplayName));
        var replies = await bot.RaiseAsync(Sam, "I don't want to be here anymore and I have been thinking about ending it.");
        Assert.Contains(replies, r => r.Tone == ReplyTone.Urgent && r.Text.Contains("116 123"));
        Assert.Contains(replies, r => r.Text.Contains("marked it urgent"));
        Assert.Single(bot.StaffPosts());
        Assert.Single(bot.Playground.PrivatesTo(Priya.MemberId));
    }

    [Fact]
    public async Task Facilitators_writing_crisis_contacts_are_not_treated_as_at_risk()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();
        var saved = Assert.Single(await bot.SendAsync(Fran, "concern support set If you feel suicidal or want to hurt yourself, call Samaritans on 116 123."));
        Assert.Equal(ReplyTone.Success, saved.Tone);
    }

    [Fact]
    public async Task The_groups_own_crisis_contacts_are_shown()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();
        await bot.SendAsync(Fran, "concern support set Call our duty worker on 0800 000 0000, any time.");
        var reply = Assert.Single(await bot.SendAsync(Alex, "i want to kms"));
        Assert.Contains("0800 000 0000", reply.Text);
        Assert.Contains("not a clinician", reply.Text);
        Assert.Equal(ReplyVisibility.Private, reply.Visibility);
    }

    [Theory]
    [InlineData("help me")]
    [InlineData("help me please")]
    [InlineData("can you help")]
    [InlineData("Can you help me?")]
    [InlineData("I need help")]
    public async Task Asking_for_help_gets_help(string text)
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();
        var reply = Assert.Single(await bot.SendAsync(Alex, PrivateOf(Alex), text));
        Assert.Equal("PeerGroupBot help", reply.Title);
        Assert.Contains("`help poll`", reply.Text);
        Assert.Contains("`help agenda`", reply.Text);
        Assert.Contains("`help concern`", reply.Text);
    }

    [Theory]
    [InlineData("I")]
    [InlineData("I don't know what to do about the group")]
    [InlineData("hello")]
    [InlineData("Is anyone there?")]
    public async Task Free_text_that_is_no_command_gets_a_kind_answer_not_an_error(string text)
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();
        foreach (var place in new[] { PrivateOf(Alex), Channel })
        {
            var reply = Assert.Single(await bot.SendAsync(Alex, place, text));
            Assert.Equal(ReplyVisibility.Private, reply.Visibility);
            Assert.DoesNotContain("don't know the command", reply.Text);
            Assert.Contains("`concern support`", reply.Text);
            Assert.Contains("`concern`", reply.Text);
            Assert.Contains("`help`", reply.Text);
            Assert.Contains("I'm a bot", reply.Text);
        }
        Assert.Empty(bot.Playground.Posts);
    }

    [Fact]
    public async Task A_mistyped_command_still_gets_a_did_you_mean_privately()
    {
        await using var bot = new TestBot();
        await bot.SetupGroupAsync();
        var reply = Assert.Single(await bot.SendAsync(Alex, "agnda"));
        Assert.Equal(ReplyVisibility.Private, reply.Visibility);
        Assert.Contains("Did you mean `agenda`?", reply.Text);
    }
}
