using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Teams.Inbound;

/// <summary>
/// Teams re-delivers an activity when our answer was slow or lost; the same id must be processed once, on whichever
/// instance it lands. Marks are kept at <c>teams/seen/{time bucket}/{hash}</c> for at least <see cref="TeamsOptions.DedupeWindow"/>.
/// </summary>
public sealed class DeliveryLog(Documents documents, IOptions<TeamsOptions> options, TimeProvider time, ILogger<DeliveryLog> logger)
    : SeenMarks(documents, Prefix, time, logger)
{
    public const string Prefix = "teams/seen/";

    protected override TimeSpan Window => options.Value.DedupeWindow;

    public static string IdOf(string conversationId, string activityId) => HashOf(conversationId, activityId);
}
