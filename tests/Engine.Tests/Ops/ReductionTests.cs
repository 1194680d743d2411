using RlPlat.Engine;
using RlPlat.Engine.Kernels;

namespace RlPlat.Engine.Tests.Ops;

/// <summary>Reductions over any set of dims, keepDim, scans and softmax, against PyTorch on x = (arange(24)·0.37 mod 5 − 2) of shape [2,3,4].</summary>
public class ReductionTests
{
    private static Tensor X() => Tensor.Arange(24, DType.Float64).Mul(0.37).Remainder(5).Sub(2).Reshape(2, 3, 4);

    [TestCase(new[] { 0 }, new[] { 3, 4 }, new[] { 0.4399999999999995, 1.1799999999999997, -3.08, -2.3400000000000003, -1.6, -0.8599999999999999, -0.1200000000000001, 0.6200000000000001, 1.3600000000000003, 2.0999999999999996, 2.8400000000000007, 3.58 })]
    [TestCase(new[] { 1 }, new[] { 2, 4 }, new[] { -1.56, -0.44999999999999973, 0.6599999999999999, 1.77, 1.7599999999999998, 2.869999999999999, -1.0199999999999996, 0.08999999999999986 })]
    [TestCase(new[] { 2 }, new[] { 2, 3 }, new[] { -5.779999999999999, 0.13999999999999968, 6.0600000000000005, 1.9799999999999986, -2.0999999999999996, 3.8200000000000003 })]
    [TestCase(new[] { -1 }, new[] { 2, 3 }, new[] { -5.779999999999999, 0.13999999999999968, 6.0600000000000005, 1.9799999999999986, -2.0999999999999996, 3.8200000000000003 })]
    [TestCase(new[] { 0, 1 }, new[] { 4 }, new[] { 0.19999999999999973, 2.4199999999999995, -0.35999999999999965, 1.8599999999999999 })]
    [TestCase(new[] { 1, 2 }, new[] { 2 }, new[] { 0.42000000000000015, 3.6999999999999993 })]
    [TestCase(new[] { 2, 0 }, new[] { 3 }, new[] { -3.8000000000000007, -1.96, 9.88 })]
    public void SumOverDimsMatchesTorch(int[] dims, int[] outShape, double[] expected)
    {
        Expect.Close(X().Sum(dims), expected, 1e-12, outShape);
        Expect.Close(X().Float().Sum(dims), expected, 1e-5, outShape);
        var keep = X().Sum(dims, keepDim: true);
        Assert.That(keep.Rank, Is.EqualTo(3));
        Expect.Close(keep, expected, 1e-12);
        // The same sum read through a non-contiguous layout (a permuted copy viewed back) must agree.
        var permuted = X().Permute(2, 0, 1).Contiguous().Permute(1, 2, 0);
        Assert.That(permuted.IsContiguous, Is.False);
        Expect.Close(permuted.Sum(dims), expected, 1e-12, outShape);
    }

    [Test]
    public void SumOfTransposedInputAndIntegerDtypes()
    {
        Expect.Close(X().Transpose(0, 2).Sum(1), [-1.56, 1.7599999999999998, -0.44999999999999973, 2.869999999999999, 0.6599999999999999, -1.0199999999999996, 1.77, 0.08999999999999986], 1e-12, [4, 2]);
        var i = Tensor.FromArray(new[] { 1, 2, 3, 4 }, 2, 2);
        Assert.That(i.Sum().DType, Is.EqualTo(DType.Int64));
        Assert.That(i.Sum(0).ToArray<long>(), Is.EqualTo(new long[] { 4, 6 }));
        Assert.That(Tensor.FromArray(new[] { true, true, false }).Sum().Item<long>(), Is.EqualTo(2));
        Assert.That(Tensor.FromArray(new byte[] { 200, 100 }).Sum().Item<long>(), Is.EqualTo(300), "uint8 sums do not wrap");
        Assert.That(i.Mean().Item<float>(), Is.EqualTo(2.5f));
    }

    [Test]
    public void EmptyAndZeroDimensionalReductions()
    {
        Assert.That(Tensor.Zeros(0).Sum().Item<float>(), Is.Zero);
        Assert.That(Tensor.Zeros(2, 0).Sum(1).ToArray(), Is.EqualTo(new float[] { 0, 0 }));
        Assert.That(Tensor.Zeros(0, 3).Sum(0).ToArray(), Is.EqualTo(new float[] { 0, 0, 0 }));
        Assert.That(Tensor.Zeros(2, 0).Prod(1).ToArray(), Is.EqualTo(new float[] { 1, 1 }));
        Assert.That(Tensor.Zeros(0).Mean().Item(), Is.NaN);
        Assert.That(Tensor.Zeros(DType.Bool, 0).All().Item(), Is.EqualTo(1.0));
        Assert.That(Tensor.Zeros(DType.Bool, 0).Any().Item(), Is.EqualTo(0.0));
        Assert.That(Tensor.Scalar(3).Sum().Item<float>(), Is.EqualTo(3f));
        Assert.That(Tensor.Scalar(3).Sum([0]).Item<float>(), Is.EqualTo(3f), "dim 0 of a 0-d tensor is the tensor itself");
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(0, 2).Max());
        Assert.That(ex!.Message, Does.Contain("empty").And.Contain("[0,2]"));
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 0).ArgMax(1));
    }

    [Test]
    public void BadDimsNameTheDimAndRank()
    {
        var ex = Assert.Throws<ArgumentException>(() => X().Sum(3));
        Assert.That(ex!.Message, Does.Contain("dim 3").And.Contain("rank 3"));
        ex = Assert.Throws<ArgumentException>(() => X().Sum([1, -2]));
        Assert.That(ex!.Message, Does.Contain("more than once"));
        Assert.Throws<ArgumentException>(() => X().Softmax(-4));
    }

    [Test]
    public void MeanVarStdMatchTorch()
    {
        Expect.Close(X().Mean([1, 2]), [0.03500000000000001, 0.3083333333333333], 1e-12, [2]);
        Expect.Close(X().Var([1]), [2.1904, 2.1904, 2.1904000000000003, 2.190400000000001, 3.1237333333333326, 3.123733333333333, 2.1904000000000012, 2.1904], 1e-12, [2, 4]);
        Expect.Close(X().Std([2]), [0.47766794603224794, 0.47766794603224794, 0.47766794603224827, 2.468771624377867, 0.47766794603224827, 0.477667946032248], 1e-12, [2, 3]);
        Assert.That(X().Var().Item(), Is.EqualTo(1.924710144927536).Within(1e-12));
        Expect.Close(X().Var([0], correction: 0).Narrow(0, 0, 1), [4.928399999999999, 4.928399999999999, 0.07840000000000011, 0.07840000000000001], 1e-12);
        Assert.That(X().Float().Var([1], keepDim: true).Shape, Is.EqualTo(new[] { 2, 1, 4 }));
    }

    [Test]
    public void ProdAmaxAminArgMatchTorch()
    {
        Expect.Close(X().Prod([2]), [3.6557640000000005, 0.01012439999999998, 4.493059200000001, 18.0940396, -0.007821360000000062, 0.5301912000000004], 1e-12, [2, 3]);
        Expect.Close(X().Amax([1]), [0.96, 1.33, 1.7000000000000002, 2.0700000000000003, 2.4399999999999995, 2.8099999999999996, 1.1400000000000006, 1.5099999999999998], 1e-15, [2, 4]);
        Expect.Close(X().Amin([0, 2]), [-2.0, -1.08, 0.40000000000000036], 1e-15, [3]);
        Assert.That(X().ArgMax(2).ToArray<long>(), Is.EqualTo(new long[] { 3, 3, 3, 1, 3, 3 }));
        Assert.That(X().ArgMax(1).ToArray<long>(), Is.EqualTo(new long[] { 2, 2, 2, 2, 0, 0, 2, 2 }));
        Assert.That(X().ArgMin().Item<long>(), Is.EqualTo(0));
        Assert.That(X().ArgMax(-1, keepDim: true).Shape, Is.EqualTo(new[] { 2, 3, 1 }));
        var (values, indices) = X().Max(2);
        Expect.Close(values, [-0.8900000000000001, 0.5899999999999999, 2.0700000000000003, 2.8099999999999996, 0.03000000000000025, 1.5099999999999998], 1e-15, [2, 3]);
        Assert.That(indices.ToArray<long>(), Is.EqualTo(new long[] { 3, 3, 3, 1, 3, 3 }));
        var (minV, minI) = Tensor.FromArray(new[] { 3, 1, 1, 2 }).Min(0);
        Assert.That(minV.Item<int>(), Is.EqualTo(1));
        Assert.That(minI.Item<long>(), Is.EqualTo(1), "first index on ties");
        Assert.That(Tensor.FromArray(new[] { 1.0, double.NaN, 3 }).ArgMax().Item<long>(), Is.EqualTo(1), "NaN is the maximum, as PyTorch");
        Assert.That(Tensor.FromArray(new[] { 5, -2, 9 }).Max().Item<int>(), Is.EqualTo(9));
        Assert.That(Tensor.FromArray(new byte[] { 5, 2, 9 }).Min().Item<byte>(), Is.EqualTo(2));
    }

    [Test]
    public void LogSumExpAndNormsMatchTorch()
    {
        Expect.Close(X().LogSumExp(2), [0.025253076589505374, 1.5052530765895051, 2.9852530765895056, 3.349186461443094, 0.9452530765895054, 2.425253076589505], 1e-12, [2, 3]);
        Expect.Close(X().LogSumExp([0, 1]), [2.81217074455481, 3.18217074455481, 2.3982808882298188, 2.7682808882298184], 1e-12, [4]);
        Expect.Close(Tensor.FromArray(new[] { 1000.0, 1000 }).LogSumExp(0), [1000 + Math.Log(2)], 1e-15);
        Expect.Close(Tensor.FromArray(new[] { double.NegativeInfinity, double.NegativeInfinity }).LogSumExp(0), [double.NegativeInfinity]);
        Expect.Close(X().Norm(1, [2]), [5.779999999999999, 1.4799999999999995, 6.0600000000000005, 8.52, 2.16, 3.8200000000000003], 1e-12);
        Assert.That(X().Norm().Item(), Is.EqualTo(6.706385017280175).Within(1e-12));
        Expect.Close(X().Norm(3, [1]), [2.0820344985106547, 1.883960922403238, 1.9059851890502515, 2.1385248371483097, 2.511969058539459, 2.843969396589905, 1.9617234597942224, 1.865451593737316], 1e-12);
        Expect.Close(X().Norm(double.PositiveInfinity, [0]).Narrow(0, 0, 1), [2.4399999999999995, 2.8099999999999996, 1.8200000000000003, 1.4500000000000002], 1e-15);
        Assert.Throws<ArgumentException>(() => X().Norm(-1));
    }

    [Test]
    public void AllAnyCountNonzero()
    {
        var m = Tensor.FromArray(new[] { 1.0, 0, 2, 3 }, 2, 2);
        Assert.That(m.All().Item(), Is.EqualTo(0.0));
        Assert.That(m.Any().Item(), Is.EqualTo(1.0));
        Assert.That(m.All([1]).ToArray<bool>(), Is.EqualTo(new[] { false, true }));
        Assert.That(m.Any([0], keepDim: true).Shape, Is.EqualTo(new[] { 1, 2 }));
        Assert.That(m.CountNonzero(), Is.EqualTo(3));
    }

    [Test]
    public void CumulativeOpsMatchTorch()
    {
        Expect.Close(X().CumSum(1), [-2.0, -1.63, -1.26, -0.8900000000000001, -2.52, -1.7799999999999998, -1.0400000000000003, -0.30000000000000027, -1.56, -0.44999999999999973, 0.6599999999999999, 1.77, 2.4399999999999995, 2.8099999999999996, -1.8200000000000003, -1.4500000000000002, 1.3599999999999994, 2.0999999999999996, -2.16, -1.42, 1.7599999999999998, 2.869999999999999, -1.0199999999999996, 0.08999999999999986], 1e-12, [2, 3, 4]);
        Expect.Close(X().CumProd(-1), [-2.0, 3.26, -4.1076, 3.6557640000000005, -0.52, 0.07799999999999996, 0.01715999999999997, 0.01012439999999998, 0.96, 1.2768, 2.17056, 4.493059200000001, 2.4399999999999995, 6.856399999999998, -12.478647999999998, 18.0940396, -1.08, 0.7668, -0.2607119999999999, -0.007821360000000062, 0.40000000000000036, 0.3080000000000001, 0.3511200000000003, 0.5301912000000004], 1e-12);
        Assert.That(Tensor.FromArray(new[] { 1, 2, 3 }).CumSum(0).ToArray<long>(), Is.EqualTo(new long[] { 1, 3, 6 }));
        Assert.That(Tensor.Zeros(0).CumSum(0).Shape, Is.EqualTo(new[] { 0 }));
    }

    [Test]
    public void SoftmaxAndLogSoftmaxMatchTorch()
    {
        Expect.Close(X().Softmax(1), [0.04050072268780512, 0.04050072268780512, 0.04050072268780513, 0.040500722687805114, 0.1779174748054818, 0.1779174748054818, 0.17791747480548178, 0.17791747480548178, 0.781581802506713, 0.781581802506713, 0.7815818025067132, 0.7815818025067132, 0.8623454021959017, 0.8623454021959017, 0.040500722687805094, 0.04050072268780512, 0.025524936824627358, 0.025524936824627358, 0.17791747480548178, 0.1779174748054819, 0.11212966097947091, 0.11212966097947082, 0.7815818025067132, 0.781581802506713], 1e-12, [2, 3, 4]);
        Expect.Close(X().LogSoftmax(0).Narrow(0, 0, 1).Narrow(1, 0, 1), [-4.451726908753935, -4.451726908753935, -0.4518454273443063, -0.4518454273443063], 1e-12);
        Expect.Close(X().Float().Softmax(-1).Sum(-1), [1, 1, 1, 1, 1, 1], 1e-6);
        Expect.Close(Tensor.FromArray(new[] { 1000.0, 0 }).Softmax(0), [1, 0], 1e-15);
        Expect.Close(Tensor.FromArray(new[] { double.NegativeInfinity, 0 }).LogSoftmax(0), [double.NegativeInfinity, 0]);
    }

    [Test]
    public void ParallelSumsAndElementwiseAgreeWithSerial()
    {
        int saved = Parallelism.MinElementsPerTask, savedThreads = Parallelism.MaxThreads;
        try
        {
            var x = Tensor.Rand([4099], new Generator(3), DType.Float64);
            var serialSum = x.Sum().Item();
            var serialExp = x.Exp().ToArray<double>();
            var serialAdd = (x + x.Flip(0)).ToArray<double>();
            Parallelism.MinElementsPerTask = 64; // force several tasks on this small tensor (sums: 8 x 64 elements per task)
            Parallelism.MaxThreads = 4;
            Assert.That(Parallelism.TaskCount(x.Numel), Is.EqualTo(4));
            Assert.That(Parallelism.TaskCount(1000), Is.EqualTo(1), "below two tasks' worth it runs inline");
            Assert.That(x.Sum().Item(), Is.EqualTo(serialSum).Within(1e-9));
            Assert.That(x.Exp().ToArray<double>(), Is.EqualTo(serialExp));
            Assert.That((x + x.Flip(0)).ToArray<double>(), Is.EqualTo(serialAdd));
            Assert.That(x.Mul(2).ToArray<double>()[4098], Is.EqualTo(2 * x.ToArray<double>()[4098]));
        }
        finally
        {
            Parallelism.MinElementsPerTask = saved;
            Parallelism.MaxThreads = savedThreads;
        }
    }
}
