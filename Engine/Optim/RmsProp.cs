using RlPlat.Engine.NN;

namespace RlPlat.Engine.Optim;

/// <summary>RMSprop with PyTorch's rule: smoothing α, optional momentum and centering, L2 weight decay.</summary>
public sealed class RMSprop : Optimizer
{
    private readonly string[] stateNames;

    /// <summary>RMSprop over every parameter of <paramref name="module"/> (live).</summary>
    public RMSprop(Module module, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false)
        : this(GroupsOf(module), lr, alpha, eps, weightDecay, momentum, centered) { }

    /// <summary>RMSprop over a fixed list of parameters.</summary>
    public RMSprop(IEnumerable<Parameter> parameters, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false)
        : this(GroupsOf(parameters), lr, alpha, eps, weightDecay, momentum, centered) { }

    /// <summary>RMSprop over parameter groups.</summary>
    public RMSprop(IEnumerable<ParamGroup> groups, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false)
        : base(groups, lr, weightDecay)
    {
        if (!(alpha >= 0 && alpha <= 1)) throw new ArgumentException($"RMSprop: alpha must be in [0, 1], got {alpha}");
        if (!(momentum >= 0)) throw new ArgumentException($"RMSprop: momentum must be >= 0, got {momentum}");
        Alpha = alpha; Eps = eps; Momentum = momentum; Centered = centered;
        // Only the buffers the settings need, so the state dict matches PyTorch's.
        var names = new List<string> { "square_avg" };
        if (momentum > 0) names.Add("momentum_buffer");
        if (centered) names.Add("grad_avg");
        stateNames = [.. names];
    }

    /// <summary>Smoothing constant of the squared-gradient average.</summary>
    public double Alpha { get; }

    /// <summary>Added to the denominator.</summary>
    public double Eps { get; }

    /// <summary>Momentum factor.</summary>
    public double Momentum { get; }

    /// <summary>Whether the gradient's variance (not its raw second moment) normalizes the step.</summary>
    public bool Centered { get; }

    /// <inheritdoc/>
    protected override string[] StateNames => stateNames;

    /// <inheritdoc/>
    protected override void Update(Tensor p, Tensor grad, ParamState s, ParamGroup group)
    {
        var b = s.Buffers;
        int mi = Momentum > 0 ? 1 : -1, ci = Centered ? (Momentum > 0 ? 2 : 1) : -1;
        if (p.DType == DType.Float32)
            UpdateKernels.RmsProp(p.AsSpan<float>(), grad.AsSpan<float>(), b[0].AsSpan<float>(), ci >= 0 ? b[ci].AsSpan<float>() : default, mi >= 0 ? b[mi].AsSpan<float>() : default,
                (float)group.Lr, (float)Alpha, (float)Eps, (float)group.WeightDecay, (float)Momentum, Centered);
        else
            UpdateKernels.RmsProp(p.AsSpan<double>(), grad.AsSpan<double>(), b[0].AsSpan<double>(), ci >= 0 ? b[ci].AsSpan<double>() : default, mi >= 0 ? b[mi].AsSpan<double>() : default,
                group.Lr, Alpha, Eps, group.WeightDecay, Momentum, Centered);
    }
}

/// <summary>Adagrad with PyTorch's rule: per-element sums of squared gradients, learning-rate decay lr / (1 + (t-1)·decay).</summary>
public sealed class Adagrad : Optimizer
{
    private static readonly string[] Names = ["sum"];

    /// <summary>Adagrad over every parameter of <paramref name="module"/> (live).</summary>
    public Adagrad(Module module, double lr = 1e-2, double lrDecay = 0, double weightDecay = 0, double eps = 1e-10)
        : this(GroupsOf(module), lr, lrDecay, weightDecay, eps) { }

    /// <summary>Adagrad over a fixed list of parameters.</summary>
    public Adagrad(IEnumerable<Parameter> parameters, double lr = 1e-2, double lrDecay = 0, double weightDecay = 0, double eps = 1e-10)
        : this(GroupsOf(parameters), lr, lrDecay, weightDecay, eps) { }

    /// <summary>Adagrad over parameter groups.</summary>
    public Adagrad(IEnumerable<ParamGroup> groups, double lr = 1e-2, double lrDecay = 0, double weightDecay = 0, double eps = 1e-10)
        : base(groups, lr, weightDecay)
    {
        if (!(lrDecay >= 0)) throw new ArgumentException($"Adagrad: lrDecay must be >= 0, got {lrDecay}");
        LrDecay = lrDecay; Eps = eps;
    }

    /// <summary>Learning-rate decay per step.</summary>
    public double LrDecay { get; }

    /// <summary>Added to the denominator.</summary>
    public double Eps { get; }

    /// <inheritdoc/>
    protected override string[] StateNames => Names;

    /// <inheritdoc/>
    protected override void Update(Tensor p, Tensor grad, ParamState s, ParamGroup group)
    {
        double clr = group.Lr / (1 + (s.Step - 1) * LrDecay);
        if (p.DType == DType.Float32)
            UpdateKernels.Adagrad(p.AsSpan<float>(), grad.AsSpan<float>(), s.Buffers[0].AsSpan<float>(), (float)clr, (float)Eps, (float)group.WeightDecay);
        else
            UpdateKernels.Adagrad(p.AsSpan<double>(), grad.AsSpan<double>(), s.Buffers[0].AsSpan<double>(), clr, Eps, group.WeightDecay);
    }
}
