namespace RlPlat.Agents.Algorithms;

/// <summary>
/// PPO's settings with Stable-Baselines3's names and defaults (<c>stable_baselines3/ppo/ppo.py</c>);
/// <see cref="RlZooDefaults"/> holds rl-zoo's tuned values per env.
/// </summary>
public sealed record PpoOptions
{
    /// <summary>Adam step size; <c>lin_x</c> anneals it to 0.</summary>
    public Schedule LearningRate { get; init; } = Schedule.Constant(3e-4);

    /// <summary>Steps per env in each rollout.</summary>
    public int NSteps { get; init; } = 2048;

    /// <summary>Minibatch size.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Passes over each rollout.</summary>
    public int NEpochs { get; init; } = 10;

    /// <summary>Discount factor.</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>GAE lambda.</summary>
    public double GaeLambda { get; init; } = 0.95;

    /// <summary>Policy ratio clip; <c>lin_x</c> anneals it.</summary>
    public Schedule ClipRange { get; init; } = Schedule.Constant(0.2);

    /// <summary>Value clip around the old value (null: no value clipping).</summary>
    public double? ClipRangeVf { get; init; }

    /// <summary>Normalize advantages per minibatch.</summary>
    public bool NormalizeAdvantage { get; init; } = true;

    /// <summary>Entropy bonus weight.</summary>
    public double EntCoef { get; init; }

    /// <summary>Value loss weight.</summary>
    public double VfCoef { get; init; } = 0.5;

    /// <summary>Gradient norm clip.</summary>
    public double MaxGradNorm { get; init; } = 0.5;

    /// <summary>Stop the epochs of an update early once the approximate KL exceeds 1.5 x this (null: never).</summary>
    public double? TargetKl { get; init; }

    /// <summary>Network shape and options.</summary>
    public NetworkOptions Network { get; init; } = new();

    /// <summary>Observation/reward normalization (rl-zoo's <c>normalize</c>).</summary>
    public NormalizationOptions Normalize { get; init; } = new();

    /// <summary>Reads the options from rl-zoo-style keys; unknown keys are an error.</summary>
    public static PpoOptions From(IReadOnlyDictionary<string, object?>? values)
    {
        var h = new Hyperparameters("ppo", values);
        var d = new PpoOptions();
        var o = new PpoOptions
        {
            LearningRate = h.Schedule("learning_rate", d.LearningRate),
            NSteps = h.Int("n_steps", d.NSteps),
            BatchSize = h.Int("batch_size", d.BatchSize),
            NEpochs = h.Int("n_epochs", d.NEpochs),
            Gamma = h.Double("gamma", d.Gamma),
            GaeLambda = h.Double("gae_lambda", d.GaeLambda),
            ClipRange = h.Schedule("clip_range", d.ClipRange),
            ClipRangeVf = h.NullableDouble("clip_range_vf", d.ClipRangeVf),
            NormalizeAdvantage = h.Bool("normalize_advantage", d.NormalizeAdvantage),
            EntCoef = h.Double("ent_coef", d.EntCoef),
            VfCoef = h.Double("vf_coef", d.VfCoef),
            MaxGradNorm = h.Double("max_grad_norm", d.MaxGradNorm),
            TargetKl = h.NullableDouble("target_kl", d.TargetKl),
            Network = NetworkOptions.From(h, new NetworkOptions()),
            Normalize = NormalizationOptions.From(h),
        };
        h.EnsureAllUsed();
        return o.Validated();
    }

    private PpoOptions Validated()
    {
        if (NSteps < 1 || BatchSize < 1 || NEpochs < 1)
            throw new ArgumentException($"ppo: n_steps {NSteps}, batch_size {BatchSize} and n_epochs {NEpochs} must be >= 1.");
        if (Gamma is < 0 or > 1 || GaeLambda is < 0 or > 1) throw new ArgumentException($"ppo: gamma {Gamma} and gae_lambda {GaeLambda} must lie in [0, 1].");
        return this;
    }
}
