using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Members;
using PeerGroupBot.Core.Outbound;
using PeerGroupBot.Core.State;
using PeerGroupBot.Teams.Outbound;
using PeerGroupBot.Teams.Tests.Fakes;
using PeerGroupBot.Testing;

namespace PeerGroupBot.Teams.Tests;

/// <summary>
/// How the bot keeps the way to reach a Teams member privately: in the member's group index, created with their first
/// input in a group, so a first vote costs the same two creates as on Discord. Counted at the store behind the real
/// Teams endpoint (never timed); what is stored is then used from a second host, whose memory starts empty.
/// </summary>
[Collection(TeamsCollection.Name)]
public sealed class MemberContactTests(TeamsFixture fixture)
{
    private FakeBotFramework Fake => fixture.Fake;

    /// <summary>A host of its own over <paramref name="store"/>, every storage call counted.</summary>
    private TeamsBotHost HostOver(InMemoryStateStore store, out CountingStateStore counted)
    {
        var counting = counted = new CountingStateStore(store);
        var host = new TeamsBotHost(Fake, store, services: s => s.AddSingleton<IStateStore>(counting));
        host.StartServer();
        host.Get<PeerGroupBot.Core.Security.KeyRing>();
        return host;
    }

    private static JsonObject VoteButton(RecordedCall posted, string verb)
        => posted.Card!["body"]!.AsArray().OfType<JsonObject>()
            .Where(e => e["type"]?.GetValue<string>() == "ActionSet")
            .SelectMany(e => e["actions"]!.AsArray().OfType<JsonObject>())
            .First(a => a["verb"]?.GetValue<string>() == verb);

    private async Task<RecordedCall> PollAsync(TeamsBotHost host, Scene scene, TeamsUser owner)
    {
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync(scene.Message(owner, "setup Tuesday Peers"))).StatusCode);
        await host.PostAsync(scene.Message(owner, "poll new \"What next?\" Sleep | Boundaries | Holidays"));
        return Fake.SentTo(scene.TeamId).Last(c => c.Visible.Contains("Topic poll #1", StringComparison.Ordinal));
    }

    private static async Task<List<(string Key, string Text)>> DumpAsync(InMemoryStateStore store)
    {
        var all = new List<(string, string)>();
        await foreach (var key in store.ListKeysAsync(""))
            if (await store.GetAsync(key) is { } doc) all.Add((key, Encoding.UTF8.GetString(doc.Content.Span)));
        return all;
    }

    [Fact]
    public async Task A_members_first_vote_is_two_creates_and_the_ballot_box_write_and_their_next_vote_one_call_and_they_are_reached_from_another_host()
    {
        var store = new InMemoryStateStore();
        var (scene, owner) = fixture.NewTeam();
        var sam = TeamsUser.New("Sam");
        await using var host = HostOver(store, out var counted);
        var posted = await PollAsync(host, scene, owner);
        // Alex votes first: the ballot box exists and this instance has checked once that links are marked, as on any
        // instance that has served a vote.
        await host.PostForInvokeResponseAsync(scene.Execute(TeamsUser.New("Alex"), VoteButton(posted, "poll:vote:1:1"), posted.ResponseId!));
        await FakeBotFramework.WaitUntilAsync(() => Fake.Updates.Count > 0, "Alex's vote on the card");
        Fake.Clear();

        counted.Reset();
        var first = await host.PostForInvokeResponseAsync(scene.Execute(sam, VoteButton(posted, "poll:vote:1:2"), posted.ResponseId!));
        var firstVote = counted.ToString();
        Assert.Contains("your vote on poll #1 is in: **Boundaries**", first["value"]!.ToJsonString());
        Assert.True(counted.Creates == 2, firstVote); // Sam's group index (with how to reach Sam) and roster entry
        Assert.Equal(3, counted.Total); // + the ballot box write (from this instance's copy of it)
        await FakeBotFramework.WaitUntilAsync(() => Fake.Updates.Count > 0, "the card updated for everyone");

        counted.Reset();
        var next = await host.PostForInvokeResponseAsync(scene.Execute(sam, VoteButton(posted, "poll:vote:1:3"), posted.ResponseId!));
        Assert.Contains("**Holidays**", next["value"]!.ToJsonString());
        Assert.True(counted.Total == 1 && counted.Replaces == 1, $"first vote {firstVote}; next vote {counted}");

        // Nothing of Sam's is stored the old way; the index holds the reference.
        var dump = await DumpAsync(store);
        Assert.DoesNotContain(dump, d => d.Key.StartsWith("teams/members/", StringComparison.Ordinal));
        var index = Assert.Single(dump, d => d.Key == GroupDirectory.MemberIndexKey(host.Get<GroupDirectory>().MemberKey(sam.MemberId)));
        Assert.Contains(sam.Id, index.Text);

        // A second instance, whose memory knows nothing of Sam, reaches Sam's 1:1 chat from what was stored.
        await using var other = new TeamsBotHost(Fake, store);
        other.StartServer();
        Fake.Clear();
        Assert.True(await other.Get<IOutbound>().SendPrivateAsync(sam.MemberId, BotReply.Private("A facilitator replied to your concern."), CancellationToken.None));
        var created = Assert.Single(Fake.CreatedConversations);
        Assert.Equal(sam.Id, created.Body!["members"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(scene.TenantId, created.Body!["tenantId"]!.GetValue<string>());
        Assert.Equal(TeamsBotHost.BotId, created.Body!["bot"]!["id"]!.GetValue<string>());
        Assert.Contains("A facilitator replied", Assert.Single(Fake.SentTo(FakeBotFramework.PersonalConversationOf(sam.Id))).Visible);

        // The 1:1 chat it created is kept with the reference: a third instance sends there without creating it again.
        await using var third = new TeamsBotHost(Fake, store);
        third.StartServer();
        Fake.Clear();
        Assert.True(await third.Get<IOutbound>().SendPrivateAsync(sam.MemberId, BotReply.Private("Your rota turn is next week."), CancellationToken.None));
        Assert.Empty(Fake.CreatedConversations);
        Assert.Contains("Your rota turn", Assert.Single(Fake.SentTo(FakeBotFramework.PersonalConversationOf(sam.Id))).Visible);
    }

    [Fact]
    public async Task A_member_who_talked_to_the_bot_privately_first_votes_for_the_first_time_in_five_calls_and_keeps_their_chat()
    {
        var store = new InMemoryStateStore();
        var (scene, owner) = fixture.NewTeam();
        var jo = TeamsUser.New("Jo");
        await using var host = HostOver(store, out var counted);
        var posted = await PollAsync(host, scene, owner);
        await host.PostForInvokeResponseAsync(scene.Execute(TeamsUser.New("Alex"), VoteButton(posted, "poll:vote:1:1"), posted.ResponseId!));
        await host.PostAsync(scene.Personal(jo, "help")); // Jo's reference, with the personal chat, and no group yet
        var personal = FakeBotFramework.PersonalConversationOf(jo.Id);
        await FakeBotFramework.WaitUntilAsync(() => Fake.SentTo(personal).Count > 0, "help in Jo's personal chat");
        await using var fresh = HostOver(store, out var freshCounted); // an instance that has not met Jo
        await fresh.PostForInvokeResponseAsync(scene.Execute(owner, VoteButton(posted, "poll:vote:1:3"), posted.ResponseId!)); // it has served a vote

        freshCounted.Reset();
        var vote = await fresh.PostForInvokeResponseAsync(scene.Execute(jo, VoteButton(posted, "poll:vote:1:2"), posted.ResponseId!));

        Assert.Contains("your vote on poll #1 is in: **Boundaries**", vote["value"]!.ToJsonString());
        // The index: a refused create, a read, one conditional write (the group, the reference kept); the roster entry; the box write.
        Assert.True(freshCounted.Total == 5 && freshCounted.Creates == 2 && freshCounted.Replaces == 2, freshCounted.ToString());
        Fake.Clear();
        await using var other = new TeamsBotHost(Fake, store);
        other.StartServer();
        Assert.True(await other.Get<IOutbound>().SendPrivateAsync(jo.MemberId, BotReply.Private("Poll #1 has closed."), CancellationToken.None));
        Assert.Empty(Fake.CreatedConversations); // the personal chat stored from Jo's own message is still the one used
        Assert.Single(Fake.SentTo(personal));
    }

    [Fact]
    public async Task A_members_first_channel_message_costs_two_creates_more_than_a_member_seen_before()
    {
        var store = new InMemoryStateStore();
        var (scene, owner) = fixture.NewTeam();
        var priya = TeamsUser.New("Priya");
        var nia = TeamsUser.New("Nia");
        await using var host = HostOver(store, out var counted);
        var posted = await PollAsync(host, scene, owner);
        await host.PostAsync(scene.Message(owner, "agenda add Welcome"));
        // Priya is seen before by a vote, answered in the card: like Nia, she has no personal chat with the bot yet, so
        // the private answer to the message below opens one for each of them.
        await host.PostForInvokeResponseAsync(scene.Execute(priya, VoteButton(posted, "poll:vote:1:1"), posted.ResponseId!));

        counted.Reset();
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync(scene.Message(priya, "agenda add Tea and biscuits"))).StatusCode);
        var seenBefore = counted.ToString();
        var (seenTotal, seenCreates) = (counted.Total, counted.Creates);

        counted.Reset();
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync(scene.Message(nia, "agenda add Boundaries at work"))).StatusCode);

        Assert.True(counted.Total == seenTotal + 2 && counted.Creates == seenCreates + 2, $"seen before: {seenBefore}; first message: {counted}");
        // Her index is created with how to reach her, then written once more with the personal chat just opened: from the
        // copy this instance kept of what it created, so with no read in between.
        var niaIndex = GroupDirectory.MemberIndexKey(host.Get<GroupDirectory>().MemberKey(nia.MemberId));
        Assert.Equal(["create " + niaIndex, "replace " + niaIndex], counted.Calls.Where(c => c.EndsWith(" " + niaIndex, StringComparison.Ordinal)));
        // Nia is answered in a personal chat the bot opened with the reference that came with the message.
        Assert.Contains("Boundaries at work", string.Join("\n", Fake.SentTo(FakeBotFramework.PersonalConversationOf(nia.Id)).Select(c => c.Visible)));
        Assert.Contains(await host.Get<GroupDirectory>().ListMembersAsync((await host.GroupOfAsync(scene.TeamId))!.Id, CancellationToken.None), m => m.MemberId == nia.MemberId);

        // And Nia can be reached privately from the reference that came with that message.
        await using var other = new TeamsBotHost(Fake, store);
        other.StartServer();
        Assert.True(await other.Get<IOutbound>().SendPrivateAsync(nia.MemberId, BotReply.Private("Your agenda item is up next."), CancellationToken.None));
        Assert.Contains("Your agenda item is up next.", Fake.SentTo(FakeBotFramework.PersonalConversationOf(nia.Id)).Last().Visible);
    }

    [Fact]
    public async Task A_reference_stored_the_old_way_is_still_used_to_send_and_is_erased_with_the_member()
    {
        var store = new InMemoryStateStore();
        var (scene, owner) = fixture.NewTeam();
        var jo = TeamsUser.New("Jo");
        Fake.InstalledFor[jo.Id] = true;
        await using var host = HostOver(store, out _);
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync(scene.Message(owner, "setup Tuesday Peers"))).StatusCode);
        // A deployment from before the move: Jo's reference where Teams kept it, and no group index for Jo.
        var legacyKey = host.Get<ConversationReferences>().LegacyMemberKey(jo.MemberId);
        Assert.True(await host.Get<Documents>().TryCreateAsync(legacyKey, new MemberReference
        {
            UserId = jo.Id, ServiceUrl = scene.ServiceUrl, BotId = TeamsBotHost.BotId, TenantId = scene.TenantId, AadObjectId = jo.AadObjectId,
        }));
        Fake.Clear();

        Assert.True(await host.Get<IOutbound>().SendPrivateAsync(jo.MemberId, BotReply.Private("Your rota turn is next week."), CancellationToken.None));
        Assert.True(await host.Get<IOutbound>().SendPrivateAsync(jo.MemberId, BotReply.Private("Reminder: session tomorrow."), CancellationToken.None));

        var created = Assert.Single(Fake.CreatedConversations); // the 1:1 chat was kept with the old reference and reused
        Assert.Equal(scene.TenantId, created.Body!["tenantId"]!.GetValue<string>());
        Assert.Equal(2, Fake.SentTo(FakeBotFramework.PersonalConversationOf(jo.Id)).Count);
        var export = MemberExportText.Export(await host.Get<MemberData>().ExportAsync(jo.MemberId, CancellationToken.None)).Text;
        Assert.Contains("Teams: how to reach you privately", export);

        await host.Get<MemberData>().EraseAsync(jo.MemberId, CancellationToken.None);

        Assert.Null(await host.Get<ConversationReferences>().GetMemberAsync(jo.MemberId, CancellationToken.None));
        Assert.DoesNotContain(await DumpAsync(store), d => d.Key == legacyKey || d.Text.Contains(jo.Id, StringComparison.Ordinal) || d.Text.Contains(jo.AadObjectId, StringComparison.Ordinal));
        Assert.False(await host.Get<IOutbound>().SendPrivateAsync(jo.MemberId, BotReply.Private("Hello"), CancellationToken.None));
    }

    [Fact]
    public async Task Erasure_leaves_nothing_of_how_to_reach_the_member_anywhere_in_storage()
    {
        var store = new InMemoryStateStore();
        var (scene, owner) = fixture.NewTeam();
        var sam = TeamsUser.New("Sam");
        await using var host = HostOver(store, out _);
        var posted = await PollAsync(host, scene, owner);
        await host.PostForInvokeResponseAsync(scene.Execute(sam, VoteButton(posted, "poll:vote:1:1"), posted.ResponseId!));
        await host.PostAsync(scene.Personal(sam, "me")); // Sam's personal chat is now part of the reference
        var personal = FakeBotFramework.PersonalConversationOf(sam.Id);
        Assert.Contains(await DumpAsync(store), d => d.Text.Contains(personal, StringComparison.Ordinal));

        await host.PostAsync(scene.Personal(sam, "me erase"));
        var confirm = Fake.SentTo(personal).Last();
        var button = VoteButton(confirm, "me:erase:confirm");
        await host.PostForInvokeResponseAsync(scene.Execute(sam, button, confirm.ResponseId ?? "msg-erase", personal: true));

        var dump = await DumpAsync(store);
        Assert.DoesNotContain(dump, d => d.Text.Contains(sam.Id, StringComparison.Ordinal) || d.Text.Contains(sam.AadObjectId, StringComparison.Ordinal) || d.Text.Contains(personal, StringComparison.Ordinal));
        Assert.DoesNotContain(dump, d => d.Key.Contains(host.Get<GroupDirectory>().MemberKey(sam.MemberId), StringComparison.Ordinal));
        // Another instance has nothing to send to.
        await using var other = new TeamsBotHost(Fake, store);
        other.StartServer();
        Assert.False(await other.Get<IOutbound>().SendPrivateAsync(sam.MemberId, BotReply.Private("Hello"), CancellationToken.None));
    }
}
