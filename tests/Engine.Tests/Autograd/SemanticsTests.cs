using RlPlat.Engine;
using AD = RlPlat.Engine.Autograd;

namespace RlPlat.Engine.Tests.Gradients;

/// <summary>PyTorch's autograd semantics: accumulation, leaves and non-leaves, retainGraph, NoGrad, Detach, hooks, misuse errors.</summary>
public class SemanticsTests
{
    private static Tensor Leaf(params double[] values) => Tensor.FromArray(values).RequiresGrad_();

    [Test]
    public void LeafGradientsAccumulateUntilZeroed()
    {
        var x = Leaf(1, 2, 3);
        x.Square().Sum().Backward();
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 2, 4, 6 }));
        x.Mul(3).Sum().Backward();
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 5, 7, 9 }));
        x.Grad!.ZeroInPlace();
        x.Sum().Backward();
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 1, 1, 1 }));
        x.Grad = null;
        x.Mul(-2).Sum().Backward();
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new double[] { -2, -2, -2 }));
    }

    [Test]
    public void LeavesThatReceiveTheSameGradientTensorDoNotShareIt()
    {
        // Add hands one gradient tensor to both inputs; accumulating into one leaf must not change the other.
        var a = Leaf(1, 2);
        var b = Leaf(3, 4);
        a.Add(b).Sum().Backward();
        a.Add(b).Sum().Backward();
        Assert.That(a.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 2, 2 }));
        Assert.That(b.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 2, 2 }));
        Assert.That(a.Grad!.SharesStorageWith(b.Grad!), Is.False);
    }

    [Test]
    public void ExplicitOutputGradientIsNotModifiedByAccumulation()
    {
        var x = Leaf(1, 2);
        var seed = Tensor.FromArray(new double[] { 10, 20 });
        x.Mul(1.0).Backward(seed);
        x.Mul(1.0).Backward(seed);
        Assert.That(seed.ToArray<double>(), Is.EqualTo(new double[] { 10, 20 }));
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 20, 40 }));
    }

    [Test]
    public void ValueUsedTwiceGetsBothContributions()
    {
        // d/dx (x·x + x) = 2x + 1, and a diamond a -> (b, c) -> d sums both paths.
        var x = Leaf(3);
        x.Mul(x).Add(x).Sum().Backward();
        Assert.That(x.Grad!.Item(), Is.EqualTo(7));
        var a = Leaf(2);
        var b = a.Mul(3);
        var c = a.Exp();
        b.Mul(c).Sum().Backward();
        Assert.That(a.Grad!.Item(), Is.EqualTo(3 * Math.Exp(2) + 6 * Math.Exp(2)).Within(1e-12));
    }

    [Test]
    public void OnlyLeavesKeepGradUnlessRetainGradIsCalled()
    {
        var x = Leaf(1, 2);
        var hidden = x.Mul(2);
        var kept = hidden.Exp();
        kept.RetainGrad();
        kept.Sum().Backward();
        Assert.That(x.IsLeaf, Is.True);
        Assert.That(hidden.IsLeaf, Is.False);
        Assert.That(hidden.Grad, Is.Null);
        Assert.That(kept.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 1, 1 }));
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new[] { 2 * Math.Exp(2), 2 * Math.Exp(4) }).Within(1e-12));
    }

    [Test]
    public void LeavesWithoutRequiresGradGetNoGradient()
    {
        var w = Leaf(2);
        var data = Tensor.FromArray(new double[] { 5 });
        w.Mul(data).Sum().Backward();
        Assert.That(w.Grad!.Item(), Is.EqualTo(5));
        Assert.That(data.Grad, Is.Null);
        Assert.That(data.RequiresGrad, Is.False);
    }

    [Test]
    public void BackwardTwiceThroughFreedBuffersTellsAboutRetainGraph()
    {
        var x = Leaf(1, 2);
        var y = x.Exp().Sum();
        y.Backward();
        Assert.That(y.GradFn!.IsReleased, Is.True);
        var ex = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.That(ex!.Message, Does.Contain("second time").And.Contain("retainGraph: true").And.Contain("Sum"));
    }

    [Test]
    public void RetainGraphAllowsASecondBackwardThatAccumulates()
    {
        var x = Leaf(1, 2);
        var y = x.Exp().Sum();
        y.Backward(retainGraph: true);
        y.Backward();
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new[] { 2 * Math.Exp(1), 2 * Math.Exp(2) }).Within(1e-12));
    }

    [Test]
    public void NonScalarBackwardNeedsAnOutputGradientOfItsShape()
    {
        var x = Leaf(1, 2, 3);
        var y = x.Mul(2);
        var ex = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.That(ex!.Message, Does.Contain("[3]").And.Contain("explicitly"));
        var bad = Assert.Throws<ArgumentException>(() => y.Backward(Tensor.Ones(DType.Float64, 2)));
        Assert.That(bad!.Message, Does.Contain("[2]").And.Contain("[3]"));
        y.Backward(Tensor.FromArray(new double[] { 1, 10, 100 }));
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 2, 20, 200 }));
    }

    [Test]
    public void OutputGradientIsConvertedToTheOutputDType()
    {
        var x = Leaf(1, 2);
        x.Mul(3).Backward(Tensor.Ones(2));
        Assert.That(x.Grad!.DType, Is.EqualTo(DType.Float64));
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 3, 3 }));
    }

    [Test]
    public void BackwardOfATensorWithoutGraphExplainsWhy()
    {
        var x = Tensor.FromArray(new double[] { 1 });
        var ex = Assert.Throws<InvalidOperationException>(() => x.Exp().Sum().Backward());
        Assert.That(ex!.Message, Does.Contain("does not require grad"));
    }

    [Test]
    public void NoGradScopeRecordsNothingAndNests()
    {
        var x = Leaf(1, 2);
        using (AD.NoGrad())
        {
            var y = x.Mul(2);
            Assert.That(y.RequiresGrad, Is.False);
            Assert.That(y.GradFn, Is.Null);
            using (AD.NoGrad()) Assert.That(AD.IsEnabled, Is.False);
            Assert.That(AD.IsEnabled, Is.False);
            using (AD.EnableGrad())
            {
                Assert.That(x.Mul(2).RequiresGrad, Is.True);
            }
            Assert.That(AD.IsEnabled, Is.False);
        }
        Assert.That(AD.IsEnabled, Is.True);
        Assert.That(x.Mul(2).GradFn!.Name, Is.EqualTo("Mul"));
    }

    [Test]
    public void NoGradIsThreadLocal()
    {
        var x = Leaf(1);
        bool otherThreadRecords = false;
        using (AD.NoGrad())
        {
            var t = new Thread(() => otherThreadRecords = x.Mul(2).RequiresGrad);
            t.Start();
            t.Join();
            Assert.That(x.Mul(2).RequiresGrad, Is.False);
        }
        Assert.That(otherThreadRecords, Is.True);
    }

    [Test]
    public void DetachSharesStorageAndCutsTheGraph()
    {
        var x = Leaf(1, 2);
        var y = x.Mul(3);
        var d = y.Detach();
        Assert.That(d.RequiresGrad, Is.False);
        Assert.That(d.IsLeaf, Is.True);
        Assert.That(d.SharesStorageWith(y), Is.True);
        // Gradient flows only through the attached branch: d/dx (y + detach(y)·x) = 3 + detach(y).
        y.Add(d.Mul(x)).Sum().Backward();
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 6, 9 }));
    }

    [Test]
    public void GradReturnsGradientsWithoutTouchingDotGrad()
    {
        var x = Leaf(1, 2);
        var w = Leaf(3);
        var y = x.Mul(w).Sum();
        var grads = AD.Grad([y], [x, w]);
        Assert.That(grads[0]!.ToArray<double>(), Is.EqualTo(new double[] { 3, 3 }));
        Assert.That(grads[1]!.ToArray<double>(), Is.EqualTo(new double[] { 3 }));
        Assert.That(x.Grad, Is.Null);
        Assert.That(w.Grad, Is.Null);
    }

    [Test]
    public void GradOfAnUnusedInputNeedsAllowUnused()
    {
        var x = Leaf(1);
        var unused = Leaf(2);
        var y = x.Exp().Sum();
        var ex = Assert.Throws<InvalidOperationException>(() => AD.Grad([y], [x, unused], retainGraph: true));
        Assert.That(ex!.Message, Does.Contain("input 1").And.Contain("allowUnused"));
        var grads = AD.Grad([y], [x, unused], allowUnused: true);
        Assert.That(grads[0]!.Item(), Is.EqualTo(Math.E).Within(1e-12));
        Assert.That(grads[1], Is.Null);
    }

    [Test]
    public void GradOfANonLeafInput()
    {
        var x = Leaf(2);
        var h = x.Square();
        var y = h.Mul(5).Sum();
        Assert.That(AD.Grad(y, h)[0]!.Item(), Is.EqualTo(5));
    }

    [Test]
    public void HookCanReadTheGradient()
    {
        var x = Leaf(1, 2);
        var h = x.Mul(2);
        Tensor? seen = null;
        h.RegisterHook(g => { seen = g; return null; });
        h.Mul(Tensor.FromArray(new double[] { 5, 7 })).Sum().Backward();
        Assert.That(seen!.ToArray<double>(), Is.EqualTo(new double[] { 5, 7 }));
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 10, 14 }));
    }

    [Test]
    public void HookCanReplaceTheGradientOfANonLeafAndOfALeaf()
    {
        var x = Leaf(1, 2);
        var h = x.Mul(2);
        h.RegisterHook(g => g.Mul(10));
        x.RegisterHook(g => g.Add(1));
        h.Sum().Backward();
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 21, 21 }));
    }

    [Test]
    public void HookReturningTheWrongShapeIsReported()
    {
        var x = Leaf(1, 2);
        var h = x.Mul(2);
        h.RegisterHook(g => g.Sum());
        var ex = Assert.Throws<InvalidOperationException>(() => h.Sum().Backward());
        Assert.That(ex!.Message, Does.Contain("hook").And.Contain("[2]"));
    }

    [Test]
    public void HookOnATensorWithoutGradIsRefused()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Tensor.Zeros(2).RegisterHook(g => g));
        Assert.That(ex!.Message, Does.Contain("does not require grad"));
    }

    [Test]
    public void InPlaceChangeOfASavedTensorIsReportedWithTheOpName()
    {
        var w = Leaf(1, 2);
        var data = Tensor.FromArray(new double[] { 3, 4 });
        var y = w.Mul(data).Sum();
        data.MulInPlace(2);
        var ex = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.That(ex!.Message, Does.Contain("Mul").And.Contain("in-place").And.Contain("version 0").And.Contain("version 1"));
    }

    [Test]
    public void InPlaceChangeThroughAViewOrADetachedAliasIsReported()
    {
        var x = Leaf(0.5, 1.5);
        var e = x.Exp();
        var y = e.Sum();
        using (AD.NoGrad()) e.Detach().Slice(0, 0, 1).FillInPlace(0);
        var ex = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.That(ex!.Message, Does.Contain("Exp"));
    }

    [Test]
    public void OptimizerStyleUpdateBetweenBackwardsIsFine()
    {
        var w = Leaf(1, 2);
        for (int step = 0; step < 3; step++)
        {
            w.Grad = null;
            w.Square().Sum().Backward();
            using (AD.NoGrad()) w.SubInPlace(w.Grad!.Mul(0.25));
        }
        // w <- w - 0.25·2w = w/2 each step.
        Assert.That(w.ToArray<double>(), Is.EqualTo(new double[] { 0.125, 0.25 }));
    }

    [Test]
    public void InPlaceOnALeafThatRequiresGradOrOnAGraphTensorIsRefused()
    {
        var w = Leaf(1);
        var leafEx = Assert.Throws<InvalidOperationException>(() => w.AddInPlace(1.0));
        Assert.That(leafEx!.Message, Does.Contain("leaf").And.Contain("NoGrad"));
        var graphEx = Assert.Throws<InvalidOperationException>(() => w.Exp().MulInPlace(2.0));
        Assert.That(graphEx!.Message, Does.Contain("Exp"));
    }

    [Test]
    public void RequiresGradMisuseIsRefused()
    {
        var intEx = Assert.Throws<InvalidOperationException>(() => Tensor.Zeros(DType.Int64, 2).RequiresGrad_());
        Assert.That(intEx!.Message, Does.Contain("int64"));
        var nonLeaf = Leaf(1).Exp();
        var offEx = Assert.Throws<InvalidOperationException>(() => nonLeaf.RequiresGrad = false);
        Assert.That(offEx!.Message, Does.Contain("Exp").And.Contain("Detach"));
    }

    [Test]
    public void DataDependentControlFlowRebuildsTheGraphEachPass()
    {
        // Halve until below 1, with a count that depends on the value: y = x / 2^k, dy/dx = 2^-k.
        static Tensor HalveUntilSmall(Tensor x) => x.Item() < 1 ? x : HalveUntilSmall(x.Mul(0.5));
        var a = Leaf(5);
        HalveUntilSmall(a).Sum().Backward();
        Assert.That(a.Grad!.Item(), Is.EqualTo(0.125));
        var b = Leaf(0.5);
        HalveUntilSmall(b).Sum().Backward();
        Assert.That(b.Grad!.Item(), Is.EqualTo(1));
        var c = Leaf(-1, 2);
        var y = c.Sum().Item() > 0 ? c.Square() : c.Neg();
        y.Sum().Backward();
        Assert.That(c.Grad!.ToArray<double>(), Is.EqualTo(new double[] { -2, 4 }));
    }

    [Test]
    public void DeepChainDoesNotOverflowTheStack()
    {
        var x = Leaf(1);
        var y = x;
        for (int i = 0; i < 50_000; i++) y = y.Add(1.0);
        y.Sum().Backward();
        Assert.That(x.Grad!.Item(), Is.EqualTo(1));
    }

    [Test]
    public void DTypeConversionPassesTheGradientBackInTheInputsDType()
    {
        var x = Leaf(1.5, -2);
        x.Float().Mul(Tensor.FromArray(new float[] { 2, 3 })).Sum().Backward();
        Assert.That(x.Grad!.DType, Is.EqualTo(DType.Float64));
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 2, 3 }));
    }

    [Test]
    public void ThreadsBackwardSeparateGraphsAtTheSameTime()
    {
        // Each thread trains its own parameter; the per-thread engine state must not mix them.
        static double Train(double start)
        {
            var w = Tensor.FromArray(new[] { start }).RequiresGrad_();
            for (int i = 0; i < 2_000; i++)
            {
                w.Grad = null;
                w.Sub(3.0).Square().Sum().Backward();
                using (AD.NoGrad()) w.SubInPlace(w.Grad!.Mul(0.01));
            }
            return w.Item();
        }
        double expected0 = Train(0), expected1 = Train(10);
        var results = new double[2];
        var threads = new[] { new Thread(() => results[0] = Train(0)), new Thread(() => results[1] = Train(10)) };
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        Assert.That(results, Is.EqualTo(new[] { expected0, expected1 }));
        Assert.That(expected0, Is.EqualTo(3).Within(1e-6));
    }

    [Test]
    public void HookMayRunAnotherBackwardInsideBackward()
    {
        var x = Leaf(2);
        var inner = Leaf(5);
        double seenInside = 0;
        var h = x.Mul(3);
        h.RegisterHook(g =>
        {
            // As in PyTorch, backward runs with grad mode off unless createGraph; a hook that builds a graph turns it on.
            Assert.That(AD.IsEnabled, Is.False);
            using (AD.EnableGrad()) seenInside = AD.Grad(inner.Square().Sum(), inner)[0]!.Item();
            return null;
        });
        h.Sum().Backward();
        Assert.That(seenInside, Is.EqualTo(10));
        Assert.That(x.Grad!.Item(), Is.EqualTo(3));
    }
}
