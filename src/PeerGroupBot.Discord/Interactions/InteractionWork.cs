using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PeerGroupBot.Discord.Interactions;

/// <summary>
/// Work that outlives an interaction's HTTP request: the core still running after a deferral, and the follow-ups sent
/// once the first response is out. It is tracked so that shutdown waits for it (within the host's shutdown timeout)
/// instead of dropping a member's answer, and so that a failure is logged (by type, never with contents).
/// </summary>
public sealed class InteractionWork(ILogger<InteractionWork> logger) : IHostedService
{
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    // Never disposed on purpose: without timers it holds nothing, and StopAsync may come after the container is disposed.
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Starts work that produces a result (the core handling an input), not tied to the HTTP request.</summary>
    public Task<T> Run<T>(Func<CancellationToken, Task<T>> work)
    {
        var task = Task.Run(() => work(_stopping.Token));
        Track(task);
        return task;
    }

    /// <summary>Starts fire-and-forget work (sending follow-ups); failures are logged.</summary>
    public void Start(Func<CancellationToken, Task> work)
    {
        var task = Task.Run(async () =>
        {
            try
            {
                await work(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                logger.LogWarning("Finishing a Discord interaction failed: {Error}", ex.GetType().Name);
            }
        });
        Track(task);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(_running.Keys).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
            logger.LogWarning("Stopping with {Count} Discord interactions still unfinished.", _running.Count);
        }
        catch (Exception)
        {
            // Failures were logged where they happened.
        }
        finally
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }
    }

    private void Track(Task task)
    {
        _running.TryAdd(task, 0);
        task.ContinueWith(t => _running.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
