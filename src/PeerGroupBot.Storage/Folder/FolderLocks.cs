using PeerGroupBot.Core.State;

namespace PeerGroupBot.Storage.Folder;

/// <summary>
/// Serialises writers of the same document across threads and processes. A key maps to one of a fixed number of
/// lock files under <c>.locks/</c> (a stable hash, so every process picks the same file); a writer holds an
/// exclusive OS lock on it (<see cref="FileShare.None"/>, an advisory flock on Linux) while it checks the ETag and
/// renames its new file into place. Threads of one store queue on a semaphore first instead of spinning on the
/// file. The OS drops the lock when a process dies, so a crash never leaves a document locked.
/// (.NET implements <see cref="FileShare.None"/> with flock on Unix; setting DOTNET_SYSTEM_IO_DISABLEFILELOCKING
/// would switch that off and make the folder safe for one process only.)
/// </summary>
internal sealed class FolderLocks
{
    public const string FolderName = ".locks";
    private const int Stripes = 64;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly string _folder;
    private readonly SemaphoreSlim[] _gates = Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public FolderLocks(string root) => _folder = Path.Combine(root, FolderName);

    public async Task<IDisposable> AcquireAsync(string key, CancellationToken cancellationToken)
    {
        var stripe = StripeOf(key);
        var gate = _gates[stripe];
        if (!await gate.WaitAsync(Timeout, cancellationToken).ConfigureAwait(false))
            throw TimedOut(key);
        try
        {
            var path = Path.Combine(_folder, $"{stripe:D2}.lock");
            var deadline = DateTime.UtcNow + Timeout;
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
                    return new Held(file, gate);
                }
                catch (DirectoryNotFoundException) when (attempt == 1)
                {
                    Directory.CreateDirectory(_folder);
                }
                catch (IOException ex) when (ex.GetType() == typeof(IOException) && DateTime.UtcNow < deadline)
                {
                    // Another process holds it: wait a little, with jitter so two processes do not keep colliding.
                    await Task.Delay(Random.Shared.Next(1, Math.Min(2 * attempt, 20) + 1), cancellationToken).ConfigureAwait(false);
                }
                catch (IOException ex)
                {
                    throw TimedOut(key, ex);
                }
            }
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    /// <summary>FNV-1a over the key: stable across processes, unlike <see cref="string.GetHashCode()"/>.</summary>
    internal static int StripeOf(string key)
    {
        var hash = 2166136261u;
        foreach (var c in key)
        {
            hash ^= c;
            hash *= 16777619u;
        }
        return (int)(hash % Stripes);
    }

    private static StateUnavailableException TimedOut(string key, Exception? inner = null)
        => new($"The state folder stayed locked for more than {Timeout.TotalSeconds:0} seconds while writing '{key}'.", inner);

    private sealed class Held(FileStream file, SemaphoreSlim gate) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            file.Dispose();
            gate.Release();
        }
    }
}
