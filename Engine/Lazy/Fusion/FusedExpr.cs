using System.Runtime.CompilerServices;

namespace RlPlat.Engine.Lazy.Fusion;

/// <summary>
/// One node of a fused elementwise expression. Expressions are nested generic struct types composed at run time
/// (<c>Mul&lt;Add&lt;In0, C0&gt;, In1&gt;</c>); the JIT specializes a kernel for each such type and inlines the whole tree into
/// one SIMD loop. Structs have no state: <c>default(E).Eval(...)</c> is how a node is evaluated, which also keeps the
/// description usable by ILGPU (no ref-type fields, instance methods on structs). Each node is written once over
/// <see cref="ILanes{V}"/>: the kernel picks the width (16 lanes with AVX-512, else 8; 1 for the tail).
/// </summary>
public interface IFusedExpr
{
    /// <summary>The values at elements i..i+V.Count-1.</summary>
    V Eval<V>(ref FusedFrame f, nint i) where V : struct, ILanes<V>;
}

#pragma warning disable CS1591 // each struct is named after the function it computes
public struct Neg<A> : IFusedExpr where A : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Eval<V>(ref FusedFrame f, nint i) where V : struct, ILanes<V> =>
        V.Neg(default(A).Eval<V>(ref f, i));
}
public struct Abs<A> : IFusedExpr where A : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Eval<V>(ref FusedFrame f, nint i) where V : struct, ILanes<V> =>
        V.Abs(default(A).Eval<V>(ref f, i));
}
public struct Square<A> : IFusedExpr where A : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Eval<V>(ref FusedFrame f, nint i) where V : struct, ILanes<V>
    {
        var a = default(A).Eval<V>(ref f, i);
        return V.Mul(a, a);
    }
}
public struct Exp<A> : IFusedExpr where A : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Eval<V>(ref FusedFrame f, nint i) where V : struct, ILanes<V> =>
        FusedMath.Exp(default(A).Eval<V>(ref f, i));
}
public struct Log<A> : IFusedExpr where A : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Eval<V>(ref FusedFrame f, nint i) where V : struct, ILanes<V> =>
        V.Log(default(A).Eval<V>(ref f, i));
}
public struct Sqrt<A> : IFusedExpr where A : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Eval<V>(ref FusedFrame f, nint i) where V : struct, ILanes<V> =>
        V.Sqrt(default(A).Eval<V>(ref f, i));
}
public struct Recip<A> : IFusedExpr where A : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Eval<V>(ref FusedFrame f, nint i) where V : struct, ILanes<V> =>
        V.Div(V.Splat(1f), default(A).Eval<V>(ref f, i));
}
public struct Sin<A> : IFusedExpr where A : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Eval<V>(ref FusedFrame f, nint i) where V : struct, ILanes<V> =>
        V.Sin(default(A).Eval<V>(ref f, i));
}
public struct Cos<A> : IFusedExpr where A : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Eval<V>(ref FusedFrame f, nint i) where V : struct, ILanes<V> =>
        V.Cos(default(A).Eval<V>(ref f, i));
}
public struct Relu<A> : IFusedExpr where A : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Eval<V>(ref FusedFrame f, nint i) where V : struct, ILanes<V> =>
        V.Max(default(A).Eval<V>(ref f, i), V.Splat(0f));
}
public struct Sigmoid<A> : IFusedExpr where A : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Eval<V>(ref FusedFrame f, nint i) where V : struct, ILanes<V> =>
        V.Div(V.Splat(1f), V.Add(V.Splat(1f), FusedMath.Exp(V.Neg(default(A).Eval<V>(ref f, i)))));
}
public struct Tanh<A> : IFusedExpr where A : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Eval<V>(ref FusedFrame f, nint i) where V : struct, ILanes<V> =>
        FusedMath.Tanh(default(A).Eval<V>(ref f, i));
}
public struct Add<A, B> : IFusedExpr where A : struct, IFusedExpr where B : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Eval<V>(ref FusedFrame f, nint i) where V : struct, ILanes<V> =>
        V.Add(default(A).Eval<V>(ref f, i), default(B).Eval<V>(ref f, i));
}
public struct Sub<A, B> : IFusedExpr where A : struct, IFusedExpr where B : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Eval<V>(ref FusedFrame f, nint i) where V : struct, ILanes<V> =>
        V.Sub(default(A).Eval<V>(ref f, i), default(B).Eval<V>(ref f, i));
}
public struct Mul<A, B> : IFusedExpr where A : struct, IFusedExpr where B : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Eval<V>(ref FusedFrame f, nint i) where V : struct, ILanes<V> =>
        V.Mul(default(A).Eval<V>(ref f, i), default(B).Eval<V>(ref f, i));
}
public struct Div<A, B> : IFusedExpr where A : struct, IFusedExpr where B : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Eval<V>(ref FusedFrame f, nint i) where V : struct, ILanes<V> =>
        V.Div(default(A).Eval<V>(ref f, i), default(B).Eval<V>(ref f, i));
}
public struct Max<A, B> : IFusedExpr where A : struct, IFusedExpr where B : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Eval<V>(ref FusedFrame f, nint i) where V : struct, ILanes<V> =>
        V.Max(default(A).Eval<V>(ref f, i), default(B).Eval<V>(ref f, i));
}
public struct Min<A, B> : IFusedExpr where A : struct, IFusedExpr where B : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Eval<V>(ref FusedFrame f, nint i) where V : struct, ILanes<V> =>
        V.Min(default(A).Eval<V>(ref f, i), default(B).Eval<V>(ref f, i));
}
public struct Pow<A, B> : IFusedExpr where A : struct, IFusedExpr where B : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Eval<V>(ref FusedFrame f, nint i) where V : struct, ILanes<V> =>
        V.Pow(default(A).Eval<V>(ref f, i), default(B).Eval<V>(ref f, i));
}
/// <summary>1 where a &gt; b, else 0 (masks in gradients, e.g. relu's).</summary>
public struct Gt<A, B> : IFusedExpr where A : struct, IFusedExpr where B : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Eval<V>(ref FusedFrame f, nint i) where V : struct, ILanes<V> =>
        V.Gt(default(A).Eval<V>(ref f, i), default(B).Eval<V>(ref f, i));
}
/// <summary>a where c is non-zero, else b.</summary>
public struct Select<C, A, B> : IFusedExpr where C : struct, IFusedExpr where A : struct, IFusedExpr where B : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public V Eval<V>(ref FusedFrame f, nint i) where V : struct, ILanes<V> =>
        V.Select(default(C).Eval<V>(ref f, i), default(A).Eval<V>(ref f, i), default(B).Eval<V>(ref f, i));
}
#pragma warning restore CS1591
