using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace PeerGroupBot.Bench;

/// <summary>
/// A process the bench starts for one side-by-side run (Azurite, PeerGroupBot, the botbuilder peer): its output is
/// drained (the last lines kept for error messages), and its CPU time and peak resident set are read from /proc.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<string> _line = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<string, bool>? _waitFor;

    private readonly TimeSpan _stopGrace;

    private ChildProcess(string name, ProcessStartInfo info, Func<string, bool>? waitFor, TimeSpan stopGrace)
    {
        Name = name;
        _stopGrace = stopGrace;
        _waitFor = waitFor;
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Remember(e.Data);
        _process.ErrorDataReceived += (_, e) => Remember(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts <paramref name="file"/>; <paramref name="waitFor"/> picks the output line <see cref="WaitForLineAsync"/> waits for.
    /// On <see cref="Dispose"/> it gets SIGTERM and <paramref name="stopGrace"/> (10 s unless given) to exit before it is killed;
    /// zero kills it at once (an in-memory Azurite has nothing to save and can take many seconds over a SIGTERM).
    /// </summary>
    public static ChildProcess Start(string name, string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null, Func<string, bool>? waitFor = null, TimeSpan? stopGrace = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        return new ChildProcess(name, info, waitFor, stopGrace ?? TimeSpan.FromSeconds(10));
    }

    public string RecentOutput
    {
        get { lock (_gate) return string.Join(Environment.NewLine, _output); }
    }

    /// <summary>User + system CPU time used so far, from <c>/proc/&lt;pid&gt;/stat</c> (utime + stime).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            var stat = File.ReadAllText($"/proc/{Pid}/stat");
            // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture); // fields 14 and 15
            return TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond);
        }
    }

    /// <summary>The highest resident set size the process has had (<c>VmHWM</c> in <c>/proc/&lt;pid&gt;/status</c>).</summary>
    public long PeakResidentBytes
    {
        get
        {
            foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            return 0;
        }
    }

    private static readonly long ClockTicksPerSecond = SysConf(2 /* _SC_CLK_TCK */) is > 0 and var hz ? hz : 100;

    /// <summary>Waits until the process has printed the line <c>waitFor</c> picks; returns it.</summary>
    public async Task<string> WaitForLineAsync(TimeSpan timeout)
    {
        var done = await Task.WhenAny(_line.Task, Task.Delay(timeout), _process.WaitForExitAsync());
        if (done == _line.Task) return await _line.Task;
        throw new InvalidOperationException($"{Name} {(_process.HasExited ? $"exited (code {_process.ExitCode})" : "printed nothing expected")} within {timeout.TotalSeconds:0} s. Its output:{Environment.NewLine}{RecentOutput}");
    }

    /// <summary>Waits until something accepts connections on <paramref name="port"/> (and the process is still running).</summary>
    public async Task WaitForPortAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"{Name} exited at start (code {_process.ExitCode}). Its output:{Environment.NewLine}{RecentOutput}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(25);
            }
        }
        throw new InvalidOperationException($"{Name} did not listen on port {port} within {timeout.TotalSeconds:0} s. Its output:{Environment.NewLine}{RecentOutput}");
    }

    public static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Lines written to stdout and stderr so far (a bot that logs every request shows here).</summary>
    public long Lines => Interlocked.Read(ref _lines);

    private long _lines;

    private void Remember(string? line)
    {
        if (line is null) return;
        Interlocked.Increment(ref _lines);
        lock (_gate)
        {
            _output.Enqueue(line);
            while (_output.Count > 40) _output.Dequeue();
        }
        if (_waitFor?.Invoke(line) == true) _line.TrySetResult(line);
    }

    /// <summary>SIGTERM, then a kill if it has not gone within its stop grace.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                if (_stopGrace > TimeSpan.Zero) _ = Kill(_process.Id, 15 /* SIGTERM */);
                if (_stopGrace <= TimeSpan.Zero || !_process.WaitForExit(_stopGrace))
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(TimeSpan.FromSeconds(10));
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [DllImport("libc", EntryPoint = "sysconf", SetLastError = true)]
    private static extern long SysConf(int name);
}
