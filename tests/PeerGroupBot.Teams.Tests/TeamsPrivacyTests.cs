using System.Net;
using System.Security.Cryptography;
using System.Text;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Members;
using PeerGroupBot.Core.Outbound;
using PeerGroupBot.Teams.Inbound;
using PeerGroupBot.Teams.Outbound;
using PeerGroupBot.Teams.Tests.Fakes;

namespace PeerGroupBot.Teams.Tests;

/// <summary>
/// Issue 17 on Teams: logs at Debug name no member, conversation or URL (attack 3); delivery marks can't be matched to
/// their senders (attack 4); the installer record is exported and erased (attack 8). A host of its own, logging at Debug.
/// </summary>
public sealed class TeamsPrivacyTests : IAsyncLifetime
{
    private FakeBotFramework _fake = null!;
    private TeamsBotHost _host = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeBotFramework.StartAsync();
        _host = new TeamsBotHost(_fake, settings: new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Debug",
            ["Logging:LogLevel:Microsoft"] = "Debug",
            ["Logging:LogLevel:System"] = "Debug",
        });
        _host.StartServer();
        _host.Get<PeerGroupBot.Core.Security.KeyRing>();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task No_log_line_at_any_level_carries_a_url_a_conversation_id_an_account_id_or_a_name()
    {
        var scene = new Scene(_fake);
        var owner = TeamsUser.New("Olu");
        _fake.TeamOwners[scene.AadGroupId] = [owner.AadObjectId];
        var priya = TeamsUser.New("Priyanka");
        Assert.Equal(HttpStatusCode.OK, (await _host.PostAsync(scene.BotAdded(owner))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _host.PostAsync(scene.Message(owner, "setup Tuesday Peers"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _host.PostAsync(scene.Message(priya, "help"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _host.PostAsync(scene.Personal(priya, "me"))).StatusCode);
        // The proactive path a facilitator's reply to a concern takes.
        Assert.True(await _host.Get<IOutbound>().SendPrivateAsync(priya.MemberId, BotReply.Private("Reply from the facilitators"), CancellationToken.None));

        var personalChat = FakeBotFramework.PersonalConversationOf(priya.Id);
        Assert.NotEmpty(_fake.SentTo(personalChat)); // the journey happened
        var lines = _host.Logs.Lines;
        Assert.Contains(lines, l => l.StartsWith("Debug", StringComparison.Ordinal)); // Debug really was captured
        foreach (var line in lines)
        {
            Assert.DoesNotContain("/v3/conversations", line, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(_fake.BaseUrl, line, StringComparison.OrdinalIgnoreCase);
            foreach (var user in new[] { priya, owner })
            {
                Assert.DoesNotContain(user.Id, line, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(Uri.EscapeDataString(user.Id), line, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(user.AadObjectId, line, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(user.Name, line, StringComparison.Ordinal);
            }
            Assert.DoesNotContain(scene.TeamId, line, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Delivery_marks_are_keyed_hashes_that_hold_no_time()
    {
        var scene = new Scene(_fake);
        var owner = TeamsUser.New("Olu");
        var priya = TeamsUser.New("Priyanka");
        await _host.PostAsync(scene.Message(owner, "setup Tuesday Peers"));
        var activity = scene.Personal(priya, "me");
        await _host.PostAsync(activity);

        var plain = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(activity["conversation"]!["id"]!.GetValue<string>() + "\n" + activity["id"]!.GetValue<string>())))[..40];
        var marks = new List<string>();
        await foreach (var key in _host.Store.ListKeysAsync(DeliveryLog.Prefix)) marks.Add(key);
        Assert.NotEmpty(marks);
        Assert.DoesNotContain(marks, k => k.EndsWith(plain, StringComparison.Ordinal));
        Assert.Contains(marks, k => k.EndsWith(_host.Get<DeliveryLog>().IdOf(activity["conversation"]!["id"]!.GetValue<string>(), activity["id"]!.GetValue<string>()), StringComparison.Ordinal));
        foreach (var key in marks)
        {
            var text = Encoding.UTF8.GetString((await _host.Store.GetAsync(key))!.Content.Span);
            Assert.DoesNotMatch(@"\d{4}-\d\d-\d\dT", text);
        }
    }

    [Fact]
    public async Task The_installer_record_is_exported_and_erased()
    {
        var scene = new Scene(_fake);
        var owner = TeamsUser.New("Olu");
        _fake.TeamOwners[scene.AadGroupId] = [owner.AadObjectId];
        await _host.PostAsync(scene.BotAdded(owner));
        await _host.PostAsync(scene.Message(owner, "setup Tuesday Peers"));
        var references = _host.Get<ConversationReferences>();
        Assert.Equal(owner.AadObjectId, (await references.GetTeamAsync(scene.TeamId, CancellationToken.None))!.InstalledByAadObjectId);

        var data = _host.Get<MemberData>();
        var export = MemberExportText.Export(await data.ExportAsync(owner.MemberId, CancellationToken.None)).Text;
        Assert.Contains("Teams: how to reach you privately", export);
        Assert.Contains("added the bot to 1 team", export);

        await data.EraseAsync(owner.MemberId, CancellationToken.None);

        var team = await references.GetTeamAsync(scene.TeamId, CancellationToken.None);
        Assert.NotNull(team);
        Assert.Null(team!.InstalledByAadObjectId);
        Assert.Null(await references.GetMemberAsync(owner.MemberId, CancellationToken.None));
        await foreach (var key in _host.Store.ListKeysAsync(""))
            Assert.DoesNotContain(owner.AadObjectId, Encoding.UTF8.GetString((await _host.Store.GetAsync(key))!.Content.Span), StringComparison.OrdinalIgnoreCase);
    }
}
