using System.Net;
using Polly;

namespace PeerGroupBot.Teams.Tests;

/// <summary>Which failures the connector client retries (the pipeline around it is exercised in <see cref="ConnectorRetryTests"/>).</summary>
public class RetryRuleTests
{
    private static HttpRequestMessage Request(HttpMethod method, bool safe = false)
    {
        var request = new HttpRequestMessage(method, "https://smba.trafficmanager.net/emea/v3/conversations/x/activities");
        if (safe) request.Options.Set(TeamsHttpClients.SafeToRetry, true);
        return request;
    }

    private static bool Retries(HttpMethod method, HttpStatusCode status, bool safe = false)
    {
        var request = Request(method, safe);
        return TeamsHttpClients.ShouldRetry(Outcome.FromResult(new HttpResponseMessage(status) { RequestMessage = request }), request);
    }

    [Fact]
    public void Posts_are_retried_only_when_teams_did_nothing_or_a_repeat_is_harmless()
    {
        Assert.True(Retries(HttpMethod.Post, HttpStatusCode.TooManyRequests));
        Assert.True(Retries(HttpMethod.Post, HttpStatusCode.PreconditionFailed)); // Teams did not act on it
        Assert.False(Retries(HttpMethod.Post, HttpStatusCode.BadGateway)); // it may have been delivered
        Assert.False(Retries(HttpMethod.Post, HttpStatusCode.GatewayTimeout));
        Assert.False(Retries(HttpMethod.Post, HttpStatusCode.InternalServerError));
        Assert.False(Retries(HttpMethod.Post, HttpStatusCode.ServiceUnavailable));
        Assert.True(Retries(HttpMethod.Post, HttpStatusCode.ServiceUnavailable, safe: true));
        Assert.False(TeamsHttpClients.ShouldRetry(Outcome.FromException<HttpResponseMessage>(new Polly.Timeout.TimeoutRejectedException()), Request(HttpMethod.Post)));
        Assert.True(TeamsHttpClients.ShouldRetry(Outcome.FromException<HttpResponseMessage>(new HttpRequestException(HttpRequestError.ConnectionError)), Request(HttpMethod.Post)));
    }

    [Fact]
    public void Puts_and_gets_are_retried_on_server_errors_but_never_on_client_errors()
    {
        Assert.True(Retries(HttpMethod.Put, HttpStatusCode.BadGateway));
        Assert.True(Retries(HttpMethod.Put, HttpStatusCode.GatewayTimeout));
        Assert.True(Retries(HttpMethod.Put, HttpStatusCode.PreconditionFailed));
        Assert.True(Retries(HttpMethod.Get, HttpStatusCode.InternalServerError));
        Assert.True(TeamsHttpClients.ShouldRetry(Outcome.FromException<HttpResponseMessage>(new Polly.Timeout.TimeoutRejectedException()), Request(HttpMethod.Put)));
        Assert.False(Retries(HttpMethod.Put, HttpStatusCode.Forbidden));
        Assert.False(Retries(HttpMethod.Put, HttpStatusCode.NotFound));
        Assert.False(Retries(HttpMethod.Get, HttpStatusCode.OK));
    }
}
