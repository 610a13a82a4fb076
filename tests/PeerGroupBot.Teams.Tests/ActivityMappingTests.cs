using System.Text.Json;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Teams.Inbound;
using PeerGroupBot.Teams.Outbound;
using PeerGroupBot.Teams.Protocol;

namespace PeerGroupBot.Teams.Tests;

/// <summary>Activity to BotInput, and BotReply to card and back: the mapping rules, without HTTP.</summary>
public class ActivityMappingTests
{
    private static Activity Parse(string json) => JsonSerializer.Deserialize<Activity>(json, ProtocolJson.Options)!;

    private const string Channel = """
        "serviceUrl": "https://smba.trafficmanager.net/emea/", "channelId": "msteams",
        "from": { "id": "29:alex", "name": "Alex Smith", "aadObjectId": "oid-alex" },
        "recipient": { "id": "28:bot", "name": "PeerGroupBot" },
        "conversation": { "id": "19:general@thread.tacv2;messageid=1700000000000", "conversationType": "channel" },
        "channelData": { "team": { "id": "19:general@thread.tacv2" }, "channel": { "id": "19:general@thread.tacv2" } }
        """;

    [Fact]
    public void A_channel_message_loses_the_bot_mention_keeps_other_mentions_and_belongs_to_the_channel_not_the_thread()
    {
        var activity = Parse($$"""
            { "type": "message", "id": "1", {{Channel}},
              "text": "<at>PeerGroupBot</at> setup facilitator add <at>Sam Jones</at> &amp; friends\n",
              "entities": [
                { "type": "mention", "text": "<at>PeerGroupBot</at>", "mentioned": { "id": "28:bot", "name": "PeerGroupBot" } },
                { "type": "mention", "text": "<at>Sam Jones</at>", "mentioned": { "id": "29:sam", "name": "Sam Jones" } },
                { "type": "clientInfo", "locale": "en-GB" } ] }
            """);

        var input = ActivityMapper.ToInput(activity, isFacilitator: true)!;

        Assert.Equal(InputKind.Message, input.Kind);
        Assert.Equal("setup facilitator add @Sam Jones & friends", input.Text);
        Assert.Equal(new Mention("teams:29:sam", "Sam Jones"), Assert.Single(input.Mentions));
        Assert.Equal(new Place("teams", "19:general@thread.tacv2", IsPrivate: false), input.Place);
        Assert.Equal(new Actor("teams:29:alex", "Alex Smith", IsPlatformFacilitator: true), input.Actor);
    }

    [Fact]
    public void A_personal_chat_is_private()
    {
        var activity = Parse("""
            { "type": "message", "text": "concern", "from": { "id": "29:alex" }, "recipient": { "id": "28:bot" },
              "conversation": { "id": "a:1xyz", "conversationType": "personal" } }
            """);
        var input = ActivityMapper.ToInput(activity, false)!;
        Assert.Equal(new Place("teams", "a:1xyz", IsPrivate: true), input.Place);
        Assert.Equal("concern", input.Text);
        Assert.Equal("A member", input.Actor.DisplayName);
    }

    [Fact]
    public void Card_actions_round_trip_buttons_selects_and_forms()
    {
        var reply = new BotReply
        {
            Title = "Topic poll #3",
            Text = "Vote for *one*:\n\n- Sleep\n- Boundaries\n\nType `poll vote 3` to vote by text.",
            Buttons = [new ReplyButton("Sleep", "poll:vote:3:1", ButtonStyle.Primary), new ReplyButton("Withdraw", "poll:withdraw:3", ButtonStyle.Danger)],
            Selects = [new ReplySelect("rota:pick:7", "Pick roles", [new SelectOption("Welcomer", "w"), new SelectOption("Note-taker", "n", Selected: true)], MinValues: 0, MaxValues: 2)],
        };
        var card = CardRenderer.Card(reply);
        var json = card.ToJsonString();

        Assert.Equal("1.5", card["version"]!.GetValue<string>());
        Assert.Contains("Vote for _one_:", json);
        Assert.Contains("Type **poll vote 3** to vote by text.", json);
        var actions = card["body"]!.AsArray().Where(e => e!["type"]!.GetValue<string>() == "ActionSet").SelectMany(e => e!["actions"]!.AsArray()).ToList();
        var vote = actions.Single(a => a!["verb"]!.GetValue<string>() == "poll:vote:3:1")!;
        Assert.Equal("Action.Execute", vote["type"]!.GetValue<string>());
        Assert.Equal("positive", vote["style"]!.GetValue<string>());
        Assert.Equal("Action.Submit", vote["fallback"]!["type"]!.GetValue<string>());
        Assert.Equal("destructive", actions.Single(a => a!["verb"]!.GetValue<string>() == "poll:withdraw:3")!["style"]!.GetValue<string>());
        var choice = card["body"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "Input.ChoiceSet")!;
        Assert.True(choice["isMultiSelect"]!.GetValue<bool>());
        Assert.Equal("n", choice["value"]!.GetValue<string>());

        // A click on the select's submit, as Teams sends it: inputs merged into the action's data.
        var selectSubmit = actions.Single(a => a!["verb"]!.GetValue<string>() == "rota:pick:7")!;
        var data = selectSubmit["data"]!.DeepClone().AsObject();
        data[choice["id"]!.GetValue<string>()] = "w,n";
        var invoke = Parse($$"""
            { "type": "invoke", "name": "adaptiveCard/action", "replyToId": "card-1", {{Channel}},
              "value": { "action": { "type": "Action.Execute", "verb": "rota:pick:7", "data": {{data.ToJsonString()}} } } }
            """);
        var picked = ActivityMapper.ToInput(invoke, false)!;
        Assert.Equal(InputKind.Action, picked.Kind);
        Assert.Equal("rota:pick:7", picked.ActionId);
        Assert.Equal(["w", "n"], picked.Selected);
        Assert.Equal("card-1", picked.SourceMessageId);

        // The same button from an old client (Action.Submit fallback) arrives as a message with a value.
        var submit = Parse($$"""
            { "type": "message", "replyToId": "card-1", {{Channel}}, "value": {{vote["fallback"]!["data"]!.ToJsonString()}} }
            """);
        var clicked = ActivityMapper.ToInput(submit, false)!;
        Assert.Equal((InputKind.Action, "poll:vote:3:1"), (clicked.Kind, clicked.ActionId));
    }

    [Fact]
    public void A_form_renders_inputs_and_its_submission_becomes_form_values()
    {
        var form = new ReplyForm("concern:raise", "Raise a concern", [
            new FormField("text", "What's on your mind?", FormFieldKind.LongText, MaxLength: 1000),
            new FormField("reply", "Can facilitators reply?", FormFieldKind.Choice, Choices: [new SelectOption("Yes", "yes"), new SelectOption("No", "no")]),
        ], "Send");
        var card = CardRenderer.Card(BotReply.ShowForm(form));
        var inputs = card["body"]!.AsArray().Where(e => e!["type"]!.GetValue<string>().StartsWith("Input.", StringComparison.Ordinal)).ToList();
        Assert.True(inputs[0]!["isMultiline"]!.GetValue<bool>());
        Assert.Equal(1000, inputs[0]!["maxLength"]!.GetValue<int>());
        Assert.Equal("Input.ChoiceSet", inputs[1]!["type"]!.GetValue<string>());

        var invoke = Parse("""
            { "type": "invoke", "name": "adaptiveCard/action", "from": { "id": "29:alex" }, "recipient": { "id": "28:bot" },
              "conversation": { "id": "a:1", "conversationType": "personal" },
              "value": { "action": { "type": "Action.Execute", "verb": "concern:raise",
                "data": { "pgb": { "k": "form", "a": "concern:raise" }, "text": "I felt unheard", "reply": "yes", "count": 3 } } } }
            """);
        var input = ActivityMapper.ToInput(invoke, false)!;
        Assert.Equal(InputKind.Form, input.Kind);
        Assert.Equal("I felt unheard", input.Values["text"]);
        Assert.Equal("3", input.Values["count"]);
        Assert.False(input.Values.ContainsKey("pgb"));
    }

    [Fact]
    public void A_reply_with_nothing_to_click_is_plain_markdown()
    {
        var activity = CardRenderer.ToActivity(new BotReply { Title = "Saved", Text = "The group is **Tuesday Peers**." });
        Assert.Null(activity.Attachments);
        Assert.Equal("**Saved**\n\nThe group is **Tuesday Peers**.", activity.Text);
        Assert.Equal("markdown", activity.TextFormat);
    }

    [Fact]
    public void Unknown_invokes_and_empty_actions_map_to_nothing()
    {
        Assert.Null(ActivityMapper.ToInput(Parse("""{ "type": "invoke", "name": "task/fetch", "from": { "id": "29:a" }, "conversation": { "id": "c" } }"""), false));
        Assert.Null(ActivityMapper.ToInput(Parse("""{ "type": "invoke", "name": "adaptiveCard/action", "from": { "id": "29:a" }, "conversation": { "id": "c" }, "value": { "action": { "data": { "x": "1" } } } }"""), false));
        Assert.Null(ActivityMapper.ToInput(Parse("""{ "type": "message", "text": "hi" }"""), false));
    }
}
