namespace RlPlat.Agents.Algorithms;

/// <summary>SAC's settings with Stable-Baselines3's names and defaults (<c>stable_baselines3/sac/sac.py</c>).</summary>
public sealed record SacOptions
{
    /// <summary>Adam step size for actor, critics and the entropy coefficient.</summary>
    public Schedule LearningRate { get; init; } = Schedule.Constant(3e-4);

    /// <summary>Replay capacity.</summary>
    public int BufferSize { get; init; } = 1_000_000;

    /// <summary>Env steps of uniform random actions before learning.</summary>
    public int LearningStarts { get; init; } = 100;

    /// <summary>Minibatch size.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Polyak coefficient of the target critics.</summary>
    public double Tau { get; init; } = 0.005;

    /// <summary>Discount factor.</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>Batch steps between updates.</summary>
    public int TrainFreq { get; init; } = 1;

    /// <summary>Gradient steps per update (-1: one per batch step collected).</summary>
    public int GradientSteps { get; init; } = 1;

    /// <summary>Entropy coefficient: a number (fixed), "auto" (learned, starting at 1) or "auto_x" (learned, starting at x).</summary>
    public string EntCoef { get; init; } = "auto";

    /// <summary>Target entropy for the automatic coefficient (null: -action dims).</summary>
    public double? TargetEntropy { get; init; }

    /// <summary>Gradient steps between target updates.</summary>
    public int TargetUpdateInterval { get; init; } = 1;

    /// <summary>Network shape (defaults: [256, 256] relu, not orthogonal).</summary>
    public NetworkOptions Network { get; init; } = new() { NetArch = [256, 256], Activation = "relu", OrthoInit = false };

    /// <summary>Reads the options from rl-zoo-style keys; unknown keys are an error.</summary>
    public static SacOptions From(IReadOnlyDictionary<string, object?>? values)
    {
        var h = new Hyperparameters("sac", values);
        var d = new SacOptions();
        var o = new SacOptions
        {
            LearningRate = h.Schedule("learning_rate", d.LearningRate),
            BufferSize = h.Int("buffer_size", d.BufferSize),
            LearningStarts = h.Int("learning_starts", d.LearningStarts),
            BatchSize = h.Int("batch_size", d.BatchSize),
            Tau = h.Double("tau", d.Tau),
            Gamma = h.Double("gamma", d.Gamma),
            TrainFreq = h.Int("train_freq", d.TrainFreq),
            GradientSteps = h.Int("gradient_steps", d.GradientSteps),
            EntCoef = h.Text("ent_coef", d.EntCoef),
            TargetEntropy = h.Text("target_entropy", "auto") is var t && t == "auto" ? null : Schedule.Parse(t, "sac.target_entropy").Initial,
            TargetUpdateInterval = h.Int("target_update_interval", d.TargetUpdateInterval),
            Network = NetworkOptions.From(h, d.Network),
        };
        h.EnsureAllUsed();
        o.InitialEntCoef();
        if (o.BufferSize < 1 || o.BatchSize < 1 || o.TrainFreq < 1 || (o.GradientSteps < 1 && o.GradientSteps != -1))
            throw new ArgumentException($"sac: buffer_size {o.BufferSize}, batch_size {o.BatchSize}, train_freq {o.TrainFreq} must be >= 1 and gradient_steps {o.GradientSteps} >= 1 or -1.");
        return o;
    }

    /// <summary>True when the entropy coefficient is learned.</summary>
    public bool AutoEntCoef => EntCoef.StartsWith("auto", StringComparison.Ordinal);

    /// <summary>The starting entropy coefficient ("auto": 1, "auto_x": x, a number: itself).</summary>
    public double InitialEntCoef()
    {
        string text = AutoEntCoef ? (EntCoef.Length > 5 ? EntCoef[5..] : "1") : EntCoef;
        if (!double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v) || !(v > 0))
            throw new ArgumentException($"sac.ent_coef: '{EntCoef}' is not a positive number, 'auto' or 'auto_<positive number>'.");
        return v;
    }
}
