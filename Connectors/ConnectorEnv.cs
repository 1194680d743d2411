using RlPlat.Environments;

namespace RlPlat.Connectors;

/// <summary>
/// Shared plumbing for the envs this project provides (stream, remote, replay): the boxed forms of Reset/Step and the
/// members that are the same for all of them. Subclasses implement the typed Reset and Step.
/// </summary>
public abstract class ConnectorEnv<TObs, TAction> : IEnv<TObs, TAction>
{
    private static readonly string[] NoRenderModes = [];

    /// <inheritdoc/>
    public abstract Space ObservationSpace { get; }

    /// <inheritdoc/>
    public abstract Space ActionSpace { get; }

    /// <inheritdoc/>
    public EnvSpec? Spec { get; set; }

    /// <inheritdoc/>
    public IEnv UnwrappedEnv => this;

    /// <inheritdoc/>
    public virtual IReadOnlyList<string> RenderModes => NoRenderModes;

    /// <summary>Connector envs have no frame to draw locally.</summary>
    public virtual RenderFrame? Render() => null;

    /// <inheritdoc/>
    public abstract (TObs Observation, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object?>? options = null);

    /// <inheritdoc/>
    public abstract StepResult<TObs> Step(TAction action);

    /// <inheritdoc/>
    public (object Observation, Info Info) ResetObject(int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
    {
        var (obs, info) = Reset(seed, options);
        return (obs!, info);
    }

    /// <inheritdoc/>
    public StepResult<object> StepObject(object action)
    {
        if (action is not TAction typed)
            throw new ArgumentException($"{GetType().Name}: action of type {action?.GetType().Name ?? "null"} is not a {typeof(TAction).Name}.", nameof(action));
        var r = Step(typed);
        return new StepResult<object>(r.Observation!, r.Reward, r.Terminated, r.Truncated, r.Info);
    }

    /// <inheritdoc/>
    public abstract void Close();

    /// <summary>Same as <see cref="Close"/>.</summary>
    public void Dispose()
    {
        Close();
        GC.SuppressFinalize(this);
    }
}
