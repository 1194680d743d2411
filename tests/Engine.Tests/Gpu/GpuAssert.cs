using RlPlat.Engine;

namespace RlPlat.Engine.Tests.GpuBackend;

/// <summary>Compares a device result with the CPU backend's.</summary>
internal static class GpuAssert
{
    /// <summary>The ILGPU CPU accelerator: runs the GPU kernels here, slowly (keep sizes small).</summary>
    internal static readonly Device Dev = Device.IlgpuCpu;

    /// <summary>Asserts <paramref name="gpu"/> lives on the device and equals <paramref name="cpu"/> within <paramref name="tol"/> (absolute + relative).</summary>
    internal static void Close(Tensor gpu, Tensor cpu, double tol = 1e-5, string what = "")
    {
        Assert.That(gpu.Device, Is.EqualTo(Dev), $"{what}: result device");
        Assert.That(gpu.Shape, Is.EqualTo(cpu.Shape), $"{what}: shape");
        Assert.That(gpu.DType, Is.EqualTo(cpu.DType), $"{what}: dtype");
        var g = gpu.To(Device.Cpu).To(DType.Float64).ToArray<double>();
        var c = cpu.To(DType.Float64).ToArray<double>();
        for (int i = 0; i < c.Length; i++)
        {
            if (double.IsNaN(c[i])) { Assert.That(double.IsNaN(g[i]), $"{what}: element {i} should be NaN, got {g[i]}"); continue; }
            if (double.IsInfinity(c[i])) { Assert.That(g[i], Is.EqualTo(c[i]), $"{what}: element {i}"); continue; }
            Assert.That(g[i], Is.EqualTo(c[i]).Within(tol + tol * Math.Abs(c[i])), $"{what}: element {i}");
        }
    }
}
