using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RlPlat.Engine.Lazy.Fusion;

/// <summary>
/// One node of a fused elementwise expression. Expressions are nested generic struct types composed at run time
/// (<c>Mul&lt;Add&lt;In0, C0&gt;, In1&gt;</c>); the JIT specializes a kernel for each such type and inlines the whole tree into
/// one SIMD loop. Structs have no state: <c>default(E).Eval(...)</c> is how a node is evaluated, which also keeps the
/// description usable by ILGPU (no ref-type fields, instance methods on structs).
/// </summary>
public interface IFusedExpr
{
    /// <summary>The value at element <paramref name="i"/>.</summary>
    float Eval(ref FusedFrame f, nint i);

    /// <summary>The values at elements i..i+7.</summary>
    Vector256<float> EvalVec(ref FusedFrame f, nint i);
}

#pragma warning disable CS1591 // each struct is named after the function it computes
public struct Neg<A> : IFusedExpr where A : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Eval(ref FusedFrame f, nint i) => -default(A).Eval(ref f, i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<float> EvalVec(ref FusedFrame f, nint i) => -default(A).EvalVec(ref f, i);
}
public struct Abs<A> : IFusedExpr where A : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Eval(ref FusedFrame f, nint i) => MathF.Abs(default(A).Eval(ref f, i));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<float> EvalVec(ref FusedFrame f, nint i) => Vector256.Abs(default(A).EvalVec(ref f, i));
}
public struct Square<A> : IFusedExpr where A : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Eval(ref FusedFrame f, nint i) { var a = default(A).Eval(ref f, i); return a * a; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<float> EvalVec(ref FusedFrame f, nint i) { var a = default(A).EvalVec(ref f, i); return a * a; }
}
public struct Exp<A> : IFusedExpr where A : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Eval(ref FusedFrame f, nint i) => MathF.Exp(default(A).Eval(ref f, i));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<float> EvalVec(ref FusedFrame f, nint i) => Vector256.Exp(default(A).EvalVec(ref f, i));
}
public struct Log<A> : IFusedExpr where A : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Eval(ref FusedFrame f, nint i) => MathF.Log(default(A).Eval(ref f, i));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<float> EvalVec(ref FusedFrame f, nint i) => Vector256.Log(default(A).EvalVec(ref f, i));
}
public struct Sqrt<A> : IFusedExpr where A : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Eval(ref FusedFrame f, nint i) => MathF.Sqrt(default(A).Eval(ref f, i));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<float> EvalVec(ref FusedFrame f, nint i) => Vector256.Sqrt(default(A).EvalVec(ref f, i));
}
public struct Recip<A> : IFusedExpr where A : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Eval(ref FusedFrame f, nint i) => 1f / default(A).Eval(ref f, i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<float> EvalVec(ref FusedFrame f, nint i) => Vector256<float>.One / default(A).EvalVec(ref f, i);
}
public struct Sin<A> : IFusedExpr where A : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Eval(ref FusedFrame f, nint i) => MathF.Sin(default(A).Eval(ref f, i));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<float> EvalVec(ref FusedFrame f, nint i) => Vector256.Sin(default(A).EvalVec(ref f, i));
}
public struct Cos<A> : IFusedExpr where A : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Eval(ref FusedFrame f, nint i) => MathF.Cos(default(A).Eval(ref f, i));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<float> EvalVec(ref FusedFrame f, nint i) => Vector256.Cos(default(A).EvalVec(ref f, i));
}
public struct Relu<A> : IFusedExpr where A : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Eval(ref FusedFrame f, nint i) => MathF.Max(default(A).Eval(ref f, i), 0f);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<float> EvalVec(ref FusedFrame f, nint i) => Vector256.Max(default(A).EvalVec(ref f, i), Vector256<float>.Zero);
}
public struct Sigmoid<A> : IFusedExpr where A : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Eval(ref FusedFrame f, nint i) => 1f / (1f + MathF.Exp(-default(A).Eval(ref f, i)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<float> EvalVec(ref FusedFrame f, nint i) => Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-default(A).EvalVec(ref f, i)));
}
public struct Tanh<A> : IFusedExpr where A : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Eval(ref FusedFrame f, nint i) => MathF.Tanh(default(A).Eval(ref f, i));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<float> EvalVec(ref FusedFrame f, nint i)
    {
        // tanh x = 1 - 2 / (e^2x + 1); below |x| < 2^-8 tanh x = x to float precision, and the formula would cancel.
        var x = default(A).EvalVec(ref f, i);
        var t = Vector256<float>.One - Vector256.Create(2f) / (Vector256.Exp(x + x) + Vector256<float>.One);
        return Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(x), Vector256.Create(0.00390625f)), x, t);
    }
}

public struct Add<A, B> : IFusedExpr where A : struct, IFusedExpr where B : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Eval(ref FusedFrame f, nint i) => default(A).Eval(ref f, i) + default(B).Eval(ref f, i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<float> EvalVec(ref FusedFrame f, nint i) => default(A).EvalVec(ref f, i) + default(B).EvalVec(ref f, i);
}
public struct Sub<A, B> : IFusedExpr where A : struct, IFusedExpr where B : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Eval(ref FusedFrame f, nint i) => default(A).Eval(ref f, i) - default(B).Eval(ref f, i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<float> EvalVec(ref FusedFrame f, nint i) => default(A).EvalVec(ref f, i) - default(B).EvalVec(ref f, i);
}
public struct Mul<A, B> : IFusedExpr where A : struct, IFusedExpr where B : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Eval(ref FusedFrame f, nint i) => default(A).Eval(ref f, i) * default(B).Eval(ref f, i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<float> EvalVec(ref FusedFrame f, nint i) => default(A).EvalVec(ref f, i) * default(B).EvalVec(ref f, i);
}
public struct Div<A, B> : IFusedExpr where A : struct, IFusedExpr where B : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Eval(ref FusedFrame f, nint i) => default(A).Eval(ref f, i) / default(B).Eval(ref f, i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<float> EvalVec(ref FusedFrame f, nint i) => default(A).EvalVec(ref f, i) / default(B).EvalVec(ref f, i);
}
public struct Max<A, B> : IFusedExpr where A : struct, IFusedExpr where B : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Eval(ref FusedFrame f, nint i) => MathF.Max(default(A).Eval(ref f, i), default(B).Eval(ref f, i));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<float> EvalVec(ref FusedFrame f, nint i) => Vector256.Max(default(A).EvalVec(ref f, i), default(B).EvalVec(ref f, i));
}
public struct Min<A, B> : IFusedExpr where A : struct, IFusedExpr where B : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Eval(ref FusedFrame f, nint i) => MathF.Min(default(A).Eval(ref f, i), default(B).Eval(ref f, i));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<float> EvalVec(ref FusedFrame f, nint i) => Vector256.Min(default(A).EvalVec(ref f, i), default(B).EvalVec(ref f, i));
}
public struct Pow<A, B> : IFusedExpr where A : struct, IFusedExpr where B : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Eval(ref FusedFrame f, nint i) => MathF.Pow(default(A).Eval(ref f, i), default(B).Eval(ref f, i));
    public Vector256<float> EvalVec(ref FusedFrame f, nint i)
    {
        // No vector pow in the BCL: evaluate both operands vectorized, then the power lane by lane.
        var a = default(A).EvalVec(ref f, i);
        var b = default(B).EvalVec(ref f, i);
        Span<float> r = stackalloc float[8];
        for (int k = 0; k < 8; k++) r[k] = MathF.Pow(a.GetElement(k), b.GetElement(k));
        return Vector256.Create<float>(r);
    }
}
/// <summary>1 where a &gt; b, else 0 (masks in gradients, e.g. relu's).</summary>
public struct Gt<A, B> : IFusedExpr where A : struct, IFusedExpr where B : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Eval(ref FusedFrame f, nint i) => default(A).Eval(ref f, i) > default(B).Eval(ref f, i) ? 1f : 0f;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<float> EvalVec(ref FusedFrame f, nint i) => Vector256.GreaterThan(default(A).EvalVec(ref f, i), default(B).EvalVec(ref f, i)) & Vector256<float>.One;
}
/// <summary>a where c is non-zero, else b.</summary>
public struct Select<C, A, B> : IFusedExpr where C : struct, IFusedExpr where A : struct, IFusedExpr where B : struct, IFusedExpr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Eval(ref FusedFrame f, nint i) => default(C).Eval(ref f, i) != 0 ? default(A).Eval(ref f, i) : default(B).Eval(ref f, i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<float> EvalVec(ref FusedFrame f, nint i) =>
        Vector256.ConditionalSelect(~Vector256.Equals(default(C).EvalVec(ref f, i), Vector256<float>.Zero), default(A).EvalVec(ref f, i), default(B).EvalVec(ref f, i));
}
#pragma warning restore CS1591
