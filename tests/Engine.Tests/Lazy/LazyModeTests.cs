using RlPlat.Engine.Lazy.Fusion;

namespace RlPlat.Engine.Tests.Lazy;

[NonParallelizable] // the kernel counters are process-wide
public class LazyModeTests
{
    private static Tensor Rand(int n, int seed, double low = -2, double high = 2) =>
        Tensor.Rand([n], new Generator(seed)).Mul(high - low).Add(low);

    /// <summary>The benchmark's chain: 8 elementwise ops with scalar constants.</summary>
    internal static Tensor Chain8(Tensor x) => x.Mul(1.5).Add(0.25).Tanh().Mul(x).Sub(0.5).Square().Add(1.0).Sqrt();

    private static void AssertClose(Tensor actual, Tensor expected, double tol = 1e-5)
    {
        Assert.That(actual.Shape, Is.EqualTo(expected.Shape), "shape");
        var a = actual.To(DType.Float64).ToArray<double>();
        var e = expected.To(DType.Float64).ToArray<double>();
        for (int i = 0; i < a.Length; i++)
        {
            if (double.IsNaN(e[i])) { Assert.That(a[i], Is.NaN, $"element {i}"); continue; }
            Assert.That(a[i], Is.EqualTo(e[i]).Within(tol * (1 + Math.Abs(e[i]))), $"element {i}");
        }
    }

    [Test]
    public void OpsInLazyModeComputeNothingUntilRead()
    {
        var x = Rand(100, 1);
        var before = LazyMode.Counters;
        Tensor z;
        using (LazyMode.Scope()) z = Chain8(x);
        Assert.That(z.IsLazy, Is.True);
        Assert.That(z.Shape, Is.EqualTo(new[] { 100 }));
        Assert.That(z.DType, Is.EqualTo(DType.Float32));
        Assert.That((LazyMode.Counters - before).KernelsLaunched, Is.Zero);
        var values = z.ToArray();
        Assert.That(z.IsLazy, Is.False);
        var expected = Chain8(x).ToArray();
        Assert.That(values, Is.EqualTo(expected).Within(1e-5));
    }

    [Test]
    public void EightOpChainRunsAsOneKernelAndAllocatesOnlyItsOutput([Values(7, 1000, 300_000)] int n)
    {
        var x = Rand(n, 2);
        var eager = Chain8(x);
        var before = LazyMode.Counters;
        Tensor z;
        using (LazyMode.Scope()) z = Chain8(x);
        z.Realize();
        var d = LazyMode.Counters - before;
        Assert.That(d.KernelsLaunched, Is.EqualTo(1));
        Assert.That(d.BytesAllocated, Is.EqualTo(4L * n), "only the result gets memory: no intermediate buffers");
        AssertClose(z, eager);
    }

    [Test]
    public void SecondRunOfTheSameExpressionHitsTheCache()
    {
        using (LazyMode.Scope()) Chain8(Rand(64, 3)).Realize();
        var before = LazyMode.Counters;
        using (LazyMode.Scope()) Chain8(Rand(64, 4)).Realize();
        var d = LazyMode.Counters - before;
        Assert.That(d.KernelsCompiled, Is.Zero);
        Assert.That(d.CacheHits, Is.EqualTo(1));
        Assert.That(d.KernelsLaunched, Is.EqualTo(1));
    }

    [Test]
    public void RealizingTwiceDoesNotRecompute()
    {
        var x = Rand(50, 5);
        Tensor z;
        using (LazyMode.Scope()) z = x.Add(1.0).Exp();
        var first = z.ToArray();
        var before = LazyMode.Counters;
        z.Realize();
        var second = z.ToArray();
        Assert.That((LazyMode.Counters - before).KernelsLaunched, Is.Zero);
        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void ReductionFusesWithTheElementwiseOpsThatFeedIt()
    {
        var x = Rand(10_000, 6);
        var y = Rand(10_000, 7);
        var before = LazyMode.Counters;
        Tensor s, m;
        using (LazyMode.Scope())
        {
            s = x.Mul(y).Add(1.0).Square().Sum();
            m = x.Sub(y).Abs().Mean();
        }
        double sv = s.Item(), mv = m.Item();
        var d = LazyMode.Counters - before;
        Assert.That(d.KernelsLaunched, Is.EqualTo(3), "one fused sum each, plus the mean's division by n");
        Assert.That(d.BytesAllocated, Is.EqualTo(12), "three one-element results");
        Assert.That(sv, Is.EqualTo(x.Mul(y).Add(1.0).Square().Sum().Item()).Within(1e-5 * Math.Abs(sv)));
        Assert.That(mv, Is.EqualTo(x.Sub(y).Abs().Mean().Item()).Within(1e-5 * Math.Abs(mv)));
    }

    [Test]
    public void CommonSubexpressionIsLetBoundAndDebugOutputShowsIt()
    {
        var x = Rand(40, 8);
        var log = new StringWriter();
        var (level, output) = (FusedDebug.Level, FusedDebug.Out);
        FusedDebug.Level = 2;
        FusedDebug.Out = log;
        Tensor z;
        try
        {
            using (LazyMode.Scope())
            {
                var a = x.Mul(0.75).Sin();            // used three times below
                z = a.Mul(a).Add(a.Exp()).Sub(0.125);
            }
            z.Realize();
        }
        finally
        {
            FusedDebug.Level = level;
            FusedDebug.Out = output;
        }
        var text = log.ToString();
        Assert.That(text, Does.Contain("[fuse] run map Sub(Add(Mul(Sin(Mul(In0,C0)),Sin(Mul(In0,C0))),Exp(Sin(Mul(In0,C0)))),C1)  n=40  In0=float32[40]@0  C0=0.75  C1=0.125"));
        if (text.Contains("compile")) Assert.That(text, Does.Contain("Let0<Sin<Mul<In0,C0>>"));
        var a0 = x.Mul(0.75).Sin();
        AssertClose(z, a0.Mul(a0).Add(a0.Exp()).Sub(0.125));
    }

    [Test]
    public void PerTensorOptInDefersWithoutAScope()
    {
        var x = Rand(30, 9);
        var lx = x.Lazy();
        var z = lx.Mul(2.0).Add(x).Relu();
        Assert.That(LazyMode.IsActive, Is.False);
        Assert.That(z.IsLazy, Is.True);
        var before = LazyMode.Counters;
        AssertClose(z, x.Mul(2.0).Add(x).Relu());
        Assert.That((LazyMode.Counters - before).KernelsLaunched, Is.EqualTo(1));
        Assert.That(() => Tensor.Zeros(DType.Float64, 3).Lazy(), Throws.InvalidOperationException.With.Message.Contains("float64"));
    }

    [Test]
    public void WritingAnInputInPlaceBeforeRealizeIsReported()
    {
        var x = Rand(16, 10);
        Tensor z;
        using (LazyMode.Scope()) z = x.Mul(3.0);
        x.AddInPlace(1.0);
        Assert.That(() => z.Realize(), Throws.InvalidOperationException.With.Message.Contains("modified in place"));
    }

    [Test]
    public void GraphsBeyondOneKernelsSlotsAreSplitAndStayCorrect()
    {
        var xs = new Tensor[11];
        for (int k = 0; k < xs.Length; k++) xs[k] = Rand(33, 20 + k);
        var before = LazyMode.Counters;
        Tensor lazy;
        using (LazyMode.Scope())
        {
            lazy = xs[0];
            for (int k = 1; k < xs.Length; k++) lazy = lazy.Mul(xs[k]).Add(k * 0.1);   // 11 inputs, 10 constants
        }
        var eager = xs[0];
        for (int k = 1; k < xs.Length; k++) eager = eager.Mul(xs[k]).Add(k * 0.1);
        AssertClose(lazy, eager);
        Assert.That((LazyMode.Counters - before).KernelsLaunched, Is.EqualTo(2));
    }

    [Test]
    public void DeeplySharedGraphIsSplitInsteadOfBlowingUp()
    {
        var x = Rand(20, 30, -0.5, 0.5);
        Tensor lazy, eager = x;
        using (LazyMode.Scope())
        {
            lazy = x;
            for (int k = 0; k < 30; k++) lazy = lazy.Mul(lazy).Add(lazy).Mul(0.5);   // every step reads the last twice
        }
        for (int k = 0; k < 30; k++) eager = eager.Mul(eager).Add(eager).Mul(0.5);
        AssertClose(lazy, eager);
    }

    [Test]
    public void NonFusibleOpsRealizeTheirInputsAndRunEagerly()
    {
        var g = new Generator(11);
        var a = Tensor.Randn([4, 6], g);
        var w = Tensor.Randn([6, 3], g);
        Tensor y;
        using (LazyMode.Scope())
        {
            var h = a.Mul(0.5).Tanh();            // lazy
            y = h.MatMul(w).Softmax(-1).Add(1.0); // MatMul reads h (realized), Softmax eager, Add lazy again
            Assert.That(h.IsLazy, Is.False, "MatMul needed h's values");
            Assert.That(y.IsLazy, Is.True);
        }
        AssertClose(y, a.Mul(0.5).Tanh().MatMul(w).Softmax(-1).Add(1.0));
    }

    [Test]
    public void CopyInPlaceOfAPendingResultWritesStraightIntoTheTarget()
    {
        var x = Rand(1000, 40);
        var target = Tensor.Zeros(1000);
        var before = LazyMode.Counters;
        using (LazyMode.Scope()) target.CopyInPlace(Chain8(x));
        var d = LazyMode.Counters - before;
        Assert.That(d.KernelsLaunched, Is.EqualTo(1));
        Assert.That(d.BytesAllocated, Is.Zero, "the kernel writes into the target's memory");
        AssertClose(target, Chain8(x));

        // Writing over an input element for element is fine: x ← 2x + 1.
        var y = Rand(100, 41);
        var expected = y.Mul(2.0).Add(1.0);
        using (LazyMode.Scope()) y.CopyInPlace(y.Mul(2.0).Add(1.0));
        AssertClose(y, expected);
    }

    [Test]
    public void ReadmeExampleRunsAsDocumented()
    {
        var x = Rand(64, 50);
        var target = Tensor.Zeros(64);
        var before = LazyMode.Counters;
        Tensor z;
        using (LazyMode.Scope())
        {
            var y = x.Add(2.0);
            z = y.Mul(y).Tanh();
        }
        Assert.That(z.IsLazy, Is.True);
        Assert.That(z.ToString(), Does.Contain("e-").Or.Contain("."), "printing realizes");
        Assert.That(z.IsLazy, Is.False);
        Assert.That((LazyMode.Counters - before).KernelsLaunched, Is.EqualTo(1));
        AssertClose(z, x.Add(2.0).Square().Tanh());
        var w = x.Lazy().Mul(3.0).Exp();
        w.Realize();
        AssertClose(w, x.Mul(3.0).Exp());
        target.CopyInPlace(x.Lazy().Sin());
        AssertClose(target, x.Sin());
        Assert.That((LazyMode.Counters - before).KernelsLaunched, Is.EqualTo(3));
    }
}
