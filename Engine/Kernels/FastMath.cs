using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RlPlat.Engine.Kernels;

/// <summary>
/// float32 exp and tanh over spans with AVX-512, in float arithmetic throughout (Cephes' expf/tanhf: range reduction,
/// a degree-6 polynomial, errors within 2 ulp). TensorPrimitives computes float exp by widening to double, which made
/// exp on 64 elements cost as much as three small ops and tanh the largest part of an MLP forward pass.
/// Callers fall back to TensorPrimitives where <see cref="IsSupported"/> is false.
/// </summary>
internal static class FastMath
{
    /// <summary>True where the AVX-512 kernels run (Vector512 accelerated).</summary>
    public static bool IsSupported => Vector512.IsHardwareAccelerated;

    /// <summary>y = exp(x); x and y may be the same span.</summary>
    public static void Exp(ReadOnlySpan<float> x, Span<float> y) => Run<ExpKernel>(x, y);

    /// <summary>y = tanh(x); x and y may be the same span.</summary>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y) => Run<TanhKernel>(x, y);

    private interface IKernel
    {
        static abstract Vector512<float> Apply(Vector512<float> x);
    }

    private struct ExpKernel : IKernel
    {
        public static Vector512<float> Apply(Vector512<float> x) => ExpVector(x);
    }

    private struct TanhKernel : IKernel
    {
        public static Vector512<float> Apply(Vector512<float> x) => TanhVector(x);
    }

    private static void Run<TKernel>(ReadOnlySpan<float> x, Span<float> y) where TKernel : IKernel
    {
        if (x.Length != y.Length) throw new ArgumentException($"FastMath: input length {x.Length} differs from output length {y.Length}");
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int n = x.Length, i = 0;
        for (; i <= n - 16; i += 16)
            TKernel.Apply(Vector512.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
        if (i == n) return;
        // The tail goes through a padded vector on the stack: no per-element fallback, and in place stays correct.
        Span<float> tail = stackalloc float[16];
        tail.Clear();
        x[i..].CopyTo(tail);
        TKernel.Apply(Vector512.Create<float>(tail)).CopyTo(tail);
        tail[..(n - i)].CopyTo(y[i..]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ExpVector(Vector512<float> x)
    {
        // exp(x) = 2^k · exp(r), k = round(x / ln 2), r = x - k·ln 2 (ln 2 split in two for precision). The clamp keeps
        // k in [-150, 128] (below -104 the result rounds to 0); 2^k is applied as two factors so results in the subnormal range and the overflow to +inf
        // come out as MathF.Exp gives them.
        var xc = Vector512.Min(Vector512.Max(x, Vector512.Create(-104f)), Vector512.Create(88.7284f));
        var k = Vector512.Round(xc * Vector512.Create(1.44269504088896341f));
        var r = Vector512.FusedMultiplyAdd(k, Vector512.Create(-0.693359375f), xc);
        r = Vector512.FusedMultiplyAdd(k, Vector512.Create(2.12194440e-4f), r);
        var p = Vector512.Create(1.9875691500e-4f);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.3981999507e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(8.3334519073e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(4.1665795894e-2f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.6666665459e-1f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(5.0000001201e-1f));
        var e = Vector512.FusedMultiplyAdd(p, r * r, r) + Vector512<float>.One;
        var ki = Vector512.ConvertToInt32(k);
        var k1 = Vector512.ShiftRightArithmetic(ki, 1);
        var k2 = ki - k1;
        var s1 = Vector512.ShiftLeft(k1 + Vector512.Create(127), 23).AsSingle();
        var s2 = Vector512.ShiftLeft(k2 + Vector512.Create(127), 23).AsSingle();
        var result = e * s1 * s2;
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), result, x); // NaN stays NaN
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> TanhVector(Vector512<float> x)
    {
        // |x| < 0.625: odd polynomial x + x³·P(x²); above: 1 - 2 / (exp(2|x|) + 1), which saturates to 1 for large |x|.
        var ax = Vector512.Abs(x);
        var z = x * x;
        var p = Vector512.Create(-5.70498872745e-3f);
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(2.06390887954e-2f));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(-5.37397155531e-2f));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(1.33314422036e-1f));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(-3.33332819422e-1f));
        var small = Vector512.FusedMultiplyAdd(p * z, x, x);
        var e = ExpVector(ax + ax);
        var large = Vector512<float>.One - Vector512.Create(2f) / (e + Vector512<float>.One);
        // tanh is odd: the sign of x, also for -0 (which the polynomial turns into +0).
        var result = Vector512.CopySign(Vector512.ConditionalSelect(Vector512.LessThan(ax, Vector512.Create(0.625f)), small, large), x);
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), result, x);
    }
}
