using System.Reactive.Concurrency;
using RlPlat.Connectors.Streams;
using RlPlat.Environments;

namespace RlPlat.Connectors.Plugins;

/// <summary>
/// A source of experience chosen by name in YAML: it opens either a step env (for step-based agents) or a stream of
/// transitions (for online learners and recorders). Built-in: local, tcp, websocket, sensor-stream, replay, web; users add
/// their own (see <see cref="ConnectorRegistry"/>).
/// </summary>
public interface IConnector : IDisposable
{
    /// <summary>The name it was created under (for messages).</summary>
    string Name { get; }

    /// <summary>Binds and validates the options from YAML; called once, before anything is opened.</summary>
    void Configure(IReadOnlyDictionary<string, object?> options);

    /// <summary>Opens the source as a step env.</summary>
    IEnv OpenEnv();

    /// <summary>Opens the source as a stream of transitions, timed on the context's scheduler.</summary>
    IObservable<Transition<object, object>> OpenStream(ConnectorContext context);
}

/// <summary>What a connector's stream runs with.</summary>
/// <param name="Scheduler">The clock (a <c>HistoricalScheduler</c> in tests, real time otherwise).</param>
/// <param name="Actions">The agent's actions, for sources it drives; null: the source uses its default action.</param>
/// <param name="EnvOpened">Called with the env a simulated source opened (e.g. to change a car's friction while it streams); may be null.</param>
public sealed record ConnectorContext(IScheduler Scheduler, IObservable<object>? Actions = null, Action<IEnv>? EnvOpened = null);

/// <summary>Names a connector class so YAML can refer to it by that name (the assembly must be loaded).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ConnectorAttribute(string name) : Attribute
{
    /// <summary>The name used in YAML.</summary>
    public string Name { get; } = name;
}

/// <summary>Options that can check themselves after binding.</summary>
public interface IValidatableOptions
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming the offending option.</summary>
    void Validate();
}

/// <summary>
/// Base class for connectors with a typed options class: <see cref="Configure"/> binds the YAML dictionary to a new
/// <typeparamref name="TOptions"/> (unknown keys and wrong types are errors) and validates it.
/// </summary>
public abstract class Connector<TOptions> : IConnector, IConnectorNaming where TOptions : class, new()
{
    private TOptions? options;

    /// <inheritdoc/>
    public string Name { get; private set; } = "";

    void IConnectorNaming.SetName(string name) => Name = name;

    /// <summary>The bound options; set by <see cref="Configure"/>.</summary>
    public TOptions Options => options ?? throw new InvalidOperationException($"connector '{Name}': Configure was not called.");

    /// <inheritdoc/>
    public void Configure(IReadOnlyDictionary<string, object?> values)
    {
        var bound = OptionsBinder.Bind<TOptions>(values, $"connector '{Name}'");
        if (bound is IValidatableOptions v)
        {
            try { v.Validate(); }
            catch (ArgumentException e) { throw new ArgumentException($"connector '{Name}': {e.Message}", e); }
        }
        options = bound;
    }

    /// <inheritdoc/>
    public abstract IEnv OpenEnv();

    /// <inheritdoc/>
    public abstract IObservable<Transition<object, object>> OpenStream(ConnectorContext context);

    /// <summary>Releases what the connector holds (nothing by default: opened envs belong to their caller).</summary>
    public virtual void Dispose() => GC.SuppressFinalize(this);
}
