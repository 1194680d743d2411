using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RlPlat.Engine.Kernels;

/// <summary>A binary op that also has a 256-bit vector form (add, sub, mul, div), for <see cref="CacheRows"/>.</summary>
public interface IVectorBinaryOp : INumericBinaryOp
{
    static abstract Vector256<T> ApplyVector<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged;
}

/// <summary>
/// Float and double add, sub, mul and div over contiguous rows that live in the cache (1K elements to 256 KB: the
/// 16K-element chunks that <see cref="Elementwise"/> cuts large rows into, and small rows). Four 256-bit vectors per step
/// with the stores aligned to cache lines. On the Zen 5 machines here (2 threads, quiet, one process against the build
/// before it) a 1M add ran at 215-237 GB/s in place and 146-161 GB/s into a reused tensor, against 200-212 and 134-147
/// through TensorPrimitives (its 512-bit path); at 16M, bound by memory, both match. Rows outside that range keep
/// TensorPrimitives: it handles short rows with masked tails, and streams rows beyond 256 KB past the cache.
/// The results are the same bits: each element is one IEEE operation either way.
/// </summary>
internal static unsafe class CacheRows
{
    /// <summary>Rows from this many elements on.</summary>
    internal const int MinElements = 1024;

    /// <summary>Rows up to this many bytes (TensorPrimitives' own threshold for streaming stores).</summary>
    internal const int MaxBytes = 256 * 1024;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Takes<T>(int n) =>
        (typeof(T) == typeof(float) || typeof(T) == typeof(double)) && n >= MinElements && (long)n * Unsafe.SizeOf<T>() <= MaxBytes && Vector256.IsHardwareAccelerated;

    /// <summary>
    /// y = op(a, b) when the row is this kernel's (float or double, 1K elements to 256 KB, a and b either y itself or
    /// apart from it); false otherwise, and the caller uses TensorPrimitives.
    /// </summary>
    internal static bool TryApply<T, TOp>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, INumber<T> where TOp : IVectorBinaryOp
    {
        if (!Takes<T>(y.Length) || a.Length != y.Length || b.Length != y.Length || PartlyOverlaps(a, y) || PartlyOverlaps(b, y)) return false;
        fixed (T* pa = a, pb = b, py = y) Run<T, TOp, Row<T>, Row<T>>(new Row<T>(pa), new Row<T>(pb), py, y.Length);
        return true;
    }

    /// <summary>y = op(a, s), as <see cref="TryApply{T, TOp}(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>.</summary>
    internal static bool TryApply<T, TOp>(ReadOnlySpan<T> a, T s, Span<T> y) where T : unmanaged, INumber<T> where TOp : IVectorBinaryOp
    {
        if (!Takes<T>(y.Length) || a.Length != y.Length || PartlyOverlaps(a, y)) return false;
        fixed (T* pa = a, py = y) Run<T, TOp, Row<T>, Broadcast<T>>(new Row<T>(pa), new Broadcast<T>(s), py, y.Length);
        return true;
    }

    /// <summary>y = op(s, b), as <see cref="TryApply{T, TOp}(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>.</summary>
    internal static bool TryApply<T, TOp>(T s, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, INumber<T> where TOp : IVectorBinaryOp
    {
        if (!Takes<T>(y.Length) || b.Length != y.Length || PartlyOverlaps(b, y)) return false;
        fixed (T* pb = b, py = y) Run<T, TOp, Broadcast<T>, Row<T>>(new Broadcast<T>(s), new Row<T>(pb), py, y.Length);
        return true;
    }

    private static bool PartlyOverlaps<T>(ReadOnlySpan<T> x, Span<T> y) => x.Overlaps(y, out int offset) && offset != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Run<T, TOp, TA, TB>(TA a, TB b, T* y, int n)
        where T : unmanaged, INumber<T> where TOp : IVectorBinaryOp where TA : struct, IOperand<T> where TB : struct, IOperand<T>
    {
        int lanes = Vector256<T>.Count, i = 0;
        // Elements one at a time until y is at a cache-line boundary: then no store splits a line.
        int peel = Math.Min(n, (int)((64 - ((nint)y & 63)) & 63) / sizeof(T));
        for (; i < peel; i++) y[i] = TOp.Apply(a.At(i), b.At(i));
        for (; i <= n - 4 * lanes; i += 4 * lanes)
        {
            var y0 = TOp.ApplyVector(a.Vector(i), b.Vector(i));
            var y1 = TOp.ApplyVector(a.Vector(i + lanes), b.Vector(i + lanes));
            var y2 = TOp.ApplyVector(a.Vector(i + 2 * lanes), b.Vector(i + 2 * lanes));
            var y3 = TOp.ApplyVector(a.Vector(i + 3 * lanes), b.Vector(i + 3 * lanes));
            Vector256.Store(y0, y + i);
            Vector256.Store(y1, y + i + lanes);
            Vector256.Store(y2, y + i + 2 * lanes);
            Vector256.Store(y3, y + i + 3 * lanes);
        }
        for (; i <= n - lanes; i += lanes) Vector256.Store(TOp.ApplyVector(a.Vector(i), b.Vector(i)), y + i);
        for (; i < n; i++) y[i] = TOp.Apply(a.At(i), b.At(i));
    }

    private interface IOperand<T> where T : unmanaged
    {
        T At(int i);
        Vector256<T> Vector(int i);
    }

    private readonly struct Row<T>(T* p) : IOperand<T> where T : unmanaged
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public T At(int i) => p[i];
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<T> Vector(int i) => Vector256.Load(p + i);
    }

    private readonly struct Broadcast<T>(T s) : IOperand<T> where T : unmanaged
    {
        private readonly Vector256<T> v = Vector256.Create(s);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public T At(int i) => s;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<T> Vector(int i) => v;
    }
}
