namespace RlPlat.Environments.Wrappers;

/// <summary>Gymnasium's <c>TimeLimit</c>: truncates the episode after <see cref="MaxEpisodeSteps"/> steps.</summary>
public sealed class TimeLimit<TObs, TAction> : Wrapper<TObs, TAction>
{
    /// <summary>Limits <paramref name="env"/>'s episodes to <paramref name="maxEpisodeSteps"/> steps.</summary>
    public TimeLimit(IEnv<TObs, TAction> env, int maxEpisodeSteps) : base(env)
    {
        if (maxEpisodeSteps <= 0) throw new ArgumentException($"TimeLimit: max episode steps must be positive, got {maxEpisodeSteps}.", nameof(maxEpisodeSteps));
        MaxEpisodeSteps = maxEpisodeSteps;
    }

    /// <summary>The step limit.</summary>
    public int MaxEpisodeSteps { get; }

    /// <summary>Steps taken in the current episode.</summary>
    public int ElapsedSteps { get; private set; }

    /// <inheritdoc />
    public override (TObs Observation, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
    {
        ElapsedSteps = 0;
        return Env.Reset(seed, options);
    }

    /// <inheritdoc />
    public override StepResult<TObs> Step(TAction action)
    {
        var r = Env.Step(action);
        ElapsedSteps++;
        return ElapsedSteps >= MaxEpisodeSteps ? r with { Truncated = true } : r;
    }
}

/// <summary>Gymnasium's <c>OrderEnforcing</c>: stepping (or rendering) before the first reset is an error.</summary>
public sealed class OrderEnforcing<TObs, TAction> : Wrapper<TObs, TAction>
{
    private bool hasReset;

    /// <summary>Wraps <paramref name="env"/>.</summary>
    public OrderEnforcing(IEnv<TObs, TAction> env) : base(env) { }

    /// <summary>True once the env has been reset.</summary>
    public bool HasReset => hasReset;

    /// <inheritdoc />
    public override (TObs Observation, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
    {
        hasReset = true;
        return Env.Reset(seed, options);
    }

    /// <inheritdoc />
    public override StepResult<TObs> Step(TAction action) =>
        hasReset ? Env.Step(action) : throw new InvalidOperationException($"{Spec?.Id ?? Env.ToString()}: cannot call Step() before calling Reset().");

    /// <inheritdoc />
    public override RenderFrame? Render() =>
        hasReset ? Env.Render() : throw new InvalidOperationException($"{Spec?.Id ?? Env.ToString()}: cannot call Render() before calling Reset().");
}

/// <summary>
/// Gymnasium's <c>PassiveEnvChecker</c>: checks the spaces once at construction and the first reset and step's
/// results, throwing <see cref="InvalidOperationException"/> where Gymnasium would error and recording warnings.
/// </summary>
public sealed class PassiveEnvChecker<TObs, TAction> : Wrapper<TObs, TAction>
{
    private bool checkedReset, checkedStep;
    private readonly List<string> warnings = [];

    /// <summary>Wraps <paramref name="env"/> and checks its spaces.</summary>
    public PassiveEnvChecker(IEnv<TObs, TAction> env) : base(env)
    {
        if (env.ObservationSpace == null) throw new InvalidOperationException($"{env}: the observation space is null.");
        if (env.ActionSpace == null) throw new InvalidOperationException($"{env}: the action space is null.");
    }

    /// <summary>What the checks found that is suspicious but not an error.</summary>
    public IReadOnlyList<string> Warnings => warnings;

    /// <inheritdoc />
    public override (TObs Observation, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
    {
        var r = Env.Reset(seed, options);
        if (!checkedReset)
        {
            checkedReset = true;
            if (r.Info == null) throw new InvalidOperationException($"{Env}: Reset returned a null info.");
            if (!ObservationSpace.ContainsObject(r.Observation)) warnings.Add($"Reset observation is not within the observation space {ObservationSpace}.");
        }
        return r;
    }

    /// <inheritdoc />
    public override StepResult<TObs> Step(TAction action)
    {
        var r = Env.Step(action);
        if (!checkedStep)
        {
            checkedStep = true;
            if (r.Info == null) throw new InvalidOperationException($"{Env}: Step returned a null info.");
            if (double.IsNaN(r.Reward) || double.IsInfinity(r.Reward)) warnings.Add($"Step reward {r.Reward} is not finite.");
            if (!ObservationSpace.ContainsObject(r.Observation)) warnings.Add($"Step observation is not within the observation space {ObservationSpace}.");
        }
        return r;
    }
}
