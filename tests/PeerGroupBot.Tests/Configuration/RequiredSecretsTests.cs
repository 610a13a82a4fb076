using Microsoft.Extensions.Options;
using PeerGroupBot.Hosting;

namespace PeerGroupBot.Tests.Configuration;

/// <summary>Outside Development the concerns encryption key must be configured: no setting can make the host generate one.</summary>
public sealed class RequiredSecretsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pgb-secrets-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private string[] Production(params string[] extra) =>
    [
        "--urls=http://127.0.0.1:0",
        "--environment=Production",
        "--Storage:Provider=Folder",
        $"--Storage:FolderPath={_folder}",
        $"--Security:PseudonymKey={Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 1)).ToArray())}",
        "--Playground:Enabled=false",
        .. extra,
    ];

    [Fact]
    public async Task A_production_start_without_a_concerns_key_stops_even_when_told_to_generate_one()
    {
        await using var app = BotHost.Build(Production("--Concerns:AllowGeneratedKey=true"));
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("Concerns:EncryptionKey", failure.Message);
        Assert.DoesNotContain(Directory.EnumerateFiles(_folder, "*", SearchOption.AllDirectories), f => f.Contains("concern", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_production_start_with_a_concerns_key_runs()
    {
        await using var app = BotHost.Build(Production($"--Concerns:EncryptionKey={Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i * 3 + 1)).ToArray())}"));
        await app.StartAsync();
        await app.StopAsync();
    }
}
