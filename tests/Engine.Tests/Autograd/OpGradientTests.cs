using RlPlat.Engine;

namespace RlPlat.Engine.Tests.Gradients;

/// <summary>One differentiable op under test: how to build its inputs (seeded) and the function to differentiate.</summary>
public sealed record OpCase(string Name, Func<Generator, Tensor[]> Inputs, Func<Tensor[], Tensor> Func)
{
    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>
/// The gradient table: every differentiable op of the tensor library, checked against finite differences (first and
/// second order) on small float64 inputs, including broadcasting and non-contiguous (strided) inputs.
/// </summary>
public class OpGradientTests
{
    private const DType F64 = DType.Float64;

    /// <summary>Standard-normal leaf that requires grad.</summary>
    private static Tensor N(Generator g, params int[] shape) => Tensor.Randn(shape, g, F64).RequiresGrad_();

    /// <summary>Leaf with values uniform in [lo, hi).</summary>
    private static Tensor U(Generator g, double lo, double hi, params int[] shape) =>
        Tensor.Rand(shape, g, F64).Mul(hi - lo).Add(lo).RequiresGrad_();

    /// <summary>Positive leaf in [0.5, 2).</summary>
    private static Tensor P(Generator g, params int[] shape) => U(g, 0.5, 2.0, shape);

    /// <summary>A non-contiguous leaf: every other column of a wider matrix (last-dim stride 2).</summary>
    private static Tensor Strided(Generator g, params int[] shape)
    {
        var wide = (int[])shape.Clone();
        wide[^1] *= 2;
        var t = Tensor.Randn(wide, g, F64).Slice(-1, 0, wide[^1], 2);
        Assert.That(t.IsContiguous, Is.False);
        return t.RequiresGrad_();
    }

    /// <summary>A non-contiguous leaf: the transpose of a [c, r] matrix.</summary>
    private static Tensor Transposed(Generator g, int r, int c) => Tensor.Randn([c, r], g, F64).T.RequiresGrad_();

    private static Tensor Idx(long[] values, params int[] shape) => Tensor.FromArray(values, shape);

    private static OpCase C(string name, Func<Generator, Tensor[]> inputs, Func<Tensor[], Tensor> func) => new(name, inputs, func);

    private static IEnumerable<OpCase> Unary()
    {
        (string, Func<Tensor, Tensor>, double, double)[] ops =
        [
            ("Neg", x => x.Neg(), -2, 2), ("Abs", x => x.Abs(), -2, 2), ("Square", x => x.Square(), -2, 2),
            ("Sign", x => x.Sign(), -2, 2), ("Relu", x => x.Relu(), -2, 2), ("Exp", x => x.Exp(), -2, 2),
            ("Log", x => x.Log(), 0.5, 3), ("Log2", x => x.Log2(), 0.5, 3), ("Log10", x => x.Log10(), 0.5, 3),
            ("Log1p", x => x.Log1p(), -0.5, 2), ("Expm1", x => x.Expm1(), -2, 2), ("Sqrt", x => x.Sqrt(), 0.5, 3),
            ("Rsqrt", x => x.Rsqrt(), 0.5, 3), ("Reciprocal", x => x.Reciprocal(), 0.5, 3),
            ("Floor", x => x.Floor(), -2, 2), ("Ceil", x => x.Ceil(), -2, 2), ("Round", x => x.Round(), -2, 2),
            ("Trunc", x => x.Trunc(), -2, 2), ("Frac", x => x.Frac(), -2, 2), ("Sin", x => x.Sin(), -3, 3),
            ("Cos", x => x.Cos(), -3, 3), ("Tan", x => x.Tan(), -1.2, 1.2), ("Asin", x => x.Asin(), -0.9, 0.9),
            ("Acos", x => x.Acos(), -0.9, 0.9), ("Atan", x => x.Atan(), -3, 3), ("Sinh", x => x.Sinh(), -2, 2),
            ("Cosh", x => x.Cosh(), -2, 2), ("Tanh", x => x.Tanh(), -2, 2), ("Asinh", x => x.Asinh(), -3, 3),
            ("Acosh", x => x.Acosh(), 1.2, 3), ("Atanh", x => x.Atanh(), -0.9, 0.9), ("Sigmoid", x => x.Sigmoid(), -3, 3),
            ("Softplus", x => x.Softplus(), -3, 3), ("Silu", x => x.Silu(), -3, 3), ("Gelu", x => x.Gelu(), -3, 3),
            ("Erf", x => x.Erf(), -2, 2), ("LeakyRelu", x => x.LeakyRelu(0.1), -2, 2), ("Elu", x => x.Elu(0.7), -2, 2),
            ("Selu", x => x.Selu(), -2, 2), ("Relu6", x => x.Relu6(), -3, 8), ("Hardswish", x => x.Hardswish(), -5, 5),
            ("Hardsigmoid", x => x.Hardsigmoid(), -5, 5), ("Clamp", x => x.Clamp(-0.5, 0.7), -2, 2),
            ("ClampMin", x => x.Clamp(min: 0.1), -2, 2), ("PowCube", x => x.Pow(3), -2, 2), ("PowHalf", x => x.Pow(0.5), 0.5, 3),
            ("PowNegative", x => x.Pow(-1.5), 0.5, 3), ("PowZero", x => x.Pow(0), -2, 2), ("PowOne", x => x.Pow(1), -2, 2),
            ("NanToNum", x => x.NanToNum(), -2, 2),
        ];
        foreach (var (name, f, lo, hi) in ops)
        {
            yield return C(name, g => [U(g, lo, hi, 2, 3)], xs => f(xs[0]));
            // Same op on a strided view: kernels must read strides, gradients must land in the view's shape.
            if (lo < 0 || lo >= 0.5) yield return C(name + "/strided", g => [Strided(g, 3, 2)], xs => f(lo >= 0.5 ? xs[0].Abs().Add(lo) : xs[0].Clamp(lo, hi)));
        }
    }

    private static IEnumerable<OpCase> Binary()
    {
        (string, Func<Tensor, Tensor, Tensor>)[] ops =
        [
            ("Add", (a, b) => a.Add(b)), ("Sub", (a, b) => a.Sub(b)), ("Mul", (a, b) => a.Mul(b)), ("Div", (a, b) => a.Div(b)),
            ("AddAlpha", (a, b) => a.Add(b, 2.5)), ("Maximum", (a, b) => a.Maximum(b)), ("Minimum", (a, b) => a.Minimum(b)),
            ("Atan2", (a, b) => a.Atan2(b)), ("Pow", (a, b) => a.Abs().Add(0.5).Pow(b)), ("Fmod", (a, b) => a.Mul(3).Fmod(b)),
            ("Remainder", (a, b) => a.Mul(3).Remainder(b)), ("OperatorMix", (a, b) => a * b - a / b + 2.0 * a - 1.0 / b),
            ("Addcmul", (a, b) => a.Addcmul(b, b, 0.5)), ("Addcdiv", (a, b) => a.Addcdiv(a, b, 0.5)), ("Lerp", (a, b) => a.Lerp(b, 0.3)),
        ];
        foreach (var (name, f) in ops)
        {
            // b is kept away from 0 so Div / Fmod / Remainder / Atan2 stay smooth; sign is random.
            Tensor B(Generator g, params int[] s) => U(g, 0.6, 1.6, s).Detach().Mul(Tensor.RandInt(0, 2, s, g).Mul(2).Sub(1).Double()).RequiresGrad_();
            yield return C(name, g => [N(g, 2, 3), B(g, 2, 3)], xs => f(xs[0], xs[1]));
            yield return C(name + "/broadcast", g => [N(g, 2, 1, 3), B(g, 4, 1)], xs => f(xs[0], xs[1]));
            yield return C(name + "/broadcastLeft", g => [N(g, 3), B(g, 2, 3)], xs => f(xs[0], xs[1]));
            yield return C(name + "/transposed", g => [Transposed(g, 3, 2), B(g, 3, 2)], xs => f(xs[0], xs[1]));
        }
        yield return C("AddScalar", g => [N(g, 2, 3)], xs => xs[0].Add(1.5).Sub(0.5).Mul(3).Div(2));
        yield return C("MaximumScalar", g => [N(g, 2, 3)], xs => xs[0].Maximum(0.1).Add(xs[0].Minimum(-0.2)));
        yield return C("FmodScalar", g => [N(g, 2, 3)], xs => xs[0].Mul(3).Fmod(0.9).Add(xs[0].Mul(3).Remainder(0.7)));
        yield return C("MulConstant", g => [N(g, 2, 3), Tensor.Randn([3], g, F64)], xs => xs[0].Mul(xs[1]));
        yield return C("Where", g => [N(g, 2, 3), N(g, 3)], xs => Tensor.Where(xs[0].Gt(0), xs[0].Mul(2), xs[1]));
        yield return C("WhereScalar", g => [N(g, 2, 3)], xs => Tensor.Where(xs[0].Lt(0.2), xs[0].Exp(), 0.5));
        yield return C("MaskedFill", g => [N(g, 2, 3)], xs => xs[0].MaskedFill(Tensor.FromArray(new[] { true, false, true }), -1.0).Mul(xs[0]));
    }

    private static IEnumerable<OpCase> Reductions()
    {
        yield return C("SumAll", g => [N(g, 2, 3)], xs => xs[0].Sum());
        yield return C("SumDim", g => [N(g, 2, 3, 2)], xs => xs[0].Sum(1));
        yield return C("SumDimsKeep", g => [N(g, 2, 3, 2)], xs => xs[0].Sum([0, 2], keepDim: true));
        yield return C("SumNegativeDim/strided", g => [Strided(g, 2, 3)], xs => xs[0].Sum(-1));
        yield return C("MeanDims", g => [N(g, 2, 3, 2)], xs => xs[0].Mean([0, 2]));
        yield return C("MeanKeep", g => [N(g, 2, 3)], xs => xs[0].Mean(1, keepDim: true));
        yield return C("ProdAll", g => [N(g, 2, 3)], xs => xs[0].Prod());
        yield return C("ProdDimKeep", g => [N(g, 2, 3, 2)], xs => xs[0].Prod([1], keepDim: true));
        yield return C("ProdWithZero", g => [Tensor.FromArray(new double[] { 1.5, 0, -2, 0.5, 3, -1 }, 2, 3).RequiresGrad_()], xs => xs[0].Prod([1]));
        yield return C("ProdWithTwoZeros", g => [Tensor.FromArray(new double[] { 0, 0, -2, 0.5 }, 4).RequiresGrad_()], xs => xs[0].Prod());
        yield return C("MaxAll", g => [N(g, 2, 3)], xs => xs[0].Max());
        yield return C("MinAll", g => [N(g, 2, 3)], xs => xs[0].Min());
        yield return C("AmaxDims", g => [N(g, 2, 3, 2)], xs => xs[0].Amax([0, 2]));
        yield return C("AminKeep", g => [N(g, 2, 3)], xs => xs[0].Amin([1], keepDim: true));
        yield return C("MaxDimValues", g => [N(g, 3, 4)], xs => xs[0].Max(1).Values);
        yield return C("MinDimValuesKeep", g => [N(g, 3, 4)], xs => xs[0].Min(0, keepDim: true).Values);
        yield return C("Var", g => [N(g, 3, 4)], xs => xs[0].Var([1]));
        yield return C("VarBiasedAll", g => [N(g, 3, 4)], xs => xs[0].Var(null, correction: 0));
        yield return C("Std", g => [N(g, 3, 4)], xs => xs[0].Std([0], keepDim: true));
        yield return C("LogSumExp", g => [N(g, 3, 4)], xs => xs[0].LogSumExp(1));
        yield return C("LogSumExpDims", g => [N(g, 2, 3, 2)], xs => xs[0].LogSumExp([0, 2], keepDim: true));
        yield return C("Norm2", g => [N(g, 3, 4)], xs => xs[0].Norm(2, [1]));
        yield return C("Norm2AllKeep/strided", g => [Strided(g, 2, 3)], xs => xs[0].Norm(2, null, keepDim: true));
        yield return C("Norm1", g => [N(g, 3, 4)], xs => xs[0].Norm(1));
        yield return C("Norm3", g => [N(g, 3, 4)], xs => xs[0].Norm(3, [0]));
        yield return C("NormInf", g => [N(g, 3, 4)], xs => xs[0].Norm(double.PositiveInfinity, [1]));
        yield return C("CumSum", g => [N(g, 3, 4)], xs => xs[0].CumSum(1));
        yield return C("CumSumDim0/strided", g => [Strided(g, 3, 2)], xs => xs[0].CumSum(0));
        yield return C("CumProd", g => [U(g, 0.5, 1.5, 3, 4)], xs => xs[0].CumProd(1));
        yield return C("CumProdWithZero", g => [Tensor.FromArray(new double[] { 1.5, 0, -2, 0.5, 0, 3, 0.7, -1 }, 2, 4).RequiresGrad_()], xs => xs[0].CumProd(1));
        yield return C("Softmax", g => [N(g, 3, 4)], xs => xs[0].Softmax(1));
        yield return C("SoftmaxDim0/transposed", g => [Transposed(g, 3, 4)], xs => xs[0].Softmax(0));
        yield return C("LogSoftmax", g => [N(g, 3, 4)], xs => xs[0].LogSoftmax(-1));
        yield return C("LogSoftmaxDim0", g => [N(g, 2, 3, 2)], xs => xs[0].LogSoftmax(1));
    }

    private static IEnumerable<OpCase> LinearAlgebra()
    {
        yield return C("MatMul", g => [N(g, 2, 3), N(g, 3, 4)], xs => xs[0].MatMul(xs[1]));
        yield return C("MatMul/transposed", g => [Transposed(g, 2, 3), Transposed(g, 3, 4)], xs => xs[0].MatMul(xs[1]));
        yield return C("MatMulBatchBroadcast", g => [N(g, 2, 1, 2, 3), N(g, 3, 3, 2)], xs => xs[0].MatMul(xs[1]));
        yield return C("MatMulBatchTimesMatrix", g => [N(g, 2, 2, 3), N(g, 3, 2)], xs => xs[0].MatMul(xs[1]));
        yield return C("MatMulVectorMatrix", g => [N(g, 3), N(g, 2, 3, 2)], xs => xs[0].MatMul(xs[1]));
        yield return C("MatMulMatrixVector", g => [N(g, 2, 3), N(g, 3)], xs => xs[0].MatMul(xs[1]));
        yield return C("MatMulConstantLeft", g => [Tensor.Randn([2, 3], g, F64), N(g, 3, 2)], xs => xs[0].MatMul(xs[1]));
        yield return C("Mm", g => [N(g, 3, 2), N(g, 2, 2)], xs => xs[0].Mm(xs[1]));
        yield return C("Bmm", g => [N(g, 2, 2, 3), N(g, 2, 3, 2)], xs => xs[0].Bmm(xs[1]));
        yield return C("Dot", g => [N(g, 4), N(g, 4)], xs => xs[0].Dot(xs[1]));
        yield return C("Outer", g => [N(g, 3), N(g, 2)], xs => xs[0].Outer(xs[1]));
        yield return C("Addmm", g => [N(g, 2), N(g, 3, 2), N(g, 2, 2)], xs => xs[0].Addmm(xs[1], xs[2], beta: 0.5, alpha: 2));
    }

    private static IEnumerable<OpCase> Views()
    {
        yield return C("View", g => [N(g, 2, 6)], xs => xs[0].View(3, 4).Mul(Tensor.Arange(4, F64)));
        yield return C("Reshape/strided", g => [Strided(g, 2, 3)], xs => xs[0].Reshape(3, 2).Mul(Tensor.Arange(2, F64)));
        yield return C("Permute", g => [N(g, 2, 3, 2)], xs => xs[0].Permute(2, 0, 1).Mul(Tensor.Arange(3, F64)));
        yield return C("Transpose", g => [N(g, 2, 3, 2)], xs => xs[0].Transpose(0, 2).Mul(Tensor.Arange(2, F64)));
        yield return C("T", g => [N(g, 2, 3)], xs => xs[0].T.Mul(Tensor.Arange(2, F64)));
        yield return C("MT", g => [N(g, 2, 2, 3)], xs => xs[0].MT.Mul(Tensor.Arange(2, F64)));
        yield return C("Expand", g => [N(g, 3, 1)], xs => xs[0].Expand(2, 3, 4).Mul(Tensor.Arange(24, F64).Reshape(2, 3, 4)));
        yield return C("ExpandAs", g => [N(g, 3)], xs => xs[0].ExpandAs(Tensor.Zeros(2, 3)).Mul(Tensor.Arange(6, F64).Reshape(2, 3)));
        yield return C("Squeeze", g => [N(g, 2, 1, 3)], xs => xs[0].Squeeze().Mul(Tensor.Arange(3, F64)));
        yield return C("SqueezeDim", g => [N(g, 1, 3)], xs => xs[0].Squeeze(0).Mul(Tensor.Arange(3, F64)));
        yield return C("Unsqueeze", g => [N(g, 2, 3)], xs => xs[0].Unsqueeze(1).Mul(Tensor.Arange(4, F64).Reshape(4, 1)));
        yield return C("Flatten", g => [N(g, 2, 3, 2)], xs => xs[0].Flatten(1).Mul(Tensor.Arange(6, F64)));
        yield return C("SliceStep", g => [N(g, 7, 2)], xs => xs[0].Slice(0, 1, 7, 3).Mul(Tensor.Arange(2, F64)));
        yield return C("SliceNegative", g => [N(g, 2, 6)], xs => xs[0].Slice(1, -4, -1, 2).Square());
        yield return C("SliceOfSlice/strided", g => [Strided(g, 2, 5)], xs => xs[0].Slice(1, 1, 5, 2).Exp());
        yield return C("Narrow", g => [N(g, 4, 3)], xs => xs[0].Narrow(0, 1, 2).Square());
        yield return C("Select", g => [N(g, 3, 4)], xs => xs[0].Select(1, -2).Square());
        yield return C("Indexer", g => [N(g, 2, 3, 2)], xs => xs[0][1, 2].Square());
        yield return C("Diagonal", g => [N(g, 3, 4)], xs => xs[0].Diagonal().Square());
        yield return C("Trace", g => [N(g, 3, 3)], xs => xs[0].Square().Trace());
        yield return C("Contiguous/transposed", g => [Transposed(g, 2, 3)], xs => xs[0].Contiguous().Mul(Tensor.Arange(3, F64)));
        yield return C("Clone", g => [N(g, 2, 3)], xs => xs[0].Clone().Square());
        yield return C("ToFloat64", g => [N(g, 2, 3)], xs => xs[0].To(F64).Square());
        yield return C("SplitSizes", g => [N(g, 2, 5)], xs => Cat3(xs[0].Split([1, 3, 1], 1)));
        yield return C("SplitEven", g => [N(g, 5, 2)], xs => Cat3(xs[0].Split(2, 0)));
        yield return C("Chunk", g => [N(g, 3, 4)], xs => Cat3([.. xs[0].Chunk(2, 1), xs[0]]));
        yield return C("Unbind", g => [N(g, 3, 2)], xs => Cat3(xs[0].Unbind(0)));
    }

    /// <summary>Weights each part differently so a gradient routed to the wrong part is caught.</summary>
    private static Tensor Cat3(Tensor[] parts)
    {
        var flat = new Tensor[parts.Length];
        for (int i = 0; i < parts.Length; i++) flat[i] = parts[i].Reshape(-1).Mul(i + 1.0);
        return Tensor.Cat(flat);
    }

    private static IEnumerable<OpCase> Indexing()
    {
        var idx23 = Idx([2, 0, 1, 1, 3, 0], 2, 3);
        yield return C("Gather", g => [N(g, 2, 4)], xs => xs[0].Gather(1, idx23));
        yield return C("GatherDim0", g => [N(g, 3, 3)], xs => xs[0].Gather(0, Idx([2, 0, 1, 1, 1, 0], 2, 3)));
        yield return C("Scatter", g => [N(g, 2, 4), N(g, 2, 2)], xs => xs[0].Scatter(1, Idx([3, 0, 1, 2], 2, 2), xs[1]));
        yield return C("ScatterSmallIndex", g => [N(g, 2, 4), N(g, 3, 3)], xs => xs[0].Scatter(1, Idx([3, 0, 1, 2], 2, 2), xs[1]));
        yield return C("ScatterScalar", g => [N(g, 2, 4)], xs => xs[0].Scatter(1, Idx([3, 0], 2, 1), 0.5).Square());
        yield return C("ScatterAdd", g => [N(g, 2, 4), N(g, 2, 3)], xs => xs[0].ScatterAdd(1, Idx([3, 3, 1, 0, 0, 0], 2, 3), xs[1]));
        yield return C("ScatterAddSmallIndex", g => [N(g, 2, 4), N(g, 3, 3)], xs => xs[0].ScatterAdd(1, Idx([3, 3, 1, 0], 2, 2), xs[1]));
        yield return C("IndexSelect", g => [N(g, 3, 2)], xs => xs[0].IndexSelect(0, Idx([2, 0, 2, -1], 4)));
        yield return C("IndexSelectDim1", g => [N(g, 2, 3)], xs => xs[0].IndexSelect(1, Idx([1, 1], 2)));
        yield return C("IndexAdd", g => [N(g, 3, 2), N(g, 2, 2)], xs => xs[0].IndexAdd(0, Idx([2, 2], 2), xs[1]));
        yield return C("IndexInt", g => [N(g, 4, 2)], xs => xs[0].Index(Idx([3, 1, 3, 0], 2, 2)));
        yield return C("IndexSeveral", g => [N(g, 3, 4, 2)], xs => xs[0].Index(Idx([0, 2, 2], 3), Idx([1, 3, -1], 3)));
        yield return C("IndexBool", g => [N(g, 2, 3)], xs => xs[0].Index(Tensor.FromArray(new[] { true, false, true, true, false, false }, 2, 3)));
        yield return C("MaskedSelect", g => [N(g, 2, 3)], xs => xs[0].MaskedSelect(Tensor.FromArray(new[] { false, true, true })));
        yield return C("Tril", g => [N(g, 3, 3)], xs => xs[0].Tril().Mul(xs[0]));
        yield return C("Triu", g => [N(g, 3, 4)], xs => xs[0].Triu(1).Exp());
        yield return C("DiagEmbed", g => [N(g, 3)], xs => xs[0].DiagEmbed().Mul(Tensor.Arange(9, F64).Reshape(3, 3)));
    }

    private static IEnumerable<OpCase> Joining()
    {
        yield return C("Cat", g => [N(g, 2, 3), N(g, 1, 3), N(g, 2, 3)], xs => Cat3([Tensor.Cat([xs[0], xs[1], xs[2]], 0)]).Mul(Tensor.Arange(15, F64)));
        yield return C("CatDim1/strided", g => [Strided(g, 2, 2), N(g, 2, 3)], xs => Tensor.Cat([xs[0], xs[1]], 1).Mul(Tensor.Arange(5, F64)));
        yield return C("CatWithConstant", g => [N(g, 2), Tensor.Randn([3], g, F64)], xs => Tensor.Cat([xs[1], xs[0]]).Square());
        yield return C("Stack", g => [N(g, 2, 3), N(g, 2, 3)], xs => Tensor.Stack([xs[0], xs[1]], 1).Mul(Tensor.Arange(3, F64)));
        yield return C("Flip", g => [N(g, 2, 3)], xs => xs[0].Flip(1).Mul(Tensor.Arange(3, F64)));
        yield return C("FlipBoth", g => [N(g, 2, 3)], xs => xs[0].Flip(0, 1).Mul(Tensor.Arange(3, F64)));
        yield return C("Roll", g => [N(g, 2, 4)], xs => xs[0].Roll(3, 1).Mul(Tensor.Arange(4, F64)));
        yield return C("RollSeveral", g => [N(g, 3, 2)], xs => xs[0].Roll([-1, 1], [0, 1]).Mul(Tensor.Arange(6, F64).Reshape(3, 2)));
        yield return C("Repeat", g => [N(g, 2, 1)], xs => xs[0].Repeat(2, 2, 3).Mul(Tensor.Arange(3, F64)));
        yield return C("Tile", g => [N(g, 2, 2)], xs => xs[0].Tile(2).Mul(Tensor.Arange(4, F64)));
        yield return C("RepeatInterleave", g => [N(g, 2, 2)], xs => xs[0].RepeatInterleave(3, 1).Mul(Tensor.Arange(6, F64)));
        yield return C("Pad", g => [N(g, 2, 3)], xs => xs[0].Pad([1, 2, 0, 1], 0.5).Mul(Tensor.Arange(6, F64)));
        yield return C("PadCrop", g => [N(g, 3, 4)], xs => xs[0].Pad([-1, 1, 1, -2]).Mul(Tensor.Arange(4, F64)));
        yield return C("SortValues", g => [N(g, 3, 4)], xs => xs[0].Sort(1).Values.Mul(Tensor.Arange(4, F64)));
        yield return C("SortDescendingDim0", g => [N(g, 3, 2)], xs => xs[0].Sort(0, descending: true).Values.Mul(Tensor.Arange(2, F64)));
        yield return C("TopKValues", g => [N(g, 2, 5)], xs => xs[0].TopK(3).Values.Mul(Tensor.Arange(3, F64)));
        yield return C("TopKSmallest", g => [N(g, 5, 2)], xs => xs[0].TopK(2, 0, largest: false).Values.Mul(Tensor.Arange(2, F64)));
    }

    private static IEnumerable<OpCase> Composites()
    {
        yield return C("MlpLayer", g => [N(g, 4, 3), N(g, 3, 2), N(g, 2)], xs => xs[0].MatMul(xs[1]).Add(xs[2]).Tanh().Sum(1));
        yield return C("CrossEntropy", g => [N(g, 3, 4)], xs => xs[0].LogSoftmax(1).Gather(1, Idx([1, 0, 3], 3, 1)).Mean().Neg());
        yield return C("ReusedInput", g => [N(g, 2, 2)], xs => xs[0].Mul(xs[0]).Add(xs[0].Exp()).MatMul(xs[0]));
    }

    /// <summary>All cases, named for the test runner.</summary>
    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var c in Unary().Concat(Binary()).Concat(Reductions()).Concat(LinearAlgebra()).Concat(Views())
                     .Concat(Indexing()).Concat(Joining()).Concat(Composites()))
            yield return new TestCaseData(c).SetName("Gradient_" + c.Name.Replace('/', '_'));
    }

    [TestCaseSource(nameof(Cases))]
    public void FirstAndSecondDerivativesMatchFiniteDifferences(OpCase op)
    {
        var inputs = op.Inputs(new Generator(42));
        Assert.That(RlPlat.Engine.Autograd.GradCheck(op.Func, inputs), Is.True);
        Assert.That(RlPlat.Engine.Autograd.GradGradCheck(op.Func, inputs), Is.True);
    }
}
