using System.Text;

namespace RlPlat.Engine;

public static partial class Autograd
{
    /// <summary>
    /// Compares the full Jacobian that backward computes for <paramref name="func"/> with central finite differences, in
    /// float64. Every input that requires grad is checked (each must be float64 and must not overlap itself in memory);
    /// the others are constants. Passes when |analytical - numerical| ≤ atol + rtol·|numerical| for every entry; on a
    /// mismatch throws (or returns false when <paramref name="raiseOnFailure"/> is false) naming the input, the entries
    /// and both values.
    /// </summary>
    public static bool GradCheck(Func<Tensor[], Tensor> func, Tensor[] inputs, double eps = 1e-6, double atol = 1e-5,
        double rtol = 1e-3, bool raiseOnFailure = true)
    {
        ArgumentNullException.ThrowIfNull(func);
        ArgumentNullException.ThrowIfNull(inputs);
        if (!(eps > 0)) throw new ArgumentException($"GradCheck: eps must be positive, got {eps}");
        var diff = DifferentiableInputs(inputs);
        Tensor output;
        using (EnableGrad()) output = func(inputs);
        if (!output.DType.IsFloat())
            throw new ArgumentException($"GradCheck: the function returned a {output.DType.Name()} tensor; only float outputs have gradients");
        int outCount = output.Numel;

        // Numerical Jacobian first: the perturbations write into the inputs without bumping their versions (each value is
        // restored exactly), so no graph recorded afterwards is disturbed.
        var numerical = new double[diff.Length][];
        for (int i = 0; i < diff.Length; i++) numerical[i] = NumericalJacobian(func, inputs, diff[i], outCount, eps);

        var analytical = new double[diff.Length][];
        for (int i = 0; i < diff.Length; i++) analytical[i] = new double[inputs[diff[i]].Numel * outCount];
        if (output.requiresGrad)
        {
            var wrt = new Tensor[diff.Length];
            for (int i = 0; i < diff.Length; i++) wrt[i] = inputs[diff[i]];
            for (int j = 0; j < outCount; j++)
            {
                var oneHot = Tensor.Zeros(output.DType, output.shape);
                oneHot.SetRaw(j, 1);
                Tensor?[] grads;
                using (EnableGrad()) grads = Grad([output], wrt, [oneHot], retainGraph: true, allowUnused: true);
                for (int i = 0; i < diff.Length; i++)
                {
                    var g = grads[i];
                    if (g == null) continue;
                    if (!g.shape.AsSpan().SequenceEqual(wrt[i].shape))
                        throw new InvalidOperationException($"GradCheck: the gradient of input {diff[i]} has shape {Shape.Format(g.shape)}, expected {Shape.Format(wrt[i].shape)}");
                    var values = g.To(DType.Float64).ToArray<double>();
                    for (int e = 0; e < values.Length; e++) analytical[i][e * outCount + j] = values[e];
                }
            }
        }
        return Compare(analytical, numerical, diff, inputs, outCount, atol, rtol, raiseOnFailure, "GradCheck");
    }

    /// <summary>
    /// Checks second derivatives: runs <see cref="GradCheck"/> on the map (inputs, v) → vᵀ·J computed by
    /// <see cref="Grad(Tensor[], Tensor[], Tensor?[], bool, bool, bool)"/> with <c>createGraph: true</c>, for a random
    /// output gradient v (fixed seed).
    /// </summary>
    public static bool GradGradCheck(Func<Tensor[], Tensor> func, Tensor[] inputs, double eps = 1e-6, double atol = 1e-5,
        double rtol = 1e-3, bool raiseOnFailure = true, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(func);
        var diff = DifferentiableInputs(inputs);
        Tensor probe;
        using (EnableGrad()) probe = func(inputs);
        var v = Tensor.Randn(probe.shape, new Generator(seed), DType.Float64).RequiresGrad_();
        var extended = new Tensor[inputs.Length + 1];
        inputs.CopyTo(extended, 0);
        extended[^1] = v;
        Tensor VectorJacobian(Tensor[] xs)
        {
            var y = func(xs[..^1]);
            var wrt = new Tensor[diff.Length];
            for (int i = 0; i < diff.Length; i++) wrt[i] = xs[diff[i]];
            var grads = Grad([y], wrt, [xs[^1]], createGraph: true, allowUnused: true);
            var flat = new Tensor[diff.Length];
            for (int i = 0; i < diff.Length; i++) flat[i] = (grads[i] ?? Tensor.Zeros(DType.Float64, wrt[i].shape)).Reshape(-1);
            return Tensor.Cat(flat);
        }
        return GradCheck(VectorJacobian, extended, eps, atol, rtol, raiseOnFailure);
    }

    private static int[] DifferentiableInputs(Tensor[] inputs)
    {
        var diff = new List<int>();
        for (int i = 0; i < inputs.Length; i++)
        {
            var x = inputs[i];
            if (!x.requiresGrad) continue;
            if (x.DType != DType.Float64)
                throw new ArgumentException($"GradCheck: input {i} (shape {Shape.Format(x.shape)}) is {x.DType.Name()}; finite differences need float64 inputs");
            for (int d = 0; d < x.Rank; d++)
                if (x.strides[d] == 0 && x.shape[d] > 1)
                    throw new ArgumentException($"GradCheck: input {i} (shape {Shape.Format(x.shape)}, strides {Shape.Format(x.strides)}) overlaps itself in memory, so its elements cannot be perturbed one at a time");
            diff.Add(i);
        }
        if (diff.Count == 0) throw new ArgumentException("GradCheck: no input requires grad, so there is nothing to check");
        return diff.ToArray();
    }

    private static double[] NumericalJacobian(Func<Tensor[], Tensor> func, Tensor[] inputs, int which, int outCount, double eps)
    {
        var x = inputs[which];
        var data = (double[])x.storage.Data;
        var jac = new double[x.Numel * outCount];
        var coord = new int[x.Rank];
        for (int e = 0; e < x.Numel; e++)
        {
            int at = x.offset;
            for (int d = 0; d < coord.Length; d++) at += coord[d] * x.strides[d];
            double original = data[at];
            data[at] = original + eps;
            var plus = Evaluate(func, inputs, outCount);
            data[at] = original - eps;
            var minus = Evaluate(func, inputs, outCount);
            data[at] = original;
            for (int j = 0; j < outCount; j++) jac[e * outCount + j] = (plus[j] - minus[j]) / (2 * eps);
            for (int d = coord.Length - 1; d >= 0; d--)
            {
                if (++coord[d] < x.shape[d]) break;
                coord[d] = 0;
            }
        }
        return jac;
    }

    private static double[] Evaluate(Func<Tensor[], Tensor> func, Tensor[] inputs, int outCount)
    {
        Tensor y;
        // Second-order checks differentiate inside func, so the graph must stay on while it runs.
        using (EnableGrad()) y = func(inputs);
        if (y.Numel != outCount)
            throw new InvalidOperationException($"GradCheck: the function returned {y.Numel} elements on one call and {outCount} on another; it must be deterministic");
        return y.Detach().To(DType.Float64).ToArray<double>();
    }

    private static bool Compare(double[][] analytical, double[][] numerical, int[] diff, Tensor[] inputs, int outCount,
        double atol, double rtol, bool raiseOnFailure, string op)
    {
        StringBuilder? report = null;
        int mismatches = 0;
        for (int i = 0; i < diff.Length; i++)
        {
            for (int k = 0; k < analytical[i].Length; k++)
            {
                double a = analytical[i][k], n = numerical[i][k];
                if (Math.Abs(a - n) <= atol + rtol * Math.Abs(n)) continue;
                if (++mismatches > 5) continue;
                report ??= new StringBuilder($"{op}: the analytical Jacobian differs from finite differences");
                report.Append($"; input {diff[i]} (shape {Shape.Format(inputs[diff[i]].shape)}) element {k / outCount}, output element {k % outCount}: analytical {a:G9}, numerical {n:G9}");
            }
        }
        if (mismatches == 0) return true;
        if (!raiseOnFailure) return false;
        throw new InvalidOperationException($"{report} ({mismatches} mismatching entries in all, atol {atol}, rtol {rtol})");
    }
}
