using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace RlPlat.Engine.Kernels;

/// <summary>
/// General matrix multiply on raw memory (BLIS/GotoBLAS structure): KC/MC/NC cache blocking, A packed into MR-row panels,
/// B into NR-column panels, a register-blocked FMA micro-kernel, and two or more threads only for large products.
/// </summary>
public static unsafe class Gemm
{
    /// <summary>
    /// Depth of one packed block, in float32 elements (halved for float64). Deep blocks mean fewer passes over C; the
    /// KC x NR micro-panel of B then lives in L2 rather than L1, which Zen 5's L2 bandwidth absorbs (measured: 512 beat 256).
    /// </summary>
    internal static int KC = 512;

    /// <summary>Rows of A packed at once (float32; halved for float64): an MC x KC block of A stays in L2.</summary>
    internal static int MC = 72;

    /// <summary>Columns of B packed at once: a KC x NC block of B stays in L3.</summary>
    internal static int NC = 4096;

    /// <summary>At or below this m*n*k the product runs unpacked-A, single-threaded: RL layers are small.</summary>
    internal static long SmallWork = 64 * 64 * 64;

    /// <summary>At or above this m*n*k the product is split across threads (below it, waking threads costs more than it saves).</summary>
    internal static long ParallelWork = 128 * 128 * 128;

    private static int maxThreads = Environment.ProcessorCount;

    /// <summary>Most threads one product uses (defaults to the core count; 1 makes every product single-threaded).</summary>
    public static int MaxThreads
    {
        get => maxThreads;
        set => maxThreads = value >= 1 ? value : throw new ArgumentException($"Gemm.MaxThreads must be at least 1, got {value}");
    }

    /// <summary>Selects the 256-bit kernel even where AVX-512 is available (tests use it to cover both kernels).</summary>
    internal static bool Force256;

    /// <summary>
    /// C[i,j] = alpha * sum_p A[i,p] * B[p,j] + beta * C[i,j]; A element (i,p) at a[i*aRow + p*aCol], B (p,j) at b[p*bRow + j*bCol],
    /// C (i,j) at c[i*cRow + j] (unit column stride). Any strides (transposed or sliced views) are accepted: packing reads them.
    /// beta == 0 means C is overwritten without being read (NaNs in C do not propagate).
    /// </summary>
    public static void Sgemm(int m, int n, int k, float alpha, float* a, long aRow, long aCol, float* b, long bRow, long bCol, float beta, float* c, long cRow)
        => Run(m, n, k, alpha, a, aRow, aCol, b, bRow, bCol, beta, c, cRow);

    /// <summary>Double-precision <see cref="Sgemm"/>: same layout and semantics.</summary>
    public static void Dgemm(int m, int n, int k, double alpha, double* a, long aRow, long aCol, double* b, long bRow, long bCol, double beta, double* c, long cRow)
        => Run(m, n, k, alpha, a, aRow, aCol, b, bRow, bCol, beta, c, cRow);

    private static void Run<T>(int m, int n, int k, T alpha, T* a, long aRow, long aCol, T* b, long bRow, long bCol, T beta, T* c, long cRow)
        where T : unmanaged, INumber<T>
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentException($"Gemm: dimensions must be non-negative, got m={m}, n={n}, k={k}");
        if (m == 0 || n == 0) return;
        if (c == null) throw new ArgumentException($"Gemm: C is null for a {m}x{n} result");
        if (m > 1 && cRow < n)
            throw new ArgumentException($"Gemm: C row stride {cRow} is smaller than n={n}, so rows would overlap");
        if (k == 0 || alpha == T.Zero)
        {
            ScaleC(m, n, beta, c, cRow);
            return;
        }

        if (a == null || b == null) throw new ArgumentException($"Gemm: A or B is null for m={m}, n={n}, k={k}");

        // Matrix-vector products (one observation through a layer) are memory-bound: dot products or row updates on
        // the operands in place beat any packing, which would also waste 11 of the kernel's 12 rows.
        if (m == 1 && bRow == 1)
        {
            // c[j] = alpha * dot(a, column j of B), each column contiguous (B is a transposed weight, as in x @ W^T)
            DotRows(n, k, b, bCol, a, aCol, c, 1, alpha, beta);
            return;
        }

        if (n == 1 && aCol == 1)
        {
            // c[i] = alpha * dot(row i of A, b)
            DotRows(m, k, a, aRow, b, bRow, c, cRow, alpha, beta);
            return;
        }

        if (m == 1 && bCol == 1)
        {
            // c = beta * c + sum_p (alpha * a[p]) * row p of B
            ScaleC(1, n, beta, c, cRow);
            var row = new Span<T>(c, n);
            for (int q = 0; q < k; q++)
                TensorPrimitives.MultiplyAdd(new ReadOnlySpan<T>(b + q * bRow, n), alpha * a[q * aCol], row, row);
            return;
        }

        var p = new Problem<T>(alpha, beta, a, aRow, aCol, b, bRow, bCol, c, cRow);
        long work = (long)m * n * k;
        if (work <= SmallWork && k <= KC * sizeof(float) / sizeof(T))
        {
            Small(p, m, n, k);
            return;
        }

        int threads = work >= ParallelWork ? MaxThreads : 1;
        if (threads <= 1)
        {
            Blocked(p, m, n, k);
            return;
        }

        // Split the output into one slab per thread along its longer side, in whole tiles so no two threads share a tile.
        // Each slab is an independent product with its own packing buffers: no barriers, and the only duplicated work is
        // packing the shared operand, O(k*(m or n)) against O(m*n*k/threads) multiply-adds.
        bool byRows = m >= n;
        int tile = byRows ? MrFor<T>() : NrFor<T>();
        int extent = byRows ? m : n;
        int tiles = (extent + tile - 1) / tile;
        int parts = Math.Min(threads, tiles);
        if (parts <= 1)
        {
            Blocked(p, m, n, k);
            return;
        }

        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
        {
            int start = (int)((long)tiles * part / parts) * tile;
            int end = Math.Min(extent, (int)((long)tiles * (part + 1) / parts) * tile);
            if (end <= start) return;
            if (byRows) Blocked(p.OffsetRows(start), end - start, n, k);
            else Blocked(p.OffsetColumns(start), m, end - start, k);
        });
    }

    private static bool Use512 => Vector512.IsHardwareAccelerated && !Force256;

    private static int MrFor<T>() => Use512 ? GemmMicroKernel.Mr512 : GemmMicroKernel.Mr256;

    private static int NrFor<T>() => Use512 ? 2 * Vector512<T>.Count : 2 * Vector256<T>.Count;

    private static void Kernel<T>(bool use512, int k, T* a, long aRow, long aCol, T* b, T* c, long cRow, int mr, int nr, T alpha, T beta, bool betaZero)
        where T : unmanaged, INumber<T>
    {
        if (use512) GemmMicroKernel.Kernel512(k, a, aRow, aCol, b, c, cRow, mr, nr, alpha, beta, betaZero);
        else GemmMicroKernel.Kernel256(k, a, aRow, aCol, b, c, cRow, mr, nr, alpha, beta, betaZero);
    }

    /// <summary>Small products: pack only B (the kernel needs NR-wide rows) and read A in place through its strides.</summary>
    private static void Small<T>(in Problem<T> p, int m, int n, int k) where T : unmanaged, INumber<T>
    {
        bool use512 = Use512;
        int mr = MrFor<T>(), nr = NrFor<T>();
        T* pb = GemmPacking.BufferB<T>((long)k * ((n + nr - 1) / nr * nr));
        GemmPacking.PackB(k, n, p.B, p.BRow, p.BCol, pb, nr);
        bool betaZero = p.Beta == T.Zero;
        for (int jr = 0; jr < n; jr += nr)
        {
            int w = Math.Min(nr, n - jr);
            for (int ir = 0; ir < m; ir += mr)
                Kernel(use512, k, p.A + ir * p.ARow, p.ARow, p.ACol, pb + (long)jr * k, p.C + ir * p.CRow + jr, p.CRow,
                    Math.Min(mr, m - ir), w, p.Alpha, p.Beta, betaZero);
        }
    }

    /// <summary>The single-threaded packed product over the whole of (m, n, k) of <paramref name="p"/>.</summary>
    private static void Blocked<T>(in Problem<T> p, int m, int n, int k) where T : unmanaged, INumber<T>
    {
        bool use512 = Use512;
        int mr = MrFor<T>(), nr = NrFor<T>();
        int kcMax = Math.Min(KC * sizeof(float) / sizeof(T), k);
        int mcBlock = Math.Max(mr, MC * sizeof(float) / sizeof(T));
        int mcMax = Math.Min((mcBlock + mr - 1) / mr * mr, (m + mr - 1) / mr * mr);
        int ncMax = Math.Min(NC, (n + nr - 1) / nr * nr);
        T* pa = GemmPacking.BufferA<T>((long)mcMax * kcMax);
        T* pb = GemmPacking.BufferB<T>((long)kcMax * ncMax);
        bool betaZero = p.Beta == T.Zero;
        for (int jc = 0; jc < n; jc += ncMax)
        {
            int nc = Math.Min(ncMax, n - jc);
            for (int pc = 0; pc < k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, k - pc);
                GemmPacking.PackB(kc, nc, p.B + pc * p.BRow + jc * p.BCol, p.BRow, p.BCol, pb, nr);
                // The first k block applies beta; later blocks accumulate onto what it wrote.
                bool first = pc == 0;
                T beta = first ? p.Beta : T.One;
                bool bz = first && betaZero;
                for (int ic = 0; ic < m; ic += mcMax)
                {
                    int mc = Math.Min(mcMax, m - ic);
                    GemmPacking.PackA(mc, kc, p.A + ic * p.ARow + pc * p.ACol, p.ARow, p.ACol, pa, mr);
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int w = Math.Min(nr, nc - jr);
                        T* bPanel = pb + (long)jr * kc;
                        T* cCol = p.C + jc + jr;
                        for (int ir = 0; ir < mc; ir += mr)
                            Kernel(use512, kc, pa + (long)ir * kc, 1, mr, bPanel, cCol + (ic + ir) * p.CRow, p.CRow,
                                Math.Min(mr, mc - ir), w, p.Alpha, beta, bz);
                    }
                }
            }
        }
    }

    /// <summary>
    /// out[e * outStride] = alpha * dot(x row e, v) + beta * out[e * outStride] for e &lt; count, where x row e is the
    /// contiguous run x[e * xRow .. + len] and v has stride vStride (gathered into a buffer when not contiguous).
    /// </summary>
    private static void DotRows<T>(int count, int len, T* x, long xRow, T* v, long vStride, T* output, long outStride, T alpha, T beta)
        where T : unmanaged, INumber<T>
    {
        if (vStride != 1)
        {
            T* packed = GemmPacking.BufferB<T>(len);
            for (int q = 0; q < len; q++) packed[q] = v[q * vStride];
            v = packed;
        }

        var vector = new ReadOnlySpan<T>(v, len);
        bool betaZero = beta == T.Zero;
        for (int e = 0; e < count; e++)
        {
            T dot = alpha * TensorPrimitives.Dot(new ReadOnlySpan<T>(x + e * xRow, len), vector);
            T* o = output + e * outStride;
            *o = betaZero ? dot : dot + beta * *o;
        }
    }

    /// <summary>C = beta * C, without reading C when beta is zero.</summary>
    private static void ScaleC<T>(int m, int n, T beta, T* c, long cRow) where T : unmanaged, INumber<T>
    {
        if (beta == T.One) return;
        for (int i = 0; i < m; i++)
        {
            var row = new Span<T>(c + i * cRow, n);
            if (beta == T.Zero) row.Clear();
            else TensorPrimitives.Multiply(row, beta, row);
        }
    }

    /// <summary>The operands of one product, as addresses so that thread-pool lambdas can carry them.</summary>
    private readonly struct Problem<T>(T alpha, T beta, T* a, long aRow, long aCol, T* b, long bRow, long bCol, T* c, long cRow)
        where T : unmanaged
    {
        public readonly T Alpha = alpha, Beta = beta;
        private readonly nint a = (nint)a, b = (nint)b, c = (nint)c;
        public readonly long ARow = aRow, ACol = aCol, BRow = bRow, BCol = bCol, CRow = cRow;

        public T* A => (T*)a;
        public T* B => (T*)b;
        public T* C => (T*)c;

        /// <summary>The same product restricted to output rows from <paramref name="row"/> on.</summary>
        public Problem<T> OffsetRows(int row) => new(Alpha, Beta, A + row * ARow, ARow, ACol, B, BRow, BCol, C + row * CRow, CRow);

        /// <summary>The same product restricted to output columns from <paramref name="col"/> on.</summary>
        public Problem<T> OffsetColumns(int col) => new(Alpha, Beta, A, ARow, ACol, B + col * BCol, BRow, BCol, C + col, CRow);
    }
}
