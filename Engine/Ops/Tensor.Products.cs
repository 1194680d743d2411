namespace RlPlat.Engine;

/// <summary>Products and distances built on MatMul and broadcasting: cross, Kronecker, tensordot, batched addmm, cdist, cosine similarity.</summary>
public sealed partial class Tensor
{
    /// <summary>Matrix-vector product of a 2-D and a 1-D tensor.</summary>
    public Tensor Mv(Tensor vec)
    {
        if (Rank != 2 || vec.Rank != 1) throw new ArgumentException($"Mv: expects a 2-D matrix and a 1-D vector, got shapes {Engine.Shape.Format(shape)} and {Engine.Shape.Format(vec.shape)}");
        return MatMul(vec);
    }

    /// <summary>beta·this + alpha·(batch1 @ batch2) for 3-D batches (beta 0 ignores this tensor, NaNs included).</summary>
    public Tensor Baddbmm(Tensor batch1, Tensor batch2, double beta = 1, double alpha = 1)
    {
        var p = batch1.Bmm(batch2);
        if (alpha != 1) p = p.Mul(alpha);
        if (beta == 0) return p.Add(ZerosLike(this).Detach());
        return (beta == 1 ? this : Mul(beta)).Add(p);
    }

    /// <summary>The 3-vector cross product along <paramref name="dim"/> (size 3 in both operands; other dims broadcast).</summary>
    public Tensor Cross(Tensor other, int dim = -1)
    {
        var outShape = Engine.Shape.Broadcast(shape, other.shape);
        int d = Engine.Shape.NormalizeDim(dim, outShape.Length, "Cross");
        var a = Expand(outShape);
        var b = other.Expand(outShape);
        if (outShape[d] != 3) throw new ArgumentException($"Cross: dim {d} must have size 3, got shapes {Engine.Shape.Format(shape)} and {Engine.Shape.Format(other.shape)}");
        Tensor A(int i) => a.Narrow(d, i, 1);
        Tensor B(int i) => b.Narrow(d, i, 1);
        return Cat([
            A(1).Mul(B(2)).Sub(A(2).Mul(B(1))),
            A(2).Mul(B(0)).Sub(A(0).Mul(B(2))),
            A(0).Mul(B(1)).Sub(A(1).Mul(B(0)))], d);
    }

    /// <summary>The Kronecker product: block (i, j) is this[i, j] · other (the lower-rank operand gets leading size-1 dims).</summary>
    public Tensor Kron(Tensor other)
    {
        int r = Math.Max(Rank, other.Rank);
        var a = Reshape(LeadingOnes(shape, r));
        var b = other.Reshape(LeadingOnes(other.shape, r));
        var sa = new int[2 * r];
        var sb = new int[2 * r];
        var result = new int[r];
        for (int i = 0; i < r; i++)
        {
            sa[2 * i] = a.shape[i]; sa[2 * i + 1] = 1;
            sb[2 * i] = 1; sb[2 * i + 1] = b.shape[i];
            result[i] = a.shape[i] * b.shape[i];
        }
        return a.Reshape(sa).Mul(b.Reshape(sb)).Reshape(result);
    }

    private static int[] LeadingOnes(int[] s, int rank)
    {
        var r = new int[rank];
        for (int i = 0; i < rank; i++) r[i] = i < rank - s.Length ? 1 : s[i - (rank - s.Length)];
        return r;
    }

    /// <summary>Contracts the last <paramref name="dims"/> dims of this tensor with the first <paramref name="dims"/> of <paramref name="other"/>.</summary>
    public Tensor Tensordot(Tensor other, int dims = 2)
    {
        if (dims < 0 || dims > Rank || dims > other.Rank)
            throw new ArgumentException($"Tensordot: cannot contract {dims} dims of shapes {Engine.Shape.Format(shape)} and {Engine.Shape.Format(other.shape)}");
        var da = new int[dims];
        var db = new int[dims];
        for (int i = 0; i < dims; i++) { da[i] = Rank - dims + i; db[i] = i; }
        return Tensordot(other, da, db);
    }

    /// <summary>Contracts dims <paramref name="dimsA"/> of this tensor with dims <paramref name="dimsB"/> of <paramref name="other"/> (pairwise).</summary>
    public Tensor Tensordot(Tensor other, int[] dimsA, int[] dimsB)
    {
        if (dimsA.Length != dimsB.Length)
            throw new ArgumentException($"Tensordot: {dimsA.Length} dims of the first operand paired with {dimsB.Length} of the second");
        var ca = new int[dimsA.Length];
        var cb = new int[dimsB.Length];
        var usedA = new bool[Rank];
        var usedB = new bool[other.Rank];
        int k = 1;
        for (int i = 0; i < dimsA.Length; i++)
        {
            ca[i] = Engine.Shape.NormalizeDim(dimsA[i], Rank, "Tensordot");
            cb[i] = Engine.Shape.NormalizeDim(dimsB[i], other.Rank, "Tensordot");
            if (usedA[ca[i]] || usedB[cb[i]]) throw new ArgumentException($"Tensordot: a dim repeats in [{string.Join(",", dimsA)}] / [{string.Join(",", dimsB)}]");
            usedA[ca[i]] = usedB[cb[i]] = true;
            if (shape[ca[i]] != other.shape[cb[i]])
                throw new ArgumentException($"Tensordot: dim {ca[i]} of {Engine.Shape.Format(shape)} ({shape[ca[i]]}) does not match dim {cb[i]} of {Engine.Shape.Format(other.shape)} ({other.shape[cb[i]]})");
            k *= shape[ca[i]];
        }
        var permA = new List<int>();
        var outShape = new List<int>();
        int m = 1, n = 1;
        for (int d = 0; d < Rank; d++) if (!usedA[d]) { permA.Add(d); outShape.Add(shape[d]); m *= shape[d]; }
        permA.AddRange(ca);
        var permB = new List<int>(cb);
        for (int d = 0; d < other.Rank; d++) if (!usedB[d]) { permB.Add(d); outShape.Add(other.shape[d]); n *= other.shape[d]; }
        var a2 = Permute(permA.ToArray()).Reshape(m, k);
        var b2 = other.Permute(permB.ToArray()).Reshape(k, n);
        return a2.Mm(b2).Reshape(outShape.ToArray());
    }

    /// <summary>
    /// p-norm distances between the rows of this [.., P, M] tensor and those of <paramref name="other"/> [.., R, M]: result
    /// [.., P, R]. The p = 2 gradient is 0 (not NaN) where two rows coincide.
    /// </summary>
    public Tensor Cdist(Tensor other, double p = 2)
    {
        if (Rank < 2 || other.Rank < 2 || shape[^1] != other.shape[^1])
            throw new ArgumentException($"Cdist: expects [.., P, M] and [.., R, M] with equal M, got shapes {Engine.Shape.Format(shape)} and {Engine.Shape.Format(other.shape)}");
        if (p < 0) throw new ArgumentException($"Cdist: p must be non-negative, got {p}");
        var diff = AsFloat().Unsqueeze(-2).Sub(other.AsFloat().Unsqueeze(-3));
        if (p == 2) return SafeSqrt(diff.Square().Sum(-1));
        if (p == 0) return diff.Ne(0).To(diff.DType).Sum(-1);
        return diff.Norm(p, [-1]);
    }

    /// <summary>√x with a zero gradient where x == 0 (the double-Where trick keeps the unused branch finite).</summary>
    private static Tensor SafeSqrt(Tensor x)
    {
        var zero = x.Eq(0);
        var safe = Where(zero, OnesLike(x).Detach(), x);
        return Where(zero, ZerosLike(x).Detach(), safe.Sqrt());
    }

    /// <summary>x·y / (max(‖x‖, eps) · max(‖y‖, eps)) along <paramref name="dim"/>, with broadcasting.</summary>
    public Tensor CosineSimilarity(Tensor other, int dim = 1, double eps = 1e-8)
    {
        var (a, b) = FloatPair(this, other);
        var outShape = Engine.Shape.Broadcast(a.shape, b.shape);
        int d = Engine.Shape.NormalizeDim(dim, outShape.Length, "CosineSimilarity");
        a = a.Expand(outShape);
        b = b.Expand(outShape);
        var na = a.Norm(2, [d]).Clamp(min: eps);
        var nb = b.Norm(2, [d]).Clamp(min: eps);
        return a.Mul(b).Sum(d).Div(na.Mul(nb));
    }

    /// <summary>x / max(‖x‖_p, eps) along <paramref name="dim"/> (PyTorch's F.normalize).</summary>
    public Tensor Normalize(double p = 2, int dim = 1, double eps = 1e-12)
    {
        var x = AsFloat();
        int d = Engine.Shape.NormalizeDim(dim, x.Rank, "Normalize");
        return x.Div(x.Norm(p, [d], keepDim: true).Clamp(min: eps));
    }
}
