using PeerGroupBot.Discord.Tests.Support;

namespace PeerGroupBot.Discord.Tests;

/// <summary>Buttons, selects and modals: custom_ids are the core's action ids; forms open as modals; both modal shapes parse.</summary>
public sealed class ComponentTests : IAsyncLifetime
{
    private DiscordHost _host = null!;

    public async Task InitializeAsync() => _host = await DiscordHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<string> StartGroupAsync() => _host.StartGroupAsync();

    [Fact]
    public async Task The_edit_settings_button_opens_a_modal_of_labelled_text_inputs()
    {
        var channel = await StartGroupAsync();
        var response = await _host.InteractAsync(Payloads.Click(TestUser.Dee, channel, "setup:edit", "555"));

        Assert.Equal(9, response.Type());
        var modal = response.Data();
        Assert.Equal("setup:edit", modal.GetProperty("custom_id").GetString());
        Assert.Equal("Group settings", modal.GetProperty("title").GetString());
        var labels = modal.GetProperty("components").EnumerateArray().ToList();
        Assert.Equal(2, labels.Count);
        Assert.All(labels, l => Assert.Equal(18, l.GetProperty("type").GetInt32()));
        Assert.Equal("Group name", labels[0].GetProperty("label").GetString());
        var nameInput = labels[0].GetProperty("component");
        Assert.Equal(4, nameInput.GetProperty("type").GetInt32());
        Assert.Equal("name", nameInput.GetProperty("custom_id").GetString());
        Assert.Equal("Thursday Circle", nameInput.GetProperty("value").GetString());
        Assert.Equal("Europe/London", labels[1].GetProperty("component").GetProperty("value").GetString());
    }

    [Fact]
    public async Task A_modal_submit_in_the_label_shape_saves_the_settings()
    {
        var channel = await StartGroupAsync();
        var response = await _host.InteractAsync(Payloads.ModalLabels(TestUser.Dee, channel, "setup:edit", ("name", "Label Shape Group"), ("timezone", "america/new_york")));

        Assert.Equal(4, response.Type());
        Assert.True(response.Data().IsEphemeral());
        Assert.Contains("Saved. The group is **Label Shape Group**, in time zone **America/New_York**.", response.Data().VisibleText());
        var group = await _host.GroupOfChannelAsync(channel);
        Assert.Equal("Label Shape Group", group!.Name);
        Assert.Equal("America/New_York", group.TimeZone);
    }

    [Fact]
    public async Task A_modal_submit_in_the_older_action_row_shape_saves_the_settings()
    {
        var channel = await StartGroupAsync();
        var response = await _host.InteractAsync(Payloads.ModalRows(TestUser.Dee, channel, "setup:edit", ("name", "Row Shape Group"), ("timezone", "Europe/Dublin")));

        Assert.Contains("Saved. The group is **Row Shape Group**", response.Data().VisibleText());
        Assert.Equal("Row Shape Group", (await _host.GroupOfChannelAsync(channel))!.Name);
    }

    [Fact]
    public async Task A_modal_submit_by_a_member_without_rights_changes_nothing()
    {
        var channel = await StartGroupAsync();
        var response = await _host.InteractAsync(Payloads.ModalLabels(TestUser.Ash, channel, "setup:edit", ("name", "Hijacked"), ("timezone", "Europe/London")));
        Assert.Contains("Only facilitators", response.Data().VisibleText());
        Assert.Equal("Thursday Circle", (await _host.GroupOfChannelAsync(channel))!.Name);
    }

    [Fact]
    public async Task A_click_whose_reply_updates_its_source_answers_with_UPDATE_MESSAGE_and_confirms_privately()
    {
        var channel = Payloads.NewChannel();
        var card = await _host.InteractAsync(Payloads.Command(TestUser.Ash, channel, "counter"));
        Assert.Contains("counter:add", card.Data().CustomIds());

        var click = Payloads.Click(TestUser.Ash, channel, "counter:add", "6001");
        var response = await _host.InteractAsync(click);

        Assert.Equal(7, response.Type());
        Assert.Contains("Count: **1**", response.Data().VisibleText());
        Assert.Equal(["counter:set", "counter:add"], response.Data().CustomIds());
        response.Data().AssertPingsNobody();

        var followUp = await _host.Fake.WaitForAsync(r => r.Method == "POST" && r.Path == $"/api/v10/webhooks/{DiscordHost.ApplicationId}/{Payloads.TokenOf(click)}");
        Assert.Contains("Thanks, counted. Total 1.", followUp.Json.VisibleText());
        Assert.True(followUp.Json.IsEphemeral());
        followUp.Json.AssertPingsNobody();
    }

    [Fact]
    public async Task A_select_choice_arrives_as_the_selected_values()
    {
        var channel = Payloads.NewChannel();
        var response = await _host.InteractAsync(Payloads.Click(TestUser.Ash, channel, "counter:set", "6002", values: "20"));
        Assert.Equal(7, response.Type());
        Assert.Contains("Count: **20**", response.Data().VisibleText());
    }

    [Fact]
    public async Task A_private_reply_never_replaces_a_public_message_but_may_replace_an_ephemeral_one()
    {
        var channel = Payloads.NewChannel();
        var onPublic = await _host.InteractAsync(Payloads.Click(TestUser.Ash, channel, "counter:private", "6003"));
        Assert.Equal(4, onPublic.Type());
        Assert.True(onPublic.Data().IsEphemeral());

        var onEphemeral = await _host.InteractAsync(Payloads.Click(TestUser.Ash, channel, "counter:private", "6004", ephemeralSource: true));
        Assert.Equal(7, onEphemeral.Type());
        Assert.Contains("A private card.", onEphemeral.Data().VisibleText());
    }

    /// <summary>Drives the polls feature only through Discord, so it compiles without it; remove Skip once "polls" is merged.</summary>
    [Fact]
    public async Task A_vote_click_on_the_poll_card_returns_UPDATE_MESSAGE_with_the_new_tally()
    {
        var channel = await StartGroupAsync();
        _host.Fake.Clear();
        var opened = await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "poll new", ("details", "\"Tea or coffee?\" Tea | Coffee anonymous no")));
        Assert.Contains("is open for voting", opened.Data().VisibleText());

        var posted = await _host.Fake.WaitForAsync(r => r.Method == "POST" && r.Path == $"/api/v10/channels/{channel}/messages");
        posted.Json.AssertPingsNobody();
        var voteForTea = posted.Json.CustomIds().First(id => id.StartsWith("poll:vote:", StringComparison.Ordinal) && id.EndsWith(":1", StringComparison.Ordinal));

        var click = Payloads.Click(TestUser.Ash, channel, voteForTea, posted.CreatedId!);
        var response = await _host.InteractAsync(click);

        Assert.Equal(7, response.Type());
        var card = response.Data();
        Assert.Contains("Topic poll #", card.VisibleText());
        Assert.NotEqual(posted.Json.VisibleText(), card.VisibleText()); // the tally moved
        Assert.Contains(voteForTea, card.CustomIds());
        card.AssertPingsNobody();
        var confirmation = await _host.Fake.WaitForAsync(r => r.Path.EndsWith(Payloads.TokenOf(click), StringComparison.Ordinal));
        Assert.True(confirmation.Json.IsEphemeral());
        Assert.Contains("your vote on poll #", confirmation.Json.VisibleText());
    }
}
