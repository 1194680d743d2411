using RlPlat.Engine.Lazy;

namespace RlPlat.Engine;

public sealed partial class Tensor
{
    /// <summary>A contiguous tensor over a pending lazy storage.</summary>
    internal static Tensor OfPending(Storage storage, int[] shape) => new(storage, shape, StridesFor(shape), 0);

    /// <summary>A view with explicit strides (no autograd record).</summary>
    internal static Tensor OfView(Storage storage, int[] shape, int[] strides, int offset) => new(storage, shape, strides, offset);

    /// <summary>True while this tensor's values are a pending graph that has not run yet.</summary>
    public bool IsLazy => storage.pending != null;

    /// <summary>
    /// This tensor as the root of lazy evaluation (per-tensor opt-in): float32 elementwise ops, full sums and clones that
    /// read it build a graph instead of computing, until a value is read or <see cref="Realize"/> is called. Shares
    /// storage and autograd history with this tensor (no copy).
    /// </summary>
    public Tensor Lazy()
    {
        if (DType != DType.Float32) throw new InvalidOperationException($"Lazy: lazy evaluation fuses float32 tensors, this one is {DType.Name()}");
        if (IsLazy || Numel == 0) return this;
        var r = LazyGraph.Pending(LazyNode.OfCopy(LazyGraph.Operand(this, Numel)), shape);
        if (Autograd.Needs(this)) Autograd.Attach(r, "Lazy", [this], g => [g]);
        return r;
    }

    /// <summary>Runs the pending graph of this tensor now (nothing happens for a tensor that is not lazy or already realized).</summary>
    public Tensor Realize()
    {
        if (storage.pending is { } node) LazyRealizer.Realize(node);
        return this;
    }
}
