using Microsoft.Extensions.Logging;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.Outbound;

namespace PeerGroupBot.Core.Members;

/// <summary>What a <c>me link</c> code carries: the issuing account's platform and its id, sealed.</summary>
public sealed record AccountCode(string Platform, string SealedAccount);

/// <summary>How entering a <c>me link</c> code went.</summary>
public enum LinkOutcome { Linked, SamePlatform, Unknown, Expired, AlreadyLinked }

/// <summary>The outcome, the other account's platform, and what merging the two accounts found.</summary>
public sealed record LinkResult(LinkOutcome Outcome, string? OtherPlatform = null, RekeySummary? Merged = null);

/// <summary>
/// <c>me link</c> and <c>me unlink</c>: one account asks for a one-time code, the member enters it from their account
/// on the other platform, and from then on both act as one person (see <see cref="MemberLinks"/>). What each account
/// held before is merged into the person by <see cref="MemberRekey"/>. Codes are never logged.
/// </summary>
public sealed class AccountLinking(LinkCodes codes, MemberLinks links, MemberRekey rekey, Groups.GroupDirectory directory, IOutbound outbound, ILogger<AccountLinking> logger)
{
    private const string CodeKind = "account";

    /// <summary>A code for the account <paramref name="accountId"/>, which must not be linked already.</summary>
    public Task<string> IssueAsync(string accountId, CancellationToken cancellationToken)
        => codes.IssueAsync(CodeKind, new AccountCode(MemberIds.PlatformOf(accountId), links.SealForCode(accountId)), cancellationToken);

    /// <summary>
    /// Redeems a code from <paramref name="accountId"/>: links it with the account that asked for the code, moves
    /// both accounts' data to the person, and tells the first account privately. A code tried on its own platform is
    /// refused and stays usable.
    /// </summary>
    public async Task<LinkResult> RedeemAsync(string accountId, string code, CancellationToken cancellationToken)
    {
        var platform = MemberIds.PlatformOf(accountId);
        var redeemed = await codes.RedeemAsync<AccountCode>(CodeKind, code, c => c.Platform != platform, cancellationToken).ConfigureAwait(false);
        switch (redeemed.Outcome)
        {
            case CodeOutcome.Refused: return new LinkResult(LinkOutcome.SamePlatform, platform);
            case CodeOutcome.Expired: return new LinkResult(LinkOutcome.Expired);
            case CodeOutcome.Unknown: return new LinkResult(LinkOutcome.Unknown);
        }
        var first = links.OpenFromCode(redeemed.Payload!.SealedAccount);
        if (first is null) return new LinkResult(LinkOutcome.Unknown);
        var personId = await links.LinkAsync(first, accountId, cancellationToken).ConfigureAwait(false);
        if (personId is null) return new LinkResult(LinkOutcome.AlreadyLinked);

        // The account that asked for the code first, then this one: where both voted, this account's ballot stays.
        await rekey.MoveAsync(first, personId, cancellationToken).ConfigureAwait(false);
        var merged = await rekey.MoveAsync(accountId, personId, cancellationToken).ConfigureAwait(false);
        // After the moves (which take each account's group index away): each account's index now says it is linked.
        await directory.MarkLinkedAsync(first, cancellationToken).ConfigureAwait(false);
        await directory.MarkLinkedAsync(accountId, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Two accounts were linked ({First} and {Second}).", redeemed.Payload.Platform, platform);
        await outbound.SendPrivateAsync(first, new BotReply
        {
            Text = $"Your {Platforms.DisplayName(platform)} account is now linked with this one: your votes, rota turns and RSVPs count once, "
                + "whichever you use. `me unlink` separates them again.",
            Tone = ReplyTone.Success,
            Visibility = ReplyVisibility.Private,
        }, cancellationToken).ConfigureAwait(false);
        return new LinkResult(LinkOutcome.Linked, redeemed.Payload.Platform, merged);
    }

    /// <summary>Uses a code up without linking anything (it was shown where others may have seen it).</summary>
    public Task CancelAsync(string code, CancellationToken cancellationToken)
        => codes.RedeemAsync<AccountCode>(CodeKind, code, _ => true, cancellationToken);

    /// <summary>
    /// Separates a linked person's accounts. The shared history (votes, rota turns, RSVPs, settings) stays with
    /// <paramref name="accountId"/>, the account that asked; the other keeps its place in the groups and nothing else.
    /// Returns the other account's platform, or null when the person was not linked.
    /// </summary>
    public async Task<string?> UnlinkAsync(string personId, string accountId, CancellationToken cancellationToken)
    {
        var accounts = await links.AccountsAsync(personId, cancellationToken).ConfigureAwait(false);
        if (accounts.Count == 0) return null;
        await rekey.MoveAsync(personId, accountId, cancellationToken).ConfigureAwait(false);
        var others = accounts.Where(a => a.MemberId != accountId).ToList();
        foreach (var other in others)
            await rekey.CopyMembershipAsync(accountId, other.MemberId, cancellationToken).ConfigureAwait(false);
        await links.UnlinkAsync(personId, accounts, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Two linked accounts were separated.");
        return others.FirstOrDefault()?.Platform ?? "";
    }
}
