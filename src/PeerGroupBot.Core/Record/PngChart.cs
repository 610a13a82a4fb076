using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace PeerGroupBot.Core.Record;

/// <summary>
/// A tiny bar chart drawn into a pixel buffer and encoded as PNG with nothing but the base library (zlib from
/// System.IO.Compression, CRC-32 here): the core stays free of drawing packages and native assets. Labels use the
/// built-in proportional pixel font (<see cref="ChartFont"/>), with lower case, so they read as they were written.
/// </summary>
public sealed class PngChart
{
    private const int Scale = 2;
    private readonly int _width;
    private readonly int _height;
    private readonly byte[] _pixels;

    public PngChart(int width, int height)
    {
        _width = width;
        _height = height;
        _pixels = new byte[width * height * 3];
        Array.Fill(_pixels, (byte)255);
    }

    /// <summary>One bar: a label, a share between 0 and 1 (null: no data), and the text shown beside it.</summary>
    public sealed record Bar(string Label, double? Share, string Value);

    /// <summary>A horizontal bar chart of shares, with a title, sized to fit.</summary>
    public static byte[] Bars(string title, IReadOnlyList<Bar> bars)
    {
        const int left = 16, barWidth = 240, rowHeight = 44, top = 56;
        var barLeft = Math.Max(300, left + bars.Select(b => Measure(b.Label)).DefaultIfEmpty(0).Max() + 20);
        var valueLeft = barLeft + barWidth + 10;
        var width = Math.Max(left + Measure(title), valueLeft + bars.Select(b => Measure(b.Value)).DefaultIfEmpty(0).Max()) + left;
        var chart = new PngChart(width, top + bars.Count * rowHeight + 16);
        chart.Text(left, 16, title, (40, 40, 40));
        for (var i = 0; i < bars.Count; i++)
        {
            var y = top + i * rowHeight;
            var bar = bars[i];
            chart.Text(left, y + 8, bar.Label, (40, 40, 40));
            chart.Fill(barLeft, y, barWidth, 30, (234, 236, 240));
            var filled = bar.Share is { } share ? (int)Math.Round(barWidth * Math.Clamp(share, 0, 1)) : 0;
            if (filled > 0) chart.Fill(barLeft, y, filled, 30, (46, 125, 110));
            chart.Text(valueLeft, y + 8, bar.Value, (40, 40, 40));
        }
        return chart.Encode();
    }

    public void Fill(int x, int y, int width, int height, (byte R, byte G, byte B) colour)
    {
        for (var row = Math.Max(0, y); row < Math.Min(_height, y + height); row++)
            for (var col = Math.Max(0, x); col < Math.Min(_width, x + width); col++)
            {
                var at = (row * _width + col) * 3;
                _pixels[at] = colour.R;
                _pixels[at + 1] = colour.G;
                _pixels[at + 2] = colour.B;
            }
    }

    /// <summary>How many pixels wide <paramref name="text"/> is drawn.</summary>
    public static int Measure(string text) => ChartFont.Measure(text) * Scale;

    /// <summary>Draws text in the built-in proportional font (<see cref="ChartFont"/>), its top at <paramref name="y"/>.</summary>
    public void Text(int x, int y, string text, (byte R, byte G, byte B) colour)
    {
        foreach (var c in text)
        {
            var glyph = ChartFont.Of(c);
            for (var row = 0; row < ChartFont.Rows; row++)
                for (var col = 0; col < glyph.Width; col++)
                    if (glyph.Ink[row][col])
                        Fill(x + col * Scale, y + row * Scale, Scale, Scale, colour);
            x += (glyph.Width + ChartFont.Spacing) * Scale;
        }
    }

    public byte[] Encode()
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, _width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), _height);
        header[8] = 8; // bit depth
        header[9] = 2; // truecolour RGB
        Chunk(png, "IHDR", header);

        using var raw = new MemoryStream();
        using (var zlib = new ZLibStream(raw, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (var row = 0; row < _height; row++)
            {
                zlib.WriteByte(0); // filter: none
                zlib.Write(_pixels, row * _width * 3, _width * 3);
            }
        }
        Chunk(png, "IDAT", raw.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32([.. typeBytes, .. data]));
        png.Write(number);
    }

    private static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    /// <summary>The CRC-32 PNG chunks carry (ISO 3309, as in zlib).</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFFu;
    }
}
