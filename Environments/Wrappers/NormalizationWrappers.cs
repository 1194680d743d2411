namespace RlPlat.Environments.Wrappers;

/// <summary>
/// Gymnasium's <c>NormalizeObservation</c>: each observation (reset and step) updates running statistics, then is
/// returned as float32 (obs - mean) / sqrt(var + epsilon). Freeze the statistics with <see cref="UpdateRunningMean"/>
/// and carry them in a checkpoint with <see cref="Statistics"/>.
/// </summary>
public sealed class NormalizeObservation<TAction> : Wrapper<float[], TAction>
{
    private readonly RunningMeanStd rms;
    private readonly float[] normalized;
    private readonly Box observationSpace;

    /// <summary>Normalizes <paramref name="env"/>'s float32 Box observations.</summary>
    public NormalizeObservation(IEnv<float[], TAction> env, double epsilon = 1e-8) : base(env)
    {
        if (env.ObservationSpace is not Box { DType: BoxDType.Float32 } box)
            throw new ArgumentException($"NormalizeObservation: needs a float32 Box observation space, got {env.ObservationSpace}.");
        rms = new RunningMeanStd(box.Size);
        normalized = new float[box.Size];
        observationSpace = new Box(double.NegativeInfinity, double.PositiveInfinity, box.Shape);
        Epsilon = epsilon;
    }

    /// <summary>Added to the variance before the square root.</summary>
    public double Epsilon { get; }

    /// <summary>Whether observations update the statistics (turn off for evaluation).</summary>
    public bool UpdateRunningMean { get; set; } = true;

    /// <summary>The running statistics, as plain arrays (get to save, set to restore).</summary>
    public RunningMeanStdState Statistics
    {
        get => rms.GetState();
        set => rms.SetState(value);
    }

    /// <inheritdoc />
    public override Space ObservationSpace => observationSpace;

    /// <inheritdoc />
    public override (float[] Observation, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
    {
        var (obs, info) = Env.Reset(seed, options);
        return (Normalize(obs), info);
    }

    /// <inheritdoc />
    public override StepResult<float[]> Step(TAction action)
    {
        var r = Env.Step(action);
        return r with { Observation = Normalize(r.Observation) };
    }

    private float[] Normalize(float[] obs)
    {
        if (UpdateRunningMean) rms.Update(obs);
        double[] mean = rms.Mean, var = rms.Var;
        for (int i = 0; i < obs.Length; i++) normalized[i] = (float)((obs[i] - mean[i]) / Math.Sqrt(var[i] + Epsilon));
        return normalized;
    }
}

/// <summary>
/// Gymnasium's <c>NormalizeReward</c>: keeps a discounted return G = G * gamma * (1 - terminated) + r, feeds it to
/// running statistics, and returns r / sqrt(var(G) + epsilon) (no mean subtraction, as Gymnasium).
/// </summary>
public sealed class NormalizeReward<TObs, TAction> : Wrapper<TObs, TAction>
{
    private readonly RunningMeanStd rms = new(1);
    private double discountedReward;

    /// <summary>Normalizes <paramref name="env"/>'s rewards with discount <paramref name="gamma"/>.</summary>
    public NormalizeReward(IEnv<TObs, TAction> env, double gamma = 0.99, double epsilon = 1e-8) : base(env)
    {
        if (gamma is < 0 or > 1) throw new ArgumentException($"NormalizeReward: gamma must be in [0, 1], got {gamma}.", nameof(gamma));
        Gamma = gamma;
        Epsilon = epsilon;
    }

    /// <summary>The discount of the running return.</summary>
    public double Gamma { get; }

    /// <summary>Added to the variance before the square root.</summary>
    public double Epsilon { get; }

    /// <summary>Whether rewards update the statistics (turn off for evaluation).</summary>
    public bool UpdateRunningMean { get; set; } = true;

    /// <summary>The return statistics, as plain arrays (get to save, set to restore).</summary>
    public RunningMeanStdState Statistics
    {
        get => rms.GetState();
        set => rms.SetState(value);
    }

    /// <summary>The current discounted return.</summary>
    public double DiscountedReward => discountedReward;

    /// <inheritdoc />
    public override StepResult<TObs> Step(TAction action)
    {
        var r = Env.Step(action);
        discountedReward = discountedReward * Gamma * (r.Terminated ? 0 : 1) + r.Reward;
        if (UpdateRunningMean) rms.Update(discountedReward);
        return r with { Reward = r.Reward / Math.Sqrt(rms.Var[0] + Epsilon) };
    }
}
