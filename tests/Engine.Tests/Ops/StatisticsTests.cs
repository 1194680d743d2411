using RlPlat.Engine;

namespace RlPlat.Engine.Tests.Ops;

/// <summary>NaN-aware reductions, order statistics, running extremes, histograms, covariance and searching, against PyTorch.</summary>
public class StatisticsTests
{
    private static Tensor Y() => Tensor.FromArray(new[] { 7.0, 1, 3, 9, 5, 2, 8, 6, 4, 0 }, 2, 5);

    [Test]
    public void NanSumAndNanMean()
    {
        var x = Tensor.FromArray(new[] { 2, double.NaN, 1, 4, double.NaN, double.NaN, 3, -1 }, 2, 4);
        Expect.Close(x.NanSum([1]), [7, 2], 0, [2]);
        Assert.That(x.NanSum().Item(), Is.EqualTo(9.0));
        Expect.Close(x.NanMean([0]), [2, double.NaN, 2, 1.5], 0, [4]);
        Assert.That(Tensor.FromArray(new[] { 1, 2 }).NanSum().Item<long>(), Is.EqualTo(3), "integers have no NaN");
    }

    [Test]
    public void MedianKthvalueQuantile()
    {
        Assert.That(Y().Median().Item(), Is.EqualTo(4.0), "lower median of an even count");
        var (mv, mi) = Y().Median(1);
        Assert.That(mv.ToArray<double>(), Is.EqualTo(new[] { 5.0, 4 }));
        Assert.That(mi.ToArray<long>(), Is.EqualTo(new long[] { 4, 3 }));
        var (kv, ki) = Y().Kthvalue(4, 1);
        Assert.That(kv.ToArray<double>(), Is.EqualTo(new[] { 7.0, 6 }));
        Assert.That(ki.ToArray<long>(), Is.EqualTo(new long[] { 0, 2 }));
        var (k0, i0) = Y().Kthvalue(1, 0, keepDim: true);
        Assert.That(k0.Shape, Is.EqualTo(new[] { 1, 5 }));
        Assert.That(k0.ToArray<double>(), Is.EqualTo(new[] { 2.0, 1, 3, 4, 0 }));
        Assert.That(i0.ToArray<long>(), Is.EqualTo(new long[] { 1, 0, 0, 1, 1 }));
        var ex = Assert.Throws<ArgumentException>(() => Y().Kthvalue(6, 1));
        Assert.That(ex!.Message, Does.Contain("k = 6").And.Contain("size 5"));
        Expect.Close(Y().Quantile(0.3, 1), [3.4, 2.4], 1e-14, [2]);
        Assert.That(Y().Quantile(0.75).Item(), Is.EqualTo(6.75).Within(1e-14));
        Expect.Close(Y().Quantile([0.1, 0.9], 0), [2.5, 1.7, 3.3, 4.5, 0.5, 6.5, 7.3, 5.7, 8.5, 4.5], 1e-14, [2, 5]);
        Assert.Throws<ArgumentException>(() => Y().Quantile(1.5));
        Expect.GradientMatchesFiniteDifferences(x => x.Quantile(0.3, 1), Y().Add(Tensor.Arange(10, DType.Float64).Reshape(2, 5).Mul(0.01)));
    }

    [Test]
    public void ModeTakesTheSmallestMostFrequentValueAndItsLastIndex()
    {
        var x = Tensor.FromArray(new float[] { 1, 3, 3, 1, 2, 5, 4, 4, 5, 0 }, 2, 5);
        var (v, i) = x.Mode(1);
        Assert.That(v.ToArray(), Is.EqualTo(new float[] { 1, 4 }));
        Assert.That(i.ToArray<long>(), Is.EqualTo(new long[] { 3, 2 }));
        var (v0, _) = Tensor.FromArray(new[] { 2, 2, 7 }).Mode();
        Assert.That(v0.Item<int>(), Is.EqualTo(2));
    }

    [Test]
    public void CummaxCumminKeepTheLatestIndexOnTies()
    {
        var z = Tensor.FromArray(new[] { 1.0, 3, 2, 2, 0, -1 }, 1, 6);
        var (mx, mxi) = z.Cummax(1);
        Assert.That(mx.ToArray<double>(), Is.EqualTo(new[] { 1.0, 3, 3, 3, 3, 3 }));
        Assert.That(mxi.ToArray<long>(), Is.EqualTo(new long[] { 0, 1, 1, 1, 1, 1 }));
        var (mn, mni) = z.Cummin(-1);
        Assert.That(mn.ToArray<double>(), Is.EqualTo(new[] { 1.0, 1, 1, 1, 0, -1 }));
        Assert.That(mni.ToArray<long>(), Is.EqualTo(new long[] { 0, 0, 0, 0, 4, 5 }));
        var (tv, ti) = Tensor.FromArray(new[] { 1, 3, 3 }).Cummax(0);
        Assert.That(tv.ToArray<int>(), Is.EqualTo(new[] { 1, 3, 3 }));
        Assert.That(ti.ToArray<long>(), Is.EqualTo(new long[] { 0, 1, 2 }));
    }

    [Test]
    public void DiffHistcBincount()
    {
        var d = Tensor.FromArray(new[] { 1, 3, 6, 0, 5, 2 }, 2, 3);
        Assert.That(d.Diff(dim: 0).ToArray<int>(), Is.EqualTo(new[] { -1, 2, -4 }));
        Assert.That(d.Diff().ToArray<int>(), Is.EqualTo(new[] { 2, 3, 5, -3 }));
        Expect.Close(Tensor.FromArray(new[] { 1.0, 4, 9, 16 }).Diff(2), [2, 2], 0, [2]);
        Assert.That(Tensor.FromArray(new[] { true, true, false }).Diff().ToArray<bool>(), Is.EqualTo(new[] { false, true }));
        Assert.That(Tensor.FromArray(new float[] { 0.5f, 1.5f, 1.5f, 2.9f, 3, -1 }).Histc(3, 0, 3).ToArray(), Is.EqualTo(new float[] { 1, 2, 2 }));
        Assert.That(Tensor.FromArray(new float[] { 1, 2, 1, 4, 2.5f, 0 }).Histc(4).ToArray(), Is.EqualTo(new float[] { 1, 2, 2, 1 }), "data range when min = max = 0");
        Assert.That(Tensor.FromArray(new long[] { 0, 1, 1, 3 }).Bincount(minLength: 6).ToArray<long>(), Is.EqualTo(new long[] { 1, 2, 0, 1, 0, 0 }));
        Assert.That(Tensor.FromArray(new long[] { 0, 1, 1, 3 }).Bincount(Tensor.FromArray(new float[] { 0.5f, 1, 2, 3 })).ToArray(), Is.EqualTo(new float[] { 0.5f, 3, 0, 3 }));
        var ex = Assert.Throws<ArgumentException>(() => Tensor.FromArray(new long[] { 1, -2 }).Bincount());
        Assert.That(ex!.Message, Does.Contain("-2"));
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(3).Bincount());
    }

    [Test]
    public void CovAndCorrcoefMatchTorch()
    {
        var c = Tensor.FromArray(new[] { 1.0, 2, 4, 7, 0.5, -1, 2, 3, 3, 3, 1, 0 }, 3, 4);
        Expect.Close(c.Cov(), [7.0, 3.9166666666666665, -3.8333333333333335, 3.9166666666666665, 3.0625, -2.4583333333333335, -3.8333333333333335, -2.4583333333333335, 2.25], 1e-14, [3, 3]);
        Expect.Close(c.Cov(correction: 0), [5.25, 2.9375, -2.875, 2.9375, 2.296875, -1.84375, -2.875, -1.84375, 1.6875], 1e-14);
        Expect.Close(c.Corrcoef(), [1, 0.8459204872111276, -0.9659092088013584, 0.8459204872111276, 1.0, -0.9365079365079366, -0.9659092088013586, -0.9365079365079366, 1.0], 1e-14);
        Assert.That(c[0].Cov().Item(), Is.EqualTo(7.0).Within(1e-14));
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 2, 2).Cov());
    }

    [Test]
    public void UniqueSearchsortedOneHot()
    {
        var u = Tensor.FromArray(new long[] { 3, 1, 2, 3, 1 }).Unique(out var inverse, out var counts);
        Assert.That(u.ToArray<long>(), Is.EqualTo(new long[] { 1, 2, 3 }));
        Assert.That(inverse.ToArray<long>(), Is.EqualTo(new long[] { 2, 0, 1, 2, 0 }));
        Assert.That(counts.ToArray<long>(), Is.EqualTo(new long[] { 2, 1, 2 }));
        Assert.That(Tensor.FromArray(new float[] { 2, 1, 2, 5 }, 2, 2).Unique().ToArray(), Is.EqualTo(new float[] { 1, 2, 5 }));
        var seq = Tensor.FromArray(new float[] { 1, 3, 5, 7, 9 });
        var vals = Tensor.FromArray(new float[] { 3, 6, 9, 3, 6, 9 }, 2, 3);
        Assert.That(seq.Searchsorted(vals).ToArray<long>(), Is.EqualTo(new long[] { 1, 3, 4, 1, 3, 4 }));
        Assert.That(seq.Searchsorted(vals.Select(0, 0), right: true).ToArray<long>(), Is.EqualTo(new long[] { 2, 3, 5 }));
        var rows = Tensor.FromArray(new float[] { 1, 3, 5, 2, 4, 6 }, 2, 3);
        var q = Tensor.FromArray(new float[] { 3, 0, 7, 4 }, 2, 2);
        Assert.That(rows.Searchsorted(q).ToArray<long>(), Is.EqualTo(new long[] { 1, 0, 3, 1 }));
        Assert.That(rows.Searchsorted(q, right: true).ToArray<long>(), Is.EqualTo(new long[] { 2, 0, 3, 2 }));
        Assert.Throws<ArgumentException>(() => rows.Searchsorted(Tensor.Zeros(3, 2)));
        var oh = Tensor.FromArray(new long[] { 0, 2, 1, 0 }, 2, 2).OneHot(3);
        Assert.That(oh.Shape, Is.EqualTo(new[] { 2, 2, 3 }));
        Assert.That(oh.ToArray<long>(), Is.EqualTo(new long[] { 1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0 }));
        Assert.That(Tensor.FromArray(new[] { 1, 3 }).OneHot().Shape, Is.EqualTo(new[] { 2, 4 }));
        Assert.That(Assert.Throws<ArgumentException>(() => Tensor.FromArray(new[] { 5 }).OneHot(3))!.Message, Does.Contain("5").And.Contain("3 classes"));
    }

    [Test]
    public void GluAndNewActivationsRecordGradients()
    {
        Expect.Close(Tensor.FromArray(new[] { 1.0, 2, -1, 3 }, 1, 4).Glu(), [0.2689414213699951, 1.9051482536448667], 1e-14, [1, 2]);
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(3).Glu());
        var x = Tensor.FromArray(new[] { -2.5, -1.2, -0.3, 0.4, 1.1, 2.7 }, 2, 3);
        var other = Tensor.FromArray(new[] { 0.7, -1.5, 2.2, 0.1, 3.0, -0.6 }, 2, 3);
        var fs = new Func<Tensor, Tensor>[]
        {
            t => t.Logaddexp(other), t => t.Hypot(other), t => t.Sinc(), t => t.Softsign(), t => t.Mish(), t => t.Tanhshrink(),
            t => t.Hardtanh(), t => t.Celu(0.5), t => t.LogSigmoid(), t => t.Softshrink(), t => t.Hardshrink(), t => t.Exp2(),
            t => t.Cbrt(), t => t.Deg2rad(), t => t.Glu(0), t => t.NanMean([1]), t => t.Diff(), t => t.Median(1).Values,
            t => t.Cummax(1).Values, t => t.Cov(), t => t.Sigmoid().Logit(), t => t.Abs().Xlogy(other.Abs()),
        };
        foreach (var f in fs) Expect.GradientMatchesFiniteDifferences(f, x);
    }
}
