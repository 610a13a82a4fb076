using System.Globalization;

namespace PeerGroupBot.Bench;

/// <summary>Number formatting for the markdown reports.</summary>
public static class Report
{
    /// <summary>The value in <paramref name="format"/>, or "–" where it was not measured (NaN).</summary>
    public static string Number(double value, string format)
        => double.IsNaN(value) ? "–" : value.ToString(format, CultureInfo.InvariantCulture);
}
