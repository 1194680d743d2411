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
        var d = input.Sub(target);
        var a = d.Abs();
        var loss = Tensor.Where(a.Lt(delta), d.Square().Mul(0.5), a.Sub(0.5 * delta).Mul(delta));
        return Reduce(loss, reduction);
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
