using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using RlPlat.Engine.NN;

namespace RlPlat.Engine.Optim;

/// <summary>Gradient clipping (PyTorch's <c>clip_grad_norm_</c> and <c>clip_grad_value_</c>), in place on the gradients.</summary>
public static class GradClipping
{
    /// <summary>
    /// Scales all gradients together so their total p-norm is at most <paramref name="maxNorm"/> (coefficient
    /// maxNorm / (norm + 1e-6), as PyTorch). Returns the total norm before clipping. <paramref name="normType"/> may be
    /// <see cref="double.PositiveInfinity"/>.
    /// </summary>
    public static double ClipGradNorm(IEnumerable<Parameter> parameters, double maxNorm, double normType = 2, bool errorIfNonfinite = false)
    {
        if (!(maxNorm >= 0)) throw new ArgumentException($"ClipGradNorm: maxNorm must be >= 0, got {maxNorm}");
        if (!(normType > 0)) throw new ArgumentException($"ClipGradNorm: normType must be > 0, got {normType}");
        double acc = 0;
        bool inf = double.IsPositiveInfinity(normType);
        Tensor? deviceAcc = null; // device gradients reduce on the device: one read-back for all of them
        foreach (var p in parameters)
        {
            var g = p.Grad;
            if (g == null) continue;
            if (g.IsOnGpu)
            {
                using (Autograd.NoGrad())
                {
                    var a = g.Abs();
                    var part = inf ? a.Max() : (normType == 2 ? a.Square() : normType == 1 ? a : a.Pow(normType)).Sum().To(DType.Float64);
                    deviceAcc = deviceAcc == null ? part : inf ? deviceAcc.Maximum(part) : deviceAcc.Add(part);
                }
                continue;
            }
            if (!g.IsContiguous) { g = g.Contiguous(); p.Grad = g; }
            // The 2-norm (every clip in the agents) is one vectorized pass; other orders go element by element.
            if (normType == 2 && g.DType == DType.Float32) acc += SumOfSquares(g.AsSpan<float>());
            else if (normType == 2) acc += SumOfSquares(g.AsSpan<double>());
            else if (g.DType == DType.Float32) foreach (var v in g.AsSpan<float>()) acc = Accumulate(acc, Math.Abs(v), normType, inf);
            else foreach (var v in g.AsSpan<double>()) acc = Accumulate(acc, Math.Abs(v), normType, inf);
        }
        if (deviceAcc != null) acc = Accumulate(acc, deviceAcc.Item(), inf ? normType : 1, inf);
        double total = inf ? acc : normType == 2 ? Math.Sqrt(acc) : normType == 1 ? acc : Math.Pow(acc, 1 / normType);
        if (errorIfNonfinite && !double.IsFinite(total))
            throw new InvalidOperationException($"ClipGradNorm: the total norm of order {normType} of the gradients is {total}");
        double coef = maxNorm / (total + 1e-6);
        if (coef < 1)
            using (Autograd.NoGrad())
                foreach (var p in parameters)
                    p.Grad?.MulInPlace(coef);
        return total;
    }

    /// <summary>Σ x² accumulated in double (float32 gradients are widened), vectorized.</summary>
    private static double SumOfSquares(ReadOnlySpan<float> x)
    {
        var acc0 = Vector<double>.Zero;
        var acc1 = Vector<double>.Zero;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            foreach (var v in MemoryMarshal.Cast<float, Vector<float>>(x))
            {
                Vector.Widen(v, out var lo, out var hi);
                acc0 += lo * lo;
                acc1 += hi * hi;
            }
            i = x.Length - x.Length % Vector<float>.Count;
        }
        double sum = Vector.Sum(acc0 + acc1);
        for (; i < x.Length; i++) sum += (double)x[i] * x[i];
        return sum;
    }

    /// <summary>Σ x² of a float64 gradient.</summary>
    private static double SumOfSquares(ReadOnlySpan<double> x) => TensorPrimitives.SumOfSquares(x);

    private static double Accumulate(double acc, double a, double p, bool inf) =>
        inf ? Math.Max(acc, a) : acc + (p == 2 ? a * a : p == 1 ? a : Math.Pow(a, p));

    /// <summary>Clips every gradient element into [-clipValue, clipValue].</summary>
    public static void ClipGradValue(IEnumerable<Parameter> parameters, double clipValue)
    {
        if (!(clipValue >= 0)) throw new ArgumentException($"ClipGradValue: clipValue must be >= 0, got {clipValue}");
        using (Autograd.NoGrad())
            foreach (var p in parameters)
                p.Grad?.ClampInPlace(-clipValue, clipValue);
    }

    /// <summary><see cref="ClipGradNorm(IEnumerable{Parameter}, double, double, bool)"/> over a module's parameters.</summary>
    public static double ClipGradNorm(Module module, double maxNorm, double normType = 2) => ClipGradNorm(module.Parameters(), maxNorm, normType);
}
