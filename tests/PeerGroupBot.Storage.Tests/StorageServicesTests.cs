using System.Net;
using System.Net.Sockets;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PeerGroupBot.Core.State;
using PeerGroupBot.Storage.Blob;
using PeerGroupBot.Storage.Folder;
using PeerGroupBot.Testing;
using PeerGroupBot.Testing.Storage;

namespace PeerGroupBot.Storage.Tests;

/// <summary>How the host picks, checks and prepares storage from its settings.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageServicesTests(AzuriteFixture azurite) : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("pgb-host-");
    private readonly CapturingLoggerProvider _logs = new();

    public void Dispose() => _temp.Delete(recursive: true);

    private IHost BuildHost(Dictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddProvider(_logs);
        builder.Services.AddPeerGroupBotStorage(builder.Configuration);
        configure?.Invoke(builder.Services);
        return builder.Build();
    }

    private async Task<string> StartFailureAsync(Dictionary<string, string?> settings)
    {
        using var host = BuildHost(settings);
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        return failure.Message;
    }

    [Fact]
    public void With_no_settings_documents_go_to_a_data_folder_in_the_working_directory()
    {
        using var host = BuildHost([]);
        var store = Assert.IsType<FolderStateStore>(host.Services.GetRequiredService<IStateStore>());
        Assert.Equal(Path.GetFullPath("./data"), store.Root);
    }

    [Fact]
    public async Task Starting_creates_the_configured_folder_and_the_store_is_healthy()
    {
        var folder = Path.Combine(_temp.FullName, "state");
        using var host = BuildHost(new() { ["Storage:Provider"] = "folder", ["Storage:FolderPath"] = folder });

        await host.StartAsync();
        var store = host.Services.GetRequiredService<IStateStore>();
        Assert.True(Directory.Exists(folder));
        Assert.True(await store.IsHealthyAsync());
        await host.StopAsync();
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("Peer-Group-Bot")]
    [InlineData("peer--group")]
    [InlineData("-peergroupbot")]
    [InlineData("peergroupbot-")]
    [InlineData("peer_group")]
    [InlineData("a123456789012345678901234567890123456789012345678901234567890123")]
    public async Task An_invalid_container_name_stops_the_start_naming_the_setting(string container)
    {
        var message = await StartFailureAsync(new()
        {
            ["Storage:Provider"] = "AzureBlob",
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:Container"] = container,
        });
        Assert.Contains("Storage:Container", message);
        Assert.Contains(container, message);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("peergroupbot")]
    [InlineData("peer-group-bot-2")]
    [InlineData("a12345678901234567890123456789012345678901234567890123456789012")]
    public void Valid_container_names_are_accepted(string container)
        => Assert.True(StorageOptionsValidator.IsValidContainerName(container));

    [Fact]
    public async Task An_unknown_provider_stops_the_start_naming_the_setting()
    {
        var message = await StartFailureAsync(new() { ["Storage:Provider"] = "Cosmos" });
        Assert.Contains("Storage:Provider", message);
        Assert.Contains("'Folder' or 'AzureBlob'", message);
    }

    [Fact]
    public async Task Azure_blob_without_a_connection_string_stops_the_start_naming_the_setting()
    {
        var message = await StartFailureAsync(new() { ["Storage:Provider"] = "AzureBlob" });
        Assert.Contains("Storage:ConnectionString", message);
    }

    [Fact]
    public async Task A_malformed_connection_string_stops_the_start_without_echoing_it()
    {
        var message = await StartFailureAsync(new()
        {
            ["Storage:Provider"] = "AzureBlob",
            ["Storage:ConnectionString"] = "AccountName=peers;AccountKey=hunter2-not-base64",
        });
        Assert.Contains("Storage:ConnectionString", message);
        Assert.DoesNotContain("hunter2", message);
    }

    [Fact]
    public async Task An_empty_folder_path_stops_the_start_naming_the_setting()
    {
        var message = await StartFailureAsync(new() { ["Storage:FolderPath"] = " " });
        Assert.Contains("Storage:FolderPath", message);
    }

    [Fact]
    public async Task Starting_on_azure_blob_creates_the_container()
    {
        var container = AzuriteFixture.NewContainerName();
        using var host = BuildHost(new()
        {
            ["Storage:Provider"] = "AzureBlob",
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:Container"] = container,
        });

        await host.StartAsync();
        Assert.IsType<BlobStateStore>(host.Services.GetRequiredService<IStateStore>());
        Assert.True((await new BlobContainerClient(azurite.ConnectionString, container).ExistsAsync()).Value);
        Assert.DoesNotContain(_logs.Lines, line => line.Contains(AzuriteFixture.AccountKey, StringComparison.Ordinal));
        await host.StopAsync();
    }

    [Fact]
    public async Task Unreachable_storage_at_start_is_logged_and_reported_unhealthy_instead_of_crashing()
    {
        var closedPort = ClosedLoopbackPort();
        var connectionString = $"DefaultEndpointsProtocol=http;AccountName={AzuriteFixture.AccountName};AccountKey={AzuriteFixture.AccountKey};BlobEndpoint=http://127.0.0.1:{closedPort}/{AzuriteFixture.AccountName};";
        using var host = BuildHost(
            new() { ["Storage:Provider"] = "AzureBlob", ["Storage:ConnectionString"] = connectionString },
            services => services.PostConfigure<StorageOptions>(o => o.ConfigureBlobClient = client =>
            {
                client.Retry.Delay = TimeSpan.FromMilliseconds(5);
                client.Retry.MaxDelay = TimeSpan.FromMilliseconds(20);
            }));

        await host.StartAsync();
        var store = host.Services.GetRequiredService<IStateStore>();
        Assert.False(await store.IsHealthyAsync());
        Assert.Contains(_logs.Lines, line => line.StartsWith("Error", StringComparison.Ordinal) && line.Contains("not reachable at start", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Lines, line => line.Contains(AzuriteFixture.AccountKey, StringComparison.Ordinal));
        await host.StopAsync();
    }

    [Fact]
    public async Task A_test_can_put_a_fault_policy_into_the_hosts_blob_client()
    {
        var faults = new StorageFaultPolicy();
        using var host = BuildHost(
            new()
            {
                ["Storage:Provider"] = "AzureBlob",
                ["Storage:ConnectionString"] = azurite.ConnectionString,
                ["Storage:Container"] = AzuriteFixture.NewContainerName(),
            },
            services => services.PostConfigure<StorageOptions>(o => o.ConfigureBlobClient = faults.AttachTo));
        await host.StartAsync();
        var store = host.Services.GetRequiredService<IStateStore>();

        faults.InjectOnce(StorageFault.TimeoutAfterSending, StorageFaultPolicy.IsBlobWrite);
        await store.CreateAsync("groups/g1/group", "{}"u8.ToArray());

        Assert.Single(faults.Injected);
        Assert.NotNull(await store.GetAsync("groups/g1/group"));
        await host.StopAsync();
    }

    private static int ClosedLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
