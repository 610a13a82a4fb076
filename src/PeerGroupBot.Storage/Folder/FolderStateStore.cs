using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PeerGroupBot.Core.State;

namespace PeerGroupBot.Storage.Folder;

/// <summary>
/// The embedded default store: one file per document under a root folder (<c>groups/g1/group</c> is
/// <c>&lt;root&gt;/groups/g1/group.json</c>), so a fresh machine needs no database and an operator can look inside.
/// <list type="bullet">
/// <item>Writes are atomic: a new file is written beside the old one under a dot-name, flushed to disk and renamed
/// over it, so a reader (in any process) sees the old or the new document, never half of one.</item>
/// <item>Conditional writes check the ETag while holding an OS file lock (<see cref="FolderLocks"/>), so two
/// processes sharing the folder never both win.</item>
/// <item>The ETag is a hash of the file, whose header carries a new random write id on every write
/// (<see cref="FolderDocumentFile"/>): it changes even when the same document is written again.</item>
/// </list>
/// Names starting with '.' (temporary files, the lock folder) can never be keys, so they are never listed.
/// </summary>
public sealed class FolderStateStore : IStateStore, IStateStoreProvisioning
{
    private const string Extension = ".json";

    private readonly FolderLocks _locks;
    private readonly ILogger _logger;

    public FolderStateStore(string root, ILogger<FolderStateStore>? logger = null)
    {
        Root = Path.GetFullPath(root);
        _locks = new FolderLocks(Root);
        _logger = logger ?? NullLogger<FolderStateStore>.Instance;
    }

    /// <summary>The absolute root folder.</summary>
    public string Root { get; }

    public string Location => Root;

    /// <summary>The file that holds <paramref name="key"/>.</summary>
    public string PathOf(string key)
    {
        StateKeys.Validate(key);
        var segments = key.Split('/');
        // "a" is stored as a.json; a folder named "a.json" (for key "a.json/b") would collide with it.
        if (segments[..^1].Any(s => s.EndsWith(Extension, StringComparison.Ordinal)))
            throw new ArgumentException($"'{key}' cannot be stored in a folder: only its last segment may end in '{Extension}'.", nameof(key));
        return Path.Combine(Root, Path.Combine(segments)) + Extension;
    }

    public Task EnsureReadyAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            Directory.CreateDirectory(Path.Combine(Root, FolderLocks.FolderName));
            return Task.CompletedTask;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StateUnavailableException($"The state folder '{Root}' could not be created.", ex);
        }
    }

    public async Task<StoredDocument?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        var file = await ReadFileAsync(key, path, cancellationToken).ConfigureAwait(false);
        return file is null ? null : new StoredDocument(key, FolderDocumentFile.ContentOf(file), FolderDocumentFile.ETagOf(file));
    }

    public async Task<string> CreateAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        using var held = await LockAsync(key, cancellationToken).ConfigureAwait(false);
        if (await ReadFileAsync(key, path, cancellationToken).ConfigureAwait(false) is not null)
            throw new StateConflictException(key);
        return WriteAtomically(key, path, content.Span);
    }

    public async Task<string> ReplaceAsync(string key, ReadOnlyMemory<byte> content, string etag, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        using var held = await LockAsync(key, cancellationToken).ConfigureAwait(false);
        var current = await ReadFileAsync(key, path, cancellationToken).ConfigureAwait(false);
        if (current is null || FolderDocumentFile.ETagOf(current) != etag)
            throw new StateConflictException(key);
        return WriteAtomically(key, path, content.Span);
    }

    public async Task DeleteAsync(string key, string etag, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        using var held = await LockAsync(key, cancellationToken).ConfigureAwait(false);
        var current = await ReadFileAsync(key, path, cancellationToken).ConfigureAwait(false);
        if (current is null || FolderDocumentFile.ETagOf(current) != etag)
            throw new StateConflictException(key);
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unavailable("delete", key, ex);
        }
    }

    public async IAsyncEnumerable<string> ListKeysAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StateKeys.ValidatePrefix(prefix);
        // Only the folder that holds the prefix's last segment can contain matches.
        var slash = prefix.LastIndexOf('/');
        var baseKey = slash < 0 ? "" : prefix[..slash];
        var keys = new List<string>();
        try
        {
            Collect(Path.Combine(Root, baseKey), baseKey, prefix, keys, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unavailable("list", prefix, ex);
        }
        keys.Sort(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return key;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>Writable means healthy: creates the folder if needed, then writes and removes a probe file.</summary>
    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
            var probe = Path.Combine(Root, $".health-{Guid.NewGuid():N}.tmp");
            await File.WriteAllBytesAsync(probe, [1], cancellationToken).ConfigureAwait(false);
            File.Delete(probe);
            return true;
        }
        catch (Exception ex) when (ex is StateUnavailableException or IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning(ex, "The state folder {Root} is not writable", Root);
            return false;
        }
    }

    private static void Collect(string folder, string folderKey, string prefix, List<string> keys, CancellationToken cancellationToken)
    {
        IEnumerable<FileSystemInfo> entries;
        try
        {
            entries = new DirectoryInfo(folder).EnumerateFileSystemInfos().ToArray();
        }
        catch (DirectoryNotFoundException)
        {
            return; // nothing stored there (or removed while we looked)
        }
        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = entry.Name;
            if (name.StartsWith('.')) continue; // temporary files, the lock folder, probes
            var key = folderKey.Length == 0 ? name : folderKey + "/" + name;
            if (entry is DirectoryInfo)
            {
                var asFolder = key + "/";
                if (asFolder.StartsWith(prefix, StringComparison.Ordinal) || prefix.StartsWith(asFolder, StringComparison.Ordinal))
                    Collect(entry.FullName, key, prefix, keys, cancellationToken);
            }
            else if (name.EndsWith(Extension, StringComparison.Ordinal))
            {
                key = key[..^Extension.Length];
                if (key.StartsWith(prefix, StringComparison.Ordinal) && StateKeys.IsValid(key))
                    keys.Add(key);
            }
        }
    }

    private async Task<IDisposable> LockAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await _locks.AcquireAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unavailable("lock", key, ex);
        }
    }

    /// <summary>The whole file, or null when it does not exist. Opened so that a writer may rename over it meanwhile.</summary>
    private async Task<byte[]?> ReadFileAsync(string key, string path, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
            var bytes = new byte[stream.Length];
            await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
            return bytes;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (EndOfStreamException ex)
        {
            // Only a hand edit in place can shrink a file under us; the store itself always renames.
            throw Unavailable("read", key, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unavailable("read", key, ex);
        }
    }

    private string WriteAtomically(string key, string path, ReadOnlySpan<byte> content)
    {
        var file = FolderDocumentFile.Compose(content);
        var folder = Path.GetDirectoryName(path)!;
        var temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(folder);
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1))
            {
                stream.Write(file);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
            return FolderDocumentFile.ETagOf(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw Unavailable("write", key, ex);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temporary file is never read or listed.
        }
    }

    private StateUnavailableException Unavailable(string operation, string key, Exception inner)
        => new($"The state folder '{Root}' failed to {operation} '{key}' ({inner.GetType().Name}).", inner);
}
