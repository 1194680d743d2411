using RlPlat.Engine;

namespace RlPlat.Engine.Tests.GpuBackend;

/// <summary>Reductions, arg-reductions and softmax on the ILGPU CPU accelerator against the CPU backend.</summary>
[TestFixture]
public class GpuReductionTests
{
    private static Tensor Data(params int[] shape) => Tensor.Randn(shape, new Generator(11));

    [Test]
    public void SumMeanMaxMinOverAllAndOverDimsMatchTheCpu()
    {
        var x = Data(3, 4, 5);
        var g = x.To(GpuAssert.Dev);
        GpuAssert.Close(g.Sum(), x.Sum(), 1e-5, "Sum all");
        GpuAssert.Close(g.Sum(1), x.Sum(1), 1e-5, "Sum dim 1");
        GpuAssert.Close(g.Sum([0, 2], keepDim: true), x.Sum([0, 2], keepDim: true), 1e-5, "Sum dims 0,2 keepdim");
        GpuAssert.Close(g.Mean(-1), x.Mean(-1), 1e-5, "Mean last");
        GpuAssert.Close(g.Max(), x.Max(), 0, "Max all");
        GpuAssert.Close(g.Amin([1]), x.Amin([1]), 0, "Amin dim 1");
        GpuAssert.Close(g.To(DType.Int64).Sum(), x.To(DType.Int64).Sum(), 0, "int64 sum");
        Assert.That(g.Gt(0).Any().Item(), Is.EqualTo(1));
    }

    [Test]
    public void LongRowsAreSummedInChunks()
    {
        // 40000 > 2^15 elements in one row: the two-pass path (partials in float64, then one more pass).
        var x = Tensor.Arange(40000).Remainder(7.0).Sub(3);
        var g = x.To(GpuAssert.Dev);
        GpuAssert.Close(g.Sum(), x.Sum(), 1e-6, "chunked sum");
        Assert.That(g.Sum().Item(), Is.EqualTo(x.To(DType.Float64).Sum().Item()).Within(1e-3));
    }

    [Test]
    public void ArgMaxAndArgMinPickTheFirstExtremeLikeTheCpu()
    {
        var x = Tensor.FromArray(new float[] { 1, 5, 5, 2, -3, -3, 0, 9, 9, 9, 1, -3 }, 3, 4);
        var g = x.To(GpuAssert.Dev);
        GpuAssert.Close(g.ArgMax(1), x.ArgMax(1), 0, "ArgMax dim 1");
        GpuAssert.Close(g.ArgMin(0), x.ArgMin(0), 0, "ArgMin dim 0");
        GpuAssert.Close(g.ArgMax(), x.ArgMax(), 0, "ArgMax flat");
        Assert.That(g.ArgMax(1).To(Device.Cpu).ToArray<long>(), Is.EqualTo(new long[] { 1, 3, 0 }));
        Assert.That(g.ArgMin(1).To(Device.Cpu).ToArray<long>(), Is.EqualTo(new long[] { 0, 0, 3 }));
        var (values, indices) = g.Max(1);
        GpuAssert.Close(values, Tensor.FromArray(new float[] { 5, 9, 9 }, 3), 0, "Max values");
        GpuAssert.Close(indices, Tensor.FromArray(new long[] { 1, 3, 0 }, 3), 0, "Max indices");
    }

    [Test]
    public void SoftmaxAndLogSoftmaxMatchTheCpuAlongAnyDim()
    {
        var x = Data(3, 6).Mul(3);
        var g = x.To(GpuAssert.Dev);
        GpuAssert.Close(g.Softmax(-1), x.Softmax(-1), 1e-6, "Softmax last");
        GpuAssert.Close(g.Softmax(0), x.Softmax(0), 1e-6, "Softmax dim 0");
        GpuAssert.Close(g.LogSoftmax(1), x.LogSoftmax(1), 1e-5, "LogSoftmax");
        Assert.That(g.Softmax(1).Sum(1).To(Device.Cpu).ToArray(), Is.EqualTo(new float[] { 1, 1, 1 }).Within(1e-6));
    }
}
