using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

namespace PeerGroupBot.Teams.Outbound;

/// <summary>
/// Writes an accepted file to the upload URL Teams gave in a <c>fileConsent/invoke</c>: one PUT of the whole file
/// with <c>Content-Range: bytes 0-{n-1}/{n}</c>. The URL is pre-authorised, so the request carries no token of the
/// bot's. Its own "teams-files" HttpClient retries like the connector's (PUT is safe to repeat).
/// </summary>
public sealed class FileUploadClient(IHttpClientFactory httpClients, ILogger<FileUploadClient> logger)
{
    /// <summary>Uploads the bytes; false (logged with the status only) when the upload was refused or failed.</summary>
    public async Task<bool> UploadAsync(Uri uploadUrl, byte[] content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, uploadUrl) { Content = new ByteArrayContent(content) };
        request.Content.Headers.ContentLength = content.Length;
        if (content.Length > 0) request.Content.Headers.ContentRange = new ContentRangeHeaderValue(0, content.Length - 1, content.Length);
        try
        {
            using var response = await httpClients.CreateClient(TeamsHttpClients.Files).SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode) return true;
            logger.LogWarning("Uploading an accepted file to OneDrive answered {Status}.", (int)response.StatusCode);
            return false;
        }
        catch (Exception ex) when (ex is HttpRequestException or Polly.Timeout.TimeoutRejectedException)
        {
            logger.LogWarning("Uploading an accepted file to OneDrive failed: {Error}.", ex.GetType().Name);
            return false;
        }
    }
}
