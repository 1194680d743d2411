namespace RlPlat.Engine;

/// <summary>Elementwise functions composed from the differentiable primitives, so each records its own backward.</summary>
public sealed partial class Tensor
{
    /// <summary>NumPy's name for <see cref="Clamp"/>.</summary>
    public Tensor Clip(double? min = null, double? max = null) => Clamp(min, max);

    /// <summary>log(e^a + e^b) without overflow (−∞ and −∞ give −∞).</summary>
    public Tensor Logaddexp(Tensor other)
    {
        var (a, b) = FloatPair(this, other);
        // On ties (including equal infinities) the answer is a + log 2; elsewhere max + log1p(e^-|a-b|).
        var general = a.Maximum(b).Add(a.Sub(b).Abs().Neg().Exp().Log1p());
        return Where(a.Eq(b), a.Add(Math.Log(2)), general);
    }

    /// <summary>√(a² + b²).</summary>
    public Tensor Hypot(Tensor other)
    {
        var (a, b) = FloatPair(this, other);
        return a.Square().Add(b.Square()).Sqrt();
    }

    /// <summary>a · log(b), defined as 0 where a == 0 (unless b is NaN), as scipy/PyTorch.</summary>
    public Tensor Xlogy(Tensor other)
    {
        var (a, b) = FloatPair(this, other);
        return Where(a.Eq(0).LogicalAnd(b.IsNaN().LogicalNot()), ZerosLike(a).Detach(), a.Mul(b.Log()));
    }

    /// <summary>The normalized sinc, sin(πx)/(πx), with sinc(0) = 1.</summary>
    public Tensor Sinc()
    {
        var x = AsFloat();
        var px = x.Mul(Math.PI);
        var safe = Where(x.Eq(0), OnesLike(px).Detach(), px);
        return Where(x.Eq(0), OnesLike(x).Detach(), safe.Sin().Div(safe));
    }

    /// <summary>Degrees to radians.</summary>
    public Tensor Deg2rad() => AsFloat().Mul(Math.PI / 180);

    /// <summary>Radians to degrees.</summary>
    public Tensor Rad2deg() => AsFloat().Mul(180 / Math.PI);

    /// <summary>log(x / (1 - x)); with <paramref name="eps"/>, x is first clamped to [eps, 1 - eps].</summary>
    public Tensor Logit(double? eps = null)
    {
        var x = AsFloat();
        if (eps is double e)
        {
            if (e < 0 || e > 0.5) throw new ArgumentException($"Logit: eps must be in [0, 0.5], got {e}");
            x = x.Clamp(e, 1 - e);
        }
        return x.Div(x.Neg().Add(1.0)).Log();
    }

    /// <summary>x / (1 + |x|).</summary>
    public Tensor Softsign()
    {
        var x = AsFloat();
        return x.Div(x.Abs().Add(1.0));
    }

    /// <summary>x · tanh(softplus(x)).</summary>
    public Tensor Mish()
    {
        var x = AsFloat();
        return x.Mul(x.Softplus().Tanh());
    }

    /// <summary>x − tanh(x).</summary>
    public Tensor Tanhshrink()
    {
        var x = AsFloat();
        return x.Sub(x.Tanh());
    }

    /// <summary>Clamps to [minVal, maxVal] (PyTorch's activation name; gradient 1 inside, 0 outside).</summary>
    public Tensor Hardtanh(double minVal = -1, double maxVal = 1) => AsFloat().Clamp(minVal, maxVal);

    /// <summary>max(0, x) + min(0, α·(e^(x/α) − 1)).</summary>
    public Tensor Celu(double alpha = 1.0)
    {
        if (alpha == 0) throw new ArgumentException("Celu: alpha must be non-zero");
        var x = AsFloat();
        return Where(x.Gt(0), x, x.Div(alpha).Expm1().Mul(alpha));
    }

    /// <summary>log(sigmoid(x)), computed as −softplus(−x) so it does not underflow.</summary>
    public Tensor LogSigmoid() => AsFloat().Neg().Softplus().Neg();

    /// <summary>x − λ for x &gt; λ, x + λ for x &lt; −λ, else 0.</summary>
    public Tensor Softshrink(double lambda = 0.5)
    {
        if (lambda < 0) throw new ArgumentException($"Softshrink: lambda must be non-negative, got {lambda}");
        var x = AsFloat();
        return Where(x.Gt(lambda), x.Sub(lambda), Where(x.Lt(-lambda), x.Add(lambda), ZerosLike(x).Detach()));
    }

    /// <summary>x where |x| &gt; λ, else 0.</summary>
    public Tensor Hardshrink(double lambda = 0.5)
    {
        var x = AsFloat();
        return Where(x.Abs().Gt(lambda), x, ZerosLike(x).Detach());
    }

    /// <summary>Gated linear unit: splits <paramref name="dim"/> in halves a, b and returns a · sigmoid(b).</summary>
    public Tensor Glu(int dim = -1)
    {
        int d = Engine.Shape.NormalizeDim(dim, Rank, "Glu");
        if (shape[d] % 2 != 0) throw new ArgumentException($"Glu: dim {d} of shape {Engine.Shape.Format(shape)} has odd size {shape[d]}; it must split in halves");
        var x = AsFloat();
        int h = shape[d] / 2;
        return x.Narrow(d, 0, h).Mul(x.Narrow(d, h, h).Sigmoid());
    }

    /// <summary>2^x.</summary>
    public Tensor Exp2() => AsFloat().Mul(Math.Log(2)).Exp();

    /// <summary>Real cube root (negative for negative x).</summary>
    public Tensor Cbrt()
    {
        var x = AsFloat();
        return x.Sign().Mul(x.Abs().Pow(1.0 / 3));
    }

    /// <summary>Both operands as floats of one promoted dtype (for float-only binary functions).</summary>
    private static (Tensor, Tensor) FloatPair(Tensor a, Tensor b)
    {
        var dt = DTypes.Promote(a.DType, b.DType);
        if (!dt.IsFloat()) dt = DType.Float32;
        return (a.To(dt), b.To(dt));
    }
}
