using System.Collections.Concurrent;
using System.Reflection;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using RlPlat.Engine.Backends.Gpu.Memory;

namespace RlPlat.Engine.Backends.Gpu;

/// <summary>
/// One accelerator: its stream, caching allocator, compiled kernels (each loaded once: the first compile takes seconds),
/// page-locked staging buffer for host transfers, and cuBLAS when the native library loads.
/// </summary>
internal sealed class GpuDevice
{
    private readonly ConcurrentDictionary<MethodInfo, Delegate> kernels = new();
    private readonly object cublasLock = new();
    private CuBlas? cublas;
    private bool cublasTried;
    private string? cublasError;

    internal GpuDevice(Device device, Accelerator accelerator)
    {
        Device = device;
        Accelerator = accelerator;
        Stream = accelerator.DefaultStream;
        Allocator = new CachingAllocator(this);
        Transfers = new HostTransfers(this);
        // On ILGPU's CPU accelerator each group thread is an OS thread and every barrier a rendezvous of all of them:
        // small groups keep the reductions fast there (the kernels work with any power-of-two group size).
        GroupSize = accelerator.AcceleratorType == AcceleratorType.CPU ? 16 : Math.Min(256, accelerator.MaxNumThreadsPerGroup);
    }

    /// <summary>The device this backend serves.</summary>
    internal Device Device { get; }

    /// <summary>The ILGPU accelerator.</summary>
    internal Accelerator Accelerator { get; }

    /// <summary>The stream every kernel and copy is queued on (in order, so no synchronization between ops).</summary>
    internal AcceleratorStream Stream { get; }

    /// <summary>The size-bucketed device memory cache.</summary>
    internal CachingAllocator Allocator { get; }

    /// <summary>Host to device copies through page-locked staging.</summary>
    internal HostTransfers Transfers { get; }

    /// <summary>Threads per group of the reduction and softmax kernels (256 on CUDA, 16 on the CPU accelerator).</summary>
    internal int GroupSize { get; }

    /// <summary>Makes this accelerator current on the calling thread (CUDA contexts are per thread).</summary>
    internal void Bind()
    {
        if (!ReferenceEquals(Accelerator.Current, Accelerator)) Accelerator.Bind();
    }

    /// <summary>
    /// The launcher of kernel <paramref name="method"/> (a closed generic or plain static method), compiled on first use.
    /// <typeparamref name="TDelegate"/> is <c>Action&lt;AcceleratorStream, TIndex, params...&gt;</c>.
    /// </summary>
    internal TDelegate AutoKernel<TDelegate>(MethodInfo method) where TDelegate : Delegate =>
        (TDelegate)kernels.GetOrAdd(method, m =>
        {
            Bind();
            return Accelerator.LoadAutoGroupedKernel(m).CreateLauncherDelegate<TDelegate>();
        });

    /// <summary>The launcher of an explicitly grouped kernel (shared memory, barriers): <c>Action&lt;AcceleratorStream, KernelConfig, ...&gt;</c>.</summary>
    internal TDelegate GroupedKernel<TDelegate>(MethodInfo method) where TDelegate : Delegate =>
        (TDelegate)kernels.GetOrAdd(method, m =>
        {
            Bind();
            return Accelerator.LoadKernel(m).CreateLauncherDelegate<TDelegate>();
        });

    /// <summary>Kernels compiled on this device so far.</summary>
    internal int KernelCount => kernels.Count;

    /// <summary>cuBLAS on this device, or null (not CUDA, or the native library did not load: see <see cref="CuBlasError"/>).</summary>
    internal CuBlas? CuBlas
    {
        get
        {
            if (cublasTried) return cublas;
            lock (cublasLock)
            {
                if (cublasTried) return cublas;
                if (Accelerator is CudaAccelerator cuda)
                {
                    try
                    {
                        Bind();
                        var b = new CuBlas(cuda);
                        b.Stream = (CudaStream)Stream;
                        cublas = b;
                    }
                    catch (Exception e)
                    {
                        cublasError = $"{e.GetType().Name}: {e.Message}";
                    }
                }
                else cublasError = $"{Device} is not a CUDA device";
                cublasTried = true;
                return cublas;
            }
        }
    }

    /// <summary>Why cuBLAS is not available (null when it is, or before the first attempt).</summary>
    internal string? CuBlasError => cublasError;

    /// <summary>Waits until every queued kernel and copy has finished.</summary>
    internal void Synchronize()
    {
        Bind();
        Stream.Synchronize();
    }

    /// <summary>A short description: device name, memory, warp size.</summary>
    public override string ToString() => $"{Device} ({Accelerator.Name}, {Accelerator.MemorySize / (1 << 20)} MiB, {Accelerator.AcceleratorType})";
}
