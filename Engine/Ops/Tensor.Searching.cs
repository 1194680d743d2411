namespace RlPlat.Engine;

/// <summary>Distinct values, binary search into sorted sequences, coordinates of non-zeros, one-hot encoding.</summary>
public sealed partial class Tensor
{
    /// <summary>The sorted distinct values of all elements (1-D).</summary>
    public Tensor Unique() => Unique(out _, out _);

    /// <summary>
    /// The sorted distinct values (1-D), with <paramref name="inverse"/> (int64, this tensor's shape: the position of each
    /// element in the result) and <paramref name="counts"/> (int64: how often each value occurs).
    /// </summary>
    public Tensor Unique(out Tensor inverse, out Tensor counts)
    {
        var values = To(DType.Float64).Contiguous().ToArray<double>();
        var order = new int[values.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(order, (p, q) => { int c = values[p].CompareTo(values[q]); return c != 0 ? c : p.CompareTo(q); });
        var inv = new long[values.Length];
        var distinct = new List<int>();
        var count = new List<long>();
        for (int j = 0; j < order.Length; j++)
        {
            if (j == 0 || !values[order[j]].Equals(values[order[j - 1]])) { distinct.Add(order[j]); count.Add(0); }
            inv[order[j]] = distinct.Count - 1;
            count[^1]++;
        }
        var flat = Detach().Reshape(-1);
        var positions = new long[distinct.Count];
        for (int i = 0; i < positions.Length; i++) positions[i] = distinct[i];
        inverse = FromArray(inv, (int[])shape.Clone());
        counts = FromArray(count.ToArray());
        return flat.IndexSelect(0, FromArray(positions));
    }

    /// <summary>
    /// For each of <paramref name="values"/>, the index where it would be inserted into this sorted sequence to keep it
    /// sorted: the first such index, or the last with <paramref name="right"/>. This tensor is 1-D, or has the same leading
    /// dims as <paramref name="values"/> (one sorted row per row of values). Int64 result of values' shape.
    /// </summary>
    public Tensor Searchsorted(Tensor values, bool right = false)
    {
        if (Rank == 0) throw new ArgumentException("Searchsorted: the sorted sequence must have at least 1 dim");
        bool shared = Rank == 1;
        if (!shared && (values.Rank != Rank || !shape.AsSpan(0, Rank - 1).SequenceEqual(values.shape.AsSpan(0, Rank - 1))))
            throw new ArgumentException($"Searchsorted: sorted sequence of shape {Engine.Shape.Format(shape)} needs values with the same leading dims, got {Engine.Shape.Format(values.shape)}");
        var seq = To(DType.Float64).Contiguous().ToArray<double>();
        var v = values.To(DType.Float64).Contiguous().ToArray<double>();
        int m = shape[^1];
        int perRow = shared ? Math.Max(v.Length, 1) : values.Rank == 0 ? 1 : values.shape[^1];
        var result = new long[v.Length];
        for (int i = 0; i < v.Length; i++)
        {
            int row = shared ? 0 : i / Math.Max(perRow, 1);
            int lo = 0, hi = m, at = row * m;
            double x = v[i];
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                double s = seq[at + mid];
                if (right ? s <= x : s < x) lo = mid + 1;
                else hi = mid;
            }
            result[i] = lo;
        }
        return FromArray(result, (int[])values.shape.Clone());
    }

    /// <summary>NumPy's name for <see cref="Nonzero"/>: the coordinates of the non-zero elements, shape [count, rank].</summary>
    public Tensor Argwhere() => Nonzero();

    /// <summary>
    /// One-hot encoding of an integer tensor: a new last dim of <paramref name="numClasses"/> (−1: max value + 1) with a 1
    /// at each element's value (int64).
    /// </summary>
    public Tensor OneHot(int numClasses = -1)
    {
        if (DType.IsFloat() || DType == DType.Bool) throw new ArgumentException($"OneHot: needs an integer tensor, got {DType.Name()}");
        var idx = To(DType.Int64).Contiguous().ToArray<long>();
        long top = -1;
        foreach (var i in idx)
        {
            if (i < 0) throw new ArgumentException($"OneHot: values must be non-negative, found {i}");
            top = Math.Max(top, i);
        }
        if (numClasses < 0) numClasses = (int)(top + 1);
        else if (top >= numClasses) throw new ArgumentException($"OneHot: value {top} is out of range for {numClasses} classes");
        var outShape = new int[Rank + 1];
        shape.CopyTo(outShape, 0);
        outShape[^1] = numClasses;
        var y = Empty(DType.Int64, outShape);
        var dst = y.AsSpan<long>();
        for (int i = 0; i < idx.Length; i++) dst[i * numClasses + (int)idx[i]] = 1;
        return y;
    }
}
