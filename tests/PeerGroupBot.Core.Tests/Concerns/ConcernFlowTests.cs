using NodaTime;
using PeerGroupBot.Core.Concerns;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Members;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Concerns;

public class ConcernFlowTests
{
    [Fact]
    public async Task Raise_acknowledge_reply_answer_back_and_resolve()
    {
        await using var bot = ConcernKit.NewBot();
        var group = await bot.SetupWithConcernsChannelAsync();
        bot.Playground.Clear();

        // Raise, privately.
        var confirm = Assert.Single(await bot.RaiseAsync(Sam, "The room was too cold and nobody listened when I said so.", replies: true, category: "Something in a session"));
        Assert.Equal("Concern #1 sent anonymously", confirm.Title);
        Assert.Contains("The facilitators will see it in 2 to 10 minutes", confirm.Text);
        Assert.Contains("If they reply, I'll message you privately", confirm.Text);
        Assert.Empty(bot.StaffPosts());

        // Triage card after the random delay.
        await bot.PassDelayAsync();
        var card = bot.CardOf(1).Reply;
        Assert.Contains("The room was too cold", card.Text);
        Assert.Contains("**About:** Something in a session", card.Text);
        Assert.Contains("new — waiting to be acknowledged", card.Text);
        Assert.Equal(["Acknowledge", "Reply", "Resolve"], card.Buttons.Select(b => b.Label));

        // Acknowledge: the card is replaced in place and the member hears it was seen.
        var acknowledged = await bot.ClickCardAsync(Fran, 1, "Acknowledge");
        Assert.True(acknowledged.UpdatesSource);
        Assert.Contains("acknowledged by Fran (facilitator)", acknowledged.Text);
        Assert.DoesNotContain(acknowledged.Buttons, b => b.Label == "Acknowledge");
        Assert.Contains(bot.Playground.PrivatesTo(Sam.MemberId), m => m.Reply.Text.Contains("have seen your concern #1"));

        // Reply through a form; the member receives it privately with no facilitator name.
        var replyForm = await bot.ClickCardAsync(Fran, 1, "Reply");
        Assert.NotNull(replyForm.Form);
        var sent = Assert.Single(await bot.SubmitAsync(Fran, replyForm.Form!.ActionId,
            new Dictionary<string, string> { ["text"] = "Thank you for telling us. We'll ask the venue to fix the heating." }, StaffChannel));
        Assert.Equal(ReplyVisibility.Private, sent.Visibility);
        Assert.Contains("on its way", sent.Text);
        var toSam = bot.Playground.PrivatesTo(Sam.MemberId).Last().Reply;
        Assert.Equal("Reply from the facilitators about your concern #1", toSam.Title);
        Assert.Contains("fix the heating", toSam.Text);
        Assert.DoesNotContain("Fran", toSam.Text);
        Assert.Contains("fix the heating", bot.CurrentCard(1).Text);

        // Answer back: after its own random delay, it reaches the concerns channel.
        var answerForm = Assert.Single(await bot.ClickAsync(Sam, toSam.Button("Answer").ActionId, PrivateOf(Sam)));
        var answered = Assert.Single(await bot.SubmitAsync(Sam, answerForm.Form!.ActionId,
            new Dictionary<string, string> { ["text"] = "Thanks, that would help a lot." }, PrivateOf(Sam)));
        Assert.Contains("will reach the facilitators in 2 to 10 minutes", answered.Text);
        Assert.DoesNotContain(bot.StaffPosts(), p => p.Reply.Text.Contains("that would help"));
        await bot.PassDelayAsync();
        var relayed = Assert.Single(bot.StaffPosts(), p => p.Reply.Text.Contains("that would help"));
        Assert.Equal("Concern #1 (anonymous): the member answered", relayed.Reply.Title);
        Assert.Contains("that would help", bot.CurrentCard(1).Text);

        // Nobody else can answer in the member's place.
        var impostor = Assert.Single(await bot.ClickAsync(Alex, toSam.Button("Answer").ActionId, PrivateOf(Alex)));
        Assert.Null(impostor.Form);
        Assert.Contains("has closed", impostor.Text);

        // Resolve: the member is told, the delivery address is deleted and the conversation closes.
        var resolved = await bot.ClickCardAsync(Fran, 1, "Resolve");
        Assert.Contains("resolved by Fran (facilitator)", resolved.Text);
        Assert.Empty(resolved.Buttons);
        Assert.Contains(bot.Playground.PrivatesTo(Sam.MemberId), m => m.Reply.Text.Contains("marked your concern #1 as resolved"));
        Assert.Null(await bot.Store.GetAsync(ConcernDelivery.KeyFor(group.Id, 1)));
        var late = Assert.Single(await bot.ClickAsync(Sam, toSam.Button("Answer").ActionId, PrivateOf(Sam)));
        Assert.Contains("has closed", late.Text);
        Assert.DoesNotContain(bot.Playground.Posts, p => p.Target == Channel.ChannelId);
    }

    [Fact]
    public async Task A_no_reply_concern_keeps_no_link_back_and_offers_no_reply()
    {
        await using var bot = ConcernKit.NewBot();
        var group = await bot.SetupWithConcernsChannelAsync();

        var confirm = Assert.Single(await bot.RaiseAsync(Alex, "Sessions keep starting late.", replies: false));
        Assert.Contains("nothing is kept that links this concern back to you", confirm.Text);
        await bot.PassDelayAsync();

        var card = bot.CardOf(1).Reply;
        Assert.Contains("chose no replies", card.Text);
        Assert.DoesNotContain(card.Buttons, b => b.Label == "Reply");
        Assert.DoesNotContain(await bot.DumpStoreAsync(), d => d.Key.Contains("/concerns/delivery/"));

        var forced = Assert.Single(await bot.ClickAsync(Fran, $"concern:reply:{group.Id}:1", StaffChannel));
        Assert.Null(forced.Form);
        Assert.Contains("chose no replies", forced.Text);
        await bot.ClickCardAsync(Fran, 1, "Acknowledge");
        Assert.Empty(bot.Playground.PrivatesTo(Alex.MemberId));
    }

    [Fact]
    public async Task Only_facilitators_can_triage()
    {
        await using var bot = ConcernKit.NewBot();
        var group = await bot.SetupWithConcernsChannelAsync();
        await bot.RaiseAsync(Sam, "Something worries me.");
        await bot.PassDelayAsync();

        var refused = Assert.Single(await bot.ClickAsync(Alex, $"concern:ack:{group.Id}:1", PrivateOf(Alex)));
        Assert.Contains("Only the group's facilitators", refused.Text);
        var list = Assert.Single(await bot.SendAsync(Alex, PrivateOf(Alex), "concern list"));
        Assert.Contains("Only facilitators", list.Text);
        Assert.Contains("new — waiting", bot.CurrentCard(1).Text);
    }

    [Fact]
    public async Task The_concern_reaches_facilitators_only_after_a_random_delay()
    {
        await using var bot = ConcernKit.NewBot();
        var group = await bot.SetupWithConcernsChannelAsync();
        await bot.RaiseAsync(Sam, "The break was cut short again.");

        var timer = await bot.Documents.GetValueAsync<Scheduling.TimerDocument>(Scheduling.TimerDocument.KeyFor(group.Id, ConcernTimers.PostId(1)));
        Assert.NotNull(timer);
        Assert.InRange(timer!.Due - bot.Clock.GetCurrentInstant(), Duration.FromMinutes(2), Duration.FromMinutes(10));

        await bot.AdvanceAsync(Duration.FromSeconds(119));
        Assert.Empty(bot.StaffPosts());
        var early = Assert.Single(await bot.SendAsync(Fran, StaffChannel, "concern list"));
        Assert.Contains("no open concerns", early.Text);

        await bot.AdvanceAsync(Duration.FromMinutes(8) + Duration.FromSeconds(1));
        bot.CardOf(1);
        var list = Assert.Single(await bot.SendAsync(Fran, StaffChannel, "concern list"));
        Assert.Contains("**#1**", list.Text);
    }

    [Fact]
    public async Task Words_that_suggest_risk_get_signposting_at_once_and_an_immediate_urgent_post()
    {
        await using var bot = ConcernKit.NewBot();
        await bot.SetupWithConcernsChannelAsync();
        await bot.SendAsync(Fran, "concern lead add @Priya", new Mention(Priya.MemberId, Priya.DisplayName));
        bot.Playground.Clear();

        var replies = await bot.RaiseAsync(Sam, "I can't go on like this and I don't want to be alive any more.");

        Assert.Equal(2, replies.Count);
        var support = replies[0];
        Assert.Equal(ReplyTone.Urgent, support.Tone);
        foreach (var contact in new[] { "116 123", "85258", "111", "option 2", "999", "not a clinician" })
            Assert.Contains(contact, support.Text);
        Assert.Contains("marked it urgent", replies[1].Text);

        var card = bot.CardOf(1).Reply; // no clock movement: posted immediately
        Assert.Equal("Concern #1 (anonymous) — urgent", card.Title);
        Assert.Equal(ReplyTone.Urgent, card.Tone);
        Assert.Contains("crisis contacts", card.Text);
        var alert = Assert.Single(bot.Playground.PrivatesTo(Priya.MemberId));
        Assert.StartsWith("Urgent:", alert.Reply.Title);
        Assert.Contains("don't want to be alive", alert.Reply.Text);
        Assert.DoesNotContain(bot.Playground.Posts, p => p.Target == Channel.ChannelId);
    }

    [Fact]
    public async Task A_group_can_use_its_own_crisis_contacts()
    {
        await using var bot = ConcernKit.NewBot();
        await bot.SetupWithConcernsChannelAsync();
        var refused = Assert.Single(await bot.SendAsync(Alex, "concern support set Call my mate"));
        Assert.Contains("Only facilitators", refused.Text);
        await bot.SendAsync(Fran, "concern support set Call the county warmline on 0800 123 4567, any time.");

        var shown = Assert.Single(await bot.SendAsync(Alex, "concern support"));
        Assert.Equal(ReplyVisibility.Private, shown.Visibility);
        Assert.Contains("0800 123 4567", shown.Text);
        var replies = await bot.RaiseAsync(Sam, "I keep thinking about suicide.");
        Assert.Contains("0800 123 4567", replies[0].Text);

        await bot.SendAsync(Fran, "concern support default");
        Assert.Contains("116 123", Assert.Single(await bot.SendAsync(Alex, "concern support")).Text);
    }

    [Fact]
    public async Task The_daily_limit_is_told_kindly_and_resets_the_next_day()
    {
        await using var bot = ConcernKit.NewBot(o => o.MaxPerMemberPerDay = 2);
        await bot.SetupWithConcernsChannelAsync();
        await bot.RaiseAsync(Sam, "First thing.");
        await bot.RaiseAsync(Sam, "Second thing.");

        var opened = Assert.Single(await bot.SendAsync(Sam, PrivateOf(Sam), "concern"));
        Assert.Null(opened.Form);
        Assert.Contains("You've raised 2 concerns today", opened.Text);
        Assert.Contains("raise another tomorrow", opened.Text);
        var group = await bot.GroupAsync();
        var forced = Assert.Single(await bot.SubmitAsync(Sam, $"concern:raise:{group.Id}", new Dictionary<string, string> { ["text"] = "Third thing.", ["replies"] = "no" }, PrivateOf(Sam)));
        Assert.Contains("You've raised 2 concerns today", forced.Text);
        Assert.DoesNotContain("116 123", forced.Text);
        var risky = Assert.Single(await bot.SubmitAsync(Sam, $"concern:raise:{group.Id}", new Dictionary<string, string> { ["text"] = "I want to die", ["replies"] = "no" }, PrivateOf(Sam)));
        Assert.Contains("116 123", risky.Text);
        Assert.Equal(2, (await bot.Get<ConcernDesk>().ListAsync(group.Id, CancellationToken.None)).Count);

        // Another member is not affected.
        Assert.NotNull(Assert.Single(await bot.SendAsync(Alex, PrivateOf(Alex), "concern")).Form);

        // Just after midnight UTC the counters of the old day are deleted and the member can raise again.
        Assert.Contains(await bot.DumpStoreAsync(), d => d.Key.StartsWith(DailyLimit.Folder, StringComparison.Ordinal));
        await bot.AdvanceAsync(Duration.FromHours(15) + Duration.FromMinutes(5));
        Assert.DoesNotContain(await bot.DumpStoreAsync(), d => d.Key.StartsWith(DailyLimit.Folder, StringComparison.Ordinal));
        Assert.NotNull(Assert.Single(await bot.SendAsync(Sam, PrivateOf(Sam), "concern")).Form);
    }

    [Fact]
    public async Task Out_of_hours_the_member_is_told_when_it_will_be_read_with_signposting()
    {
        await using var bot = ConcernKit.NewBot();
        await bot.SetupWithConcernsChannelAsync();
        var set = Assert.Single(await bot.SendAsync(Fran, "concern hours weekdays 09:00-17:00"));
        Assert.Contains("weekdays 09:00–17:00", set.Text);
        var shown = Assert.Single(await bot.SendAsync(Alex, "concern hours"));
        Assert.Contains("weekdays 09:00–17:00 (Europe/London time)", shown.Text);

        // Monday 10:00 London: within hours, no notice.
        bot.Clock.Advance(Duration.FromHours(1));
        var inHours = Assert.Single(await bot.RaiseAsync(Sam, "A small thing."));
        Assert.DoesNotContain("will be read from", inHours.Text);
        Assert.DoesNotContain("116 123", inHours.Text);

        // Friday 18:30 London: read from Monday 09:00, with crisis contacts now.
        bot.Clock.Advance(Duration.FromDays(4) + Duration.FromHours(8) + Duration.FromMinutes(30));
        var outOfHours = Assert.Single(await bot.RaiseAsync(Alex, "Something that happened tonight."));
        Assert.Contains("will be read from **Monday 9 November at 09:00**", outOfHours.Text);
        Assert.Contains("116 123", outOfHours.Text);

        var refused = Assert.Single(await bot.SendAsync(Alex, "concern hours every day 0-23"));
        Assert.Contains("Only facilitators", refused.Text);
        Assert.Contains("didn't understand the times", Assert.Single(await bot.SendAsync(Fran, "concern hours weekdays nine-five")).Text);
        await bot.SendAsync(Fran, "concern hours off");
        Assert.DoesNotContain("will be read from", Assert.Single(await bot.RaiseAsync(Priya, "Another.")).Text);
    }

    [Fact]
    public async Task A_member_of_several_groups_picks_the_group_first()
    {
        await using var bot = ConcernKit.NewBot();
        var first = await bot.SetupWithConcernsChannelAsync();
        var otherChannel = new Place("playground", "thursday-channel", IsPrivate: false);
        await bot.SendAsync(Fran, otherChannel, "setup Thursday Circle");
        await bot.SendAsync(Sam, otherChannel, "help");
        var second = await bot.GroupAsync(otherChannel);

        var pick = Assert.Single(await bot.SendAsync(Sam, PrivateOf(Sam), "concern"));
        Assert.Equal(ReplyVisibility.Private, pick.Visibility);
        var select = Assert.Single(pick.Selects);
        Assert.Equal(["Thursday Circle", "Tuesday Peers"], select.Options.Select(o => o.Label).Order());
        var form = Assert.Single(await bot.ClickAsync(Sam, select.ActionId, PrivateOf(Sam), selected: [second.Id]));
        Assert.Equal($"concern:raise:{second.Id}", form.Form!.ActionId);
        await bot.SubmitAsync(Sam, form.Form.ActionId, new Dictionary<string, string> { ["text"] = "About Thursdays.", ["replies"] = "no" }, PrivateOf(Sam));

        var desk = bot.Get<ConcernDesk>();
        Assert.Single(await desk.ListAsync(second.Id, CancellationToken.None));
        Assert.Empty(await desk.ListAsync(first.Id, CancellationToken.None));

        // A group the member is not in cannot be chosen by forging the id.
        var stranger = new Actor("playground:stranger", "Stranger");
        await bot.SendAsync(stranger, otherChannel, "help");
        var forged = Assert.Single(await bot.SubmitAsync(stranger, $"concern:raise:{first.Id}", new Dictionary<string, string> { ["text"] = "x", ["replies"] = "no" }, PrivateOf(stranger)));
        Assert.Contains("couldn't match that to one of your groups", forged.Text);
        Assert.Empty(await desk.ListAsync(first.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Raised_in_the_group_channel_everything_stays_private()
    {
        await using var bot = ConcernKit.NewBot();
        await bot.SetupWithConcernsChannelAsync();
        bot.Playground.Clear();

        var replies = await bot.RaiseAsync(Sam, "I felt talked over today.", place: Channel);
        Assert.Contains("#1", Assert.Single(replies).Title);
        await bot.PassDelayAsync();
        bot.CardOf(1);

        // Typing the concern into the channel is not kept; the member is offered the private form.
        var typed = Assert.Single(await bot.SendAsync(Alex, "concern the facilitator was rude"));
        Assert.Equal(ReplyVisibility.Private, typed.Visibility);
        Assert.Contains("haven't kept what you typed", typed.Text);
        var form = Assert.Single(await bot.ClickAsync(Alex, typed.Button("Raise a concern privately").ActionId));
        Assert.NotNull(form.Form);
        Assert.Single(await bot.Get<ConcernDesk>().ListAsync((await bot.GroupAsync()).Id, CancellationToken.None));
        Assert.DoesNotContain(bot.Playground.Posts, p => p.Target == Channel.ChannelId);
    }

    [Fact]
    public async Task Typed_in_private_chat_the_text_is_carried_into_the_form()
    {
        await using var bot = ConcernKit.NewBot();
        await bot.SetupWithConcernsChannelAsync();
        var opened = Assert.Single(await bot.SendAsync(Sam, PrivateOf(Sam), "concern the chairs are uncomfortable"));
        Assert.Equal("the chairs are uncomfortable", Assert.Single(opened.Form!.Fields, f => f.Id == "text").Value);
    }

    [Fact]
    public async Task Concern_list_shows_open_concerns_urgent_first()
    {
        await using var bot = ConcernKit.NewBot();
        await bot.SetupWithConcernsChannelAsync();
        await bot.RaiseAsync(Sam, "Quiet one.", category: "How the group is run");
        await bot.RaiseAsync(Alex, "I've been self harming again.");
        await bot.RaiseAsync(Priya, "Resolved soon.");
        await bot.PassDelayAsync();
        await bot.ClickCardAsync(Fran, 3, "Resolve");

        var list = Assert.Single(await bot.SendAsync(Fran, StaffChannel, "concern list"));
        Assert.Equal(ReplyVisibility.Private, list.Visibility);
        Assert.Equal("Open concerns in Tuesday Peers (2)", list.Title);
        Assert.True(list.Text.IndexOf("**#2**", StringComparison.Ordinal) < list.Text.IndexOf("**#1**", StringComparison.Ordinal));
        Assert.DoesNotContain("**#3**", list.Text);
        Assert.Contains("How the group is run", list.Text);

        var shown = Assert.Single(await bot.ClickAsync(Fran, list.Button("Open #1").ActionId, StaffChannel));
        Assert.Contains("Quiet one.", shown.Text);
        Assert.Equal(ReplyVisibility.Private, shown.Visibility);
    }

    [Fact]
    public async Task A_reply_that_cannot_be_delivered_looks_sent_waits_and_is_delivered_when_the_member_is_reachable()
    {
        await using var bot = ConcernKit.NewBot();
        await bot.SetupWithConcernsChannelAsync();
        await bot.RaiseAsync(Sam, "Please call me back.");
        await bot.RaiseAsync(Alex, "Me too.");
        await bot.PassDelayAsync();

        var delivered = await ReplyToAsync(bot, 2, "Hello Alex's concern");
        bot.Playground.Unreachable.Add(Sam.MemberId);
        var refused = await ReplyToAsync(bot, 1, "Hello");

        // The facilitator sees one outcome whatever happened to the reply.
        Assert.Equal(delivered.Text.Replace("#2", "#1"), refused.Text);
        Assert.Equal(delivered.Tone, refused.Tone);
        Assert.Contains("on its way", refused.Text);
        Assert.Empty(bot.Playground.PrivatesTo(Sam.MemberId).Where(p => p.Reply.Title?.StartsWith("Reply from", StringComparison.Ordinal) == true));

        // It waits, is tried again hourly, and arrives once Sam can be reached.
        await bot.RunUntilAsync(bot.Clock.GetCurrentInstant() + Duration.FromHours(3));
        Assert.DoesNotContain(bot.Playground.PrivatesTo(Sam.MemberId), p => p.Reply.Title?.StartsWith("Reply from", StringComparison.Ordinal) == true);
        bot.Playground.Unreachable.Remove(Sam.MemberId);
        await bot.RunUntilAsync(bot.Clock.GetCurrentInstant() + Duration.FromHours(2));
        Assert.Contains("Hello", Assert.Single(bot.Playground.PrivatesTo(Sam.MemberId), p => p.Reply.Title == "Reply from the facilitators about your concern #1").Reply.Text);
        Assert.DoesNotContain(await bot.DumpStoreAsync(), d => d.Key.Contains("/nudges/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_undeliverable_reply_expires_silently()
    {
        await using var bot = ConcernKit.NewBot();
        await bot.SetupWithConcernsChannelAsync();
        await bot.RaiseAsync(Sam, "Please call me back.");
        await bot.PassDelayAsync();
        bot.Playground.Unreachable.Add(Sam.MemberId);
        await ReplyToAsync(bot, 1, "Hello");
        var staffBefore = bot.StaffPosts().Count();

        await bot.RunUntilAsync(bot.Clock.GetCurrentInstant() + PrivateNudges.ConcernReplyLifetime + Duration.FromHours(2));
        bot.Playground.Unreachable.Remove(Sam.MemberId);
        await bot.RunUntilAsync(bot.Clock.GetCurrentInstant() + Duration.FromHours(2));

        Assert.DoesNotContain(bot.Playground.PrivatesTo(Sam.MemberId), p => p.Reply.Title?.StartsWith("Reply from", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(await bot.DumpStoreAsync(), d => d.Key.Contains("/nudges/", StringComparison.Ordinal));
        Assert.DoesNotContain(bot.StaffPosts().Skip(staffBefore), p => p.Reply.Text.Contains("not sent", StringComparison.OrdinalIgnoreCase) || p.Reply.Text.Contains("couldn't", StringComparison.OrdinalIgnoreCase));
    }

    private static async Task<BotReply> ReplyToAsync(TestBot bot, int number, string text)
    {
        var form = await bot.ClickCardAsync(Fran, number, "Reply");
        return Assert.Single(await bot.SubmitAsync(Fran, form.Form!.ActionId, new Dictionary<string, string> { ["text"] = text }, StaffChannel));
    }

    [Fact]
    public async Task Without_a_concerns_channel_facilitators_get_it_privately_and_are_told_to_set_one()
    {
        await using var bot = ConcernKit.NewBot();
        await bot.SetupGroupAsync();
        bot.Playground.Clear();
        await bot.RaiseAsync(Sam, "No channel yet.");
        await bot.PassDelayAsync();

        Assert.Empty(bot.Playground.Posts);
        var toFran = Assert.Single(bot.Playground.PrivatesTo(Fran.MemberId));
        Assert.Equal("Concern #1 (anonymous)", toFran.Reply.Title);
        Assert.Contains("No channel yet.", toFran.Reply.Text);
        Assert.Contains("setup concerns", toFran.Reply.Text);

        var acknowledged = Assert.Single(await bot.ClickAsync(Fran, toFran.Reply.Button("Acknowledge").ActionId, PrivateOf(Fran)));
        Assert.True(acknowledged.UpdatesSource);
        Assert.Equal(ReplyVisibility.Private, acknowledged.Visibility);
        Assert.Contains("acknowledged by", acknowledged.Text);
    }

    [Fact]
    public async Task Bad_form_input_gets_a_clear_message_and_stores_nothing()
    {
        await using var bot = ConcernKit.NewBot();
        var group = await bot.SetupWithConcernsChannelAsync();
        var empty = Assert.Single(await bot.SubmitAsync(Sam, $"concern:raise:{group.Id}", new Dictionary<string, string> { ["text"] = "   " }, PrivateOf(Sam)));
        Assert.Contains("empty", empty.Text);
        var tooLong = Assert.Single(await bot.SubmitAsync(Sam, $"concern:raise:{group.Id}", new Dictionary<string, string> { ["text"] = new string('a', 2500) }, PrivateOf(Sam)));
        Assert.Contains("2,000", tooLong.Text);
        var junk = Assert.Single(await bot.ClickAsync(Fran, "concern:ack:../../x:1", StaffChannel));
        Assert.Contains("expired", junk.Text);
        var weird = Assert.Single(await bot.SubmitAsync(Sam, $"concern:raise:{group.Id}",
            new Dictionary<string, string> { ["text"] = "ok", ["category"] = "<script>", ["replies"] = "maybe" }, PrivateOf(Sam)));
        Assert.Contains("no replies", weird.Text);
        var stored = Assert.Single(await bot.Get<ConcernDesk>().ListAsync(group.Id, CancellationToken.None));
        Assert.Null(stored.Category);
        Assert.False(stored.RepliesAllowed);
    }

    [Fact]
    public async Task Concern_privacy_explains_what_is_kept()
    {
        await using var bot = ConcernKit.NewBot(o => o.RetentionDays = 45);
        await bot.SetupWithConcernsChannelAsync();
        var note = Assert.Single(await bot.SendAsync(Alex, PrivateOf(Alex), "concern privacy"));
        Assert.Equal(ReplyVisibility.Private, note.Visibility);
        Assert.Contains("Never your name or account", note.Text);
        Assert.Contains("deleted after 45 days", note.Text);
        Assert.Contains("not a clinician", note.Text);
    }

    [Fact]
    public async Task Erasure_removes_the_members_delivery_addresses_and_counter_but_keeps_the_anonymous_concerns()
    {
        await using var bot = ConcernKit.NewBot();
        var group = await bot.SetupWithConcernsChannelAsync();
        await bot.RaiseAsync(Sam, "Mine, with replies.");
        await bot.RaiseAsync(Alex, "Someone else's, with replies.");
        await bot.PassDelayAsync();

        Assert.Equal(1, await bot.Get<ConcernDesk>().EraseMemberAsync(Sam.MemberId, CancellationToken.None));

        Assert.Null(await bot.Store.GetAsync(ConcernDelivery.KeyFor(group.Id, 1)));
        Assert.NotNull(await bot.Store.GetAsync(ConcernDelivery.KeyFor(group.Id, 2)));
        // The card does not change at the moment of an erasure: that would point at the member erasing.
        Assert.Contains(bot.CurrentCard(1).Buttons, b => b.Label == "Reply");
        Assert.NotNull(await bot.Get<ConcernDesk>().GetAsync(group.Id, 1, CancellationToken.None));
        var counters = (await bot.DumpStoreAsync()).Where(d => d.Key.StartsWith(DailyLimit.Folder, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, counters.Count); // Alex's counter and the day's random key
        Assert.Single(counters, d => d.Key.EndsWith("/key", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(2, 10, "in 2 to 10 minutes")]
    [InlineData(0, 0, "straight away")]
    [InlineData(0, 5, "within 5 minutes")]
    [InlineData(3, 3, "in 3 minutes")]
    public void The_acknowledgement_says_when_a_concern_arrives_as_configured(int min, int max, string words)
        => Assert.Equal(words, new PeerGroupBot.Core.Concerns.ConcernsOptions { PostDelayMinMinutes = min, PostDelayMaxMinutes = max }.PostDelayWords());
}
