namespace RlPlat.Engine;

/// <summary>Order statistics, NaN-aware reductions, running extremes, differences, histograms and covariance.</summary>
public sealed partial class Tensor
{
    /// <summary>Sum over <paramref name="dims"/> treating NaN as zero.</summary>
    public Tensor NanSum(int[]? dims = null, bool keepDim = false)
    {
        if (!DType.IsFloat()) return Sum(dims, keepDim);
        return Where(IsNaN(), ZerosLike(this).Detach(), this).Sum(dims, keepDim);
    }

    /// <summary>Mean over <paramref name="dims"/> of the non-NaN elements (NaN where a group has none).</summary>
    public Tensor NanMean(int[]? dims = null, bool keepDim = false)
    {
        var x = AsFloat();
        var count = x.IsNaN().LogicalNot().To(x.DType).Sum(dims, keepDim);
        return x.NanSum(dims, keepDim).Div(count);
    }

    /// <summary>The lower median of all elements (0-d), as PyTorch: the element at sorted position (n − 1) / 2.</summary>
    public Tensor Median()
    {
        if (numel == 0) throw new ArgumentException($"Median: the tensor is empty (shape {Engine.Shape.Format(shape)})");
        var flat = Reshape(-1);
        var (values, _) = flat.Sort();
        return values.Select(0, (numel - 1) / 2);
    }

    /// <summary>The lower median along <paramref name="dim"/> and an index where it occurs.</summary>
    public (Tensor Values, Tensor Indices) Median(int dim, bool keepDim = false)
    {
        int d = Engine.Shape.NormalizeDim(dim, Rank, "Median");
        if (Rank > 0 && shape[d] == 0) throw new ArgumentException($"Median: dim {d} of shape {Engine.Shape.Format(shape)} is empty");
        return Kthvalue(Rank == 0 ? 1 : (shape[d] - 1) / 2 + 1, d, keepDim);
    }

    /// <summary>The <paramref name="k"/>-th smallest value (1-based) along <paramref name="dim"/> and an index where it occurs.</summary>
    public (Tensor Values, Tensor Indices) Kthvalue(int k, int dim = -1, bool keepDim = false)
    {
        if (Rank == 0)
        {
            if (k != 1) throw new ArgumentException($"Kthvalue: k = {k} is out of range for a 0-d tensor");
            return (Clone(), Zeros(DType.Int64));
        }
        int d = Engine.Shape.NormalizeDim(dim, Rank, "Kthvalue");
        if (k < 1 || k > shape[d]) throw new ArgumentException($"Kthvalue: k = {k} is out of range for dim {d} of size {shape[d]} (k counts from 1)");
        var idx = Argsort(d).Narrow(d, k - 1, 1).Contiguous();
        var values = Gather(d, idx);
        return keepDim ? (values, idx) : (values.Squeeze(d), idx.Squeeze(d));
    }

    /// <summary>
    /// The <paramref name="q"/>-quantile (q in [0, 1]) along <paramref name="dim"/> (null: of all elements), interpolating
    /// linearly between the two nearest sorted values (NumPy's default method).
    /// </summary>
    public Tensor Quantile(double q, int? dim = null, bool keepDim = false)
    {
        if (!(q >= 0 && q <= 1)) throw new ArgumentException($"Quantile: q must be in [0, 1], got {q}");
        var x = AsFloat();
        if (dim == null) x = x.Reshape(-1);
        int d = Engine.Shape.NormalizeDim(dim ?? 0, x.Rank, "Quantile");
        int n = x.shape[d];
        if (n == 0) throw new ArgumentException($"Quantile: dim {d} of shape {Engine.Shape.Format(shape)} is empty");
        var sorted = x.Sort(d).Values;
        double pos = q * (n - 1);
        int lo = (int)Math.Floor(pos), hi = Math.Min(lo + 1, n - 1);
        var r = sorted.Narrow(d, lo, 1).Lerp(sorted.Narrow(d, hi, 1), pos - lo);
        if (dim == null) return keepDim ? r.Reshape(ReduceShapeKeep(null, true)) : r.Reshape();
        return keepDim ? r : r.Squeeze(d);
    }

    /// <summary>Quantiles for several q at once: the result has a leading dim of length <c>qs.Length</c>.</summary>
    public Tensor Quantile(double[] qs, int? dim = null, bool keepDim = false)
    {
        var parts = new Tensor[qs.Length];
        for (int i = 0; i < qs.Length; i++) parts[i] = Quantile(qs[i], dim, keepDim);
        return Stack(parts);
    }

    /// <summary>
    /// The most frequent value along <paramref name="dim"/> (the smallest one on ties) and the index of its last
    /// occurrence, as PyTorch.
    /// </summary>
    public (Tensor Values, Tensor Indices) Mode(int dim = -1, bool keepDim = false)
    {
        if (Rank == 0) return (Clone(), Zeros(DType.Int64));
        int d = Engine.Shape.NormalizeDim(dim, Rank, "Mode");
        int n = shape[d];
        if (n == 0) throw new ArgumentException($"Mode: dim {d} of shape {Engine.Shape.Format(shape)} is empty");
        var (rows, order) = SortedRows(d);
        int o = numel / n;
        var idx = Empty(DType.Int64, (int[])rows.shape.Clone());
        var dst = idx.AsSpan<long>();
        var vals = rows.AsSpan<double>();
        for (int i = 0; i < o; i++)
        {
            var v = vals.Slice(i * n, n);
            var ord = order.AsSpan(i * n, n);
            int bestStart = 0, bestCount = 0;
            for (int s = 0; s < n;)
            {
                int e = s + 1;
                while (e < n && v[ord[e]].Equals(v[ord[s]])) e++;
                if (e - s > bestCount) { bestCount = e - s; bestStart = s; }
                s = e;
            }
            int last = ord[bestStart];
            for (int j = bestStart + 1; j < bestStart + bestCount; j++) last = Math.Max(last, ord[j]);
            dst[i * n] = last;
        }
        var index = idx.Narrow(-1, 0, 1).Transpose(d, -1).Contiguous();
        var values = Gather(d, index);
        return keepDim ? (values, index) : (values.Squeeze(d), index.Squeeze(d));
    }

    /// <summary>Rows of this tensor along <paramref name="d"/> (moved last) as float64, and each row's stable ascending order.</summary>
    private (Tensor Rows, int[] Order) SortedRows(int d)
    {
        Tensor rows;
        using (Autograd.NoGrad()) rows = Transpose(d, -1).To(DType.Float64).Contiguous();
        int n = shape[d], o = n == 0 ? 0 : numel / n;
        var vals = rows.AsSpan<double>();
        var order = new int[o * n];
        var keys = new double[n];
        for (int i = 0; i < o; i++)
        {
            vals.Slice(i * n, n).CopyTo(keys);
            var ord = order.AsSpan(i * n, n);
            for (int j = 0; j < n; j++) ord[j] = j;
            // Ties broken by position make the order total, hence stable; NaN sorts last.
            var k = keys;
            ord.Sort((p, q) => { int c = double.IsNaN(k[p]) ? (double.IsNaN(k[q]) ? 0 : 1) : double.IsNaN(k[q]) ? -1 : k[p].CompareTo(k[q]); return c != 0 ? c : p.CompareTo(q); });
        }
        return (rows, order);
    }

    /// <summary>Running maximum along <paramref name="dim"/> and the index where it was reached (the latest on ties).</summary>
    public (Tensor Values, Tensor Indices) Cummax(int dim) => CumExtreme(dim, max: true);

    /// <summary>Running minimum along <paramref name="dim"/> and the index where it was reached (the latest on ties).</summary>
    public (Tensor Values, Tensor Indices) Cummin(int dim) => CumExtreme(dim, max: false);

    private (Tensor Values, Tensor Indices) CumExtreme(int dim, bool max)
    {
        if (Rank == 0) return (Clone(), Zeros(DType.Int64));
        int d = Engine.Shape.NormalizeDim(dim, Rank, max ? "Cummax" : "Cummin");
        int n = shape[d], o = n == 0 ? 0 : numel / n;
        Tensor rows;
        using (Autograd.NoGrad()) rows = Transpose(d, -1).To(DType.Float64).Contiguous();
        var v = rows.AsSpan<double>();
        var idx = Empty(DType.Int64, (int[])rows.shape.Clone());
        var dst = idx.AsSpan<long>();
        for (int i = 0; i < o; i++)
        {
            int best = 0;
            for (int j = 0; j < n; j++)
            {
                double cur = v[i * n + j], b = v[i * n + best];
                // NaN wins and stays, as PyTorch; otherwise ties move the index forward.
                if (!double.IsNaN(b) && (double.IsNaN(cur) || (max ? cur >= b : cur <= b))) best = j;
                dst[i * n + j] = best;
            }
        }
        var index = idx.Transpose(d, -1).Contiguous();
        return (Gather(d, index), index);
    }

    /// <summary>The <paramref name="n"/>-th forward difference along <paramref name="dim"/>: out[i] = x[i+1] − x[i], applied n times.</summary>
    public Tensor Diff(int n = 1, int dim = -1)
    {
        if (n < 0) throw new ArgumentException($"Diff: n must be non-negative, got {n}");
        int d = Engine.Shape.NormalizeDim(dim, Rank, "Diff");
        var x = DType == DType.Bool ? To(DType.UInt8) : this;
        for (int i = 0; i < n; i++)
        {
            int len = x.shape[d];
            if (len == 0) break;
            x = DType == DType.Bool
                ? x.Narrow(d, 1, len - 1).Ne(x.Narrow(d, 0, len - 1)).To(DType.UInt8)
                : x.Narrow(d, 1, len - 1).Sub(x.Narrow(d, 0, len - 1));
        }
        return DType == DType.Bool ? x.Bool() : x;
    }

    /// <summary>
    /// Histogram of all elements in <paramref name="bins"/> equal-width bins over [min, max] (both 0: the data's range);
    /// elements outside are ignored, max falls in the last bin. Float result, as PyTorch.
    /// </summary>
    public Tensor Histc(int bins = 100, double min = 0, double max = 0)
    {
        if (bins <= 0) throw new ArgumentException($"Histc: bins must be positive, got {bins}");
        if (min > max) throw new ArgumentException($"Histc: min {min} is greater than max {max}");
        var values = To(DType.Float64).Contiguous().ToArray<double>();
        if (min == 0 && max == 0 && values.Length > 0)
        {
            min = double.PositiveInfinity; max = double.NegativeInfinity;
            foreach (var v in values) { min = Math.Min(min, v); max = Math.Max(max, v); }
        }
        if (min == max) { min -= 1; max += 1; }
        var counts = new double[bins];
        double width = (max - min) / bins;
        foreach (var v in values)
        {
            if (!(v >= min && v <= max)) continue;
            int b = v == max ? bins - 1 : (int)((v - min) / width);
            counts[Math.Min(b, bins - 1)]++;
        }
        return FromArray(counts).To(DType.IsFloat() ? DType : DType.Float32);
    }

    /// <summary>
    /// Counts of each value 0..max in a 1-D non-negative integer tensor (at least <paramref name="minLength"/> bins);
    /// with <paramref name="weights"/>, sums the weights instead.
    /// </summary>
    public Tensor Bincount(Tensor? weights = null, int minLength = 0)
    {
        if (Rank != 1 || DType.IsFloat() || DType == DType.Bool)
            throw new ArgumentException($"Bincount: needs a 1-D integer tensor, got shape {Engine.Shape.Format(shape)} of {DType.Name()}");
        if (weights != null && !weights.shape.AsSpan().SequenceEqual(shape))
            throw new ArgumentException($"Bincount: weights of shape {Engine.Shape.Format(weights.shape)} do not match the input's shape {Engine.Shape.Format(shape)}");
        if (minLength < 0) throw new ArgumentException($"Bincount: minLength must be non-negative, got {minLength}");
        var idx = To(DType.Int64).Contiguous().ToArray<long>();
        long top = -1;
        foreach (var i in idx)
        {
            if (i < 0) throw new ArgumentException($"Bincount: values must be non-negative, found {i}");
            top = Math.Max(top, i);
        }
        int len = (int)Math.Max(top + 1, minLength);
        if (weights == null)
        {
            var counts = new long[len];
            foreach (var i in idx) counts[i]++;
            return FromArray(counts);
        }
        var w = weights.To(DType.Float64).Contiguous().ToArray<double>();
        var sums = new double[len];
        for (int k = 0; k < idx.Length; k++) sums[idx[k]] += w[k];
        return FromArray(sums).To(weights.DType.IsFloat() ? weights.DType : DType.Float64);
    }

    /// <summary>
    /// Covariance matrix of the rows (variables) over the columns (observations), as <c>torch.cov</c>; a 1-D input gives
    /// its variance (0-d). <paramref name="correction"/> 1 is the unbiased estimate.
    /// </summary>
    public Tensor Cov(int correction = 1)
    {
        if (Rank > 2) throw new ArgumentException($"Cov: needs a 1-D or 2-D tensor, got shape {Engine.Shape.Format(shape)}");
        var x = AsFloat();
        if (Rank < 2) x = x.Reshape(1, -1);
        int n = x.shape[1];
        var centered = x.Sub(x.Mean(1, keepDim: true));
        var c = centered.Mm(centered.T).Div(Math.Max(n - correction, 0));
        return Rank < 2 ? c.Reshape() : c;
    }

    /// <summary>Pearson correlation coefficients of the rows (variables), as <c>torch.corrcoef</c>.</summary>
    public Tensor Corrcoef()
    {
        var c = Cov();
        if (c.Rank == 0) return c.Div(c);
        var sd = c.Diagonal().Sqrt();
        return c.Div(sd.Outer(sd)).Clamp(-1, 1);
    }
}
