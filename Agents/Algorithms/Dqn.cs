using RlPlat.Agents.Buffers;
using RlPlat.Agents.Policies;
using RlPlat.Engine;
using RlPlat.Engine.NN;
using RlPlat.Engine.Optim;

namespace RlPlat.Agents.Algorithms;

/// <summary>
/// Deep Q-Network (Mnih et al. 2015) as Stable-Baselines3 implements it: epsilon-greedy exploration with a linear
/// schedule, replay, a target network updated every <c>target_update_interval</c> env steps (Polyak with <c>tau</c>),
/// Huber loss, gradient clipping. Options: Double DQN targets, dueling head, prioritized replay (importance weights,
/// priorities from |TD error|, beta annealed to 1) and n-step returns. Action masks are respected when acting and in
/// the greedy target only where the env reports them at act time.
/// </summary>
public sealed class Dqn : OffPolicyAgent
{
    private readonly QNetwork q, qTarget;
    private readonly Adam optimizer;
    private readonly PrioritizedReplayBuffer? prioritized;
    private long lastTargetUpdate;
    private float[] tdErrors = [], bootstrapDiscounts = [];
    private long[] actionIndices = [];

    /// <summary>A DQN agent for <paramref name="spaces"/> (Discrete actions).</summary>
    public Dqn(AgentSpaces spaces, DqnOptions options, int seed)
        : base("dqn", spaces, seed, CreateBuffer(spaces, options), options.LearningStarts, options.TrainFreq, options.GradientSteps,
            options.BatchSize, options.NStep, options.Gamma)
    {
        if (!spaces.IsDiscrete) throw new ArgumentException($"dqn: needs a Discrete action space, got {spaces.ActionSpace}.");
        Options = options;
        q = TrackModule("q_net", new QNetwork(spaces, options.Network, Rng));
        qTarget = TrackModule("q_net_target", new QNetwork(spaces, options.Network, Rng));
        Networks.HardUpdate(qTarget, q);
        optimizer = TrackOptimizer("optimizer", new Adam(q, options.LearningRate.At(1)));
        prioritized = Replay as PrioritizedReplayBuffer;
        ExplorationRate = options.ExplorationInitialEps;
    }

    /// <summary>The settings.</summary>
    public DqnOptions Options { get; }

    /// <summary>Current epsilon.</summary>
    public double ExplorationRate { get; private set; }

    /// <inheritdoc />
    protected override Module ActingNetwork => q;

    private static ReplayBuffer CreateBuffer(AgentSpaces spaces, DqnOptions o) => o.PrioritizedReplay
        ? new PrioritizedReplayBuffer(o.BufferSize, spaces.ObservationSize, spaces.ActionSize, o.PrioritizedReplayAlpha)
        : new ReplayBuffer(o.BufferSize, spaces.ObservationSize, spaces.ActionSize);

    /// <inheritdoc />
    public override void SetProgressRemaining(double progressRemaining)
    {
        base.SetProgressRemaining(progressRemaining);
        // SB3's linear schedule: from initial to final eps over the first exploration_fraction of training.
        double progress = 1 - ProgressRemaining, o = Options.ExplorationFraction;
        ExplorationRate = progress >= o ? Options.ExplorationFinalEps
            : Options.ExplorationInitialEps + (Options.ExplorationFinalEps - Options.ExplorationInitialEps) * progress / o;
        if (prioritized != null) prioritized.Beta = Options.PrioritizedReplayBeta + (1 - Options.PrioritizedReplayBeta) * progress;
    }

    /// <inheritdoc />
    public override void Act(ReadOnlySpan<float> observations, int batch, Span<float> actions, bool deterministic, ReadOnlySpan<bool> actionMasks = default)
    {
        if (!deterministic && WarmingUp)
        {
            RandomActions(actions, actionMasks, batch);
            return;
        }
        float[] values;
        using (Autograd.NoGrad()) values = q.Forward(Rows(NetworkObservations(observations), batch)).ToArray();
        int k = Spaces.ActionCount;
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<bool> mask = actionMasks.IsEmpty ? default : actionMasks.Slice(b * k, k);
            if (!deterministic && Rng.NextDouble() < ExplorationRate)
            {
                int a;
                do a = Rng.NextInt(k);
                while (!mask.IsEmpty && !mask[a]);
                actions[b] = a;
            }
            else actions[b] = ArgMax(values.AsSpan(b * k, k), mask);
        }
    }

    /// <inheritdoc />
    protected override void AfterObserve(TransitionBatch t)
    {
        // The target follows the online net every target_update_interval env steps (SB3 counts env steps).
        if (NumTimesteps - lastTargetUpdate >= Options.TargetUpdateInterval)
        {
            Networks.SoftUpdate(qTarget, q, Options.Tau);
            lastTargetUpdate = NumTimesteps - NumTimesteps % Options.TargetUpdateInterval;
        }
    }

    /// <inheritdoc />
    protected override Dictionary<string, double> Train(int gradientSteps)
    {
        double lr = Options.LearningRate.At(ProgressRemaining);
        optimizer.Lr = lr;
        int b = Batch.Size, obsSize = Spaces.ObservationSize;
        if (tdErrors.Length != b)
        {
            tdErrors = new float[b];
            bootstrapDiscounts = new float[b];
            actionIndices = new long[b];
        }
        double lossSum = 0, qSum = 0;
        for (int step = 0; step < gradientSteps; step++)
        {
            Replay.Sample(Batch, Rng);
            var obs = Rows(NetworkObservations(Batch.Observations), b);
            var nextObs = Rows(NetworkObservations(Batch.NextObservations), b);
            // Per-row scalars are prepared in one managed pass: fewer small tensor ops per gradient step.
            // Discount is gamma^n for n-step transitions; terminal transitions do not bootstrap.
            for (int i = 0; i < b; i++)
            {
                actionIndices[i] = (long)Batch.Actions[i];
                bootstrapDiscounts[i] = Batch.Terminated[i] != 0 ? 0f : Batch.Discounts[i];
            }
            var actions = Tensor.FromArray(actionIndices, b, 1);
            var rewards = Tensor.FromArray(Batch.Rewards, b);
            var discounts = Tensor.FromArray(bootstrapDiscounts, b);

            Tensor target;
            using (Autograd.NoGrad())
            {
                Tensor nextQ = qTarget.Forward(nextObs);
                Tensor nextValue = Options.DoubleQ
                    // Double DQN: the online net chooses the next action, the target net evaluates it.
                    ? nextQ.Gather(1, q.Forward(nextObs).ArgMax(-1).Unsqueeze(-1)).Squeeze(-1)
                    : nextQ.Amax([-1]);
                target = rewards.Add(discounts.Mul(nextValue));
            }
            Tensor current = q.Forward(obs).Gather(1, actions).Squeeze(-1);
            Tensor loss;
            if (prioritized != null)
            {
                var weights = Tensor.FromArray(Batch.Weights, b);
                loss = RlPlat.Engine.NN.Functional.HuberLoss(current, target, reduction: RlPlat.Engine.NN.Reduction.None).Mul(weights).Mean();
            }
            else loss = RlPlat.Engine.NN.Functional.HuberLoss(current, target);

            optimizer.ZeroGrad(setToNone: false); // the same gradient buffers every step: fused layers add into them
            loss.Backward();
            GradClipping.ClipGradNorm(q, Options.MaxGradNorm);
            optimizer.Step();
            NUpdates++;

            if (prioritized != null)
            {
                using (Autograd.NoGrad()) current.Detach().Sub(target).Contiguous().AsSpan().CopyTo(tdErrors);
                prioritized.UpdatePriorities(Batch.Indices, tdErrors);
            }
            lossSum += loss.Item<float>();
            qSum += MeanOf(current.Detach());
        }
        int m = Math.Max(gradientSteps, 1);
        return new Dictionary<string, double>
        {
            ["train/loss"] = lossSum / m,
            ["train/q_mean"] = qSum / m,
            ["train/learning_rate"] = lr,
            ["train/n_updates"] = NUpdates,
            ["rollout/exploration_rate"] = ExplorationRate,
        };
    }

    /// <inheritdoc />
    protected override void OnWeightsReplaced() => Networks.HardUpdate(qTarget, q);

    /// <inheritdoc />
    protected override void SaveExtra(AgentState state)
    {
        base.SaveExtra(state);
        state.Scalars["last_target_update"] = lastTargetUpdate;
        state.Scalars["exploration_rate"] = ExplorationRate;
    }

    /// <inheritdoc />
    protected override void LoadExtra(AgentState state)
    {
        base.LoadExtra(state);
        lastTargetUpdate = (long)state.Scalar("last_target_update");
        ExplorationRate = state.Scalar("exploration_rate");
    }

    private static double MeanOf(Tensor values)
    {
        double sum = 0;
        foreach (float v in values.Contiguous().AsSpan()) sum += v;
        return sum / values.Numel;
    }

    private static int ArgMax(ReadOnlySpan<float> values, ReadOnlySpan<bool> mask)
    {
        int best = -1;
        for (int a = 0; a < values.Length; a++)
            if ((mask.IsEmpty || mask[a]) && (best < 0 || values[a] > values[best])) best = a;
        return best;
    }
}
