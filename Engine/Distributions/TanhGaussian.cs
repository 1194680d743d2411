namespace RlPlat.Engine.Distributions;

/// <summary>
/// A diagonal Gaussian squashed by tanh (SAC's policy): a = tanh(u), u ~ N(mean, std²), actions in (-1, 1).
/// log p(a) = Σ [log N(u) - log(1 - tanh²u)], with the log-det term computed stably as 2·(log 2 - u - softplus(-2u)).
/// </summary>
public sealed class TanhGaussian : ContinuousDistribution
{
    private static readonly double Log2 = Math.Log(2);

    // Keeps atanh finite for actions at the boundary (float32 tanh rounds to ±1 beyond |u| ≈ 9).
    private const double BoundaryEps = 1e-6;

    /// <summary>The Gaussian before squashing.</summary>
    public DiagGaussian Base { get; }

    /// <summary>From the pre-squash mean [..., A] and std (broadcastable).</summary>
    public TanhGaussian(Tensor mean, Tensor std) => Base = new DiagGaussian(mean, std);

    /// <summary>From the pre-squash mean and log-std.</summary>
    public static TanhGaussian FromLogStd(Tensor mean, Tensor logStd) => new(mean, logStd.Exp());

    /// <inheritdoc/>
    public override Tensor RSample(Generator? generator = null) => Base.RSample(generator).Tanh();

    /// <summary>A reparameterized action and its log-probability, both from the same pre-squash sample (exact, no atanh).</summary>
    public (Tensor Action, Tensor LogProb) RSampleWithLogProb(Generator? generator = null)
    {
        var u = Base.RSample(generator);
        return (u.Tanh(), LogProbOfPreSquash(u));
    }

    private Tensor LogProbOfPreSquash(Tensor u) =>
        Base.LogProb(u).Sub(u.Neg().Add(Log2).Sub(u.Mul(-2).Softplus()).Mul(2).Sum(-1));

    /// <summary>log p(<paramref name="value"/>) for actions in (-1, 1); boundary actions are pulled in by 1e-6.</summary>
    public override Tensor LogProb(Tensor value) =>
        LogProbOfPreSquash(value.Clamp(-1 + BoundaryEps, 1 - BoundaryEps).Atanh());

    /// <summary>No closed form exists: a Monte Carlo estimate -mean(log p(a)) over <paramref name="samples"/> reparameterized samples.</summary>
    public Tensor EntropyEstimate(Generator? generator = null, int samples = 1)
    {
        if (samples <= 0) throw new ArgumentException($"TanhGaussian.EntropyEstimate: samples must be positive, got {samples}");
        Tensor? sum = null;
        for (int i = 0; i < samples; i++)
        {
            var lp = RSampleWithLogProb(generator).LogProb;
            sum = sum == null ? lp : sum.Add(lp);
        }
        return sum!.Div(samples).Neg();
    }

    /// <summary>A one-sample estimate with this thread's default generator (see <see cref="EntropyEstimate"/>).</summary>
    public override Tensor Entropy() => EntropyEstimate();

    /// <summary>tanh(mean): the squashed mode of the base Gaussian (the usual deterministic action).</summary>
    public override Tensor Mode() => Base.Mean.Tanh();
}
