using RlPlat.Engine.Lazy;

namespace RlPlat.Engine;

public sealed partial class Tensor
{
    internal bool requiresGrad;
    internal Node? gradFn;
    internal bool retainGrad;

    /// <summary>
    /// Set on a tensor no user code can reach (a layer stack's intermediate output, or the gradient flowing into one):
    /// its array came from <see cref="NN.GraphBuffers"/> and goes back there once the backward pass has read it.
    /// </summary>
    internal bool graphOwned;
    private List<Func<Tensor, Tensor?>>? hooks;

    /// <summary>Whether ops on this tensor record a graph. Settable on leaves only.</summary>
    public bool RequiresGrad
    {
        get => requiresGrad;
        set
        {
            if (gradFn != null && !value)
                throw new InvalidOperationException($"RequiresGrad: cannot turn off grad on a non-leaf tensor (computed by {gradFn.Name}); use Detach()");
            if (value && !DType.IsFloat())
                throw new InvalidOperationException($"RequiresGrad: only float tensors can require grad, this one is {DType.Name()}");
            requiresGrad = value;
        }
    }

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor, for chaining.</summary>
    public Tensor RequiresGrad_(bool value = true)
    {
        RequiresGrad = value;
        return this;
    }

    /// <summary>The accumulated gradient (leaves, and non-leaves after <see cref="RetainGrad"/>).</summary>
    public Tensor? Grad { get; set; }

    /// <summary>The node that computed this tensor, or null for a leaf.</summary>
    public Node? GradFn => gradFn;

    /// <summary>True for tensors not computed by a recorded op.</summary>
    public bool IsLeaf => gradFn == null;

    /// <summary>Makes a non-leaf keep its <see cref="Grad"/> after backward.</summary>
    public void RetainGrad() => retainGrad = true;

    /// <summary>
    /// Registers a hook called with this tensor's gradient during backward; returning a tensor replaces the gradient,
    /// returning null keeps it.
    /// </summary>
    public void RegisterHook(Func<Tensor, Tensor?> hook)
    {
        if (!requiresGrad) throw new InvalidOperationException("RegisterHook: the tensor does not require grad, so no gradient will reach the hook");
        (hooks ??= []).Add(hook);
    }

    /// <summary>True when a gradient hook is registered.</summary>
    internal bool HasHooks => hooks is { Count: > 0 };

    internal Tensor RunHooks(Tensor g)
    {
        if (hooks == null) return g;
        foreach (var h in hooks)
        {
            var r = h(g);
            if (r != null)
            {
                if (!r.shape.AsSpan().SequenceEqual(g.shape))
                    throw new InvalidOperationException($"hook returned a gradient of shape {Engine.Shape.Format(r.shape)} for a tensor of shape {Engine.Shape.Format(shape)}");
                g = r;
            }
        }
        return g;
    }

    internal void AccumulateGrad(Tensor g, bool createGraph)
    {
        if (createGraph)
        {
            // Differentiable gradients (gradient penalties) are never updated in place.
            Grad = KeptPastGpuScope(Grad == null ? g : Grad.Add(g));
            return;
        }
        // The incoming gradient may be shared (Add hands the same tensor to both inputs, a hook may keep it), so the
        // first one is copied: a later in-place accumulation must not change another tensor's gradient.
        if (Grad == null) Grad = KeptPastGpuScope(g.Detach().Clone());
        else if (Grad.requiresGrad) Grad = KeptPastGpuScope(Grad.Detach().Add(g.Detach()));
        else if (Grad.IsLazy) Grad = Grad.Add(g.Detach()); // still pending: sum in the graph, not in place
        else Grad.AddInPlace(g);
        LazyGraph.NoteGrad(this);
    }

    /// <summary>
    /// A leaf's gradient outlives the <c>Gpu.Scope()</c> its backward ran in (as optimizer state does): gradients that
    /// accumulate over several scoped backward passes must not be released at the end of the first.
    /// </summary>
    private static Tensor KeptPastGpuScope(Tensor grad) => grad.storage.gpu == null ? grad : Gpu.Keep(grad);

    /// <summary>
    /// Computes the gradient of this tensor with respect to every leaf that requires grad, accumulating into their
    /// <see cref="Grad"/>. A non-scalar needs an explicit <paramref name="gradient"/> of its shape.
    /// </summary>
    public void Backward(Tensor? gradient = null, bool retainGraph = false, bool createGraph = false)
    {
        var g = Autograd.RootGrad(this, gradient, "Backward");
        Autograd.Run([(this, g)], retainGraph || createGraph, createGraph);
        LazyGraph.RealizeGrads(); // lazy mode: the gradients' graphs run now, fused
    }

    /// <summary>A tensor sharing this one's storage that is not part of any graph.</summary>
    public Tensor Detach() => new(storage, shape, strides, offset);

    /// <summary>Throws when an in-place write would corrupt autograd (a leaf that requires grad, outside NoGrad).</summary>
    internal void CheckInPlace(string op)
    {
        if (!Autograd.IsEnabled || !requiresGrad) return;
        if (gradFn == null)
            throw new InvalidOperationException($"{op}: a leaf tensor that requires grad cannot be modified in place; wrap the update in Autograd.NoGrad() (as optimizers do)");
        throw new InvalidOperationException($"{op}: in-place ops on a tensor that is part of a graph (computed by {gradFn.Name}) are not supported; use the out-of-place op");
    }
}
