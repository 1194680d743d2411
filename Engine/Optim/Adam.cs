using RlPlat.Engine.Lazy;
using RlPlat.Engine.NN;

namespace RlPlat.Engine.Optim;

/// <summary>
/// Adam (Kingma &amp; Ba) with PyTorch's update rule: L2 weight decay added to the gradient, bias-corrected moments,
/// optional AMSGrad. One fused loop per parameter, no allocation per step.
/// </summary>
public class Adam : Optimizer
{
    private readonly string[] stateNames;

    /// <summary>Adam over every parameter of <paramref name="module"/> (live: follows growth).</summary>
    public Adam(Module module, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0, bool amsgrad = false)
        : this(GroupsOf(module), lr, beta1, beta2, eps, weightDecay, amsgrad) { }

    /// <summary>Adam over a fixed list of parameters.</summary>
    public Adam(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0, bool amsgrad = false)
        : this(GroupsOf(parameters), lr, beta1, beta2, eps, weightDecay, amsgrad) { }

    /// <summary>Adam over parameter groups (each may override lr and weight decay).</summary>
    public Adam(IEnumerable<ParamGroup> groups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0, bool amsgrad = false)
        : base(groups, lr, weightDecay)
    {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) throw new ArgumentException($"{GetType().Name}: betas must be in [0, 1), got ({beta1}, {beta2})");
        if (!(eps >= 0)) throw new ArgumentException($"{GetType().Name}: eps must be >= 0, got {eps}");
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        Amsgrad = amsgrad;
        stateNames = amsgrad ? ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"] : ["exp_avg", "exp_avg_sq"];
    }

    /// <summary>Decay of the first moment.</summary>
    public double Beta1 { get; }

    /// <summary>Decay of the second moment.</summary>
    public double Beta2 { get; }

    /// <summary>Added to the denominator for stability.</summary>
    public double Eps { get; }

    /// <summary>Whether the running maximum of the second moment is used.</summary>
    public bool Amsgrad { get; }

    /// <summary>True for AdamW: weight decay shrinks the weights directly instead of being added to the gradient.</summary>
    protected virtual bool DecoupledWeightDecay => false;

    /// <inheritdoc/>
    protected override string[] StateNames => stateNames;

    /// <inheritdoc/>
    protected override void Update(Tensor p, Tensor grad, ParamState s, ParamGroup group)
    {
        double bc1 = 1 - Math.Pow(Beta1, s.Step);
        double bc2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, s.Step));
        double stepSize = group.Lr / bc1;
        double l2 = DecoupledWeightDecay ? 0 : group.WeightDecay;
        double scale = DecoupledWeightDecay ? 1 - group.Lr * group.WeightDecay : 1;
        var b = s.Buffers;
        if (p.IsOnGpu)
            Backends.Gpu.GpuOptim.Adam(p, grad, b[0], b[1], Amsgrad ? b[2] : null, Beta1, Beta2, stepSize, bc2Sqrt, Eps, l2, scale);
        else if (!Amsgrad && LazyUpdates.Applies(p, grad, b[0], b[1]))
            LazyUpdates.Adam(p, grad, b[0], b[1], (float)Beta1, (float)Beta2, (float)stepSize, (float)bc2Sqrt, (float)Eps, (float)l2, (float)scale);
        else if (p.DType == DType.Float32)
            UpdateKernels.Adam(p.AsSpan<float>(), grad.AsSpan<float>(), b[0].AsSpan<float>(), b[1].AsSpan<float>(), Amsgrad ? b[2].AsSpan<float>() : default,
                (float)Beta1, (float)Beta2, (float)stepSize, (float)bc2Sqrt, (float)Eps, (float)l2, (float)scale, Amsgrad);
        else
            UpdateKernels.Adam(p.AsSpan<double>(), grad.AsSpan<double>(), b[0].AsSpan<double>(), b[1].AsSpan<double>(), Amsgrad ? b[2].AsSpan<double>() : default,
                Beta1, Beta2, stepSize, bc2Sqrt, Eps, l2, scale, Amsgrad);
    }
}

/// <summary>AdamW (Loshchilov &amp; Hutter): Adam with decoupled weight decay, p ← p·(1 - lr·wd) before the Adam step. Default wd 0.01 as PyTorch.</summary>
public sealed class AdamW : Adam
{
    /// <summary>AdamW over every parameter of <paramref name="module"/>.</summary>
    public AdamW(Module module, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0.01, bool amsgrad = false)
        : base(module, lr, beta1, beta2, eps, weightDecay, amsgrad) { }

    /// <summary>AdamW over a fixed list of parameters.</summary>
    public AdamW(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0.01, bool amsgrad = false)
        : base(parameters, lr, beta1, beta2, eps, weightDecay, amsgrad) { }

    /// <summary>AdamW over parameter groups.</summary>
    public AdamW(IEnumerable<ParamGroup> groups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0.01, bool amsgrad = false)
        : base(groups, lr, beta1, beta2, eps, weightDecay, amsgrad) { }

    /// <inheritdoc/>
    protected override bool DecoupledWeightDecay => true;
}
