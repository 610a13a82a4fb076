using System.Text.Json;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Discord.Commands;
using PeerGroupBot.Discord.Interactions;
using PeerGroupBot.Discord.Rendering;
using PeerGroupBot.Hosting;

namespace PeerGroupBot.Discord.Tests;

/// <summary>Rendering within Discord's limits, the modal shapes, the planner's choices, and the command manifest's own rules.</summary>
public sealed class RenderingTests
{
    private static readonly BotInput Input = new()
    {
        Actor = new Actor("discord:43", "Ash"),
        Place = new Place("discord", "111", IsPrivate: false),
        Kind = InputKind.Message,
        Text = "poll new",
    };

    [Fact]
    public void Plain_text_is_content_and_a_title_or_tone_makes_an_embed()
    {
        var plain = ReplyRenderer.Message(BotReply.Say("Hello"), ephemeral: false);
        Assert.Equal("Hello", plain.Content);
        Assert.Empty(plain.Embeds!);
        Assert.Null(plain.Flags);

        var titled = ReplyRenderer.Message(new BotReply { Title = "Agenda", Text = "- Tea", Tone = ReplyTone.Success }, ephemeral: true);
        var embed = Assert.Single(titled.Embeds!);
        Assert.Equal("Agenda", embed.Title);
        Assert.Equal("- Tea", embed.Description);
        Assert.Equal(0x57F287, embed.Color);
        Assert.Equal(64, titled.Flags);
    }

    [Fact]
    public void File_names_and_media_types_are_made_safe_for_the_upload_headers()
    {
        var reply = BotReply.Say("Files") with
        {
            Attachments =
            [
                new ReplyAttachment("../report \"Nov\";\r\nX: y.csv", "text/csv; charset=utf-8\r\nX-Evil: 1", [1]),
                new ReplyAttachment(new string('a', 150) + ".json", "application/json", [2]),
                new ReplyAttachment("ünï.png", "image/png", [3]),
            ],
        };
        var message = ReplyRenderer.Message(reply, ephemeral: false);

        Assert.Equal(["_report__Nov____X__y.csv", new string('a', 95) + ".json", "_n_.png"], message.Files.Select(f => f.FileName));
        Assert.Equal(["application/octet-stream", "application/json", "image/png"], message.Files.Select(f => f.MediaType));
        Assert.Equal(message.Files.Select((f, i) => (i, f.FileName)), message.Attachments!.Select(a => (a.Id, a.FileName)));
        var json = JsonDocument.Parse(JsonSerializer.Serialize(message, DiscordJson.Options)).RootElement;
        Assert.False(json.TryGetProperty("files", out _)); // the bytes never go into the JSON
        Assert.Equal(3, json.GetProperty("attachments").GetArrayLength());
    }

    [Fact]
    public void Files_past_the_total_size_for_one_message_are_named_in_a_note()
    {
        var seven = new byte[7 * 1024 * 1024];
        var reply = BotReply.Say("Four big files") with
        {
            Attachments = [.. Enumerable.Range(1, 4).Select(i => new ReplyAttachment($"big-{i}.bin", "application/octet-stream", seven))],
        };
        var message = ReplyRenderer.Message(reply, ephemeral: false);
        Assert.Equal(["big-1.bin", "big-2.bin", "big-3.bin"], message.Files.Select(f => f.FileName)); // 21 MiB of 25
        Assert.Contains("so `big-4.bin` isn't attached", message.Content);
    }

    [Fact]
    public void Text_just_over_the_content_limit_moves_into_an_embed_whole()
    {
        var text = new string('a', 1500) + "\n" + new string('b', 1500);
        var message = ReplyRenderer.Message(BotReply.Say(text), ephemeral: false);
        Assert.Equal("", message.Content);
        Assert.Equal(text, Assert.Single(message.Embeds!).Description);
    }

    [Fact]
    public void Over_long_titles_labels_and_options_are_cut_with_an_ellipsis_and_emoji_are_not_split()
    {
        var reply = new BotReply
        {
            Title = new string('T', 300),
            Text = "x",
            Buttons = [new ReplyButton(new string('b', 79) + "😀", "a:b")],
            Selects = [new ReplySelect("a:s", new string('p', 200), [new SelectOption(new string('o', 150), "1", new string('d', 150))])],
        };
        var message = ReplyRenderer.Message(reply, ephemeral: false);
        Assert.Equal(256, message.Embeds![0].Title!.Length);
        Assert.EndsWith("…", message.Embeds[0].Title);
        var select = message.Components![0].Components![0];
        Assert.Equal(150, select.Placeholder!.Length);
        Assert.Equal(100, select.Options![0].Label.Length);
        Assert.Equal(100, select.Options[0].Description!.Length);
        var label = message.Components[1].Components![0].Label!;
        Assert.True(label.Length <= 80);
        Assert.False(char.IsHighSurrogate(label[^2]));
    }

    [Fact]
    public void Repeated_or_over_long_custom_ids_are_left_out_and_said_so()
    {
        var reply = new BotReply
        {
            Text = "Pick",
            Buttons = [new ReplyButton("One", "x:1"), new ReplyButton("Again", "x:1"), new ReplyButton("Long", new string('x', 101))],
        };
        var message = ReplyRenderer.Message(reply, ephemeral: false);
        Assert.Equal(["x:1"], message.Components!.SelectMany(r => r.Components!).Select(c => c.CustomId));
        Assert.Contains(ReplyRenderer.ControlsDroppedNote, message.Content);
    }

    [Fact]
    public void A_form_becomes_a_modal_of_at_most_five_labels_with_selects_for_choices()
    {
        var form = new ReplyForm("poll:new", "A very long title for a new topic poll in our group", [
            new FormField("question", "Question", FormFieldKind.LongText, MaxLength: 9000, Placeholder: new string('p', 150)),
            new FormField("options", "Options, one per line (empty: collect ideas first please)", FormFieldKind.LongText, Required: false),
            new FormField("mode", "How members vote", FormFieldKind.Choice, Value: "approval", Choices: [new SelectOption("Single", "single", Selected: true), new SelectOption("Approval", "approval")]),
            new FormField("a", "A"), new FormField("b", "B"), new FormField("c", "C"),
        ]);
        var modal = ReplyRenderer.Modal(form);

        Assert.Equal("poll:new", modal.CustomId);
        Assert.True(modal.Title.Length <= 45);
        Assert.Equal(5, modal.Components.Count);
        Assert.All(modal.Components, c => Assert.Equal(ComponentTypes.Label, c.Type));
        var question = modal.Components[0].Child!;
        Assert.Equal((ComponentTypes.TextInput, 2, 4000, 100), (question.Type, question.Style, question.MaxLength, question.Placeholder!.Length));
        var options = modal.Components[1];
        Assert.True(options.Label!.Length <= 45);
        Assert.Equal("Options, one per line (empty: collect ideas first please)", options.Description);
        Assert.False(options.Child!.Required);
        var mode = modal.Components[2].Child!;
        Assert.Equal(ComponentTypes.StringSelect, mode.Type);
        Assert.Equal((1, 1), (mode.MinValues, mode.MaxValues));
        Assert.Equal(["approval"], mode.Options!.Where(o => o.Default == true).Select(o => o.Value));
    }

    [Fact]
    public void Modal_values_are_read_from_labels_rows_and_selects_alike()
    {
        var submitted = JsonSerializer.Deserialize<List<Component>>("""
            [
              {"type":10,"id":1,"content":"Intro"},
              {"type":18,"id":2,"component":{"type":4,"id":3,"custom_id":"question","value":"What next?"}},
              {"type":18,"id":4,"component":{"type":3,"id":5,"custom_id":"mode","values":["ranked"]}},
              {"type":1,"components":[{"type":4,"custom_id":"closes","value":"friday"}]},
              {"type":18,"id":6,"component":{"type":3,"custom_id":"empty","values":[]}}
            ]
            """, DiscordJson.Options);
        var values = InteractionTranslator.ModalValues(submitted);
        Assert.Equal(new Dictionary<string, string> { ["question"] = "What next?", ["mode"] = "ranked", ["closes"] = "friday", ["empty"] = "" }, values);
    }

    [Fact]
    public void A_form_in_answer_to_a_modal_submit_is_explained_since_modals_cannot_chain()
    {
        var context = new InteractionContext(InteractionType.ModalSubmit, false, false, false, Input with { Kind = InputKind.Form, ActionId = "poll:new" });
        var plan = ResponsePlanner.Immediate(context, [BotReply.ShowForm(new ReplyForm("poll:new", "Again", [new FormField("q", "Q")]))]);
        Assert.Equal(CallbackTypes.ChannelMessage, plan.Response.Type);
        var message = Assert.IsType<MessagePayload>(plan.Response.Data);
        Assert.Contains(ResponsePlanner.RerunText, message.Embeds![0].Description);
        Assert.Equal(64, message.Flags);
    }

    [Fact]
    public void A_form_in_a_deferred_answer_offers_a_button_that_replays_the_command()
    {
        var context = new InteractionContext(InteractionType.ApplicationCommand, false, false, false, Input);
        var steps = ResponsePlanner.AfterDeferral(context, [BotReply.ShowForm(new ReplyForm("poll:new", "New poll", [new FormField("q", "Q")]))]);
        var step = Assert.Single(steps);
        Assert.Equal(WebhookStepKind.EditOriginal, step.Kind);
        var button = step.Message.Components!.Single().Components!.Single();
        Assert.Equal("Open the form", button.Label);
        Assert.True(FormReopen.TryRead(button.CustomId!, out var kind, out var text));
        Assert.Equal((InputKind.Message, "poll new"), (kind, text));
    }

    [Fact]
    public void The_command_manifest_keeps_to_Discords_rules()
    {
        var manifest = CommandManifest.Embedded();
        Assert.True(manifest.Commands.GetArrayLength() <= 100);
        foreach (var command in manifest.Commands.EnumerateArray()) CheckNode(command, depth: 0);

        static void CheckNode(JsonElement node, int depth)
        {
            var name = node.GetProperty("name").GetString()!;
            Assert.Matches("^[a-z0-9_-]{1,32}$", name);
            Assert.InRange(node.GetProperty("description").GetString()!.Length, 1, 100);
            if (!node.TryGetProperty("options", out var options)) return;
            Assert.True(options.GetArrayLength() <= 25, name);
            var seenOptional = false;
            foreach (var option in options.EnumerateArray())
            {
                var type = option.GetProperty("type").GetInt32();
                if (type is 1 or 2) { Assert.True(depth < 2, name); CheckNode(option, depth + 1); continue; }
                CheckNode(option, depth + 1);
                var required = option.TryGetProperty("required", out var r) && r.GetBoolean();
                Assert.False(required && seenOptional, $"{name}: required options must come before optional ones");
                seenOptional |= !required;
                if (option.TryGetProperty("choices", out var choices)) Assert.InRange(choices.GetArrayLength(), 1, 25);
            }
        }
    }

    [Fact]
    public void The_command_line_offers_discord_register_commands()
    {
        var discord = BotCommandLine.BuildVerbs().Subcommands.Single(c => c.Name == "discord");
        var register = discord.Subcommands.Single(c => c.Name == "register-commands");
        Assert.Contains(register.Options, o => o.Name == "--guild");
        Assert.Empty(BotCommandLine.BuildVerbs().Parse(["discord", "register-commands", "--guild", "900"]).Errors);
    }
}
