namespace RlPlat.Engine.NN;

/// <summary>How a loss reduces its per-element values.</summary>
public enum Reduction
{
    /// <summary>The mean over all elements.</summary>
    Mean,
    /// <summary>The sum over all elements.</summary>
    Sum,
    /// <summary>No reduction: the per-element (or per-sample) losses.</summary>
    None,
    /// <summary>The sum divided by the batch size (dim 0); KL divergence's mathematically correct mean.</summary>
    BatchMean,
}

public static partial class Functional
{
    private static Tensor Reduce(Tensor loss, Reduction reduction) => reduction switch
    {
        Reduction.Mean => loss.Mean(),
        Reduction.Sum => loss.Sum(),
        Reduction.None => loss,
        Reduction.BatchMean => loss.Sum().Div(loss.Rank == 0 ? 1 : loss.Size(0)),
        _ => throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "unknown reduction"),
    };

    private static void SameShape(Tensor input, Tensor target, string op)
    {
        if (!input.ShapeSpan.SequenceEqual(target.ShapeSpan))
            throw new ArgumentException($"{op}: input shape {Shape.Format(input.ShapeSpan)} and target shape {Shape.Format(target.ShapeSpan)} differ");
    }

    /// <summary>Mean squared error (x - y)².</summary>
    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        SameShape(input, target, "MseLoss");
        return Reduce(input.Sub(target).Square(), reduction);
    }

    /// <summary>Mean absolute error |x - y|.</summary>
    public static Tensor L1Loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        SameShape(input, target, "L1Loss");
        return Reduce(input.Sub(target).Abs(), reduction);
    }

    /// <summary>Huber: ½d² where |d| &lt; δ, else δ(|d| - ½δ).</summary>
    public static Tensor HuberLoss(Tensor input, Tensor target, double delta = 1.0, Reduction reduction = Reduction.Mean)
    {
        SameShape(input, target, "HuberLoss");
        if (!(delta > 0)) throw new ArgumentException($"HuberLoss: delta must be > 0, got {delta}");
        if (HuberFused(input, target, delta, reduction) is { } fused) return fused;
        var d = input.Sub(target);
        var a = d.Abs();
        var loss = Tensor.Where(a.Lt(delta), d.Square().Mul(0.5), a.Sub(0.5 * delta).Mul(delta));
        return Reduce(loss, reduction);
    }

    /// <summary>
    /// Huber as one node on the host (DQN's loss every gradient step: one pass and one node instead of about twenty small
    /// ops). Values and gradients are those of the composed form: per element ½d² or δ(|d| - ½δ), the gradient g·d or
    /// (g·δ)·sign(d) with g the reduction's share (1/n for the mean, as Mean's backward computes it).
    /// </summary>
    private static Tensor? HuberFused(Tensor input, Tensor target, double delta, Reduction reduction)
    {
        if (reduction == Reduction.BatchMean || input.DType != DType.Float32 || target.DType != DType.Float32 || input.Numel == 0
            || input.IsOnGpu || target.IsOnGpu || input.IsLazy || target.IsLazy || LazyMode.IsActive)
            return null;
        var x = input.IsContiguous ? input : input.Contiguous();
        var t = target.IsContiguous ? target : target.Contiguous();
        ReadOnlySpan<float> xs = x.AsSpan(), ts = t.AsSpan();
        int n = xs.Length;
        float dt = (float)delta, halfDelta = (float)(0.5 * delta);
        var d = new float[n];
        var perElement = reduction == Reduction.None ? Tensor.Uninitialized(DType.Float32, input.Shape) : null;
        Span<float> losses = perElement != null ? perElement.AsSpan() : n <= 1024 ? stackalloc float[n] : new float[n];
        for (int i = 0; i < n; i++)
        {
            float di = xs[i] - ts[i], ai = Math.Abs(di);
            d[i] = di;
            losses[i] = ai < dt ? di * di * 0.5f : (ai - halfDelta) * dt;
        }
        Tensor y;
        if (perElement != null) y = perElement;
        else
        {
            float sum = System.Numerics.Tensors.TensorPrimitives.Sum<float>(losses);
            y = Tensor.Scalar(reduction == Reduction.Mean ? sum / n : sum, DType.Float32);
        }
        if (!Autograd.IsEnabled || !(input.RequiresGrad || target.RequiresGrad)) return y;
        int meanCount = reduction == Reduction.Mean ? n : 0;
        return Autograd.Attach(y, "HuberLoss", [input, target], g => HuberBackward(g, input, target, d, dt, meanCount), input, target);
    }

    /// <summary>[d/dinput, d/dtarget] of the fused Huber loss; composed from differentiable ops when a graph of the gradient is recorded.</summary>
    private static Tensor?[] HuberBackward(Tensor g, Tensor input, Tensor target, float[] d, float delta, int meanCount)
    {
        if (Autograd.IsEnabled)
        {
            // createGraph: the derivative d or δ·sign(d) as ops (its own derivative is 1 inside, 0 outside).
            var dd = input.Sub(target);
            var share = meanCount > 0 ? g.Div(meanCount).Expand(input.Shape) : g.Rank == 0 ? g.Expand(input.Shape) : g;
            var gradD = Tensor.Where(dd.Abs().Lt(delta), dd, dd.Sign().Mul(delta)).Mul(share);
            return [input.RequiresGrad ? gradD : null, target.RequiresGrad ? gradD.Neg() : null];
        }
        var grad = Tensor.Uninitialized(DType.Float32, input.Shape);
        Span<float> gs = grad.AsSpan();
        // The reduction's share as Mean's backward computes it (g / n in float); None brings one per element.
        float scalar = g.Rank == 0 ? g.Item<float>() : 0f;
        if (meanCount > 0) scalar /= meanCount;
        ReadOnlySpan<float> perElement = g.Rank == 0 ? default : (g.IsContiguous ? g : g.Contiguous()).AsSpan();
        for (int i = 0; i < gs.Length; i++)
        {
            float share = g.Rank == 0 ? scalar : perElement[i], di = d[i];
            // sign(d) as the Sign op gives it (a NaN stays NaN instead of MathF.Sign's exception).
            float sign = di > 0 ? 1f : di < 0 ? -1f : di;
            gs[i] = Math.Abs(di) < delta ? share * di : share * delta * sign;
        }
        return [input.RequiresGrad ? grad : null, target.RequiresGrad ? grad.Neg() : null];
    }

    /// <summary>Smooth L1: ½d²/β where |d| &lt; β, else |d| - ½β (Huber divided by β; β = 0 is L1).</summary>
    public static Tensor SmoothL1Loss(Tensor input, Tensor target, double beta = 1.0, Reduction reduction = Reduction.Mean)
    {
        SameShape(input, target, "SmoothL1Loss");
        if (!(beta >= 0)) throw new ArgumentException($"SmoothL1Loss: beta must be >= 0, got {beta}");
        var d = input.Sub(target);
        var a = d.Abs();
        if (beta == 0) return Reduce(a, reduction);
        var loss = Tensor.Where(a.Lt(beta), d.Square().Mul(0.5 / beta), a.Sub(0.5 * beta));
        return Reduce(loss, reduction);
    }

    /// <summary>Negative log likelihood: -logProbs[n, target[n]] for log-probabilities [N, C] and class indices [N].</summary>
    public static Tensor NllLoss(Tensor logProbs, Tensor target, Reduction reduction = Reduction.Mean)
    {
        CheckClassTarget(logProbs, target, "NllLoss");
        var picked = logProbs.Gather(1, target.To(DType.Int64).Unsqueeze(1)).Squeeze(1);
        return Reduce(picked.Neg(), reduction);
    }

    /// <summary>
    /// Cross-entropy of logits [N, C] against class indices [N] (integer target) or class probabilities [N, C]
    /// (float target), with label smoothing ε: the target becomes (1-ε)·target + ε/C.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor target, double labelSmoothing = 0, Reduction reduction = Reduction.Mean)
    {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) throw new ArgumentException($"CrossEntropy: labelSmoothing must be in [0, 1], got {labelSmoothing}");
        if (logits.Rank != 2) throw new ArgumentException($"CrossEntropy: logits must be [N, C], got {Shape.Format(logits.ShapeSpan)}");
        var logp = logits.LogSoftmax(1);
        int c = logits.Size(1);
        Tensor loss;
        if (target.DType.IsFloat())
        {
            SameShape(logits, target, "CrossEntropy");
            var t = labelSmoothing > 0 ? target.Mul(1 - labelSmoothing).Add(labelSmoothing / c) : target;
            loss = logp.Mul(t).Sum(1).Neg();
        }
        else
        {
            CheckClassTarget(logits, target, "CrossEntropy");
            loss = logp.Gather(1, target.To(DType.Int64).Unsqueeze(1)).Squeeze(1).Neg();
            if (labelSmoothing > 0) loss = loss.Mul(1 - labelSmoothing).Add(logp.Mean(1).Neg().Mul(labelSmoothing));
        }
        return Reduce(loss, reduction);
    }

    private static void CheckClassTarget(Tensor input, Tensor target, string op)
    {
        if (input.Rank != 2 || target.Rank != 1 || target.Size(0) != input.Size(0) || target.DType.IsFloat())
            throw new ArgumentException($"{op}: expects input [N, C] and integer class indices [N], got {Shape.Format(input.ShapeSpan)} and {Shape.Format(target.ShapeSpan)} ({target.DType.Name()})");
        var max = target.Max().Item();
        var min = target.Min().Item();
        if (min < 0 || max >= input.Size(1)) throw new ArgumentException($"{op}: class indices must be in [0, {input.Size(1)}), got range [{min}, {max}]");
    }

    /// <summary>Binary cross-entropy of probabilities: -(y·log p + (1-y)·log(1-p)), logs clamped at -100 as PyTorch.</summary>
    public static Tensor BinaryCrossEntropy(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        SameShape(input, target, "BinaryCrossEntropy");
        var logP = input.Log().Clamp(min: -100);
        var log1mP = input.Neg().Add(1.0).Log().Clamp(min: -100);
        var loss = target.Mul(logP).Add(target.Neg().Add(1.0).Mul(log1mP)).Neg();
        return Reduce(loss, reduction);
    }

    /// <summary>Binary cross-entropy of logits, computed stably: max(x, 0) - x·y + log(1 + exp(-|x|)).</summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        SameShape(input, target, "BinaryCrossEntropyWithLogits");
        var loss = input.Relu().Sub(input.Mul(target)).Add(input.Abs().Neg().Exp().Log1p());
        return Reduce(loss, reduction);
    }

    /// <summary>
    /// KL divergence KL(target ‖ input) with <paramref name="input"/> given as log-probabilities (PyTorch's kl_div):
    /// target·(log target - input), 0 where target is 0. With <paramref name="logTarget"/> the target is log-probabilities too.
    /// </summary>
    public static Tensor KlDiv(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, bool logTarget = false)
    {
        SameShape(input, target, "KlDiv");
        Tensor loss;
        if (logTarget) loss = target.Exp().Mul(target.Sub(input));
        else
        {
            // xlogy: 0·log 0 = 0; the clamp only keeps log finite where the product is zeroed anyway.
            var positive = target.Gt(0);
            var logT = Tensor.Where(positive, target, 1.0).Log();
            loss = Tensor.Where(positive, target.Mul(logT.Sub(input)), 0.0);
        }
        return Reduce(loss, reduction);
    }
}
