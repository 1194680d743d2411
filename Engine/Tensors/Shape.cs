using System.Text;

namespace RlPlat.Engine;

/// <summary>Shape arithmetic: element counts, contiguous strides, NumPy broadcasting, dim normalization, formatting.</summary>
public static class Shape
{
    internal static readonly int[] Scalar = [];

    /// <summary>Product of the sizes (1 for a scalar shape).</summary>
    public static int Numel(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (var s in shape) n *= s;
        if (n > int.MaxValue) throw new ArgumentException($"shape {Format(shape)} has {n} elements, more than a tensor can hold ({int.MaxValue})");
        return (int)n;
    }

    /// <summary>Row-major (C order) strides for <paramref name="shape"/>.</summary>
    public static int[] ContiguousStrides(ReadOnlySpan<int> shape)
    {
        if (shape.Length == 0) return Scalar;
        var strides = new int[shape.Length];
        int s = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= Math.Max(shape[i], 1);
        }
        return strides;
    }

    /// <summary>Validates sizes (none negative) and returns a private copy.</summary>
    public static int[] Checked(ReadOnlySpan<int> shape)
    {
        foreach (var s in shape)
            if (s < 0) throw new ArgumentException($"shape {Format(shape)} has a negative size");
        return shape.Length == 0 ? Scalar : shape.ToArray();
    }

    /// <summary>NumPy broadcasting of two shapes; the error names both.</summary>
    public static int[] Broadcast(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        if (a.SequenceEqual(b)) return a.Length == 0 ? Scalar : a.ToArray();
        int n = Math.Max(a.Length, b.Length);
        var result = new int[n];
        for (int i = 0; i < n; i++)
        {
            int da = i < n - a.Length ? 1 : a[i - (n - a.Length)];
            int db = i < n - b.Length ? 1 : b[i - (n - b.Length)];
            if (da == db || db == 1) result[i] = da;
            else if (da == 1) result[i] = db;
            else throw new ArgumentException($"shapes {Format(a)} and {Format(b)} do not broadcast (dim {i}: {da} vs {db})");
        }
        return result;
    }

    /// <summary>Maps a possibly negative dim into [0, rank); the error names the dim and the rank.</summary>
    public static int NormalizeDim(int dim, int rank, string op = "dim")
    {
        int r = Math.Max(rank, 1);
        if (dim < -r || dim >= r) throw new ArgumentException($"{op}: dim {dim} is out of range for a tensor of rank {rank} (valid: {-r}..{r - 1})");
        return dim < 0 ? dim + r : dim;
    }

    /// <summary>Normalizes a set of dims (null = all), sorted and checked for repeats.</summary>
    public static int[] NormalizeDims(int[]? dims, int rank, string op)
    {
        if (dims == null || dims.Length == 0 && rank == 0)
        {
            var all = new int[rank];
            for (int i = 0; i < rank; i++) all[i] = i;
            return all;
        }
        var result = new int[dims.Length];
        for (int i = 0; i < dims.Length; i++) result[i] = NormalizeDim(dims[i], rank, op);
        Array.Sort(result);
        for (int i = 1; i < result.Length; i++)
            if (result[i] == result[i - 1]) throw new ArgumentException($"{op}: dim {result[i]} appears more than once in [{string.Join(",", dims)}]");
        return result;
    }

    /// <summary>"[2,3]" style text used in every error message.</summary>
    public static string Format(ReadOnlySpan<int> shape)
    {
        var sb = new StringBuilder("[");
        for (int i = 0; i < shape.Length; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append(shape[i]);
        }
        return sb.Append(']').ToString();
    }
}
