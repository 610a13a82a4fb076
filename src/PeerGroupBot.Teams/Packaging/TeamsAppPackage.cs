using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PeerGroupBot.Teams.Packaging;

/// <summary>What goes into the app package besides the manifest template and icons.</summary>
public sealed record PackageSettings(
    string AppId,
    string DeveloperName = "PeerGroupBot",
    string WebsiteUrl = "https://peergroupbot.example/",
    string PrivacyUrl = "https://peergroupbot.example/privacy",
    string TermsUrl = "https://peergroupbot.example/terms",
    string? Version = null);

/// <summary>
/// Builds the zip a Teams admin uploads (manifest.json with the app id filled in, color.png, outline.png) from the
/// template in manifests/teams (embedded in this assembly, or a folder given on the command line), and checks it
/// against the manifest schema's required fields before anything is written.
/// </summary>
public static partial class TeamsAppPackage
{
    public const string ManifestFile = "manifest.json";
    public const string ColorIcon = "color.png";
    public const string OutlineIcon = "outline.png";

    public static readonly string[] BotScopes = ["personal", "team", "groupChat"];

    /// <summary>The manifest template and icons: from <paramref name="folder"/> when given, else the embedded copies.</summary>
    public static (string Manifest, byte[] Color, byte[] Outline) LoadTemplate(string? folder = null)
    {
        if (folder is not null)
        {
            return (File.ReadAllText(Path.Combine(folder, ManifestFile)),
                File.ReadAllBytes(Path.Combine(folder, ColorIcon)),
                File.ReadAllBytes(Path.Combine(folder, OutlineIcon)));
        }
        return (Encoding.UTF8.GetString(Embedded(ManifestFile)), Embedded(ColorIcon), Embedded(OutlineIcon));
    }

    /// <summary>The manifest with every placeholder filled in.</summary>
    public static string Fill(string template, PackageSettings settings)
    {
        var text = template
            .Replace("{{APP_ID}}", settings.AppId.Trim().ToLowerInvariant(), StringComparison.Ordinal)
            .Replace("{{DEVELOPER_NAME}}", JsonText(settings.DeveloperName), StringComparison.Ordinal)
            .Replace("{{WEBSITE_URL}}", JsonText(settings.WebsiteUrl), StringComparison.Ordinal)
            .Replace("{{PRIVACY_URL}}", JsonText(settings.PrivacyUrl), StringComparison.Ordinal)
            .Replace("{{TERMS_URL}}", JsonText(settings.TermsUrl), StringComparison.Ordinal);
        if (settings.Version is null) return text;
        var node = JsonNode.Parse(text)!;
        node["version"] = settings.Version;
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Builds the package; throws <see cref="InvalidDataException"/> listing every problem when it would not validate.</summary>
    public static byte[] Build(PackageSettings settings, string? templateFolder = null)
    {
        var (template, color, outline) = LoadTemplate(templateFolder);
        var manifest = Fill(template, settings);
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, ManifestFile, Encoding.UTF8.GetBytes(manifest));
            Add(zip, ColorIcon, color);
            Add(zip, OutlineIcon, outline);
        }
        var bytes = buffer.ToArray();
        var problems = Validate(bytes);
        if (problems.Count > 0) throw new InvalidDataException("The Teams app package is not valid:\n- " + string.Join("\n- ", problems));
        return bytes;
    }

    /// <summary>
    /// Checks a package the way Teams' upload does for the fields the manifest schema requires: manifestVersion,
    /// version, id, developer, name, description, icons (present, right sizes), accentColor, and the bot.
    /// Returns the problems found; empty means valid.
    /// </summary>
    public static IReadOnlyList<string> Validate(byte[] package)
    {
        var problems = new List<string>();
        Dictionary<string, byte[]> files;
        try
        {
            using var zip = new ZipArchive(new MemoryStream(package), ZipArchiveMode.Read);
            files = zip.Entries.ToDictionary(e => e.FullName, e =>
            {
                using var stream = e.Open();
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                return copy.ToArray();
            }, StringComparer.Ordinal);
        }
        catch (InvalidDataException)
        {
            return ["The package is not a zip file."];
        }
        if (!files.TryGetValue(ManifestFile, out var manifestBytes)) return ["manifest.json is missing from the root of the zip."];

        JsonNode? manifest;
        try
        {
            manifest = JsonNode.Parse(manifestBytes);
        }
        catch (JsonException ex)
        {
            return [$"manifest.json is not valid JSON: {ex.Message}"];
        }
        if (manifest is not JsonObject root) return ["manifest.json is not a JSON object."];
        var text = Encoding.UTF8.GetString(manifestBytes);
        if (text.Contains("{{", StringComparison.Ordinal)) problems.Add("manifest.json still has a {{placeholder}}.");

        var manifestVersion = Str(root, "manifestVersion");
        if (manifestVersion is null) problems.Add("manifestVersion is required.");
        else if (!Version.TryParse(manifestVersion, out var mv) || mv < new Version(1, 19)) problems.Add("manifestVersion must be 1.19 or newer.");
        if (Str(root, "version") is not { } version || !SemVer().IsMatch(version)) problems.Add("version is required, as major.minor.patch (e.g. 1.0.0).");
        if (!Guid.TryParse(Str(root, "id"), out _)) problems.Add("id is required and must be a GUID.");

        if (root["developer"] is not JsonObject developer) problems.Add("developer is required.");
        else
        {
            Require(problems, developer, "developer", "name", 32);
            foreach (var url in new[] { "websiteUrl", "privacyUrl", "termsOfUseUrl" })
                if (!IsHttps(Str(developer, url))) problems.Add($"developer.{url} is required and must be an https URL.");
        }
        if (root["name"] is not JsonObject name) problems.Add("name is required.");
        else { Require(problems, name, "name", "short", 30); Optional(problems, name, "name", "full", 100); }
        if (root["description"] is not JsonObject description) problems.Add("description is required.");
        else { Require(problems, description, "description", "short", 80); Require(problems, description, "description", "full", 4000); }

        if (root["icons"] is not JsonObject icons) problems.Add("icons is required.");
        else
        {
            CheckIcon(problems, files, Str(icons, "color"), "icons.color", 192);
            CheckIcon(problems, files, Str(icons, "outline"), "icons.outline", 32);
        }
        if (Str(root, "accentColor") is not { } accent || !HexColor().IsMatch(accent)) problems.Add("accentColor is required, as #RRGGBB.");

        if (root["bots"] is not JsonArray { Count: > 0 } bots) problems.Add("bots must list the bot.");
        else
        {
            foreach (var bot in bots.OfType<JsonObject>())
            {
                if (!Guid.TryParse(Str(bot, "botId"), out _)) problems.Add("bots[].botId must be the bot's Microsoft App ID (a GUID).");
                var scopes = (bot["scopes"] as JsonArray)?.Select(s => s?.GetValue<string>()).ToList() ?? [];
                if (scopes.Count == 0 || scopes.Any(s => !BotScopes.Contains(s))) problems.Add("bots[].scopes must be some of personal, team, groupChat.");
                foreach (var list in (bot["commandLists"] as JsonArray)?.OfType<JsonObject>() ?? [])
                {
                    var commands = (list["commands"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
                    if (commands.Count is 0 or > 10) problems.Add("each command list needs 1 to 10 commands.");
                    foreach (var command in commands)
                    {
                        Require(problems, command, "command", "title", 32);
                        Require(problems, command, "command", "description", 128);
                    }
                }
            }
        }
        // Resource-specific consent (TeamMember.Read.Group, for team owners) needs webApplicationInfo with the app id
        // and a resource: Microsoft's RSC docs say the resource has no effect but must be set to avoid an error.
        if (root["authorization"]?["permissions"]?["resourceSpecific"] is JsonArray { Count: > 0 })
        {
            if (root["webApplicationInfo"] is not JsonObject web || !Guid.TryParse(Str(web, "id"), out _) || string.IsNullOrWhiteSpace(Str(web, "resource")))
                problems.Add("webApplicationInfo needs the app id and a resource for resource-specific consent.");
        }
        return problems;
    }

    /// <summary>Width and height from a PNG's IHDR chunk; null when the bytes are not a PNG.</summary>
    public static (int Width, int Height)? PngSize(byte[] png)
    {
        ReadOnlySpan<byte> signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        if (png.Length < 24 || !png.AsSpan(0, 8).SequenceEqual(signature) || Encoding.ASCII.GetString(png, 12, 4) != "IHDR") return null;
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
    }

    private static void CheckIcon(List<string> problems, Dictionary<string, byte[]> files, string? file, string field, int size)
    {
        if (string.IsNullOrEmpty(file)) { problems.Add($"{field} is required."); return; }
        if (!files.TryGetValue(file, out var bytes)) { problems.Add($"{field} names {file}, which is not in the zip."); return; }
        if (PngSize(bytes) is not { } dimensions) { problems.Add($"{file} is not a PNG."); return; }
        if (dimensions != (size, size)) problems.Add($"{file} must be {size}x{size} pixels (it is {dimensions.Width}x{dimensions.Height}).");
    }

    private static void Require(List<string> problems, JsonObject parent, string where, string field, int maxLength)
    {
        var value = Str(parent, field);
        if (string.IsNullOrWhiteSpace(value)) problems.Add($"{where}.{field} is required.");
        else if (value.Length > maxLength) problems.Add($"{where}.{field} is longer than {maxLength} characters.");
    }

    private static void Optional(List<string> problems, JsonObject parent, string where, string field, int maxLength)
    {
        if (Str(parent, field) is { Length: var length } && length > maxLength) problems.Add($"{where}.{field} is longer than {maxLength} characters.");
    }

    private static string? Str(JsonObject parent, string field)
        => parent[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static bool IsHttps(string? url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps;

    private static string JsonText(string value) => JsonSerializer.Serialize(value)[1..^1];

    private static void Add(ZipArchive zip, string name, byte[] content)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        using var stream = entry.Open();
        stream.Write(content);
    }

    private static byte[] Embedded(string file)
    {
        using var stream = typeof(TeamsAppPackage).Assembly.GetManifestResourceStream("teams/" + file)
            ?? throw new InvalidOperationException($"The embedded Teams {file} is missing from the build.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    [GeneratedRegex(@"^\d+\.\d+\.\d+$")]
    private static partial Regex SemVer();

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex HexColor();
}
