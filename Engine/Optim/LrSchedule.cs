namespace RlPlat.Engine.Optim;

/// <summary>
/// A learning-rate schedule: a factor of each group's initial lr as a function of the step count. Call
/// <see cref="Step"/> once per optimizer step (or per epoch); it sets every group's <see cref="ParamGroup.Lr"/>.
/// </summary>
public abstract class LrSchedule
{
    /// <summary>The optimizer whose groups are scheduled.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>How many times <see cref="Step"/> has been called.</summary>
    public long StepCount { get; private set; }

    /// <summary>Schedules <paramref name="optimizer"/> and applies the factor for step 0.</summary>
    protected LrSchedule(Optimizer optimizer)
    {
        Optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
    }

    /// <summary>The factor of the initial lr at <paramref name="step"/>.</summary>
    public abstract double Factor(long step);

    /// <summary>Advances one step and updates the learning rates.</summary>
    public void Step()
    {
        StepCount++;
        Apply();
    }

    /// <summary>Sets the learning rates for the current step count (also used after loading a checkpoint).</summary>
    public void Apply()
    {
        double f = Factor(StepCount);
        foreach (var g in Optimizer.ParamGroups) g.Lr = g.InitialLr * f;
    }

    /// <summary>Jumps to <paramref name="step"/> (resuming) and updates the learning rates.</summary>
    public void SetStep(long step)
    {
        if (step < 0) throw new ArgumentException($"{GetType().Name}.SetStep: step must be >= 0, got {step}");
        StepCount = step;
        Apply();
    }
}

/// <summary>The initial learning rate for ever.</summary>
public sealed class ConstantLr(Optimizer optimizer) : LrSchedule(optimizer)
{
    /// <inheritdoc/>
    public override double Factor(long step) => 1;
}

/// <summary>Linear from <see cref="Start"/> to <see cref="End"/> (factors) over <see cref="TotalSteps"/>, then constant (SB3's linear schedule).</summary>
public sealed class LinearLr : LrSchedule
{
    /// <summary>Interpolates the factor from <paramref name="start"/> to <paramref name="end"/> over <paramref name="totalSteps"/>.</summary>
    public LinearLr(Optimizer optimizer, long totalSteps, double start = 1, double end = 0) : base(optimizer)
    {
        if (totalSteps <= 0) throw new ArgumentException($"LinearLr: totalSteps must be > 0, got {totalSteps}");
        TotalSteps = totalSteps; Start = start; End = end;
        Apply();
    }

    /// <summary>Steps over which the factor changes.</summary>
    public long TotalSteps { get; }
    /// <summary>Factor at step 0.</summary>
    public double Start { get; }
    /// <summary>Factor from <see cref="TotalSteps"/> on.</summary>
    public double End { get; }

    /// <inheritdoc/>
    public override double Factor(long step) => Start + (End - Start) * Math.Min(step, TotalSteps) / TotalSteps;
}

/// <summary>Cosine annealing from 1 to <see cref="MinFactor"/> over <see cref="TotalSteps"/> (PyTorch's CosineAnnealingLR, one half period).</summary>
public sealed class CosineLr : LrSchedule
{
    /// <summary>Anneals over <paramref name="totalSteps"/> to <paramref name="minFactor"/>·initial lr.</summary>
    public CosineLr(Optimizer optimizer, long totalSteps, double minFactor = 0) : base(optimizer)
    {
        if (totalSteps <= 0) throw new ArgumentException($"CosineLr: totalSteps must be > 0, got {totalSteps}");
        TotalSteps = totalSteps; MinFactor = minFactor;
        Apply();
    }

    /// <summary>Length of the half period.</summary>
    public long TotalSteps { get; }
    /// <summary>The final factor.</summary>
    public double MinFactor { get; }

    /// <inheritdoc/>
    public override double Factor(long step) => MinFactor + (1 - MinFactor) * (1 + Math.Cos(Math.PI * Math.Min(step, TotalSteps) / TotalSteps)) / 2;
}

/// <summary>Multiplies the factor by <see cref="Gamma"/> every <see cref="StepSize"/> steps (PyTorch's StepLR).</summary>
public sealed class StepLr : LrSchedule
{
    /// <summary>Decays by <paramref name="gamma"/> every <paramref name="stepSize"/> steps.</summary>
    public StepLr(Optimizer optimizer, long stepSize, double gamma = 0.1) : base(optimizer)
    {
        if (stepSize <= 0) throw new ArgumentException($"StepLr: stepSize must be > 0, got {stepSize}");
        StepSize = stepSize; Gamma = gamma;
        Apply();
    }

    /// <summary>Steps between decays.</summary>
    public long StepSize { get; }
    /// <summary>Decay per period.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public override double Factor(long step) => Math.Pow(Gamma, step / StepSize);
}

/// <summary>Factor γ^step (PyTorch's ExponentialLR).</summary>
public sealed class ExponentialLr : LrSchedule
{
    /// <summary>Decays by <paramref name="gamma"/> every step.</summary>
    public ExponentialLr(Optimizer optimizer, double gamma) : base(optimizer)
    {
        if (!(gamma > 0)) throw new ArgumentException($"ExponentialLr: gamma must be > 0, got {gamma}");
        Gamma = gamma;
        Apply();
    }

    /// <summary>Decay per step.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public override double Factor(long step) => Math.Pow(Gamma, step);
}

/// <summary>
/// Linear warmup from <see cref="StartFactor"/> to 1 over <see cref="WarmupSteps"/>, then the factor of another
/// schedule (evaluated from its own step 0), e.g. warmup then cosine.
/// </summary>
public sealed class WarmupLr : LrSchedule
{
    private readonly LrSchedule? after;

    /// <summary>Warms up over <paramref name="warmupSteps"/>; then follows <paramref name="after"/> (null: constant).</summary>
    public WarmupLr(Optimizer optimizer, long warmupSteps, LrSchedule? after = null, double startFactor = 0) : base(optimizer)
    {
        if (warmupSteps <= 0) throw new ArgumentException($"WarmupLr: warmupSteps must be > 0, got {warmupSteps}");
        if (after != null && !ReferenceEquals(after.Optimizer, optimizer)) throw new ArgumentException("WarmupLr: the following schedule must drive the same optimizer");
        WarmupSteps = warmupSteps; StartFactor = startFactor; this.after = after;
        Apply();
    }

    /// <summary>Length of the warmup.</summary>
    public long WarmupSteps { get; }
    /// <summary>Factor at step 0.</summary>
    public double StartFactor { get; }

    /// <inheritdoc/>
    public override double Factor(long step) => step < WarmupSteps
        ? StartFactor + (1 - StartFactor) * step / WarmupSteps
        : after?.Factor(step - WarmupSteps) ?? 1;
}
