using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using PeerGroupBot.Core.Checkouts;
using PeerGroupBot.Core.Sessions;
using PeerGroupBot.Discord.Rendering;
using PeerGroupBot.Discord.Tests.Support;

namespace PeerGroupBot.Discord.Tests;

/// <summary>
/// The anonymous check-out end to end on Discord: a private message to a member who said Going, a channel button after
/// `/session end`, a modal of 1-5 string selects within Discord's limits, one answer per member, and nothing stored or
/// logged that ties the answer to them.
/// </summary>
public sealed class CheckoutTests : IAsyncLifetime
{
    private DiscordHost _host = null!;

    public async Task InitializeAsync() => _host = await DiscordHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>A modal submit as Discord sends it for these fields: each in a Label, a string select's choice in <c>values</c>.</summary>
    private static string ModalSubmit(TestUser user, string channel, string customId, IReadOnlyList<string?> scores, string comment)
    {
        var node = JsonNode.Parse(Payloads.ModalLabels(user, channel, customId))!.AsObject();
        var components = new JsonArray();
        for (var i = 0; i < scores.Count; i++)
        {
            components.Add(new JsonObject
            {
                ["type"] = 18,
                ["id"] = i * 2 + 1,
                ["component"] = new JsonObject
                {
                    ["type"] = 3, ["id"] = i * 2 + 2, ["custom_id"] = CheckoutCards.QuestionField(i),
                    ["values"] = scores[i] is { } score ? new JsonArray(score) : new JsonArray(),
                },
            });
        }
        components.Add(new JsonObject
        {
            ["type"] = 18, ["id"] = 20,
            ["component"] = new JsonObject { ["type"] = 4, ["id"] = 21, ["custom_id"] = CheckoutCards.CommentField, ["value"] = comment },
        });
        node["data"]!["components"] = components;
        return node.ToJsonString();
    }

    [Fact]
    public async Task A_member_who_said_going_checks_out_in_a_modal_once_and_nothing_ties_the_answer_to_them()
    {
        var channel = Payloads.NewChannel();
        await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "setup start", ("name", "Friday Peers")));
        await _host.InteractAsync(Payloads.Command(TestUser.Ash, channel, "help"));
        var group = (await _host.GroupOfChannelAsync(channel))!;

        // A session that started ten minutes ago, and Ash said Going.
        var now = _host.Services.GetRequiredService<IClock>().GetCurrentInstant().InZone(group.Zone).LocalDateTime;
        var start = now.Date.At(new LocalTime(now.Hour, now.Minute)).PlusMinutes(-10);
        await _host.Services.GetRequiredService<SessionCalendar>().UpdateScheduleAsync(group.Id,
            s => s with { OneOffs = [new OneOffSession(start, 120, null)] }, CancellationToken.None);
        var sessionId = OccurrenceIds.Of(start);
        var key = OccurrenceIds.ToKey(sessionId);
        await _host.InteractAsync(Payloads.Click(TestUser.Ash, channel, SessionCards.RsvpActionId(sessionId, RsvpChoice.Going), "5100"));

        Assert.Contains("Only facilitators", (await _host.InteractAsync(Payloads.Command(TestUser.Ash, channel, "session end"))).Data().VisibleText());
        var ended = await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "session end"));
        Assert.True(ended.Data().IsEphemeral());
        Assert.Contains("sent it privately to 1 member", ended.Data().VisibleText());

        // Ash's DM and the channel's button both open this check-out.
        var openId = CheckoutCards.OpenActionId(group.Id, key);
        var dm = await _host.Fake.WaitForAsync(r => r.Method == "POST" && r.Path == $"/api/v10/channels/7{TestUser.Ash.Id}/messages");
        Assert.Contains("Check-out: Friday Peers", dm.Json.VisibleText());
        Assert.Contains(openId, dm.Json.CustomIds());
        dm.Json.AssertPingsNobody();
        var posted = await _host.Fake.WaitForAsync(r => r.Method == "POST" && r.Path == $"/api/v10/channels/{channel}/messages" && r.Body.Contains("how did the session go?", StringComparison.Ordinal));
        Assert.Contains(openId, posted.Json.CustomIds());

        // The button opens a modal that fits Discord's limits: five labelled fields, four 1-5 selects and a text input.
        var modal = await _host.InteractAsync(Payloads.AsDirectMessage(Payloads.Click(TestUser.Ash, $"7{TestUser.Ash.Id}", openId, dm.CreatedId!)));
        Assert.Equal(9, modal.Type());
        var data = modal.Data();
        Assert.Equal(CheckoutCards.AnswerActionId(group.Id, key), data.GetProperty("custom_id").GetString());
        Assert.True(data.GetProperty("title").GetString()!.Length <= DiscordLimits.ModalTitle);
        var labels = data.GetProperty("components").EnumerateArray().ToList();
        Assert.Equal(DiscordLimits.ModalComponents, labels.Count);
        Assert.All(labels, l => Assert.Equal(18, l.GetProperty("type").GetInt32()));
        Assert.All(labels, l => Assert.True(l.GetProperty("label").GetString()!.Length <= DiscordLimits.LabelText));
        Assert.Equal("Members, not staff, shaped today's session", labels[1].GetProperty("label").GetString());
        foreach (var select in labels.Take(4).Select(l => l.GetProperty("component")))
        {
            Assert.Equal(3, select.GetProperty("type").GetInt32());
            Assert.Equal(["5", "4", "3", "2", "1"], select.GetProperty("options").EnumerateArray().Select(o => o.GetProperty("value").GetString()));
            Assert.Equal(0, select.GetProperty("min_values").GetInt32());
        }
        Assert.Equal(4, labels[4].GetProperty("component").GetProperty("type").GetInt32());

        // Sent once, from the DM; the channel's button then says so too.
        var sent = await _host.InteractAsync(Payloads.AsDirectMessage(ModalSubmit(TestUser.Ash, $"7{TestUser.Ash.Id}", CheckoutCards.AnswerActionId(group.Id, key), ["4", null, "5", "2"], "quietword more tea")));
        Assert.Equal(4, sent.Type());
        Assert.Contains("Check-out sent anonymously", sent.Data().VisibleText());
        var again = await _host.InteractAsync(Payloads.Click(TestUser.Ash, channel, openId, posted.CreatedId!));
        Assert.True(again.Data().IsEphemeral());
        Assert.Contains("already checked out", again.Data().VisibleText());
        Assert.Contains("already checked out", (await _host.InteractAsync(Payloads.Command(TestUser.Ash, channel, "checkout"))).Data().VisibleText());

        // A second member answers through the channel's button and `/checkout`.
        Assert.Equal(9, (await _host.InteractAsync(Payloads.Command(TestUser.Rowan, channel, "checkout"))).Type());
        Assert.Contains("Check-out sent anonymously", (await _host.InteractAsync(ModalSubmit(TestUser.Rowan, channel, CheckoutCards.AnswerActionId(group.Id, key), ["3", "3", "3", "3"], ""))).Data().VisibleText());

        var box = (await _host.Services.GetRequiredService<CheckoutBoxes>().GetAsync(group.Id, key, CancellationToken.None))!;
        Assert.Equal(2, box.Answers);
        Assert.Equal([0, 0, 1, 1, 0], box.Counts[0]);
        Assert.Equal(["quietword more tea"], box.Comments);

        // Storage and logs: no id, name or member key of either member beside the answers; the line is in the box alone.
        var memberKeys = new[] { TestUser.Ash, TestUser.Rowan }.Select(u => _host.Services.GetRequiredService<Core.Groups.GroupDirectory>().MemberKey(u.MemberId)).ToList();
        await foreach (var docKey in _host.Store.ListKeysAsync(""))
        {
            var text = System.Text.Encoding.UTF8.GetString((await _host.Store.GetAsync(docKey))!.Content.Span);
            if (docKey == CheckoutBox.KeyFor(group.Id, key))
            {
                foreach (var user in new[] { TestUser.Ash, TestUser.Rowan })
                {
                    Assert.DoesNotContain(user.MemberId, text);
                    Assert.DoesNotContain($"\"{user.Id}\"", text);
                    Assert.DoesNotContain(user.Name, text, StringComparison.OrdinalIgnoreCase);
                }
                Assert.All(memberKeys, k => Assert.DoesNotContain(k, text));
            }
            else
            {
                Assert.DoesNotContain("quietword", text);
            }
        }
        Assert.DoesNotContain(_host.Logs.Lines, l => l.Contains("quietword", StringComparison.Ordinal) || l.Contains("Ash", StringComparison.Ordinal)
            || memberKeys.Any(k => l.Contains(k, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Facilitators_set_the_questions_and_see_them_through_record_checkout()
    {
        var channel = Payloads.NewChannel();
        await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "setup start", ("name", "Friday Peers")));
        var saved = await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "record checkout", ("details", "questions I was heard | We chose the topics")));
        Assert.True(saved.Data().IsEphemeral());
        Assert.Contains("- We chose the topics", saved.Data().VisibleText());
        Assert.Contains("for facilitators", (await _host.InteractAsync(Payloads.Command(TestUser.Ash, channel, "record checkout", ("details", "off")))).Data().VisibleText());
        Assert.Contains("Check-outs are off", (await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "record checkout", ("details", "off")))).Data().VisibleText());
        Assert.Contains("Check-outs are off for this group", (await _host.InteractAsync(Payloads.Command(TestUser.Dee, channel, "session end"))).Data().VisibleText());
    }
}
