namespace RlPlat.Agents.Algorithms;

/// <summary>
/// DQN's settings with Stable-Baselines3's names and defaults (<c>stable_baselines3/dqn/dqn.py</c>), plus the Rainbow
/// options the issue asks for: Double DQN, dueling head, prioritized replay and n-step returns (all off by default).
/// </summary>
public sealed record DqnOptions
{
    /// <summary>Adam step size.</summary>
    public Schedule LearningRate { get; init; } = Schedule.Constant(1e-4);

    /// <summary>Replay capacity.</summary>
    public int BufferSize { get; init; } = 1_000_000;

    /// <summary>Env steps before learning starts.</summary>
    public int LearningStarts { get; init; } = 100;

    /// <summary>Minibatch size.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Soft update coefficient (1: hard copy).</summary>
    public double Tau { get; init; } = 1.0;

    /// <summary>Discount factor.</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>Batch steps (each NumEnvs env steps) between updates.</summary>
    public int TrainFreq { get; init; } = 4;

    /// <summary>Gradient steps per update; -1: as many as env steps since the last update.</summary>
    public int GradientSteps { get; init; } = 1;

    /// <summary>Env steps between target network updates.</summary>
    public int TargetUpdateInterval { get; init; } = 10_000;

    /// <summary>Fraction of training over which epsilon falls.</summary>
    public double ExplorationFraction { get; init; } = 0.1;

    /// <summary>Epsilon at the start.</summary>
    public double ExplorationInitialEps { get; init; } = 1.0;

    /// <summary>Epsilon after the exploration fraction.</summary>
    public double ExplorationFinalEps { get; init; } = 0.05;

    /// <summary>Gradient norm clip.</summary>
    public double MaxGradNorm { get; init; } = 10;

    /// <summary>Double DQN: the online net picks the next action, the target net rates it.</summary>
    public bool DoubleQ { get; init; }

    /// <summary>Prioritized replay (proportional).</summary>
    public bool PrioritizedReplay { get; init; }

    /// <summary>Priority exponent.</summary>
    public double PrioritizedReplayAlpha { get; init; } = 0.6;

    /// <summary>Initial importance-sampling exponent, annealed to 1 over training.</summary>
    public double PrioritizedReplayBeta { get; init; } = 0.4;

    /// <summary>n for n-step returns (1: ordinary one-step targets).</summary>
    public int NStep { get; init; } = 1;

    /// <summary>Network shape (defaults: [64, 64] relu, no dueling).</summary>
    public NetworkOptions Network { get; init; } = new() { Activation = "relu", OrthoInit = false };

    /// <summary>Reads the options from rl-zoo-style keys; unknown keys are an error.</summary>
    public static DqnOptions From(IReadOnlyDictionary<string, object?>? values)
    {
        var h = new Hyperparameters("dqn", values);
        var d = new DqnOptions();
        var o = new DqnOptions
        {
            LearningRate = h.Schedule("learning_rate", d.LearningRate),
            BufferSize = h.Int("buffer_size", d.BufferSize),
            LearningStarts = h.Int("learning_starts", d.LearningStarts),
            BatchSize = h.Int("batch_size", d.BatchSize),
            Tau = h.Double("tau", d.Tau),
            Gamma = h.Double("gamma", d.Gamma),
            TrainFreq = h.Int("train_freq", d.TrainFreq),
            GradientSteps = h.Int("gradient_steps", d.GradientSteps),
            TargetUpdateInterval = h.Int("target_update_interval", d.TargetUpdateInterval),
            ExplorationFraction = h.Double("exploration_fraction", d.ExplorationFraction),
            ExplorationInitialEps = h.Double("exploration_initial_eps", d.ExplorationInitialEps),
            ExplorationFinalEps = h.Double("exploration_final_eps", d.ExplorationFinalEps),
            MaxGradNorm = h.Double("max_grad_norm", d.MaxGradNorm),
            DoubleQ = h.Bool("double_q", d.DoubleQ),
            PrioritizedReplay = h.Bool("prioritized_replay", d.PrioritizedReplay),
            PrioritizedReplayAlpha = h.Double("prioritized_replay_alpha", d.PrioritizedReplayAlpha),
            PrioritizedReplayBeta = h.Double("prioritized_replay_beta0", d.PrioritizedReplayBeta),
            NStep = h.Int("n_step", d.NStep),
            Network = NetworkOptions.From(h, d.Network),
        };
        h.EnsureAllUsed();
        if (o.BufferSize < 1 || o.BatchSize < 1 || o.TrainFreq < 1 || o.TargetUpdateInterval < 1 || o.NStep < 1 || (o.GradientSteps < 1 && o.GradientSteps != -1))
            throw new ArgumentException($"dqn: buffer_size {o.BufferSize}, batch_size {o.BatchSize}, train_freq {o.TrainFreq}, target_update_interval {o.TargetUpdateInterval}, n_step {o.NStep} must be >= 1 and gradient_steps {o.GradientSteps} >= 1 or -1.");
        return o;
    }
}
