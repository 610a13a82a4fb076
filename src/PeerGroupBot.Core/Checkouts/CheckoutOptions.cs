using Microsoft.Extensions.Options;

namespace PeerGroupBot.Core.Checkouts;

/// <summary>Configuration of the anonymous session check-outs (section <c>Checkouts</c>).</summary>
public sealed class CheckoutOptions
{
    public const string Section = "Checkouts";

    /// <summary>How long a check-out takes answers after the session ends, in hours.</summary>
    public int OpenHours { get; set; } = 48;

    /// <summary>Days the free-text lines of a closed check-out are kept for facilitators; the counts stay on the record.</summary>
    public int KeepCommentsDays { get; set; } = 30;
}

/// <summary>Checks <see cref="CheckoutOptions"/> at start.</summary>
public sealed class CheckoutOptionsValidator : IValidateOptions<CheckoutOptions>
{
    public ValidateOptionsResult Validate(string? name, CheckoutOptions options)
    {
        var failures = new List<string>();
        if (options.OpenHours is < 1 or > 336) failures.Add("Checkouts:OpenHours must be between 1 and 336.");
        if (options.KeepCommentsDays is < 1 or > 3650) failures.Add("Checkouts:KeepCommentsDays must be between 1 and 3650.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
