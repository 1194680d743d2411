using RlPlat.Agents.Buffers;
using RlPlat.Agents.Normalization;
using RlPlat.Agents.Policies;
using RlPlat.Engine;
using RlPlat.Engine.NN;

namespace RlPlat.Agents.Algorithms;

/// <summary>
/// Rollout collection shared by PPO, A2C and REINFORCE (SB3's <c>OnPolicyAlgorithm</c>): act with the actor-critic,
/// remember the values and log-probabilities, store each step in a <see cref="RolloutBuffer"/> (bootstrapping truncated
/// episodes from V(final observation)), and report ready once <c>n_steps</c> steps per env are in. Subclasses only
/// write <see cref="Train"/>.
/// </summary>
public abstract class OnPolicyAgent : AgentBase
{
    private readonly int nSteps;
    private float[] lastValues = [], lastLogProbs = [], lastObservations = [], nextValues = [];
    private bool[] lastMasks = [];
    private bool hasLastMasks;

    /// <summary>Builds the policy; the buffer is sized at the first step, when the number of envs is known.</summary>
    protected OnPolicyAgent(string algorithm, AgentSpaces spaces, int seed, NetworkOptions network, NormalizationOptions normalize, int nSteps, double gamma)
        : base(algorithm, spaces, seed)
    {
        this.nSteps = nSteps;
        Gamma = gamma;
        Policy = TrackModule("policy", new ActorCriticPolicy(spaces, network, Rng));
        if (normalize.Observations) ObservationNormalizer = new ObservationNormalizer(spaces.ObservationSize, normalize.ClipObservations);
        if (normalize.Rewards) RewardNormalizer = new RewardNormalizer(gamma, normalize.ClipRewards);
    }

    /// <summary>Discount factor.</summary>
    public double Gamma { get; }

    /// <summary>The actor-critic.</summary>
    public ActorCriticPolicy Policy { get; }

    /// <summary>The rollout storage (null before the first step).</summary>
    protected RolloutBuffer? Buffer { get; private set; }

    /// <summary>V(s) of the observations after the last stored step, for bootstrapping the rollout's end.</summary>
    protected ReadOnlySpan<float> LastValues => nextValues;

    /// <summary>Gradient updates so far.</summary>
    public long NUpdates { get; protected set; }

    /// <inheritdoc />
    protected override Module ActingNetwork => Policy;

    /// <inheritdoc />
    public override bool ReadyToLearn => Buffer is { IsFull: true };

    /// <inheritdoc />
    public override void Act(ReadOnlySpan<float> observations, int batch, Span<float> actions, bool deterministic, ReadOnlySpan<bool> actionMasks = default)
    {
        ReadOnlySpan<float> netObs = NetworkObservations(observations);
        using (Autograd.NoGrad())
        {
            var obs = Rows(netObs, batch);
            var masks = MaskTensor(actionMasks, batch);
            if (deterministic)
            {
                ActorCriticPolicy.Choose(Policy.Distribution(obs, masks), true, Rng, actions);
                return;
            }
            var (distribution, value) = Policy.Evaluate(obs, masks);
            // Kept for Observe: what the buffer needs about this step besides the transition itself.
            lastValues = value.ToArray();
            lastLogProbs = ActorCriticPolicy.SampleWithLogProb(distribution, Rng, actions);
            lastObservations = netObs.ToArray();
            hasLastMasks = !actionMasks.IsEmpty;
            if (hasLastMasks) lastMasks = actionMasks.ToArray();
        }
    }

    /// <inheritdoc />
    public override void Observe(TransitionBatch t)
    {
        int n = t.NumEnvs;
        if (lastValues.Length != n) throw new InvalidOperationException($"{Algorithm}.Observe: expected a stochastic Act on {n} envs right before (last Act had {lastValues.Length}).");
        Buffer ??= new RolloutBuffer(nSteps, n, Spaces.ObservationSize, Spaces.ActionSize, Spaces.IsDiscrete ? Spaces.ActionCount : 0);
        if (Buffer.NumEnvs != n) throw new ArgumentException($"{Algorithm}.Observe: the rollout buffer is for {Buffer.NumEnvs} envs, got {n}.");

        ObservationNormalizer?.Update(t.NextObservations);
        Span<float> rewards = stackalloc float[n];
        t.Rewards.CopyTo(rewards);
        RewardNormalizer?.UpdateAndScale(rewards, t.Terminated, t.Truncated);

        // V(next observation) is needed to bootstrap truncated episodes and, at the last step, the rollout's end.
        bool anyTruncated = Array.IndexOf(t.Truncated, true) >= 0;
        if (anyTruncated || Buffer.StepsStored == nSteps - 1)
            using (Autograd.NoGrad()) nextValues = Policy.Value(Rows(NetworkObservations(t.NextObservations), n)).ToArray();
        else if (nextValues.Length != n) nextValues = new float[n];

        Buffer.Add(lastObservations, t.Actions, rewards, t.Terminated, t.Truncated, lastValues, lastLogProbs, nextValues,
            hasLastMasks ? lastMasks : default);
        lastValues = [];
        NumTimesteps += n;
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double> Learn()
    {
        if (!ReadyToLearn) throw new InvalidOperationException($"{Algorithm}.Learn: the rollout holds {Buffer?.StepsStored ?? 0} of {nSteps} steps.");
        var metrics = Train(Buffer!);
        Buffer!.Reset();
        return metrics;
    }

    /// <summary>Updates the networks from a full rollout (advantages not yet computed).</summary>
    protected abstract Dictionary<string, double> Train(RolloutBuffer rollout);

    /// <summary>1 - Var(returns - values) / Var(returns): how much of the return variance the critic explains.</summary>
    protected static double ExplainedVariance(ReadOnlySpan<float> values, ReadOnlySpan<float> returns)
    {
        double meanR = 0, meanD = 0;
        for (int i = 0; i < returns.Length; i++)
        {
            meanR += returns[i];
            meanD += returns[i] - values[i];
        }
        meanR /= returns.Length;
        meanD /= returns.Length;
        double varR = 0, varD = 0;
        for (int i = 0; i < returns.Length; i++)
        {
            varR += (returns[i] - meanR) * (returns[i] - meanR);
            double d = returns[i] - values[i] - meanD;
            varD += d * d;
        }
        return varR == 0 ? double.NaN : 1 - varD / varR;
    }

    /// <inheritdoc />
    protected override void SaveExtra(AgentState state)
    {
        state.Scalars["n_updates"] = NUpdates;
        // A checkpoint between updates carries the rollout collected so far, so the next update sees the same data.
        if (Buffer is { StepsStored: > 0 }) state.Blobs["rollout"] = Buffer.Save();
    }

    /// <inheritdoc />
    protected override void LoadExtra(AgentState state)
    {
        NUpdates = (long)state.Scalar("n_updates");
        if (!state.Blobs.TryGetValue("rollout", out var rollout))
        {
            Buffer?.Reset();
            return;
        }
        var loaded = RolloutBuffer.Load(rollout);
        if (loaded.NSteps != nSteps || loaded.ObservationSize != Spaces.ObservationSize || loaded.ActionSize != Spaces.ActionSize)
            throw new ArgumentException($"{Algorithm}.SetState: the saved rollout is {loaded.NSteps} steps x {loaded.ObservationSize} obs x {loaded.ActionSize} act, this agent collects {nSteps} x {Spaces.ObservationSize} x {Spaces.ActionSize}.");
        Buffer = loaded;
    }
}
