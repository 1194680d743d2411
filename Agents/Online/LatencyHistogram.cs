using System.Numerics;

namespace RlPlat.Agents.Online;

/// <summary>
/// A fixed-size log-linear histogram of durations (HdrHistogram's layout): exact below 3.2 µs, then 32 linear
/// sub-buckets per power of two, so a percentile is within about 3% of the true value, up to about 1.9 hours.
/// Recording is a few interlocked operations and no allocation: safe from any thread on a hot path.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBits = 5, SubCount = 1 << SubBits, MaxPower = 36;
    private const int BucketCount = SubCount + (MaxPower - SubBits + 1) * SubCount;
    private readonly long[] counts = new long[BucketCount];
    private long total, maxTicks;

    /// <summary>Durations recorded so far.</summary>
    public long Count => Interlocked.Read(ref total);

    /// <summary>The longest duration recorded.</summary>
    public TimeSpan Max => TimeSpan.FromTicks(Interlocked.Read(ref maxTicks));

    /// <summary>Records one duration (negative ones count as zero).</summary>
    public void Record(TimeSpan duration)
    {
        long ticks = Math.Max(0, duration.Ticks);
        Interlocked.Increment(ref counts[Bucket(ticks)]);
        Interlocked.Increment(ref total);
        long seen = Interlocked.Read(ref maxTicks);
        while (ticks > seen)
        {
            long was = Interlocked.CompareExchange(ref maxTicks, ticks, seen);
            if (was == seen) break;
            seen = was;
        }
    }

    /// <summary>
    /// The duration at or below which a fraction <paramref name="quantile"/> (in [0, 1]) of recordings fall: the highest
    /// value of the bucket holding that rank, capped at <see cref="Max"/>. Zero when nothing was recorded.
    /// </summary>
    public TimeSpan Percentile(double quantile)
    {
        if (!(quantile >= 0 && quantile <= 1)) throw new ArgumentException($"LatencyHistogram.Percentile: quantile must be in [0, 1], got {quantile}.", nameof(quantile));
        long n = Count;
        if (n == 0) return TimeSpan.Zero;
        long rank = Math.Max(1, (long)Math.Ceiling(quantile * n));
        long seen = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            seen += Interlocked.Read(ref counts[i]);
            // The last bucket also holds everything beyond the range: the max is its best bound.
            if (seen >= rank) return i == BucketCount - 1 ? Max : TimeSpan.FromTicks(Math.Min(HighestIn(i), Interlocked.Read(ref maxTicks)));
        }
        return Max;
    }

    /// <summary>Forgets every recording.</summary>
    public void Reset()
    {
        for (int i = 0; i < counts.Length; i++) Interlocked.Exchange(ref counts[i], 0);
        Interlocked.Exchange(ref total, 0);
        Interlocked.Exchange(ref maxTicks, 0);
    }

    // A value v >= 32 ticks with leading bit msb lands in sub-bucket (v >> (msb - 5)) - 32 of its power.
    private static int Bucket(long ticks)
    {
        if (ticks < SubCount) return (int)ticks;
        int msb = 63 - BitOperations.LeadingZeroCount((ulong)ticks);
        if (msb > MaxPower) return BucketCount - 1;
        int shift = msb - SubBits;
        return SubCount + shift * SubCount + (int)((ticks >> shift) - SubCount);
    }

    private static long HighestIn(int bucket)
    {
        if (bucket < SubCount) return bucket;
        int shift = (bucket - SubCount) / SubCount, sub = (bucket - SubCount) % SubCount;
        return ((long)(SubCount + sub + 1) << shift) - 1;
    }
}
