using NodaTime;
using PeerGroupBot.Core.Groups;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Core.Conversation;

/// <summary>
/// A multi-step conversation in progress with one member: which flow, which step, what was said so far.
/// Typed answers while it is open go to that flow. It expires on its own.
/// </summary>
public sealed record DialogState(string Flow, string Step, Dictionary<string, string> Data, Instant ExpiresAt);

/// <summary>Dialog state per (group or private chat, member), kept in the state store with an expiry.</summary>
public sealed class DialogStore(Documents documents, GroupDirectory directory, IClock clock)
{
    public static readonly Duration DefaultLifetime = Duration.FromMinutes(30);

    private string Key(Place place, string? groupId, string memberId)
        => $"dialogs/{(groupId ?? "private-" + place.Platform)}/{directory.MemberKey(memberId)}";

    public async Task<DialogState?> GetAsync(Place place, string? groupId, string memberId, CancellationToken cancellationToken)
    {
        var key = Key(place, groupId, memberId);
        var state = await documents.GetValueAsync<DialogState>(key, cancellationToken).ConfigureAwait(false);
        if (state is null) return null;
        if (state.ExpiresAt > clock.GetCurrentInstant()) return state;
        await documents.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        return null;
    }

    public Task StartAsync(Place place, string? groupId, string memberId, string flow, string step, Dictionary<string, string> data, CancellationToken cancellationToken, Duration? lifetime = null)
    {
        var state = new DialogState(flow, step, data, clock.GetCurrentInstant() + (lifetime ?? DefaultLifetime));
        return documents.UpdateAsync<DialogState>(Key(place, groupId, memberId), _ => state, cancellationToken);
    }

    public Task ClearAsync(Place place, string? groupId, string memberId, CancellationToken cancellationToken)
        => documents.DeleteAsync(Key(place, groupId, memberId), cancellationToken);
}
