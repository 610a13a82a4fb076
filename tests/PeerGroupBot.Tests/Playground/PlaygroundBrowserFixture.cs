using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PeerGroupBot.Hosting;
using PeerGroupBot.Testing;

namespace PeerGroupBot.Tests.Playground;

/// <summary>
/// One headless Debian Chromium driven by Playwright (never a downloaded browser), shared by every playground browser
/// test: starting a browser is the slow part, and pages are cheap and isolated.
/// </summary>
public sealed class PlaygroundBrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"Headless Chromium is missing at {ChromiumPath}: install Debian's package with `apt-get install -y chromium` (.ci/run does this).");
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>Opens the playground of <paramref name="host"/> in a fresh page (its own cookies and storage).</summary>
    public async Task<PlaygroundPage> OpenAsync(PlaygroundHostFixture host, int width = 1200, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        await page.GotoAsync(host.BaseUrl + "/playground");
        var playground = new PlaygroundPage(page);
        await playground.WaitUntilReadyAsync();
        return playground;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
    }
}

/// <summary>
/// The real bot host on a free loopback port with its own temporary data folder. Each test class gets its own
/// (xunit class fixture), so its groups, members and playground channels start empty: the playground's channels are
/// fixed names, and one group per host keeps one class's group from answering another's messages.
/// The host runs on a <see cref="PinnedClock"/>: every run sees the same date and hour (a Wednesday late morning in
/// May), never a weekend, a midnight, a month end or a daylight saving change, whenever the suite runs.
/// </summary>
public class PlaygroundHostFixture : IAsyncLifetime
{
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "pgb-playground-" + Guid.NewGuid().ToString("N"));
    private WebApplication? _app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>The host's clock (the bot's and the scheduler's): tests compute dates from it, never from the machine's.</summary>
    public PinnedClock Clock { get; } = new();

    /// <summary>Extra host settings, as command-line pairs ("--Section:Key", "value").</summary>
    protected virtual IEnumerable<string> Settings => [];

    public async Task InitializeAsync()
    {
        _app = BotHost.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--environment", "Development",
            "--Storage:Provider", "Folder",
            "--Storage:FolderPath", _dataFolder,
            .. Settings,
        ], builder => Clock.ReplaceIn(builder.Services));
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) { await _app.StopAsync(); await _app.DisposeAsync(); }
        try { Directory.Delete(_dataFolder, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}

/// <summary>
/// All playground browser tests run one after another in this collection, sharing the browser: the machine is small,
/// and parallel pages would only make timings less predictable.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PlaygroundCollection : ICollectionFixture<PlaygroundBrowserFixture>
{
    public const string Name = "playground browser";
}
