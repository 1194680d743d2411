namespace RlPlat.Engine.Tests.Lazy;

/// <summary>Every elementwise, broadcast and reduction op gives the same values in lazy mode as eagerly.</summary>
[NonParallelizable]
public class LazyOpSuiteTests
{
    private static readonly Generator Gen = new(123);
    private static readonly Tensor A = Tensor.Rand([6, 10], Gen).Mul(3.0).Sub(1.5);
    private static readonly Tensor B = Tensor.Rand([6, 10], Gen).Add(0.5);
    private static readonly Tensor Row = Tensor.Rand([10], Gen).Sub(0.5);
    private static readonly Tensor Col = Tensor.Rand([6, 1], Gen).Add(0.25);
    private static readonly Tensor One = Tensor.FromArray(new float[] { 1.75f });

    private static readonly (string Name, Func<Tensor, Tensor> Op)[] Ops =
    [
        ("Neg", x => x.Neg()), ("Abs", x => x.Abs()), ("Square", x => x.Square()), ("Relu", x => x.Relu()),
        ("Exp", x => x.Exp()), ("Log", x => x.Abs().Add(0.1).Log()), ("Sqrt", x => x.Abs().Sqrt()),
        ("Reciprocal", x => x.Abs().Add(0.5).Reciprocal()), ("Sin", x => x.Sin()), ("Cos", x => x.Cos()),
        ("Tanh", x => x.Tanh()), ("Sigmoid", x => x.Sigmoid()),
        ("Add", x => x.Add(B)), ("Sub", x => x.Sub(B)), ("Mul", x => x.Mul(B)), ("Div", x => x.Div(B)),
        ("Maximum", x => x.Maximum(B.Sub(1.0))), ("Minimum", x => x.Minimum(B.Sub(1.0))), ("Pow", x => B.Pow(x)),
        ("PowScalar", x => x.Abs().Pow(1.5)),
        ("AddScalar", x => x.Add(2.5)), ("SubScalar", x => x.Sub(2.5)), ("MulScalar", x => x.Mul(-3.0)), ("DivScalar", x => x.Div(4.0)),
        ("ScalarMinus", x => 1.0 - x), ("ScalarOver", x => 2.0 / B.Add(x.Abs())),
        ("BroadcastRow", x => x.Mul(Row).Add(Row)), ("BroadcastCol", x => x.Sub(Col).Div(Col)),
        ("BroadcastOuter", x => Col.Mul(Row).Add(x)), ("BroadcastOneElement", x => x.Mul(One).Add(One)),
        ("Clamp", x => x.Clamp(-0.5, 0.75)), ("Relu6", x => x.Mul(4.0).Relu6()), ("Hardswish", x => x.Hardswish()),
        ("Addcmul", x => x.Addcmul(B, Row, 0.5)), ("Lerp", x => x.Lerp(B, 0.3)),
        ("Sum", x => x.Mul(B).Sum()), ("SumKeepDim", x => x.Square().Sum(null, keepDim: true)), ("Mean", x => x.Exp().Mean()),
        ("SumDim", x => x.Mul(2.0).Sum(1)), ("MeanDim", x => x.Tanh().Mean(0)), ("Softmax", x => x.Mul(2.0).Softmax(-1)),
        ("LogSoftmax", x => x.LogSoftmax(-1).Add(1.0)), ("Max", x => x.Sin().Max()), ("Clone", x => x.Mul(2.0).Clone()),
        ("TransposeThenAdd", x => x.Mul(2.0).T.Add(1.0)), ("SliceThenMul", x => x.Add(1.0).Slice(1, 2, 7).Mul(3.0)),
        ("Chain", x => x.Mul(1.5).Add(0.25).Tanh().Mul(x).Sub(0.5).Square().Add(1.0).Sqrt()),
        ("SumOfSquaresOverMean", x => x.Square().Sum().Div(x.Abs().Mean()).Mul(x)),
        ("LeakyRelu", x => x.LeakyRelu(0.1)), ("Elu", x => x.Elu()), ("Softplus", x => x.Softplus()), ("Gelu", x => x.Gelu()),
    ];

    private static IEnumerable<TestCaseData> Cases()
    {
        foreach (var (name, op) in Ops) yield return new TestCaseData(op).SetName($"LazyEqualsEager_{name}");
    }

    [TestCaseSource(nameof(Cases))]
    public void LazyEqualsEager(Func<Tensor, Tensor> op)
    {
        var eager = op(A);
        Tensor lazy;
        using (LazyMode.Scope()) lazy = op(A);
        Assert.That(lazy.Shape, Is.EqualTo(eager.Shape), "shape");
        Assert.That(lazy.DType, Is.EqualTo(eager.DType), "dtype");
        var e = eager.To(DType.Float64).ToArray<double>();
        var l = lazy.To(DType.Float64).ToArray<double>();
        for (int i = 0; i < e.Length; i++)
            Assert.That(l[i], Is.EqualTo(e[i]).Within(2e-6 * (1 + Math.Abs(e[i]))), $"element {i}");
    }

    [Test]
    public void TheSuiteCoversEveryFusedOpThatHasAnEagerTwin()
    {
        // Each fused op with an eager op struct appears in the suite above under its tensor method's name.
        var names = new HashSet<string>(Ops.Select(o => o.Name));
        var methodOf = new Dictionary<string, string> { ["Recip"] = "Reciprocal", ["Max"] = "Maximum", ["Min"] = "Minimum" };
        foreach (var op in RlPlat.Engine.Lazy.Fusion.FusedOps.All)
            if (op.EagerOp != null) Assert.That(names, Does.Contain(methodOf.GetValueOrDefault(op.Name, op.Name)), op.Name);
    }
}
