using RlPlat.Engine.Lazy;
using RlPlat.Engine.NN;

namespace RlPlat.Engine.Optim;

/// <summary>Stochastic gradient descent with PyTorch's momentum, dampening, Nesterov and L2 weight decay.</summary>
public sealed class SGD : Optimizer
{
    private static readonly string[] MomentumState = ["momentum_buffer"];

    /// <summary>SGD over every parameter of <paramref name="module"/> (live: follows growth).</summary>
    public SGD(Module module, double lr = 1e-3, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : this(GroupsOf(module), lr, momentum, dampening, weightDecay, nesterov) { }

    /// <summary>SGD over a fixed list of parameters.</summary>
    public SGD(IEnumerable<Parameter> parameters, double lr = 1e-3, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : this(GroupsOf(parameters), lr, momentum, dampening, weightDecay, nesterov) { }

    /// <summary>SGD over parameter groups.</summary>
    public SGD(IEnumerable<ParamGroup> groups, double lr = 1e-3, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base(groups, lr, weightDecay)
    {
        if (!(momentum >= 0)) throw new ArgumentException($"SGD: momentum must be >= 0, got {momentum}");
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException($"SGD: Nesterov needs momentum > 0 and dampening 0, got momentum={momentum}, dampening={dampening}");
        Momentum = momentum;
        Dampening = dampening;
        Nesterov = nesterov;
    }

    /// <summary>Momentum factor μ.</summary>
    public double Momentum { get; }

    /// <summary>Dampening τ of the momentum.</summary>
    public double Dampening { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    protected override string[] StateNames => Momentum != 0 ? MomentumState : [];

    /// <inheritdoc/>
    protected override void Update(Tensor p, Tensor grad, ParamState s, ParamGroup group)
    {
        bool first = s.Step == 1;
        var buf = Momentum != 0 ? s.Buffers[0] : null;
        if (p.IsOnGpu)
            Backends.Gpu.GpuOptim.Sgd(p, grad, buf, group.Lr, group.WeightDecay, Momentum, Dampening, Nesterov, first);
        else if (LazyUpdates.Applies(p, grad, buf))
            LazyUpdates.Sgd(p, grad, buf, (float)group.Lr, (float)group.WeightDecay, (float)Momentum, (float)Dampening, Nesterov, first);
        else if (p.DType == DType.Float32)
            UpdateKernels.Sgd(p.AsSpan<float>(), grad.AsSpan<float>(), Momentum != 0 ? s.Buffers[0].AsSpan<float>() : default,
                (float)group.Lr, (float)group.WeightDecay, (float)Momentum, (float)Dampening, Nesterov, first);
        else
            UpdateKernels.Sgd(p.AsSpan<double>(), grad.AsSpan<double>(), Momentum != 0 ? s.Buffers[0].AsSpan<double>() : default,
                group.Lr, group.WeightDecay, Momentum, Dampening, Nesterov, first);
    }
}
