using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using PeerGroupBot.Core.Telemetry;
using PeerGroupBot.Teams.Auth;
using PeerGroupBot.Teams.Protocol;

namespace PeerGroupBot.Teams.Outbound;

/// <summary>A connector call failed. Carries the status code only: message contents never reach logs or errors.</summary>
public sealed class ConnectorException(string operation, HttpStatusCode? status)
    : Exception($"Bot Connector {operation} failed{(status is null ? "" : $" with {(int)status.Value}")}.")
{
    public HttpStatusCode? Status { get; } = status;
}

/// <summary>
/// The Bot Connector REST calls this bot makes (v3 conversations API), against the serviceUrl of the conversation.
/// Retries live in the "teams-connector" HttpClient's pipeline (<see cref="TeamsHttpClients"/>).
/// </summary>
public sealed class ConnectorClient(IHttpClientFactory httpClients, IServiceTokens tokens, ILogger<ConnectorClient> logger)
{
    /// <summary>Posts an activity to a conversation (or as a reply in a thread) and returns its id.</summary>
    public async Task<string> SendAsync(string serviceUrl, string conversationId, Activity activity, string? replyToId, CancellationToken cancellationToken)
    {
        var path = $"v3/conversations/{Uri.EscapeDataString(conversationId)}/activities"
                   + (string.IsNullOrEmpty(replyToId) ? "" : "/" + Uri.EscapeDataString(replyToId));
        using var request = new HttpRequestMessage(HttpMethod.Post, Url(serviceUrl, path)) { Content = JsonContent.Create(activity, options: ProtocolJson.Options) };
        var response = await SendAsync(request, "send", cancellationToken).ConfigureAwait(false);
        return response?.Id ?? "";
    }

    /// <summary>
    /// Replaces an activity the bot posted earlier (PUT, safe to retry). Updates of one message go out one at a time,
    /// in the order their places were taken (<see cref="ReserveUpdate"/>): several members clicking at once start several
    /// updates, and one that Teams answered 412 and that is retried must not land after a newer one. An update overtaken
    /// while it waited is dropped (the newer one carries the later state).
    /// </summary>
    public Task UpdateAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken)
        => UpdateAsync(serviceUrl, ReserveUpdate(conversationId, activityId), activity, cancellationToken);

    /// <summary>
    /// Takes an update's place in the line of updates of one message. Take it when the state the update shows is
    /// settled (a click's card, as the core answered), not when it is sent: work after the answer starts in any order.
    /// </summary>
    public UpdateTicket ReserveUpdate(string conversationId, string activityId)
    {
        var path = $"v3/conversations/{Uri.EscapeDataString(conversationId)}/activities/{Uri.EscapeDataString(activityId)}";
        var line = _updates.GetOrAdd(path, _ => new UpdateLine());
        return new UpdateTicket(activityId, path, line, Interlocked.Increment(ref line.Latest));
    }

    /// <inheritdoc cref="UpdateAsync(string, string, string, Activity, CancellationToken)"/>
    public async Task UpdateAsync(string serviceUrl, UpdateTicket ticket, Activity activity, CancellationToken cancellationToken)
    {
        activity.Id = ticket.ActivityId;
        var line = ticket.Line;
        await line.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (ticket.Number != Volatile.Read(ref line.Latest)) return; // a newer update of this message is in line behind
            using var request = new HttpRequestMessage(HttpMethod.Put, Url(serviceUrl, ticket.Path)) { Content = JsonContent.Create(activity, options: ProtocolJson.Options) };
            await SendAsync(request, "update", cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            line.Gate.Release();
            if (ticket.Number == Volatile.Read(ref line.Latest)) _updates.TryRemove(KeyValuePair.Create(ticket.Path, line));
        }
    }

    /// <summary>An update's place in the line of one message's updates (<see cref="ReserveUpdate"/>).</summary>
    public sealed record UpdateTicket
    {
        internal UpdateTicket(string activityId, string path, UpdateLine line, long number) => (ActivityId, Path, Line, Number) = (activityId, path, line, number);

        internal string ActivityId { get; }
        internal string Path { get; }
        internal UpdateLine Line { get; }
        internal long Number { get; }
    }

    internal sealed class UpdateLine
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public long Latest;
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, UpdateLine> _updates = new(StringComparer.Ordinal);

    /// <summary>Creates (or finds) the 1:1 conversation between the bot and a member; returns its id.</summary>
    public async Task<string> CreatePersonalConversationAsync(string serviceUrl, string botId, string userId, string? tenantId, CancellationToken cancellationToken)
    {
        var parameters = new ConversationParameters
        {
            IsGroup = false,
            Bot = new ChannelAccount { Id = botId },
            Members = [new ChannelAccount { Id = userId }],
            TenantId = tenantId,
            ChannelData = tenantId is null ? null : new TeamsChannelData { Tenant = new TenantInfo { Id = tenantId } },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, Url(serviceUrl, "v3/conversations")) { Content = JsonContent.Create(parameters, options: ProtocolJson.Options) };
        request.Options.Set(TeamsHttpClients.SafeToRetry, true); // Teams returns the existing 1:1 conversation
        var response = await SendAsync(request, "create-conversation", cancellationToken).ConfigureAwait(false);
        return response?.Id is { Length: > 0 } id ? id : throw new ConnectorException("create-conversation", null);
    }

    /// <summary>One member of a conversation (its <c>userRole</c> tells guests apart); null when not a member.</summary>
    public async Task<TeamsMember?> GetMemberAsync(string serviceUrl, string conversationId, string userId, CancellationToken cancellationToken)
    {
        var path = $"v3/conversations/{Uri.EscapeDataString(conversationId)}/members/{Uri.EscapeDataString(userId)}";
        using var request = new HttpRequestMessage(HttpMethod.Get, Url(serviceUrl, path));
        using var response = await SendRawAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        if (!response.IsSuccessStatusCode) throw Failed("get-member", response.StatusCode);
        return await response.Content.ReadFromJsonAsync<TeamsMember>(ProtocolJson.Options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A team's details: its Entra group id is what Graph needs to list owners.</summary>
    public async Task<TeamInfo?> GetTeamAsync(string serviceUrl, string teamId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url(serviceUrl, $"v3/teams/{Uri.EscapeDataString(teamId)}"));
        using var response = await SendRawAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw Failed("get-team", response.StatusCode);
        return await response.Content.ReadFromJsonAsync<TeamInfo>(ProtocolJson.Options, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ResourceResponse?> SendAsync(HttpRequestMessage request, string operation, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw Failed(operation, response.StatusCode);
        if (response.Content.Headers.ContentLength == 0) return null;
        try
        {
            return await response.Content.ReadFromJsonAsync<ResourceResponse>(ProtocolJson.Options, cancellationToken).ConfigureAwait(false);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await tokens.GetConnectorTokenAsync(cancellationToken).ConfigureAwait(false);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var client = httpClients.CreateClient(TeamsHttpClients.Connector);
        using var measured = new BotTelemetry.Measurement(BotTelemetry.OutboundCalls, BotTelemetry.OutboundDuration,
            new System.Diagnostics.TagList { { "platform", "teams" }, { "route", request.Method.Method + " connector" } }, BotTelemetry.Source.StartActivity("teams.request"));
        try
        {
            var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            measured.Done(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            return response;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            measured.Done("failed");
            throw;
        }
    }

    private ConnectorException Failed(string operation, HttpStatusCode status)
    {
        logger.LogWarning("Bot Connector {Operation} answered {Status}.", operation, (int)status);
        return new ConnectorException(operation, status);
    }

    private static Uri Url(string serviceUrl, string path) => new(serviceUrl.TrimEnd('/') + "/" + path, UriKind.Absolute);
}
