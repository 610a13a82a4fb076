using PeerGroupBot.Discord.Tests.Support;

namespace PeerGroupBot.Discord.Tests;

/// <summary>Slash commands through the real host: flattened to the core's text, answered in Discord's idiom.</summary>
public sealed class CommandTests : IAsyncLifetime
{
    private DiscordHost _host = null!;

    public async Task InitializeAsync() => _host = await DiscordHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Setup_by_a_member_with_Manage_Server_starts_a_group_and_welcomes_the_channel()
    {
        var channel = Payloads.NewChannel();
        var response = await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "setup start", ("name", "Tuesday Peers")));

        Assert.Equal(4, response.Type());
        var message = response.Data();
        Assert.False(message.IsEphemeral());
        Assert.Contains("Welcome, Tuesday Peers!", message.VisibleText());
        Assert.Contains("setup:edit", message.CustomIds());
        message.AssertPingsNobody();

        var group = await _host.GroupOfChannelAsync(channel);
        Assert.NotNull(group);
        Assert.Equal("Tuesday Peers", group.Name);
        Assert.Contains(group.Facilitators, f => f.MemberId == TestUser.Dee.MemberId && f.DisplayName == "Dee");
    }

    [Fact]
    public async Task Setup_show_in_a_new_channel_starts_a_group_and_then_shows_its_settings_privately()
    {
        var channel = Payloads.NewChannel();
        var first = await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "setup show"));
        Assert.Contains("Welcome, Our group!", first.Data().VisibleText());

        var second = await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "setup show"));
        Assert.True(second.Data().IsEphemeral());
        Assert.Contains("**Time zone:** Europe/London", second.Data().VisibleText());
    }

    [Fact]
    public async Task A_member_without_permission_is_refused_privately_and_nothing_is_created()
    {
        var channel = Payloads.NewChannel();
        var response = await _host.InteractAsync(Payloads.Command(TestUser.Ash, channel, "setup start", ("name", "Mine")));

        Assert.Equal(4, response.Type());
        Assert.True(response.Data().IsEphemeral());
        Assert.Contains("Manage Server permission or the facilitator role", response.Data().VisibleText());
        Assert.Null(await _host.GroupOfChannelAsync(channel));
    }

    [Fact]
    public async Task A_member_holding_a_configured_facilitator_role_is_a_facilitator()
    {
        var channel = Payloads.NewChannel();
        var response = await _host.InteractAsync(Payloads.Command(TestUser.Rowan, channel, "setup start", ("name", "Rowan's group")));
        Assert.Contains("Welcome, Rowan's group!", response.Data().VisibleText());
        Assert.Equal("Rowan's group", (await _host.GroupOfChannelAsync(channel))!.Name);
    }

    [Fact]
    public async Task Help_answers_ephemerally_with_the_commands()
    {
        var channel = Payloads.NewChannel();
        await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "setup start", ("name", "Helpers")));

        var response = await _host.InteractAsync(Payloads.Command(TestUser.Ash, channel, "help"));
        Assert.Equal(4, response.Type());
        var message = response.Data();
        Assert.True(message.IsEphemeral());
        Assert.Contains("PeerGroupBot help", message.VisibleText());
        Assert.Contains("Here's what you can do in **Helpers**", message.VisibleText());
        Assert.DoesNotContain("setup name", message.VisibleText()); // facilitator lines are not shown to members
        message.AssertPingsNobody();

        var topic = await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "help", ("topic", "setup")));
        Assert.Contains("setup name <name>", topic.Data().VisibleText());
    }

    [Fact]
    public async Task A_user_option_becomes_a_mention_whatever_order_the_options_came_in()
    {
        var channel = Payloads.NewChannel();
        await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "setup start", ("name", "Mentions")));

        // Options arrive member-first; the manifest says action comes first, so this is "setup facilitator add @Ash".
        var response = await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "setup facilitator", ("member", TestUser.Ash), ("action", "add")));
        Assert.Contains("Ash (nick) can now use facilitator commands.", response.Data().VisibleText());
        Assert.Contains((await _host.GroupOfChannelAsync(channel))!.Facilitators, f => f.MemberId == TestUser.Ash.MemberId);

        // Ash is now a facilitator of this group on Discord, though Discord gives Ash no permission.
        var rename = await _host.InteractAsync(Payloads.Command(TestUser.Ash, channel, "setup name", ("name", "Renamed by Ash")));
        Assert.Contains("Renamed by Ash", rename.Data().VisibleText());
    }

    [Fact]
    public async Task Commands_work_in_a_direct_message_with_the_bot()
    {
        var channel = Payloads.NewChannel();
        await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "setup start", ("name", "DM group")));
        await _host.InteractAsync(Payloads.Command(TestUser.Ash, channel, "help"));

        var dm = Payloads.NewChannel();
        var response = await _host.InteractAsync(Payloads.AsDirectMessage(Payloads.Command(TestUser.Ash, dm, "help")));
        Assert.Equal(4, response.Type());
        Assert.Contains("Here's what you can do in **DM group**", response.Data().VisibleText());

        // In a DM Discord says nothing about server permissions; Dee is still the group's listed facilitator.
        var setup = await _host.InteractAsync(Payloads.AsDirectMessage(Payloads.Command(TestUser.Dee, Payloads.NewChannel(), "setup show")));
        Assert.Contains("**Name:** DM group", setup.Data().VisibleText());
        Assert.Null(await _host.GroupOfChannelAsync(dm));
    }

    [Fact]
    public async Task A_long_reply_is_split_into_embeds_and_trimmed_with_a_note_and_extra_controls_are_dropped_visibly()
    {
        var response = await _host.InteractAsync(Payloads.Command(TestUser.Ash, Payloads.NewChannel(), "long"));
        var message = response.Data();

        Assert.True(message.GetProperty("content").GetString()!.Length <= 2000);
        var embeds = message.GetProperty("embeds").EnumerateArray().ToList();
        Assert.InRange(embeds.Count, 2, 10);
        Assert.All(embeds, e => Assert.True(e.GetProperty("description").GetString()!.Length <= 4096));
        Assert.True(embeds.Sum(e => e.GetProperty("description").GetString()!.Length) <= 6000);
        var text = message.VisibleText();
        Assert.Contains("Line 1 of", text);
        Assert.Contains("Shortened to fit Discord's limits", text);
        Assert.Contains("Only the first 25 choices are listed", text);
        Assert.Contains("Some buttons or choices didn't fit", text);

        var rows = message.GetProperty("components").EnumerateArray().ToList();
        Assert.Equal(5, rows.Count);
        Assert.All(rows, r => Assert.InRange(r.GetProperty("components").GetArrayLength(), 1, 5));
        Assert.Equal(25, rows[0].GetProperty("components")[0].GetProperty("options").GetArrayLength());
        Assert.Equal(21, message.CustomIds().Count); // one select and 20 of the 30 buttons
    }
}
