using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace PeerGroupBot.Testing.Storage;

/// <summary>
/// A real Azurite blob emulator (the npm package pinned in the root package.json) on a free loopback port, for
/// one xunit collection: <c>[CollectionDefinition("x")] class X : ICollectionFixture&lt;AzuriteFixture&gt;</c>.
/// Give each test its own container with <see cref="NewContainerName"/>. <see cref="Stop"/> and <see cref="Start"/>
/// take it down and bring it back on the same port, to test outages. This fixture keeps data in memory, so a
/// restart forgets everything; <see cref="PersistentAzuriteFixture"/> keeps it on disk across restarts.
/// If Azurite is not installed the fixture fails (never skips) and says to run <c>npm ci</c>.
/// </summary>
public class AzuriteFixture : IDisposable
{
    public const string AccountName = "devstoreaccount1";

    /// <summary>Azurite's well-known development key (public, documented; not a secret).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static int _containerCounter;

    private readonly string _executable;
    private readonly string? _dataFolder;
    private readonly Queue<string> _output = new();
    private readonly Lock _gate = new();
    private Process? _process;
    private bool _disposed;

    public AzuriteFixture() : this(persistent: false)
    {
    }

    protected AzuriteFixture(bool persistent)
    {
        var root = RepositoryRoot.Find();
        _executable = Path.Combine(root, "node_modules", ".bin", OperatingSystem.IsWindows() ? "azurite-blob.cmd" : "azurite-blob");
        if (!File.Exists(_executable))
            throw new InvalidOperationException(
                $"Azurite is not installed ({_executable} is missing). Run `npm ci` in {root} to install it from package-lock.json, then run the tests again.");
        if (persistent)
            _dataFolder = Directory.CreateTempSubdirectory("azurite-").FullName;
        Port = FreeLoopbackPort();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Kill();
        Start();
    }

    public int Port { get; }

    /// <summary>True when data survives <see cref="Stop"/>/<see cref="Start"/>.</summary>
    public bool IsPersistent => _dataFolder is not null;

    public bool IsRunning => _process is { HasExited: false };

    public string BlobEndpoint => $"http://127.0.0.1:{Port}/{AccountName}";

    public string ConnectionString
        => $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint={BlobEndpoint};";

    /// <summary>A container name no other test uses (valid: lower-case, 3-63 characters).</summary>
    public static string NewContainerName(string hint = "t")
        => $"{hint}{Interlocked.Increment(ref _containerCounter):x}-{Guid.NewGuid():N}"[..Math.Min(63, hint.Length + 20)];

    /// <summary>The emulator's last lines of output, for failure messages.</summary>
    public string RecentOutput
    {
        get { lock (_gate) return string.Join(Environment.NewLine, _output); }
    }

    /// <summary>Starts Azurite on <see cref="Port"/> and waits until it accepts connections.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsRunning) return;
        var info = new ProcessStartInfo(_executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["--blobHost", "127.0.0.1", "--blobPort", Port.ToString(), "--skipApiVersionCheck", "--disableTelemetry", "--silent"])
            info.ArgumentList.Add(arg);
        if (_dataFolder is null)
        {
            info.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            info.ArgumentList.Add("--location");
            info.ArgumentList.Add(_dataFolder);
        }
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        WaitUntilListening(process);
    }

    /// <summary>Stops Azurite gracefully (so a persistent one saves its data) and waits until the port is closed.</summary>
    public void Stop()
    {
        var process = _process;
        if (process is null) return;
        _process = null;
        if (!process.HasExited)
        {
            if (!OperatingSystem.IsWindows()) _ = SendTerminate(process.Id, 15 /* SIGTERM */);
            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        process.Dispose();
    }

    public void Restart()
    {
        Stop();
        Start();
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Stop();
        if (_dataFolder is not null)
        {
            try
            {
                Directory.Delete(_dataFolder, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is harmless.
            }
        }
        GC.SuppressFinalize(this);
    }

    private void Kill()
    {
        try
        {
            if (_process is { HasExited: false } p) p.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private void WaitUntilListening(Process process)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"Azurite exited at start (code {process.ExitCode}). Its output:{Environment.NewLine}{RecentOutput}");
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        Kill();
        throw new InvalidOperationException($"Azurite did not listen on port {Port} within {StartTimeout.TotalSeconds:0} seconds. Its output:{Environment.NewLine}{RecentOutput}");
    }

    private void Remember(string? line)
    {
        if (line is null) return;
        lock (_gate)
        {
            _output.Enqueue(line);
            while (_output.Count > 50) _output.Dequeue();
        }
    }

    private static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendTerminate(int pid, int signal);
}

/// <summary>Azurite that keeps its data in a temporary folder, so it survives <see cref="AzuriteFixture.Stop"/>/<see cref="AzuriteFixture.Start"/>.</summary>
public sealed class PersistentAzuriteFixture : AzuriteFixture
{
    public PersistentAzuriteFixture() : base(persistent: true)
    {
    }
}
