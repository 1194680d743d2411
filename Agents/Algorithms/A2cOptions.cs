namespace RlPlat.Agents.Algorithms;

/// <summary>A2C's settings with Stable-Baselines3's names and defaults (<c>stable_baselines3/a2c/a2c.py</c>).</summary>
public sealed record A2cOptions
{
    /// <summary>Step size; <c>lin_x</c> anneals it.</summary>
    public Schedule LearningRate { get; init; } = Schedule.Constant(7e-4);

    /// <summary>Steps per env in each rollout (one update per rollout).</summary>
    public int NSteps { get; init; } = 5;

    /// <summary>Discount factor.</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>GAE lambda (1: plain n-step returns).</summary>
    public double GaeLambda { get; init; } = 1.0;

    /// <summary>Entropy bonus weight.</summary>
    public double EntCoef { get; init; }

    /// <summary>Value loss weight.</summary>
    public double VfCoef { get; init; } = 0.5;

    /// <summary>Gradient norm clip.</summary>
    public double MaxGradNorm { get; init; } = 0.5;

    /// <summary>RMSprop (SB3's default) instead of Adam.</summary>
    public bool UseRmsProp { get; init; } = true;

    /// <summary>RMSprop epsilon.</summary>
    public double RmsPropEps { get; init; } = 1e-5;

    /// <summary>Normalize advantages over the rollout.</summary>
    public bool NormalizeAdvantage { get; init; }

    /// <summary>Network shape and options.</summary>
    public NetworkOptions Network { get; init; } = new();

    /// <summary>Observation/reward normalization.</summary>
    public NormalizationOptions Normalize { get; init; } = new();

    /// <summary>Reads the options from rl-zoo-style keys; unknown keys are an error.</summary>
    public static A2cOptions From(IReadOnlyDictionary<string, object?>? values)
    {
        var h = new Hyperparameters("a2c", values);
        var d = new A2cOptions();
        var o = new A2cOptions
        {
            LearningRate = h.Schedule("learning_rate", d.LearningRate),
            NSteps = h.Int("n_steps", d.NSteps),
            Gamma = h.Double("gamma", d.Gamma),
            GaeLambda = h.Double("gae_lambda", d.GaeLambda),
            EntCoef = h.Double("ent_coef", d.EntCoef),
            VfCoef = h.Double("vf_coef", d.VfCoef),
            MaxGradNorm = h.Double("max_grad_norm", d.MaxGradNorm),
            UseRmsProp = h.Bool("use_rms_prop", d.UseRmsProp),
            RmsPropEps = h.Double("rms_prop_eps", d.RmsPropEps),
            NormalizeAdvantage = h.Bool("normalize_advantage", d.NormalizeAdvantage),
            Network = NetworkOptions.From(h, d.Network),
            Normalize = NormalizationOptions.From(h),
        };
        h.EnsureAllUsed();
        if (o.NSteps < 1) throw new ArgumentException($"a2c: n_steps {o.NSteps} must be >= 1.");
        return o;
    }
}
