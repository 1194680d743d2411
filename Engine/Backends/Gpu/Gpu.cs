using RlPlat.Engine.Backends.Gpu;

namespace RlPlat.Engine;

/// <summary>Device memory counters of one GPU device.</summary>
/// <param name="BytesInUse">Bytes held by live tensors (allocator bucket sizes).</param>
/// <param name="BytesCached">Bytes in the allocator's free lists, ready for reuse.</param>
/// <param name="PeakBytesInUse">The largest <paramref name="BytesInUse"/> so far.</param>
/// <param name="Allocations">Device allocations made (cache misses).</param>
/// <param name="Reuses">Requests served from the cache.</param>
/// <param name="StagingBytes">Page-locked host memory used to stage transfers.</param>
public readonly record struct GpuMemoryStats(long BytesInUse, long BytesCached, long PeakBytesInUse, long Allocations, long Reuses, long StagingBytes);

/// <summary>
/// The GPU backend's controls: deterministic release scopes, memory counters, the cache, synchronization and the
/// matmul implementation. Tensors reach the GPU with <c>tensor.To(device)</c>; see <see cref="Device"/>.
/// </summary>
public static class Gpu
{
    /// <summary>
    /// Opens a scope: device memory allocated on this thread until it is disposed goes back to the cache then (unless kept
    /// with <see cref="Keep"/>). <c>using (Gpu.Scope()) { var loss = ...; loss.Backward(); opt.Step(); }</c>
    /// </summary>
    public static GpuScope Scope() => new();

    /// <summary>Exempts <paramref name="t"/>'s device memory from the innermost open scope (it moves to the enclosing one); returns t.</summary>
    public static Tensor Keep(Tensor t)
    {
        if (t.storage.gpu != null) GpuScope.Keep(t.storage.gpu);
        return t;
    }

    /// <summary>Returns <paramref name="t"/>'s device memory to the cache now (the tensor and its views become unusable).</summary>
    public static void Release(Tensor t) => t.storage.gpu?.Dispose();

    /// <summary>Memory counters of <paramref name="device"/>.</summary>
    public static GpuMemoryStats MemoryStats(Device device)
    {
        var d = GpuRuntime.Get(device);
        var a = d.Allocator;
        return new GpuMemoryStats(a.BytesInUse, a.BytesCached, a.PeakBytesInUse, a.Allocations, a.Reuses, d.Transfers.StagingBytes);
    }

    /// <summary>Frees the cached (unused) blocks of <paramref name="device"/>.</summary>
    public static void EmptyCache(Device device) => GpuRuntime.Get(device).Allocator.EmptyCache();

    /// <summary>Waits for every queued kernel and copy on <paramref name="device"/> (timing, interop).</summary>
    public static void Synchronize(Device device) => GpuRuntime.Get(device).Synchronize();

    /// <summary>Whether matmul uses cuBLAS when it loads (default true); false runs the tiled shared-memory kernel.</summary>
    public static bool UseCuBlas { get; set; } = true;

    /// <summary>True when cuBLAS loaded on <paramref name="device"/>; <paramref name="why"/> says why not otherwise.</summary>
    public static bool CuBlasAvailable(Device device, out string why)
    {
        var d = GpuRuntime.Get(device);
        bool ok = d.CuBlas != null;
        why = ok ? "" : d.CuBlasError ?? "unknown";
        return ok;
    }

    /// <summary>The accelerator behind <paramref name="device"/>: name, memory, type (and for CUDA: architecture, PTX ISA, driver).</summary>
    public static string Describe(Device device)
    {
        var d = GpuRuntime.Get(device);
        if (d.Accelerator is not ILGPU.Runtime.Cuda.CudaAccelerator cuda) return d.ToString();
        var c = cuda.Device;
        return $"{d}, arch {c.Architecture}, PTX ISA {c.InstructionSet}, driver {c.DriverVersion}, math {(GpuRuntime.UsesLibDevice ? "libdevice" : "ILGPU")}";
    }

    /// <summary>The theoretical memory bandwidth of a CUDA device in GB/s (2 transfers per memory clock × bus width), null for other devices.</summary>
    /// <remarks>ILGPU reports the memory clock in MHz (an H200 says 3201 with a 6144-bit bus: 4.9 TB/s).</remarks>
    public static double? PeakMemoryBandwidthGBs(Device device)
    {
        if (GpuRuntime.Get(device).Accelerator is not ILGPU.Runtime.Cuda.CudaAccelerator cuda) return null;
        var c = cuda.Device;
        return 2.0 * c.MemoryClockRate * 1e6 * (c.MemoryBusWidth / 8.0) / 1e9;
    }

    /// <summary>Kernels compiled on <paramref name="device"/> so far (each compiles once).</summary>
    public static int CompiledKernels(Device device) => GpuRuntime.Get(device).KernelCount;
}
