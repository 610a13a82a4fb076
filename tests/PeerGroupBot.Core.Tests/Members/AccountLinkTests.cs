using Microsoft.Extensions.DependencyInjection;
using System.Text.RegularExpressions;
using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Members;
using PeerGroupBot.Core.Outbound;
using PeerGroupBot.Core.Rota;
using PeerGroupBot.Core.State;
using PeerGroupBot.Core.Tests.Polls;
using PeerGroupBot.Core.Tests.Rota;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Members;

/// <summary>
/// <c>me link</c>: Morgan has a Teams account and a Discord account in a group bridged across both platforms. Once
/// linked, whatever Morgan does from either account counts once: votes, rota turns, availability.
/// </summary>
public class AccountLinkTests
{
    private static readonly Actor Tina = new("teams:29:tina-owner", "Tina", IsPlatformFacilitator: true);
    private static readonly Actor Dee = new("discord:900000000000000001", "Dee", IsPlatformFacilitator: true);
    private static readonly Actor TeamsMorgan = new("teams:29:morgan-teams-id", "Morgan Lee");
    private static readonly Actor DiscordMorgan = new("discord:555000111222333444", "morgan_l");
    private static readonly Place TeamsChannel = new("teams", "19:teams-channel", IsPrivate: false);
    private static readonly Place DiscordChannel = new("discord", "d-channel", IsPrivate: false);

    /// <summary>A group started in the playground and bridged to a Teams and a Discord channel; Morgan is seen in both.</summary>
    private static async Task<TestBot> BridgedBotAsync(TestBot? bot = null)
    {
        bot ??= new TestBot();
        await bot.SetupGroupAsync();
        foreach (var (facilitator, channel) in new[] { (Tina, TeamsChannel), (Dee, DiscordChannel) })
        {
            var code = CodeIn(Assert.Single(await bot.SendAsync(Fran, "setup link")));
            Assert.Contains("now part of", Assert.Single(await bot.SendAsync(facilitator, channel, $"setup link {code}")).Text);
        }
        await bot.SendAsync(TeamsMorgan, TeamsChannel, "help");
        await bot.SendAsync(DiscordMorgan, DiscordChannel, "help");
        return bot;
    }

    private static string CodeIn(BotReply reply) => Regex.Match(reply.Text, @"\*\*([A-Z0-9]{8})\*\*").Groups[1].Value;

    /// <summary>Morgan asks for a code on Teams (privately) and enters it on Discord (privately). Returns Discord's reply.</summary>
    private static async Task<BotReply> LinkMorganAsync(TestBot bot)
    {
        var code = CodeIn(Assert.Single(await bot.SendAsync(TeamsMorgan, PrivateOf(TeamsMorgan), "me link")));
        return Assert.Single(await bot.SendAsync(DiscordMorgan, PrivateOf(DiscordMorgan), $"me link {code}"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // linked before accounts' group indexes said so: the first instance to need it marks them
    public async Task A_linked_account_first_seen_by_another_instance_still_votes_as_the_person(bool linkedBeforeMarks)
    {
        var store = new InMemoryStateStore();
        var keys = PeerGroupBot.Core.Security.KeyRing.CreateRandom();
        await using var a = await BridgedBotAsync(new TestBot(store, configure: s => s.AddSingleton(keys)));
        Assert.StartsWith("Linked:", (await LinkMorganAsync(a)).Text);
        await a.SendAsync(Alex, "poll new \"Which topic?\" Sleep | Boundaries | Holidays");
        await a.ClickAsync(TeamsMorgan, "poll:vote:1:1", TeamsChannel);
        if (linkedBeforeMarks)
        {
            await a.Documents.DeleteAsync(MemberLinks.MarkersDocKey);
            foreach (var account in new[] { TeamsMorgan, DiscordMorgan })
                await a.Documents.DeleteAsync(PeerGroupBot.Core.Groups.GroupDirectory.MemberIndexKey(a.Directory.MemberKey(account.MemberId)));
        }

        // An instance that has never seen Morgan gets the Discord account's first click.
        await using var b = new TestBot(store, configure: s => s.AddSingleton(keys));
        var replies = await b.ClickAsync(DiscordMorgan, "poll:vote:1:2", DiscordChannel);

        Assert.Contains(replies, r => r.Text.Contains("is now **Boundaries**", StringComparison.Ordinal)); // the person's vote, changed
        Assert.Equal(1, await b.BallotCountAsync("1"));
    }

    [Fact]
    public async Task A_code_from_Teams_entered_on_Discord_links_the_accounts_and_both_sides_are_told()
    {
        await using var bot = await BridgedBotAsync();

        var offer = Assert.Single(await bot.SendAsync(TeamsMorgan, PrivateOf(TeamsMorgan), "me link"));
        Assert.Equal(ReplyVisibility.Private, offer.Visibility);
        var code = CodeIn(offer);
        Assert.Matches("^[A-Z2-9]{8}$", code);
        Assert.Contains($"`/me link code:{code}`", offer.Text);
        Assert.Contains($"`me link {code}`", offer.Text);
        Assert.Contains("expires in 15 minutes", offer.Text);

        var linked = Assert.Single(await bot.SendAsync(DiscordMorgan, PrivateOf(DiscordMorgan), $"me link {code}"));
        Assert.Equal(ReplyTone.Success, linked.Tone);
        Assert.Equal(ReplyVisibility.Private, linked.Visibility);
        Assert.Contains("your Microsoft Teams account are now one member", linked.Text);
        // The first account hears about it privately, on its own platform.
        var told = Assert.Single(bot.Teams.PrivatesTo(TeamsMorgan.MemberId));
        Assert.Contains("Your Discord account is now linked with this one", told.Reply.Text);
        Assert.Empty(bot.Discord.Privates);

        // `me` says so on both sides, naming the other platform and never the other account.
        var fromDiscord = Assert.Single(await bot.SendAsync(DiscordMorgan, PrivateOf(DiscordMorgan), "me"));
        Assert.Contains("**Linked account:** your Microsoft Teams account", fromDiscord.Text);
        var fromTeams = Assert.Single(await bot.SendAsync(TeamsMorgan, TeamsChannel, "me"));
        Assert.Contains("**Linked account:** your Discord account", fromTeams.Text);
        foreach (var reply in new[] { offer, linked, fromDiscord, fromTeams })
        {
            Assert.DoesNotContain("morgan-teams-id", reply.Text);
            Assert.DoesNotContain("555000111222333444", reply.Text);
        }
        var notLinked = Assert.Single(await bot.SendAsync(Sam, "me"));
        Assert.Contains("**Linked account:** none", notLinked.Text);
        Assert.Contains("me link", Assert.Single(await bot.SendAsync(Sam, "help settings")).Text);
    }

    [Fact]
    public async Task Votes_from_both_linked_accounts_count_once_and_a_ballot_cast_from_both_before_linking_is_kept_once()
    {
        await using var bot = await BridgedBotAsync();
        await bot.SendAsync(Fran, "poll new \"Next topic?\" Sleep | Boundaries | Holidays");
        await bot.SendAsync(Sam, PrivateOf(Sam), "poll vote #1 3");
        await bot.SendAsync(Priya, PrivateOf(Priya), "poll vote #1 3");
        // Before linking, the two accounts are two voters.
        await bot.SendAsync(TeamsMorgan, PrivateOf(TeamsMorgan), "poll vote #1 1");
        await bot.SendAsync(DiscordMorgan, DiscordChannel, "poll vote #1 2");
        Assert.Equal(4, await bot.BallotCountAsync("1"));

        var linked = await LinkMorganAsync(bot);
        Assert.Contains("You had voted from both accounts in poll #1: I kept the vote from this account", linked.Text);
        Assert.Equal(3, await bot.BallotCountAsync("1"));

        // After linking, each account's vote replaces the person's one ballot.
        await bot.SendAsync(TeamsMorgan, PrivateOf(TeamsMorgan), "poll vote #1 1");
        await bot.SendAsync(DiscordMorgan, DiscordChannel, "poll vote #1 1");
        Assert.Equal(3, await bot.BallotCountAsync("1"));
        await bot.SendAsync(Fran, "poll close #1");
        var result = (await bot.PollAsync("1")).Result!;
        Assert.Equal(3, result.Voters);
        Assert.Equal([1, 0, 2], result.Counts.Select(c => c.Votes));
    }

    [Fact]
    public async Task A_linked_member_answers_the_rota_poll_once_and_their_turns_count_once()
    {
        await using var bot = await BridgedBotAsync(RotaTestKit.WithThursdaySessions());
        await LinkMorganAsync(bot);
        await bot.SendAsync(Fran, "rota poll 2");
        var poll = RotaTestKit.PollId(bot);
        // For the first session Morgan offers facilitating from Teams, then changes it to welcoming from Discord.
        await bot.ClickAsync(TeamsMorgan, $"rota:mark:{poll}:0", TeamsChannel, [Array.IndexOf(RotaTestKit.Roles, RotaAssigner.Facilitator).ToString()]);
        await bot.ClickAsync(DiscordMorgan, $"rota:mark:{poll}:0", DiscordChannel, [Array.IndexOf(RotaTestKit.Roles, "welcomer").ToString()]);
        // For the second, Morgan (from Teams) and Sam could both facilitate.
        await bot.ClickAsync(TeamsMorgan, $"rota:mark:{poll}:1", TeamsChannel, [Array.IndexOf(RotaTestKit.Roles, RotaAssigner.Facilitator).ToString()]);
        await RotaTestKit.MarkAsync(bot, Sam, poll, 1, RotaAssigner.Facilitator);

        var answers = (await bot.Documents.GetValueAsync<RotaPoll>(RotaPoll.KeyFor((await bot.GroupAsync()).Id)))!.Answers;
        Assert.Equal(2, answers.Count); // Morgan once, Sam once
        var morgan = Assert.Single(answers.Keys, MemberLinks.IsPerson);
        Assert.Equal(["welcomer"], answers[morgan].Roles.Values.First());
        await bot.SendAsync(Fran, "rota close");

        var rota = await RotaTestKit.RotaAsync(bot);
        var first = rota.Sessions[0].Slots;
        Assert.Equal(morgan, first.Single(s => s.Role == "welcomer").MemberId);
        Assert.Null(first.Single(s => s.Role == RotaAssigner.Facilitator).MemberId);
        // Morgan's welcoming turn counts against the Teams account too: Sam, with no turns, facilitates the second.
        var second = rota.Sessions[1].Slots.Single(s => s.Role == RotaAssigner.Facilitator);
        Assert.Equal(Sam.MemberId, second.MemberId);
        Assert.StartsWith("fewest turns in the last 8 sessions (none)", second.Reason);
        Assert.DoesNotContain("tied", second.Reason);
        Assert.Contains(rota.NameOf(morgan), new[] { "Morgan Lee", "morgan_l" });
    }

    [Fact]
    public async Task Rota_history_from_before_linking_moves_to_the_person()
    {
        await using var bot = await BridgedBotAsync(RotaTestKit.WithThursdaySessions());
        await bot.SendAsync(Fran, "rota poll 1");
        var poll = RotaTestKit.PollId(bot);
        await bot.ClickAsync(TeamsMorgan, $"rota:mark:{poll}:0", TeamsChannel, [Array.IndexOf(RotaTestKit.Roles, RotaAssigner.Facilitator).ToString()]);
        await bot.SendAsync(Fran, "rota close");
        Assert.Equal(TeamsMorgan.MemberId, (await RotaTestKit.RotaAsync(bot)).Sessions[0].Slots.Single(s => s.Role == RotaAssigner.Facilitator).MemberId);

        await LinkMorganAsync(bot);

        var rota = await RotaTestKit.RotaAsync(bot);
        var holder = rota.Sessions[0].Slots.Single(s => s.Role == RotaAssigner.Facilitator).MemberId!;
        Assert.True(MemberLinks.IsPerson(holder));
        Assert.Equal("Morgan Lee", rota.NameOf(holder));
        Assert.DoesNotContain(await bot.DumpStoreAsync(), d => d.Key.Contains("/rota/") && d.Text.Contains("morgan-teams-id"));
        // From Discord, Morgan sees the slot as their own.
        Assert.Contains("Rota: facilitator on Thu 5 Nov", Assert.Single(await bot.SendAsync(DiscordMorgan, PrivateOf(DiscordMorgan), "me export")).Text);
    }

    [Fact]
    public async Task Mentioning_either_linked_account_names_the_one_member()
    {
        await using var bot = await BridgedBotAsync();
        await LinkMorganAsync(bot);
        Assert.DoesNotContain("as a facilitator", Assert.Single(await bot.SendAsync(DiscordMorgan, DiscordChannel, "help")).Text);

        await bot.SendAsync(Fran, "setup facilitator add @Morgan", new Mention(TeamsMorgan.MemberId, TeamsMorgan.DisplayName));

        var listed = Assert.Single((await bot.GroupAsync()).Facilitators, f => f.DisplayName == "Morgan Lee");
        Assert.True(MemberLinks.IsPerson(listed.MemberId));
        Assert.Contains("as a facilitator", Assert.Single(await bot.SendAsync(DiscordMorgan, DiscordChannel, "help")).Text);
    }

    [Fact]
    public async Task A_code_entered_on_the_same_platform_is_refused_and_still_works_on_the_other()
    {
        await using var bot = await BridgedBotAsync();
        var code = CodeIn(Assert.Single(await bot.SendAsync(TeamsMorgan, PrivateOf(TeamsMorgan), "me link")));
        var otherTeams = new Actor("teams:29:someone-else", "Someone");

        var refused = Assert.Single(await bot.SendAsync(otherTeams, PrivateOf(otherTeams), $"me link {code}"));
        Assert.Equal(ReplyTone.Warning, refused.Tone);
        Assert.Contains("That code was made on Microsoft Teams too", refused.Text);
        Assert.Contains("still works", refused.Text);
        Assert.Contains("made on Microsoft Teams too", Assert.Single(await bot.SendAsync(TeamsMorgan, PrivateOf(TeamsMorgan), $"me link {code}")).Text);

        var linked = Assert.Single(await bot.SendAsync(DiscordMorgan, PrivateOf(DiscordMorgan), $"me link {code}"));
        Assert.Equal(ReplyTone.Success, linked.Tone);
    }

    [Fact]
    public async Task An_expired_code_is_refused()
    {
        await using var bot = await BridgedBotAsync();
        var code = CodeIn(Assert.Single(await bot.SendAsync(TeamsMorgan, PrivateOf(TeamsMorgan), "me link")));
        bot.Clock.Advance(Duration.FromMinutes(15));

        var expired = Assert.Single(await bot.SendAsync(DiscordMorgan, PrivateOf(DiscordMorgan), $"me link {code}"));
        Assert.Contains("That code has expired", expired.Text);
        Assert.Contains("**Linked account:** none", Assert.Single(await bot.SendAsync(DiscordMorgan, PrivateOf(DiscordMorgan), "me")).Text);
        Assert.DoesNotContain(await bot.DumpStoreAsync(), d => d.Key.StartsWith("linkcodes/", StringComparison.Ordinal) || d.Key.StartsWith("members/links/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_code_works_once_and_a_mistyped_one_is_refused()
    {
        await using var bot = await BridgedBotAsync();
        var code = CodeIn(Assert.Single(await bot.SendAsync(TeamsMorgan, PrivateOf(TeamsMorgan), "me link")));
        Assert.Contains("I don't know that code", Assert.Single(await bot.SendAsync(DiscordMorgan, PrivateOf(DiscordMorgan), "me link ABCDEFGH")).Text);
        Assert.Contains("I don't know that code", Assert.Single(await bot.SendAsync(DiscordMorgan, PrivateOf(DiscordMorgan), "me link not-a-code!")).Text);
        Assert.Equal(ReplyTone.Success, Assert.Single(await bot.SendAsync(DiscordMorgan, PrivateOf(DiscordMorgan), $"me link {code}")).Tone);

        var intruder = new Actor("discord:123123123", "Intruder");
        var again = Assert.Single(await bot.SendAsync(intruder, PrivateOf(intruder), $"me link {code}"));
        Assert.Contains("I don't know that code", again.Text);
        Assert.Contains("already linked with your Microsoft Teams account", Assert.Single(await bot.SendAsync(DiscordMorgan, PrivateOf(DiscordMorgan), "me link")).Text);
    }

    [Fact]
    public async Task A_code_typed_in_a_public_Teams_channel_is_cancelled()
    {
        await using var bot = await BridgedBotAsync();
        var code = CodeIn(Assert.Single(await bot.SendAsync(DiscordMorgan, PrivateOf(DiscordMorgan), "me link")));
        var refused = Assert.Single(await bot.SendAsync(TeamsMorgan, TeamsChannel, $"me link {code}"));
        Assert.Contains("send link codes to me privately", refused.Text);
        Assert.Contains("I don't know that code", Assert.Single(await bot.SendAsync(TeamsMorgan, PrivateOf(TeamsMorgan), $"me link {code}")).Text);
    }

    [Fact]
    public async Task Unlink_separates_the_accounts_and_the_shared_history_stays_with_the_account_that_asked()
    {
        await using var bot = await BridgedBotAsync();
        await bot.SendAsync(Fran, "poll new \"Next topic?\" Sleep | Boundaries anonymous no");
        await LinkMorganAsync(bot);
        await bot.SendAsync(TeamsMorgan, PrivateOf(TeamsMorgan), "poll vote #1 2");
        Assert.Equal(1, await bot.BallotCountAsync("1"));

        var unlinked = Assert.Single(await bot.SendAsync(TeamsMorgan, PrivateOf(TeamsMorgan), "me unlink"));
        Assert.Contains("Unlinked: your Discord account is separate again", unlinked.Text);
        Assert.Contains("**Linked account:** none", Assert.Single(await bot.SendAsync(DiscordMorgan, PrivateOf(DiscordMorgan), "me")).Text);
        Assert.Contains("isn't linked", Assert.Single(await bot.SendAsync(DiscordMorgan, PrivateOf(DiscordMorgan), "me unlink")).Text);
        Assert.DoesNotContain(await bot.DumpStoreAsync(), d => d.Key.StartsWith("members/links/", StringComparison.Ordinal) || d.Key.StartsWith("members/persons/", StringComparison.Ordinal));

        // Teams kept the vote; Discord is a separate voter again, and both keep their place in the group.
        Assert.Contains("Your vote in open poll #1 \"Next topic?\": Boundaries", Assert.Single(await bot.SendAsync(TeamsMorgan, PrivateOf(TeamsMorgan), "me export")).Text);
        Assert.Contains("**Tuesday Peers**", Assert.Single(await bot.SendAsync(DiscordMorgan, PrivateOf(DiscordMorgan), "me export")).Text);
        await bot.SendAsync(DiscordMorgan, DiscordChannel, "poll vote #1 1");
        Assert.Equal(2, await bot.BallotCountAsync("1"));
    }

    [Fact]
    public async Task Private_messages_to_a_linked_member_go_to_the_account_they_used_last()
    {
        await using var bot = await BridgedBotAsync();
        await LinkMorganAsync(bot);
        var person = (await bot.Get<MemberLinks>().PersonOfAsync(TeamsMorgan.MemberId, CancellationToken.None))!;
        var outbound = bot.Get<IOutbound>();

        Assert.True(await outbound.SendPrivateAsync(person, BotReply.Private("first"), CancellationToken.None));
        Assert.Contains(bot.Discord.PrivatesTo(DiscordMorgan.MemberId), p => p.Reply.Text == "first"); // Discord entered the code last
        await bot.SendAsync(TeamsMorgan, TeamsChannel, "help");
        Assert.True(await outbound.SendPrivateAsync(person, BotReply.Private("second"), CancellationToken.None));
        Assert.Contains(bot.Teams.PrivatesTo(TeamsMorgan.MemberId), p => p.Reply.Text == "second");
        Assert.DoesNotContain(bot.Discord.Privates, p => p.Reply.Text == "second");
    }

    [Fact]
    public async Task The_link_is_stored_as_keyed_hashes_with_no_readable_id_and_codes_never_reach_logs_or_keys()
    {
        await using var bot = await BridgedBotAsync();
        await bot.SendAsync(Fran, "poll new \"Next topic?\" Sleep | Boundaries anonymous no");
        await bot.SendAsync(TeamsMorgan, PrivateOf(TeamsMorgan), "poll vote #1 1");
        var code = CodeIn(Assert.Single(await bot.SendAsync(TeamsMorgan, PrivateOf(TeamsMorgan), "me link")));
        var codeDocs = (await bot.DumpStoreAsync()).Where(d => d.Key.StartsWith("linkcodes/", StringComparison.Ordinal)).ToList();
        Assert.Single(codeDocs);
        // Keyed: with only 31^8 possible codes, a plain hash in the key could be reversed by trying them all.
        var plainHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(code)));
        Assert.DoesNotContain(plainHash[..16], codeDocs[0].Key, StringComparison.Ordinal);
        Assert.DoesNotContain(code, codeDocs[0].Key, StringComparison.OrdinalIgnoreCase);
        await bot.SendAsync(DiscordMorgan, PrivateOf(DiscordMorgan), $"me link {code}");

        var dump = (await bot.DumpStoreAsync()).Concat(codeDocs).ToList();
        var links = dump.Where(d => d.Key.StartsWith("members/links/", StringComparison.Ordinal) || d.Key.StartsWith("members/persons/", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, links.Count); // one per account, one for the person
        string[] ids = ["morgan-teams-id", "555000111222333444", "Morgan", "morgan_l"];
        foreach (var (key, text) in links.Concat(codeDocs))
            foreach (var id in ids)
                Assert.False(key.Contains(id, StringComparison.OrdinalIgnoreCase) || text.Contains(id, StringComparison.OrdinalIgnoreCase), $"{id} in {key}: {text}");
        // No document anywhere pairs the two accounts.
        Assert.DoesNotContain(dump, d => d.Text.Contains("morgan-teams-id") && d.Text.Contains("555000111222333444"));

        Assert.DoesNotContain(bot.Logs.Lines, l => l.Contains(code, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(dump, d => d.Key.Contains(code, StringComparison.OrdinalIgnoreCase) || d.Text.Contains(code, StringComparison.Ordinal));
        Assert.Contains(bot.Logs.Lines, l => l.Contains("Two accounts were linked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Export_says_the_accounts_are_linked_and_erase_from_one_account_covers_both()
    {
        await using var bot = await BridgedBotAsync();
        await bot.SendAsync(Fran, "poll new \"Next topic?\" Sleep | Boundaries anonymous no");
        await bot.SendAsync(DiscordMorgan, DiscordChannel, "me quiet 23:00-07:00");
        await LinkMorganAsync(bot);
        await bot.SendAsync(TeamsMorgan, PrivateOf(TeamsMorgan), "poll vote #1 1");

        var export = Assert.Single(await bot.SendAsync(TeamsMorgan, PrivateOf(TeamsMorgan), "me export"));
        Assert.Contains("**Linked accounts:** your Microsoft Teams and Discord accounts are linked", export.Text);
        Assert.Contains("Quiet hours 23:00–07:00", export.Text); // settings made on Discord before linking
        Assert.Contains("Your vote in open poll #1", export.Text);

        var teamsKey = bot.Directory.MemberKey(TeamsMorgan.MemberId);
        var person = (await bot.Get<MemberLinks>().PersonOfAsync(TeamsMorgan.MemberId, CancellationToken.None))!;
        Assert.True(await bot.Documents.TryCreateAsync($"teams/members/{teamsKey}", new Dictionary<string, string> { ["userId"] = "29:morgan-teams-id" }));
        await bot.SendAsync(DiscordMorgan, PrivateOf(DiscordMorgan), "me erase");
        var done = Assert.Single(await bot.ClickAsync(DiscordMorgan, "me:erase:confirm", PrivateOf(DiscordMorgan)));
        Assert.Contains("1 vote in open polls withdrawn", done.Text);
        Assert.Contains("the link between your accounts deleted: this covered both of them", done.Text);

        var dump = await bot.DumpStoreAsync();
        string[] morganKeys = [teamsKey, bot.Directory.MemberKey(DiscordMorgan.MemberId), bot.Directory.MemberKey(person)];
        Assert.DoesNotContain(dump, d => d.Key.StartsWith("members/links/", StringComparison.Ordinal) || d.Key.StartsWith("members/persons/", StringComparison.Ordinal));
        Assert.DoesNotContain(dump, d => morganKeys.Any(k => d.Key.Contains(k) || d.Text.Contains(k)));
        Assert.DoesNotContain(dump, d => d.Key.Contains(teamsKey) || d.Text.Contains("Morgan") || d.Text.Contains("morgan_l") || d.Text.Contains("morgan-teams-id"));
        Assert.Equal(0, await bot.BallotCountAsync("1"));
        Assert.Contains("**Linked account:** none", Assert.Single(await bot.SendAsync(TeamsMorgan, PrivateOf(TeamsMorgan), "me")).Text);
    }

    [Fact]
    public async Task Acting_from_a_linked_account_costs_no_more_storage_calls_than_an_unlinked_one()
    {
        var store = new CountingStateStore(new InMemoryStateStore());
        await using var bot = await BridgedBotAsync(new TestBot(store));
        await bot.SendAsync(Fran, "poll new \"Next topic?\" Sleep | Boundaries");
        await LinkMorganAsync(bot);
        await bot.SendAsync(TeamsMorgan, PrivateOf(TeamsMorgan), "poll vote #1 1");
        await bot.SendAsync(Sam, PrivateOf(Sam), "poll vote #1 1");

        store.Reset();
        await bot.SendAsync(Sam, PrivateOf(Sam), "poll vote #1 2");
        var unlinked = store.Total;
        store.Reset();
        await bot.SendAsync(TeamsMorgan, PrivateOf(TeamsMorgan), "poll vote #1 2");
        Assert.True(store.Total <= unlinked, $"linked {store}, unlinked {unlinked}");
    }
}
