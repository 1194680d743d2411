using RlPlat.Agents.Buffers;

namespace RlPlat.Agents.Algorithms;

/// <summary>
/// Replay collection shared by DQN, SAC and TD3 (SB3's <c>OffPolicyAlgorithm</c>): every step goes into a replay
/// buffer (through n-step accumulation when asked); after <c>learning_starts</c> env steps, every <c>train_freq</c>
/// batch steps the agent is ready and <see cref="Train"/> runs <c>gradient_steps</c> updates (-1: one per env step
/// collected since the last update). Subclasses write action selection and the update.
/// </summary>
public abstract class OffPolicyAgent : AgentBase
{
    private readonly int learningStarts, trainFreq, gradientSteps;
    private long stepsSinceTrain;
    private NStepAccumulator? accumulator;

    /// <summary>Sets up collection into <paramref name="buffer"/>.</summary>
    protected OffPolicyAgent(string algorithm, AgentSpaces spaces, int seed, ReplayBuffer buffer, int learningStarts, int trainFreq,
        int gradientSteps, int batchSize, int nStep, double gamma)
        : base(algorithm, spaces, seed)
    {
        Replay = buffer;
        this.learningStarts = learningStarts;
        this.trainFreq = trainFreq;
        this.gradientSteps = gradientSteps;
        NStep = nStep;
        Gamma = gamma;
        Batch = new ReplayBatch(batchSize, spaces.ObservationSize, spaces.ActionSize);
    }

    /// <summary>The replay buffer.</summary>
    public ReplayBuffer Replay { get; }

    /// <summary>The sampled minibatch, reused by every gradient step.</summary>
    protected ReplayBatch Batch { get; }

    /// <summary>Discount factor.</summary>
    public double Gamma { get; }

    /// <summary>Steps per stored transition's return (1: one-step).</summary>
    public int NStep { get; }

    /// <summary>
    /// Transitions of the replay buffer that <see cref="AgentBase.GetState"/> saves, newest first: all by default (then a
    /// loaded agent continues exactly), 0 for none (small checkpoints; the buffer refills after loading).
    /// </summary>
    public int ReplayTransitionsSaved
    {
        get => replayTransitionsSaved;
        set => replayTransitionsSaved = value >= 0 ? value : throw new ArgumentException($"{Algorithm}: ReplayTransitionsSaved {value} must be >= 0.", nameof(value));
    }

    private int replayTransitionsSaved = int.MaxValue;

    /// <summary>Gradient updates so far.</summary>
    public long NUpdates { get; protected set; }

    /// <summary>True while still before <c>learning_starts</c>: actions are uniform random (SB3's warm-up).</summary>
    protected bool WarmingUp => NumTimesteps < learningStarts;

    /// <inheritdoc />
    // Count > 0: an agent loaded from a checkpoint saved without its buffer waits for the first new transition.
    public override bool ReadyToLearn => NumTimesteps > learningStarts && stepsSinceTrain >= trainFreq && Replay.Count > 0;

    /// <inheritdoc />
    public override void Observe(TransitionBatch t)
    {
        accumulator ??= new NStepAccumulator(Replay, t.NumEnvs, NStep, Gamma);
        ObservationNormalizer?.Update(t.NextObservations);
        accumulator.Add(t);
        NumTimesteps += t.NumEnvs;
        stepsSinceTrain++;
        // As SB3: collection runs in chunks of train_freq steps, and a chunk that ends before learning_starts trains nothing.
        if (stepsSinceTrain >= trainFreq && NumTimesteps <= learningStarts) stepsSinceTrain = 0;
        AfterObserve(t);
    }

    /// <summary>Called at the end of each <see cref="Observe"/> (exploration schedules, target updates by env step).</summary>
    protected virtual void AfterObserve(TransitionBatch t) { }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double> Learn()
    {
        // As SB3: gradient_steps -1 means one update per batch step collected since the last update.
        int steps = gradientSteps > 0 ? gradientSteps : (int)stepsSinceTrain;
        stepsSinceTrain = 0;
        return Train(steps);
    }

    /// <summary>Runs <paramref name="gradientSteps"/> updates from the replay buffer and returns their metrics.</summary>
    protected abstract Dictionary<string, double> Train(int gradientSteps);

    /// <summary>Fills a span with uniform random actions (discrete indices or values in the Box).</summary>
    protected void RandomActions(Span<float> actions, ReadOnlySpan<bool> masks, int batch)
    {
        var s = Spaces;
        for (int b = 0; b < batch; b++)
        {
            if (s.IsDiscrete)
            {
                int a;
                do a = Rng.NextInt(s.ActionCount);
                while (!masks.IsEmpty && !masks[b * s.ActionCount + a]);
                actions[b] = a;
            }
            else
                for (int i = 0; i < s.ActionSize; i++)
                    actions[b * s.ActionSize + i] = (float)(s.ActionLow[i] + Rng.NextDouble() * (s.ActionHigh[i] - s.ActionLow[i]));
        }
    }

    /// <inheritdoc />
    protected override void SaveExtra(AgentState state)
    {
        state.Scalars["n_updates"] = NUpdates;
        state.Scalars["steps_since_train"] = stepsSinceTrain;
        if (replayTransitionsSaved > 0) state.Blobs["replay"] = Replay.Save(replayTransitionsSaved);
        // Steps still waiting for their n-step return belong to the buffer's future contents.
        if (accumulator != null && replayTransitionsSaved > 0) state.Blobs["replay_pending"] = accumulator.Save();
    }

    /// <inheritdoc />
    protected override void LoadExtra(AgentState state)
    {
        NUpdates = (long)state.Scalar("n_updates");
        stepsSinceTrain = (long)state.Scalar("steps_since_train");
        // States saved without the buffer (or by older builds) load with an empty one.
        if (state.Blobs.TryGetValue("replay", out var replay)) Replay.Load(replay);
        accumulator = state.Blobs.TryGetValue("replay_pending", out var pending) ? NStepAccumulator.Load(Replay, NStep, Gamma, pending) : null;
    }
}
