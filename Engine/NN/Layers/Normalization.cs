namespace RlPlat.Engine.NN;

/// <summary>
/// Batch normalization over the channel dim 1 of [N, C] or [N, C, L] (BatchNorm1d) or [N, C, H, W] (BatchNorm2d).
/// Training normalizes with batch statistics (biased variance) and updates running stats with momentum (unbiased
/// variance), as PyTorch; evaluation uses the running stats.
/// </summary>
public class BatchNorm : Module
{
    private readonly int[] allowedRanks;

    /// <summary>Scale γ [C], or null without affine.</summary>
    public Parameter? Weight { get; }

    /// <summary>Shift β [C], or null without affine.</summary>
    public Parameter? Bias { get; }

    /// <summary>Weight of the new batch in the running averages.</summary>
    public double Momentum { get; }

    /// <summary>Added to the variance.</summary>
    public double Eps { get; }

    /// <summary>Channels.</summary>
    public int NumFeatures { get; }

    /// <summary>A batch norm for <paramref name="numFeatures"/> channels accepting inputs of <paramref name="ranks"/>.</summary>
    protected BatchNorm(int numFeatures, double eps, double momentum, bool affine, int[] ranks)
    {
        if (numFeatures <= 0) throw new ArgumentException($"{GetType().Name}: numFeatures must be positive, got {numFeatures}");
        NumFeatures = numFeatures; Eps = eps; Momentum = momentum; allowedRanks = ranks;
        if (affine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones(numFeatures));
            Bias = RegisterParameter("bias", Tensor.Zeros(numFeatures));
        }
        RegisterBuffer("running_mean", Tensor.Zeros(numFeatures));
        RegisterBuffer("running_var", Tensor.Ones(numFeatures));
        RegisterBuffer("num_batches_tracked", Tensor.Zeros(DType.Int64, []));
    }

    /// <summary>Running mean [C].</summary>
    public Tensor RunningMean => GetBuffer("running_mean")!;

    /// <summary>Running variance [C].</summary>
    public Tensor RunningVar => GetBuffer("running_var")!;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        if (Array.IndexOf(allowedRanks, input.Rank) < 0 || input.Size(1) != NumFeatures)
            throw new ArgumentException($"{GetType().Name}({NumFeatures}): expects {string.Join(" or ", allowedRanks)}-D input with {NumFeatures} channels in dim 1, got {Shape.Format(input.ShapeSpan)}");
        var dims = new int[input.Rank - 1];
        dims[0] = 0;
        for (int d = 2; d < input.Rank; d++) dims[d - 1] = d;
        var bshape = new int[input.Rank];
        Array.Fill(bshape, 1);
        bshape[1] = NumFeatures;
        Tensor mean, var;
        if (Training)
        {
            int count = input.Numel / NumFeatures;
            if (count <= 1) throw new ArgumentException($"{GetType().Name}: training needs more than one value per channel, got input {Shape.Format(input.ShapeSpan)}");
            mean = input.Mean(dims);
            var = input.Sub(mean.Reshape(bshape)).Square().Mean(dims);
            using (Autograd.NoGrad())
            {
                RunningMean.MulInPlace(1 - Momentum).AddInPlace(mean.Detach().To(RunningMean.DType), Momentum);
                RunningVar.MulInPlace(1 - Momentum).AddInPlace(var.Detach().Mul((double)count / (count - 1)).To(RunningVar.DType), Momentum);
                GetBuffer("num_batches_tracked")!.AddInPlace(1);
            }
        }
        else
        {
            mean = RunningMean.To(input.DType);
            var = RunningVar.To(input.DType);
        }
        var y = input.Sub(mean.Reshape(bshape)).Mul(var.Add(Eps).Rsqrt().Reshape(bshape));
        if (Weight != null) y = y.Mul(Weight.Value.Reshape(bshape)).Add(Bias!.Value.Reshape(bshape));
        return y;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{GetType().Name}({NumFeatures}, eps={Eps}, momentum={Momentum})";
}

/// <summary>Batch norm over [N, C] or [N, C, L].</summary>
public sealed class BatchNorm1d(int numFeatures, double eps = 1e-5, double momentum = 0.1, bool affine = true)
    : BatchNorm(numFeatures, eps, momentum, affine, [2, 3]);

/// <summary>Batch norm over [N, C, H, W].</summary>
public sealed class BatchNorm2d(int numFeatures, double eps = 1e-5, double momentum = 0.1, bool affine = true)
    : BatchNorm(numFeatures, eps, momentum, affine, [4]);

/// <summary>Layer normalization over the trailing dims <see cref="NormalizedShape"/> (biased variance), with elementwise affine.</summary>
public sealed class LayerNorm : Module
{
    /// <summary>The trailing dims that are normalized.</summary>
    public int[] NormalizedShape { get; }

    /// <summary>Added to the variance.</summary>
    public double Eps { get; }

    /// <summary>Scale γ (shape <see cref="NormalizedShape"/>), or null.</summary>
    public Parameter? Weight { get; }

    /// <summary>Shift β, or null.</summary>
    public Parameter? Bias { get; }

    /// <summary>Normalizes over trailing dims of <paramref name="normalizedShape"/>.</summary>
    public LayerNorm(int[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true)
    {
        if (normalizedShape.Length == 0) throw new ArgumentException("LayerNorm: normalizedShape must have at least one dim");
        NormalizedShape = (int[])normalizedShape.Clone();
        Eps = eps;
        if (elementwiseAffine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones(normalizedShape));
            Bias = RegisterParameter("bias", Tensor.Zeros(normalizedShape));
        }
    }

    /// <summary>Normalizes over the last dim of size <paramref name="features"/>.</summary>
    public LayerNorm(int features, double eps = 1e-5, bool elementwiseAffine = true) : this([features], eps, elementwiseAffine) { }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        int k = NormalizedShape.Length;
        if (input.Rank < k || !input.ShapeSpan[^k..].SequenceEqual(NormalizedShape))
            throw new ArgumentException($"LayerNorm: input {Shape.Format(input.ShapeSpan)} does not end in {Shape.Format(NormalizedShape)}");
        var dims = new int[k];
        for (int i = 0; i < k; i++) dims[i] = input.Rank - k + i;
        var mean = input.Mean(dims, keepDim: true);
        var centered = input.Sub(mean);
        var y = centered.Mul(centered.Square().Mean(dims, keepDim: true).Add(Eps).Rsqrt());
        if (Weight != null) y = y.Mul(Weight.Value).Add(Bias!.Value);
        return y;
    }
}

/// <summary>Zeroes elements with probability <see cref="P"/> in training and scales the rest by 1/(1-p); identity in eval.</summary>
public sealed class Dropout : Module
{
    private readonly Generator? generator;

    /// <summary>Dropout with drop probability <paramref name="p"/>, seeded by <paramref name="generator"/> (null: thread default).</summary>
    public Dropout(double p = 0.5, Generator? generator = null)
    {
        if (!(p >= 0 && p < 1)) throw new ArgumentException($"Dropout: p must be in [0, 1), got {p}");
        P = p;
        this.generator = generator;
    }

    /// <summary>Drop probability.</summary>
    public double P { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        if (!Training || P == 0) return input;
        var keep = Tensor.Rand(input.Shape, generator, input.DType).Ge(P).To(input.DType).Mul(1 / (1 - P));
        return input.Mul(keep);
    }
}

/// <summary>A lookup table: integer indices [...] → rows of a [NumEmbeddings, Dim] weight, shape [..., Dim]. Init N(0, 1) as PyTorch.</summary>
public sealed class Embedding : Module
{
    /// <summary>The table [NumEmbeddings, EmbeddingDim].</summary>
    public Parameter Weight { get; }

    /// <summary>A table of <paramref name="numEmbeddings"/> rows of <paramref name="embeddingDim"/>.</summary>
    public Embedding(int numEmbeddings, int embeddingDim, Generator? generator = null)
    {
        if (numEmbeddings <= 0 || embeddingDim <= 0) throw new ArgumentException($"Embedding: sizes must be positive, got {numEmbeddings}x{embeddingDim}");
        Weight = RegisterParameter("weight", Tensor.Zeros(numEmbeddings, embeddingDim));
        Init.Normal(Weight.Value, 0, 1, generator);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        if (input.DType.IsFloat()) throw new ArgumentException($"Embedding: indices must be integers, got {input.DType.Name()}");
        int n = Weight.Value.Size(0);
        if (input.Numel > 0 && (input.Min().Item() < 0 || input.Max().Item() >= n))
            throw new ArgumentException($"Embedding: indices must be in [0, {n}), got range [{input.Min().Item()}, {input.Max().Item()}]");
        var outShape = new int[input.Rank + 1];
        input.ShapeSpan.CopyTo(outShape);
        outShape[^1] = Weight.Value.Size(1);
        return Weight.Value.IndexSelect(0, input.Reshape(-1).To(DType.Int64)).Reshape(outShape);
    }
}
