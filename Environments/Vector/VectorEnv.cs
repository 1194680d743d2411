namespace RlPlat.Environments.Vector;

/// <summary>Gymnasium's autoreset modes for vector envs.</summary>
public enum AutoresetMode
{
    /// <summary>
    /// Gymnasium's default: the step after an episode ends resets that sub-env (its action is ignored), returning the
    /// reset observation with reward 0 and both flags false.
    /// </summary>
    NextStep,
    /// <summary>
    /// The step that ends an episode resets at once: it returns the reset observation, the final reward and flags, and
    /// the terminal observation and info in the sub-env's info under "final_obs" and "final_info".
    /// </summary>
    SameStep,
}

/// <summary>What a vector step returns: buffers owned by the vector env, valid until its next step or reset.</summary>
/// <param name="Observations">NumEnvs rows of the single observation, row-major (row i is sub-env i).</param>
/// <param name="Rewards">One reward per sub-env.</param>
/// <param name="Terminated">One termination flag per sub-env.</param>
/// <param name="Truncated">One truncation flag per sub-env.</param>
/// <param name="Infos">One info per sub-env (<see cref="Info.Empty"/> when it has nothing to report).</param>
public readonly record struct VectorStepResult<T>(T[] Observations, double[] Rewards, bool[] Terminated, bool[] Truncated, Info[] Infos);

/// <summary>
/// A batch of sub-envs stepped together, Gymnasium's <c>VectorEnv</c>. Observations are written into one
/// preallocated batch buffer (sub-env i's observation is copied out of the env-owned buffer into row i), so a step
/// allocates nothing except when an episode ends in <see cref="AutoresetMode.SameStep"/> mode (the final observation is copied).
/// </summary>
public abstract class VectorEnv<T, TAction> : IDisposable where T : unmanaged
{
    private readonly IEnv<T[], TAction>[] envs;
    private readonly T[] observations;
    private readonly double[] rewards;
    private readonly bool[] terminated, truncated, autoresetPending;
    private readonly Info[] infos;
    private readonly int obsSize;
    private TAction[]? pendingActions;
    private int? pendingSeed;
    private IReadOnlyDictionary<string, object?>? pendingOptions;
    private bool hasReset, closed;

    /// <summary>Builds the sub-envs with <paramref name="envFactories"/> (all must share observation and action spaces' shapes).</summary>
    protected VectorEnv(IReadOnlyList<Func<IEnv<T[], TAction>>> envFactories, AutoresetMode autoresetMode)
    {
        if (envFactories.Count == 0) throw new ArgumentException("VectorEnv: no env factories given.", nameof(envFactories));
        envs = new IEnv<T[], TAction>[envFactories.Count];
        for (int i = 0; i < envs.Length; i++) envs[i] = envFactories[i]() ?? throw new ArgumentException($"VectorEnv: factory {i} returned null.");
        SingleObservationSpace = envs[0].ObservationSpace;
        SingleActionSpace = envs[0].ActionSpace;
        var obsBox = SingleObservationSpace as Box ?? throw new ArgumentException($"VectorEnv: sub-env observations must be a Box, got {SingleObservationSpace}.");
        obsSize = obsBox.Size;
        for (int i = 1; i < envs.Length; i++)
            if (envs[i].ObservationSpace is not Box b || b.Size != obsSize || b.DType != obsBox.DType)
                throw new ArgumentException($"VectorEnv: sub-env {i} observation space {envs[i].ObservationSpace} differs from sub-env 0's {obsBox}.");
        AutoresetMode = autoresetMode;
        observations = new T[envs.Length * obsSize];
        rewards = new double[envs.Length];
        terminated = new bool[envs.Length];
        truncated = new bool[envs.Length];
        autoresetPending = new bool[envs.Length];
        infos = new Info[envs.Length];
        Array.Fill(infos, Info.Empty);
        ObservationSpace = BatchSpace(obsBox, envs.Length);
    }

    /// <summary>The number of sub-envs.</summary>
    public int NumEnvs => envs.Length;

    /// <summary>The sub-envs (for inspection; stepping them directly breaks the batch's bookkeeping).</summary>
    public IReadOnlyList<IEnv<T[], TAction>> Envs => envs;

    /// <summary>The autoreset mode.</summary>
    public AutoresetMode AutoresetMode { get; }

    /// <summary>One sub-env's observation space.</summary>
    public Space SingleObservationSpace { get; }

    /// <summary>One sub-env's action space.</summary>
    public Space SingleActionSpace { get; }

    /// <summary>The batched observation space: a Box of shape [NumEnvs, ...single shape].</summary>
    public Box ObservationSpace { get; }

    /// <summary>The number of values in one sub-env's observation (the row length of the batch buffer).</summary>
    public int ObservationSize => obsSize;

    /// <summary>Resets every sub-env; with a seed, sub-env i is reset with seed + i.</summary>
    public (T[] Observations, Info[] Infos) Reset(int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
    {
        ObjectDisposedException.ThrowIf(closed, this);
        pendingSeed = seed;
        pendingOptions = options;
        Run(resetting: true);
        hasReset = true;
        return (observations, infos);
    }

    /// <summary>Steps every sub-env with its action (<paramref name="actions"/>[i] goes to sub-env i).</summary>
    public VectorStepResult<T> Step(TAction[] actions)
    {
        ObjectDisposedException.ThrowIf(closed, this);
        if (!hasReset) throw new InvalidOperationException("VectorEnv: call Reset before Step.");
        if (actions.Length != envs.Length) throw new ArgumentException($"VectorEnv.Step: {actions.Length} actions for {envs.Length} envs.", nameof(actions));
        pendingActions = actions;
        Run(resetting: false);
        pendingActions = null;
        return new VectorStepResult<T>(observations, rewards, terminated, truncated, infos);
    }

    /// <summary>Runs <see cref="ResetOne"/> or <see cref="StepOne"/> for every sub-env (in order, or in parallel).</summary>
    protected abstract void Run(bool resetting);

    /// <summary>Resets sub-env <paramref name="i"/> as part of a batch reset.</summary>
    protected void ResetOne(int i)
    {
        var (obs, info) = envs[i].Reset(pendingSeed.HasValue ? pendingSeed.Value + i : null, pendingOptions);
        CopyObservation(i, obs);
        infos[i] = info;
        rewards[i] = 0;
        terminated[i] = truncated[i] = autoresetPending[i] = false;
    }

    /// <summary>Steps sub-env <paramref name="i"/>, applying the autoreset rule.</summary>
    protected void StepOne(int i)
    {
        var env = envs[i];
        if (AutoresetMode == AutoresetMode.NextStep && autoresetPending[i])
        {
            var (obs, info) = env.Reset();
            CopyObservation(i, obs);
            infos[i] = info;
            rewards[i] = 0;
            terminated[i] = truncated[i] = false;
        }
        else
        {
            var r = env.Step(pendingActions![i]);
            rewards[i] = r.Reward;
            terminated[i] = r.Terminated;
            truncated[i] = r.Truncated;
            if (AutoresetMode == AutoresetMode.SameStep && r.Done)
            {
                var finalObs = (T[])r.Observation.Clone();
                var (obs, resetInfo) = env.Reset();
                Info info = ReferenceEquals(resetInfo, Info.Empty) ? new Info() : resetInfo;
                info["final_obs"] = finalObs;
                info["final_info"] = r.Info;
                CopyObservation(i, obs);
                infos[i] = info;
            }
            else
            {
                CopyObservation(i, r.Observation);
                infos[i] = r.Info;
            }
        }
        autoresetPending[i] = terminated[i] || truncated[i];
    }

    private void CopyObservation(int i, T[] obs)
    {
        if (obs.Length != obsSize) throw new InvalidOperationException($"VectorEnv: sub-env {i} returned {obs.Length} observation values, expected {obsSize}.");
        obs.AsSpan().CopyTo(observations.AsSpan(i * obsSize, obsSize));
    }

    /// <summary>Gymnasium's <c>batch_space</c> for a Box: bounds tiled into shape [n, ...shape].</summary>
    public static Box BatchSpace(Box single, int n)
    {
        var low = new double[n * single.Size];
        var high = new double[n * single.Size];
        for (int i = 0; i < n; i++)
        {
            Array.Copy(single.Low, 0, low, i * single.Size, single.Size);
            Array.Copy(single.High, 0, high, i * single.Size, single.Size);
        }
        return new Box(low, high, [n, .. single.Shape], single.DType);
    }

    /// <summary>Closes every sub-env.</summary>
    public virtual void Close()
    {
        if (closed) return;
        closed = true;
        foreach (var e in envs) e.Close();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Close();
        GC.SuppressFinalize(this);
    }
}

/// <summary>Gymnasium's <c>SyncVectorEnv</c>: sub-envs stepped one after another on the calling thread.</summary>
public sealed class SyncVectorEnv<T, TAction> : VectorEnv<T, TAction> where T : unmanaged
{
    /// <summary>Builds one sub-env per factory.</summary>
    public SyncVectorEnv(IReadOnlyList<Func<IEnv<T[], TAction>>> envFactories, AutoresetMode autoresetMode = AutoresetMode.NextStep)
        : base(envFactories, autoresetMode) { }

    /// <inheritdoc />
    protected override void Run(bool resetting)
    {
        for (int i = 0; i < NumEnvs; i++)
        {
            if (resetting) ResetOne(i);
            else StepOne(i);
        }
    }
}

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
    private bool resettingPhase, stopping;

    /// <summary>Builds one sub-env per factory and <paramref name="threads"/> groups (default: min(envs, processors)).</summary>
    public ThreadedVectorEnv(IReadOnlyList<Func<IEnv<T[], TAction>>> envFactories, AutoresetMode autoresetMode = AutoresetMode.NextStep, int? threads = null)
        : base(envFactories, autoresetMode)
    {
        int groups = Math.Clamp(threads ?? Math.Min(NumEnvs, Environment.ProcessorCount), 1, NumEnvs);
        groupStart = new int[groups + 1];
        for (int g = 0; g <= groups; g++) groupStart[g] = (int)((long)NumEnvs * g / groups);
        errors = new Exception?[groups];
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

/// <summary>How <c>Gym.MakeVec</c> runs its sub-envs.</summary>
public enum VectorizationMode
{
    /// <summary>One after another on the calling thread (<see cref="SyncVectorEnv{T, TAction}"/>).</summary>
    Sync,
    /// <summary>In parallel on worker threads (<see cref="ThreadedVectorEnv{T, TAction}"/>).</summary>
    Threaded,
}
