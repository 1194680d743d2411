using System.Runtime.InteropServices;

namespace RlPlat.Experiments.Running;

/// <summary>
/// Whether a run can train on a device. <c>cpu</c> always can; <c>cuda</c> needs a CUDA GPU and the engine's GPU
/// backend, which is not in this build yet: when it is, point <see cref="CudaProbe"/> at it (for example
/// <c>() =&gt; Device.Best().IsCuda ? null : "no CUDA GPU found"</c>) and nothing else changes.
/// </summary>
public static class Devices
{
    /// <summary>Asks the GPU backend whether CUDA can run: null when it can, else why not. Null: no backend in this build.</summary>
    public static Func<string?>? CudaProbe { get; set; }

    /// <summary>Why <paramref name="device"/> cannot be used now (one line), or null when it can.</summary>
    public static string? WhyUnavailable(string device) => device switch
    {
        "cpu" => null,
        "cuda" => CudaProbe is { } probe ? probe() : CudaDriverPresent()
            ? "this build has no GPU backend yet; use --device cpu"
            : "no CUDA GPU found (no CUDA driver on this machine); use --device cpu",
        _ => $"unknown device '{device}'; expected cpu or cuda",
    };

    private static bool CudaDriverPresent()
    {
        if (!NativeLibrary.TryLoad(OperatingSystem.IsWindows() ? "nvcuda.dll" : "libcuda.so.1", out var handle)) return false;
        NativeLibrary.Free(handle);
        return true;
    }
}
