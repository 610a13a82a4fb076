using System.Collections.Concurrent;
using System.Text.Json;
using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Core.Members;

/// <summary>
/// How to reach one account privately on its platform: contact data the adapter gives the core with each input
/// (<see cref="BotInput.Contact"/>) and reads back to send proactively. The core does not look inside; it keeps the
/// contact in the account's group index (<c>members/{memberKey}</c>, <see cref="MemberGroups.Contacts"/>) under the
/// account's platform, so a member's first input in a group stores it in the same create as the index, and erasing the
/// index erases it. It is a JSON object; a field an input leaves out (or null) keeps its stored value (a channel
/// message does not know the member's personal chat). It is written only when something in it changed compared with
/// what this instance last stored or read.
/// </summary>
public sealed class MemberContacts(Documents documents, GroupDirectory directory, IClock clock)
{
    private const int MaxRemembered = 10_000;

    /// <summary>
    /// How long a contact this instance just stored or read is used for sending without reading it again: long enough
    /// for the private answer to the input that brought it, short enough that an erasure elsewhere is seen.
    /// </summary>
    public static readonly Duration RecentTtl = Duration.FromSeconds(30);

    private readonly ConcurrentDictionary<string, JsonElement> _stored = new(StringComparer.Ordinal);
    private readonly ExpiringCache<string, JsonElement> _recent = new(clock, RecentTtl);

    /// <summary>The account's contact on its platform, from memory for up to <see cref="RecentTtl"/>; null when none is stored.</summary>
    public async Task<JsonElement?> GetAsync(string accountId, CancellationToken cancellationToken)
    {
        var (indexKey, platform) = Where(accountId);
        if (_recent.TryGet(indexKey, out var recent)) return recent;
        var index = await documents.GetValueAsync<MemberGroups>(indexKey, cancellationToken).ConfigureAwait(false);
        if (index?.Contacts?.GetValueOrDefault(platform) is not { ValueKind: JsonValueKind.Object } contact) return null;
        Note(indexKey, contact);
        return contact;
    }

    /// <summary>
    /// Stores what an input said about how to reach the account, when it changes what this instance last stored or
    /// read. A contact this instance does not know costs one create when the account has no index yet (unless
    /// <paramref name="indexExists"/>), otherwise a read and, when something changed, a conditional write.
    /// </summary>
    public async Task RememberAsync(string accountId, JsonElement contact, bool indexExists, CancellationToken cancellationToken)
    {
        if (contact.ValueKind != JsonValueKind.Object) throw new ArgumentException("A contact is a JSON object.", nameof(contact));
        var (indexKey, platform) = Where(accountId);
        var known = _stored.TryGetValue(indexKey, out var seen);
        if (known && JsonElement.DeepEquals(Merge(seen, contact), seen))
        {
            _recent.Set(indexKey, seen); // the member just spoke: their contact is as this instance last stored it
            return;
        }
        if (!known && !indexExists
            && await documents.TryCreateAsync(indexKey, new MemberGroups { Contacts = MemberGroups.ContactsOf(platform, contact) }, cancellationToken).ConfigureAwait(false))
        {
            Note(indexKey, contact);
            return;
        }
        await UpdateAsync(accountId, current => Merge(current, contact), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Changes the stored contact: <paramref name="mutate"/> gets it (null when none) and returns the new one, or null
    /// to write nothing (it may run more than once). Returns the contact stored when the call ends.
    /// </summary>
    public async Task<JsonElement?> UpdateAsync(string accountId, Func<JsonElement?, JsonElement?> mutate, CancellationToken cancellationToken)
    {
        var (indexKey, platform) = Where(accountId);
        // From this instance's copy of the index when it has one (a first input just created it): one conditional write.
        var index = await directory.Indexes.UpdateAsync(indexKey, current =>
        {
            var have = current?.Contacts?.GetValueOrDefault(platform) is { ValueKind: JsonValueKind.Object } stored ? stored : (JsonElement?)null;
            var next = mutate(have);
            if (next is not { ValueKind: JsonValueKind.Object } changed || (have is { } before && JsonElement.DeepEquals(before, changed))) return null;
            return (current ?? new MemberGroups()) with { Contacts = new Dictionary<string, JsonElement>(current?.Contacts ?? [], StringComparer.Ordinal) { [platform] = changed } };
        }, Documents.MaxAttempts, cancellationToken).ConfigureAwait(false);
        var contact = index?.Contacts?.GetValueOrDefault(platform) is { ValueKind: JsonValueKind.Object } now ? now : (JsonElement?)null;
        if (contact is { } value) Note(indexKey, value);
        return contact;
    }

    /// <summary>
    /// The account's group index as just stored or read elsewhere (<see cref="GroupDirectory.TryRecordNewcomerAsync"/>):
    /// its contact is what storage holds now.
    /// </summary>
    public void NoteStored(string accountId, MemberGroups index)
    {
        var (indexKey, platform) = Where(accountId);
        if (index.Contacts?.GetValueOrDefault(platform) is { ValueKind: JsonValueKind.Object } contact) Note(indexKey, contact);
    }

    /// <summary>
    /// Erasure: removes the account's contact on its platform from its group index (the index goes when nothing else
    /// is left in it) and forgets it here, so the member's next input stores it afresh.
    /// </summary>
    public async Task ForgetAsync(string accountId, CancellationToken cancellationToken)
    {
        var (indexKey, platform) = Where(accountId);
        Forget(accountId);
        var emptied = false;
        await documents.UpdateAsync<MemberGroups>(indexKey, current =>
        {
            emptied = false;
            if (current?.Contacts?.ContainsKey(platform) != true) return null;
            var rest = new Dictionary<string, JsonElement>(current.Contacts, StringComparer.Ordinal);
            rest.Remove(platform);
            emptied = rest.Count == 0 && current.GroupIds.Count == 0 && !current.Linked;
            return current with { Contacts = rest.Count == 0 ? null : rest };
        }, cancellationToken).ConfigureAwait(false);
        if (emptied) await documents.DeleteAsync(indexKey, cancellationToken).ConfigureAwait(false);
        Forget(accountId);
    }

    /// <summary>Forgets what this instance remembers of the account's contact (its index was deleted).</summary>
    public void Forget(string accountId)
    {
        var indexKey = Where(accountId).IndexKey;
        directory.Indexes.Forget(indexKey);
        _stored.TryRemove(indexKey, out _);
        _recent.Remove(indexKey);
    }

    /// <summary>
    /// <paramref name="incoming"/> laid over <paramref name="stored"/>: a field of the incoming contact that is absent or
    /// null keeps its stored value; every other field is the incoming one.
    /// </summary>
    public static JsonElement Merge(JsonElement? stored, JsonElement incoming)
    {
        if (stored is not { ValueKind: JsonValueKind.Object } before || incoming.ValueKind != JsonValueKind.Object) return incoming;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var field in before.EnumerateObject())
            {
                writer.WritePropertyName(field.Name);
                (incoming.TryGetProperty(field.Name, out var given) && given.ValueKind != JsonValueKind.Null ? given : field.Value).WriteTo(writer);
            }
            foreach (var field in incoming.EnumerateObject())
            {
                if (field.Value.ValueKind == JsonValueKind.Null || before.TryGetProperty(field.Name, out _)) continue;
                field.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        using var merged = JsonDocument.Parse(buffer.WrittenMemory);
        return merged.RootElement.Clone();
    }

    private (string IndexKey, string Platform) Where(string accountId)
        => (GroupDirectory.MemberIndexKey(directory.MemberKey(accountId)), MemberIds.PlatformOf(accountId));

    private void Note(string indexKey, JsonElement contact)
    {
        if (_stored.Count >= MaxRemembered) _stored.Clear();
        _stored[indexKey] = contact;
        _recent.Set(indexKey, contact);
    }
}
