using RlPlat.Agents.Buffers;
using RlPlat.Agents.Policies;
using RlPlat.Engine;
using RlPlat.Engine.NN;
using RlPlat.Engine.Optim;

namespace RlPlat.Agents.Algorithms;

/// <summary>
/// Soft Actor-Critic (Haarnoja et al. 2018) as Stable-Baselines3 implements it: a tanh-squashed Gaussian actor, twin
/// critics with Polyak-averaged targets (clipped double Q), and automatic tuning of the entropy coefficient towards a
/// target entropy of -|A|. Box actions; the networks work in [-1, 1] and actions are scaled to the env's bounds.
/// </summary>
public sealed class Sac : OffPolicyAgent
{
    private readonly SquashedGaussianActor actor;
    private readonly TwinCritic critic, criticTarget;
    private readonly Adam actorOptimizer, criticOptimizer;
    private readonly Adam? entCoefOptimizer;
    private readonly Parameter? logEntCoef;
    private readonly double fixedEntCoef, targetEntropy;
    private readonly ActionScaler scaler;
    private float[] scaledActions = [];

    /// <summary>A SAC agent for <paramref name="spaces"/> (bounded Box actions).</summary>
    public Sac(AgentSpaces spaces, SacOptions options, int seed)
        : base("sac", spaces, seed, new ReplayBuffer(options.BufferSize, spaces.ObservationSize, spaces.ActionSize), options.LearningStarts,
            options.TrainFreq, options.GradientSteps, options.BatchSize, 1, options.Gamma)
    {
        RequireBoundedBox(spaces, "sac");
        Options = options;
        scaler = new ActionScaler(spaces);
        actor = TrackModule("actor", new SquashedGaussianActor(spaces, options.Network, Rng));
        critic = TrackModule("critic", new TwinCritic(spaces, options.Network, Rng));
        criticTarget = TrackModule("critic_target", new TwinCritic(spaces, options.Network, Rng));
        Networks.HardUpdate(criticTarget, critic);
        double lr = options.LearningRate.At(1);
        actorOptimizer = TrackOptimizer("actor_optimizer", new Adam(actor, lr));
        criticOptimizer = TrackOptimizer("critic_optimizer", new Adam(critic, lr));
        targetEntropy = options.TargetEntropy ?? -spaces.ActionSize;
        if (options.AutoEntCoef)
        {
            // A holder module so the log coefficient is saved and optimized like any parameter.
            var holder = TrackModule("ent_coef", new ParameterHolder());
            logEntCoef = holder.RegisterParameter("log_ent_coef", Tensor.Full([1], Math.Log(options.InitialEntCoef())));
            entCoefOptimizer = TrackOptimizer("ent_coef_optimizer", new Adam(holder, lr));
        }
        else fixedEntCoef = options.InitialEntCoef();
    }

    /// <summary>The settings.</summary>
    public SacOptions Options { get; }

    /// <summary>The current entropy coefficient alpha.</summary>
    public double EntCoef => logEntCoef != null ? Math.Exp(logEntCoef.Value.Item<float>()) : fixedEntCoef;

    /// <inheritdoc />
    protected override Module ActingNetwork => actor;

    /// <inheritdoc />
    public override void Act(ReadOnlySpan<float> observations, int batch, Span<float> actions, bool deterministic, ReadOnlySpan<bool> actionMasks = default)
    {
        if (!actionMasks.IsEmpty) throw new ArgumentException("sac: action masks apply to Discrete actions only.");
        if (!deterministic && WarmingUp)
        {
            RandomActions(actions, default, batch);
            return;
        }
        using (Autograd.NoGrad())
        {
            var obs = Rows(NetworkObservations(observations), batch);
            Tensor chosen = deterministic ? actor.Mode(obs) : actor.Sample(obs, Rng).Actions;
            chosen.Contiguous().AsSpan().CopyTo(actions);
        }
        scaler.ToEnv(actions[..(batch * Spaces.ActionSize)]);
    }

    /// <inheritdoc />
    protected override Dictionary<string, double> Train(int gradientSteps)
    {
        var o = Options;
        double lr = o.LearningRate.At(ProgressRemaining);
        actorOptimizer.Lr = lr;
        criticOptimizer.Lr = lr;
        if (entCoefOptimizer != null) entCoefOptimizer.Lr = lr;
        int b = Batch.Size;
        if (scaledActions.Length != Batch.Actions.Length) scaledActions = new float[Batch.Actions.Length];
        double actorLossSum = 0, criticLossSum = 0, entCoefLossSum = 0, entCoefSum = 0;
        for (int step = 0; step < gradientSteps; step++)
        {
            Replay.Sample(Batch, Rng);
            var obs = Rows(NetworkObservations(Batch.Observations), b);
            var nextObs = Rows(NetworkObservations(Batch.NextObservations), b);
            scaler.FromEnv(Batch.Actions, scaledActions);
            var actions = Tensor.FromArray(scaledActions, b, Spaces.ActionSize);
            var rewards = Tensor.FromArray(Batch.Rewards, b);
            var notDone = Tensor.FromArray(Batch.Terminated, b).Neg().Add(1);
            var discounts = Tensor.FromArray(Batch.Discounts, b);

            // 1. Entropy coefficient: raise alpha when the policy's entropy is below the target, lower it above.
            var (piActions, logPi) = actor.Sample(obs, Rng);
            double alpha;
            if (logEntCoef != null)
            {
                alpha = Math.Exp(logEntCoef.Value.Item<float>());
                Tensor entCoefLoss = logEntCoef.Value.Mul(logPi.Detach().Add(targetEntropy)).Mean().Neg();
                entCoefOptimizer!.ZeroGrad();
                entCoefLoss.Backward();
                entCoefOptimizer.Step();
                entCoefLossSum += entCoefLoss.Item<float>();
            }
            else alpha = fixedEntCoef;
            entCoefSum += alpha;

            // 2. Critics: soft Bellman target with the smaller of the two target critics.
            Tensor target;
            using (Autograd.NoGrad())
            {
                var (nextActions, nextLogPi) = actor.Sample(nextObs, Rng);
                var (tq1, tq2) = criticTarget.Forward(nextObs, nextActions);
                Tensor nextQ = tq1.Minimum(tq2).Sub(nextLogPi.Mul(alpha));
                target = rewards.Add(discounts.Mul(notDone).Mul(nextQ));
            }
            var (q1, q2) = critic.Forward(obs, actions);
            Tensor criticLoss = q1.Sub(target).Square().Mean().Add(q2.Sub(target).Square().Mean()).Mul(0.5);
            criticOptimizer.ZeroGrad();
            criticLoss.Backward();
            criticOptimizer.Step();

            // 3. Actor: maximize min Q - alpha log pi (critic gradients from this loss are discarded by the next ZeroGrad).
            var (pq1, pq2) = critic.Forward(obs, piActions);
            Tensor actorLoss = logPi.Mul(alpha).Sub(pq1.Minimum(pq2)).Mean();
            actorOptimizer.ZeroGrad();
            actorLoss.Backward();
            actorOptimizer.Step();
            NUpdates++;

            if (NUpdates % o.TargetUpdateInterval == 0) Networks.SoftUpdate(criticTarget, critic, o.Tau);
            actorLossSum += actorLoss.Item<float>();
            criticLossSum += criticLoss.Item<float>();
        }
        int m = Math.Max(gradientSteps, 1);
        return new Dictionary<string, double>
        {
            ["train/actor_loss"] = actorLossSum / m,
            ["train/critic_loss"] = criticLossSum / m,
            ["train/ent_coef"] = entCoefSum / m,
            ["train/ent_coef_loss"] = entCoefLossSum / m,
            ["train/learning_rate"] = lr,
            ["train/n_updates"] = NUpdates,
        };
    }

    /// <summary>Throws unless the action space is a Box with finite bounds (tanh policies need them).</summary>
    internal static void RequireBoundedBox(AgentSpaces spaces, string algorithm)
    {
        if (spaces.IsDiscrete) throw new ArgumentException($"{algorithm}: needs a Box action space, got {spaces.ActionSpace}.");
        for (int i = 0; i < spaces.ActionSize; i++)
            if (double.IsInfinity(spaces.ActionLow[i]) || double.IsInfinity(spaces.ActionHigh[i]))
                throw new ArgumentException($"{algorithm}: action dimension {i} is unbounded ({spaces.ActionLow[i]}, {spaces.ActionHigh[i]}); tanh policies need finite bounds.");
    }
}

/// <summary>A module that only holds parameters registered from outside (SAC's log entropy coefficient).</summary>
internal sealed class ParameterHolder : Module;
