using RlPlat.Agents.Buffers;
using RlPlat.Agents.Policies;
using RlPlat.Engine;
using RlPlat.Engine.NN;
using RlPlat.Engine.Optim;

namespace RlPlat.Agents.Algorithms;

/// <summary>
/// Proximal Policy Optimization (Schulman et al. 2017), as Stable-Baselines3 implements it: clipped surrogate
/// objective, optional clipped value loss, per-minibatch advantage normalization, entropy bonus, gradient clipping,
/// linear learning-rate and clip-range annealing, and early stopping of an update at a target KL.
/// Discrete actions (with masks) and continuous (diagonal Gaussian) actions.
/// </summary>
public sealed class Ppo : OnPolicyAgent
{
    private readonly Adam optimizer;
    private int[] indices = [];
    private float[] obsBatch = [], actBatch = [], oldLogProbBatch = [], advBatch = [], retBatch = [], oldValueBatch = [];
    private bool[] maskBatch = [];

    /// <summary>A PPO agent for <paramref name="spaces"/>.</summary>
    public Ppo(AgentSpaces spaces, PpoOptions options, int seed)
        : base("ppo", spaces, seed, options.Network, options.Normalize, options.NSteps, options.Gamma)
    {
        Options = options;
        // SB3 uses Adam with eps 1e-5 for its on-policy algorithms.
        optimizer = TrackOptimizer("optimizer", new Adam(Policy, options.LearningRate.At(1), eps: 1e-5));
    }

    /// <summary>The settings.</summary>
    public PpoOptions Options { get; }

    /// <inheritdoc />
    protected override Dictionary<string, double> Train(RolloutBuffer rollout)
    {
        var o = Options;
        double lr = o.LearningRate.At(ProgressRemaining), clip = o.ClipRange.At(ProgressRemaining);
        optimizer.Lr = lr;
        rollout.ComputeReturnsAndAdvantages(LastValues, o.Gamma, o.GaeLambda);

        int n = rollout.Capacity, obsSize = rollout.ObservationSize, actSize = rollout.ActionSize, k = rollout.ActionCount;
        int batchSize = Math.Min(o.BatchSize, n);
        EnsureScratch(n, batchSize, obsSize, actSize, k);

        double pgLossSum = 0, valueLossSum = 0, entropyLossSum = 0, clipFractionSum = 0, approxKl = 0, lossValue = 0;
        int minibatches = 0;
        bool continueTraining = true;
        for (int epoch = 0; epoch < o.NEpochs && continueTraining; epoch++)
        {
            rollout.Shuffle(indices, Rng);
            // SB3 drops nothing: the last minibatch may be smaller.
            for (int start = 0; start < n; start += batchSize)
            {
                int b = Math.Min(batchSize, n - start);
                ReadOnlySpan<int> idx = indices.AsSpan(start, b);
                RolloutBuffer.GatherRows(rollout.Observations, obsSize, idx, obsBatch);
                RolloutBuffer.GatherRows(rollout.Actions, actSize, idx, actBatch);
                RolloutBuffer.GatherRows(rollout.LogProbs, 1, idx, oldLogProbBatch);
                RolloutBuffer.GatherRows(rollout.Advantages, 1, idx, advBatch);
                RolloutBuffer.GatherRows(rollout.Returns, 1, idx, retBatch);
                RolloutBuffer.GatherRows(rollout.Values, 1, idx, oldValueBatch);
                Tensor? masks = null;
                if (rollout.ActionMasks != null)
                {
                    RolloutBuffer.GatherRows(rollout.ActionMasks, k, idx, maskBatch);
                    masks = Tensor.FromArray(maskBatch, batchSize, k).Narrow(0, 0, b);
                }
                var obs = Tensor.FromArray(obsBatch, batchSize, obsSize).Narrow(0, 0, b);
                var actions = Tensor.FromArray(actBatch, batchSize, actSize).Narrow(0, 0, b);
                var oldLogProb = Tensor.FromArray(oldLogProbBatch, batchSize).Narrow(0, 0, b);
                // Normalizing a single advantage would divide by a zero std.
                if (o.NormalizeAdvantage && b > 1) NormalizeInPlace(advBatch.AsSpan(0, b));
                var advantages = Tensor.FromArray(advBatch, batchSize).Narrow(0, 0, b);
                var returns = Tensor.FromArray(retBatch, batchSize).Narrow(0, 0, b);
                var oldValues = Tensor.FromArray(oldValueBatch, batchSize).Narrow(0, 0, b);

                var (distribution, values) = Policy.Evaluate(obs, masks);
                Tensor logProb = ActorCriticPolicy.LogProb(distribution, actions);
                Tensor entropy = distribution.Entropy();

                // Clipped surrogate: the ratio's move away from 1 earns nothing beyond clip.
                Tensor logRatio = logProb.Sub(oldLogProb);
                Tensor ratio = logRatio.Exp();
                Tensor surrogate1 = advantages.Mul(ratio);
                Tensor surrogate2 = advantages.Mul(ratio.Clamp(1 - clip, 1 + clip));
                Tensor policyLoss = surrogate1.Minimum(surrogate2).Mean().Neg();

                // Optionally clip the value prediction around the value the rollout was collected with.
                Tensor valuePred = o.ClipRangeVf is double vfClip ? oldValues.Add(values.Sub(oldValues).Clamp(-vfClip, vfClip)) : values;
                Tensor valueLoss = returns.Sub(valuePred).Square().Mean();
                Tensor entropyLoss = entropy.Mean().Neg();
                Tensor loss = policyLoss.Add(entropyLoss.Mul(o.EntCoef)).Add(valueLoss.Mul(o.VfCoef));

                // Approximate KL (Schulman's low-variance estimator): stop this update once the policy moved too far.
                // Both statistics come from one managed pass over the ratios rather than eight small tensor ops.
                (approxKl, double clipFraction) = KlAndClipFraction(ratio, logRatio, clip);
                if (o.TargetKl is double targetKl && approxKl > 1.5 * targetKl)
                {
                    continueTraining = false;
                    break;
                }

                optimizer.ZeroGrad(setToNone: false); // the same gradient buffers every step: fused layers add into them
                loss.Backward();
                GradClipping.ClipGradNorm(Policy, o.MaxGradNorm);
                optimizer.Step();
                NUpdates++;

                pgLossSum += policyLoss.Item<float>();
                valueLossSum += valueLoss.Item<float>();
                entropyLossSum += entropyLoss.Item<float>();
                clipFractionSum += clipFraction;
                lossValue = loss.Item<float>();
                minibatches++;
            }
        }

        int m = Math.Max(minibatches, 1);
        return new Dictionary<string, double>
        {
            ["train/policy_gradient_loss"] = pgLossSum / m,
            ["train/value_loss"] = valueLossSum / m,
            ["train/entropy_loss"] = entropyLossSum / m,
            ["train/approx_kl"] = approxKl,
            ["train/clip_fraction"] = clipFractionSum / m,
            ["train/loss"] = lossValue,
            ["train/explained_variance"] = ExplainedVariance(rollout.Values, rollout.Returns),
            ["train/learning_rate"] = lr,
            ["train/clip_range"] = clip,
            ["train/n_updates"] = NUpdates,
        };
    }

    /// <summary>(x - mean) / (std + 1e-8) with the unbiased std, as SB3 (a managed pass instead of five tensor ops).</summary>
    private static void NormalizeInPlace(Span<float> x)
    {
        double mean = 0, squares = 0;
        foreach (float v in x) mean += v;
        mean /= x.Length;
        foreach (float v in x) squares += (v - mean) * (v - mean);
        double scale = 1.0 / (Math.Sqrt(squares / (x.Length - 1)) + 1e-8);
        for (int i = 0; i < x.Length; i++) x[i] = (float)((x[i] - mean) * scale);
    }

    /// <summary>Mean of (ratio - 1) - log ratio (Schulman's approximate KL) and the fraction of |ratio - 1| &gt; clip.</summary>
    private static (double ApproxKl, double ClipFraction) KlAndClipFraction(Tensor ratio, Tensor logRatio, double clip)
    {
        ReadOnlySpan<float> r = ratio.Detach().Contiguous().AsSpan(), lr = logRatio.Detach().Contiguous().AsSpan();
        double kl = 0;
        int clipped = 0;
        for (int i = 0; i < r.Length; i++)
        {
            kl += r[i] - 1.0 - lr[i];
            if (Math.Abs(r[i] - 1.0) > clip) clipped++;
        }
        return (kl / r.Length, (double)clipped / r.Length);
    }

    private void EnsureScratch(int n, int batchSize, int obsSize, int actSize, int k)
    {
        if (indices.Length == n && obsBatch.Length == batchSize * obsSize) return;
        indices = new int[n];
        obsBatch = new float[batchSize * obsSize];
        actBatch = new float[batchSize * actSize];
        oldLogProbBatch = new float[batchSize];
        advBatch = new float[batchSize];
        retBatch = new float[batchSize];
        oldValueBatch = new float[batchSize];
        maskBatch = new bool[batchSize * Math.Max(k, 1)];
    }
}
