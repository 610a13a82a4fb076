using System.Collections.Concurrent;
using System.Security.Cryptography;
using NodaTime;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Security;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Core.Members;

/// <summary>
/// One account's link to a person. Stored at <c>members/links/{linkKey}</c>, where the link key is a keyed hash of
/// the account's member id. The account id itself is only here sealed (AES-GCM), so private messages can reach it;
/// no document holds two account ids, readable or sealed.
/// </summary>
public sealed record AccountLink(string PersonKey, string Platform, string SealedAccount, Instant LinkedAt);

/// <summary>
/// A person with two linked accounts, stored at <c>members/persons/{personKey}</c>: the link keys of the accounts
/// (keyed hashes, never ids) and which of them the person used last, where private messages go.
/// </summary>
public sealed record LinkedPerson(List<string> LinkKeys, string PreferredLinkKey, Instant LinkedAt);

/// <summary>A linked account, opened in memory for sending or erasing; never stored or logged like this.</summary>
public sealed record LinkedAccount(string MemberId, string Platform);

/// <summary>
/// Linked accounts: a member's Teams and Discord accounts can be linked so they count as one person. A linked
/// person is known to every flow by the person id <c>person:{personKey}</c> in place of an account's member id, so
/// votes, rota turns, RSVPs and the member list count them once. Lookups are cached briefly in memory, as every
/// input asks.
/// </summary>
public sealed class MemberLinks(Documents documents, KeyRing keys, IClock clock, Groups.GroupDirectory directory)
{
    /// <summary>Says every linked account's group index is marked linked (written once, when links made before the marks existed were marked).</summary>
    public const string MarkersDocKey = "members/link-marks";
    private volatile bool _markersReady;
    public const string PersonPlatform = "person";
    private const string CodePlace = "member-link-code";
    private static readonly Duration CacheTtl = Duration.FromMinutes(2);
    private readonly ExpiringCache<string, string?> _persons = new(clock, CacheTtl);
    private readonly ExpiringCache<string, string> _preferred = new(clock, CacheTtl);

    public static bool IsPerson(string memberId) => MemberIds.PlatformOf(memberId) == PersonPlatform;

    public static string PersonId(string personKey) => MemberIds.Of(PersonPlatform, personKey);

    public string LinkKey(string accountId) => keys.Hash("member-link", accountId);

    public static string LinkDocKey(string linkKey) => $"members/links/{linkKey}";

    public static string PersonDocKey(string personKey) => $"members/persons/{personKey}";

    /// <summary>The person id of a linked account, or null when the account is not linked.</summary>
    public async Task<string?> PersonOfAsync(string accountId, CancellationToken cancellationToken)
    {
        if (_persons.TryGet(accountId, out var cached)) return cached;
        var link = await documents.GetValueAsync<AccountLink>(LinkDocKey(LinkKey(accountId)), cancellationToken).ConfigureAwait(false);
        var personId = link is null ? null : PersonId(link.PersonKey);
        _persons.Set(accountId, personId);
        return personId;
    }

    /// <summary>Whether this instance looked the account up in the last few minutes (so it is no newcomer).</summary>
    public bool IsKnown(string accountId) => _persons.TryGet(accountId, out _);

    /// <summary>The account was just recorded for the first time anywhere, so it is not linked.</summary>
    public void NoteUnlinked(string accountId) => _persons.Set(accountId, null);

    /// <summary>
    /// Whether every linked account's group index says so (<see cref="Groups.MemberGroups.Linked"/>), so a newcomer's
    /// freshly created index proves the account unlinked. Links made before the marks existed are marked the first time
    /// any instance asks (one listing of the link documents, once per deployment); after that it is one read per start.
    /// </summary>
    public async Task<bool> MarkersReadyAsync(CancellationToken cancellationToken)
    {
        if (_markersReady) return true;
        if (await documents.Store.GetAsync(MarkersDocKey, cancellationToken).ConfigureAwait(false) is null)
        {
            var linkKeys = new List<string>();
            await foreach (var key in documents.Store.ListKeysAsync("members/links/", cancellationToken).ConfigureAwait(false))
                linkKeys.Add(key["members/links/".Length..]);
            foreach (var linkKey in linkKeys)
                if (await OpenAsync(linkKey, cancellationToken).ConfigureAwait(false) is { } account)
                    await directory.MarkLinkedAsync(account.MemberId, cancellationToken).ConfigureAwait(false);
            await documents.TryCreateAsync(MarkersDocKey, new SeenMark(), cancellationToken).ConfigureAwait(false);
        }
        _markersReady = true;
        return true;
    }

    /// <summary>Remembers that the person just used this account, so private messages go there (a write only on a change of account).</summary>
    public async Task NoteUsedAsync(string personId, string accountId, CancellationToken cancellationToken)
    {
        var personKey = MemberIds.PlatformUserIdOf(personId);
        var linkKey = LinkKey(accountId);
        if (_preferred.TryGet(personKey, out var cached) && cached == linkKey) return;
        await documents.UpdateAsync<LinkedPerson>(PersonDocKey(personKey), current =>
            current is null || current.PreferredLinkKey == linkKey || !current.LinkKeys.Contains(linkKey) ? null : current with { PreferredLinkKey = linkKey },
            cancellationToken).ConfigureAwait(false);
        _preferred.Set(personKey, linkKey);
    }

    /// <summary>The account a private message to the person goes to: the one they used last. Null when unlinked since.</summary>
    public async Task<string?> ReachAsync(string personId, CancellationToken cancellationToken)
    {
        var personKey = MemberIds.PlatformUserIdOf(personId);
        var person = await documents.GetValueAsync<LinkedPerson>(PersonDocKey(personKey), cancellationToken).ConfigureAwait(false);
        if (person is null) return null;
        return await OpenAsync(person.PreferredLinkKey, cancellationToken).ConfigureAwait(false) is { } account ? account.MemberId : null;
    }

    /// <summary>Both accounts of a linked person, opened (for erasure and unlinking).</summary>
    public async Task<IReadOnlyList<LinkedAccount>> AccountsAsync(string personId, CancellationToken cancellationToken)
    {
        var person = await documents.GetValueAsync<LinkedPerson>(PersonDocKey(MemberIds.PlatformUserIdOf(personId)), cancellationToken).ConfigureAwait(false);
        var accounts = new List<LinkedAccount>();
        foreach (var linkKey in person?.LinkKeys ?? [])
            if (await OpenAsync(linkKey, cancellationToken).ConfigureAwait(false) is { } account) accounts.Add(account);
        return accounts;
    }

    /// <summary>
    /// Links two accounts as one new person and returns the person id; null when either account is already linked
    /// (nothing is left half-made then).
    /// </summary>
    public async Task<string?> LinkAsync(string firstAccountId, string secondAccountId, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var personKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        var first = LinkKey(firstAccountId);
        var second = LinkKey(secondAccountId);
        if (!await documents.TryCreateAsync(LinkDocKey(first), NewLink(personKey, first, firstAccountId, now), cancellationToken).ConfigureAwait(false))
            return null;
        if (!await documents.TryCreateAsync(LinkDocKey(second), NewLink(personKey, second, secondAccountId, now), cancellationToken).ConfigureAwait(false))
        {
            await documents.DeleteAsync(LinkDocKey(first), cancellationToken).ConfigureAwait(false);
            return null;
        }
        await documents.TryCreateAsync(PersonDocKey(personKey), new LinkedPerson([first, second], second, now), cancellationToken).ConfigureAwait(false);
        var personId = PersonId(personKey);
        _persons.Set(firstAccountId, personId);
        _persons.Set(secondAccountId, personId);
        return personId;
    }

    /// <summary>Deletes the person's link documents; afterwards each account is itself again.</summary>
    public async Task UnlinkAsync(string personId, IReadOnlyList<LinkedAccount> accounts, CancellationToken cancellationToken)
    {
        var personKey = MemberIds.PlatformUserIdOf(personId);
        foreach (var account in accounts)
        {
            await documents.DeleteAsync(LinkDocKey(LinkKey(account.MemberId)), cancellationToken).ConfigureAwait(false);
            _persons.Remove(account.MemberId);
        }
        await documents.DeleteAsync(PersonDocKey(personKey), cancellationToken).ConfigureAwait(false);
        _preferred.Remove(personKey);
    }

    /// <summary>Seals an account id for a <c>me link</c> code document, which lives at most 15 minutes.</summary>
    public string SealForCode(string accountId) => Sealing.Seal(SealingKey(), CodePlace, accountId);

    /// <summary>Opens <see cref="SealForCode"/>; null when it cannot be opened.</summary>
    public string? OpenFromCode(string sealedAccount) => Sealing.Open(SealingKey(), CodePlace, sealedAccount);

    private AccountLink NewLink(string personKey, string linkKey, string accountId, Instant now)
        => new(personKey, MemberIds.PlatformOf(accountId), Sealing.Seal(SealingKey(), LinkDocKey(linkKey), accountId), now);

    private async Task<LinkedAccount?> OpenAsync(string linkKey, CancellationToken cancellationToken)
    {
        var link = await documents.GetValueAsync<AccountLink>(LinkDocKey(linkKey), cancellationToken).ConfigureAwait(false);
        var accountId = link is null ? null : Sealing.Open(SealingKey(), LinkDocKey(linkKey), link.SealedAccount);
        return accountId is null ? null : new LinkedAccount(accountId, link!.Platform);
    }

    private byte[] SealingKey() => keys.DeriveKey("member-links");
}
