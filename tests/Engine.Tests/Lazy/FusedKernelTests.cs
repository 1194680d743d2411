using RlPlat.Engine.Lazy.Fusion;

namespace RlPlat.Engine.Tests.Lazy;

public class FusedKernelTests
{
    private static ExprNode In(int k) => ExprNode.Input(k);
    private static ExprNode Op(string op, params ExprNode[] c) => ExprNode.Apply(op, c);

    [Test]
    public void MapComputesTheWholeTreeInOnePass([Values(1, 7, 8, 9, 100, 1000)] int n)
    {
        var g = new Generator(3);
        var x = Tensor.Randn([n], g).ToArray();
        var y = Tensor.Randn([n], g).ToArray();
        // (x + 2) * y, then tanh, minus exp(-|x|)
        var expr = Op("Sub", Op("Tanh", Op("Mul", Op("Add", In(0), ExprNode.Constant(0)), In(1))), Op("Exp", Op("Neg", Op("Abs", In(0)))));
        var dst = new float[n];
        FusedLauncher.Map(expr, [x, y], [0, 0], [2f], dst, 0, n);
        for (int i = 0; i < n; i++)
        {
            double expected = Math.Tanh((x[i] + 2.0) * y[i]) - Math.Exp(-Math.Abs(x[i]));
            Assert.That(dst[i], Is.EqualTo(expected).Within(2e-6), $"element {i}");
        }
    }

    [Test]
    public void BroadcastSlotReadsOneValue()
    {
        var x = new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
        var s = new float[] { 0, 0, 10 };
        var dst = new float[10];
        FusedLauncher.Map(Op("Mul", In(0), ExprNode.Broadcast(1)), [x, s], [0, 2], [], dst, 0, 10);
        Assert.That(dst, Is.EqualTo(new float[] { 10, 20, 30, 40, 50, 60, 70, 80, 90, 100 }));
    }

    [Test]
    public void SharedSubexpressionIsLetBoundAndStillCorrect()
    {
        var shared = Op("Add", In(0), ExprNode.Constant(0));
        var expr = Op("Mul", shared, shared);
        var type = FusedCompiler.BuildType(expr);
        Assert.That(type.GetGenericTypeDefinition(), Is.EqualTo(typeof(Let0<,>)));
        Assert.That(type.GetGenericArguments()[1], Is.EqualTo(typeof(Mul<Ref0, Ref0>)));
        var x = new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
        var dst = new float[9];
        FusedLauncher.Map(expr, [x], [0], [2f], dst, 0, 9);
        Assert.That(dst, Is.EqualTo(new float[] { 9, 16, 25, 36, 49, 64, 81, 100, 121 }));
    }

    [Test]
    public void SecondCompileOfTheSameExpressionHitsTheCache()
    {
        var e1 = Op("Sqrt", Op("Add", Op("Square", In(0)), Op("Square", In(1))));
        var e2 = Op("Sqrt", Op("Add", Op("Square", In(0)), Op("Square", In(1))));
        FusedCompiler.CompileMap(e1);
        long compiled = FusedCompiler.KernelsCompiled, hits = FusedCompiler.CacheHits;
        FusedCompiler.CompileMap(e2);
        Assert.That(FusedCompiler.KernelsCompiled, Is.EqualTo(compiled));
        Assert.That(FusedCompiler.CacheHits, Is.EqualTo(hits + 1));
    }

    [Test]
    public void FusedSumOverLargeInputSplitsAcrossThreadsAndMatches()
    {
        int n = 1 << 20;
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (i % 7) - 3;
        double s = FusedLauncher.Sum(Op("Square", In(0)), [x], [0], [], n);
        double expected = 0;
        for (int i = 0; i < n; i++) expected += (double)x[i] * x[i];
        Assert.That(s, Is.EqualTo(expected).Within(1e-6 * expected));
    }

    [Test]
    public void UnknownOpOrWrongArityIsRejected()
    {
        Assert.That(() => ExprNode.Apply("Frobnicate", In(0)), Throws.ArgumentException.With.Message.Contains("Frobnicate"));
        Assert.That(() => ExprNode.Apply("Add", In(0)), Throws.ArgumentException.With.Message.Contains("2 operands"));
    }

    [Test]
    public void StoreNodesWriteExtraOutputsInTheSamePass([Values(5, 64, 1 << 19)] int n)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (i % 11) - 5;
        // dst = (x + 1)² + St1(x + 1) with x + 1 also written to out1 and (x + 1)² to out2.
        var plus = Op("Add", In(0), ExprNode.Constant(0));
        var sq = ExprNode.Store(2, Op("Square", ExprNode.Store(1, plus)));
        var expr = Op("Add", sq, ExprNode.Store(1, plus));
        var dst = new float[n];
        var out1 = new float[n + 3];
        var out2 = new float[n];
        FusedLauncher.Map(expr, [x], [0], [1f], dst, 0, n, [out1, out2], [3, 0]);
        for (int i = 0; i < n; i++)
        {
            float p = x[i] + 1;
            Assert.That(out1[3 + i], Is.EqualTo(p), $"out1 {i}");
            Assert.That(out2[i], Is.EqualTo(p * p), $"out2 {i}");
            Assert.That(dst[i], Is.EqualTo(p * p + p), $"dst {i}");
        }
        Assert.That(expr.ToString(), Is.EqualTo("Add(St2(Square(St1(Add(In0,C0)))),St1(Add(In0,C0)))"));
    }

    [Test]
    public void OneTableNamesEveryOpForExpressionsAndTheCompiler()
    {
        Assert.That(ExprNode.UnaryOps, Is.EquivalentTo(new[] { "Neg", "Abs", "Square", "Exp", "Log", "Sqrt", "Recip", "Sin", "Cos", "Relu", "Sigmoid", "Tanh" }));
        Assert.That(ExprNode.BinaryOps, Is.EquivalentTo(new[] { "Add", "Sub", "Mul", "Div", "Max", "Min", "Pow", "Gt" }));
        foreach (var op in FusedOps.All)
        {
            var args = new ExprNode[op.Arity];
            for (int k = 0; k < args.Length; k++) args[k] = In(k);
            Assert.That(FusedCompiler.BuildType(ExprNode.Apply(op.Name, args)).GetGenericTypeDefinition(), Is.EqualTo(op.ExprType), op.Name);
        }
    }

    private static readonly Dictionary<string, Func<double, double, double, double>> Reference = new()
    {
        ["Neg"] = (a, _, _) => -a, ["Abs"] = (a, _, _) => Math.Abs(a), ["Square"] = (a, _, _) => a * a,
        ["Exp"] = (a, _, _) => Math.Exp(a), ["Log"] = (a, _, _) => Math.Log(a), ["Sqrt"] = (a, _, _) => Math.Sqrt(a),
        ["Recip"] = (a, _, _) => 1 / a, ["Sin"] = (a, _, _) => Math.Sin(a), ["Cos"] = (a, _, _) => Math.Cos(a),
        ["Relu"] = (a, _, _) => Math.Max(a, 0), ["Sigmoid"] = (a, _, _) => 1 / (1 + Math.Exp(-a)), ["Tanh"] = (a, _, _) => Math.Tanh(a),
        ["Add"] = (a, b, _) => a + b, ["Sub"] = (a, b, _) => a - b, ["Mul"] = (a, b, _) => a * b, ["Div"] = (a, b, _) => a / b,
        ["Max"] = (a, b, _) => Math.Max(a, b), ["Min"] = (a, b, _) => Math.Min(a, b), ["Pow"] = (a, b, _) => Math.Pow(a, b),
        ["Gt"] = (a, b, _) => a > b ? 1 : 0, ["Select"] = (c, a, b) => c != 0 ? a : b,
    };

    private static Type LanesOf(int width) => width switch { 1 => typeof(Lanes1), 8 => typeof(Lanes8), _ => typeof(Lanes16) };

    [Test]
    public void WidestLanesAreSixteenWhereAvx512RunsNatively()
    {
        var expected = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? typeof(Lanes16) : typeof(Lanes8);
        Assert.That(FusedKernels.WidestLanes, Is.EqualTo(expected));
    }

    [Test]
    public void EveryOpMatchesItsDoublePrecisionReferenceAtEachLaneWidth([Values(1, 8, 16)] int width)
    {
        // 37 elements: two 16-lane steps (four 8-lane ones) and a scalar tail, so body and tail are both checked.
        const int n = 37;
        var g = new Generator(11);
        var map = typeof(FusedKernels).GetMethod(nameof(FusedKernels.Map))!;
        foreach (var op in FusedOps.All)
        {
            var inputs = new float[3][];
            for (int k = 0; k < 3; k++) inputs[k] = Tensor.Randn([n], g).Mul(1.5).ToArray();
            for (int i = 0; i < n; i += 5) inputs[1][i] = inputs[0][i]; // ties for Gt/Max/Min
            if (op.Name is "Log" or "Sqrt" or "Pow")
                for (int i = 0; i < n; i++) inputs[0][i] = Math.Abs(inputs[0][i]) + 0.1f;
            if (op.Name == "Select")
                for (int i = 0; i < n; i += 3) inputs[0][i] = 0;
            var args = new ExprNode[op.Arity];
            for (int k = 0; k < args.Length; k++) args[k] = In(k);
            var kernel = map.MakeGenericMethod(FusedCompiler.BuildType(ExprNode.Apply(op.Name, args)), LanesOf(width)).CreateDelegate<FusedMap>();
            var frame = new FusedFrame();
            for (int k = 0; k < 3; k++) frame.SetInput(k, inputs[k], 0);
            var dst = new float[n];
            kernel(ref frame, ref dst[0], n);
            for (int i = 0; i < n; i++)
            {
                double expected = Reference[op.Name](inputs[0][i], inputs[1][i], inputs[2][i]);
                Assert.That(dst[i], Is.EqualTo(expected).Within(2e-6 * (1 + Math.Abs(expected))), $"{op.Name} at {width} lanes, element {i}");
            }
        }
    }

    [Test]
    public void SumKernelAddsEveryElementAtEachLaneWidth([Values(1, 8, 16)] int width, [Values(5, 33, 1001)] int n)
    {
        var x = Tensor.Randn([n], new Generator(12)).ToArray();
        var sum = typeof(FusedKernels).GetMethod(nameof(FusedKernels.Sum))!
            .MakeGenericMethod(FusedCompiler.BuildType(Op("Square", In(0))), LanesOf(width)).CreateDelegate<FusedSum>();
        var frame = new FusedFrame();
        frame.SetInput(0, x, 0);
        double expected = 0;
        foreach (var v in x) expected += (double)v * v;
        Assert.That(sum(ref frame, n), Is.EqualTo(expected).Within(1e-5 * expected));
    }
}
