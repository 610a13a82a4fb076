using System.Security.Cryptography;
using PeerGroupBot.Core.Security;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Core.Checkouts;

/// <summary>What happened to one member's check-out.</summary>
public enum CheckoutAnswerOutcome { Counted, AlreadyAnswered, Closed, Missing }

/// <summary>One member's answer as it arrives: a score (1–5) or null per question, and an optional line.</summary>
public sealed record CheckoutAnswer(IReadOnlyList<int?> Scores, string? Comment);

/// <summary>
/// Where check-outs live: the group's settings and one <see cref="CheckoutBox"/> per session. Sending a check-out is one
/// read and one conditional write of the box that adds the member's keyed hash to the "answered" list and their scores
/// to the counts together, so a member is counted once however often they press Send, and two members sending at once
/// are serialised by the ETag retry.
/// </summary>
public sealed class CheckoutBoxes(Documents documents, KeyRing keys)
{
    /// <summary>As for a ballot box: a whole group sending at once all write this one document.</summary>
    private const int BoxAttempts = 2 * Documents.MaxAttempts;

    public Documents Documents => documents;

    /// <summary>The member's key in one check-out: the purpose names group and session, so it differs for every session.</summary>
    public string AnswerKey(string groupId, string occurrenceKey, string memberId) => keys.Hash($"checkout-answered:{groupId}:{occurrenceKey}", memberId);

    public async Task<CheckoutSettings> SettingsAsync(string groupId, CancellationToken cancellationToken)
        => await documents.GetValueAsync<CheckoutSettings>(CheckoutSettings.KeyFor(groupId), cancellationToken).ConfigureAwait(false) ?? new CheckoutSettings();

    public async Task<CheckoutSettings> UpdateSettingsAsync(string groupId, Func<CheckoutSettings, CheckoutSettings> change, CancellationToken cancellationToken)
        => await documents.UpdateAsync<CheckoutSettings>(CheckoutSettings.KeyFor(groupId), current =>
        {
            var before = current ?? new CheckoutSettings();
            var after = change(before);
            return after == before && current is not null ? null : after;
        }, cancellationToken).ConfigureAwait(false) ?? new CheckoutSettings();

    public Task<CheckoutBox?> GetAsync(string groupId, string occurrenceKey, CancellationToken cancellationToken)
        => IsOccurrenceKey(occurrenceKey)
            ? documents.GetValueAsync<CheckoutBox>(CheckoutBox.KeyFor(groupId, occurrenceKey), cancellationToken)
            : Task.FromResult<CheckoutBox?>(null);

    /// <summary>Creates the box; false when the session already has one (ended by hand before its scheduled end).</summary>
    public Task<bool> CreateAsync(string groupId, string occurrenceKey, CheckoutBox box, CancellationToken cancellationToken)
        => documents.TryCreateAsync(CheckoutBox.KeyFor(groupId, occurrenceKey), box, cancellationToken);

    /// <summary>Every check-out box of the group.</summary>
    public async Task<IReadOnlyList<CheckoutBox>> ListAsync(string groupId, CancellationToken cancellationToken)
    {
        var boxes = new List<CheckoutBox>();
        await foreach (var box in documents.ListAsync<CheckoutBox>(CheckoutBox.Prefix(groupId), cancellationToken: cancellationToken).ConfigureAwait(false))
            boxes.Add(box.Value);
        return [.. boxes.OrderBy(b => b.SessionStart)];
    }

    public async Task<bool> HasAnsweredAsync(string groupId, string occurrenceKey, string memberId, CancellationToken cancellationToken)
    {
        var box = await GetAsync(groupId, occurrenceKey, cancellationToken).ConfigureAwait(false);
        return box is not null && box.Answered.BinarySearch(AnswerKey(groupId, occurrenceKey, memberId), StringComparer.Ordinal) >= 0;
    }

    /// <summary>Counts one member's answer once. Nothing is changed unless it is <see cref="CheckoutAnswerOutcome.Counted"/>.</summary>
    public async Task<CheckoutAnswerOutcome> AnswerAsync(string groupId, string occurrenceKey, string memberId, CheckoutAnswer answer, NodaTime.Instant now, CancellationToken cancellationToken)
    {
        if (!IsOccurrenceKey(occurrenceKey)) return CheckoutAnswerOutcome.Missing;
        var key = AnswerKey(groupId, occurrenceKey, memberId);
        var outcome = CheckoutAnswerOutcome.Missing;
        await documents.UpdateAsync<CheckoutBox>(CheckoutBox.KeyFor(groupId, occurrenceKey), box =>
        {
            if (box is null) { outcome = CheckoutAnswerOutcome.Missing; return null; }
            if (box.Closed || now >= box.ClosesAt) { outcome = CheckoutAnswerOutcome.Closed; return null; }
            var at = box.Answered.BinarySearch(key, StringComparer.Ordinal);
            if (at >= 0) { outcome = CheckoutAnswerOutcome.AlreadyAnswered; return null; }
            outcome = CheckoutAnswerOutcome.Counted;
            var answered = new List<string>(box.Answered);
            answered.Insert(~at, key);
            var counts = box.Counts.Select((c, i) =>
            {
                var copy = new List<int>(c);
                if (i < answer.Scores.Count && answer.Scores[i] is int score and >= 1 and <= 5) copy[score - 1]++;
                return copy;
            }).ToList();
            var comments = new List<string>(box.Comments);
            if (!string.IsNullOrWhiteSpace(answer.Comment))
                comments.Insert(RandomNumberGenerator.GetInt32(comments.Count + 1), answer.Comment.Trim());
            return box with { Answered = answered, Counts = counts, Comments = comments, Answers = box.Answers + 1 };
        }, BoxAttempts, cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>Closes the box: no more answers, and the list of who answered is emptied (the count stays). Null when there is none.</summary>
    public Task<CheckoutBox?> CloseAsync(string groupId, string occurrenceKey, CancellationToken cancellationToken)
        => documents.UpdateAsync<CheckoutBox>(CheckoutBox.KeyFor(groupId, occurrenceKey),
            box => box is null || (box.Closed && box.Answered.Count == 0) ? null : box with { Closed = true, Answered = [] }, cancellationToken);

    /// <summary>Deletes a closed box (its comments' time is up; the figures are on the record).</summary>
    public Task<bool> DeleteAsync(string groupId, string occurrenceKey, CancellationToken cancellationToken)
        => documents.DeleteAsync(CheckoutBox.KeyFor(groupId, occurrenceKey), cancellationToken);

    /// <summary>
    /// Erasure: the member's keyed hash leaves every open check-out of the group (their answer was never linked to
    /// them and stays in the counts). Returns how many hashes were removed.
    /// </summary>
    public async Task<int> EraseMemberAsync(string groupId, string memberId, CancellationToken cancellationToken)
    {
        var removed = 0;
        var boxKeys = new List<string>();
        await foreach (var key in documents.Store.ListKeysAsync(CheckoutBox.Prefix(groupId), cancellationToken).ConfigureAwait(false))
            boxKeys.Add(key);
        foreach (var boxKey in boxKeys)
        {
            var occurrenceKey = boxKey[CheckoutBox.Prefix(groupId).Length..];
            var hash = AnswerKey(groupId, occurrenceKey, memberId);
            var found = false;
            await documents.UpdateAsync<CheckoutBox>(boxKey, box =>
            {
                found = box is not null && box.Answered.Contains(hash, StringComparer.Ordinal);
                return found ? box! with { Answered = [.. box.Answered.Where(a => a != hash)] } : null;
            }, cancellationToken).ConfigureAwait(false);
            if (found) removed++;
        }
        return removed;
    }

    /// <summary>An occurrence key as written in keys and buttons: "2026-12-03t18-00".</summary>
    public static bool IsOccurrenceKey(string text)
        => text.Length is > 0 and <= 20 && text.All(c => char.IsAsciiDigit(c) || c is '-' or 't') && Sessions.OccurrenceIds.TryParse(text, out _);
}
