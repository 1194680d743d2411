using RlPlat.Engine;

namespace RlPlat.Engine.Tests.Ops;

/// <summary>Assertions shared by the op tests: element-wise closeness (NaN matches NaN) and finite-difference gradients.</summary>
internal static class Expect
{
    /// <summary>Every element of <paramref name="actual"/> within tol·(1 + |expected|) of <paramref name="expected"/>, shape included.</summary>
    internal static void Close(Tensor actual, double[] expected, double tol = 1e-6, int[]? shape = null)
    {
        if (shape != null) Assert.That(actual.Shape, Is.EqualTo(shape), "shape");
        var a = actual.To(DType.Float64).ToArray<double>();
        Assert.That(a, Has.Length.EqualTo(expected.Length), "element count");
        for (int i = 0; i < a.Length; i++)
        {
            if (double.IsNaN(expected[i])) { Assert.That(a[i], Is.NaN, $"element {i}"); continue; }
            if (double.IsInfinity(expected[i])) { Assert.That(a[i], Is.EqualTo(expected[i]), $"element {i}"); continue; }
            Assert.That(a[i], Is.EqualTo(expected[i]).Within(tol * (1 + Math.Abs(expected[i]))), $"element {i} of {string.Join(", ", a)}");
        }
    }

    /// <summary>A float64 tensor of the given values and shape.</summary>
    internal static Tensor D(double[] values, params int[] shape) => Tensor.FromArray(values, shape);

    /// <summary>A float32 tensor of the given values and shape.</summary>
    internal static Tensor F(float[] values, params int[] shape) => Tensor.FromArray(values, shape);

    /// <summary>A non-contiguous view holding <paramref name="values"/>: every other element of a buffer twice as long.</summary>
    internal static Tensor Strided(double[] values, DType dtype)
    {
        var buf = new double[2 * values.Length];
        for (int i = 0; i < values.Length; i++) { buf[2 * i] = values[i]; buf[2 * i + 1] = 1e9; }
        var t = Tensor.FromArray(buf).To(dtype).Slice(0, 0, null, 2);
        Assert.That(t.IsContiguous, Is.False);
        return t;
    }

    /// <summary>
    /// Checks the gradient that <paramref name="f"/> records against central differences of Σ f(x)·w at <paramref name="x"/>
    /// (float64), for a fixed weighting w so every output element counts.
    /// </summary>
    internal static void GradientMatchesFiniteDifferences(Func<Tensor, Tensor> f, Tensor x, double tol = 1e-6)
    {
        var x0 = x.Double().Detach().Clone();
        var leaf = x0.Clone().RequiresGrad_();
        var y = f(leaf);
        var w = Tensor.Arange(y.Numel, DType.Float64).Add(1.0).Div(y.Numel).Reshape(y.Shape);
        y.Mul(w).Sum().Backward();
        var analytic = leaf.Grad!.ToArray<double>();
        var xs = x0.ToArray<double>();
        const double h = 1e-6;
        for (int i = 0; i < xs.Length; i++)
        {
            var plus = (double[])xs.Clone();
            var minus = (double[])xs.Clone();
            plus[i] += h;
            minus[i] -= h;
            double fp, fm;
            using (Autograd.NoGrad())
            {
                fp = f(Tensor.FromArray(plus, x0.Shape)).Mul(w).Sum().Item();
                fm = f(Tensor.FromArray(minus, x0.Shape)).Mul(w).Sum().Item();
            }
            double numeric = (fp - fm) / (2 * h);
            Assert.That(analytic[i], Is.EqualTo(numeric).Within(tol * (1 + Math.Abs(numeric))), $"d/dx[{i}]");
        }
    }
}
