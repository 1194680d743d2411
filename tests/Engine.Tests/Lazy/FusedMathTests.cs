using System.Runtime.Intrinsics;
using RlPlat.Engine.Lazy.Fusion;

namespace RlPlat.Engine.Tests.Lazy;

/// <summary>The fused kernels' own tanh and exp against MathF, and the same bits at every lane width.</summary>
public class FusedMathTests
{
    /// <summary>The documented bound of <see cref="FusedMath.Tanh{V}"/> against MathF.Tanh.</summary>
    private const int MaxUlp = 5;

    /// <summary>Floats in IEEE order as integers: the ulp distance of two floats is the difference (-0 and +0 are both 0).</summary>
    private static long Ordered(float x)
    {
        int b = BitConverter.SingleToInt32Bits(x);
        return b < 0 ? (long)int.MinValue - b : b;
    }

    private static float Tanh16(float x) => FusedMath.Tanh(new Lanes16(Vector512.Create(x))).V.ToScalar();

    private static float Tanh8(float x) => FusedMath.Tanh(new Lanes8(Vector256.Create(x))).V.ToScalar();

    private static float Tanh1(float x) => FusedMath.Tanh(new Lanes1(x)).V;

    [Test]
    public void TanhIsWithinFiveUlpOfMathFTanhAcrossTheWholeFloatRange()
    {
        // Every 257th float of each sign from 0 to infinity (subnormals, tiny, the polynomial range, the clamp at 9,
        // huge values), plus every float around the two switch points: the 0.0004 cut-off and the clamp.
        long worst = 0;
        float worstX = 0;
        void Check(float x)
        {
            long u = Math.Abs(Ordered(Tanh16(x)) - Ordered(MathF.Tanh(x)));
            if (u > worst) (worst, worstX) = (u, x);
        }
        int inf = BitConverter.SingleToInt32Bits(float.PositiveInfinity);
        for (int b = 0; b < inf; b += 257)
        {
            float x = BitConverter.Int32BitsToSingle(b);
            Check(x);
            Check(-x);
        }
        foreach (float centre in new[] { 0.0004f, 9f, 0.625f })
        {
            int c = BitConverter.SingleToInt32Bits(centre);
            for (int b = c - 20_000; b <= c + 20_000; b++)
            {
                Check(BitConverter.Int32BitsToSingle(b));
                Check(-BitConverter.Int32BitsToSingle(b));
            }
        }
        Assert.That(worst, Is.LessThanOrEqualTo(MaxUlp), $"worst at x = {worstX:R}");
    }

    [TestCase(float.NaN, float.NaN)]
    [TestCase(float.PositiveInfinity, 1f)]
    [TestCase(float.NegativeInfinity, -1f)]
    [TestCase(float.MaxValue, 1f)]
    [TestCase(-1e30f, -1f)]
    [TestCase(100f, 1f)]
    [TestCase(-9.5f, -1f)]
    [TestCase(1e-40f, 1e-40f)] // subnormal: tanh x = x
    [TestCase(-3e-4f, -3e-4f)]
    public void TanhSpecialValues(float x, float expected)
    {
        foreach (var y in new[] { Tanh1(x), Tanh8(x), Tanh16(x) })
        {
            if (float.IsNaN(expected)) Assert.That(float.IsNaN(y), Is.True, $"tanh({x}) = {y}");
            else Assert.That(y, Is.EqualTo(expected), $"tanh({x})");
        }
    }

    [Test]
    public void TanhKeepsTheSignOfZero()
    {
        Assert.That(BitConverter.SingleToInt32Bits(Tanh16(-0f)), Is.EqualTo(BitConverter.SingleToInt32Bits(-0f)));
        Assert.That(BitConverter.SingleToInt32Bits(Tanh1(-0f)), Is.EqualTo(BitConverter.SingleToInt32Bits(-0f)));
        Assert.That(BitConverter.SingleToInt32Bits(Tanh16(0f)), Is.Zero);
    }

    [Test]
    public void TanhGivesTheSameBitsAtEveryLaneWidth()
    {
        // A kernel's vector body and its scalar tail must agree: an element's value must not depend on where it falls.
        var x = Tensor.Randn([4096], new Generator(5)).Mul(4.0).ToArray();
        foreach (var v in x)
        {
            float t16 = Tanh16(v);
            Assert.That(Tanh8(v), Is.EqualTo(t16), $"8 lanes, x = {v:R}");
            Assert.That(Tanh1(v), Is.EqualTo(t16), $"1 lane, x = {v:R}");
        }
    }

    private static float Exp16(float x) => FusedMath.Exp(new Lanes16(Vector512.Create(x))).V.ToScalar();

    [Test]
    public void ExpIsWithinTwoUlpOfMathFExpFromUnderflowToOverflow()
    {
        // Every 61st float of [-110, 90]: results that flush to 0, the subnormal results below -87.3, overflow to +inf above 88.72.
        long worst = 0;
        float worstX = 0;
        int lo = BitConverter.SingleToInt32Bits(110f), hi = BitConverter.SingleToInt32Bits(90f);
        for (int b = 0; b <= lo; b += 61)
        {
            float x = BitConverter.Int32BitsToSingle(b);
            foreach (var v in b <= hi ? new[] { x, -x } : new[] { -x })
            {
                long u = Math.Abs(Ordered(Exp16(v)) - Ordered(MathF.Exp(v)));
                if (u > worst) (worst, worstX) = (u, v);
            }
        }
        Assert.That(worst, Is.LessThanOrEqualTo(2), $"worst at x = {worstX:R}");
    }

    [TestCase(float.NaN, float.NaN)]
    [TestCase(float.PositiveInfinity, float.PositiveInfinity)]
    [TestCase(float.NegativeInfinity, 0f)]
    [TestCase(89f, float.PositiveInfinity)]
    [TestCase(-120f, 0f)]
    [TestCase(0f, 1f)]
    public void ExpSpecialValues(float x, float expected)
    {
        foreach (var y in new[] { FusedMath.Exp(new Lanes1(x)).V, FusedMath.Exp(new Lanes8(Vector256.Create(x))).V.ToScalar(), Exp16(x) })
        {
            if (float.IsNaN(expected)) Assert.That(float.IsNaN(y), Is.True, $"exp({x}) = {y}");
            else Assert.That(y, Is.EqualTo(expected), $"exp({x})");
        }
    }

    [Test]
    public void LazyExpEqualsEagerToTheBitWhereEagerRunsTheAvx512Exp()
    {
        if (!RlPlat.Engine.Kernels.FastMath.IsSupported) Assert.Ignore("eager exp runs TensorPrimitives here: compared within tolerance by the op suite");
        // 1003 elements: vector body and tail; values across the range, with the special ones.
        var data = Tensor.Randn([1003], new Generator(9)).Mul(40.0).ToArray();
        data[0] = float.NaN; data[1] = float.PositiveInfinity; data[2] = float.NegativeInfinity; data[3] = -0f; data[1002] = -95f;
        var x = Tensor.FromArray(data, 1003);
        var eager = x.Exp().ToArray();
        float[] lazy;
        using (LazyMode.Scope()) lazy = x.Exp().ToArray();
        for (int i = 0; i < eager.Length; i++)
            Assert.That(BitConverter.SingleToInt32Bits(lazy[i]), Is.EqualTo(BitConverter.SingleToInt32Bits(eager[i])), $"exp({data[i]:R}): lazy {lazy[i]:R}, eager {eager[i]:R}");
    }
}
