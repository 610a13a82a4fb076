using System.Globalization;
using System.Text.RegularExpressions;

namespace PeerGroupBot.Core.Agenda;

/// <summary>The result of reading a time estimate: the item text without it, the minutes, or why it was refused.</summary>
public sealed record TimeEstimateResult(string Text, int? Minutes, string? Problem = null);

/// <summary>
/// Reads a forgiving time estimate at the end of an item ("Check-in round 15m", "Check-in ~15 min",
/// "Check-in (1h30)", "Check-in, about 1.5 hours", "Check-in for 20 minutes") or in a form field ("15", "1h").
/// A number without a unit is an estimate only after "~" ("~15"), so "Chapter 15" stays text.
/// </summary>
public static partial class TimeEstimate
{
    public const int MaxMinutes = 240;

    private const string Marker = @"(?:(?<marker>~|about|approx\.?|approximately|around|roughly|for|ca\.?|c\.)\s*)?";
    private const string Duration =
        @"(?:(?<h>\d{1,2}(?:[.,]\d{1,2})?)\s*(?:hours|hour|hrs|hr|h)(?![a-z])\s*(?:(?<hm>\d{1,2})\s*(?:minutes|minute|mins|min|m)?(?![a-z]))?"
        + @"|(?<m>\d{1,3})\s*(?:minutes|minute|mins|min|m)(?![a-z])"
        + @"|(?<=~\s*)(?<bare>\d{1,3})(?![a-z0-9]))";

    [GeneratedRegex(@"(?:^|(?<=[\s,;:\-–—]))" + Marker + Duration + @"\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Trailing();

    [GeneratedRegex(@"^\s*" + Marker + Duration + @"\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Whole();

    [GeneratedRegex(@"[\s,;:\-–—]+$")]
    private static partial Regex TrailingSeparators();

    /// <summary>Words after which a trailing duration belongs to the sentence ("from 60 to 90 minutes"), not to the estimate.</summary>
    private static readonly HashSet<string> Connectors = new(StringComparer.OrdinalIgnoreCase)
    {
        "to", "than", "and", "or", "of", "every", "per", "each", "after", "before", "within",
        "last", "first", "next", "by", "from", "the", "a", "an", "those", "these", "our", "my", "your", "extra",
    };

    /// <summary>Splits a trailing estimate off an item's text. Text without an estimate comes back unchanged.</summary>
    public static TimeEstimateResult Split(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0) return new TimeEstimateResult("", null);

        // "(15 min)" or "[~15m]" at the end.
        var last = trimmed[^1];
        if (last is ')' or ']')
        {
            var open = trimmed.LastIndexOf(last == ')' ? '(' : '[');
            if (open >= 0)
            {
                var inner = Whole().Match(trimmed[(open + 1)..^1]);
                if (inner.Success) return Result(trimmed[..open], inner);
            }
            return new TimeEstimateResult(trimmed, null);
        }

        var match = Trailing().Match(trimmed);
        if (!match.Success) return new TimeEstimateResult(trimmed, null);
        var before = TrailingSeparators().Replace(trimmed[..match.Index], "");
        if (!match.Groups["marker"].Success && before.Length > 0)
        {
            var previousWord = before[(before.LastIndexOfAny([' ', '\t']) + 1)..];
            if (Connectors.Contains(previousWord)) return new TimeEstimateResult(trimmed, null);
        }
        return Result(before, match);
    }

    /// <summary>Reads a form's time field: empty means no estimate; a bare number means minutes.</summary>
    public static TimeEstimateResult ParseField(string value)
    {
        var trimmed = value.Trim();
        if (trimmed.Length == 0) return new TimeEstimateResult("", null);
        if (int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var bare))
            return Check("", bare);
        var match = Whole().Match(trimmed);
        return match.Success
            ? Result("", match)
            : new TimeEstimateResult("", null, "I couldn't read that time. Write minutes like `15`, `15 min` or `1h30`.");
    }

    /// <summary>"15 min", "1 h", "1 h 30 min".</summary>
    public static string Format(int minutes)
    {
        if (minutes < 60) return $"{minutes} min";
        var hours = minutes / 60;
        var rest = minutes % 60;
        return rest == 0 ? $"{hours} h" : $"{hours} h {rest} min";
    }

    private static TimeEstimateResult Result(string text, Match match)
    {
        text = TrailingSeparators().Replace(text.Trim(), "");
        double minutes;
        if (match.Groups["h"].Success)
        {
            var hours = double.Parse(match.Groups["h"].Value.Replace(',', '.'), CultureInfo.InvariantCulture);
            minutes = hours * 60 + (match.Groups["hm"].Success ? int.Parse(match.Groups["hm"].Value, CultureInfo.InvariantCulture) : 0);
        }
        else
        {
            minutes = int.Parse(match.Groups[match.Groups["m"].Success ? "m" : "bare"].Value, CultureInfo.InvariantCulture);
        }
        return Check(text, (int)Math.Round(minutes));
    }

    private static TimeEstimateResult Check(string text, int minutes) => minutes switch
    {
        < 1 => new TimeEstimateResult(text, null, "A time estimate needs to be at least 1 minute."),
        > MaxMinutes => new TimeEstimateResult(text, null, $"Time estimates can be up to {Format(MaxMinutes)}. Could you split the item, or give a shorter estimate?"),
        _ => new TimeEstimateResult(text, minutes),
    };
}
