using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Members;
using PeerGroupBot.Core.Security;
using PeerGroupBot.Core.State;
using PeerGroupBot.Core.Tests.Concerns;
using PeerGroupBot.Core.Tests.Polls;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Members;

/// <summary>
/// How to reach an account privately (<see cref="BotInput.Contact"/>), as the core keeps it for an adapter: in the
/// account's group index, stored with a newcomer's index in the one create, otherwise written only when it changed,
/// kept through linking and unlinking, and gone with an erasure. Counted in storage calls, never timed.
/// </summary>
public sealed class MemberContactsTests
{
    private static readonly KeyRing Keys = KeyRing.CreateRandom();

    /// <summary>What an adapter says of each actor: their id, where their platform serves them, their chat when private.</summary>
    private static JsonElement? ContactOf(Actor actor, Place place, string serviceUrl = "https://smba.example/emea/")
        => JsonSerializer.SerializeToElement(new Dictionary<string, string?>
        {
            ["userId"] = "user-" + MemberIds.PlatformUserIdOf(actor.MemberId),
            ["serviceUrl"] = serviceUrl,
            ["personalConversationId"] = place.IsPrivate ? place.ChannelId : null,
        });

    private static TestBot NewBot(IStateStore store) => ConcernKit.NewBot(store: store, services: s => s.AddSingleton(Keys));

    private static async Task<string?> ServiceUrlOfAsync(TestBot bot, Actor actor)
        => (await bot.Get<MemberContacts>().GetAsync(actor.MemberId, CancellationToken.None)) is { } contact ? contact.GetProperty("serviceUrl").GetString() : null;

    private static List<string> Writes(CountingStateStore store, string keyPrefix)
        => [.. store.Calls.Where(c => (c.StartsWith("create ", StringComparison.Ordinal) || c.StartsWith("replace ", StringComparison.Ordinal) || c.StartsWith("delete ", StringComparison.Ordinal))
            && c[(c.IndexOf(' ') + 1)..].StartsWith(keyPrefix, StringComparison.Ordinal))];

    /// <summary>A group whose inputs carry contacts, with poll #1 open and Alex's vote in its box.</summary>
    private static async Task<(TestBot Bot, CountingStateStore Store)> PollWithAVoteAsync()
    {
        var store = new CountingStateStore(new InMemoryStateStore());
        var bot = NewBot(store);
        bot.ContactOf = (actor, place) => ContactOf(actor, place);
        await bot.SetupGroupAsync();
        await bot.SendAsync(Alex, "poll new \"Which topic?\" Sleep | Boundaries | Holidays");
        await bot.ClickOnCardAsync(Alex, "poll:vote:1:1", "1");
        return (bot, store);
    }

    [Fact]
    public async Task A_newcomers_contact_rides_in_the_create_of_their_group_index_and_another_instance_reads_it()
    {
        var (bot, store) = await PollWithAVoteAsync();
        await using var _ = bot;
        var nia = new Actor("playground:nia", "Nia");

        store.Reset();
        var replies = await bot.ClickOnCardAsync(nia, "poll:vote:1:3", "1");

        Assert.True(store.Creates == 2 && store.Total == 3, store.ToString()); // index (with the contact) and roster entry; the ballot box write
        Assert.Contains(replies, r => r.Text.Contains("your vote on poll #1 is in: **Holidays**", StringComparison.Ordinal));
        store.Reset();
        await bot.ClickOnCardAsync(nia, "poll:vote:1:2", "1");
        Assert.True(store.Total == 1, store.ToString()); // the ballot box write, from this instance's copy

        await using var other = NewBot(store);
        Assert.Equal("https://smba.example/emea/", await ServiceUrlOfAsync(other, nia));
        Assert.Contains("#1", (await bot.SendAsync(nia, PrivateOf(nia), "poll list")).Seen()); // the index is still the group index
    }

    [Fact]
    public async Task A_member_who_spoke_to_the_bot_privately_first_joins_their_first_group_with_one_read_of_their_index()
    {
        var (bot, store) = await PollWithAVoteAsync();
        await using var _ = bot;
        var nia = new Actor("playground:nia", "Nia");
        await bot.SendAsync(nia, PrivateOf(nia), "help"); // an index holding only how to reach Nia, her private chat included
        var indexKey = GroupDirectory.MemberIndexKey(bot.Directory.MemberKey(nia.MemberId));
        await using var fresh = NewBot(store); // an instance that has not met Nia: it learns everything from storage
        fresh.ContactOf = bot.ContactOf;
        await fresh.ClickAsync(Alex, "poll:vote:1:2", Channel, sourceMessageId: bot.Playground.PostedCard("1").MessageId); // it has served a vote

        store.Reset();
        await fresh.ClickAsync(nia, "poll:vote:1:3", Channel, sourceMessageId: bot.Playground.PostedCard("1").MessageId);

        // The refused create of the index, its read and one conditional write (group and contact), the roster entry; the
        // box write (this instance holds the box from the vote before).
        Assert.Equal(["create " + indexKey, "get " + indexKey, "replace " + indexKey], store.Calls.Where(c => c.EndsWith(" " + indexKey, StringComparison.Ordinal)));
        Assert.True(store.Total == 5 && !store.Calls.Any(c => c.Contains("members/links/", StringComparison.Ordinal)), store.ToString());
        Assert.Contains(await fresh.Directory.ListMembersAsync((await fresh.GroupAsync()).Id, CancellationToken.None), m => m.MemberId == nia.MemberId);
        Assert.Contains("#1", (await fresh.SendAsync(nia, PrivateOf(nia), "poll list")).Seen());
        await using var other = NewBot(store);
        var contact = (await other.Get<MemberContacts>().GetAsync(nia.MemberId, CancellationToken.None))!.Value;
        Assert.Equal(PrivateOf(nia).ChannelId, contact.GetProperty("personalConversationId").GetString()); // kept through the vote in the channel
    }

    [Fact]
    public async Task A_contact_is_written_only_when_it_changed_and_what_an_input_leaves_out_keeps_its_stored_value()
    {
        var store = new CountingStateStore(new InMemoryStateStore());
        await using var bot = NewBot(store);
        var serviceUrl = "https://smba.example/amer/";
        bot.ContactOf = (actor, place) => ContactOf(actor, place, serviceUrl);
        await bot.SetupGroupAsync();
        await bot.SendAsync(Sam, PrivateOf(Sam), "help"); // Sam's private chat comes with this one
        var indexKey = GroupDirectory.MemberIndexKey(bot.Directory.MemberKey(Sam.MemberId));

        store.Reset();
        await bot.SendAsync(Sam, "help"); // in the channel: no private chat in the contact, nothing else new
        Assert.Empty(Writes(store, indexKey));
        var contact = (await bot.Get<MemberContacts>().GetAsync(Sam.MemberId, CancellationToken.None))!.Value;
        Assert.Equal(PrivateOf(Sam).ChannelId, contact.GetProperty("personalConversationId").GetString());

        serviceUrl = "https://smba.example/emea/"; // Teams moves the tenant to another regional service URL
        store.Reset();
        await bot.SendAsync(Sam, "help");
        Assert.Single(Writes(store, indexKey));
        await using var other = NewBot(store);
        Assert.Equal("https://smba.example/emea/", await ServiceUrlOfAsync(other, Sam));
        var stored = (await other.Get<MemberContacts>().GetAsync(Sam.MemberId, CancellationToken.None))!.Value;
        Assert.Equal(PrivateOf(Sam).ChannelId, stored.GetProperty("personalConversationId").GetString());
        Assert.Contains(await other.Directory.GroupsOfMemberAsync(Sam.MemberId, CancellationToken.None), g => g.Name == "Tuesday Peers"); // and the index is still Sam's group index

        // An instance that has not stored it reads it and changes nothing when it is the same.
        other.ContactOf = bot.ContactOf;
        var before = (await store.GetAsync(indexKey))!.ETag;
        store.Reset();
        await other.SendAsync(Sam, "help");
        Assert.DoesNotContain(store.Calls, c => c == "replace " + indexKey);
        Assert.Equal(before, (await store.GetAsync(indexKey))!.ETag);
    }

    [Fact]
    public async Task Raising_a_concern_writes_nothing_of_the_member_that_was_not_already_stored()
    {
        var store = new CountingStateStore(new InMemoryStateStore());
        await using var bot = NewBot(store);
        bot.ContactOf = (actor, place) => ContactOf(actor, place);
        await bot.SetupWithConcernsChannelAsync();
        await bot.SendAsync(Sam, PrivateOf(Sam), "help");
        var samKey = bot.Directory.MemberKey(Sam.MemberId);

        store.Reset();
        await bot.RaiseAsync(Sam, "The sessions start late and nobody says why.");

        Assert.Empty(Writes(store, GroupDirectory.MemberIndexKey(samKey)));
        Assert.DoesNotContain(store.Calls, c => c.Contains("/members/" + samKey, StringComparison.Ordinal) && !c.StartsWith("get ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Linking_and_unlinking_accounts_keeps_how_to_reach_each_and_erasure_removes_both()
    {
        var store = new CountingStateStore(new InMemoryStateStore());
        await using var bot = NewBot(store);
        bot.ContactOf = (actor, place) => ContactOf(actor, place, "https://reach/" + actor.Platform);
        var teams = new Actor("teams:29:morgan", "Morgan Lee");
        var discord = new Actor("discord:5550001112", "morgan_l");
        await bot.SetupGroupAsync();
        await bot.SendAsync(teams, "help");
        await bot.SendAsync(discord, PrivateOf(discord), "help");

        var code = System.Text.RegularExpressions.Regex.Match(Assert.Single(await bot.SendAsync(teams, PrivateOf(teams), "me link")).Text, @"\*\*([A-Z0-9]{8})\*\*").Groups[1].Value;
        Assert.StartsWith("Linked:", Assert.Single(await bot.SendAsync(discord, PrivateOf(discord), $"me link {code}")).Text);

        await using (var other = NewBot(store))
        {
            Assert.Equal("https://reach/teams", await ServiceUrlOfAsync(other, teams));
            Assert.Equal("https://reach/discord", await ServiceUrlOfAsync(other, discord));
        }
        Assert.Single(await bot.SendAsync(teams, PrivateOf(teams), "me unlink"));
        Assert.Contains("**Linked account:** none", Assert.Single(await bot.SendAsync(teams, PrivateOf(teams), "me")).Text);
        await using (var other = NewBot(store))
        {
            Assert.Equal("https://reach/teams", await ServiceUrlOfAsync(other, teams));
            Assert.Equal("https://reach/discord", await ServiceUrlOfAsync(other, discord));
        }

        await bot.SendAsync(teams, PrivateOf(teams), "me erase");
        Assert.Single(await bot.ClickAsync(teams, "me:erase:confirm", PrivateOf(teams)));
        Assert.Null(await ServiceUrlOfAsync(bot, teams));
        await using var after = NewBot(store);
        Assert.Null(await ServiceUrlOfAsync(after, teams));
        Assert.DoesNotContain(await bot.DumpStoreAsync(), d => d.Text.Contains("user-29:morgan", StringComparison.Ordinal) || d.Text.Contains("https://reach/teams", StringComparison.Ordinal));
    }

    [Fact]
    public void A_field_left_out_or_null_keeps_its_stored_value_and_every_other_field_is_the_new_one()
    {
        using var stored = JsonDocument.Parse("""{"userId":"u1","serviceUrl":"https://a/","tenantId":"t1","personalConversationId":"p1"}""");
        using var incoming = JsonDocument.Parse("""{"userId":"u1","serviceUrl":"https://b/","personalConversationId":null,"aadObjectId":"o1"}""");

        var merged = MemberContacts.Merge(stored.RootElement, incoming.RootElement);

        using var expected = JsonDocument.Parse("""{"userId":"u1","serviceUrl":"https://b/","tenantId":"t1","personalConversationId":"p1","aadObjectId":"o1"}""");
        Assert.True(JsonElement.DeepEquals(expected.RootElement, merged), merged.GetRawText());
        Assert.True(JsonElement.DeepEquals(incoming.RootElement, MemberContacts.Merge(null, incoming.RootElement)));
    }
}
