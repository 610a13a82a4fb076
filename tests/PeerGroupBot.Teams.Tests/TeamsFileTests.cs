using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Outbound;
using PeerGroupBot.Teams.Outbound;
using PeerGroupBot.Teams.Tests.Fakes;

namespace PeerGroupBot.Teams.Tests;

/// <summary>
/// Files that go with replies (a member's data export, the co-production report's CSV and chart) as members see them
/// in Teams: inline images, file consent cards in personal chat, monospace cards elsewhere, notes when too large.
/// </summary>
[Collection(TeamsCollection.Name)]
public class TeamsFileTests(TeamsFixture fixture)
{
    private const string ImageType = "image/png";
    private const string ConsentType = "application/vnd.microsoft.teams.card.file.consent";
    private const string FileInfoType = "application/vnd.microsoft.teams.card.file.info";
    private static readonly byte[] PngMagic = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private FakeBotFramework Fake => fixture.Fake;
    private TeamsBotHost Host => fixture.Host;

    private async Task<GroupDocument> SetUpAsync(Scene scene, TeamsUser owner, string name)
    {
        Assert.Equal(HttpStatusCode.OK, (await Host.PostAsync(scene.Message(owner, "setup " + name))).StatusCode);
        var directory = Host.Get<GroupDirectory>();
        var index = await directory.FindChannelAsync(new ChannelRef("teams", scene.ChannelId), CancellationToken.None);
        return (await directory.GetGroupAsync(index!.GroupId, CancellationToken.None))!;
    }

    private static byte[] DataUrlBytes(JsonObject image)
    {
        var url = image["contentUrl"]!.GetValue<string>();
        Assert.StartsWith("data:image/png;base64,", url);
        return Convert.FromBase64String(url["data:image/png;base64,".Length..]);
    }

    /// <summary>The text of the monospace block in a file card.</summary>
    private static string Monospace(RecordedCall call)
        => call.Card!["body"]!.AsArray().OfType<JsonObject>().Single(b => b["fontType"]?.GetValue<string>() == "Monospace")["text"]!.GetValue<string>().Replace('\u00a0', ' ');

    [Fact]
    public async Task A_member_exports_their_data_in_personal_chat_and_allowing_the_file_saves_it_to_their_onedrive()
    {
        var (scene, owner) = fixture.NewTeam();
        var alex = TeamsUser.New("Alex");
        await SetUpAsync(scene, owner, "Export Peers");
        await Host.PostAsync(scene.Message(alex, "agenda add Sleep and screens"));
        var personal = FakeBotFramework.PersonalConversationOf(alex.Id);
        Fake.Clear();

        await Host.PostAsync(scene.Personal(alex, "me export"));

        var sent = Fake.SentTo(personal);
        Assert.Equal(2, sent.Count);
        Assert.Contains("What I hold about you", sent[0].Visible);
        var consent = Assert.Single(sent[1].AttachmentsOf(ConsentType));
        Assert.Equal("my-data.json", consent["name"]!.GetValue<string>());
        var size = consent["content"]!["sizeInBytes"]!.GetValue<int>();
        Assert.Contains("my-data.json", consent["content"]!["description"]!.GetValue<string>());
        Assert.DoesNotContain(Fake.Sent, c => c.Path.Contains(scene.TeamId, StringComparison.Ordinal));

        var uploadUrl = Fake.UploadUrl("my-data.json");
        var uploadInfo = new JsonObject
        {
            ["name"] = "my-data.json",
            ["uploadUrl"] = uploadUrl,
            ["contentUrl"] = "https://contoso-my.sharepoint.com/personal/alex/Documents/Applications/my-data.json",
            ["uniqueId"] = "1150D938-8870-4044-9F2C-5BBDEBA70C9D",
            ["fileType"] = "json",
        };
        var accepted = await Host.PostAsync(scene.FileConsent(alex, consent, sent[1].ResponseId!, "accept", uploadInfo));

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var upload = Assert.Single(Fake.Uploads, u => uploadUrl.EndsWith(u.Path, StringComparison.Ordinal));
        Assert.Equal(size, upload.Content.Length);
        Assert.Equal($"bytes 0-{size - 1}/{size}", upload.ContentRange);
        Assert.Equal("", upload.Authorization); // the upload URL is pre-authorised: the bot's token never goes there
        var json = JsonNode.Parse(upload.Content)!.ToJsonString();
        Assert.Contains("Export Peers", json);
        Assert.Contains("Sleep and screens", json);
        var fileCard = Assert.Single(Fake.SentTo(personal).Last().AttachmentsOf(FileInfoType));
        Assert.Equal(uploadInfo["contentUrl"]!.GetValue<string>(), fileCard["contentUrl"]!.GetValue<string>());
        Assert.Equal("1150D938-8870-4044-9F2C-5BBDEBA70C9D", fileCard["content"]!["uniqueId"]!.GetValue<string>());
        Assert.Equal("json", fileCard["content"]!["fileType"]!.GetValue<string>());

        // The file was handed over once; a second click finds nothing waiting.
        await Host.PostAsync(scene.FileConsent(alex, consent, sent[1].ResponseId!, "accept", uploadInfo));
        Assert.Single(Fake.Uploads, u => uploadUrl.EndsWith(u.Path, StringComparison.Ordinal));
        Assert.Contains("That file is no longer waiting", Fake.SentTo(personal).Last().Visible);
    }

    [Fact]
    public async Task Declining_the_file_uploads_nothing_and_says_so()
    {
        var scene = new Scene(Fake);
        var sam = TeamsUser.New("Sam");
        var personal = FakeBotFramework.PersonalConversationOf(sam.Id);
        await Host.PostAsync(scene.Personal(sam, "me export"));
        var card = Fake.SentTo(personal).Last();
        var consent = Assert.Single(card.AttachmentsOf(ConsentType));
        var uploads = Fake.Uploads.Count;

        var declined = await Host.PostAsync(scene.FileConsent(sam, consent, card.ResponseId!, "decline"));

        Assert.Equal(HttpStatusCode.OK, declined.StatusCode);
        Assert.Equal(uploads, Fake.Uploads.Count);
        Assert.Contains("I haven't saved **my-data.json** anywhere", Fake.SentTo(personal).Last().Visible);
    }

    [Fact]
    public async Task A_file_consent_from_another_conversation_gets_nothing()
    {
        var scene = new Scene(Fake);
        var sam = TeamsUser.New("Sam");
        var eve = TeamsUser.New("Eve");
        await Host.PostAsync(scene.Personal(sam, "me export"));
        var card = Fake.SentTo(FakeBotFramework.PersonalConversationOf(sam.Id)).Last();
        var consent = Assert.Single(card.AttachmentsOf(ConsentType));
        var uploadUrl = Fake.UploadUrl("stolen.json");

        await Host.PostAsync(scene.FileConsent(eve, consent, card.ResponseId!, "accept", new JsonObject { ["name"] = "stolen.json", ["uploadUrl"] = uploadUrl }));

        Assert.DoesNotContain(Fake.Uploads, u => uploadUrl.EndsWith(u.Path, StringComparison.Ordinal));
        Assert.Contains("That file is no longer waiting", Fake.SentTo(FakeBotFramework.PersonalConversationOf(eve.Id)).Last().Visible);
    }

    [Fact]
    public async Task When_the_upload_fails_the_export_is_shown_as_text_in_the_personal_chat()
    {
        var scene = new Scene(Fake);
        var kai = TeamsUser.New("Kai");
        var personal = FakeBotFramework.PersonalConversationOf(kai.Id);
        await Host.PostAsync(scene.Personal(kai, "me timezone Europe/Paris"));
        await Host.PostAsync(scene.Personal(kai, "me export"));
        var card = Fake.SentTo(personal).Last();
        var consent = Assert.Single(card.AttachmentsOf(ConsentType));
        Fake.FailNext("PUT", "upload/", 403);
        Fake.Clear();

        await Host.PostAsync(scene.FileConsent(kai, consent, card.ResponseId!, "accept", new JsonObject { ["name"] = "my-data.json", ["uploadUrl"] = Fake.UploadUrl("my-data.json") }));

        var sent = Fake.SentTo(personal);
        Assert.Equal(2, sent.Count);
        Assert.Contains("couldn't save **my-data.json** to your OneDrive", sent[0].Visible);
        Assert.Contains("my-data.json", sent[1].Visible);
        var text = Monospace(sent[1]);
        Assert.Contains("Europe/Paris", text);
        Assert.NotNull(JsonNode.Parse(text)); // the JSON as it is, indentation kept
        Assert.Empty(sent.SelectMany(s => s.AttachmentsOf(FileInfoType)));
    }

    [Fact]
    public async Task Me_export_typed_in_a_channel_sends_the_data_only_to_the_personal_chat()
    {
        var (scene, owner) = fixture.NewTeam();
        var jo = TeamsUser.New("Jo");
        await SetUpAsync(scene, owner, "Private Peers");
        await Host.PostAsync(scene.Message(jo, "agenda add Jo's secret topic"));
        Fake.Clear();

        await Host.PostAsync(scene.Message(jo, "me export"));

        Assert.Empty(Fake.SentTo(scene.TeamId));
        Assert.DoesNotContain(Fake.Sent, c => c.Path.Contains(scene.TeamId, StringComparison.Ordinal));
        var personal = Fake.SentTo(FakeBotFramework.PersonalConversationOf(jo.Id));
        Assert.Contains("What I hold about you", personal[0].Visible);
        Assert.Single(personal[1].AttachmentsOf(ConsentType));
    }

    [Fact]
    public async Task A_facilitators_report_in_the_channel_carries_the_chart_as_an_inline_image_and_the_csv_as_a_card()
    {
        var (scene, owner) = fixture.NewTeam();
        await SetUpAsync(scene, owner, "Report Peers");
        var message = scene.Message(owner, "record report post");
        Fake.Clear();

        await Host.PostAsync(message);

        var sent = Fake.SentTo(scene.TeamId);
        Assert.Equal(2, sent.Count);
        Assert.Contains("co-production report", sent[0].Visible);
        Assert.Equal($"v3/conversations/{scene.TeamId}/activities/{message["id"]}", sent[0].Path);
        var image = Assert.Single(sent[0].AttachmentsOf(ImageType));
        Assert.EndsWith(".png", image["name"]!.GetValue<string>());
        Assert.Equal(PngMagic, DataUrlBytes(image)[..8]);
        Assert.Equal($"v3/conversations/{scene.TeamId}/activities/{message["id"]}", sent[1].Path); // in the same thread
        Assert.EndsWith(".csv", sent[1].Card!["body"]![0]!["text"]!.GetValue<string>());
        var csv = Monospace(sent[1]);
        Assert.StartsWith("metric,value,detail\n", csv);
        Assert.Contains("Report Peers", csv);
        Assert.Equal("Monospace", sent[1].Card!["body"]![1]!["fontType"]!.GetValue<string>());
        Assert.True(sent[1].Card!["body"]![1]!["wrap"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_posted_message_with_an_image_is_one_card_message_whose_id_comes_back_so_it_can_be_updated()
    {
        var (scene, owner) = fixture.NewTeam();
        var group = await SetUpAsync(scene, owner, "Chart Peers");
        Fake.Clear();
        var chart = new ReplyAttachment("chart.png", "image/png", FilesFlow.Png(4096));

        var posted = await Host.Get<IOutbound>().PostToGroupAsync(group, new BotReply { Title = "Monthly chart", Text = "Turnout this month.", Attachments = [chart] }, CancellationToken.None);

        var sent = Assert.Single(Fake.SentTo(scene.TeamId));
        Assert.Null(sent.Text); // Teams would split text and attachments into two messages and return no id
        Assert.Contains("Turnout this month.", sent.Visible);
        Assert.Single(sent.AttachmentsOf(ImageType));
        Assert.Equal(sent.ResponseId, Assert.Single(posted.Copies).MessageId);
    }

    [Fact]
    public async Task Files_too_large_for_teams_become_notes_and_unknown_types_are_named()
    {
        var (scene, owner) = fixture.NewTeam();
        Fake.Clear();

        await Host.PostAsync(scene.Message(owner, "testfiles big"));

        var sent = Fake.SentTo(scene.TeamId);
        Assert.Equal(2, sent.Count);
        Assert.Empty(sent[0].AttachmentsOf(ImageType));
        Assert.Contains("The image chart.png (800 KB) is too large to show in Teams.", sent[0].Visible);
        Assert.Contains("archive.zip can't be shown in Teams.", sent[0].Visible);
        Assert.Contains("table.csv", sent[1].Visible);
        Assert.Contains("is too large to show in Teams", sent[1].Visible);
        Assert.Contains("me export", sent[1].Visible);
        Assert.DoesNotContain("row_000001", sent[1].Body!.ToJsonString());
        Assert.All(sent, s => Assert.True(s.Body!.ToJsonString().Length < FileCards.MaxMessageChars));
    }

    [Fact]
    public async Task When_teams_refuses_a_message_as_too_large_it_is_sent_again_without_the_image()
    {
        var (scene, owner) = fixture.NewTeam();
        Fake.FailNext("POST", $"v3/conversations/{scene.TeamId}/activities", 413);
        Fake.Clear();

        await Host.PostAsync(scene.Message(owner, "testfiles small"));

        var sent = Fake.SentTo(scene.TeamId);
        Assert.Equal(3, sent.Count); // refused, sent again, then the CSV card
        Assert.Single(sent[0].AttachmentsOf(ImageType));
        Assert.Empty(sent[1].AttachmentsOf(ImageType));
        Assert.Contains("The image chart.png is too large to show in Teams.", sent[1].Visible);
        Assert.Equal(FilesFlow.SmallCsv.Replace("\r\n", "\n").TrimEnd('\n'), Monospace(sent[2]));
    }

    [Fact]
    public async Task A_card_refreshed_by_a_click_brings_its_files_as_messages_of_their_own()
    {
        var (scene, owner) = fixture.NewTeam();
        await Host.PostAsync(scene.Message(owner, "testfiles card"));
        var posted = Fake.SentTo(scene.TeamId).Last();
        var button = posted.Card!["body"]!.AsArray().OfType<JsonObject>().Single(e => e["type"]?.GetValue<string>() == "ActionSet")["actions"]![0]!.AsObject();
        Fake.Clear();

        var response = await Host.PostForInvokeResponseAsync(scene.Execute(owner, button, "msg-files-card"));

        Assert.Equal("application/vnd.microsoft.card.adaptive", response["type"]!.GetValue<string>());
        Assert.Contains("archive.zip can't be shown in Teams.", response["value"]!.ToJsonString().Replace("\\u0027", "'"));
        await FakeBotFramework.WaitUntilAsync(() => Fake.Updates.Count > 0 && Fake.SentTo($"{scene.TeamId};messageid=msg-files-card").Count >= 2);
        Assert.Contains("Refreshed", Assert.Single(Fake.Updates).Visible);
        var sent = Fake.SentTo($"{scene.TeamId};messageid=msg-files-card");
        Assert.Equal(2, sent.Count);
        Assert.Equal(PngMagic, DataUrlBytes(Assert.Single(sent[0].AttachmentsOf(ImageType)))[..8]);
        Assert.Contains("sessions_held,3", Monospace(sent[1]));
    }

    [Fact]
    public async Task Proactive_posts_carry_files_and_private_files_only_go_to_the_personal_chat()
    {
        var (scene, owner) = fixture.NewTeam();
        var group = await SetUpAsync(scene, owner, "Proactive Peers");
        Fake.Clear();
        var outbound = Host.Get<IOutbound>();
        var csv = new ReplyAttachment("summary.csv", "text/csv", Encoding.UTF8.GetBytes(FilesFlow.SmallCsv));
        var chart = new ReplyAttachment("chart.png", "image/png", FilesFlow.Png(4096));

        await outbound.PostToGroupAsync(group, new BotReply { Title = "Monthly summary", Text = "Attached.", Attachments = [csv, chart] }, CancellationToken.None);
        Assert.True(await outbound.SendPrivateAsync(owner.MemberId, new BotReply { Text = "Your copy.", Visibility = ReplyVisibility.Private, Attachments = [csv] }, CancellationToken.None));
        await Host.Get<TeamsMessenger>().PostAsync(scene.TeamId, new BotReply { Text = "Misrouted private reply.", Visibility = ReplyVisibility.Private, Attachments = [csv] }, CancellationToken.None);

        var channel = Fake.SentTo(scene.TeamId);
        Assert.Equal(3, channel.Count);
        Assert.Single(channel[0].AttachmentsOf(ImageType));
        Assert.Contains("sessions_held,3", Monospace(channel[1]));
        Assert.Contains("only sent in your personal chat", channel[2].Visible);
        Assert.Empty(channel[2].Body!["attachments"]?.AsArray() ?? []);
        var personal = Fake.SentTo(FakeBotFramework.PersonalConversationOf(owner.Id));
        Assert.Equal("summary.csv", Assert.Single(personal[1].AttachmentsOf(ConsentType))["name"]!.GetValue<string>());
    }
}
