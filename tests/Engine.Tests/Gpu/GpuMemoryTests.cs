using RlPlat.Engine;

namespace RlPlat.Engine.Tests.GpuBackend;

/// <summary>The caching allocator's counters, scopes, finalizer release, and the device errors.</summary>
[TestFixture]
[NonParallelizable]
public class GpuMemoryTests
{
    private static GpuMemoryStats Stats => Gpu.MemoryStats(GpuAssert.Dev);

    [Test]
    public void FreedBlocksAreCachedAndReusedAndCountersAddUp()
    {
        var x = Tensor.Zeros(1000).To(GpuAssert.Dev); // 4000 bytes: the 4096-byte bucket
        GC.Collect();
        GC.WaitForPendingFinalizers(); // no finalizer of earlier garbage runs between the readings below
        var before = Stats;
        var y = Tensor.ZerosLike(x);
        var during = Stats;
        Assert.That(during.BytesInUse - before.BytesInUse, Is.EqualTo(4096));
        Gpu.Release(y);
        var after = Stats;
        Assert.That(after.BytesInUse, Is.EqualTo(before.BytesInUse));
        Assert.That(after.BytesCached - before.BytesCached, Is.EqualTo(4096));
        var z = Tensor.ZerosLike(x);
        var reused = Stats;
        Assert.That(reused.Reuses, Is.EqualTo(after.Reuses + 1));
        Assert.That(reused.Allocations, Is.EqualTo(after.Allocations));
        Assert.That(z.Sum().Item(), Is.EqualTo(0), "a reused block is zeroed for ZerosLike");
        GC.KeepAlive(x);
    }

    [Test]
    public void TensorDisposeReturnsTheDeviceBlock()
    {
        var x = Tensor.Zeros(1000).To(GpuAssert.Dev);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = Stats;
        var y = Tensor.OnesLike(x);
        var view = y.Reshape(10, 100);
        Assert.That(Stats.BytesInUse - before.BytesInUse, Is.EqualTo(4096));
        view.Dispose(); // the storage its base shares
        Assert.That(Stats.BytesInUse, Is.EqualTo(before.BytesInUse));
        Assert.That(y.IsDisposed, Is.True);
        Assert.Throws<ObjectDisposedException>(() => y.Sum().Item());
        GC.KeepAlive(x);
    }

    [Test]
    public void GradientsAccumulateAcrossScopedBackwardPasses()
    {
        var g = new Generator(3);
        var net = RlPlat.Engine.NN.Mlp.Create([4, 8, 2], "tanh", generator: g).To(GpuAssert.Dev);
        var x = Tensor.Randn([16, 4], g).To(GpuAssert.Dev);
        var y = Tensor.Randn([16, 2], g).To(GpuAssert.Dev);
        var p = net.Parameters().First();
        RlPlat.Engine.NN.Functional.MseLoss(net.Forward(x), y).Backward();
        var once = p.Grad!.ToArray<float>();
        p.Grad = null;
        for (int pass = 0; pass < 2; pass++)
            using (Gpu.Scope())
                RlPlat.Engine.NN.Functional.MseLoss(net.Forward(x), y).Backward();
        var twice = p.Grad!.ToArray<float>(); // the gradient made in the first scope was kept, not released
        Assert.That(twice, Is.EqualTo(once.Select(v => 2 * v).ToArray()).Within(1e-5f));
    }

    [Test]
    public void AScopeReleasesWhatItAllocatedExceptKeptTensors()
    {
        var x = Tensor.Ones(256).To(GpuAssert.Dev);
        Tensor kept, dropped;
        long cached;
        using (var scope = Gpu.Scope())
        {
            dropped = x.Add(1.0);
            kept = Gpu.Keep(x.Mul(3.0));
            Assert.That(scope.Count, Is.EqualTo(1));
            cached = Stats.BytesCached;
        }
        // Finalizers of other tests' garbage may add to the cache meanwhile, never take from it.
        Assert.That(Stats.BytesCached - cached, Is.GreaterThanOrEqualTo(1024), "the dropped tensor's block went back to the cache");
        Assert.That(kept.Sum().Item(), Is.EqualTo(768));
        var e = Assert.Throws<ObjectDisposedException>(() => dropped.ToArray())!;
        Assert.That(e.Message, Does.Contain("released"));
    }

    [Test]
    public void CollectedTensorsReturnTheirMemoryWithoutDispose()
    {
        Collect();
        long inUse = Stats.BytesInUse;
        Allocate();
        Assert.That(Stats.BytesInUse, Is.GreaterThanOrEqualTo(inUse + 10 * 2048));
        for (int i = 0; i < 5 && Stats.BytesInUse > inUse; i++) Collect();
        Assert.That(Stats.BytesInUse, Is.LessThanOrEqualTo(inUse));

        static void Collect()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        static void Allocate()
        {
            for (int i = 0; i < 10; i++) _ = Tensor.Zeros(300).To(GpuAssert.Dev);
        }
    }

    [Test]
    public void MixedDevicesAreAnErrorNamingBothDevices()
    {
        var g = Tensor.Ones(2, 3).To(GpuAssert.Dev);
        var c = Tensor.Ones(2, 3);
        var e = Assert.Throws<InvalidOperationException>(() => g.Add(c))!;
        Assert.That(e.Message, Does.Contain("ilgpu-cpu").And.Contain("cpu").And.Contain(".To(device)"));
        Assert.Throws<InvalidOperationException>(() => c.MatMul(g.T));
        // A one-element CPU tensor is a scalar, as in PyTorch.
        Assert.That(g.Mul(Tensor.Scalar(2)).Sum().Item(), Is.EqualTo(12));
    }

    [Test]
    public void UnportedOpsNameTheOpAndTheDeviceAndSayToMoveToTheCpu()
    {
        var g = Tensor.Ones(4).To(GpuAssert.Dev);
        var e = Assert.Throws<NotSupportedException>(() => g.CumSum(0))!;
        Assert.That(e.Message, Does.Contain("CumSum").And.Contain("ilgpu-cpu").And.Contain(".To(Device.Cpu)"));
    }

    [Test]
    public void CudaWithoutAGpuIsAClearErrorAndBestFallsBackToTheCpu()
    {
        Assume.That(Device.CudaDeviceCount, Is.EqualTo(0), "this machine has a CUDA GPU");
        var e = Assert.Throws<InvalidOperationException>(() => Device.Cuda(0))!;
        Assert.That(e.Message, Does.Contain("no CUDA GPU"));
        Assert.That(Device.Best(), Is.EqualTo(Device.Cpu));
        Assert.That(Device.Parse("ilgpu-cpu"), Is.EqualTo(Device.IlgpuCpu));
        Assert.That(Device.Cpu.ToString(), Is.EqualTo("cpu"));
        Assert.Throws<ArgumentException>(() => Device.Parse("tpu"));
    }
}
