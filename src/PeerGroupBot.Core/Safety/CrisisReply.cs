using PeerGroupBot.Core.Conversation;

namespace PeerGroupBot.Core.Safety;

/// <summary>
/// The private message a member gets at once when their words suggest risk: warm plain words, the group's crisis
/// contacts (or the defaults), that the bot is not a clinician, a button to raise it as an anonymous concern (the form
/// opens pre-filled; nothing is sent until they press send) and one for <c>concern support</c>. When the words were on
/// their way somewhere (an agenda item, a poll option), it says they are held and offers: add as written, or drop.
/// </summary>
public static class CrisisReply
{
    public const string Title = "You don't have to deal with this alone";

    public static BotReply For(string signposting, string? heldId, bool releasable)
    {
        var text = "Thank you for writing that. It sounds like you might be going through something really hard, or might not be safe right now.";
        text += signposting.Contains("clinician", StringComparison.OrdinalIgnoreCase)
            ? " These people can help straight away:\n\n"
            : " I'm a bot, not a clinician, so I can't give advice, but these people can help straight away:\n\n";
        text += signposting;
        if (heldId is not null && releasable)
            text += "\n\nI haven't done anything with what you wrote, and nobody else has seen it from me. It's your choice: add it as you wrote it, "
                  + "raise it with the facilitators as an anonymous concern instead (I'll open the form with your words in it, and nothing is sent until you press send), "
                  + $"or drop it. If you don't choose within {HeldInputs.Lifetime.TotalMinutes:0} minutes, I'll drop it.";
        else if (heldId is not null)
            text += "\n\nIf you'd like the group's facilitators to know, you can raise this as an anonymous concern: I'll open the form with your words in it, "
                  + "and nothing is sent until you press send. They'll never see your name.";
        text += "\n\nOnly you can see this message.";

        var buttons = new List<ReplyButton>();
        if (heldId is not null && releasable) buttons.Add(new ReplyButton("Add it as written", FlowContext.ActionId(SafetyCheck.ActionFlow, "add", heldId)));
        if (heldId is not null) buttons.Add(new ReplyButton("Raise it as an anonymous concern", FlowContext.ActionId("concern", "held", heldId), ButtonStyle.Primary));
        if (heldId is not null && releasable) buttons.Add(new ReplyButton("Drop it", FlowContext.ActionId(SafetyCheck.ActionFlow, "drop", heldId)));
        buttons.Add(new ReplyButton("Support contacts (concern support)", FlowContext.ActionId("concern", "support")));
        return new BotReply { Title = Title, Text = text, Tone = ReplyTone.Urgent, Visibility = ReplyVisibility.Private, Buttons = buttons };
    }
}
