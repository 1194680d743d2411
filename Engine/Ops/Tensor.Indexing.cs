using RlPlat.Engine.Kernels;

namespace RlPlat.Engine;

public sealed partial class Tensor
{
    private static long[] IndexArray(Tensor index, string op)
    {
        if (index.DType is not (DType.Int64 or DType.Int32 or DType.UInt8))
            throw new ArgumentException($"{op}: index must be an integer tensor, got {index.DType.Name()}");
        return index.To(DType.Int64).Contiguous().ToArray<long>();
    }

    private static long CheckIndex(long i, int size, string op, int dim)
    {
        if (i < -size || i >= size) throw new ArgumentException($"{op}: index {i} is out of range for dim {dim} of size {size}");
        return i < 0 ? i + size : i;
    }

    /// <summary>Walks a row-major shape, yielding the running flat index and the coordinate array.</summary>
    private static void Advance(int[] coord, int[] shape)
    {
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            if (++coord[d] < shape[d]) return;
            coord[d] = 0;
        }
    }

    private void CheckGatherShapes(int d, Tensor index, string op, Tensor? src = null)
    {
        if (index.Rank != Rank) throw new ArgumentException($"{op}: index has rank {index.Rank} but the tensor has rank {Rank} (shapes {Engine.Shape.Format(index.shape)} and {Engine.Shape.Format(shape)})");
        for (int i = 0; i < Rank; i++)
        {
            if (i != d && index.shape[i] > shape[i]) throw new ArgumentException($"{op}: index shape {Engine.Shape.Format(index.shape)} exceeds tensor shape {Engine.Shape.Format(shape)} at dim {i}");
            if (src != null && index.shape[i] > src.shape[i]) throw new ArgumentException($"{op}: index shape {Engine.Shape.Format(index.shape)} exceeds source shape {Engine.Shape.Format(src.shape)} at dim {i}");
        }
    }

    /// <summary>out[i][j][k] = x[i][index[i][j][k]][k] for dim 1 (and likewise for any dim).</summary>
    public Tensor Gather(int dim, Tensor index)
    {
        int d = Engine.Shape.NormalizeDim(dim, Rank, "Gather");
        CheckGatherShapes(d, index, "Gather");
        var y = storage.gpu != null ? Backends.Gpu.GpuIndexing.Gather(this, d, CheckedIndex(index, "Gather")) : GatherHost(d, index);
        if (Autograd.Needs(this))
        {
            var xs = shape;
            Autograd.Attach(y, "Gather", [this], g => [EmptyLike(g, g.DType, (int[])xs.Clone()).ScatterAdd(d, index, g)]);
        }
        return y;
    }

    private Tensor GatherHost(int d, Tensor index)
    {
        var idx = IndexArray(index, "Gather");
        var y = Empty(DType, (int[])index.shape.Clone());
        var coord = new int[Rank];
        var ys = y.shape;
        for (int f = 0; f < idx.Length; f++)
        {
            int o = offset;
            for (int k = 0; k < Rank; k++) o += (k == d ? (int)CheckIndex(idx[f], shape[d], "Gather", d) : coord[k]) * strides[k];
            y.CopyElement(f, this, o);
            Advance(coord, ys);
        }
        return y;
    }

    /// <summary>The index tensor after the dtype check (device ops check the range on the device).</summary>
    private static Tensor CheckedIndex(Tensor index, string op) => index.DType is DType.Int64 or DType.Int32 or DType.UInt8
        ? index
        : throw new ArgumentException($"{op}: index must be an integer tensor, got {index.DType.Name()}");

    private void CopyElement(int dstFlat, Tensor src, int srcStorage)
    {
        switch (storage.Data)
        {
            case float[] f: f[offset + dstFlat] = ArrayOf<float>(src)[srcStorage]; break;
            case double[] dd: dd[offset + dstFlat] = ArrayOf<double>(src)[srcStorage]; break;
            case int[] a: a[offset + dstFlat] = ArrayOf<int>(src)[srcStorage]; break;
            case long[] l: l[offset + dstFlat] = ArrayOf<long>(src)[srcStorage]; break;
            case bool[] b: b[offset + dstFlat] = ArrayOf<bool>(src)[srcStorage]; break;
            case byte[] u: u[offset + dstFlat] = ArrayOf<byte>(src)[srcStorage]; break;
        }
    }

    private Tensor ScatterImpl(int dim, Tensor index, Tensor src, bool add, string op)
    {
        int d = Engine.Shape.NormalizeDim(dim, Rank, op);
        CheckGatherShapes(d, index, op, src);
        Tensor y;
        using (Autograd.NoGrad()) y = Clone();
        if (storage.gpu != null)
        {
            Backends.Gpu.GpuIndexing.ScatterInto(y, d, CheckedIndex(index, op), src, add, alongIndex: false, op);
            return y.Detach();
        }
        var idx = IndexArray(index, op);
        var s = src.To(DType);
        var coord = new int[Rank];
        var ish = index.shape;
        for (int f = 0; f < idx.Length; f++)
        {
            int o = 0, so = s.offset;
            for (int k = 0; k < Rank; k++)
            {
                o += (k == d ? (int)CheckIndex(idx[f], shape[d], op, d) : coord[k]) * y.strides[k];
                so += coord[k] * s.strides[k];
            }
            if (add) y.AddElement(o, s, so);
            else y.CopyElement(o, s, so);
            Advance(coord, ish);
        }
        return y.Detach();
    }

    private void AddElement(int dst, Tensor src, int srcStorage)
    {
        switch (storage.Data)
        {
            case float[] f: f[offset + dst] += ArrayOf<float>(src)[srcStorage]; break;
            case double[] dd: dd[offset + dst] += ArrayOf<double>(src)[srcStorage]; break;
            case int[] a: a[offset + dst] += ArrayOf<int>(src)[srcStorage]; break;
            case long[] l: l[offset + dst] += ArrayOf<long>(src)[srcStorage]; break;
            case byte[] u: u[offset + dst] += ArrayOf<byte>(src)[srcStorage]; break;
            default: throw new ArgumentException($"ScatterAdd: not defined for dtype {DType.Name()}");
        }
    }

    /// <summary>A copy with <c>out[i][index[i][j]] = src[i][j]</c> along <paramref name="dim"/>.</summary>
    public Tensor Scatter(int dim, Tensor index, Tensor src)
    {
        var y = ScatterImpl(dim, index, src, add: false, "Scatter");
        if (Autograd.Needs(this, src))
        {
            var x = this;
            Autograd.Attach(y, "Scatter", [x, src], g => [
                x.requiresGrad ? g.Scatter(dim, index, ZerosLike(index).To(g.DType)) : null,
                src.requiresGrad ? g.Gather(dim, index).ZeroPadTo(src.shape) : null]);
        }
        return y;
    }

    /// <summary>Pads with zeros at the end of each dim up to <paramref name="target"/> (src may be larger than the index).</summary>
    private Tensor ZeroPadTo(int[] target)
    {
        if (shape.AsSpan().SequenceEqual(target)) return this;
        var pads = new int[2 * Rank];
        for (int i = 0; i < Rank; i++) pads[2 * i + 1] = target[Rank - 1 - i] - shape[Rank - 1 - i];
        return Pad(pads);
    }

    /// <summary>Scatter of a scalar value.</summary>
    public Tensor Scatter(int dim, Tensor index, double value) => Scatter(dim, index, FullLike(index, value).To(DType));

    /// <summary>A copy with <c>out[i][index[i][j]] += src[i][j]</c> along <paramref name="dim"/> (repeated indices add up).</summary>
    public Tensor ScatterAdd(int dim, Tensor index, Tensor src)
    {
        var y = ScatterImpl(dim, index, src, add: true, "ScatterAdd");
        if (Autograd.Needs(this, src))
        {
            var x = this;
            Autograd.Attach(y, "ScatterAdd", [x, src], g => [x.requiresGrad ? g : null, src.requiresGrad ? g.Gather(dim, index).ZeroPadTo(src.shape) : null]);
        }
        return y;
    }

    /// <summary>The entries of <paramref name="dim"/> at the positions in a 1-D <paramref name="index"/>.</summary>
    public Tensor IndexSelect(int dim, Tensor index)
    {
        int d = Engine.Shape.NormalizeDim(dim, Rank, "IndexSelect");
        if (index.Rank > 1) throw new ArgumentException($"IndexSelect: index must be 1-D, got shape {Engine.Shape.Format(index.shape)}");
        var y = storage.gpu != null ? Backends.Gpu.GpuIndexing.IndexSelect(this, d, CheckedIndex(index, "IndexSelect")) : IndexSelectHost(d, index);
        if (Autograd.Needs(this))
        {
            var xs = shape;
            Autograd.Attach(y, "IndexSelect", [this], g => [EmptyLike(g, g.DType, (int[])xs.Clone()).IndexAdd(d, index, g)]);
        }
        return y;
    }

    private Tensor IndexSelectHost(int d, Tensor index)
    {
        var idx = IndexArray(index, "IndexSelect");
        var outShape = (int[])shape.Clone();
        outShape[d] = idx.Length;
        var y = Empty(DType, outShape);
        using (Autograd.NoGrad())
            for (int i = 0; i < idx.Length; i++)
                Elementwise.Copy(Select(d, (int)CheckIndex(idx[i], shape[d], "IndexSelect", d)), y.Select(d, i));
        return y;
    }

    /// <summary>A copy with <c>out.Select(dim, index[i]) += src.Select(dim, i)</c>.</summary>
    public Tensor IndexAdd(int dim, Tensor index, Tensor src)
    {
        int d = Engine.Shape.NormalizeDim(dim, Rank, "IndexAdd");
        int count = CheckedIndex(index, "IndexAdd").Numel;
        if (src.Rank != Rank || src.shape[d] != count)
            throw new ArgumentException($"IndexAdd: source shape {Engine.Shape.Format(src.shape)} does not fit {count} indices along dim {d} of shape {Engine.Shape.Format(shape)}");
        Tensor y;
        using (Autograd.NoGrad())
        {
            y = Clone();
            if (storage.gpu != null) Backends.Gpu.GpuIndexing.ScatterInto(y, d, index, src, add: true, alongIndex: true, "IndexAdd");
            else
            {
            var idx = IndexArray(index, "IndexAdd");
            var s = src.To(DType);
            for (int i = 0; i < idx.Length; i++)
            {
                var row = y.Select(d, (int)CheckIndex(idx[i], shape[d], "IndexAdd", d));
                Elementwise.Copy(row.Add(s.Select(d, i)), row);
            }
            }
        }
        y = y.Detach();
        if (Autograd.Needs(this, src))
        {
            var x = this;
            Autograd.Attach(y, "IndexAdd", [x, src], g => [x.requiresGrad ? g : null, src.requiresGrad ? g.IndexSelect(d, index) : null]);
        }
        return y;
    }

    /// <summary>Integer-tensor indexing along dim 0 (<c>x[idx]</c>): the result has shape idx.shape + x.shape[1..]; a bool index selects by mask.</summary>
    public Tensor Index(Tensor index)
    {
        if (index.DType == DType.Bool) return MaskedSelect(index);
        var flat = IndexSelect(0, index.Reshape(-1));
        var s = new int[index.Rank + Rank - 1];
        index.shape.CopyTo(s, 0);
        Array.Copy(shape, 1, s, index.Rank, Rank - 1);
        return flat.Reshape(s);
    }

    /// <summary>Elements at the given coordinates, one index tensor per leading dim (<c>x[rows, cols]</c>).</summary>
    public Tensor Index(params Tensor[] indices)
    {
        if (indices.Length == 1) return Index(indices[0]);
        if (indices.Length > Rank) throw new ArgumentException($"Index: {indices.Length} index tensors for a tensor of rank {Rank}");
        // Flatten the indexed leading dims into one linear index, then select.
        var bshape = indices[0].shape;
        foreach (var ix in indices) bshape = Engine.Shape.Broadcast(bshape, ix.shape);
        Tensor linear = Zeros(DType.Int64, bshape);
        for (int i = 0; i < indices.Length; i++)
        {
            var ix = indices[i].To(DType.Int64);
            ix = Where(ix.Lt(0), ix.Add(shape[i]), ix);
            linear = linear.Mul(shape[i]).Add(ix);
        }
        var lead = new int[Rank - indices.Length + 1];
        lead[0] = -1;
        Array.Copy(shape, indices.Length, lead, 1, Rank - indices.Length);
        return Reshape(lead).Index(linear);
    }

    /// <summary>A copy with <paramref name="value"/> where <paramref name="mask"/> (broadcast) is true.</summary>
    public Tensor MaskedFill(Tensor mask, double value)
    {
        if (mask.DType != DType.Bool) throw new ArgumentException($"MaskedFill: mask must be bool, got {mask.DType.Name()}");
        var b = Engine.Shape.Broadcast(shape, mask.shape);
        if (!b.AsSpan().SequenceEqual(shape)) throw new ArgumentException($"MaskedFill: mask shape {Engine.Shape.Format(mask.shape)} does not broadcast to {Engine.Shape.Format(shape)}");
        return Where(mask, FullLike(this, value).Detach(), this);
    }

    /// <summary>The elements where <paramref name="mask"/> (broadcast) is true, as a 1-D tensor.</summary>
    public Tensor MaskedSelect(Tensor mask)
    {
        if (mask.DType != DType.Bool) throw new ArgumentException($"MaskedSelect: mask must be bool, got {mask.DType.Name()}");
        var shapeB = Engine.Shape.Broadcast(shape, mask.shape);
        var m = mask.Expand(shapeB).Contiguous().ToArray<bool>();
        var positions = new List<long>();
        for (int i = 0; i < m.Length; i++) if (m[i]) positions.Add(i);
        var flat = Expand(shapeB).Reshape(-1);
        return flat.IndexSelect(0, FromArray(positions.ToArray()));
    }

    /// <summary>Coordinates of the non-zero elements, shape [count, rank] (int64).</summary>
    public Tensor Nonzero()
    {
        var b = Bool().Contiguous().ToArray<bool>();
        var rows = new List<long>();
        var coord = new int[Rank];
        int count = 0;
        for (int i = 0; i < b.Length; i++)
        {
            if (b[i]) { foreach (var c in coord) rows.Add(c); count++; }
            Advance(coord, shape);
        }
        return FromArray(rows.ToArray(), count, Rank);
    }

    /// <summary>Lower triangle (elements above diagonal <paramref name="diagonal"/> zeroed) of the last two dims.</summary>
    public Tensor Tril(int diagonal = 0) => TriMask(diagonal, lower: true);

    /// <summary>Upper triangle (elements below diagonal <paramref name="diagonal"/> zeroed) of the last two dims.</summary>
    public Tensor Triu(int diagonal = 0) => TriMask(diagonal, lower: false);

    private Tensor TriMask(int diagonal, bool lower)
    {
        if (Rank < 2) throw new ArgumentException($"{(lower ? "Tril" : "Triu")}: needs at least 2 dims, got shape {Engine.Shape.Format(shape)}");
        int r = shape[^2], c = shape[^1];
        var mask = Empty(DType.Bool, [r, c]);
        var m = mask.AsSpan<bool>();
        for (int i = 0; i < r; i++)
            for (int j = 0; j < c; j++) m[i * c + j] = lower ? j - i <= diagonal : j - i >= diagonal;
        return Where(mask, this, ZerosLike(this).Detach());
    }

    /// <summary>The diagonal of a 2-D tensor as a view.</summary>
    public Tensor Diagonal()
    {
        if (Rank != 2) throw new ArgumentException($"Diagonal: needs a 2-D tensor, got shape {Engine.Shape.Format(shape)}");
        int n = Math.Min(shape[0], shape[1]);
        var r = ViewOf([n], [strides[0] + strides[1]], offset);
        if (Autograd.Needs(this)) AttachViewBackward(r, this, "Diagonal", t => t.Diagonal());
        return r;
    }

    /// <summary>Sum of the diagonal.</summary>
    public Tensor Trace() => Diagonal().Sum();

    /// <summary>A square matrix with this 1-D tensor on its diagonal.</summary>
    public Tensor DiagEmbed()
    {
        if (Rank != 1) throw new ArgumentException($"DiagEmbed: needs a 1-D tensor, got shape {Engine.Shape.Format(shape)}");
        return Eye(shape[0], dtype: DType).Mul(Unsqueeze(0));
    }
}
