using ILGPU;
using ILGPU.Algorithms;

namespace RlPlat.Engine.Backends.Gpu.Kernels;

/// <summary>How a reduction combines values (computed in double).</summary>
internal interface IReducer
{
    double Identity { get; }
    double Combine(double a, double b);
}

internal struct RSum : IReducer { public double Identity => 0; public double Combine(double a, double b) => a + b; }
internal struct RMax : IReducer { public double Identity => double.NegativeInfinity; public double Combine(double a, double b) => double.IsNaN(a) ? a : double.IsNaN(b) ? b : a > b ? a : b; }
internal struct RMin : IReducer { public double Identity => double.PositiveInfinity; public double Combine(double a, double b) => double.IsNaN(a) ? a : double.IsNaN(b) ? b : a < b ? a : b; }

/// <summary>
/// Row reductions over a contiguous [outer, n] matrix, one 256-thread group per row (groups loop over rows): each thread
/// folds a strided slice, then a shared-memory tree combines the group. Long rows are split into chunks whose partial
/// results a second launch combines, so a full reduction uses the whole GPU.
/// </summary>
internal static class ReductionKernels
{
    public const int Threads = 256;

    /// <summary>y[v] = reduce of chunk (v % chunks) of row (v / chunks).</summary>
    public static void Rows<T, E, TO, EO, R>(ArrayView<T> x, ArrayView<TO> y, int xOff, int outer, int n, int chunks)
        where T : unmanaged where E : struct, IElem<T> where TO : unmanaged where EO : struct, IElem<TO> where R : struct, IReducer
    {
        var shared = SharedMemory.Allocate<double>(Threads);
        int tid = Group.IdxX, size = Group.DimX;
        int clen = (n + chunks - 1) / chunks;
        for (int v = Grid.IdxX; v < outer * chunks; v += Grid.DimX)
        {
            int row = v / chunks, c = v - row * chunks;
            int start = c * clen, end = XMath.Min(n, start + clen);
            double acc = default(R).Identity;
            for (int j = start + tid; j < end; j += size) acc = default(R).Combine(acc, default(E).ToD(x[xOff + row * n + j]));
            shared[tid] = acc;
            Group.Barrier();
            for (int s = size / 2; s > 0; s >>= 1)
            {
                if (tid < s) shared[tid] = default(R).Combine(shared[tid], shared[tid + s]);
                Group.Barrier();
            }
            if (tid == 0) y[v] = default(EO).FromD(shared[0]);
            Group.Barrier();
        }
    }

    /// <summary>True when (v2, i2) beats (v1, i1): NaN first, then the larger (or smaller) value, then the lower index.</summary>
    private static bool Better(double v1, int i1, double v2, int i2, int max)
    {
        bool n1 = double.IsNaN(v1), n2 = double.IsNaN(v2);
        if (n1 && n2) return i2 < i1;
        if (n1) return false;
        if (n2) return true;
        if (v2 == v1) return i2 < i1;
        return max != 0 ? v2 > v1 : v2 < v1;
    }

    /// <summary>y[row] = index of the max (or min) of the row; first one on ties, first NaN wins (the CPU's rule).</summary>
    public static void ArgRows<T, E>(ArrayView<T> x, ArrayView<long> y, int xOff, int outer, int n, int max) where T : unmanaged where E : struct, IElem<T>
    {
        var vals = SharedMemory.Allocate<double>(Threads);
        var idx = SharedMemory.Allocate<int>(Threads);
        int tid = Group.IdxX, size = Group.DimX;
        for (int row = Grid.IdxX; row < outer; row += Grid.DimX)
        {
            double best = 0;
            int bi = int.MaxValue;
            for (int j = tid; j < n; j += size)
            {
                double v = default(E).ToD(x[xOff + row * n + j]);
                if (bi == int.MaxValue || Better(best, bi, v, j, max)) { best = v; bi = j; }
            }
            vals[tid] = best;
            idx[tid] = bi;
            Group.Barrier();
            for (int s = size / 2; s > 0; s >>= 1)
            {
                if (tid < s && idx[tid + s] != int.MaxValue && (idx[tid] == int.MaxValue || Better(vals[tid], idx[tid], vals[tid + s], idx[tid + s], max)))
                {
                    vals[tid] = vals[tid + s];
                    idx[tid] = idx[tid + s];
                }
                Group.Barrier();
            }
            if (tid == 0) y[row] = idx[0];
            Group.Barrier();
        }
    }

    /// <summary>Softmax (or log-softmax) of each row of a contiguous [outer, n] matrix, computed in double.</summary>
    public static void Softmax<T, E>(ArrayView<T> x, ArrayView<T> y, int xOff, int outer, int n, int log) where T : unmanaged where E : struct, IElem<T>
    {
        var shared = SharedMemory.Allocate<double>(Threads);
        int tid = Group.IdxX, size = Group.DimX;
        for (int row = Grid.IdxX; row < outer; row += Grid.DimX)
        {
            int b = xOff + row * n;
            double m = double.NegativeInfinity;
            for (int j = tid; j < n; j += size) m = default(RMax).Combine(m, default(E).ToD(x[b + j]));
            shared[tid] = m;
            Group.Barrier();
            for (int s = size / 2; s > 0; s >>= 1)
            {
                if (tid < s) shared[tid] = default(RMax).Combine(shared[tid], shared[tid + s]);
                Group.Barrier();
            }
            m = shared[0];
            if (double.IsInfinity(m) || double.IsNaN(m)) m = 0;
            Group.Barrier();
            double sum = 0;
            for (int j = tid; j < n; j += size) sum += Math.Exp(default(E).ToD(x[b + j]) - m);
            shared[tid] = sum;
            Group.Barrier();
            for (int s = size / 2; s > 0; s >>= 1)
            {
                if (tid < s) shared[tid] += shared[tid + s];
                Group.Barrier();
            }
            sum = shared[0];
            double logSum = Math.Log(sum);
            for (int j = tid; j < n; j += size)
            {
                double d = default(E).ToD(x[b + j]) - m;
                y[row * n + j] = default(E).FromD(log != 0 ? d - logSum : Math.Exp(d) / sum);
            }
            Group.Barrier();
        }
    }
}
