using System.Runtime.CompilerServices;
using RlPlat.Engine.Kernels;
using RlPlat.Engine.Lazy.Fusion;

namespace RlPlat.Engine.Lazy;

/// <summary>
/// Where eager kernels hand over to lazy mode: each Try* returns a pending tensor when the op can be deferred (float32,
/// fusible op, lazy mode on or an operand already lazy), or null to let the caller compute eagerly.
/// </summary>
internal static class LazyGraph
{
    /// <summary>True when an op on <paramref name="t"/> should be deferred.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool Defers(Tensor t) => t.storage.DType == DType.Float32 && t.storage.gpu == null && (LazyMode.IsActive || t.storage.pending != null) && t.Numel > 0;

    /// <summary>y = op(x) for a fusible eager op struct.</summary>
    internal static Tensor? TryUnary<TOp>(Tensor x)
    {
        if (!Defers(x) || FusedOps.ForEager<TOp>() is not { } op) return null;
        return Pending(LazyNode.OfOp(op, x.Numel, Operand(x, x.Numel)), x.shape);
    }

    /// <summary>y = op(a, b) broadcast to <paramref name="shape"/> (a and b share a dtype).</summary>
    internal static Tensor? TryBinary<TOp>(Tensor a, Tensor b, int[] shape)
    {
        if (!(Defers(a) || Defers(b)) || a.DType != DType.Float32 || b.DType != DType.Float32 || FusedOps.ForEager<TOp>() is not { } op) return null;
        int n = Engine.Shape.Numel(shape);
        if (n == 0) return null;
        return Pending(LazyNode.OfOp(op, n, Operand(a, n, shape), Operand(b, n, shape)), shape);
    }

    /// <summary>y = op(x, s), or op(s, x) when <paramref name="scalarFirst"/>.</summary>
    internal static Tensor? TryScalar<TOp>(Tensor x, double s, bool scalarFirst)
    {
        if (!Defers(x) || FusedOps.ForEager<TOp>() is not { } op) return null;
        var xs = Operand(x, x.Numel);
        var c = LazyNode.OfConstant((float)s);
        return Pending(LazyNode.OfOp(op, x.Numel, scalarFirst ? c : xs, scalarFirst ? xs : c), x.shape);
    }

    /// <summary>The sum of every element, fused with the elementwise graph that feeds it.</summary>
    internal static Tensor? TrySum(Tensor x, int[] shape)
    {
        if (!Defers(x)) return null;
        return Pending(LazyNode.OfSum(Operand(x, x.Numel)), shape);
    }

    /// <summary>A lazy copy (Clone) of a contiguous tensor.</summary>
    internal static Tensor? TryCopy(Tensor x)
    {
        if (!Defers(x) || !x.IsContiguous) return null;
        return Pending(LazyNode.OfCopy(Operand(x, x.Numel)), (int[])x.shape.Clone());
    }

    /// <summary>A tensor of <paramref name="shape"/> whose values <paramref name="node"/> computes when read.</summary>
    internal static Tensor Pending(LazyNode node, int[] shape)
    {
        var storage = new Storage(node, DType.Float32);
        node.Source = storage;
        return Tensor.OfPending(storage, shape);
    }

    /// <summary>
    /// The graph node that reads <paramref name="t"/> for an op with <paramref name="n"/> output elements: its pending
    /// node when it covers the whole node, else a buffer; operands broadcast along some but not all dims are copied out
    /// expanded first (the kernels read inputs flat or as one value).
    /// </summary>
    internal static LazyNode Operand(Tensor t, int n, int[]? shape = null)
    {
        var storage = t.storage;
        if (storage.pending is { } node && t.IsContiguous && t.offset == 0 && t.Numel == node.Numel && (t.Numel == n || t.Numel == 1))
            return node;
        if (t.Numel == 1 || (t.Numel == n && t.IsContiguous)) return LazyNode.OfBuffer(t);
        if (shape == null) return LazyNode.OfBuffer(t.Contiguous());
        var expanded = Tensor.OfView(storage, shape, StridedLoop.BroadcastStrides(t, shape), t.offset);
        return LazyNode.OfBuffer(expanded.Contiguous());
    }

    /// <summary>
    /// dst ← src for a pending <paramref name="src"/> of dst's shape: the fused kernel writes straight into dst's memory
    /// (no new buffer, no copy). False when that is not possible (src not pending, a sum, a view, or dst overlapping an
    /// input at another offset); src itself stays pending.
    /// </summary>
    internal static bool TryRealizeInto(Tensor src, Tensor dst)
    {
        if (src.storage.pending is not { } node || node.Kind is LazyNode.NodeKind.Sum || !src.IsContiguous || src.offset != 0 || src.Numel != node.Numel) return false;
        if (dst.DType != DType.Float32 || !dst.IsContiguous || dst.IsLazy || dst.Numel != src.Numel || !dst.shape.AsSpan().SequenceEqual(src.shape)) return false;
        return LazyRealizer.TryRealizeInto(node, Tensor.ArrayOf<float>(dst), dst.offset);
    }

    [ThreadStatic] private static List<Tensor>? pendingGrads;

    /// <summary>Remembers a tensor whose accumulated gradient is pending, for <see cref="RealizeGrads"/> at the end of backward.</summary>
    internal static void NoteGrad(Tensor t)
    {
        if (t.Grad is { IsLazy: true }) (pendingGrads ??= []).Add(t);
    }

    /// <summary>Runs the graphs of the gradients that backward left pending (only each tensor's final sum).</summary>
    internal static void RealizeGrads()
    {
        var list = pendingGrads;
        if (list == null || list.Count == 0) return;
        foreach (var t in list) t.Grad?.Realize();
        list.Clear();
    }
}
