using RlPlat.Agents.Buffers;
using RlPlat.Agents.Policies;
using RlPlat.Engine;
using RlPlat.Engine.Optim;

namespace RlPlat.Agents.Algorithms;

/// <summary>
/// Advantage Actor-Critic (Mnih et al. 2016, synchronous), as Stable-Baselines3 implements it: one gradient step per
/// short rollout on policy loss -A·log π(a|s), value loss (R - V)², and an entropy bonus; RMSprop by default
/// (PyTorch's RMSprop with alpha 0.99 and eps 1e-5; SB3 uses a TF-style variant with eps inside the root).
/// </summary>
public class A2c : OnPolicyAgent
{
    private readonly Optimizer optimizer;

    /// <summary>An A2C agent for <paramref name="spaces"/>.</summary>
    public A2c(AgentSpaces spaces, A2cOptions options, int seed) : this("a2c", spaces, options, seed) { }

    /// <summary>For variants that share A2C's update under another name.</summary>
    protected A2c(string algorithm, AgentSpaces spaces, A2cOptions options, int seed)
        : base(algorithm, spaces, seed, options.Network, options.Normalize, options.NSteps, options.Gamma)
    {
        Options = options;
        optimizer = TrackOptimizer<Optimizer>("optimizer", options.UseRmsProp
            ? new RMSprop(Policy, options.LearningRate.At(1), alpha: 0.99, eps: options.RmsPropEps)
            : new Adam(Policy, options.LearningRate.At(1), eps: 1e-5));
    }

    /// <summary>The settings.</summary>
    public A2cOptions Options { get; }

    /// <inheritdoc />
    protected override Dictionary<string, double> Train(RolloutBuffer rollout)
    {
        var o = Options;
        double lr = o.LearningRate.At(ProgressRemaining);
        optimizer.Lr = lr;
        rollout.ComputeReturnsAndAdvantages(LastValues, o.Gamma, o.GaeLambda);

        // The whole rollout is one batch.
        int n = rollout.Capacity;
        var obs = Tensor.FromArray(rollout.Observations, n, rollout.ObservationSize);
        var actions = Tensor.FromArray(rollout.Actions, n, rollout.ActionSize);
        var masks = rollout.ActionMasks is { } m ? Tensor.FromArray(m, n, rollout.ActionCount) : null;
        var advantages = Tensor.FromArray(rollout.Advantages, n);
        var returns = Tensor.FromArray(rollout.Returns, n);
        if (o.NormalizeAdvantage && n > 1) advantages = advantages.Sub(advantages.Mean()).Div(advantages.Std().Add(1e-8));

        var (distribution, values) = Policy.Evaluate(obs, masks);
        Tensor logProb = ActorCriticPolicy.LogProb(distribution, actions);
        Tensor policyLoss = advantages.Mul(logProb).Mean().Neg();
        Tensor valueLoss = returns.Sub(values).Square().Mean();
        Tensor entropyLoss = distribution.Entropy().Mean().Neg();
        Tensor loss = policyLoss.Add(entropyLoss.Mul(o.EntCoef)).Add(valueLoss.Mul(o.VfCoef));

        optimizer.ZeroGrad(setToNone: false); // the same gradient buffers every step: fused layers add into them
        loss.Backward();
        GradClipping.ClipGradNorm(Policy, o.MaxGradNorm);
        optimizer.Step();
        NUpdates++;

        return new Dictionary<string, double>
        {
            ["train/policy_loss"] = policyLoss.Item<float>(),
            ["train/value_loss"] = valueLoss.Item<float>(),
            ["train/entropy_loss"] = entropyLoss.Item<float>(),
            ["train/explained_variance"] = ExplainedVariance(rollout.Values, rollout.Returns),
            ["train/learning_rate"] = lr,
            ["train/n_updates"] = NUpdates,
        };
    }
}
