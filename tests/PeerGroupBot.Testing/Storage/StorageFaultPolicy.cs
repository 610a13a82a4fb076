using System.Collections.Concurrent;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;

namespace PeerGroupBot.Testing.Storage;

/// <summary>What a <see cref="StorageFaultPolicy"/> does to one request attempt.</summary>
public enum StorageFault
{
    None,

    /// <summary>Answers 503 without sending the request (nothing applied).</summary>
    ServiceUnavailable,

    /// <summary>Throws a network timeout without sending the request (nothing applied).</summary>
    TimeoutBeforeSending,

    /// <summary>Sends the request (it is applied), then throws a network timeout as if the answer was lost.</summary>
    TimeoutAfterSending,
}

/// <summary>
/// Injects storage faults into the Azure SDK pipeline, inside its retry loop, so the SDK retries exactly as it
/// would against a flaky network: attach it with <see cref="AttachTo"/> (or through
/// <c>StorageOptions.ConfigureBlobClient</c>), then plan one-off faults with <see cref="InjectOnce"/> or a random
/// rate with <see cref="FailRandomly"/>.
/// </summary>
public sealed class StorageFaultPolicy : HttpPipelinePolicy
{
    private readonly ConcurrentQueue<Planned> _planned = new();
    private readonly ConcurrentQueue<string> _injected = new();
    private readonly Lock _randomGate = new();
    private Random? _random;
    private double _rate;
    private Func<HttpMessage, bool> _randomWhen = _ => true;

    public void AttachTo(BlobClientOptions options) => options.AddPolicy(this, HttpPipelinePosition.PerRetry);

    /// <summary>Each injected fault, as "METHOD path: fault".</summary>
    public IReadOnlyCollection<string> Injected => _injected.ToArray();

    /// <summary>A request that creates or replaces a blob (not the container).</summary>
    public static bool IsBlobWrite(HttpMessage message)
        => message.Request.Method == RequestMethod.Put && !message.Request.Uri.Query.Contains("restype=container", StringComparison.Ordinal);

    public static bool IsBlobDelete(HttpMessage message) => message.Request.Method == RequestMethod.Delete;

    /// <summary>
    /// Plans one fault for the next attempt that <paramref name="when"/> accepts (any when null).
    /// <paramref name="afterSending"/> runs after the request was applied and before the timeout is reported
    /// (only with <see cref="StorageFault.TimeoutAfterSending"/>), e.g. to let another writer in.
    /// </summary>
    public void InjectOnce(StorageFault fault, Func<HttpMessage, bool>? when = null, Func<Task>? afterSending = null)
        => _planned.Enqueue(new Planned(fault, when ?? (_ => true), afterSending));

    /// <summary>Fails about <paramref name="rate"/> of the attempts that <paramref name="when"/> accepts, with a mix of all faults.</summary>
    public void FailRandomly(double rate, int seed, Func<HttpMessage, bool>? when = null)
    {
        lock (_randomGate)
        {
            _random = new Random(seed);
            _rate = rate;
            _randomWhen = when ?? (_ => true);
        }
    }

    public void StopFailing()
    {
        lock (_randomGate) _random = null;
        _planned.Clear();
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        => ProcessAsync(message, pipeline, async: false).AsTask().GetAwaiter().GetResult();

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        => ProcessAsync(message, pipeline, async: true);

    private async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline, bool async)
    {
        var (fault, afterSending) = Decide(message);
        if (fault != StorageFault.None)
            _injected.Enqueue($"{message.Request.Method} {message.Request.Uri.Path}: {fault}");
        switch (fault)
        {
            case StorageFault.ServiceUnavailable:
                message.Response = new SyntheticResponse(503, "Service Unavailable", message.Request.ClientRequestId);
                return;
            case StorageFault.TimeoutBeforeSending:
                throw new TaskCanceledException("Simulated network timeout (the request was not sent).", new TimeoutException());
            case StorageFault.TimeoutAfterSending:
                await SendAsync(message, pipeline, async).ConfigureAwait(false);
                if (afterSending is not null) await afterSending().ConfigureAwait(false);
                throw new TaskCanceledException("Simulated network timeout (the request was applied; its answer was lost).", new TimeoutException());
            default:
                await SendAsync(message, pipeline, async).ConfigureAwait(false);
                return;
        }
    }

    private static async ValueTask SendAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline, bool async)
    {
        if (async) await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        else ProcessNext(message, pipeline);
    }

    private (StorageFault, Func<Task>?) Decide(HttpMessage message)
    {
        // One-off plans first, in order; a plan whose condition does not match stays queued.
        foreach (var planned in _planned)
        {
            if (!planned.When(message) || !planned.TryClaim()) continue;
            return (planned.Fault, planned.AfterSending);
        }
        lock (_randomGate)
        {
            if (_random is null || !_randomWhen(message) || _random.NextDouble() >= _rate) return (StorageFault.None, null);
            return ((StorageFault)_random.Next(1, 4), null);
        }
    }

    private sealed class Planned(StorageFault fault, Func<HttpMessage, bool> when, Func<Task>? afterSending)
    {
        private int _claimed;

        public StorageFault Fault => fault;

        public Func<HttpMessage, bool> When => when;

        public Func<Task>? AfterSending => afterSending;

        public bool TryClaim() => Interlocked.Exchange(ref _claimed, 1) == 0;
    }

    /// <summary>A response made up in the pipeline, as a failing server would send it.</summary>
    private sealed class SyntheticResponse(int status, string reason, string clientRequestId) : Response
    {
        public override int Status => status;

        public override string ReasonPhrase => reason;

        // Azure.Core sets this after the transport, which a made-up response never reaches; retries depend on it.
        public override bool IsError => status >= 400;

        public override Stream? ContentStream { get; set; }

        public override string ClientRequestId { get; set; } = clientRequestId;

        public override void Dispose()
        {
        }

        protected override bool ContainsHeader(string name) => false;

        protected override IEnumerable<HttpHeader> EnumerateHeaders() => [];

        protected override bool TryGetHeader(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
        {
            value = null;
            return false;
        }

        protected override bool TryGetHeaderValues(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IEnumerable<string>? values)
        {
            values = null;
            return false;
        }
    }
}
