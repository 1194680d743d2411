namespace RlPlat.Environments.Vector;

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
    private bool[]? pendingMask;
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
        ActionSpace = BatchSpace(SingleActionSpace, envs.Length);
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

    /// <summary>The batched action space (Gymnasium's <c>batch_space</c>): Discrete(n) becomes MultiDiscrete, a Box gains a leading dimension.</summary>
    public Space ActionSpace { get; }

    /// <summary>The number of values in one sub-env's observation (the row length of the batch buffer).</summary>
    public int ObservationSize => obsSize;

    /// <summary>
    /// Resets every sub-env (or, with <paramref name="resetMask"/>, those whose entry is true; the others keep their
    /// observation and get an empty info); with a seed, sub-env i is reset with seed + i.
    /// </summary>
    public (T[] Observations, Info[] Infos) Reset(int? seed = null, IReadOnlyDictionary<string, object?>? options = null, bool[]? resetMask = null)
    {
        ObjectDisposedException.ThrowIf(closed, this);
        if (resetMask != null && resetMask.Length != envs.Length)
            throw new ArgumentException($"VectorEnv.Reset: reset mask has {resetMask.Length} entries for {envs.Length} envs.", nameof(resetMask));
        if (resetMask != null && !hasReset) throw new InvalidOperationException("VectorEnv: the first Reset must reset every sub-env (no mask).");
        pendingSeed = seed;
        pendingOptions = options;
        pendingMask = resetMask;
        Run(resetting: true);
        pendingMask = null;
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
        if (pendingMask != null && !pendingMask[i])
        {
            infos[i] = Info.Empty;
            return;
        }
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

    /// <summary>
    /// Gymnasium's <c>batch_space</c>: a Box gets shape [n, ...shape], Discrete(k, start) becomes MultiDiscrete of n
    /// copies, MultiDiscrete flattens into one longer MultiDiscrete, anything else becomes a TupleSpace of n copies.
    /// </summary>
    public static Space BatchSpace(Space single, int n)
    {
        switch (single)
        {
            case Box box:
                return BatchSpace(box, n);
            case Discrete d:
            {
                var nvec = new int[n];
                var start = new int[n];
                Array.Fill(nvec, d.N);
                Array.Fill(start, d.Start);
                return new MultiDiscrete(nvec, start);
            }
            case MultiDiscrete m:
            {
                var nvec = new int[n * m.Nvec.Length];
                var start = new int[nvec.Length];
                for (int i = 0; i < n; i++)
                {
                    m.Nvec.CopyTo(nvec, i * m.Nvec.Length);
                    m.Start.CopyTo(start, i * m.Nvec.Length);
                }
                return new MultiDiscrete(nvec, start);
            }
            default:
                var copies = new Space[n];
                Array.Fill(copies, single);
                return new TupleSpace(copies);
        }
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
