using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using PeerGroupBot.Core.Security;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Core.Polls;

/// <summary>The number of the last poll opened in a group. Stored at <c>groups/{groupId}/poll-counter</c>.</summary>
public sealed record PollCounter(int Last);

/// <summary>What a vote or a withdrawal did to the ballot box.</summary>
public enum CastOutcome { Stored, Unchanged, Closed }

/// <summary>The outcome, the member's ballot before it, and the box as it now stands (what the card is drawn from).</summary>
public sealed record CastResult(CastOutcome Outcome, Ballot? Previous, BallotBox Box);

/// <summary>
/// Where polls and ballots live. A poll is one small document; its ballots are another (<see cref="BallotBox"/>),
/// each filed under a per-poll keyed hash of the member id. A vote is one conditional write of the box (plus a read
/// when this instance has no current copy of it), and counting reads the box alone, so a vote costs the same with 5
/// voters or 500. A double click stores the same
/// ballot again and changes nothing.
/// </summary>
public sealed class PollStore(Documents documents, KeyRing keys, NodaTime.IClock clock, ILogger<PollStore> logger)
{
    /// <summary>
    /// How long a poll open for voting is trusted from memory for a vote (<see cref="GetForVoteAsync"/>). Nothing a vote
    /// needs changes while a poll is open except its phase, and the ballot box settles that (a closed poll's box is sealed).
    /// </summary>
    public static readonly NodaTime.Duration OpenPollCacheTtl = NodaTime.Duration.FromSeconds(30);

    private readonly ExpiringCache<string, PollDocument> _open = new(clock, OpenPollCacheTtl);

    /// <summary>
    /// How long this instance votes from its own copy of a ballot box (the box and ETag it last wrote or read) before
    /// reading it again, and how long a box another instance wrote under that copy is read fresh instead. The copy only
    /// saves the read: every write is conditional on its ETag, so an old copy costs a lost write, never a vote.
    /// </summary>
    public static readonly NodaTime.Duration BallotBoxCacheTtl = NodaTime.Duration.FromSeconds(30);

    /// <summary>Boxes of polls being voted on here (<see cref="DocumentCopies{T}"/>). A box holds voter keys and choices, never ids or names of anonymous voters.</summary>
    private readonly DocumentCopies<BallotBox> _boxes = new(documents, clock, BallotBoxCacheTtl);

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

    public async Task<PollDocument?> GetAsync(string groupId, string pollId, CancellationToken cancellationToken)
    {
        if (!IsPollId(pollId)) return null;
        var poll = await documents.GetValueAsync<PollDocument>(PollDocument.KeyFor(groupId, pollId), cancellationToken).ConfigureAwait(false);
        Keep(PollDocument.KeyFor(groupId, pollId), poll);
        return poll;
    }

    /// <summary>
    /// The poll for a vote: from memory when this instance read or wrote it open for voting in the last
    /// <see cref="OpenPollCacheTtl"/>, otherwise from storage. Only an open poll whose card has been posted is kept: a
    /// poll still collecting suggestions is read fresh every time, so the start of its vote is seen at once, and a close
    /// elsewhere is caught by the sealed ballot box.
    /// </summary>
    public async Task<PollDocument?> GetForVoteAsync(string groupId, string pollId, CancellationToken cancellationToken)
        => IsPollId(pollId) && _open.TryGet(PollDocument.KeyFor(groupId, pollId), out var cached) ? cached : await GetAsync(groupId, pollId, cancellationToken).ConfigureAwait(false);

    /// <summary>Drops a poll from memory (a vote found its box sealed: it has closed).</summary>
    public void Forget(string groupId, string pollId) => _open.Remove(PollDocument.KeyFor(groupId, pollId));

    public async Task<PollDocument?> UpdateAsync(string groupId, string pollId, Func<PollDocument?, PollDocument?> mutate, CancellationToken cancellationToken)
    {
        var key = PollDocument.KeyFor(groupId, pollId);
        try
        {
            var poll = await documents.UpdateAsync(key, mutate, cancellationToken).ConfigureAwait(false);
            Keep(key, poll);
            return poll;
        }
        catch
        {
            _open.Remove(key);
            throw;
        }
    }

    public async Task<bool> CreateAsync(PollDocument poll, CancellationToken cancellationToken)
    {
        var key = PollDocument.KeyFor(poll.GroupId, poll.Id);
        var created = await documents.TryCreateAsync(key, poll, cancellationToken).ConfigureAwait(false);
        if (created) Keep(key, poll);
        return created;
    }

    private void Keep(string key, PollDocument? poll)
    {
        if (poll is { Phase: PollPhase.Voting } && poll.Card.Copies.Count > 0) _open.Set(key, poll);
        else _open.Remove(key);
    }

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

    /// <summary>
    /// Stores a member's ballot, replacing any earlier one: one conditional write of the box, after a read when this
    /// instance has no current copy (<see cref="WriteBoxAsync"/>). The box
    /// settles a race with the close: closing seals it first (<see cref="SealAsync"/>), so a write made from a read
    /// taken before the seal fails its ETag and the retry finds the box sealed (<see cref="CastOutcome.Closed"/>).
    /// Only when there is no box at all (nobody has voted yet, or the last vote was withdrawn) is the poll itself asked,
    /// through <paramref name="stillOpen"/>, as an absent box could also be a poll closed before this change. <paramref name="step"/>
    /// (anonymous polls with live results: the group's k) takes the card's next snapshot in the same write.
    /// </summary>
    public async Task<CastResult> CastAsync(string groupId, string pollId, string memberId, Ballot ballot, int? step, Func<CancellationToken, Task<bool>> stillOpen,
        CancellationToken cancellationToken)
    {
        var voter = VoterKey(groupId, pollId, memberId);
        return await WriteBoxAsync(groupId, pollId, stillOpen, box =>
        {
            var previous = box.Of(voter);
            return (previous, previous is null || !previous.SameAs(ballot) ? box.With(voter, ballot) : null);
        }, step, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores a member's ballot in an open poll's box (moving data between ids): returns the ballot it replaced and whether anything changed.</summary>
    public async Task<(Ballot? Previous, bool Changed)> CastAsync(string groupId, string pollId, string memberId, Ballot ballot, CancellationToken cancellationToken)
    {
        var cast = await CastAsync(groupId, pollId, memberId, ballot, null, _ => Task.FromResult(true), cancellationToken).ConfigureAwait(false);
        return (cast.Previous, cast.Outcome == CastOutcome.Stored);
    }

    /// <summary>
    /// Removes a member's ballot, as <see cref="CastAsync(string, string, string, Ballot, int?, Func{CancellationToken, Task{bool}}, CancellationToken)"/>
    /// stores one: <see cref="CastOutcome.Unchanged"/> when they had none, <see cref="CastOutcome.Closed"/> when the box is sealed.
    /// </summary>
    public Task<CastResult> WithdrawVoteAsync(string groupId, string pollId, string memberId, int? step, CancellationToken cancellationToken)
    {
        var voter = VoterKey(groupId, pollId, memberId);
        // No box: no ballot to withdraw, whether the poll is open or closed, so the poll need not be asked.
        return WriteBoxAsync(groupId, pollId, null, box =>
        {
            var previous = box.Of(voter);
            return (previous, previous is null ? null : box.With(voter, null));
        }, step, cancellationToken);
    }

    /// <summary>Removes a member's ballot; false when they had none (or the poll has closed). The last ballot out takes the box with it.</summary>
    public async Task<bool> WithdrawAsync(string groupId, string pollId, string memberId, CancellationToken cancellationToken)
        => (await WithdrawVoteAsync(groupId, pollId, memberId, null, cancellationToken).ConfigureAwait(false)).Outcome == CastOutcome.Stored;

    /// <summary>
    /// The one conditional write of a ballot box behind a vote or a withdrawal, from this instance's copy of the box
    /// when it has a current one, otherwise after a read (<see cref="DocumentCopies{T}"/>: an old copy costs a lost
    /// write, never a ballot, and "no change" is always checked against storage). A sealed box refuses (a seal is
    /// believed from a copy too: a sealed box never opens again); an absent box asks <paramref name="stillOpen"/> (null:
    /// an absent box means there is nothing to change). A box left with no ballots is deleted (the card's voter count
    /// already shows that nobody's ballot is left).
    /// </summary>
    private Task<CastResult> WriteBoxAsync(string groupId, string pollId, Func<CancellationToken, Task<bool>>? stillOpen,
        Func<BallotBox, (Ballot? Previous, BallotBox? Next)> change, int? step, CancellationToken cancellationToken)
    {
        var key = BallotBoxKey(groupId, pollId);
        return _boxes.InTurnAsync(key, () => WriteBoxInTurnAsync(key, stillOpen, change, step, cancellationToken), cancellationToken);
    }

    private async Task<CastResult> WriteBoxInTurnAsync(string key, Func<CancellationToken, Task<bool>>? stillOpen,
        Func<BallotBox, (Ballot? Previous, BallotBox? Next)> change, int? step, CancellationToken cancellationToken)
    {
        var fromStorageOnly = false;
        for (var attempt = 1; ; attempt++)
        {
            Versioned<BallotBox>? copy = null;
            var fromMemory = !fromStorageOnly && _boxes.TryGet(key, out copy);
            var current = fromMemory ? copy : await _boxes.ReadAsync(key, cancellationToken).ConfigureAwait(false);
            if (current?.Value.Sealed == true) return new CastResult(CastOutcome.Closed, null, current.Value);
            if (current is null && (stillOpen is null || !await stillOpen(cancellationToken).ConfigureAwait(false)))
                return new CastResult(stillOpen is null ? CastOutcome.Unchanged : CastOutcome.Closed, null, new BallotBox());
            var box = current?.Value ?? new BallotBox();
            var (previous, next) = change(box);
            if (next is null)
            {
                if (!fromMemory) return new CastResult(CastOutcome.Unchanged, previous, box);
                fromStorageOnly = true; // "nothing to change" from a copy in memory: ask storage before saying so
                continue;
            }
            if (step is { } k) next = next.NextStep(k) ?? next;
            try
            {
                if (current is null)
                    _boxes.Keep(key, new(next, await documents.Store.CreateAsync(key, Documents.Serialize(next), cancellationToken).ConfigureAwait(false)));
                else if (next.Ballots.Count == 0)
                {
                    await documents.Store.DeleteAsync(key, current.ETag, cancellationToken).ConfigureAwait(false);
                    _boxes.Forget(key);
                }
                else
                    _boxes.Keep(key, new(next, await documents.Store.ReplaceAsync(key, Documents.Serialize(next), current.ETag, cancellationToken).ConfigureAwait(false)));
                return new CastResult(CastOutcome.Stored, previous, next.Ballots.Count == 0 ? new BallotBox() : next);
            }
            catch (StateConflictException) when (attempt < BallotBoxAttempts)
            {
                if (fromMemory)
                {
                    // The box changed under this instance's copy (another instance voted, or the poll is closing).
                    _boxes.LostFromCopy(key);
                    fromStorageOnly = true;
                    continue;
                }
                _boxes.Forget(key);
                await Task.Delay(Documents.Backoff(attempt), cancellationToken).ConfigureAwait(false);
            }
            catch (StateConflictException)
            {
                _boxes.Forget(key);
                throw new StateContentionException(key, attempt);
            }
            catch
            {
                _boxes.Forget(key);
                throw;
            }
        }
    }

    /// <summary>
    /// The first step of a close: the box is sealed (created sealed when nobody had voted), so no vote can land after
    /// the count. Returns the sealed box: every ballot that will ever count.
    /// </summary>
    public async Task<BallotBox> SealAsync(string groupId, string pollId, CancellationToken cancellationToken)
    {
        try
        {
            return await documents.UpdateAsync<BallotBox>(BallotBoxKey(groupId, pollId), box => box?.Sealed == true ? null : (box ?? new BallotBox()) with { Sealed = true },
                BallotBoxAttempts, cancellationToken).ConfigureAwait(false) ?? new BallotBox { Sealed = true };
        }
        finally
        {
            _boxes.Forget(BallotBoxKey(groupId, pollId));
        }
    }

    /// <summary>
    /// Deletes every ballot of a poll (when it closes: the frozen result is all that is kept). What stays is an empty
    /// sealed box, so a vote that read the poll as open before the close is still refused.
    /// </summary>
    public Task DeleteBallotsAsync(string groupId, string pollId, CancellationToken cancellationToken)
    {
        _boxes.Forget(BallotBoxKey(groupId, pollId)); // sealed already (a sealed copy is never written from)
        return documents.UpdateAsync<BallotBox>(BallotBoxKey(groupId, pollId),
            box => box is { Sealed: true, Ballots.Count: 0, Shown: null, ChangedSinceShown.Count: 0 } ? null : new BallotBox { Sealed = true },
            BallotBoxAttempts, cancellationToken);
    }

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
