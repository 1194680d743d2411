namespace RlPlat.Engine.NN;

/// <summary>A loss as a module: <c>Forward(input, target)</c>.</summary>
public abstract class Loss(Reduction reduction) : Module
{
    /// <summary>How per-element losses are reduced.</summary>
    public Reduction Reduction { get; } = reduction;

    /// <summary>The loss of <paramref name="input"/> against <paramref name="target"/>.</summary>
    public abstract Tensor Forward(Tensor input, Tensor target);
}

/// <summary>Mean squared error.</summary>
public sealed class MseLoss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.MseLoss(input, target, Reduction);
}

/// <summary>Mean absolute error.</summary>
public sealed class L1Loss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.L1Loss(input, target, Reduction);
}

/// <summary>Huber loss with threshold <see cref="Delta"/>.</summary>
public sealed class HuberLoss(double delta = 1.0, Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <summary>Where the loss turns from quadratic to linear.</summary>
    public double Delta { get; } = delta;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.HuberLoss(input, target, Delta, Reduction);
}

/// <summary>Smooth L1 loss with threshold <see cref="Beta"/> (DQN's usual loss).</summary>
public sealed class SmoothL1Loss(double beta = 1.0, Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <summary>Where the loss turns from quadratic to linear.</summary>
    public double Beta { get; } = beta;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.SmoothL1Loss(input, target, Beta, Reduction);
}

/// <summary>Cross-entropy of logits against class indices or probabilities, with label smoothing.</summary>
public sealed class CrossEntropyLoss(double labelSmoothing = 0, Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <summary>The smoothing ε mixed into the target.</summary>
    public double LabelSmoothing { get; } = labelSmoothing;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.CrossEntropy(input, target, LabelSmoothing, Reduction);
}

/// <summary>Negative log likelihood of log-probabilities.</summary>
public sealed class NllLoss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.NllLoss(input, target, Reduction);
}

/// <summary>Binary cross-entropy of probabilities.</summary>
public sealed class BceLoss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.BinaryCrossEntropy(input, target, Reduction);
}

/// <summary>Binary cross-entropy of logits (stable).</summary>
public sealed class BceWithLogitsLoss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.BinaryCrossEntropyWithLogits(input, target, Reduction);
}

/// <summary>KL divergence of log-probability inputs against a target distribution.</summary>
public sealed class KlDivLoss(Reduction reduction = Reduction.Mean, bool logTarget = false) : Loss(reduction)
{
    /// <summary>Whether the target is given as log-probabilities.</summary>
    public bool LogTarget { get; } = logTarget;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.KlDiv(input, target, Reduction, LogTarget);
}
