namespace RlPlat.Environments.Vector;

/// <summary>
/// A multi-threaded vector env (the role of Gymnasium's <c>AsyncVectorEnv</c>, with threads instead of processes):
/// sub-envs are split into contiguous groups, each stepped by a dedicated worker thread (the caller runs group 0);
/// two barrier phases per step start and join the workers, so a step allocates nothing.
/// </summary>
public sealed class ThreadedVectorEnv<T, TAction> : VectorEnv<T, TAction> where T : unmanaged
{
    private readonly Thread[] workers;
    private readonly Barrier barrier;
    private readonly int[] groupStart;
    private readonly Exception?[] errors;
    private readonly long[] allocatedBytes;
    private bool resettingPhase, stopping;

    /// <summary>Builds one sub-env per factory and <paramref name="threads"/> groups (default: min(envs, processors)).</summary>
    public ThreadedVectorEnv(IReadOnlyList<Func<IEnv<T[], TAction>>> envFactories, AutoresetMode autoresetMode = AutoresetMode.NextStep, int? threads = null)
        : base(envFactories, autoresetMode)
    {
        int groups = Math.Clamp(threads ?? Math.Min(NumEnvs, Environment.ProcessorCount), 1, NumEnvs);
        groupStart = new int[groups + 1];
        for (int g = 0; g <= groups; g++) groupStart[g] = (int)((long)NumEnvs * g / groups);
        errors = new Exception?[groups];
        allocatedBytes = new long[groups];
        barrier = new Barrier(groups);
        workers = new Thread[groups - 1];
        for (int w = 0; w < workers.Length; w++)
        {
            int group = w + 1;
            workers[w] = new Thread(() => WorkerLoop(group)) { IsBackground = true, Name = $"VectorEnv worker {group}" };
            workers[w].Start();
        }
    }

    /// <summary>The number of groups (threads, including the caller's).</summary>
    public int Threads => groupStart.Length - 1;

    /// <summary>Bytes allocated on the worker threads (caller's group excluded) while they stepped or reset sub-envs.</summary>
    public long WorkerAllocatedBytes
    {
        get
        {
            long sum = 0;
            for (int g = 1; g < allocatedBytes.Length; g++) sum += Volatile.Read(ref allocatedBytes[g]);
            return sum;
        }
    }

    /// <inheritdoc />
    protected override void Run(bool resetting)
    {
        resettingPhase = resetting;
        barrier.SignalAndWait(); // start
        RunGroup(0);
        barrier.SignalAndWait(); // join
        for (int g = 0; g < errors.Length; g++)
        {
            if (errors[g] is { } e)
            {
                Array.Clear(errors);
                throw new InvalidOperationException($"ThreadedVectorEnv: a sub-env in group {g} failed: {e.Message}", e);
            }
        }
    }

    private void WorkerLoop(int group)
    {
        while (true)
        {
            barrier.SignalAndWait();
            if (stopping) return;
            RunGroup(group);
            barrier.SignalAndWait();
        }
    }

    private void RunGroup(int group)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            for (int i = groupStart[group]; i < groupStart[group + 1]; i++)
            {
                if (resettingPhase) ResetOne(i);
                else StepOne(i);
            }
        }
        catch (Exception e)
        {
            errors[group] = e;
        }
        allocatedBytes[group] += GC.GetAllocatedBytesForCurrentThread() - before;
    }

    /// <inheritdoc />
    public override void Close()
    {
        if (!stopping)
        {
            stopping = true;
            if (workers.Length > 0) barrier.SignalAndWait();
            foreach (var w in workers) w.Join();
            barrier.Dispose();
        }
        base.Close();
    }
}
