using System.Collections.Concurrent;
using ILGPU;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace RlPlat.Engine.Backends.Gpu;

/// <summary>
/// The one ILGPU context of the process and the accelerator behind each GPU <see cref="Device"/>, created on first use
/// (creating a context probes the CUDA driver; the CPU path never touches ILGPU).
/// </summary>
internal static class GpuRuntime
{
    private static readonly Lazy<Context> LazyContext = new(CreateContext, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly ConcurrentDictionary<Device, Lazy<GpuDevice>> Devices = new();
    private static readonly Lazy<int> LazyCudaCount = new(CountCuda, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The ILGPU context: CUDA devices (if a driver is present) and a CPU device wide enough for 256-thread groups.</summary>
    internal static Context Context => LazyContext.Value;

    /// <summary>Number of CUDA devices ILGPU sees (0 without an NVIDIA driver).</summary>
    internal static int CudaDeviceCount => LazyCudaCount.Value;

    // 4 lanes x 64 warps: the CPU accelerator runs the same 256-thread groups as the CUDA kernels (tiles, reductions).
    private static readonly CPUDevice WideCpu = new(4, 64, 1);

    /// <summary>
    /// True when kernels use NVIDIA's libdevice math (found through the CUDA toolkit: CUDA_PATH or /usr/local/cuda).
    /// Without it ILGPU's own float exp/log/tanh are used, which are a few ulp less accurate (measured on an H200:
    /// up to 4e-6 relative error against the CPU's, where libdevice stays within 1e-6).
    /// </summary>
    internal static bool UsesLibDevice { get; private set; }

    private static Context CreateContext()
    {
        try
        {
            var context = Context.Create(b => b.Cuda().CPU(WideCpu).EnableAlgorithms().LibDevice());
            UsesLibDevice = true;
            return context;
        }
        catch (Exception e) when (e is NotSupportedException or DllNotFoundException or FileNotFoundException or DirectoryNotFoundException or InvalidOperationException)
        {
            // No CUDA toolkit (libnvvm + libdevice.10.bc): a driver alone runs ILGPU's own math functions.
            return Context.Create(b => b.Cuda().CPU(WideCpu).EnableAlgorithms());
        }
    }

    private static int CountCuda()
    {
        try { return Context.GetCudaDevices().Count; }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or InvalidOperationException or NotSupportedException)
        {
            return 0;
        }
    }

    /// <summary>The backend of <paramref name="device"/> (created once).</summary>
    internal static GpuDevice Get(Device device)
    {
        if (device.IsCpu) throw new ArgumentException("GpuRuntime: the CPU device has no GPU backend");
        return Devices.GetOrAdd(device, d => new Lazy<GpuDevice>(() => Create(d), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    private static GpuDevice Create(Device device)
    {
        if (device.Type == DeviceType.Cuda)
        {
            var cudas = Context.GetCudaDevices();
            if (device.Index < 0 || device.Index >= cudas.Count)
                throw new InvalidOperationException($"{device}: no such CUDA GPU ({cudas.Count} present); use Device.Cpu or Device.Best()");
            return new GpuDevice(device, cudas[device.Index].CreateCudaAccelerator(Context));
        }
        var cpu = Context.GetCPUDevices();
        return new GpuDevice(device, cpu[0].CreateCPUAccelerator(Context));
    }

    /// <summary>The backends created so far (for statistics).</summary>
    internal static IEnumerable<GpuDevice> Created
    {
        get
        {
            foreach (var kv in Devices)
                if (kv.Value.IsValueCreated) yield return kv.Value.Value;
        }
    }
}
