namespace RlPlat.Engine.Lazy;

/// <summary>
/// One node of a pending lazy graph (float32). Leaves are buffers (a realized tensor's elements) and constants; ops are
/// fused-op applications, copies and full sums. A tensor is lazy while its storage points at a node that is not yet
/// realized; realizing gives the node an array, drops its children, and from then on it reads as a buffer.
/// </summary>
internal sealed class LazyNode
{
    /// <summary>What a node computes.</summary>
    internal enum NodeKind : byte
    {
        /// <summary>Elements of an existing array (one element: the same value for every output element).</summary>
        Buffer,
        /// <summary>A scalar constant.</summary>
        Constant,
        /// <summary>A fused op (<see cref="Op"/>) of its children.</summary>
        Op,
        /// <summary>Its child's values in a storage of its own (Clone).</summary>
        Copy,
        /// <summary>The sum of all its child's elements (one element).</summary>
        Sum,
    }

    internal readonly NodeKind Kind;
    internal readonly string? Op;
    internal LazyNode[] Children;
    internal readonly float Value;
    internal readonly int Numel;

    /// <summary>The elements of a buffer or of a realized node; null while the node is pending.</summary>
    internal float[]? Array;
    internal int Offset;

    /// <summary>The storage the elements live in and its version when they were captured (in-place writes are caught).</summary>
    internal Storage? Source;
    internal int SourceVersion;

    private LazyNode(NodeKind kind, string? op, LazyNode[] children, float value, int numel)
    {
        Kind = kind;
        Op = op;
        Children = children;
        Value = value;
        Numel = numel;
    }

    /// <summary>True when the elements exist: buffers, and op nodes after realization.</summary>
    internal bool IsMaterialized => Array != null;

    /// <summary>The elements of a realized contiguous float32 tensor.</summary>
    internal static LazyNode OfBuffer(Tensor t)
    {
        var array = (float[])t.storage.Data;
        return new LazyNode(NodeKind.Buffer, null, [], 0, t.Numel) { Array = array, Offset = t.offset, Source = t.storage, SourceVersion = t.storage.Version };
    }

    /// <summary>A constant.</summary>
    internal static LazyNode OfConstant(float value) => new(NodeKind.Constant, null, [], value, 1);

    /// <summary>A fused op over <paramref name="children"/> with <paramref name="numel"/> elements.</summary>
    internal static LazyNode OfOp(string op, int numel, params LazyNode[] children) => new(NodeKind.Op, op, children, 0, numel);

    /// <summary>A copy of <paramref name="child"/> into a storage of its own.</summary>
    internal static LazyNode OfCopy(LazyNode child) => new(NodeKind.Copy, null, [child], 0, child.Numel);

    /// <summary>The sum of <paramref name="child"/>'s elements.</summary>
    internal static LazyNode OfSum(LazyNode child) => new(NodeKind.Sum, null, [child], 0, 1);

    /// <summary>Records the computed elements: the node becomes a buffer and lets go of its inputs.</summary>
    internal void Materialize(float[] array, Storage storage)
    {
        Array = array;
        Offset = 0;
        Source = storage;
        SourceVersion = storage.Version;
        Children = [];
    }

    /// <summary>Throws when the captured elements were written in place after this node captured them.</summary>
    internal void CheckUnchanged()
    {
        if (Source == null || Source.Version == SourceVersion) return;
        if (Source.IsReleased)
            throw new ObjectDisposedException("Tensor",
                $"lazy realize: an input of {Numel} elements was disposed (Tensor.Dispose) after a pending lazy op read it; call Realize() on the result before disposing its inputs");
        throw new InvalidOperationException(
            $"lazy realize: an input of {Numel} elements was modified in place (version {SourceVersion} -> {Source.Version}) after a pending lazy op read it; call Realize() on the result before writing to its inputs");
    }

    /// <summary>A short label for debug output and errors.</summary>
    public override string ToString() => Kind switch
    {
        NodeKind.Buffer => $"buffer[{Numel}]",
        NodeKind.Constant => $"const {Value}",
        NodeKind.Op => $"{Op}[{Numel}]",
        _ => $"{Kind}[{Numel}]",
    };
}
