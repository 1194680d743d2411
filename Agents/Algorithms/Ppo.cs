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
    private float[] obsBatch = [], actBatch = [], oldLogProbBatch = [], advBatch = [], retBatch = [], oldValueBatch = [], surrogateWeights = [];
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
                var returns = Tensor.FromArray(retBatch, batchSize).Narrow(0, 0, b);
                var oldValues = Tensor.FromArray(oldValueBatch, batchSize).Narrow(0, 0, b);

                var (distribution, values) = Policy.Evaluate(obs, masks);
                Tensor logProb = ActorCriticPolicy.LogProb(distribution, actions);
                Tensor entropy;
                if (o.EntCoef != 0) entropy = distribution.Entropy();
                else using (Autograd.NoGrad()) entropy = distribution.Entropy(); // only a metric then: no graph for it

                // Clipped surrogate -mean(min(A·r, A·clip(r))): the ratio's move away from 1 earns nothing beyond clip.
                // One managed pass over the ratios finds where the unclipped term is the minimum (gradient A there, 0
                // where the flat clipped term is); the loss differentiated is -mean(w·r) with those weights, which has
                // the same gradient, and the pass also yields the objective's value, the approximate KL and the clip fraction.
                Tensor logRatio = logProb.Sub(oldLogProb);
                Tensor ratio = logRatio.Exp();
                var (policyLossValue, approxKlNow, clipFraction) = ClippedSurrogate(ratio, logRatio, advBatch.AsSpan(0, b), clip, surrogateWeights);
                approxKl = approxKlNow;
                Tensor policyLoss = ratio.Mul(Tensor.FromArray(surrogateWeights, batchSize).Narrow(0, 0, b)).Mean().Neg();

                // Optionally clip the value prediction around the value the rollout was collected with.
                Tensor valuePred = o.ClipRangeVf is double vfClip ? oldValues.Add(values.Sub(oldValues).Clamp(-vfClip, vfClip)) : values;
                Tensor valueLoss = returns.Sub(valuePred).Square().Mean();
                Tensor entropyLoss = entropy.Mean().Neg();
                // rl-zoo's CartPole entry has ent_coef 0: a zero-weighted entropy term would only backpropagate zeros.
                Tensor loss = o.EntCoef != 0 ? policyLoss.Add(entropyLoss.Mul(o.EntCoef)) : policyLoss;
                loss = loss.Add(valueLoss.Mul(o.VfCoef));

                // Approximate KL (Schulman's low-variance estimator): stop this update once the policy moved too far.
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

                double valueLossValue = valueLoss.Item<float>(), entropyLossValue = entropyLoss.Item<float>();
                pgLossSum += policyLossValue;
                valueLossSum += valueLossValue;
                entropyLossSum += entropyLossValue;
                clipFractionSum += clipFraction;
                lossValue = policyLossValue + o.EntCoef * entropyLossValue + o.VfCoef * valueLossValue;
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

    /// <summary>
    /// For the clipped surrogate min(A·r, A·clip(r)): per sample the weight of r in its gradient (A where the unclipped
    /// term is the minimum or r is inside the clip range, else 0; float32 comparisons, as the tensor ops would make),
    /// the objective -mean(min(...)), Schulman's approximate KL mean((r - 1) - log r) and the fraction with |r - 1| &gt; clip.
    /// </summary>
    private static (double PolicyLoss, double ApproxKl, double ClipFraction) ClippedSurrogate(Tensor ratio, Tensor logRatio,
        ReadOnlySpan<float> advantages, double clip, Span<float> weights)
    {
        ReadOnlySpan<float> r = ratio.Detach().Contiguous().AsSpan(), lr = logRatio.Detach().Contiguous().AsSpan();
        float lo = (float)(1 - clip), hi = (float)(1 + clip);
        double objective = 0, kl = 0;
        int clipped = 0;
        for (int i = 0; i < r.Length; i++)
        {
            float a = advantages[i], unclippedTerm = a * r[i], clippedTerm = a * Math.Clamp(r[i], lo, hi);
            bool unclipped = unclippedTerm < clippedTerm || (r[i] >= lo && r[i] <= hi);
            weights[i] = unclipped ? a : 0f;
            objective += Math.Min(unclippedTerm, clippedTerm);
            kl += r[i] - 1.0 - lr[i];
            if (Math.Abs(r[i] - 1.0) > clip) clipped++;
        }
        return (-objective / r.Length, kl / r.Length, (double)clipped / r.Length);
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
        surrogateWeights = new float[batchSize];
        maskBatch = new bool[batchSize * Math.Max(k, 1)];
    }
}
