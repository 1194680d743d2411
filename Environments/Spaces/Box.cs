namespace RlPlat.Environments;

/// <summary>The element type of a <see cref="Box"/>; it decides the .NET array type of the box's elements.</summary>
public enum BoxDType
{
    /// <summary>Elements are <c>float[]</c> (the default, and what observations use).</summary>
    Float32,
    /// <summary>Elements are <c>double[]</c>.</summary>
    Float64,
    /// <summary>Elements are <c>byte[]</c> (pixels).</summary>
    UInt8,
    /// <summary>Elements are <c>int[]</c>.</summary>
    Int32,
    /// <summary>Elements are <c>long[]</c>.</summary>
    Int64,
}

/// <summary>
/// Gymnasium's <c>Box</c>: a (possibly unbounded) box in R^n. An element is a flat, row-major array whose .NET type
/// follows <see cref="DType"/>: Float32 -> <c>float[]</c>, Float64 -> <c>double[]</c>, UInt8 -> <c>byte[]</c>,
/// Int32 -> <c>int[]</c>, Int64 -> <c>long[]</c>; its length is the product of <see cref="Shape"/>.
/// Bounds are stored as doubles already rounded to the dtype (float32 bounds are float32 values).
/// </summary>
public sealed class Box : Space<Array>
{
    private readonly int[] shape;

    /// <summary>A box with the same scalar bounds in every dimension.</summary>
    public Box(double low, double high, int[] shape, BoxDType dtype = BoxDType.Float32)
        : this(Fill(low, Space.ShapeSize(shape)), Fill(high, Space.ShapeSize(shape)), shape, dtype) { }

    /// <summary>A box with per-dimension bounds; <paramref name="shape"/> defaults to [low.Length].</summary>
    public Box(double[] low, double[] high, int[]? shape = null, BoxDType dtype = BoxDType.Float32)
    {
        shape ??= [low.Length];
        int size = ShapeSize(shape);
        if (low.Length != size || high.Length != size)
            throw new ArgumentException($"Box: low has {low.Length} and high {high.Length} values but shape [{string.Join(",", shape)}] has {size}.");
        this.shape = (int[])shape.Clone();
        DType = dtype;
        Low = new double[size];
        High = new double[size];
        for (int i = 0; i < size; i++)
        {
            if (double.IsNaN(low[i]) || double.IsNaN(high[i]) || low[i] > high[i])
                throw new ArgumentException($"Box: bound {i} is invalid (low {low[i]}, high {high[i]}).");
            Low[i] = RoundToDType(low[i], dtype);
            High[i] = RoundToDType(high[i], dtype);
        }
    }

    /// <summary>Lower bounds, one per element (may be -infinity for float boxes).</summary>
    public double[] Low { get; }

    /// <summary>Upper bounds, one per element (may be +infinity for float boxes).</summary>
    public double[] High { get; }

    /// <inheritdoc />
    public override int[] Shape => shape;

    /// <summary>The element type.</summary>
    public BoxDType DType { get; }

    /// <summary>The number of values in one element.</summary>
    public int Size => Low.Length;

    /// <summary>The .NET element type of the arrays in this box.</summary>
    public Type ElementType => DType switch
    {
        BoxDType.Float32 => typeof(float),
        BoxDType.Float64 => typeof(double),
        BoxDType.UInt8 => typeof(byte),
        BoxDType.Int32 => typeof(int),
        _ => typeof(long),
    };

    /// <summary>True when every dimension has a finite lower and upper bound.</summary>
    public bool IsBounded
    {
        get
        {
            for (int i = 0; i < Low.Length; i++)
                if (double.IsInfinity(Low[i]) || double.IsInfinity(High[i])) return false;
            return true;
        }
    }

    /// <summary>Allocates a zeroed element of the right array type.</summary>
    public Array CreateElement() => Array.CreateInstance(ElementType, Size);

    /// <summary>
    /// Gymnasium's sampling: uniform on bounded dims, low + Exponential on dims bounded below only,
    /// high - Exponential on dims bounded above only, Normal on unbounded dims (in that draw order:
    /// normals, then exponentials, then uniforms). Integer boxes sample [low, high + 1) and floor.
    /// </summary>
    public override Array Sample()
    {
        var values = new double[Size];
        SampleInto(values);
        Array result = CreateElement();
        for (int i = 0; i < values.Length; i++)
        {
            switch (result)
            {
                case float[] f: f[i] = (float)values[i]; break;
                case double[] d: d[i] = values[i]; break;
                case byte[] b: b[i] = (byte)values[i]; break;
                case int[] n: n[i] = (int)values[i]; break;
                case long[] l: l[i] = (long)values[i]; break;
            }
        }
        return result;
    }

    /// <summary>Samples into <paramref name="destination"/> as doubles (already floored and clipped for integer boxes).</summary>
    public void SampleInto(Span<double> destination)
    {
        if (destination.Length != Size) throw new ArgumentException($"Box.SampleInto: destination has {destination.Length} values, box has {Size}.");
        bool isFloat = DType is BoxDType.Float32 or BoxDType.Float64;
        NpRandom rng = NpRandom;
        for (int i = 0; i < Size; i++)
            if (double.IsNegativeInfinity(Low[i]) && double.IsPositiveInfinity(High[i])) destination[i] = rng.Normal();
        for (int i = 0; i < Size; i++)
            if (!double.IsNegativeInfinity(Low[i]) && double.IsPositiveInfinity(High[i])) destination[i] = rng.Exponential() + Low[i];
        for (int i = 0; i < Size; i++)
            if (double.IsNegativeInfinity(Low[i]) && !double.IsPositiveInfinity(High[i]))
                destination[i] = -rng.Exponential() + (isFloat ? High[i] : High[i] + 1);
        for (int i = 0; i < Size; i++)
            if (!double.IsInfinity(Low[i]) && !double.IsInfinity(High[i])) destination[i] = rng.Uniform(Low[i], isFloat ? High[i] : High[i] + 1);
        if (!isFloat)
            for (int i = 0; i < Size; i++) destination[i] = Math.Clamp(Math.Floor(destination[i]), Low[i], High[i]);
    }

    /// <summary>True when <paramref name="value"/> has this box's array type, size, and every value within bounds.</summary>
    public override bool Contains(Array value) => value switch
    {
        float[] f when DType == BoxDType.Float32 => Contains(f),
        double[] d when DType == BoxDType.Float64 => Contains(d),
        byte[] b when DType == BoxDType.UInt8 => Within<byte>(b),
        int[] n when DType == BoxDType.Int32 => Within<int>(n),
        long[] l when DType == BoxDType.Int64 => Within<long>(l),
        _ => false,
    };

    /// <summary>Membership for the values of a Float32 box (false for other dtypes; NaN is never inside).</summary>
    public bool Contains(ReadOnlySpan<float> value)
    {
        if (DType != BoxDType.Float32 || value.Length != Size) return false;
        for (int i = 0; i < value.Length; i++)
            if (!(value[i] >= Low[i] && value[i] <= High[i])) return false;
        return true;
    }

    /// <summary>Membership for the values of a Float64 box (false for other dtypes; NaN is never inside).</summary>
    public bool Contains(ReadOnlySpan<double> value)
    {
        if (DType != BoxDType.Float64 || value.Length != Size) return false;
        for (int i = 0; i < value.Length; i++)
            if (!(value[i] >= Low[i] && value[i] <= High[i])) return false;
        return true;
    }

    private bool Within<T>(T[] value) where T : System.Numerics.INumber<T>
    {
        if (value.Length != Size) return false;
        for (int i = 0; i < value.Length; i++)
        {
            double v = double.CreateTruncating(value[i]);
            if (v < Low[i] || v > High[i]) return false;
        }
        return true;
    }

    /// <summary>Clips float32 values into the box, in place (<c>np.clip(x, low, high)</c>).</summary>
    public void Clip(Span<float> value)
    {
        if (value.Length != Size) throw new ArgumentException($"Box.Clip: value has {value.Length} values, box has {Size}.");
        for (int i = 0; i < value.Length; i++) value[i] = (float)Math.Clamp(value[i], Low[i], High[i]);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"Box({FormatBound(Low)}, {FormatBound(High)}, ({string.Join(",", shape)}), {DType})";

    private static string FormatBound(double[] b)
    {
        for (int i = 1; i < b.Length; i++)
            if (b[i] != b[0]) return "[" + string.Join(", ", b) + "]";
        return b.Length == 0 ? "[]" : b[0].ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static double[] Fill(double value, int size)
    {
        var a = new double[size];
        Array.Fill(a, value);
        return a;
    }

    private static double RoundToDType(double v, BoxDType dtype) => dtype switch
    {
        // float32 bounds: infinities stay infinite; finite values beyond float range saturate like numpy's cast.
        BoxDType.Float32 => (double)(float)v,
        BoxDType.Float64 => v,
        BoxDType.UInt8 => Math.Clamp(Math.Floor(v), byte.MinValue, byte.MaxValue),
        BoxDType.Int32 => Math.Clamp(Math.Floor(v), int.MinValue, int.MaxValue),
        _ => Math.Clamp(Math.Floor(v), long.MinValue, long.MaxValue),
    };
}
