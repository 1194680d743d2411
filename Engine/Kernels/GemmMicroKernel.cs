using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RlPlat.Engine.Kernels;

/// <summary>
/// Register-blocked GEMM micro-kernels: an MR x NR tile of C from an A panel read through row pointers and an NR-wide
/// packed B panel. Generic over float/double; the JIT specializes each instantiation, so the type tests fold away.
/// </summary>
internal static unsafe class GemmMicroKernel
{
    /// <summary>Rows per tile of the 512-bit kernel: 12 x 2 accumulators + 2 B vectors + 1 broadcast fit the 32 zmm registers.</summary>
    public const int Mr512 = 12;

    /// <summary>Rows per tile of the 256-bit kernel: 6 x 2 accumulators + 2 B vectors + 1 broadcast fit the 16 ymm registers.</summary>
    public const int Mr256 = 6;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fma<T>(Vector512<T> x, Vector512<T> y, Vector512<T> acc)
    {
        if (typeof(T) == typeof(float)) return Vector512.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), acc.AsSingle()).As<float, T>();
        return Vector512.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), acc.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Fma<T>(Vector256<T> x, Vector256<T> y, Vector256<T> acc)
    {
        if (typeof(T) == typeof(float)) return Vector256.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), acc.AsSingle()).As<float, T>();
        return Vector256.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), acc.AsDouble()).As<double, T>();
    }

    /// <summary>
    /// C[0..mr, 0..nr] = alpha * A*B + beta * C (beta ignored and C not read when <paramref name="betaZero"/>).
    /// A row i at a + i*aRow, advancing by aCol per k step; rows past mr repeat row mr-1 (computed, never stored), except
    /// for packed A (aRow 1, aCol MR), whose panel must hold MR readable rows (zero-padded past mr).
    /// B is packed: k rows of 2*Vector512&lt;T&gt;.Count contiguous elements, zero-padded past nr.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel512<T>(int k, T* a, long aRow, long aCol, T* b, T* c, long cRow, int mr, int nr, T alpha, T beta, bool betaZero)
        where T : unmanaged, INumber<T>
    {
        int w = Vector512<T>.Count;
        Vector512<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<T> c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default;
        Vector512<T> c90 = default, c91 = default, ca0 = default, ca1 = default, cb0 = default, cb1 = default;
        if (aRow == 1 && aCol == Mr512)
        {
            // Packed A: the 12 values of step p sit side by side, so every broadcast is a constant offset from one pointer.
            for (int p = 0; p < k; p++)
            {
                Vector512<T> b0 = Vector512.Load(b), b1 = Vector512.Load(b + w);
                Vector512<T> x = Vector512.Create(a[0]); c00 = Fma(x, b0, c00); c01 = Fma(x, b1, c01);
                x = Vector512.Create(a[1]); c10 = Fma(x, b0, c10); c11 = Fma(x, b1, c11);
                x = Vector512.Create(a[2]); c20 = Fma(x, b0, c20); c21 = Fma(x, b1, c21);
                x = Vector512.Create(a[3]); c30 = Fma(x, b0, c30); c31 = Fma(x, b1, c31);
                x = Vector512.Create(a[4]); c40 = Fma(x, b0, c40); c41 = Fma(x, b1, c41);
                x = Vector512.Create(a[5]); c50 = Fma(x, b0, c50); c51 = Fma(x, b1, c51);
                x = Vector512.Create(a[6]); c60 = Fma(x, b0, c60); c61 = Fma(x, b1, c61);
                x = Vector512.Create(a[7]); c70 = Fma(x, b0, c70); c71 = Fma(x, b1, c71);
                x = Vector512.Create(a[8]); c80 = Fma(x, b0, c80); c81 = Fma(x, b1, c81);
                x = Vector512.Create(a[9]); c90 = Fma(x, b0, c90); c91 = Fma(x, b1, c91);
                x = Vector512.Create(a[10]); ca0 = Fma(x, b0, ca0); ca1 = Fma(x, b1, ca1);
                x = Vector512.Create(a[11]); cb0 = Fma(x, b0, cb0); cb1 = Fma(x, b1, cb1);
                a += Mr512;
                b += 2 * w;
            }
        }
        else
        {
            // A in place: byte offsets of each row from row 0; clamped rows alias the last valid row so edge tiles need
            // no branches (their results are computed but never stored).
            long rs = aRow * sizeof(T);
            long o1 = Math.Min(1, mr - 1) * rs, o2 = Math.Min(2, mr - 1) * rs, o3 = Math.Min(3, mr - 1) * rs;
            long o4 = Math.Min(4, mr - 1) * rs, o5 = Math.Min(5, mr - 1) * rs, o6 = Math.Min(6, mr - 1) * rs;
            long o7 = Math.Min(7, mr - 1) * rs, o8 = Math.Min(8, mr - 1) * rs, o9 = Math.Min(9, mr - 1) * rs;
            long o10 = Math.Min(10, mr - 1) * rs, o11 = Math.Min(11, mr - 1) * rs;
            long step = aCol * sizeof(T);
            byte* pa = (byte*)a;
            for (int p = 0; p < k; p++)
            {
                Vector512<T> b0 = Vector512.Load(b), b1 = Vector512.Load(b + w);
                Vector512<T> x = Vector512.Create(*(T*)pa); c00 = Fma(x, b0, c00); c01 = Fma(x, b1, c01);
                x = Vector512.Create(*(T*)(pa + o1)); c10 = Fma(x, b0, c10); c11 = Fma(x, b1, c11);
                x = Vector512.Create(*(T*)(pa + o2)); c20 = Fma(x, b0, c20); c21 = Fma(x, b1, c21);
                x = Vector512.Create(*(T*)(pa + o3)); c30 = Fma(x, b0, c30); c31 = Fma(x, b1, c31);
                x = Vector512.Create(*(T*)(pa + o4)); c40 = Fma(x, b0, c40); c41 = Fma(x, b1, c41);
                x = Vector512.Create(*(T*)(pa + o5)); c50 = Fma(x, b0, c50); c51 = Fma(x, b1, c51);
                x = Vector512.Create(*(T*)(pa + o6)); c60 = Fma(x, b0, c60); c61 = Fma(x, b1, c61);
                x = Vector512.Create(*(T*)(pa + o7)); c70 = Fma(x, b0, c70); c71 = Fma(x, b1, c71);
                x = Vector512.Create(*(T*)(pa + o8)); c80 = Fma(x, b0, c80); c81 = Fma(x, b1, c81);
                x = Vector512.Create(*(T*)(pa + o9)); c90 = Fma(x, b0, c90); c91 = Fma(x, b1, c91);
                x = Vector512.Create(*(T*)(pa + o10)); ca0 = Fma(x, b0, ca0); ca1 = Fma(x, b1, ca1);
                x = Vector512.Create(*(T*)(pa + o11)); cb0 = Fma(x, b0, cb0); cb1 = Fma(x, b1, cb1);
                pa += step;
                b += 2 * w;
            }
        }

        Vector512<T> va = Vector512.Create(alpha), vb = Vector512.Create(beta);
        if (mr == Mr512 && nr == 2 * w)
        {
            Store(c, c00, c01, va, vb, betaZero); Store(c + cRow, c10, c11, va, vb, betaZero);
            Store(c + 2 * cRow, c20, c21, va, vb, betaZero); Store(c + 3 * cRow, c30, c31, va, vb, betaZero);
            Store(c + 4 * cRow, c40, c41, va, vb, betaZero); Store(c + 5 * cRow, c50, c51, va, vb, betaZero);
            Store(c + 6 * cRow, c60, c61, va, vb, betaZero); Store(c + 7 * cRow, c70, c71, va, vb, betaZero);
            Store(c + 8 * cRow, c80, c81, va, vb, betaZero); Store(c + 9 * cRow, c90, c91, va, vb, betaZero);
            Store(c + 10 * cRow, ca0, ca1, va, vb, betaZero); Store(c + 11 * cRow, cb0, cb1, va, vb, betaZero);
            return;
        }

        // Edge tile: spill the accumulators and write only the valid part.
        T* tile = stackalloc T[Mr512 * 2 * Vector512<T>.Count];
        int ld = 2 * w;
        c00.Store(tile); c01.Store(tile + w); c10.Store(tile + ld); c11.Store(tile + ld + w);
        c20.Store(tile + 2 * ld); c21.Store(tile + 2 * ld + w); c30.Store(tile + 3 * ld); c31.Store(tile + 3 * ld + w);
        c40.Store(tile + 4 * ld); c41.Store(tile + 4 * ld + w); c50.Store(tile + 5 * ld); c51.Store(tile + 5 * ld + w);
        c60.Store(tile + 6 * ld); c61.Store(tile + 6 * ld + w); c70.Store(tile + 7 * ld); c71.Store(tile + 7 * ld + w);
        c80.Store(tile + 8 * ld); c81.Store(tile + 8 * ld + w); c90.Store(tile + 9 * ld); c91.Store(tile + 9 * ld + w);
        ca0.Store(tile + 10 * ld); ca1.Store(tile + 10 * ld + w); cb0.Store(tile + 11 * ld); cb1.Store(tile + 11 * ld + w);
        StoreEdge(tile, ld, c, cRow, mr, nr, alpha, beta, betaZero);
    }

    /// <summary>The 256-bit twin of <see cref="Kernel512{T}"/> for machines without AVX-512 (6 rows, 2 vectors wide).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel256<T>(int k, T* a, long aRow, long aCol, T* b, T* c, long cRow, int mr, int nr, T alpha, T beta, bool betaZero)
        where T : unmanaged, INumber<T>
    {
        int w = Vector256<T>.Count;
        long rs = aRow * sizeof(T);
        long o1 = Math.Min(1, mr - 1) * rs, o2 = Math.Min(2, mr - 1) * rs, o3 = Math.Min(3, mr - 1) * rs;
        long o4 = Math.Min(4, mr - 1) * rs, o5 = Math.Min(5, mr - 1) * rs;
        long step = aCol * sizeof(T);
        byte* pa = (byte*)a;
        Vector256<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < k; p++)
        {
            Vector256<T> b0 = Vector256.Load(b), b1 = Vector256.Load(b + w);
            Vector256<T> x = Vector256.Create(*(T*)pa);
            c00 = Fma(x, b0, c00); c01 = Fma(x, b1, c01);
            x = Vector256.Create(*(T*)(pa + o1)); c10 = Fma(x, b0, c10); c11 = Fma(x, b1, c11);
            x = Vector256.Create(*(T*)(pa + o2)); c20 = Fma(x, b0, c20); c21 = Fma(x, b1, c21);
            x = Vector256.Create(*(T*)(pa + o3)); c30 = Fma(x, b0, c30); c31 = Fma(x, b1, c31);
            x = Vector256.Create(*(T*)(pa + o4)); c40 = Fma(x, b0, c40); c41 = Fma(x, b1, c41);
            x = Vector256.Create(*(T*)(pa + o5)); c50 = Fma(x, b0, c50); c51 = Fma(x, b1, c51);
            pa += step;
            b += 2 * w;
        }

        Vector256<T> va = Vector256.Create(alpha), vb = Vector256.Create(beta);
        if (mr == Mr256 && nr == 2 * w)
        {
            Store(c, c00, c01, va, vb, betaZero); Store(c + cRow, c10, c11, va, vb, betaZero);
            Store(c + 2 * cRow, c20, c21, va, vb, betaZero); Store(c + 3 * cRow, c30, c31, va, vb, betaZero);
            Store(c + 4 * cRow, c40, c41, va, vb, betaZero); Store(c + 5 * cRow, c50, c51, va, vb, betaZero);
            return;
        }

        T* tile = stackalloc T[Mr256 * 2 * Vector256<T>.Count];
        int ld = 2 * w;
        c00.Store(tile); c01.Store(tile + w); c10.Store(tile + ld); c11.Store(tile + ld + w);
        c20.Store(tile + 2 * ld); c21.Store(tile + 2 * ld + w); c30.Store(tile + 3 * ld); c31.Store(tile + 3 * ld + w);
        c40.Store(tile + 4 * ld); c41.Store(tile + 4 * ld + w); c50.Store(tile + 5 * ld); c51.Store(tile + 5 * ld + w);
        StoreEdge(tile, ld, c, cRow, mr, nr, alpha, beta, betaZero);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(T* c, Vector512<T> lo, Vector512<T> hi, Vector512<T> alpha, Vector512<T> beta, bool betaZero)
        where T : unmanaged
    {
        T* c1 = c + Vector512<T>.Count;
        if (betaZero)
        {
            (alpha * lo).Store(c);
            (alpha * hi).Store(c1);
        }
        else
        {
            Fma(alpha, lo, beta * Vector512.Load(c)).Store(c);
            Fma(alpha, hi, beta * Vector512.Load(c1)).Store(c1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(T* c, Vector256<T> lo, Vector256<T> hi, Vector256<T> alpha, Vector256<T> beta, bool betaZero)
        where T : unmanaged
    {
        T* c1 = c + Vector256<T>.Count;
        if (betaZero)
        {
            (alpha * lo).Store(c);
            (alpha * hi).Store(c1);
        }
        else
        {
            Fma(alpha, lo, beta * Vector256.Load(c)).Store(c);
            Fma(alpha, hi, beta * Vector256.Load(c1)).Store(c1);
        }
    }

    private static void StoreEdge<T>(T* tile, int ld, T* c, long cRow, int mr, int nr, T alpha, T beta, bool betaZero)
        where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < mr; i++)
        {
            T* src = tile + i * ld;
            T* dst = c + i * cRow;
            if (betaZero)
                for (int j = 0; j < nr; j++) dst[j] = alpha * src[j];
            else
                for (int j = 0; j < nr; j++) dst[j] = alpha * src[j] + beta * dst[j];
        }
    }
}
