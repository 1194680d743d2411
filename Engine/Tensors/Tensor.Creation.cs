namespace RlPlat.Engine;

public sealed partial class Tensor
{
    private static int[] ShapeOrLength(int[] shape, int length, string op)
    {
        if (shape.Length == 0) return [length];
        var s = Engine.Shape.Checked(shape);
        int n = Engine.Shape.Numel(s);
        if (n != length) throw new ArgumentException($"{op}: shape {Engine.Shape.Format(s)} needs {n} elements but the array has {length}");
        return s;
    }

    /// <summary>Wraps <paramref name="data"/> without copying: writes through either side are seen by the other. No shape means 1-D.</summary>
    public static Tensor FromArray(float[] data, params int[] shape) => FromArray<float>(data, shape);

    /// <summary>Wraps a double array without copying.</summary>
    public static Tensor FromArray(double[] data, params int[] shape) => FromArray<double>(data, shape);

    /// <summary>Wraps an int array without copying.</summary>
    public static Tensor FromArray(int[] data, params int[] shape) => FromArray<int>(data, shape);

    /// <summary>Wraps a long array without copying.</summary>
    public static Tensor FromArray(long[] data, params int[] shape) => FromArray<long>(data, shape);

    /// <summary>Wraps a bool array without copying.</summary>
    public static Tensor FromArray(bool[] data, params int[] shape) => FromArray<bool>(data, shape);

    /// <summary>Wraps a byte array without copying.</summary>
    public static Tensor FromArray(byte[] data, params int[] shape) => FromArray<byte>(data, shape);

    /// <summary>Wraps any supported element array without copying.</summary>
    public static Tensor FromArray<T>(T[] data, params int[] shape) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        var s = ShapeOrLength(shape, data.Length, "FromArray");
        return new Tensor(new Storage(data, DTypes.Of<T>()), s, Engine.Shape.ContiguousStrides(s), 0);
    }

    /// <summary>Wraps a region of an array without copying (the view starts at <paramref name="offset"/>).</summary>
    public static Tensor FromArray<T>(T[] data, int offset, params int[] shape) where T : unmanaged
    {
        var s = Engine.Shape.Checked(shape);
        int n = Engine.Shape.Numel(s);
        if (offset < 0 || offset + n > data.Length) throw new ArgumentException($"FromArray: {n} elements from offset {offset} do not fit an array of {data.Length}");
        return new Tensor(new Storage(data, DTypes.Of<T>()), s, Engine.Shape.ContiguousStrides(s), offset);
    }

    /// <summary>A copy of a 2-D array.</summary>
    public static Tensor From(float[,] data)
    {
        var flat = new float[data.Length];
        Buffer.BlockCopy(data, 0, flat, 0, data.Length * sizeof(float));
        return FromArray(flat, data.GetLength(0), data.GetLength(1));
    }

    /// <summary>A copy of a 2-D double array.</summary>
    public static Tensor From(double[,] data)
    {
        var flat = new double[data.Length];
        Buffer.BlockCopy(data, 0, flat, 0, data.Length * sizeof(double));
        return FromArray(flat, data.GetLength(0), data.GetLength(1));
    }

    /// <summary>A 0-d tensor holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(double value, DType dtype = DType.Float32) => Full([], value, dtype);

    /// <summary>A float32 tensor of zeros.</summary>
    public static Tensor Zeros(params int[] shape) => Empty(DType.Float32, Engine.Shape.Checked(shape));

    /// <summary>A tensor of zeros of <paramref name="dtype"/>.</summary>
    public static Tensor Zeros(DType dtype, params int[] shape) => Empty(dtype, Engine.Shape.Checked(shape));

    /// <summary>A float32 tensor of ones.</summary>
    public static Tensor Ones(params int[] shape) => Full(shape, 1.0);

    /// <summary>A tensor of ones of <paramref name="dtype"/>.</summary>
    public static Tensor Ones(DType dtype, params int[] shape) => Full(shape, 1.0, dtype);

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(int[] shape, double value, DType dtype = DType.Float32)
    {
        var t = Empty(dtype, Engine.Shape.Checked(shape));
        if (value != 0) t.FillRaw(value);
        return t;
    }

    /// <summary>Zeros shaped and typed like <paramref name="other"/>.</summary>
    public static Tensor ZerosLike(Tensor other) => EmptyLike(other, other.DType, (int[])other.shape.Clone());

    /// <summary>Ones shaped and typed like <paramref name="other"/>.</summary>
    public static Tensor OnesLike(Tensor other) => FullLike(other, 1.0);

    /// <summary>A constant shaped and typed like <paramref name="other"/>.</summary>
    public static Tensor FullLike(Tensor other, double value)
    {
        if (other.storage.gpu == null) return Full(other.shape, value, other.DType);
        var t = EmptyLike(other, other.DType, (int[])other.shape.Clone(), zero: false);
        Backends.Gpu.GpuElementwise.Fill(t, value);
        return t;
    }

    /// <summary>Values from <paramref name="start"/> up to (not including) <paramref name="end"/> in steps of <paramref name="step"/>.</summary>
    public static Tensor Arange(double start, double end, double step = 1, DType dtype = DType.Float32)
    {
        if (step == 0) throw new ArgumentException("Arange: step must be non-zero");
        if (double.IsNaN(start) || double.IsNaN(end)) throw new ArgumentException("Arange: bounds must not be NaN");
        int n = (int)Math.Max(0, Math.Ceiling((end - start) / step));
        var t = Empty(dtype, [n]);
        for (int i = 0; i < n; i++) t.SetRaw(i, start + i * step);
        return t;
    }

    /// <summary>0, 1, ..., end-1.</summary>
    public static Tensor Arange(int end, DType dtype = DType.Float32) => Arange(0, end, 1, dtype);

    /// <summary><paramref name="steps"/> evenly spaced values from start to end inclusive.</summary>
    public static Tensor Linspace(double start, double end, int steps, DType dtype = DType.Float32)
    {
        if (steps < 0) throw new ArgumentException($"Linspace: steps must be non-negative, got {steps}");
        var t = Empty(dtype, [steps]);
        double d = steps > 1 ? (end - start) / (steps - 1) : 0;
        // Like PyTorch, fill the second half from the end so that the last value is exactly `end`.
        for (int i = 0; i < steps; i++) t.SetRaw(i, i < steps / 2 ? start + i * d : end - (steps - 1 - i) * d);
        return t;
    }

    /// <summary>Values 10^x for x evenly spaced from start to end.</summary>
    public static Tensor Logspace(double start, double end, int steps, double @base = 10, DType dtype = DType.Float32)
    {
        var t = Linspace(start, end, steps, DType.Float64);
        var data = t.AsSpan<double>();
        for (int i = 0; i < data.Length; i++) data[i] = Math.Pow(@base, data[i]);
        return t.To(dtype);
    }

    /// <summary>An n x m identity matrix (m defaults to n).</summary>
    public static Tensor Eye(int n, int? m = null, DType dtype = DType.Float32)
    {
        int cols = m ?? n;
        var t = Empty(dtype, Engine.Shape.Checked([n, cols]));
        for (int i = 0; i < Math.Min(n, cols); i++) t.SetRaw(i * cols + i, 1);
        return t;
    }

    /// <summary>Uniform samples in [0, 1).</summary>
    public static Tensor Rand(int[] shape, Generator? generator = null, DType dtype = DType.Float32)
    {
        var g = generator ?? Generator.Default;
        var t = Empty(dtype, Engine.Shape.Checked(shape));
        if (dtype == DType.Float32) foreach (ref var v in t.AsSpan<float>()) v = g.NextFloat();
        else if (dtype == DType.Float64) foreach (ref var v in t.AsSpan<double>()) v = g.NextDouble();
        else throw new ArgumentException($"Rand: needs a float dtype, got {dtype.Name()}");
        return t;
    }

    /// <summary>Uniform float32 samples in [0, 1).</summary>
    public static Tensor Rand(params int[] shape) => Rand(shape, null);

    /// <summary>Standard normal samples.</summary>
    public static Tensor Randn(int[] shape, Generator? generator = null, DType dtype = DType.Float32)
    {
        var g = generator ?? Generator.Default;
        var t = Empty(dtype, Engine.Shape.Checked(shape));
        if (dtype == DType.Float32) foreach (ref var v in t.AsSpan<float>()) v = (float)g.NextNormal();
        else if (dtype == DType.Float64) foreach (ref var v in t.AsSpan<double>()) v = g.NextNormal();
        else throw new ArgumentException($"Randn: needs a float dtype, got {dtype.Name()}");
        return t;
    }

    /// <summary>Standard normal float32 samples.</summary>
    public static Tensor Randn(params int[] shape) => Randn(shape, null);

    /// <summary>Uniform integers in [low, high).</summary>
    public static Tensor RandInt(long low, long high, int[] shape, Generator? generator = null, DType dtype = DType.Int64)
    {
        if (high <= low) throw new ArgumentException($"RandInt: high ({high}) must be greater than low ({low})");
        var g = generator ?? Generator.Default;
        var t = Empty(dtype, Engine.Shape.Checked(shape));
        for (int i = 0; i < t.Numel; i++) t.SetRaw(i, low + g.NextLong(high - low));
        return t;
    }

    /// <summary>Uniform samples shaped like <paramref name="other"/>.</summary>
    public static Tensor RandLike(Tensor other, Generator? generator = null) => Rand(other.shape, generator, other.DType);

    /// <summary>Normal samples shaped like <paramref name="other"/>.</summary>
    public static Tensor RandnLike(Tensor other, Generator? generator = null) => Randn(other.shape, generator, other.DType);

    /// <summary>A random permutation of 0..n-1 (int64).</summary>
    public static Tensor RandPerm(int n, Generator? generator = null)
    {
        var g = generator ?? Generator.Default;
        var p = new long[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--)
        {
            int j = (int)g.NextLong(i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }
        return FromArray(p);
    }

    /// <summary>Seeds this thread's default generator.</summary>
    public static void ManualSeed(long seed) => Generator.Default.ManualSeed(seed);

    /// <summary>Writes a value at a flat index of a contiguous, freshly made tensor (no version bump: creation only).</summary>
    internal void SetRaw(int i, double value)
    {
        switch (storage.Data)
        {
            case float[] f: f[offset + i] = (float)value; break;
            case double[] d: d[offset + i] = value; break;
            case int[] a: a[offset + i] = (int)value; break;
            case long[] l: l[offset + i] = (long)value; break;
            case bool[] b: b[offset + i] = value != 0; break;
            case byte[] u: u[offset + i] = (byte)value; break;
        }
    }

    private void FillRaw(double value)
    {
        switch (storage.Data)
        {
            case float[] f: f.AsSpan(offset, numel).Fill((float)value); break;
            case double[] d: d.AsSpan(offset, numel).Fill(value); break;
            case int[] a: a.AsSpan(offset, numel).Fill((int)value); break;
            case long[] l: l.AsSpan(offset, numel).Fill((long)value); break;
            case bool[] b: b.AsSpan(offset, numel).Fill(value != 0); break;
            case byte[] u: u.AsSpan(offset, numel).Fill((byte)value); break;
        }
    }
}
