using System.Diagnostics;

namespace RlPlat.Engine.Benchmarks;

/// <summary>
/// Timing discipline shared by every row (the peer script uses the same): warm up, then the fastest of repeated batches.
/// The fastest, not the median, because the machines here are shared: the least-disturbed batch is the one that says
/// what the code can do, and it is what both sides are judged on.
/// </summary>
public static class Timing
{
    /// <summary>
    /// Seconds per call of <paramref name="action"/>: warm up for ~<paramref name="warmupSeconds"/>, size a batch to last
    /// ~<paramref name="batchSeconds"/>, and return the best per-call time over <paramref name="batches"/> batches.
    /// </summary>
    public static double SecondsPerCall(Action action, double warmupSeconds = 0.3, double batchSeconds = 0.05, int batches = 15)
    {
        var sw = Stopwatch.StartNew();
        long calls = 0;
        do { action(); calls++; } while (sw.Elapsed.TotalSeconds < warmupSeconds);
        double perCall = sw.Elapsed.TotalSeconds / calls;
        long batch = Math.Max(1, (long)(batchSeconds / perCall));
        double best = double.MaxValue;
        for (int r = 0; r < batches; r++)
        {
            long start = Stopwatch.GetTimestamp();
            for (long i = 0; i < batch; i++) action();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds / batch);
        }

        return best;
    }
}
