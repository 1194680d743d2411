namespace RlPlat.Agents.Algorithms;

/// <summary>One rl-zoo entry: number of envs, training budget and hyperparameters.</summary>
public sealed record ZooEntry(int NEnvs, long NTimesteps, IReadOnlyDictionary<string, object?> Hyperparameters);

/// <summary>
/// rl-baselines3-zoo's tuned hyperparameters (<c>hyperparams/&lt;algo&gt;.yml</c>) for the envs rlplat ships, as the
/// defaults the benchmark and the runner start from. Entries that rely on gSDE (<c>use_sde</c>) in rl-zoo are kept
/// without it (rlplat has no gSDE); that is noted per entry.
/// </summary>
public static class RlZooDefaults
{
    private static readonly Dictionary<(string, string), ZooEntry> Table = new()
    {
        [("ppo", "CartPole-v1")] = new(8, 100_000, H(("n_steps", 32), ("batch_size", 256), ("gae_lambda", 0.8), ("gamma", 0.98), ("n_epochs", 20),
            ("ent_coef", 0.0), ("learning_rate", "lin_0.001"), ("clip_range", "lin_0.2"))),
        [("ppo", "Acrobot-v1")] = new(16, 1_000_000, H(("normalize", true), ("n_steps", 256), ("gae_lambda", 0.94), ("gamma", 0.99), ("n_epochs", 4), ("ent_coef", 0.0))),
        [("ppo", "MountainCar-v0")] = new(16, 1_000_000, H(("normalize", true), ("n_steps", 16), ("gae_lambda", 0.98), ("gamma", 0.99), ("n_epochs", 4), ("ent_coef", 0.0))),
        // rl-zoo adds use_sde: True, sde_sample_freq: 4 here.
        [("ppo", "Pendulum-v1")] = new(4, 100_000, H(("n_steps", 1024), ("gae_lambda", 0.95), ("gamma", 0.9), ("n_epochs", 10), ("ent_coef", 0.0),
            ("learning_rate", 1e-3), ("clip_range", 0.2))),
        [("a2c", "CartPole-v1")] = new(8, 500_000, H(("ent_coef", 0.0))),
        [("a2c", "Acrobot-v1")] = new(16, 500_000, H(("normalize", true), ("ent_coef", 0.0))),
        [("dqn", "CartPole-v1")] = new(1, 50_000, H(("learning_rate", 2.3e-3), ("batch_size", 64), ("buffer_size", 100_000), ("learning_starts", 1000),
            ("gamma", 0.99), ("target_update_interval", 10), ("train_freq", 256), ("gradient_steps", 128), ("exploration_fraction", 0.16),
            ("exploration_final_eps", 0.04), ("net_arch", new[] { 256, 256 }))),
        [("dqn", "Acrobot-v1")] = new(1, 100_000, H(("learning_rate", 6.3e-4), ("batch_size", 128), ("buffer_size", 50_000), ("learning_starts", 0),
            ("gamma", 0.99), ("target_update_interval", 250), ("train_freq", 4), ("gradient_steps", -1), ("exploration_fraction", 0.12),
            ("exploration_final_eps", 0.1), ("net_arch", new[] { 256, 256 }))),
        [("dqn", "MountainCar-v0")] = new(1, 120_000, H(("learning_rate", 4e-3), ("batch_size", 128), ("buffer_size", 10_000), ("learning_starts", 1000),
            ("gamma", 0.98), ("target_update_interval", 600), ("train_freq", 16), ("gradient_steps", 8), ("exploration_fraction", 0.2),
            ("exploration_final_eps", 0.07), ("net_arch", new[] { 256, 256 }))),
        [("sac", "Pendulum-v1")] = new(1, 20_000, H(("learning_rate", 1e-3))),
        [("td3", "Pendulum-v1")] = new(1, 20_000, H(("action_noise_std", 0.1))),
    };

    /// <summary>The entry for <paramref name="algorithm"/> on <paramref name="envId"/>, or null when rl-zoo has none here.</summary>
    public static ZooEntry? Find(string algorithm, string envId) => Table.GetValueOrDefault((algorithm.ToLowerInvariant(), envId));

    /// <summary>The zoo hyperparameters overridden by <paramref name="overrides"/> (either may be empty).</summary>
    public static Dictionary<string, object?> Merge(string algorithm, string envId, IReadOnlyDictionary<string, object?>? overrides)
    {
        var merged = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (Find(algorithm, envId) is { } entry)
            foreach (var (k, v) in entry.Hyperparameters) merged[k] = v;
        if (overrides != null)
            foreach (var (k, v) in overrides) merged[k] = v;
        return merged;
    }

    private static Dictionary<string, object?> H(params (string Key, object? Value)[] items)
    {
        var d = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (k, v) in items) d[k] = v;
        return d;
    }
}
