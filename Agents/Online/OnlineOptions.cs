namespace RlPlat.Agents.Online;

/// <summary>Settings every online learner shares.</summary>
public abstract record OnlineLearnerOptions
{
    /// <summary>Hidden layer sizes of every network.</summary>
    public int[] Hidden { get; init; } = [64, 64];

    /// <summary>Hidden activation (relu, tanh, sigmoid, silu).</summary>
    public string Activation { get; init; } = "relu";

    /// <summary>Adam step size.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Discount factor.</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>Gradient clipping norm.</summary>
    public double MaxGradNorm { get; init; } = 10;

    /// <summary>Gradient steps per stream step: the learner never runs further ahead of the stream than this.</summary>
    public double UpdatesPerStep { get; init; } = 1;

    /// <summary>Gradient steps between policy snapshots published to the actor (and saved as the last good weights).</summary>
    public int PublishEvery { get; init; } = 10;

    /// <summary>How the networks grow; null keeps them fixed.</summary>
    public GrowthOptions? Growth { get; init; }

    /// <summary>Checks the values, naming the bad one.</summary>
    public virtual void Validate()
    {
        if (Hidden.Length == 0) throw new ArgumentException("online: needs at least one hidden layer, got none.");
        foreach (int h in Hidden) if (h < 1) throw new ArgumentException($"online: hidden sizes must be >= 1, got [{string.Join(", ", Hidden)}].");
        if (!(LearningRate > 0)) throw new ArgumentException($"online: learning_rate must be positive, got {LearningRate}.");
        if (!(Gamma >= 0 && Gamma <= 1)) throw new ArgumentException($"online: gamma must be in [0, 1], got {Gamma}.");
        if (!(MaxGradNorm > 0)) throw new ArgumentException($"online: max_grad_norm must be positive, got {MaxGradNorm}.");
        if (!(UpdatesPerStep > 0) || double.IsInfinity(UpdatesPerStep)) throw new ArgumentException($"online: updates per step must be positive and finite, got {UpdatesPerStep}.");
        if (PublishEvery < 1) throw new ArgumentException($"online: publish_every must be >= 1, got {PublishEvery}.");
        Growth?.Validate();
    }
}

/// <summary>Settings of <see cref="OnlineActorCritic"/>.</summary>
public sealed record OnlineAcOptions : OnlineLearnerOptions
{
    /// <summary>Fresh consecutive stream steps per update (1 = the classic one-step actor-critic).</summary>
    public int NSteps { get; init; } = 16;

    /// <summary>Entropy bonus weight.</summary>
    public double EntCoef { get; init; } = 0.01;

    /// <summary>Value loss weight.</summary>
    public double VfCoef { get; init; } = 0.5;

    /// <summary>Initial log standard deviation of the Gaussian policy (continuous actions).</summary>
    public double LogStdInit { get; init; } = -0.5;

    /// <summary>Transitions kept for the learner (fresh ones beyond it are dropped, oldest first).</summary>
    public int BufferSize { get; init; } = 4096;

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        if (NSteps < 1) throw new ArgumentException($"online-ac: n_steps must be >= 1, got {NSteps}.");
        if (!(EntCoef >= 0) || !(VfCoef >= 0)) throw new ArgumentException($"online-ac: ent_coef ({EntCoef}) and vf_coef ({VfCoef}) must be >= 0.");
        if (BufferSize < NSteps) throw new ArgumentException($"online-ac: buffer size {BufferSize} is below n_steps {NSteps}.");
    }
}

/// <summary>Settings of <see cref="OnlineDqn"/>.</summary>
public sealed record OnlineDqnOptions : OnlineLearnerOptions
{
    /// <summary>Replay capacity (the oldest transitions are overwritten).</summary>
    public int BufferSize { get; init; } = 10_000;

    /// <summary>Stream steps before learning starts.</summary>
    public int LearningStarts { get; init; } = 500;

    /// <summary>Minibatch size.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Gradient steps between target network updates.</summary>
    public int TargetUpdateInterval { get; init; } = 500;

    /// <summary>Soft target update coefficient (1 = hard copy).</summary>
    public double Tau { get; init; } = 1;

    /// <summary>Epsilon at the start.</summary>
    public double ExplorationInitialEps { get; init; } = 1;

    /// <summary>Epsilon after the decay.</summary>
    public double ExplorationFinalEps { get; init; } = 0.05;

    /// <summary>Stream steps over which epsilon decays linearly.</summary>
    public long ExplorationDecaySteps { get; init; } = 10_000;

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        if (BufferSize < 1 || BatchSize < 1) throw new ArgumentException($"online-dqn: buffer_size ({BufferSize}) and batch_size ({BatchSize}) must be >= 1.");
        if (LearningStarts < 0) throw new ArgumentException($"online-dqn: learning_starts must be >= 0, got {LearningStarts}.");
        if (TargetUpdateInterval < 1) throw new ArgumentException($"online-dqn: target_update_interval must be >= 1, got {TargetUpdateInterval}.");
        if (!(Tau > 0 && Tau <= 1)) throw new ArgumentException($"online-dqn: tau must be in (0, 1], got {Tau}.");
        if (!(ExplorationInitialEps is >= 0 and <= 1) || !(ExplorationFinalEps is >= 0 and <= 1))
            throw new ArgumentException($"online-dqn: exploration eps must be in [0, 1], got {ExplorationInitialEps} and {ExplorationFinalEps}.");
        if (ExplorationDecaySteps < 1) throw new ArgumentException($"online-dqn: exploration_decay_steps must be >= 1, got {ExplorationDecaySteps}.");
    }
}
