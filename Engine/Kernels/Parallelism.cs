namespace RlPlat.Engine.Kernels;

/// <summary>
/// When kernels split work across threads: only above <see cref="MinElementsPerTask"/> add-equivalents of work per task
/// (RL tensors are small, and even a cheap hand-off costs a microsecond), on at most <see cref="MaxThreads"/> threads
/// (<c>RLPLAT_NUM_THREADS</c>, default: the processor count). The threads are a persistent team (<see cref="ForkJoin"/>).
/// </summary>
public static class Parallelism
{
    private static int maxThreads = ReadThreadCount();

    /// <summary>
    /// The least work, in elements of an add, worth giving one task of its own (128K: on 2 cores a 2-way split of an
    /// in-place add gains from 256K elements on, of exp from 64K; measured with the fork-join team).
    /// </summary>
    public static int MinElementsPerTask { get; set; } = 128 * 1024;

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

    /// <summary>
    /// How many tasks to split <paramref name="elements"/> of a kernel whose cost per element was not measured (fused
    /// kernels, full sums) into: one per <see cref="UnmeasuredElementsPerTask"/> × <see cref="MinElementsPerTask"/>
    /// elements (1M by default, the threshold from before the cost model), 1 = run inline.
    /// </summary>
    /// <remarks>
    /// Kept conservative on evidence: a fused 8-op chain over 1M elements ran 1.6-3x slower split 2 ways than inline
    /// (0.93-1.07 ms inline, quiet machine), unexplained so far, while the measured elementwise ops gain from the split.
    /// </remarks>
    public static int TaskCount(long elements) => TaskCount(elements / UnmeasuredElementsPerTask, ElementCost.Streaming);

    /// <summary>How many times <see cref="MinElementsPerTask"/> a kernel of unmeasured cost needs per task (see <see cref="TaskCount(long)"/>).</summary>
    public const int UnmeasuredElementsPerTask = 8;

    /// <summary>
    /// How many tasks to split <paramref name="elements"/> into when each costs <paramref name="costPerElement"/> times an
    /// add (<see cref="ElementCost"/>): one per <see cref="MinElementsPerTask"/> add-equivalents, 1 = run inline.
    /// </summary>
    public static int TaskCount(long elements, int costPerElement)
    {
        long work = elements * Math.Max(1, costPerElement);
        if (maxThreads <= 1 || work < 2L * MinElementsPerTask) return 1;
        return (int)Math.Min(maxThreads, work / MinElementsPerTask);
    }

    /// <summary>
    /// Calls <paramref name="body"/>(start, length) over [0, <paramref name="count"/>) in <paramref name="tasks"/> nearly equal,
    /// 16-aligned contiguous chunks, one per thread (the calling thread is one). The threads claim chunks from a shared
    /// counter, so a thread that starts late leaves its chunk to the caller instead of holding up the call.
    /// </summary>
    /// <remarks>
    /// One contiguous chunk per thread, as OpenMP's static schedule: cutting a 1M-element in-place add into 8 pieces
    /// claimed in turn made it 25% slower on 2 threads (72-79 µs against 56-60 µs for two halves, quiet machine).
    /// </remarks>
    public static void For(int count, int tasks, Action<int, int> body)
    {
        if (tasks <= 1) { body(0, count); return; }
        if (count <= 0) return;
        int chunk = ((count + tasks - 1) / tasks + 15) & ~15;
        int pieces = (count + chunk - 1) / chunk;
        Run(pieces, tasks, p =>
        {
            int start = p * chunk;
            body(start, Math.Min(chunk, count - start));
        });
    }

    /// <summary>Runs <paramref name="body"/>(t) for t in [0, <paramref name="tasks"/>), on that many threads (the calling thread is one).</summary>
    public static void ForEachTask(int tasks, Action<int> body)
    {
        if (tasks <= 1) { body(0); return; }
        Run(tasks, tasks, body);
    }

    private static void Run(int pieces, int tasks, Action<int> body)
    {
        // The persistent team is busy only when this call comes from inside another parallel kernel or from a second
        // thread at the same moment; those go to the thread pool as before.
        if (!ForkJoin.TryRun(pieces, tasks - 1, body))
            Parallel.For(0, pieces, new ParallelOptions { MaxDegreeOfParallelism = tasks }, body);
    }
}
