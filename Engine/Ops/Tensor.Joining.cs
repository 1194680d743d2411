using RlPlat.Engine.Kernels;

namespace RlPlat.Engine;

public sealed partial class Tensor
{
    /// <summary>Concatenates along <paramref name="dim"/>; all other sizes must match.</summary>
    public static Tensor Cat(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("Cat: needs at least one tensor");
        var first = tensors[0];
        int d = Engine.Shape.NormalizeDim(dim, first.Rank, "Cat");
        var dt = first.DType;
        int total = 0;
        for (int i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i];
            if (t.Rank != first.Rank) throw new ArgumentException($"Cat: tensor {i} has shape {Engine.Shape.Format(t.shape)}, rank differs from {Engine.Shape.Format(first.shape)}");
            for (int k = 0; k < first.Rank; k++)
                if (k != d && t.shape[k] != first.shape[k])
                    throw new ArgumentException($"Cat: tensor {i} has shape {Engine.Shape.Format(t.shape)}, which differs from {Engine.Shape.Format(first.shape)} outside dim {d}");
            total += t.shape[d];
            dt = DTypes.Promote(dt, t.DType);
            if (t.storage.gpu?.Owner != first.storage.gpu?.Owner) CheckSameDevice("Cat", first, t);
        }
        var outShape = (int[])first.shape.Clone();
        outShape[d] = total;
        var y = EmptyLike(first, dt, outShape, zero: false);
        bool needs = false;
        using (Autograd.NoGrad())
        {
            int at = 0;
            foreach (var t in tensors)
            {
                Elementwise.Copy(t, y.Narrow(d, at, t.shape[d]));
                at += t.shape[d];
                needs |= t.requiresGrad;
            }
        }
        if (needs && Autograd.IsEnabled)
        {
            var inputs = tensors.ToArray();
            Autograd.Attach(y, "Cat", inputs, g =>
            {
                var grads = new Tensor?[inputs.Length];
                int at = 0;
                for (int i = 0; i < inputs.Length; i++)
                {
                    int len = inputs[i].shape[d];
                    if (inputs[i].requiresGrad) grads[i] = g.Narrow(d, at, len).To(inputs[i].DType);
                    at += len;
                }
                return grads;
            });
        }
        return y;
    }

    /// <summary>Stacks equally shaped tensors along a new dim.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("Stack: needs at least one tensor");
        var s0 = tensors[0].shape;
        for (int i = 1; i < tensors.Count; i++)
            if (!tensors[i].shape.AsSpan().SequenceEqual(s0))
                throw new ArgumentException($"Stack: tensor {i} has shape {Engine.Shape.Format(tensors[i].shape)}, expected {Engine.Shape.Format(s0)}");
        int d = Engine.Shape.NormalizeDim(dim, s0.Length + 1, "Stack");
        var parts = new Tensor[tensors.Count];
        for (int i = 0; i < parts.Length; i++) parts[i] = tensors[i].Unsqueeze(d);
        return Cat(parts, d);
    }

    /// <summary>Splits into pieces of <paramref name="splitSize"/> along <paramref name="dim"/> (the last may be smaller); views.</summary>
    public Tensor[] Split(int splitSize, int dim = 0)
    {
        if (splitSize <= 0) throw new ArgumentException($"Split: size must be positive, got {splitSize}");
        int d = Engine.Shape.NormalizeDim(dim, Rank, "Split");
        int n = shape[d];
        var sizes = new List<int>();
        for (int at = 0; at < n; at += splitSize) sizes.Add(Math.Min(splitSize, n - at));
        if (sizes.Count == 0) sizes.Add(0);
        return Split(sizes.ToArray(), d);
    }

    /// <summary>Splits into pieces of the given sizes (which must add up to the dim's size); views.</summary>
    public Tensor[] Split(int[] sizes, int dim = 0)
    {
        int d = Engine.Shape.NormalizeDim(dim, Rank, "Split");
        int sum = 0;
        foreach (var s in sizes) sum += s;
        if (sum != shape[d]) throw new ArgumentException($"Split: sizes [{string.Join(",", sizes)}] add up to {sum}, but dim {d} has size {shape[d]}");
        var parts = new Tensor[sizes.Length];
        int at = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            parts[i] = Narrow(d, at, sizes[i]);
            at += sizes[i];
        }
        return parts;
    }

    /// <summary>Splits into <paramref name="chunks"/> nearly equal pieces along <paramref name="dim"/> (PyTorch's rule).</summary>
    public Tensor[] Chunk(int chunks, int dim = 0)
    {
        if (chunks <= 0) throw new ArgumentException($"Chunk: chunks must be positive, got {chunks}");
        int d = Engine.Shape.NormalizeDim(dim, Rank, "Chunk");
        int size = (shape[d] + chunks - 1) / chunks;
        return Split(Math.Max(size, 1), d);
    }

    /// <summary>The slices along <paramref name="dim"/>, with that dim removed.</summary>
    public Tensor[] Unbind(int dim = 0)
    {
        int d = Engine.Shape.NormalizeDim(dim, Rank, "Unbind");
        var parts = new Tensor[shape[d]];
        for (int i = 0; i < parts.Length; i++) parts[i] = Select(d, i);
        return parts;
    }

    /// <summary>A copy reversed along <paramref name="dims"/>.</summary>
    public Tensor Flip(params int[] dims)
    {
        var rd = Engine.Shape.NormalizeDims(dims, Rank, "Flip");
        var st = (int[])strides.Clone();
        int off = offset;
        foreach (var d in rd)
        {
            if (shape[d] > 0) off += (shape[d] - 1) * strides[d];
            st[d] = -strides[d];
        }
        var view = ViewOf((int[])shape.Clone(), st, off);
        var y = EmptyLike(this, DType, (int[])shape.Clone(), zero: false);
        Elementwise.Copy(view, y);
        if (Autograd.Needs(this)) Autograd.Attach(y, "Flip", [this], g => [g.Flip(rd)]);
        return y;
    }

    /// <summary>Rolls elements along <paramref name="dim"/> by <paramref name="shift"/> (elements leaving one end enter at the other).</summary>
    public Tensor Roll(int shift, int dim)
    {
        int d = Engine.Shape.NormalizeDim(dim, Rank, "Roll");
        int n = shape[d];
        if (n == 0) return Clone();
        int s = ((shift % n) + n) % n;
        if (s == 0) return Clone();
        return Cat([Narrow(d, n - s, s), Narrow(d, 0, n - s)], d);
    }

    /// <summary>Rolls along several dims.</summary>
    public Tensor Roll(int[] shifts, int[] dims)
    {
        if (shifts.Length != dims.Length) throw new ArgumentException($"Roll: {shifts.Length} shifts for {dims.Length} dims");
        var r = this;
        for (int i = 0; i < shifts.Length; i++) r = r.Roll(shifts[i], dims[i]);
        return r;
    }

    /// <summary>Tiles the tensor: dim i is repeated <c>repeats[i]</c> times (PyTorch's <c>repeat</c>; extra leading repeats add dims).</summary>
    public Tensor Repeat(params int[] repeats)
    {
        if (repeats.Length < Rank) throw new ArgumentException($"Repeat: {repeats.Length} repeats for a tensor of rank {Rank}; give at least one per dim");
        foreach (var r in repeats) if (r < 0) throw new ArgumentException($"Repeat: negative repeat count in [{string.Join(",", repeats)}]");
        int lead = repeats.Length - Rank;
        var padded = new int[repeats.Length];
        for (int i = 0; i < repeats.Length; i++) padded[i] = i < lead ? 1 : shape[i - lead];
        // [.., s, ..] -> [.., 1, s, ..] -> expand [.., r, s, ..] -> reshape [.., r*s, ..]
        var inter = new int[2 * repeats.Length];
        var expanded = new int[2 * repeats.Length];
        var result = new int[repeats.Length];
        for (int i = 0; i < repeats.Length; i++)
        {
            inter[2 * i] = 1; inter[2 * i + 1] = padded[i];
            expanded[2 * i] = repeats[i]; expanded[2 * i + 1] = padded[i];
            result[i] = repeats[i] * padded[i];
        }
        return Reshape(inter).Expand(expanded).Reshape(result);
    }

    /// <summary>NumPy's tile: like Repeat, but fewer repeats than dims are padded with leading ones.</summary>
    public Tensor Tile(params int[] reps)
    {
        if (reps.Length >= Rank) return Repeat(reps);
        var full = new int[Rank];
        for (int i = 0; i < Rank; i++) full[i] = i < Rank - reps.Length ? 1 : reps[i - (Rank - reps.Length)];
        return Repeat(full);
    }

    /// <summary>Repeats each element <paramref name="repeats"/> times along <paramref name="dim"/>.</summary>
    public Tensor RepeatInterleave(int repeats, int dim)
    {
        int d = Engine.Shape.NormalizeDim(dim, Rank, "RepeatInterleave");
        var u = Unsqueeze(d + 1);
        var e = (int[])u.shape.Clone();
        e[d + 1] = repeats;
        var r = (int[])shape.Clone();
        r[d] *= repeats;
        return u.Expand(e).Reshape(r);
    }

    /// <summary>
    /// Constant padding, PyTorch's <c>F.pad</c> order: (left, right) of the last dim, then of the second-to-last, ...
    /// Negative amounts crop.
    /// </summary>
    public Tensor Pad(int[] pads, double value = 0)
    {
        if (pads.Length % 2 != 0 || pads.Length / 2 > Rank)
            throw new ArgumentException($"Pad: needs an even number of amounts, at most 2 per dim (rank {Rank}), got [{string.Join(",", pads)}]");
        var x = this;
        var outShape = (int[])shape.Clone();
        for (int i = 0; i < pads.Length / 2; i++)
        {
            int d = Rank - 1 - i;
            int l = pads[2 * i], r = pads[2 * i + 1];
            if (l < 0) { x = x.Narrow(d, -l, x.shape[d] + l); l = 0; }
            if (r < 0) { x = x.Narrow(d, 0, x.shape[d] + r); r = 0; }
            outShape[d] = x.shape[d] + l + r;
        }
        var y = Full(outShape, value, DType);
        var region = y;
        for (int i = 0; i < pads.Length / 2; i++)
        {
            int d = Rank - 1 - i;
            region = region.Narrow(d, Math.Max(pads[2 * i], 0), x.shape[d]);
        }
        Elementwise.Copy(x, region);
        if (Autograd.Needs(x))
        {
            var lefts = new int[pads.Length / 2];
            for (int i = 0; i < lefts.Length; i++) lefts[i] = Math.Max(pads[2 * i], 0);
            var xs = x.shape;
            Autograd.Attach(y, "Pad", [x], g =>
            {
                var r = g;
                for (int i = 0; i < lefts.Length; i++) r = r.Narrow(Rank - 1 - i, lefts[i], xs[Rank - 1 - i]);
                return [r];
            });
        }
        return y;
    }

    /// <summary>Sorted values along <paramref name="dim"/> and the indices they came from (stable).</summary>
    public (Tensor Values, Tensor Indices) Sort(int dim = -1, bool descending = false)
    {
        var idx = Argsort(dim, descending);
        return (Gather(dim, idx), idx);
    }

    /// <summary>Indices that sort along <paramref name="dim"/> (stable; NaN sorts last ascending, first descending, as PyTorch).</summary>
    public Tensor Argsort(int dim = -1, bool descending = false)
    {
        if (Rank == 0) return Zeros(DType.Int64);
        int d = Engine.Shape.NormalizeDim(dim, Rank, "Sort");
        Tensor rows;
        using (Autograd.NoGrad()) rows = Transpose(d, -1).To(DType.Float64).Contiguous();
        int n = shape[d], o = n == 0 ? 0 : numel / n;
        var vals = rows.AsSpan<double>();
        var outIdx = Empty(DType.Int64, (int[])rows.shape.Clone());
        var dst = outIdx.AsSpan<long>();
        var keys = new double[n];
        var order = new int[n];
        for (int i = 0; i < o; i++)
        {
            vals.Slice(i * n, n).CopyTo(keys);
            for (int j = 0; j < n; j++) order[j] = j;
            var k = keys;
            Comparison<int> cmp = descending
                ? (p, q) => { int c = Cmp(k[q], k[p]); return c != 0 ? c : p.CompareTo(q); }
                : (p, q) => { int c = Cmp(k[p], k[q]); return c != 0 ? c : p.CompareTo(q); };
            Array.Sort(order, cmp);
            for (int j = 0; j < n; j++) dst[i * n + j] = order[j];
        }
        return outIdx.Transpose(d, -1).Contiguous();

        static int Cmp(double a, double b) => double.IsNaN(a) ? (double.IsNaN(b) ? 0 : 1) : double.IsNaN(b) ? -1 : a.CompareTo(b);
    }

    /// <summary>The <paramref name="k"/> largest (or smallest) values along <paramref name="dim"/> with their indices.</summary>
    public (Tensor Values, Tensor Indices) TopK(int k, int dim = -1, bool largest = true)
    {
        int d = Engine.Shape.NormalizeDim(dim, Rank, "TopK");
        if (k < 0 || k > shape[d]) throw new ArgumentException($"TopK: k = {k} is out of range for dim {d} of size {shape[d]}");
        var idx = Argsort(d, descending: largest).Narrow(d, 0, k).Contiguous();
        return (Gather(d, idx), idx);
    }
}
