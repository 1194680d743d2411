using RlPlat.Agents.Buffers;
using RlPlat.Agents.Policies;
using RlPlat.Engine;
using RlPlat.Engine.NN;
using RlPlat.Engine.Optim;

namespace RlPlat.Agents.Algorithms;

/// <summary>
/// Twin Delayed DDPG (Fujimoto et al. 2018) as Stable-Baselines3 implements it: a deterministic tanh actor with
/// Gaussian exploration noise, twin critics (clipped double Q), target policy smoothing (clipped noise on target
/// actions), and actor/target updates every <c>policy_delay</c> critic updates. Box actions.
/// </summary>
public sealed class Td3 : OffPolicyAgent
{
    private readonly DeterministicActor actor, actorTarget;
    private readonly TwinCritic critic, criticTarget;
    private readonly Adam actorOptimizer, criticOptimizer;
    private readonly ActionScaler scaler;
    private float[] scaledActions = [];

    /// <summary>A TD3 agent for <paramref name="spaces"/> (bounded Box actions).</summary>
    public Td3(AgentSpaces spaces, Td3Options options, int seed)
        : base("td3", spaces, seed, new ReplayBuffer(options.BufferSize, spaces.ObservationSize, spaces.ActionSize), options.LearningStarts,
            options.TrainFreq, options.GradientSteps, options.BatchSize, 1, options.Gamma)
    {
        Sac.RequireBoundedBox(spaces, "td3");
        Options = options;
        scaler = new ActionScaler(spaces);
        actor = TrackModule("actor", new DeterministicActor(spaces, options.Network, Rng));
        actorTarget = TrackModule("actor_target", new DeterministicActor(spaces, options.Network, Rng));
        critic = TrackModule("critic", new TwinCritic(spaces, options.Network, Rng));
        criticTarget = TrackModule("critic_target", new TwinCritic(spaces, options.Network, Rng));
        Networks.HardUpdate(actorTarget, actor);
        Networks.HardUpdate(criticTarget, critic);
        actorOptimizer = TrackOptimizer("actor_optimizer", new Adam(actor, options.LearningRate.At(1)));
        criticOptimizer = TrackOptimizer("critic_optimizer", new Adam(critic, options.LearningRate.At(1)));
    }

    /// <summary>The settings.</summary>
    public Td3Options Options { get; }

    /// <inheritdoc />
    protected override Module ActingNetwork => actor;

    /// <inheritdoc />
    public override void Act(ReadOnlySpan<float> observations, int batch, Span<float> actions, bool deterministic, ReadOnlySpan<bool> actionMasks = default)
    {
        if (!actionMasks.IsEmpty) throw new ArgumentException("td3: action masks apply to Discrete actions only.");
        if (!deterministic && WarmingUp)
        {
            RandomActions(actions, default, batch);
            return;
        }
        int n = batch * Spaces.ActionSize;
        using (Autograd.NoGrad()) actor.Forward(Rows(NetworkObservations(observations), batch)).Contiguous().AsSpan().CopyTo(actions);
        if (!deterministic && Options.ActionNoiseStd > 0)
            for (int i = 0; i < n; i++) actions[i] = Math.Clamp(actions[i] + (float)(Options.ActionNoiseStd * Rng.NextNormal()), -1f, 1f);
        scaler.ToEnv(actions[..n]);
    }

    /// <inheritdoc />
    protected override Dictionary<string, double> Train(int gradientSteps)
    {
        var o = Options;
        double lr = o.LearningRate.At(ProgressRemaining);
        actorOptimizer.Lr = lr;
        criticOptimizer.Lr = lr;
        int b = Batch.Size;
        if (scaledActions.Length != Batch.Actions.Length) scaledActions = new float[Batch.Actions.Length];
        double actorLossSum = 0, criticLossSum = 0;
        int actorUpdates = 0;
        for (int step = 0; step < gradientSteps; step++)
        {
            NUpdates++;
            Replay.Sample(Batch, Rng);
            var obs = Rows(NetworkObservations(Batch.Observations), b);
            var nextObs = Rows(NetworkObservations(Batch.NextObservations), b);
            scaler.FromEnv(Batch.Actions, scaledActions);
            var actions = Tensor.FromArray(scaledActions, b, Spaces.ActionSize);
            var rewards = Tensor.FromArray(Batch.Rewards, b);
            var notDone = Tensor.FromArray(Batch.Terminated, b).Neg().Add(1);
            var discounts = Tensor.FromArray(Batch.Discounts, b);

            Tensor target;
            using (Autograd.NoGrad())
            {
                // Target policy smoothing: clipped Gaussian noise on the target action, then clip into [-1, 1].
                Tensor noise = Tensor.Randn([b, Spaces.ActionSize], Rng).Mul(o.TargetPolicyNoise).Clamp(-o.TargetNoiseClip, o.TargetNoiseClip);
                Tensor nextActions = actorTarget.Forward(nextObs).Add(noise).Clamp(-1, 1);
                var (tq1, tq2) = criticTarget.Forward(nextObs, nextActions);
                target = rewards.Add(discounts.Mul(notDone).Mul(tq1.Minimum(tq2)));
            }
            var (q1, q2) = critic.Forward(obs, actions);
            Tensor criticLoss = q1.Sub(target).Square().Mean().Add(q2.Sub(target).Square().Mean());
            criticOptimizer.ZeroGrad();
            criticLoss.Backward();
            criticOptimizer.Step();
            criticLossSum += criticLoss.Item<float>();

            // Delayed policy updates: the actor and all targets move once every policy_delay critic updates.
            if (NUpdates % o.PolicyDelay == 0)
            {
                Tensor actorLoss = critic.Q1(obs, actor.Forward(obs)).Mean().Neg();
                actorOptimizer.ZeroGrad();
                actorLoss.Backward();
                actorOptimizer.Step();
                Networks.SoftUpdate(criticTarget, critic, o.Tau);
                Networks.SoftUpdate(actorTarget, actor, o.Tau);
                actorLossSum += actorLoss.Item<float>();
                actorUpdates++;
            }
        }
        return new Dictionary<string, double>
        {
            ["train/actor_loss"] = actorUpdates > 0 ? actorLossSum / actorUpdates : double.NaN,
            ["train/critic_loss"] = criticLossSum / Math.Max(gradientSteps, 1),
            ["train/learning_rate"] = lr,
            ["train/n_updates"] = NUpdates,
        };
    }

    /// <inheritdoc />
    protected override void OnWeightsReplaced() => Networks.HardUpdate(actorTarget, actor);
}
