namespace RlPlat.Engine.NN;

/// <summary>Which fan Kaiming init scales by.</summary>
public enum FanMode
{
    /// <summary>Inputs per output (preserves the forward variance).</summary>
    FanIn,
    /// <summary>Outputs per input (preserves the backward variance).</summary>
    FanOut,
}

/// <summary>
/// Weight initializers (PyTorch's <c>nn.init</c>), in place under no-grad. Each takes a <see cref="Generator"/> so
/// init is seeded; null means this thread's default generator.
/// </summary>
public static class Init
{
    /// <summary>PyTorch's recommended gain for a nonlinearity ("linear", "conv", "sigmoid", "tanh", "relu", "leaky_relu", "selu").</summary>
    public static double CalculateGain(string nonlinearity, double param = 0.01) => nonlinearity.ToLowerInvariant() switch
    {
        "linear" or "identity" or "sigmoid" or "conv1d" or "conv2d" or "conv" => 1.0,
        "tanh" => 5.0 / 3,
        "relu" => Math.Sqrt(2.0),
        "leaky_relu" => Math.Sqrt(2.0 / (1 + param * param)),
        "selu" => 3.0 / 4,
        _ => throw new ArgumentException($"CalculateGain: unknown nonlinearity '{nonlinearity}' (linear, conv, sigmoid, tanh, relu, leaky_relu, selu)"),
    };

    /// <summary>(fan_in, fan_out) of a weight of shape [out, in, *kernel].</summary>
    public static (int FanIn, int FanOut) FanInAndFanOut(Tensor t)
    {
        if (t.Rank < 2) throw new ArgumentException($"FanInAndFanOut: needs at least 2 dims, got shape {Shape.Format(t.ShapeSpan)}");
        int receptive = 1;
        for (int d = 2; d < t.Rank; d++) receptive *= t.Size(d);
        return (t.Size(1) * receptive, t.Size(0) * receptive);
    }

    /// <summary>Uniform in [low, high).</summary>
    public static Tensor Uniform(Tensor t, double low = 0, double high = 1, Generator? generator = null)
    {
        using (Autograd.NoGrad()) return t.UniformInPlace(low, high, generator);
    }

    /// <summary>Normal(mean, std).</summary>
    public static Tensor Normal(Tensor t, double mean = 0, double std = 1, Generator? generator = null)
    {
        using (Autograd.NoGrad()) return t.NormalInPlace(mean, std, generator);
    }

    /// <summary>Every element set to <paramref name="value"/>.</summary>
    public static Tensor Constant(Tensor t, double value)
    {
        using (Autograd.NoGrad()) return t.FillInPlace(value);
    }

    /// <summary>Zeros.</summary>
    public static Tensor Zeros(Tensor t) => Constant(t, 0);

    /// <summary>Ones.</summary>
    public static Tensor Ones(Tensor t) => Constant(t, 1);

    /// <summary>Glorot uniform: U(-a, a) with a = gain·sqrt(6 / (fan_in + fan_out)).</summary>
    public static Tensor XavierUniform(Tensor t, double gain = 1, Generator? generator = null)
    {
        var (fi, fo) = FanInAndFanOut(t);
        double a = gain * Math.Sqrt(6.0 / (fi + fo));
        return Uniform(t, -a, a, generator);
    }

    /// <summary>Glorot normal: N(0, gain²·2 / (fan_in + fan_out)).</summary>
    public static Tensor XavierNormal(Tensor t, double gain = 1, Generator? generator = null)
    {
        var (fi, fo) = FanInAndFanOut(t);
        return Normal(t, 0, gain * Math.Sqrt(2.0 / (fi + fo)), generator);
    }

    /// <summary>He uniform: U(-b, b) with b = gain·sqrt(3 / fan); <paramref name="a"/> is the leaky-ReLU slope.</summary>
    public static Tensor KaimingUniform(Tensor t, double a = 0, FanMode mode = FanMode.FanIn, string nonlinearity = "leaky_relu", Generator? generator = null)
    {
        double bound = Math.Sqrt(3.0) * KaimingStd(t, a, mode, nonlinearity);
        return Uniform(t, -bound, bound, generator);
    }

    /// <summary>He normal: N(0, gain² / fan).</summary>
    public static Tensor KaimingNormal(Tensor t, double a = 0, FanMode mode = FanMode.FanIn, string nonlinearity = "leaky_relu", Generator? generator = null) =>
        Normal(t, 0, KaimingStd(t, a, mode, nonlinearity), generator);

    private static double KaimingStd(Tensor t, double a, FanMode mode, string nonlinearity)
    {
        var (fi, fo) = FanInAndFanOut(t);
        int fan = mode == FanMode.FanIn ? fi : fo;
        return CalculateGain(nonlinearity, a) / Math.Sqrt(fan);
    }

    /// <summary>
    /// A (semi-)orthogonal matrix times <paramref name="gain"/>: the Q of a QR decomposition (modified Gram-Schmidt in
    /// float64) of a Gaussian matrix, with signs fixed by R's diagonal so the result is uniform over orthogonal matrices.
    /// Dims after the first are flattened.
    /// </summary>
    public static Tensor Orthogonal(Tensor t, double gain = 1, Generator? generator = null)
    {
        if (t.Rank < 2) throw new ArgumentException($"Orthogonal: needs at least 2 dims, got shape {Shape.Format(t.ShapeSpan)}");
        int rows = t.Size(0), cols = t.Numel / rows;
        var g = generator ?? Generator.Default;
        // Work on a tall matrix a[n, m] (n >= m) stored column-major for cheap column operations.
        bool transpose = rows < cols;
        int n = transpose ? cols : rows, m = transpose ? rows : cols;
        var a = new double[n * m];
        var flat = new double[rows * cols];
        for (int i = 0; i < flat.Length; i++) flat[i] = g.NextNormal();
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                // Element (r, c) of the flat matrix is element (c, r) of its transpose.
                if (transpose) a[r * n + c] = flat[r * cols + c];
                else a[c * n + r] = flat[r * cols + c];
            }
        for (int j = 0; j < m; j++)
        {
            var cj = a.AsSpan(j * n, n);
            for (int k = 0; k < j; k++)
            {
                var ck = a.AsSpan(k * n, n);
                double dot = 0;
                for (int i = 0; i < n; i++) dot += ck[i] * cj[i];
                for (int i = 0; i < n; i++) cj[i] -= dot * ck[i];
            }
            double norm = 0;
            for (int i = 0; i < n; i++) norm += cj[i] * cj[i];
            norm = Math.Sqrt(norm);
            // R's diagonal is the positive norm here, so the sign fix of PyTorch's Householder QR is already applied.
            for (int i = 0; i < n; i++) cj[i] /= norm;
        }
        var result = new double[rows * cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                result[r * cols + c] = gain * (transpose ? a[r * n + c] : a[c * n + r]);
        using (Autograd.NoGrad()) t.CopyInPlace(Tensor.FromArray(result, t.Shape));
        return t;
    }
}
