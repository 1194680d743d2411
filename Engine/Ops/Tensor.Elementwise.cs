using RlPlat.Engine.Kernels;
using RlPlat.Engine.Lazy;

namespace RlPlat.Engine;

public sealed partial class Tensor
{
    // ---------- helpers ----------

    /// <summary>A 0-d tensor for a scalar operand: keeps an integer tensor's dtype for integral scalars, else float.</summary>
    private static Tensor ScalarFor(Tensor t, double value)
    {
        var dt = t.DType.IsFloat() ? t.DType : (value == Math.Floor(value) && t.DType != DType.Bool ? t.DType : DType.Float32);
        var s = Empty(dt, Engine.Shape.Scalar);
        s.SetRaw(0, value);
        return s;
    }

    private static (Tensor, Tensor, int[]) Promoted(Tensor a, Tensor b)
    {
        // Equal shapes (the common case) reuse a's shape array: internal shape arrays are never written.
        var shape = a.shape.AsSpan().SequenceEqual(b.shape) ? a.shape : Engine.Shape.Broadcast(a.shape, b.shape);
        var dt = DTypes.Promote(a.DType, b.DType);
        return (a.To(dt), b.To(dt), shape);
    }

    private Tensor AsFloat() => DType.IsFloat() ? this : To(DType.Float32);

    /// <summary>Reduces a broadcast gradient back to <paramref name="target"/> by summing the broadcast dims.</summary>
    public Tensor SumTo(ReadOnlySpan<int> target)
    {
        if (shape.AsSpan().SequenceEqual(target)) return this;
        int lead = Rank - target.Length;
        if (lead < 0) throw new ArgumentException($"SumTo: shape {Engine.Shape.Format(shape)} cannot be reduced to {Engine.Shape.Format(target)}");
        var dims = new List<int>();
        for (int i = 0; i < Rank; i++)
            if (i < lead || (target[i - lead] == 1 && shape[i] != 1)) dims.Add(i);
        var r = dims.Count > 0 ? Sum(dims.ToArray(), keepDim: true) : this;
        return r.Reshape(target.ToArray());
    }

    private Tensor FloatUnary<TOp>(string name, Func<Tensor, Tensor, Tensor, Tensor> grad) where TOp : IFloatUnaryOp
    {
        var x = AsFloat();
        var y = Elementwise.FloatUnary<TOp>(x);
        if (Autograd.Needs(x)) AttachUnary(y, name, x, grad, x, y);
        return y;
    }

    private Tensor NumericUnary<TOp>(string name, Func<Tensor, Tensor, Tensor, Tensor> grad) where TOp : INumericUnaryOp
    {
        var y = Elementwise.NumericUnary<TOp>(this);
        if (Autograd.Needs(this)) AttachUnary(y, name, this, grad, this);
        return y;
    }

    // The Attach helpers live in their own methods: a lambda capturing a method's locals allocates its closure when the
    // method starts, so an op that records inline would allocate on the no-grad path too.

    /// <summary>Records y = op(x) with the gradient rule grad(g, x, y).</summary>
    private static void AttachUnary(Tensor y, string name, Tensor x, Func<Tensor, Tensor, Tensor, Tensor> grad, params Tensor[] saved) =>
        Autograd.Attach(y, name, [x], g => [grad(g, x, y)], saved);

    /// <summary>Records y = op(a, b) with the gradient rule grad(g, a, b, y) giving the gradients of a and b.</summary>
    private static void AttachBinary(Tensor y, string name, Tensor a, Tensor b, Func<Tensor, Tensor, Tensor, Tensor, Tensor?[]> grad, params Tensor[] saved) =>
        Autograd.Attach(y, name, [a, b], g => grad(g, a, b, y), saved);

    private Tensor Mask(Tensor cond) => cond.To(DType);

    // ---------- unary ----------

    /// <summary>-x.</summary>
    public Tensor Neg() => NumericUnary<NegOp>("Neg", (g, x, y) => g.Neg());
    /// <summary>|x|.</summary>
    public Tensor Abs() => NumericUnary<AbsOp>("Abs", (g, x, y) => g.Mul(x.Sign()));
    /// <summary>x².</summary>
    public Tensor Square() => NumericUnary<SquareOp>("Square", (g, x, y) => FusedBackward.Square(g, x));
    /// <summary>-1, 0 or 1 by the sign of x (gradient zero).</summary>
    public Tensor Sign() => NumericUnary<SignOp>("Sign", (g, x, y) => ZerosLike(g));
    /// <summary>max(x, 0).</summary>
    public Tensor Relu() => NumericUnary<ReluOp>("Relu", (g, x, y) => FusedBackward.Relu(g, x));
    /// <summary>e^x.</summary>
    public Tensor Exp() => FloatUnary<ExpOp>("Exp", (g, x, y) => g.Mul(y));
    /// <summary>Natural log.</summary>
    public Tensor Log() => FloatUnary<LogOp>("Log", (g, x, y) => g.Div(x));
    /// <summary>Base-2 log.</summary>
    public Tensor Log2() => FloatUnary<Log2Op>("Log2", (g, x, y) => g.Div(x.Mul(Math.Log(2))));
    /// <summary>Base-10 log.</summary>
    public Tensor Log10() => FloatUnary<Log10Op>("Log10", (g, x, y) => g.Div(x.Mul(Math.Log(10))));
    /// <summary>log(1 + x), accurate for small x.</summary>
    public Tensor Log1p() => FloatUnary<Log1pOp>("Log1p", (g, x, y) => g.Div(x.Add(1.0)));
    /// <summary>e^x - 1, accurate for small x.</summary>
    public Tensor Expm1() => FloatUnary<Expm1Op>("Expm1", (g, x, y) => g.Mul(y.Add(1.0)));
    /// <summary>√x.</summary>
    public Tensor Sqrt() => FloatUnary<SqrtOp>("Sqrt", (g, x, y) => g.Div(y.Mul(2.0)));
    /// <summary>1/√x.</summary>
    public Tensor Rsqrt() => FloatUnary<RsqrtOp>("Rsqrt", (g, x, y) => g.Mul(y.Pow(3)).Mul(-0.5));
    /// <summary>1/x.</summary>
    public Tensor Reciprocal() => FloatUnary<ReciprocalOp>("Reciprocal", (g, x, y) => g.Mul(y.Square()).Neg());
    /// <summary>Largest integer ≤ x (gradient zero).</summary>
    public Tensor Floor() => DType.IsFloat() ? FloatUnary<FloorOp>("Floor", (g, x, y) => ZerosLike(g)) : Clone();
    /// <summary>Smallest integer ≥ x (gradient zero).</summary>
    public Tensor Ceil() => DType.IsFloat() ? FloatUnary<CeilOp>("Ceil", (g, x, y) => ZerosLike(g)) : Clone();
    /// <summary>Nearest integer, ties to even (gradient zero).</summary>
    public Tensor Round() => DType.IsFloat() ? FloatUnary<RoundOp>("Round", (g, x, y) => ZerosLike(g)) : Clone();
    /// <summary>Integer part toward zero (gradient zero).</summary>
    public Tensor Trunc() => DType.IsFloat() ? FloatUnary<TruncOp>("Trunc", (g, x, y) => ZerosLike(g)) : Clone();
    /// <summary>Fractional part x - trunc(x).</summary>
    public Tensor Frac() => Sub(Trunc());
    /// <summary>sin x.</summary>
    public Tensor Sin() => FloatUnary<SinOp>("Sin", (g, x, y) => g.Mul(x.Cos()));
    /// <summary>cos x.</summary>
    public Tensor Cos() => FloatUnary<CosOp>("Cos", (g, x, y) => g.Mul(x.Sin()).Neg());
    /// <summary>tan x.</summary>
    public Tensor Tan() => FloatUnary<TanOp>("Tan", (g, x, y) => g.Mul(y.Square().Add(1.0)));
    /// <summary>arcsin x.</summary>
    public Tensor Asin() => FloatUnary<AsinOp>("Asin", (g, x, y) => g.Div(x.Square().Neg().Add(1.0).Sqrt()));
    /// <summary>arccos x.</summary>
    public Tensor Acos() => FloatUnary<AcosOp>("Acos", (g, x, y) => g.Div(x.Square().Neg().Add(1.0).Sqrt()).Neg());
    /// <summary>arctan x.</summary>
    public Tensor Atan() => FloatUnary<AtanOp>("Atan", (g, x, y) => g.Div(x.Square().Add(1.0)));
    /// <summary>sinh x.</summary>
    public Tensor Sinh() => FloatUnary<SinhOp>("Sinh", (g, x, y) => g.Mul(x.Cosh()));
    /// <summary>cosh x.</summary>
    public Tensor Cosh() => FloatUnary<CoshOp>("Cosh", (g, x, y) => g.Mul(x.Sinh()));
    /// <summary>tanh x.</summary>
    public Tensor Tanh() => FloatUnary<TanhOp>("Tanh", (g, x, y) => FusedBackward.Tanh(g, y));
    /// <summary>arsinh x.</summary>
    public Tensor Asinh() => FloatUnary<AsinhOp>("Asinh", (g, x, y) => g.Div(x.Square().Add(1.0).Sqrt()));
    /// <summary>arcosh x.</summary>
    public Tensor Acosh() => FloatUnary<AcoshOp>("Acosh", (g, x, y) => g.Div(x.Square().Sub(1.0).Sqrt()));
    /// <summary>artanh x.</summary>
    public Tensor Atanh() => FloatUnary<AtanhOp>("Atanh", (g, x, y) => g.Div(x.Square().Neg().Add(1.0)));
    /// <summary>1 / (1 + e^-x).</summary>
    public Tensor Sigmoid() => FloatUnary<SigmoidOp>("Sigmoid", (g, x, y) => FusedBackward.Sigmoid(g, y));
    /// <summary>log(1 + e^x), stable for large |x|.</summary>
    public Tensor Softplus() => FloatUnary<SoftplusOp>("Softplus", (g, x, y) => g.Mul(x.Sigmoid()));
    /// <summary>x · sigmoid(x) (SiLU / swish).</summary>
    public Tensor Silu() => FloatUnary<SiluOp>("Silu", (g, x, y) => { var s = x.Sigmoid(); return g.Mul(s.Add(x.Mul(s).Mul(s.Neg().Add(1.0)))); });
    /// <summary>Exact GELU: x · Φ(x).</summary>
    public Tensor Gelu() => FloatUnary<GeluOp>("Gelu", (g, x, y) =>
        g.Mul(x.Div(Math.Sqrt(2)).Erf().Add(1.0).Mul(0.5).Add(x.Mul(x.Square().Mul(-0.5).Exp()).Div(Math.Sqrt(2 * Math.PI)))));
    /// <summary>The error function.</summary>
    public Tensor Erf() => FloatUnary<ErfOp>("Erf", (g, x, y) => g.Mul(x.Square().Neg().Exp()).Mul(2 / Math.Sqrt(Math.PI)));

    /// <summary>x for x &gt; 0, slope·x otherwise.</summary>
    public Tensor LeakyRelu(double negativeSlope = 0.01)
    {
        var x = AsFloat();
        return Where(x.Gt(0), x, x.Mul(negativeSlope));
    }

    /// <summary>x for x &gt; 0, alpha·(e^x - 1) otherwise.</summary>
    public Tensor Elu(double alpha = 1.0)
    {
        var x = AsFloat();
        return Where(x.Gt(0), x, x.Expm1().Mul(alpha));
    }

    /// <summary>SELU with PyTorch's constants.</summary>
    public Tensor Selu() => Elu(1.6732632423543772848170429916717).Mul(1.0507009873554804934193349852946);

    /// <summary>min(max(x, 0), 6).</summary>
    public Tensor Relu6() => Clamp(0, 6);

    /// <summary>x · relu6(x + 3) / 6.</summary>
    public Tensor Hardswish() => Mul(Add(3.0).Clamp(0, 6)).Div(6.0);

    /// <summary>relu6(x + 3) / 6.</summary>
    public Tensor Hardsigmoid() => Add(3.0).Clamp(0, 6).Div(6.0);

    /// <summary>Clamps to [min, max] (either bound may be null).</summary>
    public Tensor Clamp(double? min = null, double? max = null)
    {
        if (min == null && max == null) throw new ArgumentException("Clamp: give at least one of min and max");
        if (min > max) throw new ArgumentException($"Clamp: min {min} is greater than max {max}");
        Tensor y;
        using (Autograd.NoGrad())
        {
            y = this;
            if (min != null) y = Elementwise.NumericBinary<MaximumOp>(y, ScalarFor(this, min.Value).To(DType), shape);
            if (max != null) y = Elementwise.NumericBinary<MinimumOp>(y, ScalarFor(this, max.Value).To(DType), shape);
            if (ReferenceEquals(y, this)) y = Clone();
        }
        if (Autograd.Needs(this))
        {
            var x = this;
            Autograd.Attach(y, "Clamp", [x], g =>
            {
                var inside = OnesLike(x).Bool();
                if (min != null) inside = inside.LogicalAnd(x.Ge(min.Value));
                if (max != null) inside = inside.LogicalAnd(x.Le(max.Value));
                return [g.Mul(inside.To(g.DType))];
            }, x);
        }
        return y;
    }

    /// <summary>Element-wise power with a scalar exponent.</summary>
    public Tensor Pow(double exponent)
    {
        if (exponent == 2) return Square();
        if (exponent == 1) return Mul(1.0);
        var x = AsFloat();
        var y = Elementwise.FloatBinary<PowOp>(x, ScalarFor(x, exponent), x.shape);
        if (Autograd.Needs(x)) Autograd.Attach(y, "Pow", [x], g => [exponent == 0 ? ZerosLike(g) : g.Mul(x.Pow(exponent - 1)).Mul(exponent)], x);
        return y;
    }

    /// <summary>True where x is NaN.</summary>
    public Tensor IsNaN() => Ne(this);

    /// <summary>True where x is neither NaN nor infinite.</summary>
    public Tensor IsFinite() => DType.IsFloat() ? Sub(this).Eq(0) : OnesLike(this).Bool();

    /// <summary>True where x is ±Inf.</summary>
    public Tensor IsInf() => DType.IsFloat() ? Abs().Eq(double.PositiveInfinity) : ZerosLike(this).Bool();

    /// <summary>Replaces NaN with <paramref name="nan"/> and ±Inf with the given values (default: the dtype's extremes).</summary>
    public Tensor NanToNum(double nan = 0, double? posInf = null, double? negInf = null)
    {
        double big = DType == DType.Float64 ? double.MaxValue : float.MaxValue;
        var r = Where(IsNaN(), FullLike(this, nan), this);
        r = Where(r.Eq(double.PositiveInfinity), FullLike(this, posInf ?? big), r);
        return Where(r.Eq(double.NegativeInfinity), FullLike(this, negInf ?? -big), r);
    }

    // ---------- binary ----------

    /// <summary>a + b with broadcasting.</summary>
    public Tensor Add(Tensor other)
    {
        var (a, b, shape) = Promoted(this, other);
        var y = Elementwise.NumericBinary<AddOp>(a, b, shape);
        if (Autograd.Needs(a, b)) AttachAdd(y, a, b);
        return y;
    }

    private static void AttachAdd(Tensor y, Tensor a, Tensor b) =>
        Autograd.Attach(y, "Add", [a, b], g => [a.requiresGrad ? g.SumTo(a.shape) : null, b.requiresGrad ? g.SumTo(b.shape) : null]);

    /// <summary>a + alpha·b.</summary>
    public Tensor Add(Tensor other, double alpha) => alpha == 1 ? Add(other) : Add(other.Mul(alpha));

    /// <summary>a - b with broadcasting.</summary>
    public Tensor Sub(Tensor other)
    {
        var (a, b, shape) = Promoted(this, other);
        var y = Elementwise.NumericBinary<SubOp>(a, b, shape);
        if (Autograd.Needs(a, b)) AttachBinary(y, "Sub", a, b, static (g, a, b, _) => [a.requiresGrad ? g.SumTo(a.shape) : null, b.requiresGrad ? g.Neg().SumTo(b.shape) : null]);
        return y;
    }

    /// <summary>a · b with broadcasting.</summary>
    public Tensor Mul(Tensor other)
    {
        var (a, b, shape) = Promoted(this, other);
        var y = Elementwise.NumericBinary<MulOp>(a, b, shape);
        if (Autograd.Needs(a, b)) AttachMul(y, a, b);
        return y;
    }

    private static void AttachMul(Tensor y, Tensor a, Tensor b) =>
        Autograd.Attach(y, "Mul", [a, b], g => [a.requiresGrad ? g.Mul(b).SumTo(a.shape) : null, b.requiresGrad ? g.Mul(a).SumTo(b.shape) : null], a, b);

    /// <summary>a / b with broadcasting (true division: integer inputs give float32).</summary>
    public Tensor Div(Tensor other)
    {
        var (a, b, shape) = Promoted(this, other);
        if (!a.DType.IsFloat()) { a = a.Float(); b = b.Float(); }
        var y = Elementwise.NumericBinary<DivOp>(a, b, shape);
        if (Autograd.Needs(a, b))
            AttachBinary(y, "Div", a, b, static (g, a, b, _) => [a.requiresGrad ? g.Div(b).SumTo(a.shape) : null, b.requiresGrad ? g.Mul(a).Div(b.Square()).Neg().SumTo(b.shape) : null], a, b);
        return y;
    }

    /// <summary>Floor division (rounds toward -∞, as Python's //).</summary>
    public Tensor FloorDivide(Tensor other)
    {
        var (a, b, _) = Promoted(this, other);
        if (a.DType.IsFloat()) return a.Div(b).Floor();
        return a.Sub(a.Remainder(b)).Div(b).Round().To(a.DType);
    }

    /// <summary>Element-wise power a^b.</summary>
    public Tensor Pow(Tensor exponent)
    {
        var (a, b, shape) = Promoted(AsFloat(), exponent.AsFloat());
        var y = Elementwise.FloatBinary<PowOp>(a, b, shape);
        if (Autograd.Needs(a, b))
            AttachBinary(y, "Pow", a, b, static (g, a, b, y) => [
                a.requiresGrad ? g.Mul(b).Mul(a.Pow(b.Sub(1.0))).SumTo(a.shape) : null,
                b.requiresGrad ? g.Mul(y).Mul(Where(a.Gt(0), a, OnesLike(a)).Log()).SumTo(b.shape) : null], a, b, y);
        return y;
    }

    /// <summary>Element-wise maximum (NaN propagates; ties split the gradient equally).</summary>
    public Tensor Maximum(Tensor other) => MinMax<MaximumOp>(other, "Maximum", (a, b) => a.Gt(b));

    /// <summary>Element-wise minimum (NaN propagates; ties split the gradient equally).</summary>
    public Tensor Minimum(Tensor other) => MinMax<MinimumOp>(other, "Minimum", (a, b) => a.Lt(b));

    private Tensor MinMax<TOp>(Tensor other, string name, Func<Tensor, Tensor, Tensor> aWins) where TOp : INumericBinaryOp
    {
        var (a, b, shape) = Promoted(this, other);
        var y = Elementwise.NumericBinary<TOp>(a, b, shape);
        if (Autograd.Needs(a, b)) AttachMinMax(y, name, a, b, aWins);
        return y;
    }

    private static void AttachMinMax(Tensor y, string name, Tensor a, Tensor b, Func<Tensor, Tensor, Tensor> aWins) =>
        Autograd.Attach(y, name, [a, b], g =>
        {
            var wa = aWins(a, b).To(g.DType).Add(a.Eq(b).To(g.DType).Mul(0.5));
            return [g.Mul(wa).SumTo(a.shape), g.Mul(wa.Neg().Add(1.0)).SumTo(b.shape)];
        }, a, b);

    /// <summary>atan2(a, b), the angle of the point (b, a).</summary>
    public Tensor Atan2(Tensor other)
    {
        var (a, b, shape) = Promoted(AsFloat(), other.AsFloat());
        var y = Elementwise.FloatBinary<Atan2Op>(a, b, shape);
        if (Autograd.Needs(a, b))
            AttachBinary(y, "Atan2", a, b, static (g, a, b, _) =>
            {
                var den = a.Square().Add(b.Square());
                return [g.Mul(b).Div(den).SumTo(a.shape), g.Mul(a).Div(den).Neg().SumTo(b.shape)];
            }, a, b);
        return y;
    }

    /// <summary>C-style remainder: the sign of the dividend (torch.fmod).</summary>
    public Tensor Fmod(Tensor other)
    {
        var (a, b, shape) = Promoted(this, other);
        var y = Elementwise.NumericBinary<FmodOp>(a, b, shape);
        if (Autograd.Needs(a, b))
            AttachBinary(y, "Fmod", a, b, static (g, a, b, _) => [g.SumTo(a.shape), g.Mul(a.Div(b).Trunc()).Neg().SumTo(b.shape)], a, b);
        return y;
    }

    /// <summary>Python-style remainder: the sign of the divisor (torch.remainder).</summary>
    public Tensor Remainder(Tensor other)
    {
        var (a, b, shape) = Promoted(this, other);
        var y = Elementwise.NumericBinary<RemainderOp>(a, b, shape);
        if (Autograd.Needs(a, b))
            AttachBinary(y, "Remainder", a, b, static (g, a, b, _) => [g.SumTo(a.shape), g.Mul(a.Div(b).Floor()).Neg().SumTo(b.shape)], a, b);
        return y;
    }

    /// <summary>a + t1·t2·value.</summary>
    public Tensor Addcmul(Tensor t1, Tensor t2, double value = 1) => Add(t1.Mul(t2).Mul(value));

    /// <summary>a + value·t1/t2.</summary>
    public Tensor Addcdiv(Tensor t1, Tensor t2, double value = 1) => Add(t1.Div(t2).Mul(value));

    /// <summary>a + weight·(end - a).</summary>
    public Tensor Lerp(Tensor end, double weight) => Add(end.Sub(this).Mul(weight));

    /// <summary>a + s.</summary>
    public Tensor Add(double s) => ScalarFastPath(s, false) ? Elementwise.NumericScalar<AddOp>(this, s, scalarFirst: false) : Add(ScalarFor(this, s));
    /// <summary>a - s.</summary>
    public Tensor Sub(double s) => ScalarFastPath(s, false) ? Elementwise.NumericScalar<SubOp>(this, s, scalarFirst: false) : Sub(ScalarFor(this, s));
    /// <summary>a · s.</summary>
    public Tensor Mul(double s) => ScalarFastPath(s, false) ? Elementwise.NumericScalar<MulOp>(this, s, scalarFirst: false) : Mul(ScalarFor(this, s));
    /// <summary>a / s.</summary>
    public Tensor Div(double s) => ScalarFastPath(s, true) ? Elementwise.NumericScalar<DivOp>(this, s, scalarFirst: false) : Div(ScalarFor(this, s));

    /// <summary>
    /// True when a scalar op can skip the 0-d operand tensor: nothing to record, and the result keeps this tensor's dtype
    /// (a float tensor, or an integer tensor with an integral scalar unless <paramref name="trueDivision"/>).
    /// </summary>
    private bool ScalarFastPath(double s, bool trueDivision) =>
        !Autograd.Needs(this) && (DType.IsFloat() || (!trueDivision && DType != DType.Bool && s == Math.Floor(s)));
    /// <summary>Element-wise maximum with a scalar.</summary>
    public Tensor Maximum(double s) => Maximum(ScalarFor(this, s));
    /// <summary>Element-wise minimum with a scalar.</summary>
    public Tensor Minimum(double s) => Minimum(ScalarFor(this, s));
    /// <summary>fmod with a scalar divisor.</summary>
    public Tensor Fmod(double s) => Fmod(ScalarFor(this, s));
    /// <summary>Python remainder with a scalar divisor.</summary>
    public Tensor Remainder(double s) => Remainder(ScalarFor(this, s));

#pragma warning disable CS1591 // operators mirror the named methods
    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);
    public static Tensor operator +(Tensor a, double b) => a.Add(b);
    public static Tensor operator -(Tensor a, double b) => a.Sub(b);
    public static Tensor operator *(Tensor a, double b) => a.Mul(b);
    public static Tensor operator /(Tensor a, double b) => a.Div(b);
    public static Tensor operator +(double a, Tensor b) => b.Add(a);
    public static Tensor operator -(double a, Tensor b) => b.ScalarFastPath(a, false) ? Elementwise.NumericScalar<SubOp>(b, a, scalarFirst: true) : b.Neg().Add(a);
    public static Tensor operator *(double a, Tensor b) => b.Mul(a);
    public static Tensor operator /(double a, Tensor b) => ScalarFor(b, a).Div(b);
    public static Tensor operator -(Tensor a) => a.Neg();
#pragma warning restore CS1591

    // ---------- comparisons and logic ----------

    private Tensor Compare<TOp>(Tensor other) where TOp : ICompareOp
    {
        var (a, b, shape) = Promoted(this, other);
        if (a.DType == DType.Bool) { a = a.To(DType.UInt8); b = b.To(DType.UInt8); }
        return Elementwise.Compare<TOp>(a, b, shape);
    }

    /// <summary>a == b (bool).</summary>
    public Tensor Eq(Tensor other) => Compare<EqOp>(other);
    /// <summary>a != b (bool).</summary>
    public Tensor Ne(Tensor other) => Compare<NeOp>(other);
    /// <summary>a &lt; b (bool).</summary>
    public Tensor Lt(Tensor other) => Compare<LtOp>(other);
    /// <summary>a ≤ b (bool).</summary>
    public Tensor Le(Tensor other) => Compare<LeOp>(other);
    /// <summary>a &gt; b (bool).</summary>
    public Tensor Gt(Tensor other) => Compare<GtOp>(other);
    /// <summary>a ≥ b (bool).</summary>
    public Tensor Ge(Tensor other) => Compare<GeOp>(other);
    /// <summary>a == s (bool).</summary>
    public Tensor Eq(double s) => Compare<EqOp>(ScalarFor(this, s));
    /// <summary>a != s (bool).</summary>
    public Tensor Ne(double s) => Compare<NeOp>(ScalarFor(this, s));
    /// <summary>a &lt; s (bool).</summary>
    public Tensor Lt(double s) => Compare<LtOp>(ScalarFor(this, s));
    /// <summary>a ≤ s (bool).</summary>
    public Tensor Le(double s) => Compare<LeOp>(ScalarFor(this, s));
    /// <summary>a &gt; s (bool).</summary>
    public Tensor Gt(double s) => Compare<GtOp>(ScalarFor(this, s));
    /// <summary>a ≥ s (bool).</summary>
    public Tensor Ge(double s) => Compare<GeOp>(ScalarFor(this, s));

    /// <summary>True where |a - b| ≤ atol + rtol·|b| (NaNs unequal).</summary>
    public Tensor IsClose(Tensor other, double rtol = 1e-5, double atol = 1e-8) =>
        Sub(other).Abs().Le(other.Abs().Mul(rtol).Add(atol));

    /// <summary>True when every element is close (see <see cref="IsClose"/>) and the shapes broadcast.</summary>
    public bool AllClose(Tensor other, double rtol = 1e-5, double atol = 1e-8) => IsClose(other, rtol, atol).All().Item() != 0;

    /// <summary>True when shapes and every element are equal.</summary>
    public bool Equal(Tensor other) => shape.AsSpan().SequenceEqual(other.shape) && Eq(other).All().Item() != 0;

    /// <summary>Logical and of the truth values (bool).</summary>
    public Tensor LogicalAnd(Tensor other) => Bool().To(DType.UInt8).Mul(other.Bool().To(DType.UInt8)).Bool();
    /// <summary>Logical or (bool).</summary>
    public Tensor LogicalOr(Tensor other) => Bool().To(DType.UInt8).Add(other.Bool().To(DType.UInt8)).Bool();
    /// <summary>Logical xor (bool).</summary>
    public Tensor LogicalXor(Tensor other) => Bool().Ne(other.Bool());
    /// <summary>Logical not (bool).</summary>
    public Tensor LogicalNot() => Bool().Eq(0);

    /// <summary>Picks <paramref name="a"/> where <paramref name="condition"/> is true, else <paramref name="b"/>, with broadcasting.</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b)
    {
        var shape = Engine.Shape.Broadcast(Engine.Shape.Broadcast(condition.shape, a.shape), b.shape);
        var dt = DTypes.Promote(a.DType, b.DType);
        var ca = a.To(dt);
        var cb = b.To(dt);
        Tensor y;
        using (Autograd.NoGrad())
        {
            if (ca.storage.gpu != null || cb.storage.gpu != null || condition.storage.gpu != null)
                y = Backends.Gpu.GpuElementwise.Where(condition, ca, cb, shape);
            else
            {
            // y = b + m·(a - b) would turn Inf into NaN; select explicitly instead.
            y = Empty(dt, shape);
            Elementwise.Copy(cb, y);
            var picked = Empty(dt, shape);
            Elementwise.Copy(ca, picked);
            var mask = condition.Bool().Expand(shape).Contiguous();
            CopyWhere(picked, mask, y);
            }
        }
        if (Autograd.Needs(ca, cb))
            Autograd.Attach(y, "Where", [ca, cb], g =>
            {
                var zero = ZerosLike(g);
                return [ca.requiresGrad ? Where(condition, g, zero).SumTo(ca.shape) : null, cb.requiresGrad ? Where(condition, zero, g).SumTo(cb.shape) : null];
            });
        return y;
    }

    /// <summary>Where with a scalar for the false branch.</summary>
    public static Tensor Where(Tensor condition, Tensor a, double b) => Where(condition, a, ScalarFor(a, b));

    private static void CopyWhere(Tensor src, Tensor mask, Tensor dst)
    {
        var m = mask.AsSpan<bool>();
        switch (dst.DType)
        {
            case DType.Float32: Select(src.AsSpan<float>(), m, dst.AsSpan<float>()); break;
            case DType.Float64: Select(src.AsSpan<double>(), m, dst.AsSpan<double>()); break;
            case DType.Int32: Select(src.AsSpan<int>(), m, dst.AsSpan<int>()); break;
            case DType.Int64: Select(src.AsSpan<long>(), m, dst.AsSpan<long>()); break;
            case DType.Bool: Select(src.AsSpan<bool>(), m, dst.AsSpan<bool>()); break;
            case DType.UInt8: Select(src.AsSpan<byte>(), m, dst.AsSpan<byte>()); break;
        }
        static void Select<T>(Span<T> s, Span<bool> m, Span<T> d)
        {
            for (int i = 0; i < d.Length; i++) if (m[i]) d[i] = s[i];
        }
    }

    // ---------- in place (PyTorch's trailing-underscore ops; here named ...InPlace) ----------

    private Tensor InPlaceBinary<TOp>(Tensor other, string name) where TOp : INumericBinaryOp
    {
        CheckInPlace(name);
        var shapeOut = shape.AsSpan().SequenceEqual(other.shape) ? shape : Engine.Shape.Broadcast(shape, other.shape);
        if (!shapeOut.AsSpan().SequenceEqual(shape))
            throw new ArgumentException($"{name}: the result shape {Engine.Shape.Format(shapeOut)} differs from the tensor's shape {Engine.Shape.Format(shape)}");
        Elementwise.NumericBinary<TOp>(this, other.To(DType), shape, this);
        storage.Version++;
        return this;
    }

    /// <summary>this += other (returns this).</summary>
    public Tensor AddInPlace(Tensor other) => InPlaceBinary<AddOp>(other, "AddInPlace");
    /// <summary>this += alpha·other.</summary>
    public Tensor AddInPlace(Tensor other, double alpha) => alpha == 1 ? AddInPlace(other) : AddInPlace(other.Mul(alpha));
    /// <summary>this -= other.</summary>
    public Tensor SubInPlace(Tensor other) => InPlaceBinary<SubOp>(other, "SubInPlace");
    /// <summary>this *= other.</summary>
    public Tensor MulInPlace(Tensor other) => InPlaceBinary<MulOp>(other, "MulInPlace");
    /// <summary>this /= other.</summary>
    public Tensor DivInPlace(Tensor other) => InPlaceBinary<DivOp>(other, "DivInPlace");
    /// <summary>this += s.</summary>
    public Tensor AddInPlace(double s) => InPlaceBinary<AddOp>(ScalarFor(this, s), "AddInPlace");
    /// <summary>this -= s.</summary>
    public Tensor SubInPlace(double s) => InPlaceBinary<SubOp>(ScalarFor(this, s), "SubInPlace");
    /// <summary>this *= s.</summary>
    public Tensor MulInPlace(double s) => InPlaceBinary<MulOp>(ScalarFor(this, s), "MulInPlace");
    /// <summary>this /= s.</summary>
    public Tensor DivInPlace(double s) => InPlaceBinary<DivOp>(ScalarFor(this, s), "DivInPlace");
    /// <summary>this = max(this, other).</summary>
    public Tensor MaximumInPlace(Tensor other) => InPlaceBinary<MaximumOp>(other, "MaximumInPlace");
    /// <summary>this += value·t1·t2.</summary>
    public Tensor AddcmulInPlace(Tensor t1, Tensor t2, double value = 1) => AddInPlace(t1.Mul(t2), value);
    /// <summary>this += value·t1/t2.</summary>
    public Tensor AddcdivInPlace(Tensor t1, Tensor t2, double value = 1) => AddInPlace(t1.Div(t2), value);
    /// <summary>this += weight·(end - this).</summary>
    public Tensor LerpInPlace(Tensor end, double weight) => AddInPlace(end.Sub(this), weight);

    /// <summary>Clamps in place.</summary>
    public Tensor ClampInPlace(double? min = null, double? max = null)
    {
        if (min != null) InPlaceBinary<MaximumOp>(ScalarFor(this, min.Value), "ClampInPlace");
        if (max != null) InPlaceBinary<MinimumOp>(ScalarFor(this, max.Value), "ClampInPlace");
        return this;
    }

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    public Tensor FillInPlace(double value)
    {
        CheckInPlace("FillInPlace");
        Elementwise.Copy(ScalarFor(this, value).To(DType), this);
        storage.Version++;
        return this;
    }

    /// <summary>Sets every element to zero.</summary>
    public Tensor ZeroInPlace() => FillInPlace(0);

    /// <summary>Copies <paramref name="src"/> (broadcast, converted) into this tensor.</summary>
    public Tensor CopyInPlace(Tensor src)
    {
        CheckInPlace("CopyInPlace");
        var b = Engine.Shape.Broadcast(shape, src.shape);
        if (!b.AsSpan().SequenceEqual(shape)) throw new ArgumentException($"CopyInPlace: source shape {Engine.Shape.Format(src.shape)} does not broadcast to {Engine.Shape.Format(shape)}");
        if (!LazyGraph.TryRealizeInto(src, this)) Elementwise.Copy(src, this); // a pending src is computed straight into this memory
        storage.Version++;
        return this;
    }

    /// <summary>Applies a float unary op in place (used by optimizers: e.g. Sqrt).</summary>
    public Tensor SqrtInPlace()
    {
        CheckInPlace("SqrtInPlace");
        Elementwise.FloatUnary<SqrtOp>(this, this);
        storage.Version++;
        return this;
    }

    /// <summary>Fills with uniform samples in [low, high).</summary>
    public Tensor UniformInPlace(double low = 0, double high = 1, Generator? generator = null)
    {
        CheckInPlace("UniformInPlace");
        var r = Rand(shape, generator, DType.Float64).Mul(high - low).Add(low);
        Elementwise.Copy(r, this);
        storage.Version++;
        return this;
    }

    /// <summary>Fills with normal samples.</summary>
    public Tensor NormalInPlace(double mean = 0, double std = 1, Generator? generator = null)
    {
        CheckInPlace("NormalInPlace");
        var r = Randn(shape, generator, DType.Float64).Mul(std).Add(mean);
        Elementwise.Copy(r, this);
        storage.Version++;
        return this;
    }
}
