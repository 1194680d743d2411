using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using RlPlat.Engine.Kernels;

namespace RlPlat.Engine.NN;

/// <summary>The activation a fused linear layer applies to its output (<see cref="Functional.Linear(Tensor, Tensor, Tensor?, LinearActivation)"/>).</summary>
public enum LinearActivation
{
    /// <summary>No activation: x·Wᵀ + b.</summary>
    None,

    /// <summary>max(0, x·Wᵀ + b).</summary>
    Relu,

    /// <summary>tanh(x·Wᵀ + b).</summary>
    Tanh,

    /// <summary>sigmoid(x·Wᵀ + b).</summary>
    Sigmoid,
}

public static partial class Functional
{
    /// <summary>
    /// act(x·Wᵀ + b) for x [B, in], W [out, in], b [out] as one recorded node: the product, bias and activation run in
    /// one output buffer, and the backward pass computes the activation's derivative into a reused scratch buffer,
    /// adds dW and db straight into the parameters' <c>.Grad</c> (no gradient tensors) and returns only dx. Values and
    /// gradients equal the composed <c>Linear(x, W, b).Relu()</c> (same kernels, same order). Other ranks, lazy or
    /// device tensors and higher-order gradients take the composed form.
    /// </summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias, LinearActivation activation)
    {
        if (!Enum.IsDefined(activation)) throw new ArgumentException($"Linear: unknown activation {(int)activation}; known: {string.Join(", ", Enum.GetNames<LinearActivation>())}");
        return FusedLinear.Applies(input, weight, bias)
            ? FusedLinear.Forward(input, weight, bias, activation)
            : FusedLinear.Activate(Linear(input, weight, bias), activation);
    }
}

/// <summary>
/// The kernels of the fused linear layer. Every MLP's training step is mostly these: at RL sizes (batch 64, 256 units)
/// a separate bias pass, activation pass, activation-gradient tensor and weight-gradient tensor cost as much as the
/// products themselves.
/// </summary>
internal static unsafe class FusedLinear
{
    /// <summary>True when the fused kernels run these operands: 2-D float input and weight on the host, eager.</summary>
    internal static bool Applies(Tensor x, Tensor w, Tensor? b) =>
        x.Rank == 2 && w.Rank == 2 && x.DType == w.DType && (x.DType is DType.Float32 or DType.Float64) && x.Size(1) == w.Size(1)
        && (b == null || (b.Rank == 1 && b.DType == w.DType && b.Size(0) == w.Size(0) && !b.IsOnGpu && !b.IsLazy))
        && !x.IsOnGpu && !w.IsOnGpu && !x.IsLazy && !w.IsLazy && !LazyMode.IsActive;

    /// <summary>The composed activation (the fallback and the reference the fused path equals).</summary>
    internal static Tensor Activate(Tensor y, LinearActivation activation) => activation switch
    {
        LinearActivation.None => y,
        LinearActivation.Relu => y.Relu(),
        LinearActivation.Tanh => y.Tanh(),
        LinearActivation.Sigmoid => y.Sigmoid(),
        _ => throw new ArgumentException($"Linear: unknown activation {activation}"),
    };

    /// <summary>
    /// act(x·Wᵀ + b) into <paramref name="output"/> (a [B, out] contiguous buffer the caller owns, only under no-grad) or
    /// a new tensor; records one node when gradients are needed. <paramref name="intermediate"/>: only the next fused
    /// layer will read the output, so when a node is recorded it goes to a graph-owned buffer that the backward pass
    /// recycles (see <see cref="GraphBuffers"/>).
    /// </summary>
    internal static Tensor Forward(Tensor x, Tensor w, Tensor? b, LinearActivation activation, Tensor? output = null, bool intermediate = false)
    {
        int m = x.shape[0], k = x.shape[1], n = w.shape[0];
        bool biasGrad = b is { requiresGrad: true };
        bool records = Autograd.IsEnabled && (x.requiresGrad || w.requiresGrad || biasGrad);
        var y = output ?? (records && intermediate ? GraphBuffers.Rent(x.DType, m, n) : Tensor.Uninitialized(x.DType, [m, n]));
        if (x.DType == DType.Float32) ForwardKernel<float>(x, w, b, activation, y, m, n, k);
        else ForwardKernel<double>(x, w, b, activation, y, m, n, k);
        if (records)
        {
            if (output != null) throw new InvalidOperationException("FusedLinear: a caller-owned output buffer cannot be recorded for backward");
            // The activation's derivative reads the output (relu: y > 0, tanh: 1 - y², sigmoid: y(1 - y)), so it is saved too.
            Tensor[] saved = activation == LinearActivation.None ? [x, w] : [x, w, y];
            Autograd.Attach(y, NodeName(activation), [x, w, b], g => Backward(g, x, w, b, y, activation), saved);
        }
        return y;
    }

    private static string NodeName(LinearActivation activation) => activation switch
    {
        LinearActivation.Relu => "Linear+Relu",
        LinearActivation.Tanh => "Linear+Tanh",
        LinearActivation.Sigmoid => "Linear+Sigmoid",
        _ => "Linear",
    };

    private static void ForwardKernel<T>(Tensor x, Tensor w, Tensor? b, LinearActivation activation, Tensor y, int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m == 0 || n == 0) return;
        // y = x·Wᵀ: Wᵀ is read through W's strides, as x.MatMul(W.MT) does.
        fixed (T* px = Tensor.ArrayOf<T>(x), pw = Tensor.ArrayOf<T>(w), py = Tensor.ArrayOf<T>(y))
            Product(m, n, k, px + x.offset, x.strides[0], x.strides[1], pw + w.offset, w.strides[1], w.strides[0], T.Zero, py + y.offset, n);
        if (b != null)
        {
            Span<T> ys = y.AsSpan<T>();
            var bias = b.IsContiguous ? b : b.Contiguous();
            ReadOnlySpan<T> bs = bias.AsSpan<T>();
            for (int r = 0; r < m; r++) TensorPrimitives.Add(ys.Slice(r * n, n), bs, ys.Slice(r * n, n));
        }
        // In place through the unfused op's own kernel, so the values are the same bits.
        switch (activation)
        {
            case LinearActivation.Relu: Elementwise.NumericUnary<ReluOp>(y, into: y); break;
            case LinearActivation.Tanh: Elementwise.FloatUnary<TanhOp>(y, into: y); break;
            case LinearActivation.Sigmoid: Elementwise.FloatUnary<SigmoidOp>(y, into: y); break;
        }
    }

    /// <summary>[dx, dW, db] for the output gradient <paramref name="g"/>; dW and db go straight into <c>.Grad</c> where the engine allows it (then null).</summary>
    private static Tensor?[] Backward(Tensor g, Tensor x, Tensor w, Tensor? b, Tensor y, LinearActivation activation)
    {
        bool biasGrad = b is { requiresGrad: true };
        // createGraph (grad mode on inside backward) or an unusual gradient: the same formula from differentiable ops.
        if (Autograd.IsEnabled || g.IsOnGpu || g.IsLazy || g.DType != x.DType)
        {
            var gz = activation switch
            {
                LinearActivation.Relu => FusedBackward.Relu(g, y),
                LinearActivation.Tanh => FusedBackward.Tanh(g, y),
                LinearActivation.Sigmoid => FusedBackward.Sigmoid(g, y),
                _ => g,
            };
            return [x.requiresGrad ? gz.MatMul(w) : null, w.requiresGrad ? gz.MT.MatMul(x) : null, biasGrad ? gz.Sum(0) : null];
        }
        // Without an activation the products read g through its strides, as the composed form does (same kernel paths).
        if (activation != LinearActivation.None && !g.IsContiguous) g = g.Contiguous();
        return x.DType == DType.Float32 ? BackwardKernel<float>(g, x, w, b, y, activation, biasGrad) : BackwardKernel<double>(g, x, w, b, y, activation, biasGrad);
    }

    private static Tensor?[] BackwardKernel<T>(Tensor g, Tensor x, Tensor w, Tensor? b, Tensor y, LinearActivation activation, bool biasGrad)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = g.shape[0], n = g.shape[1], k = x.shape[1];
        // gz = g ⊙ act'(y), in a scratch buffer that no tensor outlives (the same span ops as FusedBackward's).
        T[] gzArray;
        int gzOffset;
        long gzRow, gzCol;
        if (activation == LinearActivation.None) (gzArray, gzOffset, gzRow, gzCol) = (Tensor.ArrayOf<T>(g), g.offset, g.strides[0], g.strides[1]);
        else
        {
            (gzArray, gzOffset, gzRow, gzCol) = (Scratch<T>(m * n), 0, n, 1);
            var kind = activation switch
            {
                LinearActivation.Relu => FusedBackward.Kind.Relu,
                LinearActivation.Tanh => FusedBackward.Kind.Tanh,
                _ => FusedBackward.Kind.Sigmoid,
            };
            FusedBackward.Run<T>(kind, g.AsSpan<T>(), y.AsSpan<T>(), gzArray.AsSpan(0, m * n));
        }

        Tensor? dx = null, dw = null, db = null;
        fixed (T* pgBase = gzArray, px = Tensor.ArrayOf<T>(x), pw = Tensor.ArrayOf<T>(w))
        {
            T* pg = pgBase + gzOffset;
            if (w.requiresGrad && m > 0)
            {
                // dW += gzᵀ·x [out, in]: into .Grad (beta 1) when the engine allows, else a new tensor (beta 0).
                var target = Autograd.DirectGradTarget(w);
                var into = target ?? (dw = Tensor.Uninitialized(w.DType, [n, k]));
                fixed (T* pd = Tensor.ArrayOf<T>(into))
                    Product(n, k, m, pg, gzCol, gzRow, px + x.offset, x.strides[0], x.strides[1], target != null ? T.One : T.Zero, pd + into.offset, k);
                if (target != null) target.storage.Version++;
            }
            else if (w.requiresGrad) dw = Tensor.Zeros(w.DType, n, k);

            if (x.requiresGrad)
            {
                // dx = gz·W [B, in]; the gradient of a stack's intermediate is graph-owned (only its producer reads it).
                dx = Autograd.RecyclesGraphBuffers && x.graphOwned ? GraphBuffers.Rent(x.DType, m, k) : Tensor.Uninitialized(x.DType, [m, k]);
                fixed (T* pd = Tensor.ArrayOf<T>(dx))
                    Product(m, k, n, pg, gzRow, gzCol, pw + w.offset, w.strides[0], w.strides[1], T.Zero, pd, k);
            }
        }

        if (biasGrad)
        {
            var target = Autograd.DirectGradTarget(b!);
            var into = target ?? (db = Tensor.Zeros(b!.DType, n));
            Span<T> acc = into.AsSpan<T>();
            if (gzRow == n && gzCol == 1 && n > 1)
            {
                // db = Σ_rows gz, row after row, as Sum(0) adds the rows of a contiguous [B, out] gradient.
                for (int r = 0; r < m; r++) TensorPrimitives.Add(acc, gzArray.AsSpan(gzOffset + r * n, n), acc);
            }
            else if (gzRow == 1 && n == 1) acc[0] += TensorPrimitives.Sum<T>(gzArray.AsSpan(gzOffset, m)); // Sum(0) of a column: one vectorized sum
            else
            {
                // A strided gradient (a broadcast from a mean, say): Sum(0) itself, for the same summation order.
                var sum = g.Sum(0);
                TensorPrimitives.Add(acc, sum.AsSpan<T>(), acc);
            }
            if (target != null) target.storage.Version++;
        }
        if (Autograd.RecyclesGraphBuffers)
        {
            // Read for the last time: the layer that consumed y ran before this one (reverse order), and no one else
            // can reach y or its gradient. Tensors the user can see are never graph-owned, so these are no-ops for them.
            GraphBuffers.Return(g);
            GraphBuffers.Return(y);
        }
        return [dx, dw, db];
    }

    /// <summary>C = A·B + beta·C through the engine's GEMM, for float or double.</summary>
    private static void Product<T>(int m, int n, int k, T* a, long aRow, long aCol, T* b, long bRow, long bCol, T beta, T* c, long cRow)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) Gemm.Sgemm(m, n, k, 1f, (float*)a, aRow, aCol, (float*)b, bRow, bCol, Unsafe.As<T, float>(ref beta), (float*)c, cRow);
        else Gemm.Dgemm(m, n, k, 1.0, (double*)a, aRow, aCol, (double*)b, bRow, bCol, Unsafe.As<T, double>(ref beta), (double*)c, cRow);
    }

    [ThreadStatic] private static float[]? scratchFloat;
    [ThreadStatic] private static double[]? scratchDouble;

    /// <summary>
    /// This thread's scratch array of at least <paramref name="length"/> elements: a backward function's temporaries that die
    /// before it returns (backward functions do not nest), so one growing array serves every step.
    /// </summary>
    private static T[] Scratch<T>(int length) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            if (scratchFloat == null || scratchFloat.Length < length) scratchFloat = new float[length];
            return Unsafe.As<T[]>(scratchFloat);
        }
        if (scratchDouble == null || scratchDouble.Length < length) scratchDouble = new double[length];
        return Unsafe.As<T[]>(scratchDouble);
    }
}
