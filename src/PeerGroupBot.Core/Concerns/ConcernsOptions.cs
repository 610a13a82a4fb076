using Microsoft.Extensions.Options;

namespace PeerGroupBot.Core.Concerns;

/// <summary>
/// Settings of anonymous concerns, bound from the "Concerns" configuration section. The encryption key protects
/// the only thing that can route a reply back to a reporter, so a production start without it must fail loudly
/// (see <see cref="ConcernsOptionsValidator"/> and <see cref="ConcernKeyProvider.EnsureReadyAsync"/>).
/// </summary>
public sealed class ConcernsOptions
{
    public const string Section = "Concerns";

    /// <summary>Base64 of 32 random bytes (e.g. <c>openssl rand -base64 32</c>): the AES-GCM key of delivery addresses.</summary>
    public string? EncryptionKey { get; set; }

    /// <summary>
    /// When no <see cref="EncryptionKey"/> is set, generate one and keep it in the state store
    /// (<see cref="ConcernKeyProvider.GeneratedKeyDocument"/>) instead of refusing to start. For Development only:
    /// a key stored beside the data it protects protects little.
    /// </summary>
    public bool AllowGeneratedKey { get; set; }

    /// <summary>Days a resolved concern is kept before it is deleted.</summary>
    public int RetentionDays { get; set; } = 90;

    /// <summary>Concerns one member may raise per (UTC) day, across all their groups.</summary>
    public int MaxPerMemberPerDay { get; set; } = 5;

    /// <summary>Hours after which an unacknowledged concern re-nudges the facilitators (and again each such period).</summary>
    public int AcknowledgeWithinHours { get; set; } = 24;

    /// <summary>Minutes after which an unacknowledged urgent concern re-nudges the facilitators and safeguarding leads.</summary>
    public int UrgentAcknowledgeWithinMinutes { get; set; } = 60;

    /// <summary>
    /// A new concern (and a member's answer) reaches the facilitators after a random delay between these bounds,
    /// so its arrival cannot be matched to the moment someone was seen typing. Urgent ones go at once.
    /// </summary>
    public int PostDelayMinMinutes { get; set; } = 2;

    /// <inheritdoc cref="PostDelayMinMinutes"/>
    public int PostDelayMaxMinutes { get; set; } = 10;

    /// <summary>When a concern reaches the facilitators, in words true to the configured delay: "in 2 to 10 minutes", "straight away".</summary>
    public string PostDelayWords() => (PostDelayMinMinutes, PostDelayMaxMinutes) switch
    {
        (_, 0) => "straight away",
        (0, 1) => "within a minute",
        (0, var max) => $"within {max} minutes",
        var (min, max) when min == max => $"in {max} {(max == 1 ? "minute" : "minutes")}",
        var (min, max) => $"in {min} to {max} minutes",
    };

    /// <summary>Phrases that suggest immediate risk. Empty means the built-in English list (<see cref="RiskDetector.DefaultPhrases"/>).</summary>
    public List<string> RiskPhrases { get; set; } = [];

    /// <summary>Phrases added to the list in use (the built-in one or <see cref="RiskPhrases"/>).</summary>
    public List<string> ExtraRiskPhrases { get; set; } = [];

    /// <summary>Crisis signposting shown privately to a member whose words suggest risk, or who raises a concern out of hours. A group can override it.</summary>
    public string Signposting { get; set; } = DefaultSignposting;

    public const string DefaultSignposting =
        "If you are in danger right now or might act on thoughts of harming yourself, call **999** or go to A&E.\n"
        + "- **Samaritans**: call **116 123**, free, any time, day or night\n"
        + "- **Shout**: text SHOUT to **85258**, free, any time\n"
        + "- **NHS 111**: call **111** and choose **option 2** for urgent mental health help\n"
        + "I'm a bot, not a clinician, so I can't give advice, but the people above can help now.";

    /// <summary>The phrases in use: <see cref="RiskPhrases"/> (or the defaults) plus <see cref="ExtraRiskPhrases"/>.</summary>
    public IReadOnlyList<string> EffectiveRiskPhrases =>
        [.. (RiskPhrases.Count > 0 ? RiskPhrases : RiskDetector.DefaultPhrases), .. ExtraRiskPhrases];

    /// <summary>The configured key as bytes, or null when none is set. Throws when it is set but malformed.</summary>
    public byte[]? ParseKey()
    {
        if (string.IsNullOrWhiteSpace(EncryptionKey)) return null;
        var buffer = new byte[64];
        if (!Convert.TryFromBase64String(EncryptionKey.Trim(), buffer, out var length) || length != 32)
            throw new OptionsValidationException(Section, typeof(ConcernsOptions), [ConcernsOptionsValidator.MalformedKey]);
        return buffer[..32];
    }
}

/// <summary>
/// Checks <see cref="ConcernsOptions"/> when they are first read (and at start when the host asks with
/// ValidateOnStart): a malformed key, a missing key where generating one is not allowed, or numbers out of range.
/// </summary>
public sealed class ConcernsOptionsValidator : IValidateOptions<ConcernsOptions>
{
    public const string MissingKey =
        "Concerns:EncryptionKey is not set. Anonymous concerns need it to protect the only link back to a member. "
        + "Set it to the base64 of 32 random bytes (for example the output of `openssl rand -base64 32`) in configuration "
        + "or the environment variable Concerns__EncryptionKey. Only in Development may the bot generate one for you.";

    public const string MalformedKey =
        "Concerns:EncryptionKey must be the base64 of exactly 32 random bytes (for example the output of `openssl rand -base64 32`).";

    public ValidateOptionsResult Validate(string? name, ConcernsOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.EncryptionKey))
        {
            if (!options.AllowGeneratedKey) failures.Add(MissingKey);
        }
        else
        {
            var buffer = new byte[64];
            if (!Convert.TryFromBase64String(options.EncryptionKey.Trim(), buffer, out var length) || length != 32)
                failures.Add(MalformedKey);
        }
        if (options.RetentionDays is < 1 or > 3650) failures.Add("Concerns:RetentionDays must be between 1 and 3650.");
        if (options.MaxPerMemberPerDay is < 1 or > 100) failures.Add("Concerns:MaxPerMemberPerDay must be between 1 and 100.");
        if (options.AcknowledgeWithinHours is < 1 or > 720) failures.Add("Concerns:AcknowledgeWithinHours must be between 1 and 720.");
        if (options.UrgentAcknowledgeWithinMinutes is < 5 or > 1440) failures.Add("Concerns:UrgentAcknowledgeWithinMinutes must be between 5 and 1440.");
        if (options.PostDelayMinMinutes < 0 || options.PostDelayMaxMinutes > 120 || options.PostDelayMinMinutes > options.PostDelayMaxMinutes)
            failures.Add("Concerns:PostDelayMinMinutes and PostDelayMaxMinutes must satisfy 0 <= min <= max <= 120.");
        if (string.IsNullOrWhiteSpace(options.Signposting)) failures.Add("Concerns:Signposting must not be empty.");
        if (options.EffectiveRiskPhrases.Any(string.IsNullOrWhiteSpace)) failures.Add("Concerns:RiskPhrases must not contain empty phrases.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
