namespace RlPlat.Environments.Wrappers;

/// <summary>Gymnasium's <c>ClipAction</c>: clips continuous actions into the env's Box; the exposed action space is unbounded.</summary>
public sealed class ClipAction<TObs> : Wrapper<TObs, float[]>
{
    private readonly Box inner;
    private readonly float[] clipped;

    /// <summary>Clips actions for <paramref name="env"/>, whose action space must be a float32 Box.</summary>
    public ClipAction(IEnv<TObs, float[]> env) : base(env)
    {
        inner = env.ActionSpace as Box ?? throw new ArgumentException($"ClipAction: needs a Box action space, got {env.ActionSpace}.");
        clipped = new float[inner.Size];
        ActionSpace = new Box(double.NegativeInfinity, double.PositiveInfinity, inner.Shape);
    }

    /// <inheritdoc />
    public override Space ActionSpace { get; }

    /// <inheritdoc />
    public override StepResult<TObs> Step(float[] action)
    {
        if (action.Length != clipped.Length) throw new ArgumentException($"ClipAction: action has {action.Length} values, expected {clipped.Length}.");
        action.CopyTo(clipped, 0);
        inner.Clip(clipped);
        return Env.Step(clipped);
    }
}

/// <summary>
/// Gymnasium's <c>RescaleAction</c>: the agent acts in [min, max]; actions are mapped affinely onto the env's Box
/// bounds (gradient * a + intercept) and clipped to them.
/// </summary>
public sealed class RescaleAction<TObs> : Wrapper<TObs, float[]>
{
    private readonly Box inner;
    private readonly double[] gradient, intercept;
    private readonly float[] scaled;

    /// <summary>Lets the agent act in [<paramref name="minAction"/>, <paramref name="maxAction"/>] on every dimension.</summary>
    public RescaleAction(IEnv<TObs, float[]> env, double minAction, double maxAction) : base(env)
    {
        inner = env.ActionSpace as Box ?? throw new ArgumentException($"RescaleAction: needs a Box action space, got {env.ActionSpace}.");
        if (!inner.IsBounded) throw new ArgumentException($"RescaleAction: the env's action space {inner} must be bounded.");
        if (!(minAction < maxAction)) throw new ArgumentException($"RescaleAction: min action {minAction} must be below max action {maxAction}.");
        gradient = new double[inner.Size];
        intercept = new double[inner.Size];
        for (int i = 0; i < inner.Size; i++)
        {
            gradient[i] = (inner.High[i] - inner.Low[i]) / (maxAction - minAction);
            intercept[i] = gradient[i] * -minAction + inner.Low[i];
        }
        scaled = new float[inner.Size];
        ActionSpace = new Box(minAction, maxAction, inner.Shape);
    }

    /// <inheritdoc />
    public override Space ActionSpace { get; }

    /// <inheritdoc />
    public override StepResult<TObs> Step(float[] action)
    {
        if (action.Length != scaled.Length) throw new ArgumentException($"RescaleAction: action has {action.Length} values, expected {scaled.Length}.");
        for (int i = 0; i < scaled.Length; i++) scaled[i] = (float)Math.Clamp(gradient[i] * action[i] + intercept[i], inner.Low[i], inner.High[i]);
        return Env.Step(scaled);
    }
}
