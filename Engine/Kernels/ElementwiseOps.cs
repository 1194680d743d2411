using System.Runtime.InteropServices;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace RlPlat.Engine.Kernels;

/// <summary>
/// Relative work per element of an elementwise op, which decides how small a tensor still gets split across threads
/// (<see cref="Parallelism.TaskCount(long, int)"/>): a streaming op is bound by memory and splits only when large, a
/// compute-bound one pays for a thread hand-off from a few tens of thousands of elements on.
/// </summary>
public static class ElementCost
{
    /// <summary>A vectorized op that does little arithmetic per element (add, mul, max, sqrt, floor).</summary>
    public const int Streaming = 1;

    /// <summary>A transcendental function, or an op that loops element by element (measured here: exp 3.5x, tanh 5.5x the time of an add).</summary>
    public const int Compute = 4;
}

/// <summary>A unary op on any number type (element and span forms; the span form is vectorized).</summary>
public interface INumericUnaryOp
{
    /// <summary>Relative work per element (<see cref="ElementCost"/>).</summary>
    static virtual int Cost => ElementCost.Streaming;
    static abstract T Apply<T>(T x) where T : unmanaged, INumber<T>;
    static abstract void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, INumber<T>;
}

/// <summary>A unary op on float32/float64.</summary>
public interface IFloatUnaryOp
{
    /// <summary>Relative work per element (<see cref="ElementCost"/>): most float ops are transcendental; the cheap ones say so.</summary>
    static virtual int Cost => ElementCost.Compute;
    static abstract T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>;
    static abstract void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>A binary op on any number type; span-span, span-scalar and scalar-span forms are vectorized.</summary>
public interface INumericBinaryOp
{
    /// <summary>Relative work per element (<see cref="ElementCost"/>).</summary>
    static virtual int Cost => ElementCost.Streaming;
    static abstract T Apply<T>(T a, T b) where T : unmanaged, INumber<T>;
    static abstract void Apply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, INumber<T>;
    static abstract void Apply<T>(ReadOnlySpan<T> a, T b, Span<T> y) where T : unmanaged, INumber<T>;
    static abstract void Apply<T>(T a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, INumber<T>;
}

/// <summary>A binary op on float32/float64.</summary>
public interface IFloatBinaryOp
{
    /// <summary>Relative work per element (<see cref="ElementCost"/>): pow and atan2 run element by element.</summary>
    static virtual int Cost => ElementCost.Compute;
    static abstract T Apply<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>A comparison producing bool.</summary>
public interface ICompareOp
{
    static abstract bool Apply<T>(T a, T b) where T : unmanaged, INumber<T>;
}

#pragma warning disable CS1591 // the op structs are named after what they compute
public struct NegOp : INumericUnaryOp
{
    public static T Apply<T>(T x) where T : unmanaged, INumber<T> => -x;
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, INumber<T> => TensorPrimitives.Negate(x, y);
}
public struct AbsOp : INumericUnaryOp
{
    public static T Apply<T>(T x) where T : unmanaged, INumber<T> => T.Abs(x);
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, INumber<T> => TensorPrimitives.Abs(x, y);
}
public struct SquareOp : INumericUnaryOp
{
    public static T Apply<T>(T x) where T : unmanaged, INumber<T> => x * x;
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, INumber<T> => TensorPrimitives.Multiply(x, x, y);
}
public struct SignOp : INumericUnaryOp
{
    public static int Cost => ElementCost.Compute;
    public static T Apply<T>(T x) where T : unmanaged, INumber<T> => x > T.Zero ? T.One : x < T.Zero ? -T.One : T.Zero;
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, INumber<T> { for (int i = 0; i < x.Length; i++) y[i] = Apply(x[i]); }
}
public struct ReluOp : INumericUnaryOp
{
    public static T Apply<T>(T x) where T : unmanaged, INumber<T> => x > T.Zero ? x : T.Zero;
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, INumber<T> => TensorPrimitives.Max(x, T.Zero, y);
}

public struct ExpOp : IFloatUnaryOp
{
    public static T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Exp(x);
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && FastMath.IsSupported) FastMath.Exp(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y));
        else TensorPrimitives.Exp(x, y);
    }
}
public struct LogOp : IFloatUnaryOp
{
    public static T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Log(x);
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Log(x, y);
}
public struct Log2Op : IFloatUnaryOp
{
    public static T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Log2(x);
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Log2(x, y);
}
public struct Log10Op : IFloatUnaryOp
{
    public static T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Log10(x);
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Log10(x, y);
}
public struct Log1pOp : IFloatUnaryOp
{
    // log1p(x) = log(1+x) * x / ((1+x) - 1): accurate for small x without a dedicated intrinsic.
    public static T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T u = T.One + x;
        return u == T.One ? x : T.Log(u) * x / (u - T.One);
    }
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> { for (int i = 0; i < x.Length; i++) y[i] = Apply(x[i]); }
}
public struct Expm1Op : IFloatUnaryOp
{
    // expm1(x) = (e^x - 1) corrected as (u - 1) * x / log(u): Kahan's trick, accurate for small x.
    public static T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T u = T.Exp(x);
        if (u == T.One) return x;
        T um1 = u - T.One;
        return um1 == -T.One ? -T.One : um1 * x / T.Log(u);
    }
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> { for (int i = 0; i < x.Length; i++) y[i] = Apply(x[i]); }
}
public struct SqrtOp : IFloatUnaryOp
{
    public static int Cost => ElementCost.Streaming;
    public static T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Sqrt(x);
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sqrt(x, y);
}
public struct RsqrtOp : IFloatUnaryOp
{
    public static int Cost => ElementCost.Streaming;
    public static T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.One / T.Sqrt(x);
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> { TensorPrimitives.Sqrt(x, y); TensorPrimitives.Divide(T.One, y, y); }
}
public struct ReciprocalOp : IFloatUnaryOp
{
    public static int Cost => ElementCost.Streaming;
    public static T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.One / x;
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(T.One, x, y);
}
public struct FloorOp : IFloatUnaryOp
{
    public static int Cost => ElementCost.Streaming;
    public static T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Floor(x);
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Floor(x, y);
}
public struct CeilOp : IFloatUnaryOp
{
    public static int Cost => ElementCost.Streaming;
    public static T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Ceiling(x);
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Ceiling(x, y);
}
public struct RoundOp : IFloatUnaryOp
{
    // Round half to even, as NumPy and PyTorch.
    public static T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Round(x, MidpointRounding.ToEven);
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> { for (int i = 0; i < x.Length; i++) y[i] = Apply(x[i]); }
}
public struct TruncOp : IFloatUnaryOp
{
    public static int Cost => ElementCost.Streaming;
    public static T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Truncate(x);
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Truncate(x, y);
}
public struct SinOp : IFloatUnaryOp
{
    public static T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Sin(x);
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sin(x, y);
}
public struct CosOp : IFloatUnaryOp
{
    public static T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Cos(x);
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Cos(x, y);
}
public struct TanOp : IFloatUnaryOp
{
    public static T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Tan(x);
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Tan(x, y);
}
public struct AsinOp : IFloatUnaryOp
{
    public static T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Asin(x);
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Asin(x, y);
}
public struct AcosOp : IFloatUnaryOp
{
    public static T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Acos(x);
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Acos(x, y);
}
public struct AtanOp : IFloatUnaryOp
{
    public static T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Atan(x);
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Atan(x, y);
}
public struct SinhOp : IFloatUnaryOp
{
    public static T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Sinh(x);
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sinh(x, y);
}
public struct CoshOp : IFloatUnaryOp
{
    public static T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Cosh(x);
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Cosh(x, y);
}
public struct TanhOp : IFloatUnaryOp
{
    public static T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Tanh(x);
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && FastMath.IsSupported) FastMath.Tanh(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y));
        else TensorPrimitives.Tanh(x, y);
    }
}
public struct AsinhOp : IFloatUnaryOp
{
    public static T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Asinh(x);
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Asinh(x, y);
}
public struct AcoshOp : IFloatUnaryOp
{
    public static T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Acosh(x);
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Acosh(x, y);
}
public struct AtanhOp : IFloatUnaryOp
{
    public static T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Atanh(x);
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Atanh(x, y);
}
public struct SigmoidOp : IFloatUnaryOp
{
    public static T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.One / (T.One + T.Exp(-x));
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sigmoid(x, y);
}
public struct SoftplusOp : IFloatUnaryOp
{
    // log(1 + e^x) computed without overflow: max(x, 0) + log1p(e^-|x|).
    public static T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Max(x, T.Zero) + Log1pOp.Apply(T.Exp(-T.Abs(x)));
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> { for (int i = 0; i < x.Length; i++) y[i] = Apply(x[i]); }
}
public struct SiluOp : IFloatUnaryOp
{
    public static T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => x / (T.One + T.Exp(-x));
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> { TensorPrimitives.Sigmoid(x, y); TensorPrimitives.Multiply(x, y, y); }
}
public struct GeluOp : IFloatUnaryOp
{
    // Exact GELU, x * Phi(x), with erf from a high-precision rational approximation (PyTorch's default 'none' variant).
    public static T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double xd = double.CreateTruncating(x);
        return T.CreateTruncating(0.5 * xd * (1.0 + SpecialFunctions.Erf(xd / Math.Sqrt(2.0))));
    }
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> { for (int i = 0; i < x.Length; i++) y[i] = Apply(x[i]); }
}
public struct ErfOp : IFloatUnaryOp
{
    public static T Apply<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.CreateTruncating(SpecialFunctions.Erf(double.CreateTruncating(x)));
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> { for (int i = 0; i < x.Length; i++) y[i] = Apply(x[i]); }
}

public struct AddOp : IVectorBinaryOp
{
    public static T Apply<T>(T a, T b) where T : unmanaged, INumber<T> => a + b;
    public static Vector256<T> ApplyVector<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged => a + b;
    public static void Apply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, INumber<T>
    {
        if (!CacheRows.TryApply<T, AddOp>(a, b, y)) TensorPrimitives.Add(a, b, y);
    }
    public static void Apply<T>(ReadOnlySpan<T> a, T b, Span<T> y) where T : unmanaged, INumber<T>
    {
        if (!CacheRows.TryApply<T, AddOp>(a, b, y)) TensorPrimitives.Add(a, b, y);
    }
    public static void Apply<T>(T a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, INumber<T>
    {
        if (!CacheRows.TryApply<T, AddOp>(a, b, y)) TensorPrimitives.Add(b, a, y);
    }
}
public struct SubOp : IVectorBinaryOp
{
    public static T Apply<T>(T a, T b) where T : unmanaged, INumber<T> => a - b;
    public static Vector256<T> ApplyVector<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged => a - b;
    public static void Apply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, INumber<T>
    {
        if (!CacheRows.TryApply<T, SubOp>(a, b, y)) TensorPrimitives.Subtract(a, b, y);
    }
    public static void Apply<T>(ReadOnlySpan<T> a, T b, Span<T> y) where T : unmanaged, INumber<T>
    {
        if (!CacheRows.TryApply<T, SubOp>(a, b, y)) TensorPrimitives.Subtract(a, b, y);
    }
    public static void Apply<T>(T a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, INumber<T>
    {
        if (!CacheRows.TryApply<T, SubOp>(a, b, y)) TensorPrimitives.Subtract(a, b, y);
    }
}
public struct MulOp : IVectorBinaryOp
{
    public static T Apply<T>(T a, T b) where T : unmanaged, INumber<T> => a * b;
    public static Vector256<T> ApplyVector<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged => a * b;
    public static void Apply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, INumber<T>
    {
        if (!CacheRows.TryApply<T, MulOp>(a, b, y)) TensorPrimitives.Multiply(a, b, y);
    }
    public static void Apply<T>(ReadOnlySpan<T> a, T b, Span<T> y) where T : unmanaged, INumber<T>
    {
        if (!CacheRows.TryApply<T, MulOp>(a, b, y)) TensorPrimitives.Multiply(a, b, y);
    }
    public static void Apply<T>(T a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, INumber<T>
    {
        if (!CacheRows.TryApply<T, MulOp>(a, b, y)) TensorPrimitives.Multiply(b, a, y);
    }
}
public struct DivOp : IVectorBinaryOp
{
    public static T Apply<T>(T a, T b) where T : unmanaged, INumber<T> => a / b;
    public static Vector256<T> ApplyVector<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged => a / b;
    public static void Apply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, INumber<T>
    {
        if (!CacheRows.TryApply<T, DivOp>(a, b, y)) TensorPrimitives.Divide(a, b, y);
    }
    public static void Apply<T>(ReadOnlySpan<T> a, T b, Span<T> y) where T : unmanaged, INumber<T>
    {
        if (!CacheRows.TryApply<T, DivOp>(a, b, y)) TensorPrimitives.Divide(a, b, y);
    }
    public static void Apply<T>(T a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, INumber<T>
    {
        if (!CacheRows.TryApply<T, DivOp>(a, b, y)) TensorPrimitives.Divide(a, b, y);
    }
}
public struct MaximumOp : INumericBinaryOp
{
    // NaN propagates, as torch.maximum.
    public static T Apply<T>(T a, T b) where T : unmanaged, INumber<T> => T.IsNaN(a) || T.IsNaN(b) ? (T.IsNaN(a) ? a : b) : a > b ? a : b;
    public static void Apply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, INumber<T> => TensorPrimitives.Max(a, b, y);
    public static void Apply<T>(ReadOnlySpan<T> a, T b, Span<T> y) where T : unmanaged, INumber<T> => TensorPrimitives.Max(a, b, y);
    public static void Apply<T>(T a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, INumber<T> => TensorPrimitives.Max(b, a, y);
}
public struct MinimumOp : INumericBinaryOp
{
    public static T Apply<T>(T a, T b) where T : unmanaged, INumber<T> => T.IsNaN(a) || T.IsNaN(b) ? (T.IsNaN(a) ? a : b) : a < b ? a : b;
    public static void Apply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, INumber<T> => TensorPrimitives.Min(a, b, y);
    public static void Apply<T>(ReadOnlySpan<T> a, T b, Span<T> y) where T : unmanaged, INumber<T> => TensorPrimitives.Min(a, b, y);
    public static void Apply<T>(T a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, INumber<T> => TensorPrimitives.Min(b, a, y);
}
public struct FmodOp : INumericBinaryOp
{
    public static int Cost => ElementCost.Compute;
    // C fmod: the result has the sign of the dividend (torch.fmod).
    public static T Apply<T>(T a, T b) where T : unmanaged, INumber<T> => a % b;
    public static void Apply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, INumber<T> { for (int i = 0; i < a.Length; i++) y[i] = a[i] % b[i]; }
    public static void Apply<T>(ReadOnlySpan<T> a, T b, Span<T> y) where T : unmanaged, INumber<T> { for (int i = 0; i < a.Length; i++) y[i] = a[i] % b; }
    public static void Apply<T>(T a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, INumber<T> { for (int i = 0; i < b.Length; i++) y[i] = a % b[i]; }
}
public struct RemainderOp : INumericBinaryOp
{
    public static int Cost => ElementCost.Compute;
    // Python modulo: the result has the sign of the divisor (torch.remainder).
    public static T Apply<T>(T a, T b) where T : unmanaged, INumber<T>
    {
        T r = a % b;
        return r != T.Zero && (r < T.Zero) != (b < T.Zero) ? r + b : r;
    }
    public static void Apply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, INumber<T> { for (int i = 0; i < a.Length; i++) y[i] = Apply(a[i], b[i]); }
    public static void Apply<T>(ReadOnlySpan<T> a, T b, Span<T> y) where T : unmanaged, INumber<T> { for (int i = 0; i < a.Length; i++) y[i] = Apply(a[i], b); }
    public static void Apply<T>(T a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, INumber<T> { for (int i = 0; i < b.Length; i++) y[i] = Apply(a, b[i]); }
}

public struct PowOp : IFloatBinaryOp
{
    public static T Apply<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => T.Pow(a, b);
}
public struct Atan2Op : IFloatBinaryOp
{
    public static T Apply<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => T.Atan2(a, b);
}

public struct EqOp : ICompareOp { public static bool Apply<T>(T a, T b) where T : unmanaged, INumber<T> => a == b; }
public struct NeOp : ICompareOp { public static bool Apply<T>(T a, T b) where T : unmanaged, INumber<T> => a != b; }
public struct LtOp : ICompareOp { public static bool Apply<T>(T a, T b) where T : unmanaged, INumber<T> => a < b; }
public struct LeOp : ICompareOp { public static bool Apply<T>(T a, T b) where T : unmanaged, INumber<T> => a <= b; }
public struct GtOp : ICompareOp { public static bool Apply<T>(T a, T b) where T : unmanaged, INumber<T> => a > b; }
public struct GeOp : ICompareOp { public static bool Apply<T>(T a, T b) where T : unmanaged, INumber<T> => a >= b; }
#pragma warning restore CS1591

/// <summary>Special functions the BCL lacks.</summary>
public static class SpecialFunctions
{
    /// <summary>The error function, |error| &lt; 1.2e-7 (Numerical Recipes' erfc with Chebyshev fit), refined to double accuracy near 0.</summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x)) return x;
        double z = Math.Abs(x);
        if (z < 0.5)
        {
            // Maclaurin series converges fast here and is exact to double precision.
            double x2 = x * x, term = x, sum = x;
            for (int n = 1; n < 30; n++)
            {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.Abs(add) < 1e-17 * Math.Abs(sum)) break;
            }
            return 2 / Math.Sqrt(Math.PI) * sum;
        }
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
                   t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1 - r : r - 1;
    }
}
