using System.Net.Http.Headers;
using System.Text.Json;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Discord.Rendering;

namespace PeerGroupBot.Discord.Rest;

/// <summary>
/// What one request sends, kept so that every attempt gets a fresh <see cref="HttpContent"/> (a sent content is
/// disposed with its request, so a retry after a 429 must build the whole body again, files included). Without files
/// it is JSON, and without a body it has no content at all; a message with files is Discord's file upload: multipart/form-data with the message JSON in a
/// <c>payload_json</c> part and each file in a <c>files[n]</c> part, n matching the id in the JSON's <c>attachments</c>.
/// </summary>
public sealed class DiscordRequestBody
{
    private readonly byte[]? _json;
    private readonly IReadOnlyList<ReplyAttachment> _files;

    private DiscordRequestBody(byte[]? json, IReadOnlyList<ReplyAttachment> files)
    {
        _json = json;
        _files = files;
    }

    /// <summary>The body for an object sent as JSON; a <see cref="MessagePayload"/> with files becomes an upload.</summary>
    public static DiscordRequestBody For(object? body)
        => new(body is null ? null : JsonSerializer.SerializeToUtf8Bytes(body, DiscordJson.Options), (body as MessagePayload)?.Files ?? []);

    public bool HasFiles => _files.Count > 0;

    /// <summary>Bytes on the wire, near enough to size the attempt's timeout.</summary>
    public long Length => (_json?.Length ?? 0) + _files.Sum(f => (long)f.Content.Length);

    /// <summary>A new content for one attempt; none for a request without a body.</summary>
    public HttpContent? CreateContent()
    {
        // A request without a body (a DELETE) sends no Content-Type: Discord answers 400 (code 50109, invalid JSON) to an
        // empty body that says it is JSON.
        if (_json is null && !HasFiles) return null;
        if (!HasFiles)
        {
            var content = new ByteArrayContent(_json!);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            return content;
        }

        var form = new MultipartFormDataContent();
        var payload = new ByteArrayContent(_json ?? "{}"u8.ToArray());
        payload.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        payload.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"payload_json\"" };
        form.Add(payload);
        for (var i = 0; i < _files.Count; i++)
        {
            var file = new ByteArrayContent(_files[i].Content);
            file.Headers.ContentType = new MediaTypeHeaderValue(_files[i].MediaType);
            file.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = $"\"files[{i}]\"", FileName = $"\"{ReplyFiles.SafeName(_files[i].FileName)}\"" };
            form.Add(file);
        }
        return form;
    }
}
