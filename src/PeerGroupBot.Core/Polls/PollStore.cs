using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using PeerGroupBot.Core.Security;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Core.Polls;

/// <summary>The number of the last poll opened in a group. Stored at <c>groups/{groupId}/poll-counter</c>.</summary>
public sealed record PollCounter(int Last);

/// <summary>
/// Where polls and ballots live. A poll is one small document; its ballots are another (<see cref="BallotBox"/>),
/// each filed under a per-poll keyed hash of the member id. A vote is one read and one conditional write of the box,
/// and counting reads the box alone, so a vote costs the same with 5 voters or 500. A double click stores the same
/// ballot again and changes nothing.
/// </summary>
public sealed class PollStore(Documents documents, KeyRing keys, ILogger<PollStore> logger)
{
    /// <summary>How many poll documents are read at once when listing a group's polls.</summary>
    private const int ReadParallelism = 16;

    /// <summary>
    /// Lost races a vote retries on the ballot box before the member is asked to try again: twice the usual, because
    /// a whole group clicking at once all write this one document (200 members at once all get through).
    /// </summary>
    private const int BallotBoxAttempts = 2 * Documents.MaxAttempts;

    public Documents Documents => documents;

    public static string CounterKey(string groupId) => $"groups/{groupId}/poll-counter";

    public static string PollsPrefix(string groupId) => $"groups/{groupId}/polls/";

    public static string BallotBoxKey(string groupId, string pollId) => $"groups/{groupId}/ballots/{pollId}";

    /// <summary>The voter's key in one poll. The purpose names group and poll, so it differs for every poll.</summary>
    public string VoterKey(string groupId, string pollId, string memberId) => keys.Hash($"poll-ballot:{groupId}:{pollId}", memberId);

    /// <summary>The opener's key in one poll, so the opener can start and close it without their id being stored.</summary>
    public string OpenerKey(string groupId, string pollId, string memberId) => keys.Hash($"poll-opener:{groupId}:{pollId}", memberId);

    /// <summary>Takes the next poll number in the group (1, 2, 3…).</summary>
    public async Task<string> NextIdAsync(string groupId, CancellationToken cancellationToken)
    {
        var counter = await documents.UpdateAsync<PollCounter>(CounterKey(groupId), c => new PollCounter((c?.Last ?? 0) + 1), cancellationToken).ConfigureAwait(false);
        return counter!.Last.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public Task<PollDocument?> GetAsync(string groupId, string pollId, CancellationToken cancellationToken)
        => IsPollId(pollId) ? documents.GetValueAsync<PollDocument>(PollDocument.KeyFor(groupId, pollId), cancellationToken) : Task.FromResult<PollDocument?>(null);

    public Task<PollDocument?> UpdateAsync(string groupId, string pollId, Func<PollDocument?, PollDocument?> mutate, CancellationToken cancellationToken)
        => documents.UpdateAsync(PollDocument.KeyFor(groupId, pollId), mutate, cancellationToken);

    public Task<bool> CreateAsync(PollDocument poll, CancellationToken cancellationToken)
        => documents.TryCreateAsync(PollDocument.KeyFor(poll.GroupId, poll.Id), poll, cancellationToken);

    /// <summary>Every poll of the group, oldest first. A poll document that cannot be read is skipped and logged by key.</summary>
    public async Task<IReadOnlyList<PollDocument>> ListAsync(string groupId, CancellationToken cancellationToken)
    {
        var keysFound = new List<string>();
        await foreach (var key in documents.Store.ListKeysAsync(PollsPrefix(groupId), cancellationToken).ConfigureAwait(false))
            keysFound.Add(key);
        var polls = await ReadManyAsync<PollDocument>(keysFound, cancellationToken).ConfigureAwait(false);
        return polls.OrderBy(p => int.TryParse(p.Id, out var n) ? n : int.MaxValue).ToList();
    }

    /// <summary>A poll id is the poll's number: digits only, so it is always a safe key segment.</summary>
    public static bool IsPollId(string text) => text.Length is > 0 and <= 9 && text.All(char.IsAsciiDigit) && text[0] != '0';

    public async Task<Ballot?> GetBallotAsync(string groupId, string pollId, string memberId, CancellationToken cancellationToken)
        => (await GetBallotsAsync(groupId, pollId, cancellationToken).ConfigureAwait(false)).Of(VoterKey(groupId, pollId, memberId));

    /// <summary>Every ballot of the poll (an empty box before the first vote and after the close).</summary>
    public async Task<BallotBox> GetBallotsAsync(string groupId, string pollId, CancellationToken cancellationToken)
        => await documents.GetValueAsync<BallotBox>(BallotBoxKey(groupId, pollId), cancellationToken).ConfigureAwait(false) ?? new BallotBox();

    /// <summary>Stores a member's ballot, replacing any earlier one. Returns the ballot it replaced and whether anything changed.</summary>
    public async Task<(Ballot? Previous, bool Changed)> CastAsync(string groupId, string pollId, string memberId, Ballot ballot, CancellationToken cancellationToken)
    {
        var voter = VoterKey(groupId, pollId, memberId);
        Ballot? previous = null;
        var changed = false;
        await documents.UpdateAsync<BallotBox>(BallotBoxKey(groupId, pollId), box =>
        {
            previous = box?.Of(voter);
            changed = previous is null || !previous.SameAs(ballot);
            return changed ? (box ?? new BallotBox()).With(voter, ballot) : null;
        }, BallotBoxAttempts, cancellationToken).ConfigureAwait(false);
        return (previous, changed);
    }

    /// <summary>Removes a member's ballot; false when they had none. The last ballot out takes the box with it.</summary>
    public async Task<bool> WithdrawAsync(string groupId, string pollId, string memberId, CancellationToken cancellationToken)
    {
        var key = BallotBoxKey(groupId, pollId);
        var voter = VoterKey(groupId, pollId, memberId);
        for (var attempt = 1; ; attempt++)
        {
            var box = await documents.GetAsync<BallotBox>(key, cancellationToken).ConfigureAwait(false);
            if (box?.Value.Of(voter) is null) return false;
            try
            {
                var rest = box.Value.With(voter, null);
                if (rest.Ballots.Count == 0)
                    await documents.Store.DeleteAsync(key, box.ETag, cancellationToken).ConfigureAwait(false);
                else
                    await documents.Store.ReplaceAsync(key, Documents.Serialize(rest), box.ETag, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (StateConflictException) when (attempt < BallotBoxAttempts)
            {
                await Task.Delay(Documents.Backoff(attempt), cancellationToken).ConfigureAwait(false);
            }
            catch (StateConflictException)
            {
                throw new StateContentionException(key, attempt);
            }
        }
    }

    /// <summary>Anonymous polls with live results: takes the next snapshot for the card when <paramref name="step"/> voters have changed since the last.</summary>
    public Task StepShownAsync(string groupId, string pollId, int step, CancellationToken cancellationToken)
        => documents.UpdateAsync<BallotBox>(BallotBoxKey(groupId, pollId), box => box?.NextStep(step), BallotBoxAttempts, cancellationToken);

    /// <summary>Deletes every ballot of a poll (when it closes: the frozen result is all that is kept).</summary>
    public Task DeleteBallotsAsync(string groupId, string pollId, CancellationToken cancellationToken)
        => documents.DeleteAsync(BallotBoxKey(groupId, pollId), cancellationToken);

    private async Task<IReadOnlyList<T>> ReadManyAsync<T>(IReadOnlyList<string> keysToRead, CancellationToken cancellationToken) where T : class
    {
        var found = new ConcurrentBag<(int Index, T Value)>();
        await Parallel.ForEachAsync(Enumerable.Range(0, keysToRead.Count), new ParallelOptions { MaxDegreeOfParallelism = ReadParallelism, CancellationToken = cancellationToken },
            async (index, ct) =>
            {
                try
                {
                    var value = await documents.GetValueAsync<T>(keysToRead[index], ct).ConfigureAwait(false);
                    if (value is not null) found.Add((index, value)); // null: deleted since it was listed
                }
                catch (StateCorruptException ex)
                {
                    logger.LogError("Skipped unreadable document {Key}.", ex.Key);
                }
            }).ConfigureAwait(false);
        return found.OrderBy(f => f.Index).Select(f => f.Value).ToList();
    }
}
