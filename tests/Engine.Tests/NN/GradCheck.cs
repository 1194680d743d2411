using RlPlat.Engine;

namespace RlPlat.Engine.Tests.NN;

/// <summary>
/// Central-difference gradient check in float64 (local until Autograd.GradCheck lands): compares the autograd
/// gradient of sum(f(inputs)·w), for a fixed random w, with finite differences of every input element.
/// </summary>
internal static class GradCheck
{
    public static void Check(Func<Tensor[], Tensor> f, Tensor[] inputs, double eps = 1e-6, double tol = 1e-5)
    {
        foreach (var x in inputs)
            if (x.DType != DType.Float64) throw new ArgumentException("GradCheck needs float64 inputs");
        var probe = f(inputs);
        var w = Tensor.Randn(probe.Shape, new Generator(123), DType.Float64);
        Tensor Objective() => f(inputs).Mul(w).Sum();
        foreach (var x in inputs) { x.RequiresGrad = true; x.Grad = null; }
        Objective().Backward();
        for (int k = 0; k < inputs.Length; k++)
        {
            var x = inputs[k];
            var analytic = x.Grad?.ToArray<double>() ?? new double[x.Numel];
            var data = x.AsSpan<double>();
            for (int i = 0; i < data.Length; i++)
            {
                double orig = data[i];
                double plus, minus;
                using (Autograd.NoGrad())
                {
                    x.AsSpan<double>()[i] = orig + eps; plus = Objective().Item();
                    x.AsSpan<double>()[i] = orig - eps; minus = Objective().Item();
                    x.AsSpan<double>()[i] = orig;
                }
                double numeric = (plus - minus) / (2 * eps);
                Assert.That(analytic[i], Is.EqualTo(numeric).Within(tol + tol * Math.Abs(numeric)), $"input {k}, element {i}");
            }
        }
    }

    /// <summary>Checks a module in float64: gradients of its input and of every parameter.</summary>
    public static void CheckModule(RlPlat.Engine.NN.Module m, Tensor input, double tol = 1e-5)
    {
        var ps = new List<RlPlat.Engine.NN.Parameter>(m.Parameters());
        var inputs = new List<Tensor> { input };
        foreach (var p in ps) inputs.Add(p.Value);
        Check(xs => m.Forward(xs[0]), inputs.ToArray(), tol: tol);
    }
}
