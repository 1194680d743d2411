using RlPlat.Engine.Kernels;
using RlPlat.Engine.Lazy;

namespace RlPlat.Engine;

public sealed partial class Tensor
{
    private Tensor ViewOf(int[] newShape, int[] newStrides, int newOffset) => new(storage, newShape, newStrides, newOffset);

    /// <summary>Resolves one -1 in a requested shape against this tensor's element count.</summary>
    private int[] InferShape(int[] requested, string op)
    {
        var s = (int[])requested.Clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException($"{op}: only one dim can be -1 in {Engine.Shape.Format(requested)}");
                infer = i;
            }
            else if (s[i] < 0) throw new ArgumentException($"{op}: invalid size {s[i]} in {Engine.Shape.Format(requested)}");
            else known *= s[i];
        }
        if (infer >= 0)
        {
            if (known == 0 || numel % known != 0)
                throw new ArgumentException($"{op}: shape {Engine.Shape.Format(requested)} is invalid for a tensor of {numel} elements (shape {Engine.Shape.Format(shape)})");
            s[infer] = (int)(numel / known);
        }
        else if (known != numel)
            throw new ArgumentException($"{op}: shape {Engine.Shape.Format(requested)} is invalid for a tensor of {numel} elements (shape {Engine.Shape.Format(shape)})");
        return s;
    }

    /// <summary>Strides that let this tensor's storage be seen with <paramref name="newShape"/>, or null when a copy is needed (PyTorch's rule).</summary>
    private int[]? ViewStrides(int[] newShape)
    {
        if (numel == 0 || IsContiguous) return Engine.Shape.ContiguousStrides(newShape);
        var newStrides = new int[newShape.Length];
        int viewD = newShape.Length - 1;
        long chunkBase = strides.Length > 0 ? strides[^1] : 1;
        long tensorNumel = 1, viewNumel = 1;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            tensorNumel *= shape[d];
            if (d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorNumel * chunkBase))
            {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1))
                {
                    newStrides[viewD] = (int)(viewNumel * chunkBase);
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (d > 0)
                {
                    chunkBase = strides[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        return viewD == -1 ? newStrides : null;
    }

    /// <summary>A view with a new shape (one dim may be -1); throws when the strides do not allow a view (use Reshape).</summary>
    public Tensor View(params int[] newShape)
    {
        var s = InferShape(newShape, "View");
        var st = ViewStrides(s) ?? throw new InvalidOperationException(
            $"View: a tensor of shape {Engine.Shape.Format(shape)} with strides {Engine.Shape.Format(strides)} cannot be viewed as {Engine.Shape.Format(s)}; use Reshape (copies) or Contiguous() first");
        var r = ViewOf(s, st, offset);
        if (Autograd.Needs(this)) AttachReshape(r, this);
        return r;
    }

    /// <summary>A tensor with a new shape (one dim may be -1): a view when strides allow, else a copy.</summary>
    public Tensor Reshape(params int[] newShape)
    {
        var s = InferShape(newShape, "Reshape");
        var st = ViewStrides(s);
        var r = st != null ? ViewOf(s, st, offset) : Contiguous().ViewOf(s, Engine.Shape.ContiguousStrides(s), 0);
        if (st == null) r = new Tensor(r.storage, s, r.strides, r.offset); // detach from Contiguous's node: Reshape records its own
        if (Autograd.Needs(this)) AttachReshape(r, this);
        return r;
    }

    private static void AttachReshape(Tensor r, Tensor x) => Autograd.Attach(r, "Reshape", [x], g => [g.Reshape(x.shape)]);

    /// <summary>Reorders dims: result dim i is this tensor's dim <c>dims[i]</c>.</summary>
    public Tensor Permute(params int[] dims)
    {
        if (dims.Length != Rank) throw new ArgumentException($"Permute: {dims.Length} dims given for a tensor of rank {Rank} (shape {Engine.Shape.Format(shape)})");
        var ns = new int[Rank];
        var nst = new int[Rank];
        var seen = new bool[Rank];
        var inverse = new int[Rank];
        for (int i = 0; i < Rank; i++)
        {
            int d = Engine.Shape.NormalizeDim(dims[i], Rank, "Permute");
            if (seen[d]) throw new ArgumentException($"Permute: dim {d} repeated in [{string.Join(",", dims)}]");
            seen[d] = true;
            ns[i] = shape[d];
            nst[i] = strides[d];
            inverse[d] = i;
        }
        var r = ViewOf(ns, nst, offset);
        if (Autograd.Needs(this)) Autograd.Attach(r, "Permute", [this], g => [g.Permute(inverse)]);
        return r;
    }

    /// <summary>Swaps two dims.</summary>
    public Tensor Transpose(int dim0, int dim1)
    {
        if (Rank < 2 && dim0 is 0 or -1 && dim1 is 0 or -1) return this;
        int a = Engine.Shape.NormalizeDim(dim0, Rank, "Transpose"), b = Engine.Shape.NormalizeDim(dim1, Rank, "Transpose");
        var perm = new int[Rank];
        for (int i = 0; i < Rank; i++) perm[i] = i;
        (perm[a], perm[b]) = (perm[b], perm[a]);
        return Permute(perm);
    }

    /// <summary>The matrix transpose of a 2-D tensor (a 0-D or 1-D tensor is returned as is).</summary>
    public Tensor T
    {
        get
        {
            if (Rank > 2) throw new InvalidOperationException($"T: expects a tensor of rank <= 2, got shape {Engine.Shape.Format(shape)}; use Transpose or MT");
            return Rank < 2 ? this : Transpose(0, 1);
        }
    }

    /// <summary>Transposes the last two dims (batched matrices).</summary>
    public Tensor MT => Transpose(-2, -1);

    /// <summary>A broadcast view of this tensor at <paramref name="newShape"/> (-1 keeps a size); no data is copied.</summary>
    public Tensor Expand(params int[] newShape)
    {
        if (newShape.Length < Rank) throw new ArgumentException($"Expand: target {Engine.Shape.Format(newShape)} has fewer dims than the tensor's shape {Engine.Shape.Format(shape)}");
        var ns = new int[newShape.Length];
        var nst = new int[newShape.Length];
        int lead = newShape.Length - Rank;
        for (int i = 0; i < newShape.Length; i++)
        {
            int want = newShape[i];
            if (i < lead)
            {
                if (want < 0) throw new ArgumentException($"Expand: -1 is not allowed for a new leading dim in {Engine.Shape.Format(newShape)}");
                ns[i] = want;
                nst[i] = 0;
                continue;
            }
            int have = shape[i - lead];
            if (want == -1) want = have;
            if (have == want) { ns[i] = have; nst[i] = strides[i - lead]; }
            else if (have == 1) { ns[i] = want; nst[i] = 0; }
            else throw new ArgumentException($"Expand: shape {Engine.Shape.Format(shape)} cannot be expanded to {Engine.Shape.Format(newShape)} (dim {i}: {have} vs {want})");
        }
        var r = ViewOf(ns, nst, offset);
        if (Autograd.Needs(this)) { var xs = shape; Autograd.Attach(r, "Expand", [this], g => [g.SumTo(xs)]); }
        return r;
    }

    /// <summary>NumPy's name for <see cref="Expand"/>.</summary>
    public Tensor BroadcastTo(params int[] newShape) => Expand(newShape);

    /// <summary>Expands to the shape of <paramref name="other"/>.</summary>
    public Tensor ExpandAs(Tensor other) => Expand(other.shape);

    /// <summary>Removes size-1 dims (all of them, or only <paramref name="dim"/>).</summary>
    public Tensor Squeeze(int? dim = null)
    {
        var ns = new List<int>();
        var nst = new List<int>();
        int only = dim.HasValue ? Engine.Shape.NormalizeDim(dim.Value, Rank, "Squeeze") : -1;
        for (int i = 0; i < Rank; i++)
        {
            if (shape[i] == 1 && (only < 0 || only == i)) continue;
            ns.Add(shape[i]);
            nst.Add(strides[i]);
        }
        var r = ViewOf(ns.ToArray(), nst.ToArray(), offset);
        if (Autograd.Needs(this)) AttachReshape(r, this);
        return r;
    }

    /// <summary>Inserts a size-1 dim at <paramref name="dim"/> (negative counts from the end of the result).</summary>
    public Tensor Unsqueeze(int dim)
    {
        int d = Engine.Shape.NormalizeDim(dim, Rank + 1, "Unsqueeze");
        var ns = new int[Rank + 1];
        var nst = new int[Rank + 1];
        for (int i = 0, j = 0; i <= Rank; i++)
        {
            if (i == d)
            {
                ns[i] = 1;
                nst[i] = j < Rank ? strides[j] * shape[j] : 1;
                continue;
            }
            ns[i] = shape[j];
            nst[i] = strides[j];
            j++;
        }
        var r = ViewOf(ns, nst, offset);
        if (Autograd.Needs(this)) AttachReshape(r, this);
        return r;
    }

    /// <summary>Merges dims <paramref name="startDim"/>..<paramref name="endDim"/> into one.</summary>
    public Tensor Flatten(int startDim = 0, int endDim = -1)
    {
        if (Rank == 0) return Reshape(1);
        int s = Engine.Shape.NormalizeDim(startDim, Rank, "Flatten"), e = Engine.Shape.NormalizeDim(endDim, Rank, "Flatten");
        if (s > e) throw new ArgumentException($"Flatten: startDim {startDim} comes after endDim {endDim}");
        var ns = new List<int>();
        for (int i = 0; i < s; i++) ns.Add(shape[i]);
        int merged = 1;
        for (int i = s; i <= e; i++) merged *= shape[i];
        ns.Add(merged);
        for (int i = e + 1; i < Rank; i++) ns.Add(shape[i]);
        return Reshape(ns.ToArray());
    }

    /// <summary>Elements <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive) of <paramref name="dim"/>, every <paramref name="step"/>-th; Python slice semantics (negative and out-of-range bounds clamp).</summary>
    public Tensor Slice(int dim, int? start = null, int? end = null, int step = 1)
    {
        int d = Engine.Shape.NormalizeDim(dim, Rank, "Slice");
        if (step <= 0) throw new ArgumentException($"Slice: step must be positive, got {step} (use Flip for reversal)");
        int n = shape[d];
        int s = start ?? 0, e = end ?? n;
        if (s < 0) s += n;
        if (e < 0) e += n;
        s = Math.Clamp(s, 0, n);
        e = Math.Clamp(e, s, n);
        int len = (e - s + step - 1) / step;
        var ns = (int[])shape.Clone();
        var nst = (int[])strides.Clone();
        ns[d] = len;
        nst[d] = strides[d] * step;
        var r = ViewOf(ns, nst, offset + s * strides[d]);
        if (Autograd.Needs(this)) { int ss = s; AttachViewBackward(r, this, "Slice", b => b.Slice(d, ss, e, step)); }
        return r;
    }

    /// <summary><paramref name="length"/> elements of <paramref name="dim"/> from <paramref name="start"/> (bounds checked).</summary>
    public Tensor Narrow(int dim, int start, int length)
    {
        int d = Engine.Shape.NormalizeDim(dim, Rank, "Narrow");
        if (start < 0) start += shape[d];
        if (start < 0 || length < 0 || start + length > shape[d])
            throw new ArgumentException($"Narrow: start {start} and length {length} do not fit dim {d} of size {shape[d]} (shape {Engine.Shape.Format(shape)})");
        return Slice(d, start, start + length);
    }

    /// <summary>The sub-tensor at <paramref name="index"/> of <paramref name="dim"/>, with that dim removed.</summary>
    public Tensor Select(int dim, int index)
    {
        int d = Engine.Shape.NormalizeDim(dim, Rank, "Select");
        int n = shape[d];
        if (index < -n || index >= n) throw new ArgumentException($"Select: index {index} is out of range for dim {d} of size {n} (shape {Engine.Shape.Format(shape)})");
        if (index < 0) index += n;
        var ns = new int[Rank - 1];
        var nst = new int[Rank - 1];
        for (int i = 0, j = 0; i < Rank; i++)
        {
            if (i == d) continue;
            ns[j] = shape[i];
            nst[j++] = strides[i];
        }
        var r = ViewOf(ns, nst, offset + index * strides[d]);
        if (Autograd.Needs(this)) { int ix = index; AttachViewBackward(r, this, "Select", b => b.Select(d, ix)); }
        return r;
    }

    /// <summary>Successive selects along the leading dims: <c>x[1, 2]</c> is <c>x.Select(0, 1).Select(0, 2)</c> (a view).</summary>
    [System.Runtime.CompilerServices.IndexerName("At")]
    public Tensor this[params int[] index]
    {
        get
        {
            var r = this;
            foreach (var i in index) r = r.Select(0, i);
            return r;
        }
    }

    /// <summary>The gradient of a view: zeros of the base's shape with the view's region set to g (itself differentiable).</summary>
    private static void AttachViewBackward(Tensor r, Tensor x, string name, Func<Tensor, Tensor> view)
    {
        var xs = x.shape;
        var dt = x.DType;
        Autograd.Attach(r, name, [x], g => [ViewScatter(g, xs, dt, view)]);
    }

    /// <summary>Zeros of <paramref name="baseShape"/> with <paramref name="view"/> of them holding g; its gradient is view(gg).</summary>
    internal static Tensor ViewScatter(Tensor g, int[] baseShape, DType dtype, Func<Tensor, Tensor> view)
    {
        Tensor result;
        using (Autograd.NoGrad())
        {
            result = EmptyLike(g, dtype, baseShape);
            Elementwise.Copy(g, view(result));
        }
        if (Autograd.Needs(g)) Autograd.Attach(result, "ViewScatter", [g], gg => [view(gg)]);
        return result;
    }

    /// <summary>This tensor when already contiguous, else a contiguous copy.</summary>
    public Tensor Contiguous()
    {
        if (IsContiguous) return this;
        var r = EmptyLike(this, DType, (int[])shape.Clone(), zero: false);
        Elementwise.Copy(this, r);
        if (Autograd.Needs(this)) Autograd.Attach(r, "Contiguous", [this], g => [g]);
        return r;
    }

    /// <summary>A contiguous copy with its own storage.</summary>
    public Tensor Clone()
    {
        var r = LazyGraph.TryCopy(this);
        if (r == null)
        {
            r = EmptyLike(this, DType, (int[])shape.Clone(), zero: false);
            Elementwise.Copy(this, r);
        }
        if (Autograd.Needs(this)) Autograd.Attach(r, "Clone", [this], g => [g]);
        return r;
    }

    /// <summary>A copy converted to <paramref name="dtype"/> (this tensor itself when it already has that dtype).</summary>
    public Tensor To(DType dtype)
    {
        if (dtype == DType) return this;
        var r = EmptyLike(this, dtype, (int[])shape.Clone(), zero: false);
        Elementwise.Copy(this, r);
        if (Autograd.Needs(this) && dtype.IsFloat()) { var from = DType; Autograd.Attach(r, "To", [this], g => [g.To(from)]); }
        return r;
    }

    /// <summary>Shorthand for To(Float32).</summary>
    public Tensor Float() => To(DType.Float32);

    /// <summary>Shorthand for To(Float64).</summary>
    public Tensor Double() => To(DType.Float64);

    /// <summary>Shorthand for To(Int64).</summary>
    public Tensor Long() => To(DType.Int64);

    /// <summary>Shorthand for To(Int32).</summary>
    public Tensor Int() => To(DType.Int32);

    /// <summary>Shorthand for To(Bool).</summary>
    public Tensor Bool() => To(DType.Bool);
}
