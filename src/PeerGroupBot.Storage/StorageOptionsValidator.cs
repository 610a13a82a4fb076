using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;

namespace PeerGroupBot.Storage;

/// <summary>
/// Refuses to start on settings that would only fail later, with a message that names the setting to fix.
/// Only the settings of the chosen provider are checked. The connection string is never echoed: it holds a key.
/// </summary>
public sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    // Azure's container rules: 3-63 characters, lower-case letters, digits and single hyphens,
    // starting and ending with a letter or digit.
    [GeneratedRegex("^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex ContainerPattern();

    public static bool IsValidContainerName(string? name) => name is not null && ContainerPattern().IsMatch(name);

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var failures = new List<string>();
        if (options.IsFolder)
        {
            if (string.IsNullOrWhiteSpace(options.FolderPath))
                failures.Add("Storage:FolderPath must name a folder when Storage:Provider is 'Folder' (the default is './data').");
            else if (options.FolderPath.Contains('\0', StringComparison.Ordinal) || !TryGetFullPath(options.FolderPath))
                failures.Add($"Storage:FolderPath '{options.FolderPath}' is not a valid path.");
        }
        else if (options.IsAzureBlob)
        {
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
                failures.Add("Storage:ConnectionString must be set when Storage:Provider is 'AzureBlob' (copy it from the storage account's 'Access keys' page, or use 'UseDevelopmentStorage=true' for a local Azurite).");
            else if (!IsParseableConnectionString(options.ConnectionString))
                failures.Add("Storage:ConnectionString is not a valid Azure Storage connection string (its value is not shown because it holds a secret).");
            if (!IsValidContainerName(options.Container))
                failures.Add($"Storage:Container '{options.Container}' is not a valid container name: use 3-63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit (the default is 'peergroupbot').");
        }
        else
        {
            failures.Add($"Storage:Provider must be '{StorageProviders.Folder}' or '{StorageProviders.AzureBlob}' (it is '{options.Provider}').");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool TryGetFullPath(string path)
    {
        try
        {
            Path.GetFullPath(path);
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return false;
        }
    }

    private static bool IsParseableConnectionString(string connectionString)
    {
        try
        {
            // Parses only; no request is made.
            _ = new BlobServiceClient(connectionString);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException or UriFormatException)
        {
            return false;
        }
    }
}
