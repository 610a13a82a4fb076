using System.Globalization;
using System.Text;

namespace PeerGroupBot.Core.Record;

/// <summary>
/// A small proportional pixel font for <see cref="PngChart"/>: capitals, lower case with ascenders and descenders,
/// digits and the signs a report uses. Each glyph is drawn here as rows of '#' (ink) and '.' (paper), top to bottom:
/// seven rows down to the baseline, then two more for descenders (g, j, p, q, y, the comma) where a glyph needs them.
/// A glyph is as wide as its rows, so "il" is narrower than "WM". Accented letters are drawn as their base letter;
/// anything else the font lacks is drawn as '?', so nothing in a label silently disappears.
/// </summary>
public static class ChartFont
{
    /// <summary>Rows in a glyph: seven to the baseline and two below it.</summary>
    public const int Rows = 9;

    /// <summary>Blank columns between glyphs.</summary>
    public const int Spacing = 1;

    /// <summary>One glyph: its width in columns and its ink, row by row.</summary>
    public sealed record Glyph(int Width, bool[][] Ink);

    /// <summary>The glyph for a character (its base letter when accented, '?' when the font lacks it).</summary>
    public static Glyph Of(char c)
    {
        if (Glyphs.TryGetValue(c, out var glyph)) return glyph;
        var folded = c.ToString().Normalize(NormalizationForm.FormD)
            .FirstOrDefault(f => CharUnicodeInfo.GetUnicodeCategory(f) != UnicodeCategory.NonSpacingMark);
        return folded != default && Glyphs.TryGetValue(folded, out glyph) ? glyph : Glyphs['?'];
    }

    /// <summary>How many columns <paramref name="text"/> takes, spacing included (before any scaling).</summary>
    public static int Measure(string text)
        => text.Length == 0 ? 0 : text.Sum(c => Of(c).Width + Spacing) - Spacing;

    private static Glyph Parse(string rows)
    {
        var lines = rows.Split('/');
        var width = lines[0].Length;
        if (lines.Length is not (7 or Rows) || lines.Any(l => l.Length != width))
            throw new InvalidOperationException($"A chart glyph needs 7 or {Rows} rows of one width: {rows}");
        var ink = Enumerable.Range(0, Rows).Select(r => r < lines.Length ? lines[r].Select(c => c == '#').ToArray() : new bool[width]).ToArray();
        return new Glyph(width, ink);
    }

    private static readonly Dictionary<char, Glyph> Glyphs = new Dictionary<char, string>
    {
        ['A'] = ".###./#...#/#...#/#####/#...#/#...#/#...#",
        ['B'] = "###./#..#/#..#/###./#..#/#..#/###.",
        ['C'] = ".###/#.../#.../#.../#.../#.../.###",
        ['D'] = "###./#..#/#..#/#..#/#..#/#..#/###.",
        ['E'] = "####/#.../#.../###./#.../#.../####",
        ['F'] = "####/#.../#.../###./#.../#.../#...",
        ['G'] = ".###/#.../#.../#.##/#..#/#..#/.###",
        ['H'] = "#..#/#..#/#..#/####/#..#/#..#/#..#",
        ['I'] = "###/.#./.#./.#./.#./.#./###",
        ['J'] = "..##/...#/...#/...#/...#/#..#/.##.",
        ['K'] = "#..#/#..#/#.#./##../#.#./#..#/#..#",
        ['L'] = "#.../#.../#.../#.../#.../#.../####",
        ['M'] = "#...#/##.##/#.#.#/#.#.#/#...#/#...#/#...#",
        ['N'] = "#...#/##..#/#.#.#/#.#.#/#..##/#...#/#...#",
        ['O'] = ".##./#..#/#..#/#..#/#..#/#..#/.##.",
        ['P'] = "###./#..#/#..#/###./#.../#.../#...",
        ['Q'] = ".##../#..#./#..#./#..#./#.##./#..#./.##.#",
        ['R'] = "###./#..#/#..#/###./#.#./#..#/#..#",
        ['S'] = ".###/#.../#.../.##./...#/...#/###.",
        ['T'] = "#####/..#../..#../..#../..#../..#../..#..",
        ['U'] = "#..#/#..#/#..#/#..#/#..#/#..#/.##.",
        ['V'] = "#...#/#...#/#...#/#...#/.#.#./.#.#./..#..",
        ['W'] = "#...#/#...#/#...#/#.#.#/#.#.#/##.##/#...#",
        ['X'] = "#...#/#...#/.#.#./..#../.#.#./#...#/#...#",
        ['Y'] = "#...#/#...#/.#.#./..#../..#../..#../..#..",
        ['Z'] = "#####/....#/...#./..#../.#.../#..../#####",
        ['a'] = "..../..../.##./...#/.###/#..#/.###",
        ['b'] = "#.../#.../###./#..#/#..#/#..#/###.",
        ['c'] = ".../.../.##/#../#../#../.##",
        ['d'] = "...#/...#/.###/#..#/#..#/#..#/.###",
        ['e'] = "..../..../.##./#..#/####/#.../.###",
        ['f'] = ".##/#../###/#../#../#../#..",
        ['g'] = "..../..../.###/#..#/#..#/#..#/.###/...#/.##.",
        ['h'] = "#.../#.../###./#..#/#..#/#..#/#..#",
        ['i'] = "#/./#/#/#/#/#",
        ['j'] = ".#/../.#/.#/.#/.#/.#/.#/#.",
        ['k'] = "#.../#.../#..#/#.#./##../#.#./#..#",
        ['l'] = "#/#/#/#/#/#/#",
        ['m'] = "...../...../####./#.#.#/#.#.#/#.#.#/#.#.#",
        ['n'] = "..../..../###./#..#/#..#/#..#/#..#",
        ['o'] = "..../..../.##./#..#/#..#/#..#/.##.",
        ['p'] = "..../..../###./#..#/#..#/#..#/###./#.../#...",
        ['q'] = "..../..../.###/#..#/#..#/#..#/.###/...#/...#",
        ['r'] = ".../.../#.#/##./#../#../#..",
        ['s'] = "..../..../.###/#.../.##./...#/###.",
        ['t'] = ".#./.#./###/.#./.#./.#./..#",
        ['u'] = "..../..../#..#/#..#/#..#/#..#/.###",
        ['v'] = "...../...../#...#/#...#/.#.#./.#.#./..#..",
        ['w'] = "...../...../#...#/#.#.#/#.#.#/#.#.#/.#.#.",
        ['x'] = "..../..../#..#/#..#/.##./#..#/#..#",
        ['y'] = "..../..../#..#/#..#/#..#/#..#/.###/...#/.##.",
        ['z'] = "..../..../####/...#/.##./#.../####",
        ['0'] = ".##./#..#/#..#/#..#/#..#/#..#/.##.",
        ['1'] = ".#./##./.#./.#./.#./.#./###",
        ['2'] = ".##./#..#/...#/..#./.#../#.../####",
        ['3'] = "###./...#/...#/.##./...#/...#/###.",
        ['4'] = "#..#/#..#/#..#/####/...#/...#/...#",
        ['5'] = "####/#.../#.../###./...#/...#/###.",
        ['6'] = ".##./#.../#.../###./#..#/#..#/.##.",
        ['7'] = "####/...#/...#/..#./..#./.#../.#..",
        ['8'] = ".##./#..#/#..#/.##./#..#/#..#/.##.",
        ['9'] = ".##./#..#/#..#/.###/...#/...#/.##.",
        [' '] = ".../.../.../.../.../.../...",
        ['%'] = "##..#/##..#/...#./..#../.#.../#..##/#..##",
        [':'] = "./././#/././#",
        ['-'] = ".../.../.../###/.../.../...",
        ['–'] = "..../..../..../####/..../..../....",
        ['/'] = "..#/..#/.#./.#./.#./#../#..",
        ['.'] = "././././././#",
        [','] = "../../../../../.#/.#/#./..",
        ['('] = ".#/#./#./#./#./#./.#",
        [')'] = "#./.#/.#/.#/.#/.#/#.",
        ['\''] = "#/#/././././.",
        ['’'] = "#/#/././././.",
        ['"'] = "#.#/#.#/.../.../.../.../...",
        ['&'] = ".##../#..#./#.#../.#.../#.#.#/#..#./.##.#",
        ['+'] = ".../.../.#./###/.#./.../...",
        ['?'] = ".##./#..#/...#/..#./.#../..../.#..",
        ['!'] = "#/#/#/#/#/./#",
        ['#'] = ".#.#./#####/.#.#./.#.#./.#.#./#####/.#.#.",
        ['·'] = "./././#/././.",
    }.ToDictionary(g => g.Key, g => Parse(g.Value));
}
