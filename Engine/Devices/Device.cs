using RlPlat.Engine.Backends.Gpu;

namespace RlPlat.Engine;

/// <summary>The kinds of device a tensor can live on.</summary>
public enum DeviceType : byte
{
    /// <summary>Managed arrays on the host (the default, always available).</summary>
    Cpu,
    /// <summary>An NVIDIA GPU through ILGPU's CUDA backend.</summary>
    Cuda,
    /// <summary>ILGPU's CPU accelerator: runs the GPU kernels on the host, slowly; for tests without a GPU.</summary>
    IlgpuCpu,
}

/// <summary>
/// Where tensors live: <see cref="Cpu"/>, <see cref="Cuda"/>(i) or <see cref="IlgpuCpu"/>. Move tensors with
/// <c>tensor.To(device)</c> and modules with <c>module.To(device)</c>; ops need all their tensors on one device.
/// </summary>
public readonly record struct Device(DeviceType Type, int Index = 0)
{
    /// <summary>The CPU (managed arrays).</summary>
    public static readonly Device Cpu = new(DeviceType.Cpu);

    /// <summary>ILGPU's CPU accelerator: the GPU backend's kernels run on the host (tests, debugging).</summary>
    public static readonly Device IlgpuCpu = new(DeviceType.IlgpuCpu);

    /// <summary>CUDA GPU <paramref name="index"/>; throws when no such GPU is present.</summary>
    public static Device Cuda(int index = 0)
    {
        int count = GpuRuntime.CudaDeviceCount;
        if (index < 0 || index >= count)
            throw new InvalidOperationException(count == 0
                ? $"Device.Cuda({index}): no CUDA GPU is present (ILGPU found none: no NVIDIA driver or device); use Device.Cpu or Device.Best()"
                : $"Device.Cuda({index}): only {count} CUDA GPU(s) are present (indices 0..{count - 1})");
        return new Device(DeviceType.Cuda, index);
    }

    /// <summary>Number of CUDA GPUs ILGPU can use on this machine.</summary>
    public static int CudaDeviceCount => GpuRuntime.CudaDeviceCount;

    /// <summary>The first CUDA GPU when one is present, else the CPU.</summary>
    public static Device Best() => GpuRuntime.CudaDeviceCount > 0 ? new Device(DeviceType.Cuda, 0) : Cpu;

    /// <summary>Parses "cpu", "cuda", "cuda:1", "ilgpu-cpu" (CUDA devices are checked for presence).</summary>
    public static Device Parse(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t == "cpu") return Cpu;
        if (t == "ilgpu-cpu") return IlgpuCpu;
        if (t == "cuda") return Cuda(0);
        if (t.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(t.AsSpan(5), out int i)) return Cuda(i);
        throw new ArgumentException($"Device.Parse: '{text}' is not a device (expected cpu, cuda, cuda:N or ilgpu-cpu)");
    }

    /// <summary>True for <see cref="Cpu"/>.</summary>
    public bool IsCpu => Type == DeviceType.Cpu;

    /// <inheritdoc/>
    public override string ToString() => Type switch
    {
        DeviceType.Cpu => "cpu",
        DeviceType.IlgpuCpu => "ilgpu-cpu",
        _ => $"cuda:{Index}",
    };
}
