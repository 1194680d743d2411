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

    /// <summary>
    /// At or above this m*n*k (about 50 us on one core) the product is split across threads. Below it, waking a thread
    /// and waiting for the slower half costs more than it saves, and on a busy machine the wait can be a whole time slice.
    /// </summary>
    internal static long ParallelWork = 160 * 160 * 160;

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
        int rowTiles = (m + Mr - 1) / Mr;
        if (threads <= 1 || rowTiles >= threads)
        {
            // Threads share each packed block of B and take disjoint row ranges of A and C.
            Blocked(p, m, n, k, Math.Min(threads, rowTiles));
            return;
        }

        // Too few rows to share out (a wide, flat product): give each thread its own column slab, in whole NR panels.
        int nr = NrFor<T>();
        int colTiles = (n + nr - 1) / nr;
        int parts = Math.Min(threads, colTiles);
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
        {
            int start = (int)((long)colTiles * part / parts) * nr;
            int end = Math.Min(n, (int)((long)colTiles * (part + 1) / parts) * nr);
            if (end > start) Blocked(p.OffsetColumns(start), m, end - start, k, 1);
        });
    }

    private static bool Use512 => Vector512.IsHardwareAccelerated && !Force256;

    private static int Mr => Use512 ? GemmMicroKernel.Mr512 : GemmMicroKernel.Mr256;

    private static int NrFor<T>() => Use512 ? 2 * Vector512<T>.Count : 2 * Vector256<T>.Count;

    /// <summary>One tile; <paramref name="packedA"/> says A is a zero-padded MR-row panel (aRow 1, aCol MR), not a view.</summary>
    private static void Kernel<T>(bool use512, int k, T* a, long aRow, long aCol, T* b, T* c, long cRow, int mr, int nr, T alpha, T beta, bool betaZero, bool packedA)
        where T : unmanaged, INumber<T>
    {
        if (use512) GemmMicroKernel.Kernel512(k, a, aRow, aCol, b, c, cRow, mr, nr, alpha, beta, betaZero, packedA);
        else GemmMicroKernel.Kernel256(k, a, aRow, aCol, b, c, cRow, mr, nr, alpha, beta, betaZero);
    }

    /// <summary>Small products: pack only B (the kernel needs NR-wide rows) and read A in place through its strides.</summary>
    private static void Small<T>(in Problem<T> p, int m, int n, int k) where T : unmanaged, INumber<T>
    {
        bool use512 = Use512;
        int mr = Mr, nr = NrFor<T>();
        T* pb = GemmPacking.BufferB<T>((long)k * ((n + nr - 1) / nr * nr));
        GemmPacking.PackB(k, n, p.B, p.BRow, p.BCol, pb, nr);
        bool betaZero = p.Beta == T.Zero;
        for (int jr = 0; jr < n; jr += nr)
        {
            int w = Math.Min(nr, n - jr);
            for (int ir = 0; ir < m; ir += mr)
                Kernel(use512, k, p.A + ir * p.ARow, p.ARow, p.ACol, pb + (long)jr * k, p.C + ir * p.CRow + jr, p.CRow,
                    Math.Min(mr, m - ir), w, p.Alpha, p.Beta, betaZero, packedA: false);
        }
    }

    /// <summary>
    /// The packed product over the whole of (m, n, k) of <paramref name="p"/> on <paramref name="parts"/> threads: for each
    /// KC x NC block, the threads pack disjoint panels of B into one shared buffer, then each runs the macro-kernel on its
    /// own range of rows (packing its own A blocks). Two Parallel.For calls per block keep it barrier-free.
    /// </summary>
    private static void Blocked<T>(in Problem<T> p, int m, int n, int k, int parts) where T : unmanaged, INumber<T>
    {
        int mr = Mr, nr = NrFor<T>();
        int kcMax = Math.Min(KC * sizeof(float) / sizeof(T), k);
        int ncMax = Math.Min(NC, (n + nr - 1) / nr * nr);
        T* pb = GemmPacking.BufferB<T>((long)kcMax * ncMax);
        var options = parts > 1 ? new ParallelOptions { MaxDegreeOfParallelism = parts } : null;
        int rowTiles = (m + mr - 1) / mr;
        for (int jc = 0; jc < n; jc += ncMax)
        {
            int nc = Math.Min(ncMax, n - jc);
            for (int pc = 0; pc < k; pc += kcMax)
            {
                var block = new Block<T>(p, jc, nc, pc, Math.Min(kcMax, k - pc), pb);
                if (options is null)
                {
                    block.PackB(0, nc);
                    block.Multiply(0, m);
                    continue;
                }

                int panels = (nc + nr - 1) / nr;
                Parallel.For(0, parts, options, t =>
                    block.PackB((int)((long)panels * t / parts) * nr, Math.Min(nc, (int)((long)panels * (t + 1) / parts) * nr)));
                Parallel.For(0, parts, options, t =>
                    block.Multiply((int)((long)rowTiles * t / parts) * mr, Math.Min(m, (int)((long)rowTiles * (t + 1) / parts) * mr)));
            }
        }
    }

    /// <summary>One KC x NC block of the product: B rows pc.. and columns jc.. packed into a shared buffer.</summary>
    private readonly struct Block<T>(Problem<T> p, int jc, int nc, int pc, int kc, T* packedB) where T : unmanaged, INumber<T>
    {
        private readonly nint pb = (nint)packedB;

        /// <summary>Packs the block's columns [from, to) of B (from a multiple of NR) into the shared buffer.</summary>
        public void PackB(int from, int to)
        {
            if (to <= from) return;
            GemmPacking.PackB(kc, to - from, p.B + pc * p.BRow + (jc + from) * p.BCol, p.BRow, p.BCol, (T*)pb + (long)from * kc, NrFor<T>());
        }

        /// <summary>Runs the macro-kernel for rows [from, to) of C against the packed block, packing A into this thread's buffer.</summary>
        public void Multiply(int from, int to)
        {
            if (to <= from) return;
            bool use512 = Use512;
            int mr = Mr, nr = NrFor<T>();
            int mcBlock = Math.Max(mr, MC * sizeof(float) / sizeof(T));
            int mcMax = Math.Min((mcBlock + mr - 1) / mr * mr, (to - from + mr - 1) / mr * mr);
            T* pa = GemmPacking.BufferA<T>((long)mcMax * kc);
            // The first k block applies beta; later blocks accumulate onto what it wrote.
            bool first = pc == 0;
            T beta = first ? p.Beta : T.One;
            bool betaZero = first && p.Beta == T.Zero;
            for (int ic = from; ic < to; ic += mcMax)
            {
                int mc = Math.Min(mcMax, to - ic);
                GemmPacking.PackA(mc, kc, p.A + ic * p.ARow + pc * p.ACol, p.ARow, p.ACol, pa, mr);
                for (int jr = 0; jr < nc; jr += nr)
                {
                    T* bPanel = (T*)pb + (long)jr * kc;
                    T* cCol = p.C + jc + jr;
                    int w = Math.Min(nr, nc - jr);
                    for (int ir = 0; ir < mc; ir += mr)
                        Kernel(use512, kc, pa + (long)ir * kc, 1, mr, bPanel, cCol + (ic + ir) * p.CRow, p.CRow,
                            Math.Min(mr, mc - ir), w, p.Alpha, beta, betaZero, packedA: true);
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
            GemmPacking.CopyStrided(v, vStride, packed, 1, len);
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

        /// <summary>The same product restricted to output columns from <paramref name="col"/> on.</summary>
        public Problem<T> OffsetColumns(int col) => new(Alpha, Beta, A, ARow, ACol, B + col * BCol, BRow, BCol, C + col, CRow);
    }
}
