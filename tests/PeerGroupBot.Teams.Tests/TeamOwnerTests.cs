using System.Net;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Teams.Tests.Fakes;

namespace PeerGroupBot.Teams.Tests;

/// <summary>
/// Who Teams makes a facilitator: team owners, as Microsoft Graph says. The member who added the bot counts only when
/// Graph cannot answer, and only the first one: re-adding the app makes nobody an owner.
/// </summary>
[Collection(TeamsCollection.Name)]
public class TeamOwnerTests(TeamsFixture fixture)
{
    private FakeBotFramework Fake => fixture.Fake;
    private TeamsBotHost Host => fixture.Host;

    private Task<GroupDocument?> GroupOfAsync(string channelId) => Host.GroupOfAsync(channelId);

    [Fact]
    public async Task A_member_who_re_adds_the_app_is_not_made_a_facilitator_when_graph_says_they_are_not_an_owner()
    {
        var (scene, owner) = fixture.NewTeam();
        var mallory = TeamsUser.New("Mallory");
        Assert.Equal(HttpStatusCode.OK, (await Host.PostAsync(scene.BotAdded(owner))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Host.PostAsync(scene.BotAdded(mallory))).StatusCode);

        await Host.PostAsync(scene.Message(mallory, "setup Hijack"));

        Assert.Null(await GroupOfAsync(scene.TeamId));
        Assert.Contains("Only a team owner can set up a group here", Fake.SentTo(FakeBotFramework.PersonalConversationOf(mallory.Id)).Last().Visible);
        await Host.PostAsync(scene.Message(owner, "setup Tuesday Peers"));
        Assert.Equal("Tuesday Peers", (await GroupOfAsync(scene.TeamId))!.Name);
    }

    [Fact]
    public async Task A_graph_owner_who_did_not_add_the_app_is_a_facilitator()
    {
        var (scene, owner) = fixture.NewTeam();
        var installer = TeamsUser.New("Ines");
        await Host.PostAsync(scene.BotAdded(installer));

        await Host.PostAsync(scene.Message(owner, "setup Tuesday Peers"));

        Assert.Contains((await GroupOfAsync(scene.TeamId))!.Facilitators, f => f.MemberId == owner.MemberId);
    }

    [Fact]
    public async Task When_graph_cannot_answer_the_first_installer_counts_and_a_later_install_does_not_replace_them()
    {
        var (scene, _) = fixture.NewTeam();
        Fake.GraphForbidden[scene.AadGroupId] = true; // no consent in this team
        var installer = TeamsUser.New("Ines");
        var mallory = TeamsUser.New("Mallory");
        await Host.PostAsync(scene.BotAdded(installer));
        await Host.PostAsync(scene.BotAdded(mallory));

        await Host.PostAsync(scene.Message(mallory, "setup Hijack"));
        Assert.Null(await GroupOfAsync(scene.TeamId));

        await Host.PostAsync(scene.Message(installer, "setup Tuesday Peers"));
        var group = await GroupOfAsync(scene.TeamId);
        Assert.Equal("Tuesday Peers", group!.Name);
        Assert.Contains(group.Facilitators, f => f.MemberId == installer.MemberId);
        Assert.DoesNotContain(group.Facilitators, f => f.MemberId == mallory.MemberId);
    }
}
