using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RlPlat.Engine.Lazy.Fusion;

/// <summary>
/// A bundle of float lanes that fused expressions compute on: one float (<see cref="Lanes1"/>, kernel tails),
/// a <see cref="Vector256{T}"/> (<see cref="Lanes8"/>) or a <see cref="Vector512{T}"/> (<see cref="Lanes16"/>).
/// Each expression struct is written once against this interface; the JIT specializes it for each width, so a kernel
/// runs 16 lanes per step where AVX-512 is present and the scalar tail computes the same formulas: arithmetic, tanh and
/// exp give the same bits at every width; log, sin, cos and pow use the BCL's scalar and vector functions (an ulp apart).
/// </summary>
public interface ILanes<V> where V : struct, ILanes<V>
{
    /// <summary>Lanes per value.</summary>
    static abstract int Count { get; }
    /// <summary>Elements i..i+Count-1 from <paramref name="p"/>.</summary>
    static abstract V Load(ref float p, nint i);
    /// <summary>Writes the lanes to elements i..i+Count-1 of <paramref name="p"/>.</summary>
    static abstract void Store(V v, ref float p, nint i);
    /// <summary><paramref name="x"/> in every lane.</summary>
    static abstract V Splat(float x);
    /// <summary>The sum of the lanes.</summary>
    static abstract float Sum(V v);
    /// <summary>a + b.</summary>
    static abstract V Add(V a, V b);
    /// <summary>a - b.</summary>
    static abstract V Sub(V a, V b);
    /// <summary>a · b.</summary>
    static abstract V Mul(V a, V b);
    /// <summary>a / b.</summary>
    static abstract V Div(V a, V b);
    /// <summary>a · b + c, rounded once.</summary>
    static abstract V Fma(V a, V b, V c);
    /// <summary>-a.</summary>
    static abstract V Neg(V a);
    /// <summary>|a|.</summary>
    static abstract V Abs(V a);
    /// <summary>√a.</summary>
    static abstract V Sqrt(V a);
    /// <summary>The larger of a and b (NaN if either is NaN).</summary>
    static abstract V Max(V a, V b);
    /// <summary>The smaller of a and b (NaN if either is NaN).</summary>
    static abstract V Min(V a, V b);
    /// <summary>a &lt; b ? a : b, one instruction (NaN handling left to the caller).</summary>
    static abstract V MinFast(V a, V b);
    /// <summary>a &gt; b ? a : b, one instruction (NaN handling left to the caller).</summary>
    static abstract V MaxFast(V a, V b);
    /// <summary>a rounded to the nearest integer (ties to even).</summary>
    static abstract V Round(V a);
    /// <summary>The largest integer not above a.</summary>
    static abstract V Floor(V a);
    /// <summary>2^k for integral k in [-126, 127], built from the exponent bits.</summary>
    static abstract V Pow2(V k);
    /// <summary>a where x is NaN, else b.</summary>
    static abstract V WhereNaN(V x, V a, V b);
    /// <summary>1 where a &gt; b, else 0.</summary>
    static abstract V Gt(V a, V b);
    /// <summary>a where |x| &gt;= limit, else b (a NaN x takes b).</summary>
    static abstract V WhereAbsAtLeast(V x, float limit, V a, V b);
    /// <summary>a where c is non-zero, else b.</summary>
    static abstract V Select(V c, V a, V b);
    /// <summary>ln a.</summary>
    static abstract V Log(V a);
    /// <summary>sin a.</summary>
    static abstract V Sin(V a);
    /// <summary>cos a.</summary>
    static abstract V Cos(V a);
    /// <summary>a^b (no vector pow in the BCL: lane by lane).</summary>
    static abstract V Pow(V a, V b);
}

/// <summary>One float: the scalar tail of a kernel, with the same formulas (and FMA rounding) as the vector lanes.</summary>
public readonly struct Lanes1 : ILanes<Lanes1>
{
    /// <summary>The value.</summary>
    public readonly float V;

    /// <summary>Wraps <paramref name="v"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Lanes1(float v) => V = v;

#pragma warning disable CS1591 // documented on ILanes
    public static int Count => 1;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes1 Load(ref float p, nint i) => new(Unsafe.Add(ref p, i));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Lanes1 v, ref float p, nint i) => Unsafe.Add(ref p, i) = v.V;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes1 Splat(float x) => new(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Lanes1 v) => v.V;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes1 Add(Lanes1 a, Lanes1 b) => new(a.V + b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes1 Sub(Lanes1 a, Lanes1 b) => new(a.V - b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes1 Mul(Lanes1 a, Lanes1 b) => new(a.V * b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes1 Div(Lanes1 a, Lanes1 b) => new(a.V / b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes1 Fma(Lanes1 a, Lanes1 b, Lanes1 c) => new(MathF.FusedMultiplyAdd(a.V, b.V, c.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes1 Neg(Lanes1 a) => new(-a.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes1 Abs(Lanes1 a) => new(MathF.Abs(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes1 Sqrt(Lanes1 a) => new(MathF.Sqrt(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes1 Max(Lanes1 a, Lanes1 b) => new(MathF.Max(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes1 Min(Lanes1 a, Lanes1 b) => new(MathF.Min(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes1 MinFast(Lanes1 a, Lanes1 b) => new(a.V < b.V ? a.V : b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes1 MaxFast(Lanes1 a, Lanes1 b) => new(a.V > b.V ? a.V : b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes1 Round(Lanes1 a) => new(MathF.Round(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes1 Floor(Lanes1 a) => new(MathF.Floor(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes1 Pow2(Lanes1 k) => new(BitConverter.Int32BitsToSingle(((int)k.V + 127) << 23));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes1 WhereNaN(Lanes1 x, Lanes1 a, Lanes1 b) => float.IsNaN(x.V) ? a : b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes1 Gt(Lanes1 a, Lanes1 b) => new(a.V > b.V ? 1f : 0f);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes1 WhereAbsAtLeast(Lanes1 x, float limit, Lanes1 a, Lanes1 b) => MathF.Abs(x.V) >= limit ? a : b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes1 Select(Lanes1 c, Lanes1 a, Lanes1 b) => c.V != 0 ? a : b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes1 Log(Lanes1 a) => new(MathF.Log(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes1 Sin(Lanes1 a) => new(MathF.Sin(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes1 Cos(Lanes1 a) => new(MathF.Cos(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes1 Pow(Lanes1 a, Lanes1 b) => new(MathF.Pow(a.V, b.V));
#pragma warning restore CS1591
}

/// <summary>Eight lanes: a <see cref="Vector256{T}"/> (the kernels' width where AVX-512 is missing).</summary>
public readonly struct Lanes8 : ILanes<Lanes8>
{
    /// <summary>The lanes.</summary>
    public readonly Vector256<float> V;

    /// <summary>Wraps <paramref name="v"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Lanes8(Vector256<float> v) => V = v;

#pragma warning disable CS1591 // documented on ILanes
    public static int Count => 8;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes8 Load(ref float p, nint i) => new(Vector256.LoadUnsafe(ref p, (nuint)i));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Lanes8 v, ref float p, nint i) => v.V.StoreUnsafe(ref p, (nuint)i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes8 Splat(float x) => new(Vector256.Create(x));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Lanes8 v) => Vector256.Sum(v.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes8 Add(Lanes8 a, Lanes8 b) => new(a.V + b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes8 Sub(Lanes8 a, Lanes8 b) => new(a.V - b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes8 Mul(Lanes8 a, Lanes8 b) => new(a.V * b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes8 Div(Lanes8 a, Lanes8 b) => new(a.V / b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes8 Fma(Lanes8 a, Lanes8 b, Lanes8 c) => new(Vector256.FusedMultiplyAdd(a.V, b.V, c.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes8 Neg(Lanes8 a) => new(-a.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes8 Abs(Lanes8 a) => new(Vector256.Abs(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes8 Sqrt(Lanes8 a) => new(Vector256.Sqrt(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes8 Max(Lanes8 a, Lanes8 b) => new(Vector256.Max(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes8 Min(Lanes8 a, Lanes8 b) => new(Vector256.Min(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes8 MinFast(Lanes8 a, Lanes8 b) => new(Vector256.MinNative(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes8 MaxFast(Lanes8 a, Lanes8 b) => new(Vector256.MaxNative(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes8 Round(Lanes8 a) => new(Vector256.Round(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes8 Floor(Lanes8 a) => new(Vector256.Floor(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes8 Pow2(Lanes8 k) =>
        new(Vector256.ShiftLeft(Vector256.ConvertToInt32Native(k.V) + Vector256.Create(127), 23).AsSingle());
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes8 WhereNaN(Lanes8 x, Lanes8 a, Lanes8 b) =>
        new(Vector256.ConditionalSelect(Vector256.Equals(x.V, x.V), b.V, a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes8 Gt(Lanes8 a, Lanes8 b) => new(Vector256.GreaterThan(a.V, b.V) & Vector256<float>.One);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes8 WhereAbsAtLeast(Lanes8 x, float limit, Lanes8 a, Lanes8 b) =>
        new(Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(Vector256.Abs(x.V), Vector256.Create(limit)), a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes8 Select(Lanes8 c, Lanes8 a, Lanes8 b) =>
        new(Vector256.ConditionalSelect(~Vector256.Equals(c.V, Vector256<float>.Zero), a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes8 Log(Lanes8 a) => new(Vector256.Log(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes8 Sin(Lanes8 a) => new(Vector256.Sin(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes8 Cos(Lanes8 a) => new(Vector256.Cos(a.V));

    public static Lanes8 Pow(Lanes8 a, Lanes8 b)
    {
        Span<float> r = stackalloc float[8];
        for (int k = 0; k < 8; k++) r[k] = MathF.Pow(a.V.GetElement(k), b.V.GetElement(k));
        return new(Vector256.Create<float>(r));
    }
#pragma warning restore CS1591
}

/// <summary>Sixteen lanes: a <see cref="Vector512{T}"/> (AVX-512; twice the work per instruction of <see cref="Lanes8"/>).</summary>
public readonly struct Lanes16 : ILanes<Lanes16>
{
    /// <summary>The lanes.</summary>
    public readonly Vector512<float> V;

    /// <summary>Wraps <paramref name="v"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Lanes16(Vector512<float> v) => V = v;

#pragma warning disable CS1591 // documented on ILanes
    public static int Count => 16;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes16 Load(ref float p, nint i) => new(Vector512.LoadUnsafe(ref p, (nuint)i));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Lanes16 v, ref float p, nint i) => v.V.StoreUnsafe(ref p, (nuint)i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes16 Splat(float x) => new(Vector512.Create(x));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Lanes16 v) => Vector512.Sum(v.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes16 Add(Lanes16 a, Lanes16 b) => new(a.V + b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes16 Sub(Lanes16 a, Lanes16 b) => new(a.V - b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes16 Mul(Lanes16 a, Lanes16 b) => new(a.V * b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes16 Div(Lanes16 a, Lanes16 b) => new(a.V / b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes16 Fma(Lanes16 a, Lanes16 b, Lanes16 c) => new(Vector512.FusedMultiplyAdd(a.V, b.V, c.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes16 Neg(Lanes16 a) => new(-a.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes16 Abs(Lanes16 a) => new(Vector512.Abs(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes16 Sqrt(Lanes16 a) => new(Vector512.Sqrt(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes16 Max(Lanes16 a, Lanes16 b) => new(Vector512.Max(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes16 Min(Lanes16 a, Lanes16 b) => new(Vector512.Min(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes16 MinFast(Lanes16 a, Lanes16 b) => new(Vector512.MinNative(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes16 MaxFast(Lanes16 a, Lanes16 b) => new(Vector512.MaxNative(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes16 Round(Lanes16 a) => new(Vector512.Round(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes16 Floor(Lanes16 a) => new(Vector512.Floor(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes16 Pow2(Lanes16 k) =>
        new(Vector512.ShiftLeft(Vector512.ConvertToInt32Native(k.V) + Vector512.Create(127), 23).AsSingle());
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes16 WhereNaN(Lanes16 x, Lanes16 a, Lanes16 b) =>
        new(Vector512.ConditionalSelect(Vector512.Equals(x.V, x.V), b.V, a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes16 Gt(Lanes16 a, Lanes16 b) => new(Vector512.GreaterThan(a.V, b.V) & Vector512<float>.One);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes16 WhereAbsAtLeast(Lanes16 x, float limit, Lanes16 a, Lanes16 b) =>
        new(Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(Vector512.Abs(x.V), Vector512.Create(limit)), a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes16 Select(Lanes16 c, Lanes16 a, Lanes16 b) =>
        new(Vector512.ConditionalSelect(~Vector512.Equals(c.V, Vector512<float>.Zero), a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes16 Log(Lanes16 a) => new(Vector512.Log(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes16 Sin(Lanes16 a) => new(Vector512.Sin(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes16 Cos(Lanes16 a) => new(Vector512.Cos(a.V));

    public static Lanes16 Pow(Lanes16 a, Lanes16 b)
    {
        Span<float> r = stackalloc float[16];
        for (int k = 0; k < 16; k++) r[k] = MathF.Pow(a.V.GetElement(k), b.V.GetElement(k));
        return new(Vector512.Create<float>(r));
    }
#pragma warning restore CS1591
}
