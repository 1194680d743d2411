namespace RlPlat.Experiments.Config;

/// <summary>
/// The hyperparameters each built-in algorithm accepts, with rl-zoo/Stable-Baselines3 names and defaults.
/// The agents layer reads its defaults from here, so the YAML, the docs and the agents agree.
/// REINFORCE and the online learners have no SB3 counterpart; their defaults are ours and say so.
/// </summary>
public static class HyperparameterTable
{
    /// <summary>Algorithm names, in documentation order.</summary>
    public static readonly IReadOnlyList<string> Algorithms = ["ppo", "a2c", "dqn", "sac", "td3", "reinforce", "online-ac", "online-dqn"];

    private static readonly Dictionary<string, MapSchema> Tables = new()
    {
        ["ppo"] = new MapSchema()
            .Add("learning_rate", LearningRate(3e-4), "optimizer step size; a number or lin_X")
            .Add("n_steps", Positive(2048), "steps collected per env between updates")
            .Add("batch_size", Positive(64), "minibatch size")
            .Add("n_epochs", Positive(10), "passes over the rollout per update")
            .Add("gamma", Gamma(), "discount factor")
            .Add("gae_lambda", Unit(0.95), "GAE lambda")
            .Add("clip_range", new ScheduleSchema(new FloatSchema(0, null, exclusiveMin: true), 0.2), "PPO clip epsilon; a number or lin_X")
            .Add("clip_range_vf", new NullableSchema(new ScheduleSchema(new FloatSchema(0, null, exclusiveMin: true), 0.2)), "value clip range; null disables")
            .Add("normalize_advantage", new BoolSchema(true), "normalize advantages per minibatch")
            .Add("ent_coef", NonNegative(0.0), "entropy bonus weight")
            .Add("vf_coef", NonNegative(0.5), "value loss weight")
            .Add("max_grad_norm", NonNegative(0.5), "gradient clipping norm")
            .Add("use_sde", new BoolSchema(false), "state-dependent exploration")
            .Add("sde_sample_freq", new IntSchema(-1, null, -1), "resample SDE noise every n steps; -1 only at rollout start")
            .Add("target_kl", new NullableSchema(new FloatSchema(0, null, exclusiveMin: true)), "stop the epoch early past this KL; null disables"),
        ["a2c"] = new MapSchema()
            .Add("learning_rate", LearningRate(7e-4), "optimizer step size; a number or lin_X")
            .Add("n_steps", Positive(5), "steps collected per env between updates")
            .Add("gamma", Gamma(), "discount factor")
            .Add("gae_lambda", Unit(1.0), "GAE lambda (1 = plain n-step returns)")
            .Add("ent_coef", NonNegative(0.0), "entropy bonus weight")
            .Add("vf_coef", NonNegative(0.5), "value loss weight")
            .Add("max_grad_norm", NonNegative(0.5), "gradient clipping norm")
            .Add("rms_prop_eps", new FloatSchema(0, null, 1e-5, exclusiveMin: true), "RMSprop epsilon")
            .Add("use_rms_prop", new BoolSchema(true), "RMSprop (true) or Adam (false)")
            .Add("use_sde", new BoolSchema(false), "state-dependent exploration")
            .Add("sde_sample_freq", new IntSchema(-1, null, -1), "resample SDE noise every n steps; -1 only at rollout start")
            .Add("normalize_advantage", new BoolSchema(false), "normalize advantages"),
        ["dqn"] = new MapSchema()
            .Add("learning_rate", LearningRate(1e-4), "optimizer step size; a number or lin_X")
            .Add("buffer_size", Positive(1_000_000), "replay buffer capacity")
            .Add("learning_starts", NonNegativeInt(100), "steps before learning starts")
            .Add("batch_size", Positive(32), "minibatch size")
            .Add("tau", Unit(1.0), "soft target update coefficient (1 = hard copy)")
            .Add("gamma", Gamma(), "discount factor")
            .Add("train_freq", Positive(4), "env steps between updates")
            .Add("gradient_steps", GradientSteps(), "gradient steps per update; -1 = as many as env steps")
            .Add("target_update_interval", Positive(10_000), "env steps between target network updates")
            .Add("exploration_fraction", Unit(0.1), "fraction of training over which epsilon decays")
            .Add("exploration_initial_eps", Unit(1.0), "initial epsilon")
            .Add("exploration_final_eps", Unit(0.05), "final epsilon")
            .Add("max_grad_norm", NonNegative(10), "gradient clipping norm"),
        ["sac"] = new MapSchema()
            .Add("learning_rate", LearningRate(3e-4), "optimizer step size; a number or lin_X")
            .Add("buffer_size", Positive(1_000_000), "replay buffer capacity")
            .Add("learning_starts", NonNegativeInt(100), "steps before learning starts")
            .Add("batch_size", Positive(256), "minibatch size")
            .Add("tau", Unit(0.005), "soft target update coefficient")
            .Add("gamma", Gamma(), "discount factor")
            .Add("train_freq", Positive(1), "env steps between updates")
            .Add("gradient_steps", GradientSteps(), "gradient steps per update; -1 = as many as env steps")
            .Add("ent_coef", new AutoOrFloatSchema(new FloatSchema(0, null)), "entropy coefficient: auto (learned), auto_X (learned, starts at X) or fixed")
            .Add("target_update_interval", Positive(1), "gradient steps between target updates")
            .Add("target_entropy", new AutoOrFloatSchema(new FloatSchema()), "entropy target for auto ent_coef; auto = -dim(action)")
            .Add("use_sde", new BoolSchema(false), "state-dependent exploration")
            .Add("sde_sample_freq", new IntSchema(-1, null, -1), "resample SDE noise every n steps; -1 only at rollout start"),
        ["td3"] = new MapSchema()
            .Add("learning_rate", LearningRate(1e-3), "optimizer step size; a number or lin_X")
            .Add("buffer_size", Positive(1_000_000), "replay buffer capacity")
            .Add("learning_starts", NonNegativeInt(100), "steps before learning starts")
            .Add("batch_size", Positive(256), "minibatch size")
            .Add("tau", Unit(0.005), "soft target update coefficient")
            .Add("gamma", Gamma(), "discount factor")
            .Add("train_freq", Positive(1), "env steps between updates")
            .Add("gradient_steps", GradientSteps(), "gradient steps per update; -1 = as many as env steps")
            .Add("policy_delay", Positive(2), "critic updates per actor update")
            .Add("target_policy_noise", NonNegative(0.2), "std of target policy smoothing noise")
            .Add("target_noise_clip", NonNegative(0.5), "clip of target policy smoothing noise")
            .Add("noise_type", new StringSchema("none", ["none", "normal", "ornstein-uhlenbeck"]), "exploration noise added to actions")
            .Add("noise_std", NonNegative(0.1), "std of the exploration noise"),
        ["reinforce"] = new MapSchema()
            .Add("learning_rate", LearningRate(1e-3), "optimizer step size; a number or lin_X (ours)")
            .Add("gamma", Gamma(), "discount factor")
            .Add("ent_coef", NonNegative(0.0), "entropy bonus weight")
            .Add("use_baseline", new BoolSchema(true), "subtract a learned value baseline")
            .Add("vf_coef", NonNegative(0.5), "baseline loss weight")
            .Add("normalize_advantage", new BoolSchema(true), "normalize returns-to-go per batch")
            .Add("max_grad_norm", NonNegative(0.5), "gradient clipping norm")
            .Add("episodes_per_update", Positive(1), "complete episodes per gradient step (ours)"),
        ["online-ac"] = new MapSchema()
            .Add("learning_rate", LearningRate(1e-3), "optimizer step size; a number or lin_X (ours)")
            .Add("gamma", Gamma(), "discount factor")
            .Add("ent_coef", NonNegative(0.01), "entropy bonus weight")
            .Add("vf_coef", NonNegative(0.5), "value loss weight")
            .Add("max_grad_norm", NonNegative(0.5), "gradient clipping norm")
            .Add("n_steps", Positive(1), "stream steps per update (1 = one-step actor-critic)"),
        ["online-dqn"] = new MapSchema()
            .Add("learning_rate", LearningRate(1e-3), "optimizer step size; a number or lin_X (ours)")
            .Add("gamma", Gamma(), "discount factor")
            .Add("buffer_size", Positive(10_000), "replay buffer capacity (recent stream steps)")
            .Add("learning_starts", NonNegativeInt(100), "steps before learning starts")
            .Add("batch_size", Positive(32), "minibatch size")
            .Add("train_freq", Positive(1), "stream steps between updates")
            .Add("gradient_steps", GradientSteps(), "gradient steps per update")
            .Add("tau", Unit(1.0), "soft target update coefficient (1 = hard copy)")
            .Add("target_update_interval", Positive(500), "stream steps between target updates")
            .Add("exploration_initial_eps", Unit(1.0), "initial epsilon")
            .Add("exploration_final_eps", Unit(0.05), "final epsilon")
            .Add("exploration_decay_steps", Positive(10_000), "stream steps over which epsilon decays (streams have no fixed length)")
            .Add("max_grad_norm", NonNegative(10), "gradient clipping norm"),
    };

    /// <summary>The schema of <paramref name="algorithm"/>'s hyperparameters.</summary>
    /// <exception cref="ArgumentException">The algorithm is not built in.</exception>
    public static MapSchema For(string algorithm)
        => Tables.TryGetValue(algorithm, out var table)
            ? table
            : throw new ArgumentException($"Unknown algorithm '{algorithm}'; known: {string.Join(", ", Algorithms)}{DidYouMean.Hint(algorithm, Algorithms)}", nameof(algorithm));

    /// <summary>Every hyperparameter of <paramref name="algorithm"/> at its default.</summary>
    public static OrderedDictionary<string, object?> Defaults(string algorithm) => (OrderedDictionary<string, object?>)For(algorithm).Default!;

    private static ScheduleSchema LearningRate(double d) => new(new FloatSchema(0, null, exclusiveMin: true), d);
    private static IntSchema Positive(long d) => new(1, null, d);
    private static IntSchema NonNegativeInt(long d) => new(0, null, d);
    private static IntSchema GradientSteps() => new(-1, null, 1);
    private static FloatSchema Gamma() => new(0, 1, 0.99);
    private static FloatSchema Unit(double d) => new(0, 1, d);
    private static FloatSchema NonNegative(double d) => new(0, null, d);
}
