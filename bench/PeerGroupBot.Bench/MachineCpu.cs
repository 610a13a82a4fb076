using System.Globalization;

namespace PeerGroupBot.Bench;

/// <summary>
/// How busy the whole machine was between two samples, from the first line of <c>/proc/stat</c> (every process,
/// the kernel included): the evidence of whether a rate was limited by the bot or by the cores.
/// </summary>
public readonly record struct MachineCpu(long Busy, long Total)
{
    public static MachineCpu Sample()
    {
        // "cpu  user nice system idle iowait irq softirq steal guest guest_nice": idle and iowait are the idle time.
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var total = fields.Sum();
        return new MachineCpu(total - fields[3] - fields[4], total);
    }

    /// <summary>The share of all cores' time that was busy since <paramref name="earlier"/>, as a percentage.</summary>
    public double BusyPercentSince(MachineCpu earlier)
        => Total == earlier.Total ? 0 : 100.0 * (Busy - earlier.Busy) / (Total - earlier.Total);
}
