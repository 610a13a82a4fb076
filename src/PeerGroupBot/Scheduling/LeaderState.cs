using NodaTime;

namespace PeerGroupBot.Scheduling;

/// <summary>
/// Whether this instance may run scheduled work now. It counts as leader only until a little before its lease would
/// lapse unrenewed, so it stops firing before another instance can take over.
/// </summary>
public sealed class LeaderState(IClock clock)
{
    private long _validUntilTicks = long.MinValue;

    public bool IsLeader => clock.GetCurrentInstant().ToUnixTimeTicks() < Interlocked.Read(ref _validUntilTicks);

    /// <summary>Records a successful acquire or renew made at <paramref name="at"/> for a lease of <paramref name="length"/>.</summary>
    public void Held(Instant at, Duration length)
        => Interlocked.Exchange(ref _validUntilTicks, (at + length * 0.8).ToUnixTimeTicks());

    public void Lost() => Interlocked.Exchange(ref _validUntilTicks, long.MinValue);
}
