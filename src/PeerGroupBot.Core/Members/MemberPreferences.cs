using NodaTime;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Core.Members;

/// <summary>
/// A member's own settings, the same in every group: quiet hours, their time zone, and whether they want private
/// nudges. Stored at <c>preferences/{memberKey}</c> (a keyed hash), holding no platform id or name.
/// </summary>
public sealed record MemberPreferences
{
    /// <summary>Start of quiet hours in the member's local time; null when they have none.</summary>
    public LocalTime? QuietFrom { get; init; }
    public LocalTime? QuietUntil { get; init; }

    /// <summary>The member's IANA time zone; null means "the group's".</summary>
    public string? TimeZone { get; init; }

    /// <summary>Private nudges: true on, false off, null the default (on for rota holders only).</summary>
    public bool? Nudges { get; init; }

    public bool HasQuietHours => QuietFrom is not null && QuietUntil is not null && QuietFrom != QuietUntil;

    public DateTimeZone ZoneOr(DateTimeZone fallback)
        => TimeZone is null ? fallback : DateTimeZoneProviders.Tzdb.GetZoneOrNull(TimeZone) ?? fallback;
}

/// <summary>Reads and writes <see cref="MemberPreferences"/> under the member's keyed-hash name.</summary>
public sealed class MemberPreferencesStore(Documents documents, GroupDirectory directory)
{
    public string KeyFor(string memberId) => $"preferences/{directory.MemberKey(memberId)}";

    public async Task<MemberPreferences> GetAsync(string memberId, CancellationToken cancellationToken)
        => await documents.GetValueAsync<MemberPreferences>(KeyFor(memberId), cancellationToken).ConfigureAwait(false) ?? new MemberPreferences();

    public async Task<MemberPreferences> UpdateAsync(string memberId, Func<MemberPreferences, MemberPreferences> change, CancellationToken cancellationToken)
        => await documents.UpdateAsync<MemberPreferences>(KeyFor(memberId), current =>
        {
            var before = current ?? new MemberPreferences();
            var after = change(before);
            return after == before && current is not null ? null : after;
        }, cancellationToken).ConfigureAwait(false) ?? new MemberPreferences();
}
