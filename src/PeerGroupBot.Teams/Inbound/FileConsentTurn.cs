using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Teams.Outbound;
using PeerGroupBot.Teams.Protocol;

namespace PeerGroupBot.Teams.Inbound;

/// <summary>
/// A member's answer to a file consent card (<c>fileConsent/invoke</c>, personal chat only). Allow: the waiting file
/// is written to the upload URL Teams gave and a file card linking it is sent; if the upload fails, the file's
/// content is shown in a card instead. Decline: the bot says it kept nothing. A file that is no longer waiting
/// (expired, already answered, or the bot restarted) gets a short explanation. The file's bytes never reach logs.
/// </summary>
public sealed class FileConsentTurn(PendingFiles pending, FileUploadClient uploads, ConnectorClient connector, ILogger<FileConsentTurn> logger)
{
    public const string InvokeName = "fileConsent/invoke";

    public async Task HandleAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (!ActivityMapper.IsPersonal(activity) || activity.Value is not { ValueKind: JsonValueKind.Object } value) return;
        FileConsentResponse? answer;
        try
        {
            answer = value.Deserialize<FileConsentResponse>(ProtocolJson.Options);
        }
        catch (JsonException)
        {
            return;
        }
        if (FileCards.TokenOf(answer?.Context) is not { } token) return;

        var conversationId = activity.Conversation!.Id!;
        var file = pending.Take(token, conversationId);
        Activity message;
        if (file is null)
        {
            message = Say("That file is no longer waiting: I keep a file for 15 minutes, and only until I restart. Ask again (for example `me export`) for a new one.");
        }
        else if (answer!.Action != "accept")
        {
            message = Say($"OK, I haven't saved **{file.FileName}** anywhere. What it holds is in the message above the card.");
        }
        else if (UploadUrl(answer.UploadInfo) is { } uploadUrl && await uploads.UploadAsync(uploadUrl, file.Content, cancellationToken).ConfigureAwait(false))
        {
            message = FileCards.FileInfoCard(answer.UploadInfo!);
        }
        else
        {
            await SendAsync(activity, Say($"I couldn't save **{file.FileName}** to your OneDrive, so here it is as text."), cancellationToken).ConfigureAwait(false);
            message = FileCards.ContentCard(file);
        }
        await SendAsync(activity, message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The upload URL Teams gave: https (plain http only to this machine, for local emulators), or null.</summary>
    private static Uri? UploadUrl(FileUploadInfo? info)
    {
        if (!Uri.TryCreate(info?.UploadUrl, UriKind.Absolute, out var url) || url.UserInfo.Length > 0) return null;
        return url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback) ? url : null;
    }

    private static Activity Say(string text) => CardRenderer.ToActivity(BotReply.Say(text));

    private async Task SendAsync(Activity activity, Activity message, CancellationToken cancellationToken)
    {
        try
        {
            await connector.SendAsync(activity.ServiceUrl!, activity.Conversation!.Id!, message, replyToId: null, cancellationToken).ConfigureAwait(false);
        }
        catch (ConnectorException ex)
        {
            logger.LogWarning("Answering a file consent on Teams failed ({Status}).", ex.Status is HttpStatusCode status ? (int)status : 0);
        }
    }
}
