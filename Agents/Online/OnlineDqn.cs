using RlPlat.Agents.Buffers;
using RlPlat.Agents.Policies;
using RlPlat.Engine;
using RlPlat.Engine.NN;
using RlPlat.Engine.Optim;

namespace RlPlat.Agents.Online;

/// <summary>
/// Online DQN on a live stream: the actor picks epsilon-greedy actions from the published Q snapshot (epsilon decays
/// over stream steps, since a stream has no fixed length); the learner samples the streaming replay uniformly, takes
/// Double-DQN Huber steps, and moves the target network every <c>target_update_interval</c> updates. When the Q
/// network grows, the target network is reset to a copy of it (the two must keep the same shape).
/// </summary>
public sealed class OnlineDqn : OnlineLearner
{
    private readonly GrowableMlp q, qTarget;
    private readonly Adam optimizer;
    private readonly ReplayBatch batch;
    private readonly float[] values;

    /// <summary>An online DQN for <paramref name="spaces"/> (Discrete actions).</summary>
    public OnlineDqn(AgentSpaces spaces, OnlineDqnOptions options, int seed)
        : base("online-dqn", spaces, options, new StreamingReplay(options.BufferSize, spaces.ObservationSize, spaces.ActionSize), seed)
    {
        if (!spaces.IsDiscrete) throw new ArgumentException($"online-dqn: needs a Discrete action space, got {spaces.ActionSpace}.");
        DqnOptions = options;
        int[] sizes = [spaces.ObservationSize, .. options.Hidden, spaces.ActionCount];
        q = Track("q_net", new GrowableMlp(sizes, options.Activation, Rng));
        qTarget = Track("q_net_target", new GrowableMlp(sizes, options.Activation, Rng));
        Networks.HardUpdate(qTarget, q);
        optimizer = TrackOptimizer("optimizer", new Adam(q, options.LearningRate));
        batch = new ReplayBatch(options.BatchSize, spaces.ObservationSize, spaces.ActionSize);
        values = new float[spaces.ActionCount];
        Publish();
    }

    /// <summary>The settings.</summary>
    public OnlineDqnOptions DqnOptions { get; }

    /// <inheritdoc/>
    public override GrowableMlp PolicyNetwork => q;

    /// <inheritdoc/>
    protected override IEnumerable<GrowableMlp> GrowingNetworks => [q];

    /// <summary>Epsilon after <paramref name="step"/> stream steps.</summary>
    public double Epsilon(long step)
    {
        var o = DqnOptions;
        double f = Math.Min(1.0, (double)step / o.ExplorationDecaySteps);
        return o.ExplorationInitialEps + (o.ExplorationFinalEps - o.ExplorationInitialEps) * f;
    }

    /// <inheritdoc/>
    public override void Act(PublishedPolicy policy, ReadOnlySpan<float> observation, Span<float> action, Generator rng, long step, bool explore)
    {
        if (explore && rng.NextDouble() < Epsilon(step))
        {
            action[0] = Spaces.ActionStart + rng.NextInt(Spaces.ActionCount);
            return;
        }
        policy.Network.Forward(observation, values);
        int best = 0;
        for (int a = 1; a < values.Length; a++) if (values[a] > values[best]) best = a;
        action[0] = Spaces.ActionStart + best;
    }

    /// <inheritdoc/>
    protected override bool HasData() => Replay.Added >= Math.Max(DqnOptions.LearningStarts, DqnOptions.BatchSize);

    /// <inheritdoc/>
    protected override double TrainStep()
    {
        int b = batch.Size;
        Replay.Sample(batch, Rng);
        var obs = Rows(batch.Observations, b);
        var nextObs = Rows(batch.NextObservations, b);
        var actionIndex = new long[b];
        for (int i = 0; i < b; i++) actionIndex[i] = (long)batch.Actions[i] - Spaces.ActionStart;
        var actions = Tensor.FromArray(actionIndex, b, 1);
        var rewards = Tensor.FromArray((float[])batch.Rewards.Clone(), b);
        var notDone = Tensor.FromArray((float[])batch.Terminated.Clone(), b).Neg().Add(1);
        Tensor target;
        using (Autograd.NoGrad())
        {
            // Double DQN: the online net picks the next action, the target net values it.
            var nextValue = qTarget.Forward(nextObs).Gather(1, q.Forward(nextObs).ArgMax(-1).Unsqueeze(-1)).Squeeze(-1);
            target = rewards.Add(notDone.Mul(nextValue).Mul(Options.Gamma));
        }
        var current = q.Forward(obs).Gather(1, actions).Squeeze(-1);
        var loss = Engine.NN.Functional.HuberLoss(current, target);
        optimizer.ZeroGrad();
        loss.Backward();
        GradClipping.ClipGradNorm(q, Options.MaxGradNorm);
        optimizer.Step();
        if ((Updates + 1) % DqnOptions.TargetUpdateInterval == 0) Networks.SoftUpdate(qTarget, q, DqnOptions.Tau);
        return loss.Item<float>();
    }

    /// <inheritdoc/>
    protected override void AfterGrowth() => qTarget.LoadStateDict(q.StateDict());
}
