namespace RlPlat.Environments;

/// <summary>
/// Base class for environments, Gymnasium's <c>gymnasium.Env</c>: holds the env's seeded generator
/// (<see cref="NpRandom"/>) and implements the boxed API. Subclasses implement <see cref="ResetEpisode"/> and
/// <see cref="Step"/>; <see cref="Reset"/> first re-seeds the generator when given a seed, as <c>super().reset(seed=seed)</c>.
/// </summary>
public abstract class Env<TObs, TAction> : IEnv<TObs, TAction>
{
    private NpRandom? npRandom;

    /// <summary>The env's generator (Gymnasium's <c>np_random</c>); seeded from OS entropy until a seeded reset.</summary>
    public NpRandom NpRandom
    {
        get => npRandom ??= NpRandom.Create(null);
        set => npRandom = value ?? throw new ArgumentException("NpRandom cannot be set to null.", nameof(value));
    }

    /// <inheritdoc />
    public abstract Space ObservationSpace { get; }

    /// <inheritdoc />
    public abstract Space ActionSpace { get; }

    /// <inheritdoc />
    public EnvSpec? Spec { get; set; }

    /// <inheritdoc />
    public IEnv UnwrappedEnv => this;

    /// <inheritdoc />
    public virtual IReadOnlyList<string> RenderModes => ["rgb_array"];

    /// <inheritdoc />
    public virtual RenderFrame? Render() => null;

    /// <inheritdoc />
    public (TObs Observation, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
    {
        if (seed.HasValue) npRandom = NpRandom.Create(seed.Value);
        return ResetEpisode(options);
    }

    /// <summary>Starts a new episode with the (already seeded) <see cref="NpRandom"/>.</summary>
    protected abstract (TObs Observation, Info Info) ResetEpisode(IReadOnlyDictionary<string, object?>? options);

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
    public virtual void Close() { }

    /// <inheritdoc />
    public void Dispose()
    {
        Close();
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc />
    public override string ToString() => Spec != null ? $"{GetType().Name}<{Spec.Id}>" : GetType().Name;
}

/// <summary>Conversions between the typed and the boxed env API.</summary>
internal static class BoxedApi
{
    /// <summary>Turns a boxed action into <typeparamref name="TAction"/> (ints from any integer type, float[] from double[]).</summary>
    public static TAction Unbox<TAction>(object action, Space actionSpace)
    {
        switch (action)
        {
            case TAction a:
                return a;
            case IConvertible c when typeof(TAction).IsPrimitive:
                return (TAction)Convert.ChangeType(c, typeof(TAction), System.Globalization.CultureInfo.InvariantCulture);
            case double[] d when typeof(TAction) == typeof(float[]):
            {
                var f = new float[d.Length];
                for (int i = 0; i < d.Length; i++) f[i] = (float)d[i];
                return (TAction)(object)f;
            }
            default:
                throw new ArgumentException($"Action of type {action?.GetType().Name ?? "null"} does not fit this env's {typeof(TAction).Name} actions ({actionSpace}).");
        }
    }

    /// <summary>Boxes a typed step result.</summary>
    public static StepResult<object> Box<TObs>(StepResult<TObs> r) => new(r.Observation!, r.Reward, r.Terminated, r.Truncated, r.Info);
}
