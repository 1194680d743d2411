namespace RlPlat.Engine;

/// <summary>
/// Define-by-run automatic differentiation: grad mode, no-grad scopes, anomaly detection, and the reverse-mode
/// engine that walks recorded <see cref="Node"/>s in reverse topological order.
/// </summary>
public static partial class Autograd
{
    [ThreadStatic] private static int noGradDepth;
    [ThreadStatic] private static int anomalyDepth;
    [ThreadStatic] private static bool accumulatingLeafGrads;
    [ThreadStatic] private static bool releasingGraph;

    /// <summary>
    /// True inside a plain <c>Backward()</c> that releases the graph (no retainGraph, createGraph, capture or anomaly
    /// checks): a backward function may then recycle buffers that only this graph could reach once it has used them.
    /// </summary>
    internal static bool RecyclesGraphBuffers => releasingGraph;

    /// <summary>True when ops record gradients on this thread.</summary>
    public static bool IsEnabled => noGradDepth == 0;

    /// <summary>True inside a <see cref="DetectAnomaly"/> scope on this thread.</summary>
    public static bool IsAnomalyEnabled => anomalyDepth > 0;

    /// <summary>A scope (thread-local) in which no op records a graph: <c>using (Autograd.NoGrad()) { ... }</c>.</summary>
    public static NoGradScope NoGrad()
    {
        noGradDepth++;
        return new NoGradScope(0);
    }

    /// <summary>A scope in which ops record again, inside an outer NoGrad.</summary>
    public static NoGradScope EnableGrad()
    {
        int saved = noGradDepth;
        noGradDepth = 0;
        return new NoGradScope(saved + 1);
    }

    /// <summary>A scope in which the first NaN or Inf produced by an op, forward or backward, raises an error naming the op.</summary>
    public static AnomalyScope DetectAnomaly()
    {
        anomalyDepth++;
        return default;
    }

    /// <summary>Ends a <see cref="NoGrad"/> or <see cref="EnableGrad"/> scope.</summary>
    public readonly struct NoGradScope : IDisposable
    {
        private readonly int restore;
        internal NoGradScope(int restore) => this.restore = restore;

        /// <summary>Restores the previous grad mode.</summary>
        public void Dispose()
        {
            if (restore == 0) noGradDepth--;
            else noGradDepth = restore - 1;
        }
    }

    /// <summary>Ends a <see cref="DetectAnomaly"/> scope.</summary>
    public readonly struct AnomalyScope : IDisposable
    {
        /// <summary>Leaves anomaly mode.</summary>
        public void Dispose() => anomalyDepth--;
    }

    internal static bool Needs(Tensor a) => noGradDepth == 0 && a.requiresGrad;

    internal static bool Needs(Tensor a, Tensor b) => noGradDepth == 0 && (a.requiresGrad || b.requiresGrad);

    /// <summary>Records that <paramref name="result"/> was computed by <paramref name="name"/> from <paramref name="inputs"/>.</summary>
    internal static Tensor Attach(Tensor result, string name, Tensor?[] inputs, Func<Tensor, Tensor?[]> backward, params Tensor[] saved)
    {
        if (anomalyDepth > 0) CheckFinite(result, name, "forward");
        result.gradFn = new Node(name, inputs, backward, saved);
        result.requiresGrad = true;
        return result;
    }

    internal static void CheckFinite(Tensor t, string op, string phase)
    {
        if (!t.DType.IsFloat()) return;
        using var _ = NoGrad();
        var c = t.Contiguous();
        bool bad = false;
        if (t.DType == DType.Float32) { foreach (var v in c.AsSpan<float>()) if (!float.IsFinite(v)) { bad = true; break; } }
        else foreach (var v in c.AsSpan<double>()) if (!double.IsFinite(v)) { bad = true; break; }
        if (bad) throw new InvalidOperationException($"DetectAnomaly: {op} produced NaN or Inf in its {phase} (output shape {Shape.Format(t.shape)})");
    }

    /// <summary>
    /// Gradients of <paramref name="outputs"/> with respect to <paramref name="inputs"/>, without touching any <c>.Grad</c>.
    /// With <paramref name="createGraph"/> the gradients are themselves differentiable (second derivatives).
    /// </summary>
    public static Tensor?[] Grad(Tensor[] outputs, Tensor[] inputs, Tensor?[]? gradOutputs = null, bool retainGraph = false,
        bool createGraph = false, bool allowUnused = false)
    {
        var roots = new (Tensor, Tensor)[outputs.Length];
        for (int i = 0; i < outputs.Length; i++) roots[i] = (outputs[i], RootGrad(outputs[i], gradOutputs?[i], "Grad"));
        var captured = Run(roots, retainGraph || createGraph, createGraph, inputs);
        var result = new Tensor?[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            captured!.TryGetValue(inputs[i], out var g);
            if (g == null && !allowUnused)
                throw new InvalidOperationException($"Grad: input {i} (shape {Shape.Format(inputs[i].shape)}) was not used to compute the outputs; pass allowUnused: true to get null for it");
            result[i] = g;
        }
        return result;
    }

    /// <summary>Gradient of one output, the <see cref="Grad(Tensor[], Tensor[], Tensor?[], bool, bool, bool)"/> shorthand.</summary>
    public static Tensor?[] Grad(Tensor output, params Tensor[] inputs) => Grad([output], inputs);

    internal static Tensor RootGrad(Tensor output, Tensor? grad, string op)
    {
        if (!output.requiresGrad)
            throw new InvalidOperationException($"{op}: the tensor does not require grad and has no grad_fn (did you compute it inside NoGrad, or from tensors without RequiresGrad?)");
        if (grad == null)
        {
            if (output.Numel != 1)
                throw new InvalidOperationException($"{op}: a gradient can be implicitly created only for a one-element output, this one has shape {Shape.Format(output.shape)}; pass the output gradient explicitly");
            return Tensor.OnesLike(output);
        }
        if (!grad.shape.AsSpan().SequenceEqual(output.shape))
        {
            // PyTorch 0.x's RNN example passes ones(1, 20) for a [20, 1] output: shapes that differ only in size-1 dims
            // list the same elements in the same order, so that reshape is unambiguous; anything else is an error.
            if (!SameWithoutOnes(grad.shape, output.shape))
                throw new ArgumentException($"{op}: gradient of shape {Shape.Format(grad.shape)} does not match output shape {Shape.Format(output.shape)}");
            grad = grad.Reshape(output.shape);
        }
        return grad.DType == output.DType ? grad : grad.To(output.DType);
    }

    private static bool SameWithoutOnes(int[] a, int[] b)
    {
        int i = 0, j = 0;
        while (true)
        {
            while (i < a.Length && a[i] == 1) i++;
            while (j < b.Length && b[j] == 1) j++;
            if (i == a.Length || j == b.Length) return i == a.Length && j == b.Length;
            if (a[i++] != b[j++]) return false;
        }
    }

    /// <summary>The per-call collections of <see cref="Run"/>, kept per thread so a backward pass allocates no bookkeeping.</summary>
    private sealed class RunState
    {
        public readonly List<Tensor> Order = [];
        public readonly HashSet<Tensor> Visited = new(ReferenceEqualityComparer.Instance);
        public readonly Stack<(Tensor, int)> Stack = new();
        public readonly Dictionary<Tensor, Tensor> Grads = new(ReferenceEqualityComparer.Instance);
        public bool InUse;

        public void Clear()
        {
            // A one-off huge graph should not pin its bucket arrays for the thread's lifetime.
            bool trim = Order.Count > 4096;
            Order.Clear();
            Visited.Clear();
            Stack.Clear();
            Grads.Clear();
            if (trim)
            {
                Order.TrimExcess();
                Visited.TrimExcess();
                Stack.TrimExcess();
                Grads.TrimExcess();
            }
            InUse = false;
        }
    }

    [ThreadStatic] private static RunState? runState;

    private static string SecondBackwardMessage(Node node) =>
        $"Backward: trying to backward through {node.Name} a second time, after its saved tensors were freed; pass retainGraph: true to the first Backward() (or Grad()) if you need to backward twice";

    /// <summary>
    /// The reverse-mode engine. Accumulates into leaves' <c>.Grad</c> unless <paramref name="capture"/> is given, in which
    /// case gradients of those tensors are returned instead.
    /// </summary>
    internal static Dictionary<Tensor, Tensor>? Run((Tensor Output, Tensor Grad)[] roots, bool retainGraph, bool createGraph, Tensor[]? capture = null)
    {
        // Reentrant calls (a hook that itself calls Grad) get fresh collections; the common case reuses the thread's.
        var state = runState is { InUse: false } pooled ? pooled : new RunState();
        runState ??= state;
        state.InUse = true;
        Dictionary<Tensor, Tensor>? captured = null;
        int savedDepth = noGradDepth;
        bool savedAccumulating = accumulatingLeafGrads, savedReleasing = releasingGraph;
        try
        {
            accumulatingLeafGrads = capture == null && !createGraph && anomalyDepth == 0;
            releasingGraph = accumulatingLeafGrads && !retainGraph;
            var order = state.Order;
            TopologicalOrder(roots, state);
            var grads = state.Grads;
            foreach (var (o, g) in roots) Accumulate(grads, o, g);
            HashSet<Tensor>? captureSet = null;
            if (capture != null)
            {
                captureSet = new HashSet<Tensor>(capture, ReferenceEqualityComparer.Instance);
                captured = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance);
            }
            noGradDepth = createGraph ? 0 : 1;
            for (int i = order.Count - 1; i >= 0; i--)
            {
                var t = order[i];
                if (!grads.Remove(t, out var g)) continue;
                g = t.RunHooks(g);
                if (captureSet != null && captureSet.Contains(t)) captured![t] = g;
                var node = t.gradFn;
                if (node == null)
                {
                    if (captureSet == null) t.AccumulateGrad(g, createGraph);
                    continue;
                }
                if (captureSet == null && t.retainGrad) t.AccumulateGrad(g, createGraph);
                var fn = node.BackwardFn ?? throw new InvalidOperationException(SecondBackwardMessage(node));
                node.CheckSavedVersions();
                var inputs = node.Inputs!;
                var inGrads = fn(g);
                for (int k = 0; k < inputs.Length; k++)
                {
                    var input = inputs[k];
                    var ig = inGrads[k];
                    if (input == null || ig == null || !input.requiresGrad) continue;
                    if (!ig.shape.AsSpan().SequenceEqual(input.shape))
                        throw new InvalidOperationException(
                            $"Backward: {node.Name} returned a gradient of shape {Shape.Format(ig.shape)} for its input {k} of shape {Shape.Format(input.shape)}");
                    if (anomalyDepth > 0) CheckFinite(ig, node.Name, "backward");
                    Accumulate(grads, input, ig);
                }
                if (!retainGraph) node.Release();
            }
        }
        finally
        {
            noGradDepth = savedDepth;
            accumulatingLeafGrads = savedAccumulating;
            releasingGraph = savedReleasing;
            state.Clear();
        }
        return captured;
    }

    /// <summary>
    /// The <c>.Grad</c> buffer a backward function may add <paramref name="leaf"/>'s gradient into directly (a fused
    /// kernel writing into it saves a gradient tensor and an add), or null where the engine must see the gradient:
    /// outside a plain <c>Backward()</c> (Grad() captures, createGraph, anomaly checks), for non-leaves, for leaves with
    /// hooks, and for a <c>.Grad</c> that is lazy, on a device, a strided view or differentiable. A missing
    /// <c>.Grad</c> is created zeroed, as the engine's first accumulation would.
    /// </summary>
    internal static Tensor? DirectGradTarget(Tensor leaf)
    {
        if (!accumulatingLeafGrads || leaf.gradFn != null || !leaf.requiresGrad || leaf.HasHooks || leaf.storage.gpu != null) return null;
        var g = leaf.Grad;
        if (g == null) return leaf.Grad = Tensor.Empty(leaf.DType, (int[])leaf.shape.Clone());
        if (g.requiresGrad || g.storage.pending != null || g.storage.gpu != null || !g.IsContiguous || g.DType != leaf.DType || !g.shape.AsSpan().SequenceEqual(leaf.shape))
            return null;
        return g;
    }

    private static void Accumulate(Dictionary<Tensor, Tensor> grads, Tensor t, Tensor g)
    {
        ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(grads, t, out bool exists);
        slot = exists ? slot!.Add(g) : g;
    }

    private static void TopologicalOrder((Tensor Output, Tensor Grad)[] roots, RunState state)
    {
        // Iterative DFS: deep graphs (long unrolled RNNs) must not overflow the stack.
        var order = state.Order;
        var visited = state.Visited;
        var stack = state.Stack;
        foreach (var (root, _) in roots)
        {
            if (!visited.Add(root)) continue;
            stack.Push((root, 0));
            while (stack.Count > 0)
            {
                var (t, next) = stack.Pop();
                var node = t.gradFn;
                var inputs = node?.Inputs;
                if (node != null && inputs == null) throw new InvalidOperationException(SecondBackwardMessage(node));
                if (inputs != null && next < inputs.Length)
                {
                    stack.Push((t, next + 1));
                    var child = inputs[next];
                    if (child != null && child.requiresGrad && visited.Add(child)) stack.Push((child, 0));
                    continue;
                }
                order.Add(t);
            }
        }
    }
}
