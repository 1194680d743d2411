namespace RlPlat.Environments.Wrappers;

/// <summary>Gymnasium's <c>TransformObservation</c>: applies a function to every observation (reset and step).</summary>
public sealed class TransformObservation<TObs, TAction, TInnerObs> : Wrapper<TObs, TAction, TInnerObs, TAction>
{
    private readonly Func<TInnerObs, TObs> transform;

    /// <summary>Applies <paramref name="transform"/>; <paramref name="observationSpace"/> is the new space (null: unchanged).</summary>
    public TransformObservation(IEnv<TInnerObs, TAction> env, Func<TInnerObs, TObs> transform, Space? observationSpace = null) : base(env)
    {
        this.transform = transform ?? throw new ArgumentException("TransformObservation: the transform is null.", nameof(transform));
        ObservationSpace = observationSpace ?? env.ObservationSpace;
    }

    /// <inheritdoc />
    public override Space ObservationSpace { get; }

    /// <inheritdoc />
    public override (TObs Observation, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
    {
        var (obs, info) = Env.Reset(seed, options);
        return (transform(obs), info);
    }

    /// <inheritdoc />
    public override StepResult<TObs> Step(TAction action)
    {
        var r = Env.Step(action);
        return new StepResult<TObs>(transform(r.Observation), r.Reward, r.Terminated, r.Truncated, r.Info);
    }
}

/// <summary>Gymnasium's <c>TransformReward</c>: applies a function to every reward.</summary>
public sealed class TransformReward<TObs, TAction> : Wrapper<TObs, TAction>
{
    private readonly Func<double, double> transform;

    /// <summary>Applies <paramref name="transform"/> to rewards.</summary>
    public TransformReward(IEnv<TObs, TAction> env, Func<double, double> transform) : base(env) =>
        this.transform = transform ?? throw new ArgumentException("TransformReward: the transform is null.", nameof(transform));

    /// <inheritdoc />
    public override StepResult<TObs> Step(TAction action)
    {
        var r = Env.Step(action);
        return r with { Reward = transform(r.Reward) };
    }
}

/// <summary>Gymnasium's <c>FlattenObservation</c>: observations become <see cref="Spaces.Flatten"/> float32 vectors.</summary>
public sealed class FlattenObservation<TInnerObs, TAction> : Wrapper<float[], TAction, TInnerObs, TAction>
{
    private readonly float[] flat;

    /// <summary>Flattens <paramref name="env"/>'s observations.</summary>
    public FlattenObservation(IEnv<TInnerObs, TAction> env) : base(env)
    {
        ObservationSpace = Spaces.FlattenSpace(env.ObservationSpace);
        flat = new float[Spaces.FlatDim(env.ObservationSpace)];
    }

    /// <inheritdoc />
    public override Space ObservationSpace { get; }

    /// <inheritdoc />
    public override (float[] Observation, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
    {
        var (obs, info) = Env.Reset(seed, options);
        return (Flatten(obs), info);
    }

    /// <inheritdoc />
    public override StepResult<float[]> Step(TAction action)
    {
        var r = Env.Step(action);
        return new StepResult<float[]>(Flatten(r.Observation), r.Reward, r.Terminated, r.Truncated, r.Info);
    }

    private float[] Flatten(TInnerObs obs)
    {
        // A float32 vector needs only a copy; anything else goes through the generic flattening.
        if (obs is float[] f && f.Length == flat.Length) f.CopyTo(flat, 0);
        else Spaces.FlattenInto(Env.ObservationSpace, obs!, flat);
        return flat;
    }
}

/// <summary>How <see cref="FrameStackObservation{T, TAction}"/> fills the stack at reset.</summary>
public enum FramePadding
{
    /// <summary>Repeat the reset observation (Gymnasium's default "reset").</summary>
    Reset,
    /// <summary>Zeros, then the reset observation last.</summary>
    Zero,
}

/// <summary>
/// Gymnasium's <c>FrameStackObservation</c>: the observation is the last <see cref="StackSize"/> observations,
/// oldest first, as one flat array of shape [stack, ...obs shape].
/// </summary>
public sealed class FrameStackObservation<T, TAction> : Wrapper<T[], TAction> where T : unmanaged
{
    private readonly T[] stacked;
    private readonly int frameSize;

    /// <summary>Stacks <paramref name="stackSize"/> frames of <paramref name="env"/>'s Box observations.</summary>
    public FrameStackObservation(IEnv<T[], TAction> env, int stackSize, FramePadding padding = FramePadding.Reset) : base(env)
    {
        if (stackSize <= 0) throw new ArgumentException($"FrameStackObservation: stack size must be positive, got {stackSize}.", nameof(stackSize));
        var box = env.ObservationSpace as Box ?? throw new ArgumentException($"FrameStackObservation: needs a Box observation space, got {env.ObservationSpace}.");
        StackSize = stackSize;
        Padding = padding;
        frameSize = box.Size;
        stacked = new T[stackSize * frameSize];
        var low = new double[stacked.Length];
        var high = new double[stacked.Length];
        for (int s = 0; s < stackSize; s++)
        {
            Array.Copy(box.Low, 0, low, s * frameSize, frameSize);
            Array.Copy(box.High, 0, high, s * frameSize, frameSize);
        }
        ObservationSpace = new Box(low, high, [stackSize, .. box.Shape], box.DType);
    }

    /// <summary>The number of stacked frames.</summary>
    public int StackSize { get; }

    /// <summary>How the stack is filled at reset.</summary>
    public FramePadding Padding { get; }

    /// <inheritdoc />
    public override Space ObservationSpace { get; }

    /// <inheritdoc />
    public override (T[] Observation, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
    {
        var (obs, info) = Env.Reset(seed, options);
        CheckFrame(obs);
        for (int s = 0; s < StackSize - 1; s++)
        {
            if (Padding == FramePadding.Reset) obs.CopyTo(stacked, s * frameSize);
            else Array.Clear(stacked, s * frameSize, frameSize);
        }
        obs.CopyTo(stacked, (StackSize - 1) * frameSize);
        return (stacked, info);
    }

    /// <inheritdoc />
    public override StepResult<T[]> Step(TAction action)
    {
        var r = Env.Step(action);
        CheckFrame(r.Observation);
        Array.Copy(stacked, frameSize, stacked, 0, (StackSize - 1) * frameSize);
        r.Observation.CopyTo(stacked, (StackSize - 1) * frameSize);
        return new StepResult<T[]>(stacked, r.Reward, r.Terminated, r.Truncated, r.Info);
    }

    private void CheckFrame(T[] obs)
    {
        if (obs.Length != frameSize) throw new InvalidOperationException($"FrameStackObservation: frame has {obs.Length} values, expected {frameSize}.");
    }
}
