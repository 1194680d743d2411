using RlPlat.Environments;

namespace RlPlat.Connectors.Streams;

/// <summary>
/// Any <see cref="IEnv"/> seen as <c>IEnv&lt;object, object&gt;</c> through its boxed API, so stream adapters and
/// connectors can handle envs whose types are known only at run time.
/// </summary>
public sealed class ObjectEnv(IEnv inner) : ConnectorEnv<object, object>
{
    /// <summary>The wrapped env.</summary>
    public IEnv Inner { get; } = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <inheritdoc/>
    public override Space ObservationSpace => Inner.ObservationSpace;

    /// <inheritdoc/>
    public override Space ActionSpace => Inner.ActionSpace;

    /// <inheritdoc/>
    public override (object Observation, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object?>? options = null) => Inner.ResetObject(seed, options);

    /// <inheritdoc/>
    public override StepResult<object> Step(object action) => Inner.StepObject(action);

    /// <inheritdoc/>
    public override void Close() => Inner.Close();
}
