namespace RlPlat.Engine.Distributions;

/// <summary>Independent normal distributions, elementwise: N(loc, scale²) with broadcasting between the two.</summary>
public sealed class Normal : ContinuousDistribution
{
    private static readonly double HalfLog2Pi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>The means.</summary>
    public Tensor Loc { get; }

    /// <summary>The standard deviations (positive).</summary>
    public Tensor Scale { get; }

    /// <summary>N(<paramref name="loc"/>, <paramref name="scale"/>²).</summary>
    public Normal(Tensor loc, Tensor scale)
    {
        if (!loc.DType.IsFloat() || !scale.DType.IsFloat())
            throw new ArgumentException($"Normal: loc and scale must be float, got {loc.DType.Name()} and {scale.DType.Name()}");
        var shape = Shape.Broadcast(loc.ShapeSpan, scale.ShapeSpan);
        Loc = loc.ShapeSpan.SequenceEqual(shape) ? loc : loc.Expand(shape);
        Scale = scale.ShapeSpan.SequenceEqual(shape) ? scale : scale.Expand(shape);
    }

    /// <summary>N(loc, exp(logScale)²).</summary>
    public static Normal FromLogScale(Tensor loc, Tensor logScale) => new(loc, logScale.Exp());

    /// <inheritdoc/>
    public override Tensor RSample(Generator? generator = null) =>
        Loc.Add(Scale.Mul(Tensor.Randn(Loc.Shape, generator, Loc.DType)));

    /// <inheritdoc/>
    public override Tensor LogProb(Tensor value) =>
        value.Sub(Loc).Square().Div(Scale.Square().Mul(2)).Neg().Sub(Scale.Log()).Sub(HalfLog2Pi);

    /// <summary>½ + ½·log(2π) + log σ, elementwise.</summary>
    public override Tensor Entropy() => Scale.Log().Add(0.5 + HalfLog2Pi);

    /// <inheritdoc/>
    public override Tensor Mode() => Loc;
}

/// <summary>
/// A Gaussian with diagonal covariance over the last dim (continuous-action policies): mean [..., A], std
/// broadcastable to it (often a state-independent log-std parameter [A]). LogProb and Entropy sum over actions.
/// </summary>
public sealed class DiagGaussian : ContinuousDistribution
{
    /// <summary>The per-dimension normals.</summary>
    public Normal Normal { get; }

    /// <summary>From the mean [..., A] and std (broadcastable).</summary>
    public DiagGaussian(Tensor mean, Tensor std)
    {
        if (mean.Rank == 0) throw new ArgumentException("DiagGaussian: mean needs at least one dim (the action dim)");
        Normal = new Normal(mean, std);
    }

    /// <summary>From the mean and log-std.</summary>
    public static DiagGaussian FromLogStd(Tensor mean, Tensor logStd) => new(mean, logStd.Exp());

    /// <summary>The mean.</summary>
    public Tensor Mean => Normal.Loc;

    /// <summary>The standard deviation.</summary>
    public Tensor Std => Normal.Scale;

    /// <inheritdoc/>
    public override Tensor RSample(Generator? generator = null) => Normal.RSample(generator);

    /// <summary>Σ over the last dim of the per-dimension log-densities (shape [...]).</summary>
    public override Tensor LogProb(Tensor value) => Normal.LogProb(value).Sum(-1);

    /// <summary>Σ over the last dim of the per-dimension entropies (shape [...]).</summary>
    public override Tensor Entropy() => Normal.Entropy().Sum(-1);

    /// <inheritdoc/>
    public override Tensor Mode() => Normal.Loc;
}
