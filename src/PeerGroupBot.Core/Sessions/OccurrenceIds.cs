using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace PeerGroupBot.Core.Sessions;

/// <summary>
/// Occurrence ids are the local start in the group's zone, "2026-12-03T18:00". In document keys and button ids
/// they are written lower-case without colons, "2026-12-03t18-00".
/// </summary>
public static class OccurrenceIds
{
    private static readonly LocalDateTimePattern IdPattern = LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm");
    private static readonly LocalDateTimePattern KeyPattern = LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd't'HH-mm");

    public static string Of(LocalDateTime localStart) => IdPattern.Format(localStart);

    public static string ToKey(string occurrenceId)
        => TryParse(occurrenceId, out var local) ? KeyPattern.Format(local) : occurrenceId.ToLower(CultureInfo.InvariantCulture).Replace(':', '-');

    /// <summary>Reads an id ("2026-12-03T18:00") or its key form ("2026-12-03t18-00").</summary>
    public static bool TryParse(string text, out LocalDateTime localStart)
    {
        var id = IdPattern.Parse(text);
        if (id.Success) { localStart = id.Value; return true; }
        var key = KeyPattern.Parse(text);
        localStart = key.Success ? key.Value : default;
        return key.Success;
    }
}
