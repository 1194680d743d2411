using RlPlat.Engine.Kernels;

namespace RlPlat.Engine.Tests.Kernels;

public class FastMathTests
{
    // Reference values in double; the kernels promise Cephes' accuracy (within 2 ulp = 2.4e-7 relative for normal results).
    private const double RelTol = 2.5e-7;

    private static float[] Sweep(float lo, float hi, int n)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = lo + (hi - lo) * i / (n - 1);
        return x;
    }

    [Test]
    public void ExpMatchesDoublePrecisionAcrossTheFloatRange()
    {
        Assume.That(FastMath.IsSupported, "AVX-512 kernels need Vector512 hardware");
        var x = Sweep(-87f, 88.7f, 100_003);
        var y = new float[x.Length];
        FastMath.Exp(x, y);
        for (int i = 0; i < x.Length; i++)
        {
            double want = Math.Exp(x[i]);
            Assert.That(y[i], Is.EqualTo(want).Within(RelTol * want), $"exp({x[i]:R})");
        }
    }

    [Test]
    public void ExpHandlesOverflowSubnormalsAndSpecialValues()
    {
        Assume.That(FastMath.IsSupported, "AVX-512 kernels need Vector512 hardware");
        float[] x = [88.8f, 1000f, float.PositiveInfinity, float.NegativeInfinity, -1000f, -104f, float.NaN, 0f, -100f, -90f, 1f];
        var y = new float[x.Length];
        FastMath.Exp(x, y);
        Assert.That(y[..6], Is.EqualTo(new[] { float.PositiveInfinity, float.PositiveInfinity, float.PositiveInfinity, 0f, 0f, 0f }));
        Assert.That(float.IsNaN(y[6]), Is.True);
        Assert.That(y[7], Is.EqualTo(1f));
        Assert.That(y[8], Is.EqualTo(Math.Exp(-100)).Within(2e-45), "subnormal result");
        Assert.That(y[9], Is.EqualTo(Math.Exp(-90)).Within(2e-45), "subnormal result");
        Assert.That(y[10], Is.EqualTo(Math.E).Within(RelTol * Math.E));
    }

    [Test]
    public void TanhMatchesDoublePrecision()
    {
        Assume.That(FastMath.IsSupported, "AVX-512 kernels need Vector512 hardware");
        var x = Sweep(-12f, 12f, 100_003);
        var y = new float[x.Length];
        FastMath.Tanh(x, y);
        for (int i = 0; i < x.Length; i++)
        {
            double want = Math.Tanh(x[i]);
            Assert.That(y[i], Is.EqualTo(want).Within(RelTol * Math.Abs(want) + 1e-45), $"tanh({x[i]:R})");
        }
    }

    [Test]
    public void TanhSaturatesAndKeepsSignsAndNaN()
    {
        Assume.That(FastMath.IsSupported, "AVX-512 kernels need Vector512 hardware");
        float[] x = [100f, -100f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, -0f, 1e-30f];
        var y = new float[x.Length];
        FastMath.Tanh(x, y);
        Assert.That(y[..4], Is.EqualTo(new[] { 1f, -1f, 1f, -1f }));
        Assert.That(float.IsNaN(y[4]), Is.True);
        Assert.That(float.IsNegative(y[5]) && y[5] == 0, Is.True, "tanh(-0) = -0");
        Assert.That(y[6], Is.EqualTo(1e-30f));
    }

    [TestCase(1)]
    [TestCase(15)]
    [TestCase(16)]
    [TestCase(17)]
    [TestCase(70)]
    public void TailsAndInPlaceGiveTheSameValues(int n)
    {
        Assume.That(FastMath.IsSupported, "AVX-512 kernels need Vector512 hardware");
        var x = Sweep(-3f, 2f, Math.Max(n, 2))[..n];
        var y = new float[n];
        FastMath.Exp(x, y);
        var inPlace = (float[])x.Clone();
        FastMath.Exp(inPlace, inPlace);
        Assert.That(inPlace, Is.EqualTo(y));
        for (int i = 0; i < n; i++) Assert.That(y[i], Is.EqualTo(Math.Exp(x[i])).Within(RelTol * Math.Exp(x[i])));
        FastMath.Tanh(x, inPlace);
        for (int i = 0; i < n; i++) Assert.That(inPlace[i], Is.EqualTo(Math.Tanh(x[i])).Within(RelTol * Math.Abs(Math.Tanh(x[i])) + 1e-45));
    }

    [Test]
    public void TensorExpAndTanhUseTheSameValues()
    {
        var xs = Sweep(-5f, 5f, 1000);
        var x = Tensor.FromArray(xs);
        var e = x.Exp().ToArray();
        var t = x.Tanh().ToArray();
        for (int i = 0; i < 1000; i++)
        {
            float xi = xs[i];
            Assert.That(e[i], Is.EqualTo(Math.Exp(xi)).Within(RelTol * Math.Exp(xi)));
            Assert.That(t[i], Is.EqualTo(Math.Tanh(xi)).Within(RelTol * Math.Abs(Math.Tanh(xi)) + 1e-45));
        }
    }

    [Test]
    public void MismatchedLengthsAreRejectedWithBothLengths()
    {
        var e = Assert.Throws<ArgumentException>(() => FastMath.Exp(new float[3], new float[4]));
        Assert.That(e!.Message, Does.Contain("3").And.Contain("4"));
    }
}
