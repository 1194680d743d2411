using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RlPlat.Engine.Lazy.Fusion;

/// <summary>A compiled elementwise kernel: dst[i] = E(i) for i in [0, n).</summary>
public delegate void FusedMap(ref FusedFrame frame, ref float dst, nint n);

/// <summary>A compiled fused reduction: the sum of E(i) for i in [0, n).</summary>
public delegate float FusedSum(ref FusedFrame frame, nint n);

/// <summary>The loops that every fused expression type is instantiated into.</summary>
public static class FusedKernels
{
    /// <summary>Writes E over [0, n): 8 lanes at a time, then the tail element by element.</summary>
    // Fully optimized on first call: a kernel runs once per realization, too few calls for tiering to promote it from tier 0.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map<E>(ref FusedFrame frame, ref float dst, nint n) where E : struct, IFusedExpr
    {
        nint i = 0;
        for (; i <= n - 8; i += 8) default(E).EvalVec(ref frame, i).StoreUnsafe(ref dst, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref dst, i) = default(E).Eval(ref frame, i);
    }

    /// <summary>Sums E over [0, n) with four vector accumulators (pairwise-ish, for accuracy and ILP).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Sum<E>(ref FusedFrame frame, nint n) where E : struct, IFusedExpr
    {
        var a0 = Vector256<float>.Zero;
        var a1 = Vector256<float>.Zero;
        nint i = 0;
        for (; i <= n - 16; i += 16)
        {
            a0 += default(E).EvalVec(ref frame, i);
            a1 += default(E).EvalVec(ref frame, i + 8);
        }
        for (; i <= n - 8; i += 8) a0 += default(E).EvalVec(ref frame, i);
        float s = Vector256.Sum(a0 + a1);
        for (; i < n; i++) s += default(E).Eval(ref frame, i);
        return s;
    }
}
