using System.Threading.Channels;
using PeerGroupBot.Core.Scheduling;
using PeerGroupBot.Core.State;
using Quartz;

namespace PeerGroupBot.Scheduling;

/// <summary>
/// A note that a timer changed on an instance that does not lead; the leader picks these up every few seconds and
/// re-derives the timer's trigger. Stored at <c>scheduling/changes/{groupId}/{timerId}</c>.
/// </summary>
public sealed record TimerChangeNote(string GroupId, string TimerId);

/// <summary>
/// The core's <see cref="ITimerWakeup"/> for Quartz. On the leader a scheduled or cancelled timer becomes a trigger
/// change at once; on any other instance it leaves a <see cref="TimerChangeNote"/> for the leader. The work runs on a
/// background queue because the core tells it synchronously, after the timer document is already stored.
/// </summary>
public sealed class QuartzTimerWakeup(
    LeaderState leader,
    QuartzTimerTriggers triggers,
    ISchedulerFactory schedulers,
    Documents documents,
    ILogger<QuartzTimerWakeup> logger) : ITimerWakeup
{
    public const string NotesPrefix = "scheduling/changes/";

    private readonly Channel<(string GroupId, string TimerId, bool Local)> _queue = Channel.CreateUnbounded<(string, string, bool)>(new UnboundedChannelOptions { SingleReader = true });

    public void Scheduled(TimerDocument timer) => Enqueue(timer.GroupId, timer.TimerId);

    public void Cancelled(string groupId, string timerId) => Enqueue(groupId, timerId);

    /// <summary>Asks for a timer's trigger to be derived again from its document (e.g. a job found it moved).</summary>
    public void Enqueue(string groupId, string timerId) => _queue.Writer.TryWrite((groupId, timerId, leader.IsLeader));

    public static string NoteKey(string groupId, string timerId) => $"{NotesPrefix}{groupId}/{timerId}";

    /// <summary>Works through the queue until <paramref name="cancellationToken"/> ends; run by the leadership service.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken).ConfigureAwait(false);
        await foreach (var (groupId, timerId, local) in _queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                if (local && leader.IsLeader)
                    await triggers.SyncAsync(scheduler, TimerDocument.KeyFor(groupId, timerId), cancellationToken).ConfigureAwait(false);
                else
                    await documents.UpdateAsync<TimerChangeNote>(NoteKey(groupId, timerId), _ => new TimerChangeNote(groupId, timerId), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The leader's periodic resync derives it anyway.
                logger.LogWarning("Passing on a change to timer {TimerId} of group {GroupId} failed: {Error}", timerId, groupId, ex.GetType().Name);
            }
        }
    }

    /// <summary>On the leader: applies and removes the notes other instances left. Returns how many were applied.</summary>
    public async Task<int> ApplyNotesAsync(IScheduler scheduler, CancellationToken cancellationToken)
    {
        var applied = 0;
        var keys = new List<string>();
        await foreach (var key in documents.Store.ListKeysAsync(NotesPrefix, cancellationToken).ConfigureAwait(false)) keys.Add(key);
        foreach (var key in keys)
        {
            var note = await documents.GetAsync<TimerChangeNote>(key, cancellationToken).ConfigureAwait(false);
            if (note is null) continue;
            await triggers.SyncAsync(scheduler, TimerDocument.KeyFor(note.Value.GroupId, note.Value.TimerId), cancellationToken).ConfigureAwait(false);
            applied++;
            // A note rewritten meanwhile keeps its new version and is applied again next round.
            try { await documents.Store.DeleteAsync(key, note.ETag, cancellationToken).ConfigureAwait(false); }
            catch (StateConflictException) { }
        }
        return applied;
    }
}
