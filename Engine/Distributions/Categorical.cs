namespace RlPlat.Engine.Distributions;

/// <summary>
/// A categorical distribution over the last dim of <c>logits</c> [..., K]. An optional bool mask [..., K] marks valid
/// actions: invalid ones get probability exactly 0, so they are never sampled and add nothing to the entropy.
/// </summary>
public sealed class Categorical : Distribution
{
    // Masked logits are set to this rather than -inf: exp underflows to exactly 0, while 0·logit stays 0 (not NaN).
    private const double MaskedLogit = -1e9;

    /// <summary>Normalized log-probabilities [..., K] (log-softmax of the masked logits).</summary>
    public Tensor Logits { get; }

    /// <summary>Probabilities [..., K].</summary>
    public Tensor Probs { get; }

    /// <summary>The validity mask, or null.</summary>
    public Tensor? Mask { get; }

    /// <summary>Number of categories K.</summary>
    public int NumCategories => Logits.Size(-1);

    /// <summary>From unnormalized <paramref name="logits"/> [..., K] and an optional bool <paramref name="mask"/> of the same shape.</summary>
    public Categorical(Tensor logits, Tensor? mask = null)
    {
        if (logits.Rank == 0 || !logits.DType.IsFloat())
            throw new ArgumentException($"Categorical: logits must be a float tensor [..., K], got {Shape.Format(logits.ShapeSpan)} ({logits.DType.Name()})");
        if (mask != null)
        {
            if (!mask.ShapeSpan.SequenceEqual(logits.ShapeSpan))
                throw new ArgumentException($"Categorical: mask shape {Shape.Format(mask.ShapeSpan)} differs from logits shape {Shape.Format(logits.ShapeSpan)}");
            Mask = mask.Bool();
            var anyValid = Mask.Any([-1]);
            if (anyValid.All().Item() == 0)
                throw new ArgumentException($"Categorical: some row of the mask (shape {Shape.Format(mask.ShapeSpan)}) has no valid action");
            logits = Tensor.Where(Mask, logits, MaskedLogit);
        }
        Logits = logits.Sub(logits.LogSumExp(-1, keepDim: true));
        Probs = Logits.Exp();
    }

    /// <summary>From probabilities [..., K] (normalized here).</summary>
    public static Categorical FromProbs(Tensor probs, Tensor? mask = null) => new(probs.Log(), mask);

    /// <summary>Class indices (int64, shape [...]) drawn by inverse CDF; masked classes are never drawn.</summary>
    public override Tensor Sample(Generator? generator = null)
    {
        var g = generator ?? Generator.Default;
        int k = NumCategories;
        double[] p;
        using (Autograd.NoGrad()) p = Probs.Detach().To(DType.Float64).ToArray<double>();
        int rows = p.Length / k;
        var result = new long[rows];
        for (int r = 0; r < rows; r++)
        {
            var row = p.AsSpan(r * k, k);
            double u = g.NextDouble(), cum = 0;
            int pick = -1, lastPositive = 0;
            for (int i = 0; i < k; i++)
            {
                if (row[i] <= 0) continue;
                lastPositive = i;
                cum += row[i];
                if (u < cum) { pick = i; break; }
            }
            // Rounding can leave the total a hair below u; fall back to the last class with probability > 0.
            result[r] = pick >= 0 ? pick : lastPositive;
        }
        return Tensor.FromArray(result, Logits.Shape[..^1]);
    }

    /// <summary>log p(<paramref name="value"/>) for class indices of shape [...].</summary>
    public override Tensor LogProb(Tensor value)
    {
        if (value.Rank != Logits.Rank - 1)
            throw new ArgumentException($"Categorical.LogProb: expects class indices of shape {Shape.Format(Logits.ShapeSpan[..^1])}, got {Shape.Format(value.ShapeSpan)} ({value.DType.Name()})");
        return Logits.Gather(-1, value.To(DType.Int64).Unsqueeze(-1)).Squeeze(-1);
    }

    /// <summary>-Σ p·log p over the categories.</summary>
    public override Tensor Entropy() => Probs.Mul(Logits).Sum(-1).Neg();

    /// <summary>The most probable class (int64, shape [...]).</summary>
    public override Tensor Mode() => Logits.ArgMax(-1);
}
