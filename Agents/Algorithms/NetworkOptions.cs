namespace RlPlat.Agents.Algorithms;

/// <summary>
/// Network settings shared by the algorithms (SB3's <c>policy_kwargs</c>, flattened): hidden layer sizes, activation,
/// orthogonal initialization, and whether actor and critic share their hidden layers.
/// </summary>
public sealed record NetworkOptions
{
    /// <summary>Hidden layer sizes (rl-zoo's <c>net_arch</c>).</summary>
    public int[] NetArch { get; init; } = [64, 64];

    /// <summary>"tanh" or "relu" (rl-zoo's <c>activation_fn</c>).</summary>
    public string Activation { get; init; } = "tanh";

    /// <summary>Orthogonal initialization with SB3's gains (sqrt 2 hidden, 0.01 policy head, 1 value head).</summary>
    public bool OrthoInit { get; init; } = true;

    /// <summary>One hidden trunk for actor and critic instead of two.</summary>
    public bool ShareTrunk { get; init; }

    /// <summary>Initial log standard deviation of Gaussian policies.</summary>
    public double LogStdInit { get; init; }

    /// <summary>Dueling Q head (value + advantage streams), for DQN.</summary>
    public bool Dueling { get; init; }

    /// <summary>Reads <c>net_arch</c>, <c>activation_fn</c>, <c>ortho_init</c>, <c>share_features_extractor</c>, <c>log_std_init</c>, <c>dueling</c>.</summary>
    public static NetworkOptions From(Hyperparameters h, NetworkOptions defaults)
    {
        var o = new NetworkOptions
        {
            NetArch = h.IntList("net_arch", defaults.NetArch),
            Activation = h.String("activation_fn", defaults.Activation, "tanh", "relu"),
            OrthoInit = h.Bool("ortho_init", defaults.OrthoInit),
            ShareTrunk = h.Bool("share_features_extractor", defaults.ShareTrunk),
            LogStdInit = h.Double("log_std_init", defaults.LogStdInit),
            Dueling = h.Bool("dueling", defaults.Dueling),
        };
        if (o.NetArch.Length == 0) throw new ArgumentException("net_arch: at least one hidden layer is needed.");
        return o;
    }
}

/// <summary>rl-zoo's <c>normalize</c>: running normalization of observations and/or rewards (SB3's VecNormalize).</summary>
public sealed record NormalizationOptions
{
    /// <summary>Normalize observations with running mean and variance.</summary>
    public bool Observations { get; init; }

    /// <summary>Scale rewards by the running std of the discounted return.</summary>
    public bool Rewards { get; init; }

    /// <summary>Clip normalized observations to +-this.</summary>
    public double ClipObservations { get; init; } = 10;

    /// <summary>Clip normalized rewards to +-this.</summary>
    public double ClipRewards { get; init; } = 10;

    /// <summary>Reads <c>normalize</c> (true for both) or <c>normalize_observations</c> / <c>normalize_rewards</c>.</summary>
    public static NormalizationOptions From(Hyperparameters h)
    {
        bool both = h.Bool("normalize", false);
        return new NormalizationOptions
        {
            Observations = h.Bool("normalize_observations", both),
            Rewards = h.Bool("normalize_rewards", both),
            ClipObservations = h.Double("clip_obs", 10),
            ClipRewards = h.Double("clip_reward", 10),
        };
    }
}
