namespace RlPlat.Engine.Kernels;

/// <summary>
/// When kernels split work across threads: only above <see cref="MinElementsPerTask"/> elements per task (RL tensors are
/// small, and a thread hand-off costs microseconds), on at most <see cref="MaxThreads"/> threads
/// (<c>RLPLAT_NUM_THREADS</c>, default: the processor count).
/// </summary>
public static class Parallelism
{
    private static int maxThreads = ReadThreadCount();

    /// <summary>The smallest number of elements worth giving one task of its own (1M: measured on 2 cores, splitting a 1M-element add cost ~240 µs more than it saved).</summary>
    public static int MinElementsPerTask { get; set; } = 1 << 20;

    /// <summary>The most threads a kernel uses; 1 turns parallel kernels off. Defaults to <c>RLPLAT_NUM_THREADS</c> or the core count.</summary>
    public static int MaxThreads
    {
        get => maxThreads;
        set
        {
            if (value < 1) throw new ArgumentException($"Parallelism.MaxThreads must be at least 1, got {value}");
            maxThreads = value;
        }
    }

    private static int ReadThreadCount()
    {
        var text = Environment.GetEnvironmentVariable("RLPLAT_NUM_THREADS");
        if (string.IsNullOrWhiteSpace(text)) return Environment.ProcessorCount;
        if (!int.TryParse(text, out int n) || n < 1)
            throw new InvalidOperationException($"RLPLAT_NUM_THREADS must be a positive integer, got '{text}'");
        return n;
    }

    /// <summary>How many tasks to split <paramref name="elements"/> into (1 = run inline).</summary>
    public static int TaskCount(long elements)
    {
        if (maxThreads <= 1 || elements < 2L * MinElementsPerTask) return 1;
        return (int)Math.Min(maxThreads, elements / MinElementsPerTask);
    }

    /// <summary>
    /// Calls <paramref name="body"/>(start, length) over [0, <paramref name="count"/>) in <paramref name="tasks"/> nearly equal,
    /// 16-aligned chunks on the thread pool (the calling thread takes one).
    /// </summary>
    public static void For(int count, int tasks, Action<int, int> body)
    {
        if (tasks <= 1) { body(0, count); return; }
        int chunk = ((count + tasks - 1) / tasks + 15) & ~15;
        ForEachTask(tasks, t =>
        {
            int start = t * chunk;
            int len = Math.Min(chunk, count - start);
            if (len > 0) body(start, len);
        });
    }

    /// <summary>Runs <paramref name="body"/>(t) for t in [0, <paramref name="tasks"/>) on the thread pool.</summary>
    public static void ForEachTask(int tasks, Action<int> body)
    {
        if (tasks <= 1) { body(0); return; }
        Parallel.For(0, tasks, new ParallelOptions { MaxDegreeOfParallelism = tasks }, body);
    }
}
