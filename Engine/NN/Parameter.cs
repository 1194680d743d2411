namespace RlPlat.Engine.NN;

/// <summary>
/// A trainable tensor owned by a <see cref="Module"/>. A wrapper (Tensor is sealed) whose <see cref="Value"/> can be
/// replaced, e.g. by a bigger tensor when a network grows; optimizers key their state by the Parameter, so state
/// follows the replacement (old entries kept, new entries zero).
/// </summary>
public sealed class Parameter
{
    private Tensor value;

    /// <summary>Wraps <paramref name="value"/> (a float leaf tensor) and makes it require grad.</summary>
    public Parameter(Tensor value, bool requiresGrad = true)
    {
        this.value = Checked(value);
        this.value.RequiresGrad = requiresGrad;
    }

    /// <summary>The current tensor. Setting it (growth, loading) keeps the requires-grad flag and tells optimizers.</summary>
    public Tensor Value
    {
        get => value;
        set
        {
            bool rg = this.value.RequiresGrad;
            var v = Checked(value);
            v.RequiresGrad = rg;
            this.value = v;
            Module.BumpStructureVersion();
        }
    }

    /// <summary>The accumulated gradient of <see cref="Value"/>.</summary>
    public Tensor? Grad
    {
        get => value.Grad;
        set => this.value.Grad = value;
    }

    /// <summary>Whether the parameter trains (false freezes it).</summary>
    public bool RequiresGrad
    {
        get => value.RequiresGrad;
        set => this.value.RequiresGrad = value;
    }

    /// <summary>The shape of <see cref="Value"/> (a copy).</summary>
    public int[] Shape => value.Shape;

    /// <summary>Number of elements.</summary>
    public int Numel => value.Numel;

    private static Tensor Checked(Tensor t)
    {
        ArgumentNullException.ThrowIfNull(t);
        if (!t.DType.IsFloat()) throw new ArgumentException($"Parameter: needs a float tensor, got {t.DType.Name()} of shape {Engine.Shape.Format(t.ShapeSpan)}");
        if (!t.IsLeaf) throw new ArgumentException($"Parameter: needs a leaf tensor, got one computed by {t.GradFn!.Name}; pass Detach() or Clone() under NoGrad");
        // Optimizers update parameters through spans, so storage must be contiguous and not shared with a broadcast view.
        if (!t.IsContiguous) using (Autograd.NoGrad()) t = t.Contiguous();
        return t;
    }

    /// <inheritdoc/>
    public override string ToString() => $"Parameter({Engine.Shape.Format(value.ShapeSpan)}, {value.DType.Name()})";
}
