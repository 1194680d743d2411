using RlPlat.Engine.Lazy.Fusion;
using Kind = RlPlat.Engine.Lazy.LazyNode.NodeKind;

namespace RlPlat.Engine.Lazy;

/// <summary>
/// Runs pending lazy graphs. Realizing a node turns the pending ops under it into one fused kernel: every op node is
/// inlined (shared ones computed once per element), buffers and constants become the kernel's input and constant slots,
/// and only the realized node gets memory. Sums below the node, and parts that do not fit one kernel (more than 8
/// inputs or constants, more than 4 shared subexpressions, more than <see cref="MaxOps"/> ops), are realized first.
/// </summary>
internal static class LazyRealizer
{
    /// <summary>Ops in one kernel at most: bigger graphs are split, so generic type nesting and JIT time stay bounded.</summary>
    internal const int MaxOps = 48;

    private const int MaxInputs = 8, MaxConstants = 8, MaxShared = 4;

    private static long bytesAllocated;

    /// <summary>Bytes of output buffers allocated by realization.</summary>
    internal static long BytesAllocated => Interlocked.Read(ref bytesAllocated);

    /// <summary>Computes <paramref name="node"/> (and what it needs) unless it already has its elements.</summary>
    internal static void Realize(LazyNode node)
    {
        if (node.IsMaterialized) return;
        var storage = StorageOf(node);
        var kernel = Fit(node);
        float[] dst;
        StoragePool.Recycler? recycler;
        if (node.Kind == Kind.Sum)
        {
            dst = Allocate(1, out recycler);
            dst[0] = (float)FusedLauncher.Sum(kernel.Expr, kernel.Inputs, kernel.Offsets, kernel.Constants, node.Children[0].Numel);
        }
        else
        {
            dst = Allocate(node.Numel, out recycler);
            FusedLauncher.Map(kernel.Expr, kernel.Inputs, kernel.Offsets, kernel.Constants, dst, 0, node.Numel);
        }
        storage.Fulfil(dst, recycler);
        node.Materialize(dst, storage);
    }

    /// <summary>
    /// Computes <paramref name="root"/> into <paramref name="dst"/> and, in the same pass, each <c>extra</c> node into
    /// its array: one kernel with several results (optimizer steps: parameter, moments). The extra nodes must be
    /// reached from the root. Writing over an input is safe when, as in the update rules, each output's inputs are read
    /// before it is stored and every read is at the element being written.
    /// </summary>
    internal static void RealizeInto(LazyNode root, float[] dst, int dstOffset, (LazyNode Node, float[] Array, int Offset)[] extra)
    {
        var stores = new Dictionary<LazyNode, int>(ReferenceEqualityComparer.Instance);
        for (int k = 0; k < extra.Length; k++) stores[extra[k].Node] = k + 1;
        var kernel = Fit(root, stores);
        var outputs = new float[extra.Length][];
        var outputOffsets = new int[extra.Length];
        for (int k = 0; k < extra.Length; k++) (outputs[k], outputOffsets[k]) = (extra[k].Array, extra[k].Offset);
        FusedLauncher.Map(kernel.Expr, kernel.Inputs, kernel.Offsets, kernel.Constants, dst, dstOffset, root.Numel, outputs, outputOffsets);
    }

    /// <summary>
    /// Computes pending <paramref name="root"/> into <paramref name="dst"/> without giving the node memory of its own
    /// (it stays pending). Refuses (false) when dst is also read at a different offset: elementwise kernels may write over
    /// an input only element for element.
    /// </summary>
    internal static bool TryRealizeInto(LazyNode root, float[] dst, int dstOffset)
    {
        var kernel = Fit(root);
        for (int k = 0; k < kernel.Inputs.Length; k++)
            if (ReferenceEquals(kernel.Inputs[k], dst) && kernel.Offsets[k] != dstOffset) return false;
        FusedLauncher.Map(kernel.Expr, kernel.Inputs, kernel.Offsets, kernel.Constants, dst, dstOffset, root.Numel);
        return true;
    }

    private static Storage StorageOf(LazyNode node) => node.Source ?? throw new InvalidOperationException($"lazy realize: {node} has no storage");

    /// <summary>An output buffer, from the engine's allocator (so whatever reuse Storage.AllocateUninitialized gains, lazy results get too).</summary>
    private static float[] Allocate(int n, out StoragePool.Recycler? recycler)
    {
        Interlocked.Add(ref bytesAllocated, 4L * n);
        return (float[])StoragePool.Allocate(DType.Float32, n, zeroed: false, out recycler);
    }

    /// <summary>A kernel ready to launch: its expression and what its slots read.</summary>
    private readonly record struct Kernel(ExprNode Expr, float[][] Inputs, int[] Offsets, float[] Constants);

    /// <summary>Realizes what must come first until the graph under <paramref name="root"/> fits one kernel, then builds it.</summary>
    private static Kernel Fit(LazyNode root, Dictionary<LazyNode, int>? stores = null)
    {
        while (true)
        {
            var scan = new Scan(root);
            if (scan.Sums.Count > 0)
            {
                foreach (var s in scan.Sums) Realize(s);
                continue;
            }
            if (scan.Shared.Count > MaxShared)
            {
                Realize(scan.Shared[0]); // the deepest: everything above it gets simpler
                continue;
            }
            if (!scan.Fits)
            {
                // Walk down the heaviest branch to the biggest part that fits one kernel and realize that: one extra
                // kernel, not one per level.
                var cut = LargestChild(root, scan);
                for (var s = new Scan(cut); !s.Fits || s.Shared.Count > MaxShared; s = new Scan(cut)) cut = LargestChild(cut, s);
                Realize(cut);
                continue;
            }
            return scan.Build(root, stores);
        }
    }

    /// <summary>The pending child of the kernel root that carries the most of the graph (realizing it shrinks the kernel most).</summary>
    private static LazyNode LargestChild(LazyNode root, Scan scan)
    {
        var start = root.Kind == Kind.Op ? root : root.Children[0];
        if (start.Kind != Kind.Op || start.IsMaterialized) throw new InvalidOperationException($"lazy realize: cannot split {root}");
        LazyNode? best = null;
        int bestSize = -1;
        foreach (var c in start.Children)
        {
            if (c.IsMaterialized || c.Kind == Kind.Constant) continue;
            int size = scan.SizeOf(c);
            if (size > bestSize) (best, bestSize) = (c, size);
        }
        return best ?? throw new InvalidOperationException($"lazy realize: cannot split {root}");
    }

    /// <summary>
    /// One walk over the pending graph under a kernel root: its distinct buffers and constants (in first-seen order, so
    /// the same graph shape always gets the same slots and hits the kernel cache), op count, shared nodes and sums.
    /// </summary>
    private sealed class Scan
    {
        internal readonly List<LazyNode> Buffers = [];
        internal readonly List<float> Constants = [];
        private readonly List<int> constantBits = []; // compared by bits: 0 and -0 are different constants
        internal readonly List<LazyNode> Sums = [];
        internal readonly List<LazyNode> Shared = [];
        internal int Ops;

        /// <summary>True when the slots and the op budget of one kernel suffice.</summary>
        internal bool Fits => Buffers.Count <= MaxInputs && Constants.Count <= MaxConstants && Ops <= MaxOps;
        private readonly Dictionary<LazyNode, int> uses = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<(float[], int, bool), int> bufferSlot = []; // a one-element read is a broadcast slot of its own
        private readonly Dictionary<LazyNode, int> sizes = new(ReferenceEqualityComparer.Instance);

        internal Scan(LazyNode root)
        {
            // The root's own Sum/Copy is the kernel itself, not a boundary below it.
            var top = root.Kind is Kind.Sum or Kind.Copy ? root.Children[0] : root;
            Visit(top, isRoot: true);
        }

        private void Visit(LazyNode n, bool isRoot)
        {
            if (n.IsMaterialized)
            {
                n.CheckUnchanged();
                if (!bufferSlot.ContainsKey((n.Array!, n.Offset, n.Numel == 1)))
                {
                    bufferSlot[(n.Array!, n.Offset, n.Numel == 1)] = Buffers.Count;
                    Buffers.Add(n);
                }
                return;
            }
            if (n.Kind == Kind.Constant)
            {
                int bits = BitConverter.SingleToInt32Bits(n.Value);
                if (!constantBits.Contains(bits))
                {
                    constantBits.Add(bits);
                    Constants.Add(n.Value);
                }
                return;
            }
            if (n.Kind == Kind.Sum && !isRoot)
            {
                if (!Sums.Contains(n)) Sums.Add(n);
                return;
            }
            if (uses.TryGetValue(n, out int u))
            {
                uses[n] = u + 1;
                if (u == 1 && n.Kind == Kind.Op) Shared.Add(n);
                return;
            }
            uses[n] = 1;
            foreach (var c in n.Children) Visit(c, false);
            if (n.Kind == Kind.Op) Ops++;
        }

        /// <summary>Pending op nodes under <paramref name="n"/> counted with repeats (a cheap size measure).</summary>
        internal int SizeOf(LazyNode n)
        {
            if (n.IsMaterialized || n.Kind is Kind.Constant or Kind.Sum) return 0;
            if (sizes.TryGetValue(n, out int s)) return s;
            s = 1;
            foreach (var c in n.Children) s += SizeOf(c);
            return sizes[n] = s;
        }

        /// <summary>The kernel's expression; nodes in <paramref name="stores"/> are also written to their output slot.</summary>
        internal Kernel Build(LazyNode root, Dictionary<LazyNode, int>? stores)
        {
            var memo = new Dictionary<LazyNode, ExprNode>(ReferenceEqualityComparer.Instance);
            var top = root.Kind is Kind.Sum or Kind.Copy ? root.Children[0] : root;
            var expr = ExprOf(top, memo, stores);
            var inputs = new float[Buffers.Count][];
            var offsets = new int[Buffers.Count];
            for (int k = 0; k < Buffers.Count; k++) (inputs[k], offsets[k]) = (Buffers[k].Array!, Buffers[k].Offset);
            return new Kernel(expr, inputs, offsets, Constants.ToArray());
        }

        private ExprNode ExprOf(LazyNode n, Dictionary<LazyNode, ExprNode> memo, Dictionary<LazyNode, int>? stores)
        {
            if (memo.TryGetValue(n, out var e)) return e;
            if (n.IsMaterialized)
            {
                int slot = bufferSlot[(n.Array!, n.Offset, n.Numel == 1)];
                e = n.Numel == 1 ? ExprNode.Broadcast(slot) : ExprNode.Input(slot);
            }
            else if (n.Kind == Kind.Constant) e = ExprNode.Constant(constantBits.IndexOf(BitConverter.SingleToInt32Bits(n.Value)));
            else if (n.Kind == Kind.Copy) e = ExprOf(n.Children[0], memo, stores);
            else
            {
                var args = new ExprNode[n.Children.Length];
                for (int k = 0; k < args.Length; k++) args[k] = ExprOf(n.Children[k], memo, stores);
                e = ExprNode.Apply(n.Op!, args);
            }
            if (stores != null && stores.TryGetValue(n, out int output)) e = ExprNode.Store(output, e);
            return memo[n] = e;
        }
    }
}
