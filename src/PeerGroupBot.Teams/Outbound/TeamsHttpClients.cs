using System.Net;
using Microsoft.Extensions.Http.Resilience;
using PeerGroupBot.Core.Telemetry;
using Polly;

namespace PeerGroupBot.Teams;

/// <summary>
/// The named HttpClients of the adapter and the retry rules of the connector's, after Microsoft's rate-limit guidance
/// for Teams bots (retry 429, 412, 502 and 504 with exponential back-off and jitter). Sending a message is a
/// non-idempotent POST: a retry after a 5xx or a timeout has delivered the same message two or three times to Teams
/// users, so POSTs are retried only on 429 and 412 (Teams did not act on it), on a failure to connect (nothing was
/// sent) or when the request is marked safe (creating a 1:1 conversation returns the existing one). GET, PUT and PATCH
/// are retried on 429, 412, 408, every 5xx (502 and 504 included) and timeouts. Retry-After is honoured.
/// </summary>
public static class TeamsHttpClients
{
    public const string OpenId = "teams-openid";
    public const string Login = "teams-login";
    public const string Connector = "teams-connector";
    public const string Graph = "teams-graph";
    /// <summary>PUTs accepted files to the OneDrive upload URLs of file consent cards (no bot token).</summary>
    public const string Files = "teams-files";

    /// <summary>Set on a POST whose repetition does no harm.</summary>
    public static readonly HttpRequestOptionsKey<bool> SafeToRetry = new("pgb.safe-to-retry");

    public static void ConfigureRetries(ResiliencePipelineBuilder<HttpResponseMessage> pipeline)
    {
        pipeline.AddTimeout(TimeSpan.FromMinutes(2));
        pipeline.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = 4,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(500),
            MaxDelay = TimeSpan.FromSeconds(30),
            ShouldRetryAfterHeader = true,
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context.GetRequestMessage())),
            OnRetry = args =>
            {
                var limited = args.Outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests;
                BotTelemetry.OutboundRetries.Add(1, new KeyValuePair<string, object?>("platform", "teams"),
                    new KeyValuePair<string, object?>("reason", limited ? "rate_limited" : args.Outcome.Result is null ? "failed" : "server_error"));
                if (limited) BotTelemetry.RateLimitWaits.Record(args.RetryDelay.TotalMilliseconds, new KeyValuePair<string, object?>("platform", "teams"));
                return default;
            },
        });
        pipeline.AddTimeout(TimeSpan.FromSeconds(30));
    }

    public static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, HttpRequestMessage? request)
    {
        request ??= outcome.Result?.RequestMessage;
        var safe = request is not null && (request.Method != HttpMethod.Post
            || (request.Options.TryGetValue(SafeToRetry, out var marked) && marked));
        if (outcome.Result is { } response)
        {
            // Teams' rate-limit guidance: retry 429 (after Retry-After) and 412, which Teams answers when it did not act
            // on the request (several writers on one conversation at once); 502 and 504 only where a repeat is harmless.
            if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.PreconditionFailed) return true;
            return safe && (response.StatusCode == HttpStatusCode.RequestTimeout || (int)response.StatusCode >= 500);
        }
        return outcome.Exception switch
        {
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } => true,
            HttpRequestException or Polly.Timeout.TimeoutRejectedException => safe,
            _ => false,
        };
    }
}
