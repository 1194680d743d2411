using System.Numerics.Tensors;
using RlPlat.Engine.Lazy;

namespace RlPlat.Engine;

public sealed partial class Tensor
{
    /// <summary>
    /// Lays out the reduced dims last: returns a contiguous [outer, inner] matrix whose rows are the groups to reduce,
    /// the output shape (with or without the kept size-1 dims), and the keepdim shape.
    /// </summary>
    private (Tensor Rows, int Outer, int Inner, int[] OutShape, int[] KeepShape) ReduceLayout(int[]? dims, bool keepDim, string op)
    {
        var rd = Engine.Shape.NormalizeDims(dims, Rank, op);
        var isReduced = new bool[Rank];
        foreach (var d in rd) isReduced[d] = true;
        var perm = new int[Rank];
        var keepShape = new int[Rank];
        var outShape = new List<int>();
        int k = 0, outer = 1, inner = 1;
        for (int d = 0; d < Rank; d++)
        {
            keepShape[d] = isReduced[d] ? 1 : shape[d];
            if (isReduced[d]) { inner *= shape[d]; continue; }
            perm[k++] = d;
            outer *= shape[d];
            outShape.Add(shape[d]);
        }
        foreach (var d in rd) perm[k++] = d;
        Tensor rows;
        using (Autograd.NoGrad()) rows = Permute(perm).Contiguous();
        return (rows, outer, inner, keepDim ? keepShape : outShape.ToArray(), keepShape);
    }

    /// <summary>Sum over <paramref name="dims"/> (null: all). Integer and bool inputs sum to int64.</summary>
    public Tensor Sum(int[]? dims = null, bool keepDim = false)
    {
        var x = DType.IsFloat() || DType == DType.Int64 ? this : To(DType.Int64);
        var y = x.SumKernel(dims, keepDim);
        if (Autograd.Needs(x)) AttachSum(y, x, dims);
        return y;
    }

    private static void AttachSum(Tensor y, Tensor x, int[]? dims)
    {
        var keepShape = x.ReduceShapeKeep(dims, keepDim: true);
        Autograd.Attach(y, "Sum", [x], g => [g.Reshape(keepShape).Expand(x.shape)]);
    }

    /// <summary>Sum over one dim.</summary>
    public Tensor Sum(int dim, bool keepDim = false) => Sum([dim], keepDim);

    /// <summary>
    /// Sums a float32/float64/int64 tensor. Contiguous inputs reduced over one block of adjacent dims ([outer, reduced, inner])
    /// are summed in place: whole rows added together for inner &gt; 1, a vectorized sum per row for inner == 1. Anything
    /// else is permuted into rows first.
    /// </summary>
    private Tensor SumKernel(int[]? dims, bool keepDim)
    {
        if (storage.gpu != null)
        {
            var (gRows, gOuter, gN, gShape, _) = ReduceLayout(dims, keepDim, "Sum");
            return Backends.Gpu.GpuReductions.Rows(gRows, gOuter, gN, gShape, Backends.Gpu.RowReduction.Sum);
        }
        if (dims == null && LazyGraph.TrySum(this, keepDim ? ReduceShapeKeep(null, true) : Engine.Shape.Scalar) is { } pending) return pending;
        if (dims == null && IsContiguous)
        {
            var all = Empty(DType, keepDim ? ReduceShapeKeep(null, true) : Engine.Shape.Scalar);
            switch (DType)
            {
                case DType.Float32: all.StorageSpan<float>()[0] = SumAll(ArrayOf<float>(this), offset, numel); break;
                case DType.Float64: all.StorageSpan<double>()[0] = SumAll(ArrayOf<double>(this), offset, numel); break;
                default: all.StorageSpan<long>()[0] = SumAll(ArrayOf<long>(this), offset, numel); break;
            }
            return all;
        }
        var rd = Engine.Shape.NormalizeDims(dims, Rank, "Sum");
        bool block = IsContiguous && rd.Length > 0 && rd[^1] - rd[0] == rd.Length - 1;
        if (block)
        {
            int outer = 1, red = 1, inner = 1;
            for (int d = 0; d < Rank; d++)
            {
                if (d < rd[0]) outer *= shape[d];
                else if (d <= rd[^1]) red *= shape[d];
                else inner *= shape[d];
            }
            var y = Empty(DType, ReduceShapeKeep(rd, keepDim));
            switch (DType)
            {
                case DType.Float32: SumBlock(StorageSpan<float>().Slice(offset, numel), outer, red, inner, y.AsSpan<float>()); break;
                case DType.Float64: SumBlock(StorageSpan<double>().Slice(offset, numel), outer, red, inner, y.AsSpan<double>()); break;
                default: SumBlock(StorageSpan<long>().Slice(offset, numel), outer, red, inner, y.AsSpan<long>()); break;
            }
            return y;
        }
        var (rows, o, n, shapeOut, _) = ReduceLayout(rd, keepDim, "Sum");
        var r = Empty(DType, shapeOut);
        switch (DType)
        {
            case DType.Float32: SumBlock(rows.AsSpan<float>(), o, n, 1, r.AsSpan<float>()); break;
            case DType.Float64: SumBlock(rows.AsSpan<double>(), o, n, 1, r.AsSpan<double>()); break;
            case DType.Int64: SumBlock(rows.AsSpan<long>(), o, n, 1, r.AsSpan<long>()); break;
            default: throw new InvalidOperationException($"Sum: unexpected dtype {DType.Name()}");
        }
        return r;
    }

    /// <summary>The sum of <paramref name="n"/> elements from <paramref name="start"/>, split across threads when large.</summary>
    private static T SumAll<T>(T[] data, int start, int n) where T : unmanaged, System.Numerics.INumber<T>
    {
        int tasks = Kernels.Parallelism.TaskCount(n);
        return tasks == 1 ? TensorPrimitives.Sum<T>(data.AsSpan(start, n)) : SumAllParallel(data, start, n, tasks);
    }

    private static T SumAllParallel<T>(T[] data, int start, int n, int tasks) where T : unmanaged, System.Numerics.INumber<T>
    {
        var partial = new T[tasks];
        int chunk = (n + tasks - 1) / tasks;
        Kernels.Parallelism.ForEachTask(tasks, t =>
        {
            int s = t * chunk;
            partial[t] = TensorPrimitives.Sum<T>(data.AsSpan(start + s, Math.Max(0, Math.Min(chunk, n - s))));
        });
        return TensorPrimitives.Sum<T>(partial);
    }

    /// <summary>dst[o, i] = Σ_r src[o, r, i] over a contiguous [outer, red, inner] block.</summary>
    private static void SumBlock<T>(ReadOnlySpan<T> src, int outer, int red, int inner, Span<T> dst) where T : unmanaged, System.Numerics.INumber<T>
    {
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++) dst[o] = TensorPrimitives.Sum(src.Slice(o * red, red));
            return;
        }
        dst.Clear();
        for (int o = 0; o < outer; o++)
        {
            var d = dst.Slice(o * inner, inner);
            var block = src.Slice(o * red * inner, red * inner);
            for (int r = 0; r < red; r++) TensorPrimitives.Add(d, block.Slice(r * inner, inner), d);
        }
    }

    private static void AddRows<T>(ReadOnlySpan<T> src, int outer, int inner, Span<T> dst) where T : unmanaged, System.Numerics.INumber<T>
    {
        dst.Clear();
        for (int i = 0; i < outer; i++) TensorPrimitives.Add(dst, src.Slice(i * inner, inner), dst);
    }

    /// <summary>Mean over <paramref name="dims"/> (null: all).</summary>
    public Tensor Mean(int[]? dims = null, bool keepDim = false)
    {
        var x = AsFloat();
        int count = ReducedCount(dims);
        return x.Sum(dims, keepDim).Div(count);
    }

    /// <summary>Mean over one dim.</summary>
    public Tensor Mean(int dim, bool keepDim = false) => Mean([dim], keepDim);

    private int ReducedCount(int[]? dims)
    {
        int count = 1;
        foreach (var d in Engine.Shape.NormalizeDims(dims, Rank, "reduce")) count *= shape[d];
        return count;
    }

    /// <summary>Product over <paramref name="dims"/> (null: all); the gradient is exact even with zeros.</summary>
    public Tensor Prod(int[]? dims = null, bool keepDim = false)
    {
        var x = DType.IsFloat() || DType == DType.Int64 ? this : To(DType.Int64);
        var (rows, o, n, outShape, keepShape) = x.ReduceLayout(dims, keepDim, "Prod");
        var r = Empty(x.DType, outShape);
        if (n > 0) switch (x.DType)
        {
            case DType.Float32: { var s = rows.AsSpan<float>(); var d = r.AsSpan<float>(); for (int i = 0; i < o; i++) d[i] = TensorPrimitives.Product<float>(s.Slice(i * n, n)); break; }
            case DType.Float64: { var s = rows.AsSpan<double>(); var d = r.AsSpan<double>(); for (int i = 0; i < o; i++) d[i] = TensorPrimitives.Product<double>(s.Slice(i * n, n)); break; }
            default: { var s = rows.AsSpan<long>(); var d = r.AsSpan<long>(); for (int i = 0; i < o; i++) { long p = 1; foreach (var v in s.Slice(i * n, n)) p *= v; d[i] = p; } break; }
        }
        if (n == 0) r.FillRaw(1);
        if (Autograd.Needs(x))
        {
            var rd = Engine.Shape.NormalizeDims(dims, x.Rank, "Prod");
            Autograd.Attach(r, "Prod", [x], g => [g.Reshape(keepShape).Expand(x.shape).Mul(x.ProductOfOthers(rd))], x);
        }
        return r;
    }

    /// <summary>Product over one dim.</summary>
    public Tensor Prod(int dim, bool keepDim = false) => Prod([dim], keepDim);

    /// <summary>For each element, the product of the other elements of its reduction group (differentiable; exact with zeros).</summary>
    private Tensor ProductOfOthers(int[] rd)
    {
        var isReduced = new bool[Rank];
        foreach (var d in rd) isReduced[d] = true;
        var perm = new int[Rank];
        int k = 0;
        for (int d = 0; d < Rank; d++) if (!isReduced[d]) perm[k++] = d;
        foreach (var d in rd) perm[k++] = d;
        var inverse = new int[Rank];
        for (int i = 0; i < Rank; i++) inverse[perm[i]] = i;
        var p = Permute(perm);
        var pShape = p.shape;
        int inner = 1;
        foreach (var d in rd) inner *= shape[d];
        var m = p.Reshape(-1, inner);
        var ones = OnesLike(m.Narrow(1, 0, 1));
        var left = Cat([ones, m.Narrow(1, 0, inner - 1).CumProd(1)], 1);
        var right = Cat([m.Flip(1).Narrow(1, 0, inner - 1).CumProd(1).Flip(1), ones], 1);
        return left.Mul(right).Reshape(pShape).Permute(inverse);
    }

    /// <summary>Largest value over all elements (0-d).</summary>
    public Tensor Max() => Amax(null);

    /// <summary>Smallest value over all elements (0-d).</summary>
    public Tensor Min() => Amin(null);

    /// <summary>Maximum over <paramref name="dims"/>; ties share the gradient equally.</summary>
    public Tensor Amax(int[]? dims, bool keepDim = false) => Extreme(dims, keepDim, true);

    /// <summary>Minimum over <paramref name="dims"/>; ties share the gradient equally.</summary>
    public Tensor Amin(int[]? dims, bool keepDim = false) => Extreme(dims, keepDim, false);

    private Tensor Extreme(int[]? dims, bool keepDim, bool max)
    {
        if (numel == 0) throw new ArgumentException($"{(max ? "Max" : "Min")}: the tensor is empty (shape {Engine.Shape.Format(shape)}), so it has no {(max ? "maximum" : "minimum")}");
        var (rows, o, n, outShape, keepShape) = ReduceLayout(dims, keepDim, max ? "Max" : "Min");
        if (n == 0) throw new ArgumentException($"{(max ? "Max" : "Min")}: reducing over an empty dim of shape {Engine.Shape.Format(shape)}");
        if (DType == DType.Bool) return To(DType.UInt8).Extreme(dims, keepDim, max).Bool();
        Tensor r;
        if (rows.storage.gpu != null) r = Backends.Gpu.GpuReductions.Rows(rows, o, n, outShape, max ? Backends.Gpu.RowReduction.Max : Backends.Gpu.RowReduction.Min);
        else r = Empty(DType, outShape);
        if (rows.storage.gpu == null)
        switch (DType)
        {
            case DType.Float32: { var s = rows.AsSpan<float>(); var d = r.AsSpan<float>(); for (int i = 0; i < o; i++) d[i] = max ? TensorPrimitives.Max<float>(s.Slice(i * n, n)) : TensorPrimitives.Min<float>(s.Slice(i * n, n)); break; }
            case DType.Float64: { var s = rows.AsSpan<double>(); var d = r.AsSpan<double>(); for (int i = 0; i < o; i++) d[i] = max ? TensorPrimitives.Max<double>(s.Slice(i * n, n)) : TensorPrimitives.Min<double>(s.Slice(i * n, n)); break; }
            case DType.Int32: { var s = rows.AsSpan<int>(); var d = r.AsSpan<int>(); for (int i = 0; i < o; i++) d[i] = max ? TensorPrimitives.Max<int>(s.Slice(i * n, n)) : TensorPrimitives.Min<int>(s.Slice(i * n, n)); break; }
            case DType.Int64: { var s = rows.AsSpan<long>(); var d = r.AsSpan<long>(); for (int i = 0; i < o; i++) d[i] = max ? TensorPrimitives.Max<long>(s.Slice(i * n, n)) : TensorPrimitives.Min<long>(s.Slice(i * n, n)); break; }
            case DType.UInt8: { var s = rows.AsSpan<byte>(); var d = r.AsSpan<byte>(); for (int i = 0; i < o; i++) d[i] = max ? TensorPrimitives.Max<byte>(s.Slice(i * n, n)) : TensorPrimitives.Min<byte>(s.Slice(i * n, n)); break; }
            case DType.Bool: return To(DType.UInt8).Extreme(dims, keepDim, max).Bool();
        }
        if (Autograd.Needs(this))
        {
            var x = this;
            Autograd.Attach(r, max ? "Amax" : "Amin", [x], g =>
            {
                var mask = x.Eq(r.Reshape(keepShape)).To(g.DType);
                return [mask.Div(mask.Sum(dims, keepDim: true)).Mul(g.Reshape(keepShape))];
            }, x, r);
        }
        return r;
    }

    /// <summary>Indices of the maximum along <paramref name="dim"/> (null: of the flattened tensor); first one on ties.</summary>
    public Tensor ArgMax(int? dim = null, bool keepDim = false) => ArgExtreme(dim, keepDim, true);

    /// <summary>Indices of the minimum along <paramref name="dim"/> (null: of the flattened tensor); first one on ties.</summary>
    public Tensor ArgMin(int? dim = null, bool keepDim = false) => ArgExtreme(dim, keepDim, false);

    private Tensor ArgExtreme(int? dim, bool keepDim, bool max)
    {
        var src = dim == null ? Reshape(-1) : this;
        int d = dim ?? 0;
        var (rows, o, n, outShape, _) = src.ReduceLayout([d], keepDim && dim != null, max ? "ArgMax" : "ArgMin");
        if (n == 0) throw new ArgumentException($"{(max ? "ArgMax" : "ArgMin")}: reducing over an empty dim of shape {Engine.Shape.Format(shape)}");
        if (rows.storage.gpu != null) return Backends.Gpu.GpuReductions.ArgRows(rows, o, n, outShape, max);
        var r = Empty(DType.Int64, outShape);
        var dst = r.AsSpan<long>();
        var vals = rows.DType == DType.Float64 ? rows : rows.To(DType.Float64);
        var s = vals.AsSpan<double>();
        for (int i = 0; i < o; i++)
        {
            var row = s.Slice(i * n, n);
            int best = 0;
            for (int j = 1; j < n; j++)
            {
                if (double.IsNaN(row[best])) break;
                if (double.IsNaN(row[j]) || (max ? row[j] > row[best] : row[j] < row[best])) best = j;
            }
            dst[i] = best;
        }
        return r;
    }

    /// <summary>Maximum along <paramref name="dim"/> with the indices where it is reached.</summary>
    public (Tensor Values, Tensor Indices) Max(int dim, bool keepDim = false)
    {
        var idx = ArgMax(dim, keepDim: true);
        var values = Gather(dim, idx);
        return keepDim ? (values, idx) : (values.Squeeze(dim), idx.Squeeze(dim));
    }

    /// <summary>Minimum along <paramref name="dim"/> with the indices where it is reached.</summary>
    public (Tensor Values, Tensor Indices) Min(int dim, bool keepDim = false)
    {
        var idx = ArgMin(dim, keepDim: true);
        var values = Gather(dim, idx);
        return keepDim ? (values, idx) : (values.Squeeze(dim), idx.Squeeze(dim));
    }

    /// <summary>Variance over <paramref name="dims"/> with Bessel's <paramref name="correction"/> (1 = unbiased, as PyTorch's default).</summary>
    public Tensor Var(int[]? dims = null, int correction = 1, bool keepDim = false)
    {
        var x = AsFloat();
        int n = x.ReducedCount(dims);
        var diff = x.Sub(x.Mean(dims, keepDim: true));
        return diff.Square().Sum(dims, keepDim).Div(Math.Max(n - correction, 0));
    }

    /// <summary>Standard deviation over <paramref name="dims"/>.</summary>
    public Tensor Std(int[]? dims = null, int correction = 1, bool keepDim = false) => Var(dims, correction, keepDim).Sqrt();

    /// <summary>log Σ exp(x) over <paramref name="dims"/>, computed without overflow.</summary>
    public Tensor LogSumExp(int[] dims, bool keepDim = false)
    {
        var x = AsFloat();
        Tensor m;
        using (Autograd.NoGrad())
        {
            m = x.Amax(dims, keepDim: true);
            m = Where(m.IsFinite(), m, ZerosLike(m));
        }
        var r = x.Sub(m).Exp().Sum(dims, keepDim: true).Log().Add(m);
        return keepDim ? r : r.Reshape(x.ReduceShape(dims));
    }

    /// <summary>LogSumExp over one dim.</summary>
    public Tensor LogSumExp(int dim, bool keepDim = false) => LogSumExp([dim], keepDim);

    private int[] ReduceShape(int[]? dims)
    {
        var rd = Engine.Shape.NormalizeDims(dims, Rank, "reduce");
        var s = new List<int>();
        for (int d = 0; d < Rank; d++) if (Array.IndexOf(rd, d) < 0) s.Add(shape[d]);
        return s.ToArray();
    }

    /// <summary>The p-norm over <paramref name="dims"/> (p = 2 default; p = ∞ is the max of |x|).</summary>
    public Tensor Norm(double p = 2, int[]? dims = null, bool keepDim = false)
    {
        var x = AsFloat();
        if (double.IsPositiveInfinity(p)) return x.Abs().Amax(dims, keepDim);
        if (p == 1) return x.Abs().Sum(dims, keepDim);
        if (p == 2) return x.EuclideanNorm(dims, keepDim);
        if (p <= 0) throw new ArgumentException($"Norm: p must be positive, got {p}");
        return x.Abs().Pow(p).Sum(dims, keepDim).Pow(1 / p);
    }

    /// <summary>‖x‖₂ with PyTorch's gradient x/‖x‖, taken as 0 where the norm is 0 (sqrt's own gradient would give NaN there).</summary>
    private Tensor EuclideanNorm(int[]? dims, bool keepDim)
    {
        Tensor y;
        using (Autograd.NoGrad()) y = Square().Sum(dims, keepDim).Sqrt();
        if (Autograd.Needs(this))
        {
            var x = this;
            var keepShape = ReduceShapeKeep(dims, keepDim: true);
            Autograd.Attach(y, "Norm", [x], g =>
            {
                var norm = y.Reshape(keepShape);
                var safe = Where(norm.Eq(0), FullLike(norm, double.PositiveInfinity).Detach(), norm);
                return [g.Reshape(keepShape).Mul(x).Div(safe)];
            }, x, y);
        }
        return y;
    }

    /// <summary>True (bool 0-d or per group) when every element is non-zero.</summary>
    public Tensor All(int[]? dims = null, bool keepDim = false) => Bool().To(DType.UInt8).Amin0(dims, keepDim).Bool();

    /// <summary>True when any element is non-zero.</summary>
    public Tensor Any(int[]? dims = null, bool keepDim = false) => Bool().To(DType.UInt8).Amax0(dims, keepDim).Bool();

    private Tensor Amin0(int[]? dims, bool keepDim) => numel == 0 ? Ones(DType.UInt8, ReduceShapeKeep(dims, keepDim)) : Amin(dims, keepDim);

    private Tensor Amax0(int[]? dims, bool keepDim) => numel == 0 ? Zeros(DType.UInt8, ReduceShapeKeep(dims, keepDim)) : Amax(dims, keepDim);

    private int[] ReduceShapeKeep(int[]? dims, bool keepDim)
    {
        if (!keepDim) return ReduceShape(dims);
        var rd = Engine.Shape.NormalizeDims(dims, Rank, "reduce");
        var s = (int[])shape.Clone();
        foreach (var d in rd) s[d] = 1;
        return s;
    }

    /// <summary>Number of non-zero elements.</summary>
    public long CountNonzero() => (long)Bool().To(DType.Int64).Sum().Item();

    /// <summary>Running sum along <paramref name="dim"/>.</summary>
    public Tensor CumSum(int dim)
    {
        var x = DType.IsFloat() || DType == DType.Int64 ? this : To(DType.Int64);
        int d = Engine.Shape.NormalizeDim(dim, Rank, "CumSum");
        var y = x.Scan(d, product: false);
        if (Autograd.Needs(x)) Autograd.Attach(y, "CumSum", [x], g => [g.Flip(d).CumSum(d).Flip(d)]);
        return y;
    }

    /// <summary>Running product along <paramref name="dim"/>.</summary>
    public Tensor CumProd(int dim)
    {
        var x = DType.IsFloat() || DType == DType.Int64 ? this : To(DType.Int64);
        int d = Engine.Shape.NormalizeDim(dim, Rank, "CumProd");
        var y = x.Scan(d, product: true);
        if (Autograd.Needs(x)) Autograd.Attach(y, "CumProd", [x], g => [CumProdBackward(g, x, y, d)], x, y);
        return y;
    }

    /// <summary>
    /// dx_i = Σ_{j≥i} g_j · Π_{k≤j, k≠i} x_k. Without zeros that is reverse-cumsum(g·y) / x (O(n)); with a zero the
    /// division is 0/0, so the products are formed explicitly (O(n²), only then).
    /// </summary>
    private static Tensor CumProdBackward(Tensor g, Tensor x, Tensor y, int d)
    {
        bool hasZero;
        using (Autograd.NoGrad()) hasZero = x.Eq(0).Any().Item() != 0;
        if (!hasZero) return g.Mul(y).Flip(d).CumSum(d).Flip(d).Div(x);
        int n = x.shape[d];
        var xt = x.Transpose(d, -1);
        var square = (int[])xt.shape.Clone();
        Array.Resize(ref square, square.Length + 1);
        square[^1] = n;
        square[^2] = n;
        // Row i of `others` is x with x_i replaced by 1; its running product along k is Π_{k≤j, k≠i} x_k.
        var others = Where(Eye(n, dtype: DType.Bool).LogicalNot(), xt.Unsqueeze(-2).Expand(square), 1.0).CumProd(-1);
        var upper = Ones(x.DType, n, n).Triu();
        return others.Mul(upper).Mul(g.Transpose(d, -1).Unsqueeze(-2)).Sum(-1).Transpose(d, -1);
    }

    private Tensor Scan(int d, bool product)
    {
        if (Rank == 0) return Clone();
        var moved = Transpose(d, -1);
        Tensor rows;
        using (Autograd.NoGrad()) rows = moved.Contiguous();
        if (ReferenceEquals(rows, moved)) rows = moved.Clone();
        rows = rows.Detach();
        int n = shape[d], o = n == 0 ? 0 : numel / n;
        switch (DType)
        {
            case DType.Float32: ScanRows(rows.AsSpan<float>(), o, n, product); break;
            case DType.Float64: ScanRows(rows.AsSpan<double>(), o, n, product); break;
            default: ScanRows(rows.AsSpan<long>(), o, n, product); break;
        }
        Tensor r;
        using (Autograd.NoGrad()) r = rows.Transpose(d, -1).Contiguous();
        return r.Detach();
    }

    private static void ScanRows<T>(Span<T> data, int rows, int n, bool product) where T : unmanaged, System.Numerics.INumber<T>
    {
        for (int i = 0; i < rows; i++)
        {
            var row = data.Slice(i * n, n);
            for (int j = 1; j < n; j++) row[j] = product ? row[j - 1] * row[j] : row[j - 1] + row[j];
        }
    }

    /// <summary>Softmax along <paramref name="dim"/>.</summary>
    public Tensor Softmax(int dim)
    {
        var x = AsFloat();
        int d = Engine.Shape.NormalizeDim(dim, x.Rank, "Softmax");
        var y = x.SoftmaxKernel(d, log: false);
        if (Autograd.Needs(x)) Autograd.Attach(y, "Softmax", [x], g => [y.Mul(g.Sub(g.Mul(y).Sum(d, keepDim: true)))], y);
        return y;
    }

    /// <summary>log(softmax(x)) along <paramref name="dim"/>, computed stably.</summary>
    public Tensor LogSoftmax(int dim)
    {
        var x = AsFloat();
        int d = Engine.Shape.NormalizeDim(dim, x.Rank, "LogSoftmax");
        var y = x.SoftmaxKernel(d, log: true);
        if (Autograd.Needs(x)) Autograd.Attach(y, "LogSoftmax", [x], g => [g.Sub(y.Exp().Mul(g.Sum(d, keepDim: true)))], y);
        return y;
    }

    private Tensor SoftmaxKernel(int d, bool log)
    {
        if (Rank == 0) return log ? ZerosLike(this) : OnesLike(this);
        bool last = d == Rank - 1;
        Tensor rows;
        using (Autograd.NoGrad()) rows = (last ? this : Transpose(d, -1)).Contiguous();
        int n = shape[d], o = n == 0 ? 0 : numel / n;
        Tensor y;
        if (rows.storage.gpu != null) y = Backends.Gpu.GpuReductions.Softmax(rows, o, n, log);
        else
        {
            y = Empty(DType, (int[])rows.shape.Clone());
            if (DType == DType.Float32) SoftmaxRows(rows.AsSpan<float>(), y.AsSpan<float>(), o, n, log);
            else SoftmaxRows(rows.AsSpan<double>(), y.AsSpan<double>(), o, n, log);
        }
        if (last) return y;
        Tensor r;
        using (Autograd.NoGrad()) r = y.Transpose(d, -1).Contiguous();
        return r.Detach();
    }

    private static void SoftmaxRows<T>(ReadOnlySpan<T> x, Span<T> y, int rows, int n, bool log) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        for (int i = 0; i < rows; i++)
        {
            var xr = x.Slice(i * n, n);
            var yr = y.Slice(i * n, n);
            T m = TensorPrimitives.Max(xr);
            if (!T.IsFinite(m)) m = T.Zero;
            TensorPrimitives.Subtract(xr, m, yr);
            if (log)
            {
                var tmp = yr;
                T sum = T.Zero;
                foreach (var v in tmp) sum += T.Exp(v);
                TensorPrimitives.Subtract(yr, T.Log(sum), yr);
            }
            else
            {
                Kernels.ExpOp.Apply<T>(yr, yr);
                T sum = TensorPrimitives.Sum<T>(yr);
                TensorPrimitives.Divide(yr, sum, yr);
            }
        }
    }
}
