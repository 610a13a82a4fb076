using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Discord.Interactions;

/// <summary>
/// Each interaction id is handled once, across instances. A signed request stays valid for the whole
/// <see cref="DiscordOptions.TimestampTolerance"/>, so whoever captured one could send it again (one concern submit sent
/// three times made three concerns); the first arrival creates a mark at <c>discord/seen/{hash of the id}</c>
/// (If-None-Match: *) and a repeat is refused. Marks are kept for twice the tolerance (a timestamp may be that far
/// either side of the clock) and then swept. A vote click, whose repeat changes nothing, is checked in memory instead
/// (<see cref="SeenMarks.TryBeginHere"/>).
/// </summary>
public sealed class InteractionLog(Documents documents, IOptions<DiscordOptions> options, TimeProvider time, ILogger<InteractionLog> logger)
    : SeenMarks(documents, Prefix, time, logger)
{
    public const string Prefix = "discord/seen/";

    protected override TimeSpan Window => options.Value.TimestampTolerance * 2;
}

/// <summary>Sweeps old interaction marks while the host runs (any instance may; deletes are conditional).</summary>
internal sealed class InteractionLogSweep(InteractionLog log, IOptions<DiscordOptions> options, TimeProvider time, ILogger<InteractionLogSweep> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = options.Value.TimestampTolerance * 2;
        using var timer = new PeriodicTimer(every < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : every, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try { await log.SweepAsync(stoppingToken).ConfigureAwait(false); }
                catch (Exception ex) when (ex is not OperationCanceledException) { logger.LogWarning("Sweeping Discord interaction marks failed: {Error}", ex.GetType().Name); }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
