namespace RlPlat.Agents.Algorithms;

/// <summary>TD3's settings with Stable-Baselines3's names and defaults (<c>stable_baselines3/td3/td3.py</c>).</summary>
public sealed record Td3Options
{
    /// <summary>Adam step size for actor and critics.</summary>
    public Schedule LearningRate { get; init; } = Schedule.Constant(1e-3);

    /// <summary>Replay capacity.</summary>
    public int BufferSize { get; init; } = 1_000_000;

    /// <summary>Env steps of uniform random actions before learning.</summary>
    public int LearningStarts { get; init; } = 100;

    /// <summary>Minibatch size.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Polyak coefficient of the target networks.</summary>
    public double Tau { get; init; } = 0.005;

    /// <summary>Discount factor.</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>Batch steps between updates.</summary>
    public int TrainFreq { get; init; } = 1;

    /// <summary>Gradient steps per update (-1: one per batch step collected).</summary>
    public int GradientSteps { get; init; } = 1;

    /// <summary>Critic updates per actor (and target) update.</summary>
    public int PolicyDelay { get; init; } = 2;

    /// <summary>Std of the smoothing noise added to target actions (in [-1, 1] action units).</summary>
    public double TargetPolicyNoise { get; init; } = 0.2;

    /// <summary>Clip of the target smoothing noise.</summary>
    public double TargetNoiseClip { get; init; } = 0.5;

    /// <summary>Std of the Gaussian exploration noise (rl-zoo's <c>noise_type: normal</c>, <c>noise_std</c>), in [-1, 1] action units; 0: none.</summary>
    public double ActionNoiseStd { get; init; }

    /// <summary>Network shape (defaults: [400, 300] relu, not orthogonal).</summary>
    public NetworkOptions Network { get; init; } = new() { NetArch = [400, 300], Activation = "relu", OrthoInit = false };

    /// <summary>Reads the options from rl-zoo-style keys; unknown keys are an error.</summary>
    public static Td3Options From(IReadOnlyDictionary<string, object?>? values)
    {
        var h = new Hyperparameters("td3", values);
        var d = new Td3Options();
        var o = new Td3Options
        {
            LearningRate = h.Schedule("learning_rate", d.LearningRate),
            BufferSize = h.Int("buffer_size", d.BufferSize),
            LearningStarts = h.Int("learning_starts", d.LearningStarts),
            BatchSize = h.Int("batch_size", d.BatchSize),
            Tau = h.Double("tau", d.Tau),
            Gamma = h.Double("gamma", d.Gamma),
            TrainFreq = h.Int("train_freq", d.TrainFreq),
            GradientSteps = h.Int("gradient_steps", d.GradientSteps),
            PolicyDelay = h.Int("policy_delay", d.PolicyDelay),
            TargetPolicyNoise = h.Double("target_policy_noise", d.TargetPolicyNoise),
            TargetNoiseClip = h.Double("target_noise_clip", d.TargetNoiseClip),
            ActionNoiseStd = h.Double("action_noise_std", d.ActionNoiseStd),
            Network = NetworkOptions.From(h, d.Network),
        };
        h.EnsureAllUsed();
        if (o.BufferSize < 1 || o.BatchSize < 1 || o.TrainFreq < 1 || o.PolicyDelay < 1 || (o.GradientSteps < 1 && o.GradientSteps != -1))
            throw new ArgumentException($"td3: buffer_size {o.BufferSize}, batch_size {o.BatchSize}, train_freq {o.TrainFreq}, policy_delay {o.PolicyDelay} must be >= 1 and gradient_steps {o.GradientSteps} >= 1 or -1.");
        return o;
    }
}
