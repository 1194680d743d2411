using System.Reflection;
using ILGPU;
using ILGPU.Runtime;
using RlPlat.Engine.Backends.Gpu.Kernels;

namespace RlPlat.Engine.Backends.Gpu;

/// <summary>Which row reduction to run.</summary>
internal enum RowReduction { Sum, Max, Min }

/// <summary>The device side of sums, max/min, argmax/argmin and softmax over the rows of a contiguous matrix.</summary>
internal static class GpuReductions
{
    private static readonly Type K = typeof(ReductionKernels);
    private static readonly MethodInfo RowsM = KernelMethods.Open(K, nameof(ReductionKernels.Rows));
    private static readonly MethodInfo ArgRowsM = KernelMethods.Open(K, nameof(ReductionKernels.ArgRows));
    private static readonly MethodInfo SoftmaxM = KernelMethods.Open(K, nameof(ReductionKernels.Softmax));

    // Enough groups to fill a large GPU; each loops over further rows.
    private const int MaxGroups = 4096;

    private static KernelConfig Config(GpuDevice dev, int rows) => new(Math.Max(1, Math.Min(rows, MaxGroups)), dev.GroupSize);

    /// <summary>Reduces each row of contiguous device matrix <paramref name="rows"/> [outer, n] into a new tensor of <paramref name="outShape"/>.</summary>
    internal static Tensor Rows(Tensor rows, int outer, int n, int[] outShape, RowReduction kind)
    {
        var dev = GpuTensors.DeviceOf(rows);
        var y = GpuTensors.Empty(dev, rows.DType, outShape, zero: false);
        if (outer == 0) return y;
        dev.Bind();
        var r = kind switch { RowReduction.Sum => typeof(RSum), RowReduction.Max => typeof(RMax), _ => typeof(RMin) };
        // Long rows: chunk partials in float64, then one more pass over [outer, chunks].
        int chunks = outer >= 1024 || n < 1 << 15 ? 1 : Math.Min(1024, Math.Max(1, n / (1 << 14)));
        if (chunks == 1) { Launch(dev, rows, y, outer, n, 1, r); return y; }
        var partial = GpuTensors.Empty(dev, DType.Float64, [outer, chunks], zero: false);
        Launch(dev, rows, partial, outer, n, chunks, r);
        Launch(dev, partial, y, outer, chunks, 1, r);
        return y;
    }

    private static void Launch(GpuDevice dev, Tensor x, Tensor y, int outer, int n, int chunks, Type reducer)
    {
        switch (x.DType)
        {
            case DType.Float32: LaunchTo<float, F32>(dev, x, y, outer, n, chunks, reducer); break;
            case DType.Float64: LaunchTo<double, F64>(dev, x, y, outer, n, chunks, reducer); break;
            case DType.Int32: LaunchTo<int, I32>(dev, x, y, outer, n, chunks, reducer); break;
            case DType.Int64: LaunchTo<long, I64>(dev, x, y, outer, n, chunks, reducer); break;
            case DType.UInt8: LaunchTo<byte, U8>(dev, x, y, outer, n, chunks, reducer); break;
            default: throw new ArgumentException($"reduction: not defined for dtype {x.DType.Name()}");
        }
    }

    private static void LaunchTo<T, E>(GpuDevice dev, Tensor x, Tensor y, int outer, int n, int chunks, Type reducer) where T : unmanaged where E : struct
    {
        switch (y.DType)
        {
            case DType.Float32: Launch<T, E, float, F32>(dev, x, y, outer, n, chunks, reducer); break;
            case DType.Float64: Launch<T, E, double, F64>(dev, x, y, outer, n, chunks, reducer); break;
            case DType.Int32: Launch<T, E, int, I32>(dev, x, y, outer, n, chunks, reducer); break;
            case DType.Int64: Launch<T, E, long, I64>(dev, x, y, outer, n, chunks, reducer); break;
            default: Launch<T, E, byte, U8>(dev, x, y, outer, n, chunks, reducer); break;
        }
    }

    private static void Launch<T, E, TO, EO>(GpuDevice dev, Tensor x, Tensor y, int outer, int n, int chunks, Type reducer)
        where T : unmanaged where TO : unmanaged
    {
        var m = RowsM.MakeGenericMethod(typeof(T), typeof(E), typeof(TO), typeof(EO), reducer);
        dev.GroupedKernel<Action<AcceleratorStream, KernelConfig, ArrayView<T>, ArrayView<TO>, int, int, int, int>>(m)(
            dev.Stream, Config(dev, outer * chunks), GpuTensors.View<T>(x), GpuTensors.View<TO>(y), x.offset, outer, n, chunks);
    }

    /// <summary>Index (int64) of the max or min of each row of contiguous device matrix <paramref name="rows"/>.</summary>
    internal static Tensor ArgRows(Tensor rows, int outer, int n, int[] outShape, bool max)
    {
        var dev = GpuTensors.DeviceOf(rows);
        var y = GpuTensors.Empty(dev, DType.Int64, outShape, zero: false);
        if (outer == 0) return y;
        dev.Bind();
        switch (rows.DType)
        {
            case DType.Float32: LaunchArg<float, F32>(dev, rows, y, outer, n, max); break;
            case DType.Float64: LaunchArg<double, F64>(dev, rows, y, outer, n, max); break;
            case DType.Int32: LaunchArg<int, I32>(dev, rows, y, outer, n, max); break;
            case DType.Int64: LaunchArg<long, I64>(dev, rows, y, outer, n, max); break;
            default: LaunchArg<byte, U8>(dev, rows, y, outer, n, max); break;
        }
        return y;
    }

    private static void LaunchArg<T, E>(GpuDevice dev, Tensor x, Tensor y, int outer, int n, bool max) where T : unmanaged =>
        dev.GroupedKernel<Action<AcceleratorStream, KernelConfig, ArrayView<T>, ArrayView<long>, int, int, int, int>>(KernelMethods.Close(ArgRowsM, typeof(T), typeof(E)))(
            dev.Stream, Config(dev, outer), GpuTensors.View<T>(x), GpuTensors.View<long>(y), x.offset, outer, n, max ? 1 : 0);

    /// <summary>Softmax or log-softmax of each row of contiguous float device matrix <paramref name="rows"/>.</summary>
    internal static Tensor Softmax(Tensor rows, int outer, int n, bool log)
    {
        var dev = GpuTensors.DeviceOf(rows);
        var y = GpuTensors.Empty(dev, rows.DType, (int[])rows.shape.Clone(), zero: false);
        if (outer == 0 || n == 0) return y;
        dev.Bind();
        if (rows.DType == DType.Float32) LaunchSoftmax<float, F32>(dev, rows, y, outer, n, log);
        else LaunchSoftmax<double, F64>(dev, rows, y, outer, n, log);
        return y;
    }

    private static void LaunchSoftmax<T, E>(GpuDevice dev, Tensor x, Tensor y, int outer, int n, bool log) where T : unmanaged =>
        dev.GroupedKernel<Action<AcceleratorStream, KernelConfig, ArrayView<T>, ArrayView<T>, int, int, int, int>>(KernelMethods.Close(SoftmaxM, typeof(T), typeof(E)))(
            dev.Stream, Config(dev, outer), GpuTensors.View<T>(x), GpuTensors.View<T>(y), x.offset, outer, n, log ? 1 : 0);
}
