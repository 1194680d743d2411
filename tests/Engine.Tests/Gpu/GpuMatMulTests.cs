using RlPlat.Engine;

namespace RlPlat.Engine.Tests.GpuBackend;

/// <summary>The tiled matmul kernel against the CPU GEMM: ragged sizes, transposed views, batches.</summary>
[TestFixture]
public class GpuMatMulTests
{
    [Test]
    public void TiledKernelMatchesTheCpuOnRaggedSizesAndTransposedViews()
    {
        var g = new Generator(3);
        var a = Tensor.Randn([70, 37], g);
        var b = Tensor.Randn([37, 66], g);
        var ga = a.To(GpuAssert.Dev);
        var gb = b.To(GpuAssert.Dev);
        GpuAssert.Close(ga.MatMul(gb), a.MatMul(b), 1e-4, "70x37 @ 37x66");
        GpuAssert.Close(gb.T.MatMul(ga.T), b.T.MatMul(a.T), 1e-4, "transposed views");
        GpuAssert.Close(ga.Narrow(0, 3, 5).MatMul(gb), a.Narrow(0, 3, 5).MatMul(b), 1e-4, "offset view");
    }

    [Test]
    public void BatchedAndVectorProductsMatchTheCpu()
    {
        var g = new Generator(4);
        var a = Tensor.Randn([2, 3, 4], g);
        var b = Tensor.Randn([4, 5], g);
        var v = Tensor.Randn([4], g);
        GpuAssert.Close(a.To(GpuAssert.Dev).MatMul(b.To(GpuAssert.Dev)), a.MatMul(b), 1e-5, "batched @ matrix");
        GpuAssert.Close(b.T.To(GpuAssert.Dev).MatMul(v.To(GpuAssert.Dev)), b.T.MatMul(v), 1e-5, "matrix @ vector");
        GpuAssert.Close(v.To(GpuAssert.Dev).Dot(v.To(GpuAssert.Dev)), v.Dot(v), 1e-5, "dot");
    }

    [Test]
    public void AHandComputedProductIsExact()
    {
        var a = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3).To(GpuAssert.Dev);
        var b = Tensor.FromArray(new float[] { 7, 8, 9, 10, 11, 12 }, 3, 2).To(GpuAssert.Dev);
        Assert.That(a.MatMul(b).To(Device.Cpu).ToArray(), Is.EqualTo(new float[] { 58, 64, 139, 154 }));
    }
}
