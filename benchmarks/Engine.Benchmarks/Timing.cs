using System.Diagnostics;

namespace RlPlat.Engine.Benchmarks;

/// <summary>Timing discipline shared by every row (the peer script uses the same): warm up, then the median of repeated batches.</summary>
public static class Timing
{
    /// <summary>
    /// Seconds per call of <paramref name="action"/>: warm up for ~<paramref name="warmupSeconds"/>, size a batch to last
    /// ~<paramref name="batchSeconds"/>, and return the median per-call time over <paramref name="batches"/> batches.
    /// </summary>
    public static double SecondsPerCall(Action action, double warmupSeconds = 0.3, double batchSeconds = 0.1, int batches = 9)
    {
        var sw = Stopwatch.StartNew();
        long calls = 0;
        do { action(); calls++; } while (sw.Elapsed.TotalSeconds < warmupSeconds);
        double perCall = sw.Elapsed.TotalSeconds / calls;
        long batch = Math.Max(1, (long)(batchSeconds / perCall));
        var samples = new double[batches];
        for (int r = 0; r < batches; r++)
        {
            long start = Stopwatch.GetTimestamp();
            for (long i = 0; i < batch; i++) action();
            samples[r] = Stopwatch.GetElapsedTime(start).TotalSeconds / batch;
        }

        Array.Sort(samples);
        return samples[batches / 2];
    }
}
