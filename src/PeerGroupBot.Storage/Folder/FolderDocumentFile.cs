using System.Security.Cryptography;
using System.Text;

namespace PeerGroupBot.Storage.Folder;

/// <summary>
/// The bytes of one document file: a one-line header carrying a fresh random write id, then the document.
/// The ETag is a hash of the whole file, so every write changes it (the write id is new each time, even when the
/// document is identical: no ABA), and so does any hand edit. A file without the header (written by hand) is
/// read whole as the document.
/// </summary>
internal static class FolderDocumentFile
{
    private static readonly byte[] HeaderStart = "#peergroupbot write="u8.ToArray();
    private const int WriteIdHexLength = 32;
    private static readonly int HeaderLength = HeaderStart.Length + WriteIdHexLength + 1; // + '\n'

    /// <summary>The file bytes for <paramref name="content"/>, stamped with a new write id.</summary>
    public static byte[] Compose(ReadOnlySpan<byte> content)
    {
        var bytes = new byte[HeaderLength + content.Length];
        HeaderStart.CopyTo(bytes, 0);
        var writeId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(WriteIdHexLength / 2));
        Encoding.ASCII.GetBytes(writeId, bytes.AsSpan(HeaderStart.Length));
        bytes[HeaderLength - 1] = (byte)'\n';
        content.CopyTo(bytes.AsSpan(HeaderLength));
        return bytes;
    }

    /// <summary>The document part of a file's bytes.</summary>
    public static ReadOnlyMemory<byte> ContentOf(byte[] file)
        => HasHeader(file) ? file.AsMemory(HeaderLength) : file;

    /// <summary>The ETag of a file: a quoted hex hash of all its bytes.</summary>
    public static string ETagOf(ReadOnlySpan<byte> file)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(file, hash);
        return "\"" + Convert.ToHexStringLower(hash[..16]) + "\"";
    }

    private static bool HasHeader(byte[] file)
        => file.Length >= HeaderLength
           && file.AsSpan(0, HeaderStart.Length).SequenceEqual(HeaderStart)
           && file[HeaderLength - 1] == (byte)'\n';
}
