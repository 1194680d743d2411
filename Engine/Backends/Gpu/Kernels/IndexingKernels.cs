using ILGPU;
using ILGPU.Algorithms;

namespace RlPlat.Engine.Backends.Gpu.Kernels;

/// <summary>
/// Gather and scatter along one dim. The layout's slot a is the index (int64), slot b the data side that is not
/// indexed, the output slot the other; the indexed dim adds index·stride. Out-of-range indices set error[0] (the host
/// turns that into an exception) and are not used.
/// </summary>
internal static class IndexingKernels
{
    private static bool Resolve(long j, int size, ArrayView<int> error, out int r)
    {
        if (j < 0) j += size;
        if (j < 0 || j >= size)
        {
            Atomic.Or(ref error[0], 1);
            r = 0;
            return false;
        }
        r = (int)j;
        return true;
    }

    /// <summary>y[o] = x[b + index·stride].</summary>
    public static void Gather<T>(Index1D i, ArrayView<long> index, ArrayView<T> x, ArrayView<T> y, Layout l, int stride, int size, ArrayView<int> error) where T : unmanaged
    {
        l.Offsets(i, out int ia, out int ib, out _, out int o);
        y[o] = Resolve(index[ia], size, error, out int j) ? x[ib + j * stride] : default;
    }

    /// <summary>y[o + index·stride] = src[b] (duplicates: one of them wins, as on CUDA in PyTorch).</summary>
    public static void Scatter<T>(Index1D i, ArrayView<long> index, ArrayView<T> src, ArrayView<T> y, Layout l, int stride, int size, ArrayView<int> error) where T : unmanaged
    {
        l.Offsets(i, out int ia, out int ib, out _, out int o);
        if (Resolve(index[ia], size, error, out int j)) y[o + j * stride] = src[ib];
    }

    /// <summary>y[o + index·stride] += src[b], atomically (duplicates add up).</summary>
    public static void ScatterAddF(Index1D i, ArrayView<long> index, ArrayView<float> src, ArrayView<float> y, Layout l, int stride, int size, ArrayView<int> error)
    {
        l.Offsets(i, out int ia, out int ib, out _, out int o);
        if (Resolve(index[ia], size, error, out int j)) Atomic.Add(ref y[o + j * stride], src[ib]);
    }

    /// <summary>Float64 form of <see cref="ScatterAddF"/>.</summary>
    public static void ScatterAddD(Index1D i, ArrayView<long> index, ArrayView<double> src, ArrayView<double> y, Layout l, int stride, int size, ArrayView<int> error)
    {
        l.Offsets(i, out int ia, out int ib, out _, out int o);
        if (Resolve(index[ia], size, error, out int j)) Atomic.Add(ref y[o + j * stride], src[ib]);
    }
}
