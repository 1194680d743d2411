using RlPlat.Agents.Buffers;
using RlPlat.Engine;
using RlPlat.Engine.Distributions;
using RlPlat.Engine.NN;
using RlPlat.Engine.Optim;

namespace RlPlat.Agents.Online;

/// <summary>
/// Online advantage actor-critic for discrete (categorical) and continuous (diagonal Gaussian, state-independent
/// log std) actions. Each update takes the next <c>n_steps</c> fresh transitions in stream order (never one twice)
/// and uses the one-step TD error r + gamma V(s') - V(s) as the advantage: the classic online actor-critic, batched so
/// a gradient step is worth its overhead. The actor samples from the published snapshot, which lags the learner by
/// at most <c>publish_every</c> updates: that small off-policyness is the price of never waiting for the learner.
/// </summary>
public sealed class OnlineActorCritic : OnlineLearner
{
    private readonly GrowableMlp actor, critic;
    private readonly StdModule? logStd;
    private readonly Adam optimizer;
    private readonly ReplayBatch batch;
    private readonly float[] outputs;

    /// <summary>An online actor-critic for <paramref name="spaces"/> (Discrete or Box actions).</summary>
    public OnlineActorCritic(AgentSpaces spaces, OnlineAcOptions options, int seed)
        : base("online-ac", spaces, options, new StreamingReplay(options.BufferSize, spaces.ObservationSize, spaces.ActionSize), seed)
    {
        AcOptions = options;
        int outputsCount = spaces.IsDiscrete ? spaces.ActionCount : spaces.ActionSize;
        actor = Track("actor", new GrowableMlp([spaces.ObservationSize, .. options.Hidden, outputsCount], options.Activation, Rng));
        critic = Track("critic", new GrowableMlp([spaces.ObservationSize, .. options.Hidden, 1], options.Activation, Rng));
        // Small last layers: near-uniform initial policy, near-zero initial values (as SB3's orthogonal 0.01 / 1 gains aim for).
        using (Autograd.NoGrad())
        {
            var last = (Linear)actor.Blocks[^1];
            last.Weight.Value.MulInPlace(0.01);
            last.Bias!.Value.MulInPlace(0);
        }
        List<Module> trained = [actor, critic];
        if (!spaces.IsDiscrete) trained.Add(logStd = Track("log_std", new StdModule(spaces.ActionSize, options.LogStdInit)));
        optimizer = TrackOptimizer("optimizer", new Adam(trained.ConvertAll(m => new ParamGroup(m)), options.LearningRate));
        batch = new ReplayBatch(options.NSteps, spaces.ObservationSize, spaces.ActionSize);
        outputs = new float[outputsCount];
        Publish();
    }

    /// <summary>The settings.</summary>
    public OnlineAcOptions AcOptions { get; }

    /// <inheritdoc/>
    public override GrowableMlp PolicyNetwork => actor;

    /// <inheritdoc/>
    protected override IEnumerable<GrowableMlp> GrowingNetworks => [actor, critic];

    /// <inheritdoc/>
    protected override float[] ActionStd()
    {
        if (logStd is null) return [];
        using var _ = Autograd.NoGrad();
        var std = logStd.LogStd.Value.Exp().Contiguous().AsSpan<float>().ToArray();
        return std;
    }

    /// <inheritdoc/>
    public override void Act(PublishedPolicy policy, ReadOnlySpan<float> observation, Span<float> action, Generator rng, long step, bool explore)
    {
        policy.Network.Forward(observation, outputs);
        if (Spaces.IsDiscrete)
        {
            int chosen = explore ? SampleSoftmax(outputs, rng) : ArgMax(outputs);
            action[0] = Spaces.ActionStart + chosen;
            return;
        }
        // The unclipped Gaussian sample is what the log-probability is of; the env clips it into its box.
        for (int i = 0; i < outputs.Length; i++)
            action[i] = explore ? outputs[i] + policy.ActionStd[i] * (float)rng.NextNormal() : outputs[i];
    }

    private static int ArgMax(ReadOnlySpan<float> v)
    {
        int best = 0;
        for (int i = 1; i < v.Length; i++) if (v[i] > v[best]) best = i;
        return best;
    }

    private static int SampleSoftmax(ReadOnlySpan<float> logits, Generator rng)
    {
        float max = logits[ArgMax(logits)];
        double sum = 0;
        for (int i = 0; i < logits.Length; i++) sum += Math.Exp(logits[i] - max);
        double u = rng.NextDouble() * sum;
        for (int i = 0; i < logits.Length; i++)
        {
            u -= Math.Exp(logits[i] - max);
            if (u <= 0) return i;
        }
        return logits.Length - 1;
    }

    /// <inheritdoc/>
    protected override bool HasData() => Replay.Fresh >= batch.Size;

    /// <inheritdoc/>
    protected override double TrainStep()
    {
        if (!Replay.TakeFresh(batch)) throw new InvalidOperationException($"online-ac: fewer than {batch.Size} fresh transitions; only the learning thread may take them.");
        int b = batch.Size;
        var obs = Rows(batch.Observations, b);
        var nextObs = Rows(batch.NextObservations, b);
        var rewards = Tensor.FromArray((float[])batch.Rewards.Clone(), b);
        var notDone = Tensor.FromArray((float[])batch.Terminated.Clone(), b).Neg().Add(1);
        Tensor target;
        using (Autograd.NoGrad()) target = rewards.Add(notDone.Mul(critic.Forward(nextObs).Squeeze(-1)).Mul(Options.Gamma));
        var value = critic.Forward(obs).Squeeze(-1);
        var advantage = target.Sub(value.Detach());
        Tensor logProb, entropy;
        if (Spaces.IsDiscrete)
        {
            var index = new long[b];
            for (int i = 0; i < b; i++) index[i] = (long)batch.Actions[i] - Spaces.ActionStart;
            var dist = new Categorical(actor.Forward(obs));
            logProb = dist.LogProb(Tensor.FromArray(index, b));
            entropy = dist.Entropy();
        }
        else
        {
            var dist = DiagGaussian.FromLogStd(actor.Forward(obs), logStd!.LogStd.Value.Unsqueeze(0).Expand(b, Spaces.ActionSize));
            logProb = dist.LogProb(Rows(batch.Actions, b));
            entropy = dist.Entropy();
        }
        var policyLoss = logProb.Mul(advantage).Mean().Neg();
        var valueLoss = Engine.NN.Functional.MseLoss(value, target);
        var loss = policyLoss.Add(valueLoss.Mul(AcOptions.VfCoef)).Sub(entropy.Mean().Mul(AcOptions.EntCoef));
        optimizer.ZeroGrad();
        loss.Backward();
        GradClipping.ClipGradNorm(Params(), Options.MaxGradNorm);
        optimizer.Step();
        return loss.Item<float>();
    }

    private IEnumerable<Parameter> Params()
    {
        foreach (var p in actor.Parameters()) yield return p;
        foreach (var p in critic.Parameters()) yield return p;
        if (logStd != null) yield return logStd.LogStd;
    }

    /// <summary>Holds the Gaussian policy's log standard deviation so it saves, loads and trains like a network.</summary>
    private sealed class StdModule : Module
    {
        public StdModule(int size, double init) => LogStd = RegisterParameter("log_std", Tensor.Full([size], init))!;

        public Parameter LogStd { get; }

        public override Tensor Forward(Tensor input) => throw new InvalidOperationException("StdModule holds a parameter; it has no forward pass.");
    }
}
