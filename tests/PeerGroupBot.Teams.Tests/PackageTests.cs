using System.IO.Compression;
using System.Text.Json.Nodes;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Hosting;
using PeerGroupBot.Teams.Packaging;
using PeerGroupBot.Teams.Tests.Fakes;

namespace PeerGroupBot.Teams.Tests;

/// <summary>The app package a Teams admin uploads, written by the real command line.</summary>
[Collection(TeamsCollection.Name)]
public class PackageTests(TeamsFixture fixture) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pgb-teams-package-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static async Task<int> RunAsync(params string[] args)
        => await BotCommandLine.BuildVerbs().Parse(args).InvokeAsync();

    [Fact]
    public async Task The_package_verb_writes_a_zip_that_validates_with_the_app_id_filled_in()
    {
        var appId = Guid.NewGuid().ToString();
        var output = Path.Combine(_folder, "app.zip");

        var exit = await RunAsync("teams", "package", "--app-id", appId, "--output", output, "--website-url", "https://peers.example.org/", "--version", "1.2.3");

        Assert.Equal(0, exit);
        var bytes = await File.ReadAllBytesAsync(output);
        Assert.Empty(TeamsAppPackage.Validate(bytes));
        using var zip = new ZipArchive(new MemoryStream(bytes));
        Assert.Equal(["color.png", "manifest.json", "outline.png"], zip.Entries.Select(e => e.FullName).Order());
        var manifest = JsonNode.Parse(zip.GetEntry("manifest.json")!.Open())!;
        Assert.Equal(appId, manifest["id"]!.GetValue<string>());
        Assert.Equal(appId, manifest["bots"]![0]!["botId"]!.GetValue<string>());
        Assert.Equal("1.2.3", manifest["version"]!.GetValue<string>());
        Assert.Equal("https://peers.example.org/", manifest["developer"]!["websiteUrl"]!.GetValue<string>());
        Assert.True(new Version(manifest["manifestVersion"]!.GetValue<string>()) >= new Version(1, 19));
        Assert.Equal(["personal", "team", "groupChat"], manifest["bots"]![0]!["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.True(manifest["bots"]![0]!["supportsFiles"]!.GetValue<bool>()); // file consent cards for exports in personal chat
        // Resource-specific consent for team owners: the app id and a resource (Microsoft: must be set, any string).
        Assert.Equal(appId, manifest["webApplicationInfo"]!["id"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(manifest["webApplicationInfo"]!["resource"]?.GetValue<string>()));
        Assert.Contains(manifest["authorization"]!["permissions"]!["resourceSpecific"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "TeamMember.Read.Group");
        Assert.Equal((192, 192), TeamsAppPackage.PngSize(ReadEntry(zip, "color.png")));
        Assert.Equal((32, 32), TeamsAppPackage.PngSize(ReadEntry(zip, "outline.png")));
    }

    [Fact]
    public void The_command_list_offers_every_command_the_core_knows()
    {
        var manifest = JsonNode.Parse(TeamsAppPackage.LoadTemplate().Manifest)!;
        List<string> CommandsOf(string scope) => manifest["bots"]![0]!["commandLists"]!.AsArray()
            .Single(l => l!["scopes"]!.AsArray().Any(s => s!.GetValue<string>() == scope))!["commands"]!.AsArray()
            .Select(c => c!["title"]!.GetValue<string>()).ToList();
        var teamCommands = CommandsOf("team");
        var personalCommands = CommandsOf("personal");
        var flows = fixture.Host.Get<ConversationRouter>().Flows.Select(f => f.Name).Where(n => n is not ("tally" or "testfiles")).ToList(); // this project's test flows

        Assert.Contains("help", teamCommands);
        Assert.All(flows, name => Assert.Contains(name, teamCommands));
        Assert.Equal(["help", "setup", "poll", "rota", "agenda", "session", "concern", "me", "record", "checkout"], teamCommands);
        // In the personal chat every command but setup (which belongs in the group's channel) works, so each is offered.
        Assert.Equal(flows.Where(n => n != "setup").Append("help").Order(), personalCommands.Order());
    }

    [Fact]
    public async Task A_bad_app_id_is_refused_and_a_broken_package_is_reported_field_by_field()
    {
        Assert.Equal(2, await RunAsync("teams", "package", "--app-id", "not-a-guid", "--output", Path.Combine(_folder, "x.zip")));
        Assert.False(File.Exists(Path.Combine(_folder, "x.zip")));

        var good = TeamsAppPackage.Build(new PackageSettings(Guid.NewGuid().ToString()));
        var broken = Rewrite(good, manifest =>
        {
            manifest.Remove("accentColor");
            manifest["developer"]!.AsObject().Remove("privacyUrl");
            manifest["name"]!["short"] = new string('n', 31);
            manifest["manifestVersion"] = "1.16";
        }, swapIcons: true);

        var problems = TeamsAppPackage.Validate(broken);

        Assert.Contains("accentColor is required, as #RRGGBB.", problems);
        Assert.Contains("developer.privacyUrl is required and must be an https URL.", problems);
        Assert.Contains("name.short is longer than 30 characters.", problems);
        Assert.Contains("manifestVersion must be 1.19 or newer.", problems);
        Assert.Contains("color.png must be 192x192 pixels (it is 32x32).", problems);
    }

    private static byte[] ReadEntry(ZipArchive zip, string name)
    {
        using var stream = zip.GetEntry(name)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static byte[] Rewrite(byte[] package, Action<JsonObject> change, bool swapIcons)
    {
        using var source = new ZipArchive(new MemoryStream(package));
        var manifest = JsonNode.Parse(ReadEntry(source, "manifest.json"))!.AsObject();
        change(manifest);
        var color = ReadEntry(source, swapIcons ? "outline.png" : "color.png");
        var outline = ReadEntry(source, "outline.png");
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in new[] { ("manifest.json", System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString())), ("color.png", color), ("outline.png", outline) })
            {
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(bytes);
            }
        }
        return buffer.ToArray();
    }
}
