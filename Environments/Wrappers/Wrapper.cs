namespace RlPlat.Environments.Wrappers;

/// <summary>An env that wraps another (Gymnasium's <c>Wrapper</c>), seen without its types.</summary>
public interface IWrapper : IEnv
{
    /// <summary>The env this wrapper wraps.</summary>
    IEnv InnerEnv { get; }
}

/// <summary>
/// A wrapper that may change observation and action types: it sees an <typeparamref name="TInnerObs"/>/<typeparamref name="TInnerAction"/>
/// env and shows a <typeparamref name="TObs"/>/<typeparamref name="TAction"/> one. Everything it does not override passes through.
/// </summary>
public abstract class Wrapper<TObs, TAction, TInnerObs, TInnerAction> : IEnv<TObs, TAction>, IWrapper
{
    private EnvSpec? spec;

    /// <summary>Wraps <paramref name="env"/>.</summary>
    protected Wrapper(IEnv<TInnerObs, TInnerAction> env) => Env = env ?? throw new ArgumentException("Wrapper: the wrapped env is null.", nameof(env));

    /// <summary>The wrapped env.</summary>
    public IEnv<TInnerObs, TInnerAction> Env { get; }

    /// <inheritdoc />
    public IEnv InnerEnv => Env;

    /// <inheritdoc />
    public virtual Space ObservationSpace => Env.ObservationSpace;

    /// <inheritdoc />
    public virtual Space ActionSpace => Env.ActionSpace;

    /// <inheritdoc />
    public EnvSpec? Spec
    {
        get => spec ?? Env.Spec;
        set => spec = value;
    }

    /// <inheritdoc />
    public IEnv UnwrappedEnv => Env.UnwrappedEnv;

    /// <inheritdoc />
    public virtual IReadOnlyList<string> RenderModes => Env.RenderModes;

    /// <inheritdoc />
    public virtual RenderFrame? Render() => Env.Render();

    /// <inheritdoc />
    public abstract (TObs Observation, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object?>? options = null);

    /// <inheritdoc />
    public abstract StepResult<TObs> Step(TAction action);

    /// <inheritdoc />
    public (object Observation, Info Info) ResetObject(int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
    {
        var (obs, info) = Reset(seed, options);
        return (obs!, info);
    }

    /// <inheritdoc />
    public StepResult<object> StepObject(object action) => BoxedApi.Box(Step(BoxedApi.Unbox<TAction>(action, ActionSpace)));

    /// <inheritdoc />
    public virtual void Close() => Env.Close();

    /// <inheritdoc />
    public void Dispose()
    {
        Close();
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc />
    public override string ToString() => $"{GetType().Name.Split('`')[0]}<{Env}>";
}

/// <summary>A wrapper that keeps the observation and action types; reset and step pass through unless overridden.</summary>
public abstract class Wrapper<TObs, TAction> : Wrapper<TObs, TAction, TObs, TAction>
{
    /// <summary>Wraps <paramref name="env"/>.</summary>
    protected Wrapper(IEnv<TObs, TAction> env) : base(env) { }

    /// <inheritdoc />
    public override (TObs Observation, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object?>? options = null) => Env.Reset(seed, options);

    /// <inheritdoc />
    public override StepResult<TObs> Step(TAction action) => Env.Step(action);
}

/// <summary>Finding wrappers in a stack.</summary>
public static class WrapperExtensions
{
    /// <summary>The outermost wrapper of type <typeparamref name="T"/> in <paramref name="env"/>'s stack, or null.</summary>
    public static T? FindWrapper<T>(this IEnv env) where T : class, IEnv
    {
        for (IEnv? e = env; e != null; e = (e as IWrapper)?.InnerEnv)
            if (e is T t) return t;
        return null;
    }
}
