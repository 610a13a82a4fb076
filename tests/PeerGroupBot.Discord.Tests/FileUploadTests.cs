using System.Text.Json;
using PeerGroupBot.Discord.Tests.Support;

namespace PeerGroupBot.Discord.Tests;

/// <summary>
/// Replies with files (a member's export, the co-production report) through the real host: Discord's HTTP answer to an
/// interaction cannot carry files, so the bot defers and uploads the message with its files through the interaction's
/// webhook, as multipart with <c>payload_json</c> and <c>files[n]</c>, which the fake Discord parses.
/// </summary>
public sealed class FileUploadTests : IAsyncLifetime
{
    private static readonly byte[] PngMagic = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private DiscordHost _host = null!;

    public async Task InitializeAsync() => _host = await DiscordHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static string WebhookPath(string payload) => $"/api/v10/webhooks/{DiscordHost.ApplicationId}/{Payloads.TokenOf(payload)}";

    private Task<RecordedRequest> EditOfOriginalAsync(string payload)
        => _host.Fake.WaitForAsync(r => r.Method == "PATCH" && r.Path == WebhookPath(payload) + "/messages/@original");

    private Task<RecordedRequest> FollowUpAsync(string payload)
        => _host.Fake.WaitForAsync(r => r.Method == "POST" && r.Path.StartsWith(WebhookPath(payload), StringComparison.Ordinal));

    /// <summary>A deferral without data (or without the flag) leaves a message everyone sees.</summary>
    private static bool IsEphemeralDeferral(JsonElement response) => response.TryGetProperty("data", out var data) && data.IsEphemeral();

    [Fact]
    public async Task Me_export_arrives_privately_with_the_members_data_as_my_data_json()
    {
        var channel = Payloads.NewChannel();
        await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "setup start", ("name", "Export Peers")));
        await _host.InteractAsync(Payloads.Command(TestUser.Ash, channel, "agenda add", ("text", "Sleep and screens")));
        await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "agenda add", ("text", "Room booking")));
        await _host.InteractAsync(Payloads.Command(TestUser.Ash, channel, "me quiet", ("hours", "22:00-08:00")));

        var command = Payloads.Command(TestUser.Ash, channel, "me export");
        var response = await _host.InteractAsync(command);
        Assert.Equal(5, response.Type()); // deferred: the file cannot ride on the HTTP answer
        Assert.True(IsEphemeralDeferral(response)); // and only Ash ever sees the message

        var edit = await EditOfOriginalAsync(command);
        Assert.Contains("What I hold about you", edit.Json.VisibleText());
        Assert.Contains("Agenda item you added: \"Sleep and screens\"", edit.Json.VisibleText());
        edit.Json.AssertPingsNobody();
        var file = Assert.Single(edit.AssertUpload());
        Assert.Equal(("files[0]", "my-data.json", "application/json"), (file.PartName, file.FileName, file.ContentType));

        using var data = JsonDocument.Parse(file.Content);
        Assert.Equal(TestUser.Ash.MemberId, data.RootElement.GetProperty("memberId").GetString());
        Assert.NotEqual(JsonValueKind.Null, data.RootElement.GetProperty("preferences").GetProperty("quietFrom").ValueKind);
        var group = Assert.Single(data.RootElement.GetProperty("groups").EnumerateArray());
        Assert.Equal("Export Peers", group.GetProperty("groupName").GetString());
        Assert.Equal("Sleep and screens", Assert.Single(group.GetProperty("agendaItems").EnumerateArray()).GetProperty("text").GetString());
        Assert.DoesNotContain("Room booking", file.Text); // Dee's item is Dee's

        // Nothing was posted for the channel to see.
        Assert.DoesNotContain(_host.Fake.Requests, r => r.Path.Contains(Payloads.TokenOf(command)) && r.Method == "POST");
    }

    [Fact]
    public async Task Record_report_by_a_facilitator_comes_with_the_csv_and_the_png_chart()
    {
        var channel = Payloads.NewChannel();
        await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "setup start", ("name", "Report Peers")));
        await _host.InteractAsync(Payloads.Command(TestUser.Ash, channel, "agenda add", ("text", "Sleep and screens")));
        await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "agenda add", ("text", "Room booking")));
        await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "agenda post"));

        // A member is refused at once, privately, with no file and no deferral.
        var refused = await _host.InteractAsync(Payloads.Command(TestUser.Ash, channel, "record report"));
        Assert.Equal(4, refused.Type());
        Assert.True(refused.Data().IsEphemeral());
        Assert.Contains("for facilitators", refused.Data().VisibleText());

        var command = Payloads.Command(TestUser.Dee, channel, "record report", ("share", "post"));
        var response = await _host.InteractAsync(command);
        Assert.Equal(5, response.Type());
        Assert.False(IsEphemeralDeferral(response)); // posted with share:post, so the report is for the channel, as the core decided

        var edit = await EditOfOriginalAsync(command);
        Assert.Contains("Report Peers: co-production report", edit.Json.VisibleText());
        edit.Json.AssertPingsNobody();
        var files = edit.AssertUpload();
        Assert.Equal(2, files.Count);
        var csv = Assert.Single(files, f => f.ContentType == "text/csv");
        Assert.Matches(@"^coproduction-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$", csv.FileName);
        Assert.StartsWith("metric,value,detail\r\n", csv.Text);
        Assert.Contains("member_proposed_share,", csv.Text);
        var png = Assert.Single(files, f => f.ContentType == "image/png");
        Assert.Equal(Path.ChangeExtension(csv.FileName, ".png"), png.FileName);
        Assert.Equal(PngMagic, png.Content.Take(8));
        Assert.True(png.Content.Length > 100);
    }

    [Fact]
    public async Task A_file_over_the_limit_is_replaced_by_a_note_and_the_rest_still_arrive()
    {
        var command = Payloads.Command(TestUser.Ash, Payloads.NewChannel(), "files big");
        var response = await _host.InteractAsync(command);
        Assert.True(IsEphemeralDeferral(response));

        var edit = await EditOfOriginalAsync(command);
        var file = Assert.Single(edit.AssertUpload());
        Assert.Equal(("summary.txt", "the short one"), (file.FileName, file.Text));
        var text = edit.Json.VisibleText();
        Assert.Contains("Your files.", text);
        Assert.Contains("`everything.csv` is 11 MiB, over Discord's 10 MiB limit for a file here, so it isn't attached.", text);
        Assert.Contains("shorter period with `record report 30d`", text);
        Assert.True(edit.Body.Length < 10_000); // the big file's bytes went nowhere
    }

    [Fact]
    public async Task The_file_limit_is_the_one_the_interaction_states()
    {
        // A boosted server: Discord says in the interaction that 50 MiB may be attached.
        var boosted = System.Text.Json.Nodes.JsonNode.Parse(Payloads.Command(TestUser.Ash, Payloads.NewChannel(), "files big"))!;
        boosted["attachment_size_limit"] = 50 * 1024 * 1024;
        await _host.InteractAsync(boosted.ToJsonString());
        var edit = await EditOfOriginalAsync(boosted.ToJsonString());
        Assert.Equal(["summary.txt", "everything.csv"], edit.AssertUpload().Select(f => f.FileName));
        Assert.Equal(FilesFlow.BigBytes, edit.Files.Single(f => f.FileName == "everything.csv").Content.Length);

        // A server whose limit is lower than the default: the 11 MiB file is left out with that limit named.
        var small = System.Text.Json.Nodes.JsonNode.Parse(Payloads.Command(TestUser.Ash, Payloads.NewChannel(), "files big"))!;
        small["attachment_size_limit"] = 8 * 1024 * 1024;
        await _host.InteractAsync(small.ToJsonString());
        Assert.Contains("over Discord's 8 MiB limit for a file here", (await EditOfOriginalAsync(small.ToJsonString())).Json.VisibleText());
    }

    [Fact]
    public async Task At_most_ten_files_go_in_a_message_and_the_rest_are_named()
    {
        var command = Payloads.Command(TestUser.Ash, Payloads.NewChannel(), "files many");
        var response = await _host.InteractAsync(command);
        Assert.False(IsEphemeralDeferral(response));

        var edit = await EditOfOriginalAsync(command);
        var files = edit.AssertUpload();
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"part-{i}.txt"), files.Select(f => f.FileName));
        Assert.Equal("part 10", files[9].Text);
        Assert.Contains("so `part-11.txt`, `part-12.txt` aren't attached", edit.Json.VisibleText());
    }

    [Fact]
    public async Task A_public_reply_fills_the_deferred_message_and_a_private_one_follows_ephemerally_with_its_own_file()
    {
        var command = Payloads.Command(TestUser.Ash, Payloads.NewChannel(), "files both");
        var response = await _host.InteractAsync(command);
        Assert.Equal(5, response.Type());
        Assert.False(IsEphemeralDeferral(response));

        var edit = await EditOfOriginalAsync(command);
        Assert.Contains("A file for everyone.", edit.Json.VisibleText());
        Assert.Equal("for all", Assert.Single(edit.AssertUpload()).Text);

        var followUp = await FollowUpAsync(command);
        Assert.True(followUp.Json.IsEphemeral());
        followUp.Json.AssertPingsNobody();
        Assert.Contains("A file just for you.", followUp.Json.VisibleText());
        var file = Assert.Single(followUp.AssertUpload());
        Assert.Equal(("private.txt", "text/plain", "for you"), (file.FileName, file.ContentType, file.Text));
    }

    [Fact]
    public async Task A_click_whose_reply_has_a_file_is_deferred_as_an_update_and_the_clicked_message_gets_the_file()
    {
        var click = Payloads.Click(TestUser.Ash, Payloads.NewChannel(), "files:click", "6300");
        var response = await _host.InteractAsync(click);
        Assert.Equal(6, response.Type());

        var edit = await EditOfOriginalAsync(click);
        Assert.Contains("The card, now with a file.", edit.Json.VisibleText());
        Assert.Equal("card file", Assert.Single(edit.AssertUpload()).Text);
    }

    [Fact]
    public async Task A_slow_reply_with_a_file_still_delivers_the_file_after_the_deferral()
    {
        var command = Payloads.Command(TestUser.Ash, Payloads.NewChannel(), "slow file");
        var response = await _host.InteractAsync(command);
        Assert.Equal(5, response.Type());
        Assert.True(IsEphemeralDeferral(response));

        var edit = await EditOfOriginalAsync(command);
        Assert.Contains("Slow, with a file.", edit.Json.VisibleText());
        Assert.Equal("made slowly", Assert.Single(edit.AssertUpload()).Text);
    }

    [Fact]
    public async Task A_reply_without_files_is_still_answered_directly_as_json()
    {
        var response = await _host.InteractAsync(Payloads.Command(TestUser.Ash, Payloads.NewChannel(), "files"));
        Assert.Equal(4, response.Type());
        Assert.False(response.Data().TryGetProperty("attachments", out _));
        await Task.Delay(200);
        Assert.Empty(_host.Fake.Requests);
    }
}
