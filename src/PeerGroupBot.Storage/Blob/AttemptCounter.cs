using Azure.Core;
using Azure.Core.Pipeline;

namespace PeerGroupBot.Storage.Blob;

/// <summary>
/// Counts how many times the Azure SDK sent one logical request (its retry policy may resend it). A conflict
/// answered to the first attempt is a real conflict; a conflict answered to a retry may be the echo of our own
/// earlier attempt that succeeded but whose answer was lost, and is worth checking.
/// </summary>
internal sealed class AttemptCounter
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public bool WasRetried => Count > 1;

    /// <summary>Counts every request sent by the SDK within the returned scope (an async-local scope).</summary>
    public IDisposable Track()
        => HttpPipeline.CreateHttpMessagePropertiesScope(new Dictionary<string, object?> { [Policy.PropertyName] = this });

    private void Increment() => Interlocked.Increment(ref _count);

    /// <summary>Sits inside the SDK's retry loop, so it sees every attempt.</summary>
    internal sealed class Policy : HttpPipelineSynchronousPolicy
    {
        public const string PropertyName = "PeerGroupBot.Storage.AttemptCounter";

        public override void OnSendingRequest(HttpMessage message)
        {
            if (message.TryGetProperty(PropertyName, out var value) && value is AttemptCounter counter)
                counter.Increment();
        }
    }
}
