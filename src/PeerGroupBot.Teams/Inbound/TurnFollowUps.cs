using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PeerGroupBot.Teams.Inbound;

/// <summary>
/// What a card click still has to deliver after its invoke response has gone out: the PUT over the card, private
/// messages, files. Each run is bounded by <see cref="TeamsOptions.FollowUpTimeLimit"/> (connector retries included)
/// and tracked so that shutdown waits for it within the host's shutdown timeout; a failure is logged by type only.
/// </summary>
public sealed class TurnFollowUps(IOptions<TeamsOptions> options, ILogger<TurnFollowUps> logger) : IHostedService
{
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    // Never disposed on purpose: without timers it holds nothing, and StopAsync may come after the container is disposed.
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>How many follow-ups are still running.</summary>
    public int Running => _running.Count;

    public void Start(Func<CancellationToken, Task> work)
    {
        var task = Task.Run(async () =>
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            limit.CancelAfter(options.Value.FollowUpTimeLimit);
            try
            {
                await work(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested)
            {
                logger.LogWarning("Deliveries after a Teams card click were cut off after {Seconds} s.", options.Value.FollowUpTimeLimit.TotalSeconds);
            }
            catch (Exception ex)
            {
                logger.LogWarning("Deliveries after a Teams card click failed: {Error}", ex.GetType().Name);
            }
        });
        _running.TryAdd(task, 0);
        task.ContinueWith(t => _running.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(_running.Keys).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Stopping with {Count} Teams deliveries still unfinished.", _running.Count);
        }
        finally
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }
    }
}
