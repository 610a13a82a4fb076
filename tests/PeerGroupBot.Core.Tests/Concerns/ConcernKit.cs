using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PeerGroupBot.Core.Concerns;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Testing;
using static PeerGroupBot.Testing.TestBot;

namespace PeerGroupBot.Core.Tests.Concerns;

/// <summary>Helpers for concern tests: a bot with a concerns key, a staff channel, and a member raising a concern privately.</summary>
internal static class ConcernKit
{
    public static TestBot NewBot(Action<ConcernsOptions>? configure = null, Action<IServiceCollection>? services = null,
        PeerGroupBot.Core.State.IStateStore? store = null, NodaTime.Instant? start = null)
        => new(store, start, configure: s =>
        {
            s.Configure<ConcernsOptions>(o =>
            {
                o.EncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
                configure?.Invoke(o);
            });
            services?.Invoke(s);
        });

    /// <summary>Starts the group and links <see cref="TestBot.StaffChannel"/> as its concerns channel.</summary>
    public static async Task<PeerGroupBot.Core.Groups.GroupDocument> SetupWithConcernsChannelAsync(this TestBot bot)
    {
        await bot.SetupGroupAsync();
        var codeReply = Assert.Single(await bot.SendAsync(Fran, "setup concerns"));
        var code = Regex.Match(codeReply.Text, @"\*\*([A-Z0-9]{8})\*\*").Groups[1].Value;
        await bot.SendAsync(Fran, StaffChannel, $"setup concerns {code}");
        var group = await bot.GroupAsync();
        Assert.Single(group.ConcernChannels);
        return group;
    }

    /// <summary>A member types <c>concern</c> privately and submits the form. Returns the replies to the submission.</summary>
    public static async Task<IReadOnlyList<BotReply>> RaiseAsync(this TestBot bot, Actor member, string text, bool replies = true, string? category = null, Place? place = null)
    {
        var where = place ?? PrivateOf(member);
        var opened = Assert.Single(await bot.SendAsync(member, where, "concern"));
        Assert.Equal(ReplyVisibility.Private, opened.Visibility);
        var form = Assert.IsType<ReplyForm>(opened.Form);
        var values = new Dictionary<string, string> { ["text"] = text, ["replies"] = replies ? "yes" : "no" };
        if (category is not null) values["category"] = category;
        var submitted = await bot.SubmitAsync(member, form.ActionId, values, where);
        Assert.All(submitted, r => Assert.Equal(ReplyVisibility.Private, r.Visibility));
        return submitted;
    }

    /// <summary>Lets the longest random delay pass (and fires what fell due).</summary>
    public static Task PassDelayAsync(this TestBot bot) => bot.AdvanceAsync(NodaTime.Duration.FromMinutes(10));

    public static IEnumerable<SentMessage> StaffPosts(this TestBot bot)
        => bot.Playground.Posts.Where(p => p.Target == StaffChannel.ChannelId);

    /// <summary>The triage card of concern #<paramref name="number"/> as first posted to the staff channel.</summary>
    public static SentMessage CardOf(this TestBot bot, int number)
        => Assert.Single(bot.StaffPosts(), p => IsCard(p.Reply, number));

    public static bool IsCard(BotReply reply, int number)
        => Regex.IsMatch(reply.Title ?? "", $@"^Concern #{number} \(anonymous\)( — urgent)?$");

    /// <summary>The card as it stands now: its latest in-place update, or the original post.</summary>
    public static BotReply CurrentCard(this TestBot bot, int number)
    {
        var card = bot.CardOf(number);
        return bot.Playground.Updates.LastOrDefault(u => u.MessageId == card.MessageId && u.Target == card.Target)?.Reply ?? card.Reply;
    }

    public static ReplyButton Button(this BotReply reply, string label) => Assert.Single(reply.Buttons, b => b.Label == label);

    public static async Task<BotReply> ClickCardAsync(this TestBot bot, Actor facilitator, int number, string label)
    {
        var card = bot.CardOf(number);
        return Assert.Single(await bot.ClickAsync(facilitator, bot.CurrentCard(number).Button(label).ActionId, StaffChannel, sourceMessageId: card.MessageId));
    }
}
