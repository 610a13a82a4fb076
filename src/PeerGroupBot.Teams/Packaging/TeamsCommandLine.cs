using System.CommandLine;

namespace PeerGroupBot.Teams.Packaging;

/// <summary>
/// <c>teams package --app-id GUID [--output file.zip]</c>: writes the app package a Teams admin uploads
/// (Teams admin center → Manage apps → Upload, or Apps → Manage your apps → Upload an app).
/// </summary>
public static class TeamsCommandLine
{
    public static Command Create()
    {
        var appId = new Option<string>("--app-id") { Description = "The Microsoft App ID of your Azure Bot resource (a GUID).", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the zip.", DefaultValueFactory = _ => "peergroupbot-teams.zip" };
        var developer = new Option<string?>("--developer-name") { Description = "Your organisation's name, shown in Teams' app details." };
        var website = new Option<string?>("--website-url") { Description = "Your organisation's https web page about the bot." };
        var privacy = new Option<string?>("--privacy-url") { Description = "Your https privacy notice (what the bot keeps and for how long)." };
        var terms = new Option<string?>("--terms-url") { Description = "Your https terms of use." };
        var version = new Option<string?>("--version") { Description = "The app package version, e.g. 1.0.1 (raise it for every upload of a change)." };
        var template = new Option<string?>("--template") { Description = "A folder with manifest.json, color.png and outline.png to use instead of the built-in ones." };

        var package = new Command("package", "Write the Teams app package (manifest with your app id, and the icons) as a zip.")
        {
            appId, output, developer, website, privacy, terms, version, template,
        };
        package.SetAction(result =>
        {
            var id = result.GetValue(appId) ?? "";
            if (!Guid.TryParse(id, out _))
            {
                result.InvocationConfiguration.Error.WriteLine("--app-id must be your bot's Microsoft App ID, a GUID such as 2f1c8a4e-5b7d-4c1e-9a0b-3d2e1f4a5b6c.");
                return 2;
            }
            var defaults = new PackageSettings(id);
            var settings = defaults with
            {
                DeveloperName = result.GetValue(developer) ?? defaults.DeveloperName,
                WebsiteUrl = result.GetValue(website) ?? defaults.WebsiteUrl,
                PrivacyUrl = result.GetValue(privacy) ?? defaults.PrivacyUrl,
                TermsUrl = result.GetValue(terms) ?? defaults.TermsUrl,
                Version = result.GetValue(version),
            };
            byte[] zip;
            try
            {
                zip = TeamsAppPackage.Build(settings, result.GetValue(template));
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                result.InvocationConfiguration.Error.WriteLine(ex.Message);
                return 1;
            }
            var path = Path.GetFullPath(result.GetValue(output)!);
            File.WriteAllBytes(path, zip);
            var console = result.InvocationConfiguration.Output;
            console.WriteLine($"Wrote {path}.");
            if (settings.WebsiteUrl.Contains(".example", StringComparison.Ordinal) || settings.PrivacyUrl.Contains(".example", StringComparison.Ordinal))
                console.WriteLine("Note: the developer links are placeholders; pass --website-url, --privacy-url and --terms-url with your organisation's pages before publishing widely.");
            console.WriteLine("Upload it in Teams: Apps → Manage your apps → Upload an app (or the Teams admin center for the whole organisation).");
            return 0;
        });

        return new Command("teams", "Microsoft Teams admin tasks.") { package };
    }
}
