using RlPlat.Engine;

namespace RlPlat.Engine.Tests.GpuBackend;

/// <summary>Gather, scatter, index_select and index_add on the device against the CPU.</summary>
[TestFixture]
public class GpuIndexingTests
{
    [Test]
    public void GatherAndScatterAddMatchTheCpu()
    {
        var x = Tensor.Arange(12).Reshape(3, 4);
        var idx = Tensor.FromArray(new long[] { 3, 0, 1, 1, 2, -1 }, 3, 2);
        var gx = x.To(GpuAssert.Dev);
        var gi = idx.To(GpuAssert.Dev);
        GpuAssert.Close(gx.Gather(1, gi), x.Gather(1, idx), 0, "Gather dim 1");
        Assert.That(gx.Gather(1, gi).To(Device.Cpu).ToArray(), Is.EqualTo(new float[] { 3, 0, 5, 5, 10, 11 }));
        var src = Tensor.Ones(3, 2);
        GpuAssert.Close(gx.ScatterAdd(1, gi, src.To(GpuAssert.Dev)), x.ScatterAdd(1, idx, src), 0, "ScatterAdd with a repeated index");
        var once = Tensor.FromArray(new long[] { 2, 0, 1 }, 3, 1);
        GpuAssert.Close(gx.Scatter(1, once.To(GpuAssert.Dev), Tensor.Full([3, 1], -1.0).To(GpuAssert.Dev)), x.Scatter(1, once, Tensor.Full([3, 1], -1.0)), 0, "Scatter");
    }

    [Test]
    public void IndexSelectAndIndexAddMatchTheCpu()
    {
        var x = Tensor.Arange(12).Reshape(3, 4);
        var idx = Tensor.FromArray(new long[] { 2, 0, 2 }, 3);
        var gx = x.To(GpuAssert.Dev);
        var gi = idx.To(GpuAssert.Dev);
        GpuAssert.Close(gx.IndexSelect(0, gi), x.IndexSelect(0, idx), 0, "IndexSelect dim 0");
        GpuAssert.Close(gx.IndexSelect(1, gi), x.IndexSelect(1, idx), 0, "IndexSelect dim 1");
        var src = Tensor.Arange(12).Reshape(3, 4).Add(100);
        GpuAssert.Close(gx.IndexAdd(0, gi, src.To(GpuAssert.Dev)), x.IndexAdd(0, idx, src), 0, "IndexAdd");
    }

    [Test]
    public void AnOutOfRangeIndexIsAnErrorNamingTheDim()
    {
        var gx = Tensor.Arange(12).Reshape(3, 4).To(GpuAssert.Dev);
        var bad = Tensor.FromArray(new long[] { 0, 4 }, 2, 1).To(GpuAssert.Dev);
        var e = Assert.Throws<ArgumentException>(() => gx.Gather(1, bad))!;
        Assert.That(e.Message, Does.Contain("out of range for dim 1 of size 4"));
    }
}
