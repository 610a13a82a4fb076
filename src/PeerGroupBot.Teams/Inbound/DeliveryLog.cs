using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PeerGroupBot.Core.Security;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Teams.Inbound;

/// <summary>
/// Teams re-delivers an activity when our answer was slow or lost; the same id must be processed once, on whichever
/// instance it lands. Marks are kept at <c>teams/seen/{keyed hash}</c> for at least
/// <see cref="TeamsOptions.DedupeWindow"/> and hold no time, in the mark or its name (the sweeper remembers when it first saw each). A mark is named by a keyed hash of conversation and activity id, so nobody without
/// <c>Security:PseudonymKey</c> can tell whose chat an activity came from (a plain hash could be recomputed from the
/// conversation ids in the member references).
/// </summary>
public sealed class DeliveryLog(Documents documents, KeyRing keys, IOptions<TeamsOptions> options, TimeProvider time, ILogger<DeliveryLog> logger)
    : SeenMarks(documents, Prefix, time, logger)
{
    public const string Prefix = "teams/seen/";

    protected override TimeSpan Window => options.Value.DedupeWindow;

    public string IdOf(string conversationId, string activityId) => keys.Hash("teams-delivery", conversationId + "\n" + activityId);
}
