using RlPlat.Engine.Kernels;

namespace RlPlat.Engine;

public sealed partial class Tensor
{
    /// <summary>
    /// Matrix product with NumPy's rules: 1-D·1-D is a dot product, 1-D operands get a dim prepended/appended and
    /// removed again, and leading (batch) dims broadcast.
    /// </summary>
    public Tensor MatMul(Tensor other)
    {
        if (Rank == 0 || other.Rank == 0)
            throw new ArgumentException($"MatMul: both operands need at least 1 dim, got shapes {Engine.Shape.Format(shape)} and {Engine.Shape.Format(other.shape)}");
        if (Rank == 1 && other.Rank == 1) return Dot(other);
        if (Rank == 1) return Unsqueeze(0).MatMul(other).Squeeze(-2);
        if (other.Rank == 1) return MatMul(other.Unsqueeze(1)).Squeeze(-1);
        return BatchedMatMul(this, other);
    }

    /// <summary>2-D matrix product.</summary>
    public Tensor Mm(Tensor other)
    {
        if (Rank != 2 || other.Rank != 2) throw new ArgumentException($"Mm: expects 2-D operands, got shapes {Engine.Shape.Format(shape)} and {Engine.Shape.Format(other.shape)}");
        return BatchedMatMul(this, other);
    }

    /// <summary>Batched matrix product of two 3-D tensors with equal batch sizes.</summary>
    public Tensor Bmm(Tensor other)
    {
        if (Rank != 3 || other.Rank != 3 || shape[0] != other.shape[0])
            throw new ArgumentException($"Bmm: expects 3-D operands with equal batch sizes, got shapes {Engine.Shape.Format(shape)} and {Engine.Shape.Format(other.shape)}");
        return BatchedMatMul(this, other);
    }

    /// <summary>Dot product of two 1-D tensors (0-d result).</summary>
    public Tensor Dot(Tensor other)
    {
        if (Rank != 1 || other.Rank != 1 || shape[0] != other.shape[0])
            throw new ArgumentException($"Dot: expects two 1-D tensors of equal length, got shapes {Engine.Shape.Format(shape)} and {Engine.Shape.Format(other.shape)}");
        return Mul(other).Sum();
    }

    /// <summary>Outer product of two 1-D tensors.</summary>
    public Tensor Outer(Tensor other)
    {
        if (Rank != 1 || other.Rank != 1) throw new ArgumentException($"Outer: expects 1-D tensors, got shapes {Engine.Shape.Format(shape)} and {Engine.Shape.Format(other.shape)}");
        return Unsqueeze(1).Mul(other.Unsqueeze(0));
    }

    /// <summary>beta·this + alpha·(m1 @ m2).</summary>
    public Tensor Addmm(Tensor m1, Tensor m2, double beta = 1, double alpha = 1) => Mul(beta).Add(m1.Mm(m2).Mul(alpha));

    private static unsafe Tensor BatchedMatMul(Tensor a0, Tensor b0)
    {
        int m = a0.shape[^2], k = a0.shape[^1], k2 = b0.shape[^2], n = b0.shape[^1];
        if (k != k2)
            throw new ArgumentException($"MatMul: shapes {Engine.Shape.Format(a0.shape)} and {Engine.Shape.Format(b0.shape)} do not align ({k} != {k2})");
        var dt = DTypes.Promote(a0.DType, b0.DType);
        if (!dt.IsFloat()) dt = DType.Float32;
        var a = a0.To(dt);
        var b = b0.To(dt);
        bool gpu = a.storage.gpu != null || b.storage.gpu != null;
        if (gpu) CheckSameDevice("MatMul", a, b);
        if (a.Rank == 2 && b.Rank == 2) return MatMul2D(a, b, m, n, k, dt);
        var batch = Engine.Shape.Broadcast(a.shape.AsSpan(0, a.Rank - 2), b.shape.AsSpan(0, b.Rank - 2));
        var outShape = new int[batch.Length + 2];
        batch.CopyTo(outShape, 0);
        outShape[^2] = m;
        outShape[^1] = n;
        var y = EmptyLike(a, dt, outShape);
        int batchCount = Engine.Shape.Numel(batch);
        if (y.Numel > 0)
        {
            var aStrides = BatchStrides(a, batch);
            var bStrides = BatchStrides(b, batch);
            var idx = new int[batch.Length];
            long aRow = a.strides[^2], aCol = a.strides[^1], bRow = b.strides[^2], bCol = b.strides[^1];
            for (int bi = 0; bi < batchCount; bi++)
            {
                int ao = a.offset, bo = b.offset;
                for (int d = 0; d < batch.Length; d++) { ao += idx[d] * aStrides[d]; bo += idx[d] * bStrides[d]; }
                int yo = bi * m * n;
                if (gpu) Backends.Gpu.GpuMatMul.Gemm(a, b, y, m, n, k, ao, (int)aRow, (int)aCol, bo, (int)bRow, (int)bCol, yo);
                else if (dt == DType.Float32)
                    fixed (float* pa = ArrayOf<float>(a), pb = ArrayOf<float>(b), py = ArrayOf<float>(y))
                        Gemm.Sgemm(m, n, k, 1f, pa + ao, aRow, aCol, pb + bo, bRow, bCol, 0f, py + yo, n);
                else
                    fixed (double* pa = ArrayOf<double>(a), pb = ArrayOf<double>(b), py = ArrayOf<double>(y))
                        Gemm.Dgemm(m, n, k, 1.0, pa + ao, aRow, aCol, pb + bo, bRow, bCol, 0.0, py + yo, n);
                for (int d = batch.Length - 1; d >= 0; d--)
                {
                    if (++idx[d] < batch[d]) break;
                    idx[d] = 0;
                }
            }
        }
        if (Autograd.Needs(a, b)) AttachMatMul(y, a, b);
        return y;
    }

    /// <summary>The plain matrix case without batch bookkeeping (small matmuls in RL policies are mostly this).</summary>
    private static unsafe Tensor MatMul2D(Tensor a, Tensor b, int m, int n, int k, DType dt)
    {
        var y = EmptyLike(a, dt, [m, n], zero: false);
        if (y.Numel > 0)
        {
            if (y.storage.gpu != null)
                Backends.Gpu.GpuMatMul.Gemm(a, b, y, m, n, k, a.offset, a.strides[0], a.strides[1], b.offset, b.strides[0], b.strides[1], 0);
            else if (dt == DType.Float32)
                fixed (float* pa = ArrayOf<float>(a), pb = ArrayOf<float>(b), py = ArrayOf<float>(y))
                    Gemm.Sgemm(m, n, k, 1f, pa + a.offset, a.strides[0], a.strides[1], pb + b.offset, b.strides[0], b.strides[1], 0f, py, n);
            else
                fixed (double* pa = ArrayOf<double>(a), pb = ArrayOf<double>(b), py = ArrayOf<double>(y))
                    Gemm.Dgemm(m, n, k, 1.0, pa + a.offset, a.strides[0], a.strides[1], pb + b.offset, b.strides[0], b.strides[1], 0.0, py, n);
        }
        if (Autograd.Needs(a, b)) AttachMatMul(y, a, b);
        return y;
    }

    private static void AttachMatMul(Tensor y, Tensor a, Tensor b) =>
        Autograd.Attach(y, "MatMul", [a, b], g => [
            a.requiresGrad ? g.MatMul(b.MT).SumTo(a.shape) : null,
            b.requiresGrad ? a.MT.MatMul(g).SumTo(b.shape) : null], a, b);

    private static int[] BatchStrides(Tensor t, int[] batch)
    {
        var s = new int[batch.Length];
        int lead = batch.Length - (t.Rank - 2);
        for (int d = 0; d < t.Rank - 2; d++) s[lead + d] = t.shape[d] == 1 ? 0 : t.strides[d];
        return s;
    }
}
