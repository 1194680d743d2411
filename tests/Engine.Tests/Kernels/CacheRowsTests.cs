using System.Numerics;
using RlPlat.Engine.Kernels;

namespace RlPlat.Engine.Tests.Kernels;

/// <summary>
/// The cache-row kernel (add, sub, mul, div on float/double rows of 1K elements to 256 KB) against the scalar definition,
/// bit for bit, at every alignment of the destination, in place, and at the edges of the sizes it takes.
/// </summary>
public class CacheRowsTests
{
    private static T[] Values<T>(int n, int seed) where T : unmanaged, INumber<T>
    {
        var r = new Random(seed);
        var v = new T[n];
        for (int i = 0; i < n; i++) v[i] = T.CreateTruncating(r.NextDouble() * 200 - 100);
        v[0] = T.Zero; // a zero divisor somewhere: inf and NaN must match too
        return v;
    }

    private static void Check<T, TOp>(int n, int offset) where T : unmanaged, INumber<T> where TOp : IVectorBinaryOp
    {
        var a = Values<T>(n + 16, 1);
        var b = Values<T>(n + 16, 2);
        var y = new T[n + 16];
        T s = T.CreateTruncating(3.25);
        var sa = a.AsSpan(offset, n);
        var sb = b.AsSpan(offset, n);
        var sy = y.AsSpan(offset, n);

        TOp.Apply<T>(sa, sb, sy);
        for (int i = 0; i < n; i++) Same(sy[i], TOp.Apply(sa[i], sb[i]), i);
        TOp.Apply(sa, s, sy);
        for (int i = 0; i < n; i++) Same(sy[i], TOp.Apply(sa[i], s), i);
        TOp.Apply(s, sb, sy);
        for (int i = 0; i < n; i++) Same(sy[i], TOp.Apply(s, sb[i]), i);

        // In place, into either operand.
        var expected = new T[n];
        for (int i = 0; i < n; i++) expected[i] = TOp.Apply(sa[i], sb[i]);
        var a2 = (T[])a.Clone();
        TOp.Apply<T>(a2.AsSpan(offset, n), sb, a2.AsSpan(offset, n));
        for (int i = 0; i < n; i++) Same(a2[offset + i], expected[i], i);
        var b2 = (T[])b.Clone();
        TOp.Apply<T>(sa, b2.AsSpan(offset, n), b2.AsSpan(offset, n));
        for (int i = 0; i < n; i++) Same(b2[offset + i], expected[i], i);
    }

    private static void Same<T>(T got, T want, int i) where T : unmanaged, INumber<T>
    {
        if (T.IsNaN(got) && T.IsNaN(want)) return;
        // Only a mismatch reaches NUnit: this runs millions of times.
        if (got != want || T.IsNegative(got) != T.IsNegative(want))
            Assert.Fail($"element {i}: got {got}, want {want} (signs {T.IsNegative(got)} / {T.IsNegative(want)})");
    }

    [Test]
    public void FloatRowsMatchTheScalarOpAtEveryAlignment([Values(1024, 1031, 4096 + 13, 65536)] int n)
    {
        for (int offset = 0; offset < 16; offset++)
        {
            Check<float, AddOp>(n, offset);
            Check<float, SubOp>(n, offset);
            Check<float, MulOp>(n, offset);
            Check<float, DivOp>(n, offset);
        }
    }

    [Test]
    public void DoubleRowsMatchTheScalarOpAtEveryAlignment([Values(1024, 1031, 32768)] int n)
    {
        for (int offset = 0; offset < 8; offset++)
        {
            Check<double, AddOp>(n, offset);
            Check<double, SubOp>(n, offset);
            Check<double, MulOp>(n, offset);
            Check<double, DivOp>(n, offset);
        }
    }

    [Test]
    public void TheKernelTakesExactlyItsRows()
    {
        var a = new float[70_000];
        var y = new float[70_000];
        Assert.That(CacheRows.TryApply<float, AddOp>(a.AsSpan(0, 1023), a.AsSpan(0, 1023), y.AsSpan(0, 1023)), Is.False, "short rows: TensorPrimitives");
        Assert.That(CacheRows.TryApply<float, AddOp>(a.AsSpan(0, 1024), a.AsSpan(0, 1024), y.AsSpan(0, 1024)), Is.True);
        Assert.That(CacheRows.TryApply<float, AddOp>(a.AsSpan(0, 65536), a.AsSpan(0, 65536), y.AsSpan(0, 65536)), Is.True);
        Assert.That(CacheRows.TryApply<float, AddOp>(a.AsSpan(0, 65537), a.AsSpan(0, 65537), y.AsSpan(0, 65537)), Is.False, "beyond 256 KB: TensorPrimitives' streaming stores");
        var ints = new int[4096];
        Assert.That(CacheRows.TryApply<int, AddOp>(ints, ints, ints), Is.False, "integers: TensorPrimitives");
        Assert.That(CacheRows.TryApply<float, AddOp>(a.AsSpan(1, 2048), a.AsSpan(1, 2048), a.AsSpan(0, 2048)), Is.False, "a partial overlap is not this kernel's");
    }

    [Test]
    public void APartialOverlapStillGetsTensorPrimitivesAnswer()
    {
        // TensorPrimitives refuses a destination that overlaps an input at another start; the op must do the same.
        var a = new float[4096];
        Assert.Throws<ArgumentException>(() => AddOp.Apply<float>(a.AsSpan(1, 2048), a.AsSpan(1, 2048), a.AsSpan(0, 2048)));
    }
}
