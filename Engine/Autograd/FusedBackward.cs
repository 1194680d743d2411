using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace RlPlat.Engine;

/// <summary>
/// Gradient formulas of the ops on every MLP's hot path. A plain backward (no createGraph) on contiguous inputs of one
/// shape runs each as one fused pass into one new tensor; otherwise (higher derivatives, views, broadcasting) the same
/// formula is composed from differentiable tensor ops.
/// </summary>
internal static class FusedBackward
{
    /// <summary>The derivative formulas with a fused kernel.</summary>
    internal enum Kind { Tanh, Sigmoid, Relu, Square }

    /// <summary>g·(1 - y²) for y = tanh(x).</summary>
    internal static Tensor Tanh(Tensor g, Tensor y) => Fused(Kind.Tanh, g, y) ?? g.Mul(y.Square().Neg().Add(1.0));

    /// <summary>g·y·(1 - y) for y = sigmoid(x).</summary>
    internal static Tensor Sigmoid(Tensor g, Tensor y) => Fused(Kind.Sigmoid, g, y) ?? g.Mul(y).Mul(y.Neg().Add(1.0));

    /// <summary>g where x &gt; 0, else 0.</summary>
    internal static Tensor Relu(Tensor g, Tensor x) => Fused(Kind.Relu, g, x) ?? g.Mul(x.Gt(0).To(g.DType));

    /// <summary>2·g·x for y = x².</summary>
    internal static Tensor Square(Tensor g, Tensor x) => Fused(Kind.Square, g, x) ?? g.Mul(x).Mul(2.0);

    private static Tensor? Fused(Kind kind, Tensor g, Tensor s)
    {
        // Lazy mode composes the formula from tensor ops instead, so it fuses with the rest of the backward graph.
        if (Autograd.IsEnabled || Lazy.LazyGraph.Defers(g) || Lazy.LazyGraph.Defers(s) || g.storage.gpu != null || g.DType != s.DType || !g.IsContiguous || !s.IsContiguous || !g.shape.AsSpan().SequenceEqual(s.shape))
            return null;
        var r = Tensor.Empty(g.DType, (int[])g.shape.Clone());
        switch (g.DType)
        {
            case DType.Float32: Run<float>(kind, g.AsSpan<float>(), s.AsSpan<float>(), r.AsSpan<float>()); break;
            case DType.Float64: Run<double>(kind, g.AsSpan<double>(), s.AsSpan<double>(), r.AsSpan<double>()); break;
            default: return null;
        }
        return r;
    }

    /// <summary>r = the <paramref name="kind"/> formula of g and s (s: the output for tanh and sigmoid, the input for relu and square).</summary>
    internal static void Run<T>(Kind kind, ReadOnlySpan<T> g, ReadOnlySpan<T> s, Span<T> r) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (kind)
        {
            case Kind.Tanh:
                TensorPrimitives.Multiply(s, s, r);
                TensorPrimitives.Subtract(T.One, r, r);
                TensorPrimitives.Multiply(r, g, r);
                break;
            case Kind.Sigmoid:
                TensorPrimitives.Subtract(T.One, s, r);
                TensorPrimitives.Multiply(r, s, r);
                TensorPrimitives.Multiply(r, g, r);
                break;
            case Kind.Relu:
                ReluGradient(g, s, r);
                break;
            case Kind.Square:
                TensorPrimitives.Multiply(g, s, r);
                TensorPrimitives.Add(r, r, r);
                break;
        }
    }

    /// <summary>r = g where s &gt; 0, else 0 (a vectorized select; for s the relu's input or its output alike).</summary>
    private static void ReluGradient<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> s, Span<T> r) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vg = MemoryMarshal.Cast<T, Vector<T>>(g);
            var vs = MemoryMarshal.Cast<T, Vector<T>>(s);
            var vr = MemoryMarshal.Cast<T, Vector<T>>(r);
            for (int v = 0; v < vr.Length; v++) vr[v] = Vector.ConditionalSelect(Vector.GreaterThan(vs[v], Vector<T>.Zero), vg[v], Vector<T>.Zero);
            i = vr.Length * Vector<T>.Count;
        }
        for (; i < r.Length; i++) r[i] = s[i] > T.Zero ? g[i] : T.Zero;
    }
}
