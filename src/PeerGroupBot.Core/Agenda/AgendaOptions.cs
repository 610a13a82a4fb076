namespace PeerGroupBot.Core.Agenda;

/// <summary>Limits that keep an agenda readable and its document small. Bound from the "Agenda" configuration section.</summary>
public sealed class AgendaOptions
{
    public const string Section = "Agenda";

    /// <summary>The longest item text, in characters.</summary>
    public int MaxItemLength { get; set; } = 500;

    /// <summary>How many items one session's agenda may hold (winning poll topics are always added on top).</summary>
    public int MaxItemsPerSession { get; set; } = 50;
}
